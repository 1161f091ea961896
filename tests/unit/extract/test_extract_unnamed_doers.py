"""Events the parse used to drop: doers nobody names, main verbs misread as participles."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pipeline.extract import Extraction
from schemas.events import Event

pytestmark = pytest.mark.model

Extract = Callable[..., Extraction]

UNIDENTIFIED_ARMED_GROUP = 3  # ACLED codes an unidentified armed group as a political militia


def _facts(x: Extraction) -> list[Event]:
    return [e for e in x.events if e.factual and e.event_type]


def test_a_main_verb_misread_as_a_participle_keeps_its_subject(extract: Extract) -> None:
    # the parser reads "protested" as a participle of "nurses" in a sentence with no finite verb
    x = extract(
        "On 3 May, about 400 junior nurses protested in Freedom Square in Kumasi city, "
        "demanding unpaid allowances."
    )
    facts = _facts(x)
    assert facts and facts[0].event_type == "Protests"
    assert facts[0].actor1 is not None and "nurses" in facts[0].actor1.name
    # an act with an object: the noun before it did it
    y = extract("On 4 May, presumed bandit militants killed at least 12 herders near Dargol.")
    killed = next(e for e in _facts(y) if e.trigger.text == "killed")
    assert killed.actor1 is not None and "militants" in killed.actor1.name


def test_unknown_people_who_fight_are_an_unidentified_armed_group(extract: Extract) -> None:
    x = extract("Two groups clashed in the village of Marsabit on Tuesday.")
    facts = _facts(x)
    assert facts and facts[0].event_type == "Battles"
    assert facts[0].actor1 is not None
    assert facts[0].actor1.acled_class == UNIDENTIFIED_ARMED_GROUP


def test_a_fight_nobody_is_named_for_is_kept_less_sure(extract: Extract) -> None:
    x = extract("Six dead due to clan fighting in Dargol district.")
    facts = _facts(x)
    assert facts and facts[0].event_type == "Battles"
    assert facts[0].actor1 is not None and facts[0].actor1.span is None
    named = _facts(extract("Rebels and soldiers fought in Dargol district."))
    assert named and facts[0].confidence < named[0].confidence


def test_a_named_subject_that_is_nobody_still_gives_no_event(extract: Extract) -> None:
    assert _facts(extract("The new campaign attacked prices for being too high.")) == []
