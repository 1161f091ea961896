"""Round 17's type rules, on sentences written for these tests: several airstrikes on a named
place are one day's news, shells that fell are shelling, civilians harmed by a weapon used from
afar are an explosion, and a non-state armed group's attack on a place name nobody defended is
violence against civilians (``clauses.py``, ``triggers.yaml``, ``one_sided.py``)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pipeline.extract import Extraction
from pipeline.extract.clauses import is_summary
from pipeline.extract.cues import load_cues
from pipeline.extract.extractor import Extractor
from pipeline.extract.one_sided import remote_weapon
from schemas.events import Event

pytestmark = pytest.mark.model

Extract = Callable[..., Extraction]
EXPLOSIONS = "Explosions/Remote violence"
CIVILIANS = ("Violence against civilians", "Attack")
BATTLE = ("Battles", "Armed clash")


def _main(x: Extraction) -> Event | None:
    return next((e for e in x.events if e.main), None)


def _typed(x: Extraction) -> tuple[str, str] | None:
    event = _main(x)
    return (event.event_type, event.sub_event_type) if event is not None else None


def test_several_airstrikes_on_a_named_place_are_news(extract: Extract) -> None:
    for text in (
        "Government warplanes conducted several airstrikes on Tel Harrim town, no casualties "
        "were reported.",
        "Jets carried out multiple air strikes against Wadi Sirhan village.",
    ):
        assert _typed(extract(text)) == (EXPLOSIONS, "Air/drone strike"), text


def test_a_record_of_many_strikes_stays_a_summary(extractor: Extractor) -> None:
    cues = load_cues()
    for text in (
        "The coalition has carried out numerous airstrikes on Tel Harrim.",
        "The air force carried out several airstrikes in the region.",
    ):
        doc = extractor.nlp(text)
        verb = next(t for t in doc if t.lemma_ == "carry")
        assert is_summary(verb, cues), text


def test_shells_that_fell_are_shelling(extract: Extract) -> None:
    for text in (
        "Several shells fell on the Qusour neighbourhood of Tel Harrim.",
        "Two mortar rounds fell in the Old Market area of Tel Harrim.",
    ):
        assert _typed(extract(text)) == (EXPLOSIONS, "Shelling/artillery/missile attack"), text


def test_civilians_harmed_by_a_remote_weapon_are_an_explosion(extract: Extract) -> None:
    cases = {
        "Three civilians were killed by the explosion of a roadside bomb near Tel Harrim.": (
            "Remote explosive/landmine/IED"
        ),
        "A farmer and his daughter were killed in government shelling in Tel Harrim.": (
            "Shelling/artillery/missile attack"
        ),
    }
    for text, sub in cases.items():
        event = _main(extract(text))
        assert event is not None, text
        assert (event.event_type, event.sub_event_type) == (EXPLOSIONS, sub), text
        assert event.actor2 is not None and event.actor2.acled_class == 7, text


def test_direct_fire_on_civilians_stays_an_attack(extract: Extract) -> None:
    assert _typed(extract("Gunmen shot dead a shopkeeper in Tel Harrim.")) == CIVILIANS


def test_an_armed_group_s_attack_on_a_place_name_is_an_attack_on_civilians(
    extract: Extract,
) -> None:
    for text in (
        "On 3 May 2020, Islamist insurgents attacked Namaro (Mueda, Cabo Delgado). No "
        "fatalities were reported.",
        "Unidentified assailants attacked Ndaru location, no immediate reports of casualties.",
    ):
        assert _typed(extract(text)) == CIVILIANS, text


def test_an_attack_on_a_place_that_was_fought_or_by_a_state_force_stays_a_battle(
    extract: Extract,
) -> None:
    for text in (
        "Islamist insurgents attacked Namaro, fighting the police for two hours.",
        "Government troops attacked Namaro in the north.",
        "NDA rebels attacked SPLF at Namaro.",
    ):
        typed = _typed(extract(text))
        assert typed is not None and typed[0] == "Battles", text


def test_crowd_control_weapons_are_no_remote_weapon(extractor: Extractor) -> None:
    cues = load_cues()
    for text in (
        "Riot police launched at least 20 tear gas bombs against the detainees in Tel Harrim.",
        "Police threw stun grenades at the crowd in Tel Harrim.",
    ):
        assert remote_weapon(extractor.nlp(text), cues) is None, text
    doc = extractor.nlp("Three civilians were killed by a roadside bomb in Tel Harrim.")
    assert remote_weapon(doc, cues) == "Remote explosive/landmine/IED"
