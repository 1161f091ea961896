"""Actor classes by the story: identity militias of a communal conflict, the attacker of a battle
told from the defender's side (sentences written for these tests)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pipeline.errors import ConfigError
from pipeline.extract import Extraction
from pipeline.extract.actor_types import load_actor_types
from schemas.events import Event

pytestmark = pytest.mark.model

Extract = Callable[..., Extraction]

STATE, REBELS, UNIDENTIFIED, IDENTITY, CIVILIANS, EXTERNAL = 1, 2, 3, 4, 7, 8


def _first(x: Extraction, trigger: str) -> Event:
    return next(e for e in x.events if e.factual and e.trigger.text == trigger)


def test_unnamed_gunmen_of_a_clan_feud_are_an_identity_militia(extract: Extract) -> None:
    x = extract(
        "On 3 June, gunmen opened fire on a minibus near Dhusamareb, wounding two passengers. "
        "Elders said the shooting was clan revenge for a killing last month."
    )
    event = _first(x, "opened fire")
    assert event.actor1 is not None and event.actor1.acled_class == IDENTITY
    assert event.actor2 is not None and event.actor2.acled_class == CIVILIANS


def test_without_a_communal_cue_gunmen_stay_an_unidentified_armed_group(extract: Extract) -> None:
    x = extract(
        "On 3 June, gunmen opened fire on a minibus near Dhusamareb, wounding two passengers."
    )
    event = _first(x, "opened fire")
    assert event.actor1 is not None and event.actor1.acled_class == UNIDENTIFIED


def test_a_victims_tribal_title_is_no_communal_conflict(extract: Extract) -> None:
    x = extract("On 9 May, a tribal chief was shot dead by unknown gunmen in Zaranj city.")
    event = next(e for e in x.events if e.factual and e.event_type)
    assert event.actor1 is not None and event.actor1.acled_class == UNIDENTIFIED


def test_named_groups_keep_their_class_in_a_communal_conflict(extract: Extract) -> None:
    x = extract("Taliban militants attacked a checkpoint in Ghor during ethnic fighting.")
    event = _first(x, "attacked")
    assert event.actor1 is not None and event.actor1.acled_class == REBELS


def test_clan_militiamen_are_an_identity_militia(extract: Extract) -> None:
    x = extract("Armed clan militiamen clashed near the wells of Qansax on Friday.")
    event = _first(x, "clashed")
    assert event.actor1 is not None and event.actor1.acled_class == IDENTITY


def test_the_side_that_repelled_an_attack_is_actor_two(extract: Extract) -> None:
    x = extract(
        "On 2 May, nine rebels were killed when army troops repulsed their attack on a base "
        "near Kidal."
    )
    battle = next(e for e in x.events if e.factual and e.event_type == "Battles")
    assert battle.actor1 is not None and battle.actor1.acled_class == REBELS
    assert battle.actor2 is not None and battle.actor2.acled_class == STATE


def test_a_passive_conjunct_takes_its_first_verbs_subject(extract: Extract) -> None:
    x = extract(
        "On 5 May, Russian forces advanced towards Robotyne, Zaporizhzhia, and were repelled "
        "by Ukrainian forces."
    )
    battle = _first(x, "repelled")
    assert battle.actor1 is not None and "Russian" in battle.actor1.name
    assert battle.actor2 is not None and "Ukrainian" in battle.actor2.name


def test_communal_context_entry_is_checked(tmp_path: Path) -> None:
    shipped = Path(__file__).parents[3] / "pipeline/extract/data/actor_types.yaml"
    text = shipped.read_text(encoding="utf-8").replace("  class: 4\n", "  class: 9\n")
    bad = tmp_path / "actor_types.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match="communal_context"):
        load_actor_types(bad)


def test_a_sniper_who_shot_and_killed_is_actor_one(extract: Extract) -> None:
    # the parser reads "sniper shot" as a compound noun and "killed" as its conjunct
    x = extract("On 4 June, a Taliban sniper shot and killed a policeman in Garmsir district.")
    event = _first(x, "killed")
    assert event.actor1 is not None and event.actor1.acled_class == REBELS
    assert "killed" not in event.actor1.name  # a verb is no member of the actor phrase


def test_the_attacker_of_an_attack_on_a_target_is_actor_one(extract: Extract) -> None:
    x = extract(
        "On 6 June, two soldiers were killed following an attack on an army post by Taliban "
        "militants in Qaisar district."
    )
    event = _first(x, "killed")
    assert event.actor1 is not None and "Taliban" in event.actor1.name


def test_an_armed_group_named_just_before_the_act_did_it(extract: Extract) -> None:
    # the parse hangs "presumed ... militants" off the date phrase: no subject of "killed"
    x = extract("On 9 March, presumed ISGS or JNIM militants killed three herders near Dori.")
    event = _first(x, "killed")
    assert event.actor1 is not None and event.actor1.acled_class == REBELS


def test_a_name_before_another_finite_verb_is_not_the_doer(extract: Extract) -> None:
    x = extract("Police said Al Shabaab fighters left the town. Two men were killed in Baidoa.")
    event = _first(x, "killed")
    assert event.actor1 is None or event.actor1.acled_class != REBELS


def test_officials_who_protest_are_protesters(extract: Extract) -> None:
    x = extract("On 5 May, mayors protested in Parakou against the new decentralisation law.")
    event = _first(x, "protested")
    assert event.actor1 is not None and event.actor1.acled_class == 6
    y = extract("Police dispersed protesters in Nakuru with tear gas.")
    dispersed = _first(y, "dispersed")
    assert dispersed.actor1 is not None and dispersed.actor1.acled_class == STATE


def test_a_force_whose_class_changed_takes_the_class_of_the_day(extract: Extract) -> None:
    before = extract("RSF troops attacked a police station in Nyala.", published=_day(2023, 4, 1))
    after = extract("RSF troops attacked a police station in Nyala.", published=_day(2023, 6, 1))
    assert _first(before, "attacked").actor1 is not None
    assert _first(before, "attacked").actor1.acled_class == STATE  # type: ignore[union-attr]
    assert _first(after, "attacked").actor1.acled_class == REBELS  # type: ignore[union-attr]


def test_gunmen_named_by_their_clan_are_an_identity_militia(extract: Extract) -> None:
    x = extract("Hawiye gunmen clashed with soldiers near Galkayo on Monday.")
    event = _first(x, "clashed")
    assert event.actor1 is not None and event.actor1.acled_class == IDENTITY


def _day(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 12, tzinfo=UTC)


def test_killed_in_an_encounter_with_forces_makes_the_forces_actor_one(extract: Extract) -> None:
    x = extract("Two Naxals were killed in an encounter with police near Dantewada on Monday.")
    event = _first(x, "killed")
    assert event.actor1 is not None and event.actor1.acled_class == STATE
    assert event.actor2 is not None and event.actor2.acled_class == REBELS


def test_an_attack_on_an_afghan_army_post_is_a_battle_with_state_forces(extract: Extract) -> None:
    x = extract(
        "Taliban fighters attacked an ANA checkpoint in Andar district of Ghazni province.",
        published=_day(2020, 3, 12),
    )
    event = _first(x, "attacked")
    assert event.actor2 is not None and event.actor2.acled_class == STATE
    assert event.event_type != "Violence against civilians"
