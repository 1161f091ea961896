"""Actor phrases whose words or parse hid the side: coordinated modifiers sharing one head, a
by-phrase after a list of participles, a generic word for armed men of a named group, and role
words (sentences written for these tests)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pipeline.extract import Extraction
from schemas.events import Event

pytestmark = pytest.mark.model

Extract = Callable[..., Extraction]

STATE, REBELS, UNIDENTIFIED, CIVILIANS = 1, 2, 3, 7


def _first(x: Extraction, trigger: str) -> Event:
    return next(e for e in x.events if e.factual and e.trigger.text == trigger)


@pytest.mark.parametrize(
    ("text", "trigger", "first", "second"),
    [
        (
            "Heavy clashes between army and opposition forces were reported near Torit.",
            "clashes",
            STATE,
            REBELS,
        ),
        (
            "Fighting between opposition and government troops spread to Rumbek on Monday.",
            "Fighting",
            REBELS,
            STATE,
        ),
    ],
)
def test_coordinated_modifiers_of_one_head_are_two_sides(
    extract: Extract, text: str, trigger: str, first: int, second: int
) -> None:
    event = _first(extract(text), trigger)
    assert event.actor1 is not None and event.actor1.acled_class == first
    assert event.actor2 is not None and event.actor2.acled_class == second


def test_named_countries_before_one_head_stay_one_actor(extract: Extract) -> None:
    event = _first(
        extract("French and Malian troops attacked a militant camp near Gao."), "attacked"
    )
    assert event.actor1 is not None and event.actor1.type == "state_military"
    assert event.actor2 is not None and event.actor2.type == "rebels"


def test_a_by_phrase_after_listed_participles_is_the_agent_of_the_first(extract: Extract) -> None:
    # the parse hangs "tortured" as a clause of "assaulted" and "robbed" as its conjunct
    x = extract(
        "On 3 May, a nurse was assaulted, tortured and robbed by soldiers while travelling to Yei."
    )
    event = _first(x, "assaulted")
    assert event.actor1 is not None and event.actor1.acled_class == STATE
    assert event.actor2 is not None and event.actor2.acled_class == CIVILIANS


def test_a_clause_with_its_own_conjunction_lends_no_agent(extract: Extract) -> None:
    x = extract("A farmer was abducted, after he was threatened by police, near Kisumu.")
    event = _first(x, "abducted")
    assert event.actor1 is None or event.actor1.type != "police"


@pytest.mark.parametrize(
    ("text", "trigger", "normalized"),
    [
        (
            "Armed elements of the LRA looted a market near Zemio.",
            "looted",
            "Lord's Resistance Army",
        ),
        ("Gunmen of Boko Haram burned a school near Bama.", "burned", "Boko Haram"),
    ],
)
def test_armed_men_of_a_named_group_are_that_group(
    extract: Extract, text: str, trigger: str, normalized: str
) -> None:
    event = _first(extract(text), trigger)
    assert event.actor1 is not None and event.actor1.normalized == normalized
    assert event.actor1.acled_class == REBELS


def test_gunmen_of_no_named_group_stay_unidentified(extract: Extract) -> None:
    event = _first(extract("Gunmen of unknown affiliation burned a school near Bama."), "burned")
    assert event.actor1 is not None and event.actor1.acled_class == UNIDENTIFIED


def test_opposition_forces_are_rebels_and_prison_guards_police(extract: Extract) -> None:
    rebels = _first(extract("Opposition forces shelled a barracks in Malakal."), "shelled")
    assert rebels.actor1 is not None and rebels.actor1.acled_class == REBELS
    guards = _first(extract("Two inmates were beaten by prison guards in Gulu."), "beaten")
    assert guards.actor1 is not None and guards.actor1.type == "police"
    assert guards.actor1.acled_class == STATE
