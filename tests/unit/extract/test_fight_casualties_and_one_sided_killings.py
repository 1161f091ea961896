"""Round 16's type rules, on sentences written for these tests: harm told in a fight is the
fight's battle; a killing nobody fought is violence against civilians, named victim or not; a
name nobody listed that uses force, a headline's "3 killed", and clashes that "were reported"
keep their events (``fight_casualties.py``, ``one_sided.py``, ``nominals.py``, the extractor)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pipeline.extract import Extraction
from pipeline.extract.cues import load_cues
from pipeline.extract.extractor import Extractor
from pipeline.extract.fight_casualties import fight_of
from schemas.events import Event

pytestmark = pytest.mark.model

Extract = Callable[..., Extraction]
BATTLE = ("Battles", "Armed clash")
CIVILIANS = ("Violence against civilians", "Attack")


def _main(x: Extraction) -> Event | None:
    return next((e for e in x.events if e.main), None)


def _typed(x: Extraction) -> tuple[str, str] | None:
    event = _main(x)
    return (event.event_type, event.sub_event_type) if event is not None else None


def test_people_killed_in_clashes_between_armed_sides_are_the_battle_s_casualties(
    extract: Extract,
) -> None:
    for text in (
        "Seven people were killed and several others injured in clashes between Kamajor "
        "fighters and Lurian soldiers near Tomba.",
        "At least 12 people were killed and 30 others wounded in clashes between farmers and "
        "herders near Dakoro.",
        "Four villagers were killed during fighting between the army and rebels in Gobi.",
    ):
        assert _typed(extract(text)) == BATTLE, text


def test_a_side_s_own_killing_of_civilians_during_a_battle_stays_an_attack(
    extract: Extract,
) -> None:
    event = _main(extract("The FNR killed 30 civilians during a battle with government soldiers."))
    assert event is not None
    assert (event.event_type, event.sub_event_type) == CIVILIANS


def test_a_crowd_s_clash_is_left_to_the_riot_rules(extractor: Extractor) -> None:
    nlp = extractor.nlp
    cues = load_cues()
    doc = nlp("Two people were killed in clashes between protesters and police in Lome.")
    killed = next(t for t in doc if t.lemma_ == "kill")
    assert fight_of(killed, cues) is None
    doc = nlp("Two people were killed in clashes between rebels and soldiers in Lome.")
    killed = next(t for t in doc if t.lemma_ == "kill")
    fight = fight_of(killed, cues)
    assert fight is not None and fight.lemma_ == "clash"


def test_a_killing_nobody_fought_is_violence_against_civilians(extract: Extract) -> None:
    for text in (
        "Gunmen attacked a bus near Kaga, killing five.",
        "A trader was murdered by an unidentified gunman in Kabo on Monday.",
        "Armed men attacked the locality of Mbali, killing four.",
    ):
        assert _typed(extract(text)) == CIVILIANS, text


def test_a_soldier_or_a_named_unknown_killed_is_no_civilian_killed(extract: Extract) -> None:
    for text in (
        "Troops pursued the rebels near Gula. One soldier wounded.",
        "On 2 May, 1 Arbaki was killed by Taliban militants in Puli Alam city.",
    ):
        assert _typed(extract(text)) != CIVILIANS, text


def test_an_unlisted_name_that_uses_force_is_an_armed_doer(extract: Extract) -> None:
    for text in ("Zarbaweed attacked a school in Torba, killing 12.", "KLF kidnapped a priest"):
        event = _main(extract(text))
        assert event is not None, text
        assert event.event_type == "Violence against civilians", text
        assert event.actor1 is not None and event.actor1.acled_class == 3, text


def test_a_number_told_killed_in_a_headline_is_an_event(extract: Extract) -> None:
    for text in ("3 killed in clashes.", "1 killed, 1 abducted in Dembo"):
        event = _main(extract(text))
        assert event is not None and event.factual, text


def test_clashes_reported_or_heard_and_a_verbless_clash_headline_are_events(
    extract: Extract,
) -> None:
    for text in (
        "Deadly clashes were reported in areas under rebel control.",
        "Fighting was heard during the night in Mbaiki.",
        "Clashes between armed groups: 11 dead.",
    ):
        assert _typed(extract(text)) == BATTLE, text
    assert _main(extract("No clashes were reported in Mbaiki.")) is None
