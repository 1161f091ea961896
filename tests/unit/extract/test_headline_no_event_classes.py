"""Headline reports that gave no factual event: a gathering disrupted, acts joined by "and" with
one doer, and a headline's passive with no "by" whose subject is no actor (issue 15)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pipeline.extract import Extraction
from schemas.events import Event

Extract = Callable[..., Extraction]


def _factual(x: Extraction) -> list[Event]:
    return [e for e in x.events if e.factual and e.event_type]


@pytest.mark.model
@pytest.mark.parametrize(
    "text",
    [
        "Party youths disrupted an opposition rally in Tarso on Sunday.",
        "Militia members disrupt opposition meeting in Tarso; violence reported",
        "Soldiers disrupted a council meeting in Tarso.",
    ],
)
def test_a_gathering_disrupted_is_an_attack(extract: Extract, text: str) -> None:
    events = [e for e in _factual(extract(text)) if e.trigger.text.startswith("disrupt")]
    assert events, text
    # ACLED: violence against civilians, or mob violence when the doers are a crowd
    assert events[0].event_type in ("Violence against civilians", "Riots")
    assert events[0].actor1 is not None


@pytest.mark.model
@pytest.mark.parametrize(
    "text",
    [
        "Heavy rains disrupted traffic in Tarso on Monday.",
        "The strike disrupted supply chains across the region.",
    ],
)
def test_disrupting_no_gathering_is_no_event(extract: Extract, text: str) -> None:
    assert not any(e.trigger.text.startswith("disrupt") for e in extract(text).events), text


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "doer", "acts"),
    [
        ("Police abduct and assault traders in Tarso", "Police", {"abduct", "assault"}),
        ("Soldiers beat and rob villagers in Tarso", "Soldiers", {"beat"}),
        ("Militia members loot and burn shops in Tarso", "Militia members", {"loot", "burn"}),
    ],
)
def test_acts_joined_by_and_share_their_doer(
    extract: Extract, text: str, doer: str, acts: set[str]
) -> None:
    events = _factual(extract(text))
    found = {e.trigger.text.split()[0] for e in events}
    assert acts <= found, (text, found)
    for event in events:
        if event.trigger.text.split()[0] in acts:
            assert event.actor1 is not None and event.actor1.name == doer, text


@pytest.mark.model
@pytest.mark.parametrize("text", ["home torched", "Tarso office attacked, 2 injured"])
def test_a_headline_passive_of_no_actor_is_an_event(extract: Extract, text: str) -> None:
    events = _factual(extract(text))
    assert events, text
    # the subject was done to: it is never the doer
    assert all(e.actor1 is None or e.actor1.name not in ("home", "Tarso office") for e in events)


@pytest.mark.model
def test_a_doer_named_before_a_passive_like_verb_stays_the_doer(extract: Extract) -> None:
    events = _factual(extract("Rebels attacked at dawn near Tarso."))
    assert events and events[0].actor1 is not None and events[0].actor1.name == "Rebels"
