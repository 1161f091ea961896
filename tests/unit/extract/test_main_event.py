"""An article's main event, the one ACLED would code for it (``main_event``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline.errors import ConfigError
from pipeline.extract import Extraction
from pipeline.extract.main_event import load_main_event_rules, main_event, main_event_rules, marked
from schemas import Event
from tests.unit.extract.factory import event

RULES = main_event_rules()
Extract = Callable[..., Extraction]


def _outcomes(*starts: int) -> Callable[[Event], bool]:
    return lambda e: e.trigger.start in starts


def _main(extraction: Extraction) -> Event:
    mains = [e for e in extraction.events if e.main]
    assert len(mains) == 1, [(e.trigger.text, e.main) for e in extraction.events]
    return mains[0]


def test_harm_is_reported_as_the_explosion_that_caused_it() -> None:
    grenade = event(0, "Explosions/Remote violence", "Grenade", confidence=0.49)
    injuring = event(40, "Violence against civilians", "Attack", confidence=0.77)
    assert main_event([grenade, injuring], _outcomes(40), RULES) is grenade
    # with no cause told, the harm is the act: the surest event is reported
    assert main_event([injuring], _outcomes(40), RULES) is injuring


def test_victims_of_an_attack_still_say_who_was_attacked() -> None:
    # battles and violence against civilians are no causes: "attacked the village, killing three
    # farmers" is typed by its victims, so the surer harm stays the main event
    attacked = event(0, "Battles", "Armed clash", confidence=0.6)
    killing = event(30, "Violence against civilians", "Attack", confidence=0.77)
    assert main_event([attacked, killing], _outcomes(30), RULES) is killing


def test_violence_outranks_what_followed_it() -> None:
    arrested = event(0, "Strategic developments", "Arrests", confidence=0.77)
    stormed = event(30, "Riots", "Mob violence", confidence=0.61)
    assert main_event([arrested, stormed], _outcomes(), RULES) is stormed


def test_an_acled_type_outranks_violence_and_only_facts_are_main() -> None:
    statement = event(0, "", "", confidence=0.9, cameo=("01", "010", "COMMENT"))
    protest = event(20, "Protests", "Peaceful protest", confidence=0.5)
    planned = event(40, "Battles", "Armed clash", factual=False, confidence=0.9)
    assert main_event([statement, protest, planned], _outcomes(), RULES) is protest
    assert main_event([planned], _outcomes(), RULES) is None
    out = marked([statement, protest, planned], _outcomes(), RULES)
    assert [e.main for e in out] == [False, True, False]
    assert out[0] is statement  # records that do not change are not copied


def test_the_data_file_names_acled_types_only(tmp_path: Path) -> None:
    path = tmp_path / "main_event.yaml"
    path.write_text(
        "outcome_lemmas: [kill]\ncause_types: [Explosions]\nviolent_types: [Battles]\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match="not ACLED event types"):
        load_main_event_rules(path)


def test_a_grenade_attack_is_the_main_event_not_its_injuries(extract: Extract) -> None:
    x = extract(
        "Unknown men hurled a grenade at a bus station in Garissa on Tuesday, injuring five "
        "passengers."
    )
    main = _main(x)
    assert main.event_type == "Explosions/Remote violence"
    assert main.sub_event_type == "Grenade"


def test_a_bombing_is_the_main_event_not_the_killing(extract: Extract) -> None:
    x = extract(
        "Suspected militants detonated an explosive device on a road in Dhi Naim district on "
        "Monday, killing an engineer."
    )
    assert _main(x).event_type == "Explosions/Remote violence"


def test_the_storming_is_the_main_event_not_the_arrests(extract: Extract) -> None:
    x = extract("Police arrested 12 youths after they stormed a police post in Kisumu on Monday.")
    main = _main(x)
    assert main.trigger.text == "stormed"
    assert main.event_type == "Riots"


def test_an_article_without_facts_has_no_main_event(extract: Extract) -> None:
    x = extract("Rebels could attack the town of Goma next week.")
    assert x.events and not any(e.main for e in x.events)
