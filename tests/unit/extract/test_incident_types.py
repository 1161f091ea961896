"""One incident, one ACLED type, by who is on each side (``incident_types``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline.errors import ConfigError
from pipeline.extract import Extraction
from pipeline.extract.actor_types import actor_types
from pipeline.extract.incident_types import IncidentTyper, load_side_rules, side_rules
from schemas import Actor, Event, Span
from tests.unit.extract.factory import event

TYPER = IncidentTyper(side_rules(), actor_types())


def _actor(name: str, actor_type: str, acled_class: int | None, *, named: bool = True) -> Actor:
    return Actor(
        name=name,
        normalized=name,
        type=actor_type,
        confidence=0.8,
        acled_class=acled_class,
        span=Span(text=name, start=0, end=len(name)) if named else None,
    )


_event = event


def _types(events: list[Event]) -> list[tuple[str, str]]:
    return [(e.event_type, e.sub_event_type) for e in TYPER.types_of(events)]


def test_a_clash_without_armed_sides_is_a_riot() -> None:
    supporters = _actor("supporters", "organization", None)
    rivals = _actor("rivals", "person", None)
    out = TYPER.types_of([_event(0, "Battles", "Armed clash", supporters, rivals)])
    assert [(e.event_type, e.sub_event_type) for e in out] == [("Riots", "Mob violence")]
    assert out[0].actor1 is not None and out[0].actor1.acled_class == 5  # the doer: rioters


def test_unarmed_people_against_police_riot_and_a_demonstration_makes_it_violent() -> None:
    # Students in a battle are classed rioters (agents_of in actor_types.yaml); only roles
    # classed as an armed group when they fight (farmers: a communal militia) count as armed.
    students = _actor("students", "civilians", 5)
    police = _actor("police", "police", 1)
    protest = _event(0, "Protests", "Peaceful protest", _actor("students", "protesters", 6))
    clash = _event(10, "Battles", "Armed clash", students, police)
    assert _types([protest, clash]) == [
        ("Protests", "Peaceful protest"),  # as_one_demonstration makes it the riot afterwards
        ("Riots", "Violent demonstration"),
    ]


def test_civilians_classed_as_an_armed_group_keep_their_act() -> None:
    farmers = _actor("farmers", "civilians", 4)  # farmers who fight: a communal militia
    herders = _actor("herders", "civilians", 7)
    events = [_event(0, "Violence against civilians", "Attack", farmers, herders)]
    assert _types(events) == [("Violence against civilians", "Attack")]


def test_a_battle_between_armed_groups_stays_a_battle() -> None:
    army = _actor("the army", "state_military", 1)
    rebels = _actor("rebels", "rebels", 2)
    clan = _actor("Pokot militia", "militia", 4)
    events = [_event(0, "Battles", "Armed clash", army, rebels)]
    assert _types(events) == [("Battles", "Armed clash")]
    assert _types([_event(0, "Battles", "Armed clash", clan, None)]) == [("Battles", "Armed clash")]


def test_a_crowd_that_kills_is_mob_violence_an_armed_group_is_not() -> None:
    residents = _actor("residents", "civilians", 5)
    thief = _actor("a thief", "criminals", 3)
    gunmen = _actor("gunmen", "militia", 3)
    villager = _actor("a villager", "civilians", 7)
    assert _types([_event(0, "Violence against civilians", "Attack", residents, thief)]) == [
        ("Riots", "Mob violence")
    ]
    assert _types([_event(0, "Violence against civilians", "Attack", gunmen, villager)]) == [
        ("Violence against civilians", "Attack")
    ]


def test_casualties_by_an_unnamed_doer_are_the_named_incidents() -> None:
    supporters = _actor("supporters of the candidate", "civilians", 5)
    unknown = _actor("unidentified attackers", "militia", 3, named=False)
    people = _actor("six people", "civilians", 7)
    clash = _event(0, "Violence against civilians", "Attack", supporters, people, place="Bogra")
    hurt = _event(50, "Violence against civilians", "Attack", unknown, people, confidence=0.9)
    elsewhere = _event(90, "Violence against civilians", "Attack", unknown, people, place="Dhaka")
    out = TYPER.types_of([clash, hurt, elsewhere])
    assert [(e.event_type, e.sub_event_type) for e in out] == [
        ("Riots", "Mob violence"),
        ("Riots", "Mob violence"),  # "six people were injured in the clash": the clash's
        ("Violence against civilians", "Attack"),  # placed elsewhere: another incident
    ]
    assert out[1].actor1 is not None and out[1].actor1.name == "supporters of the candidate"


def test_non_factual_events_are_left_alone() -> None:
    students = _actor("students", "civilians", 4)
    event = _event(0, "Battles", "Armed clash", students, None, factual=False)
    assert TYPER.types_of([event]) == [event]


def test_the_sides_file_is_checked(tmp_path: Path) -> None:
    path = tmp_path / "acled_sides.yaml"
    path.write_text("battles: Battles\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="missing required key"):
        load_side_rules(path)


def test_the_extractor_types_workers_clashing_with_police_as_a_riot(
    extract: Callable[..., Extraction],
) -> None:
    text = (
        "On 9 March, garment workers clashed with police in Gazipur during a demonstration "
        "demanding unpaid wages."
    )
    factual = [e for e in extract(text).events if e.factual and e.event_type]
    assert factual and {e.event_type for e in factual} == {"Riots"}


def test_who_was_seen_patrolling_patrols(extract: Callable[..., Extraction]) -> None:
    text = "On 3 July, Al Shabaab were seen patrolling the roads near Mareerey town."
    factual = [e for e in extract(text).events if e.factual]
    assert [(e.trigger.text, e.event_type) for e in factual] == [
        ("patrolling", "Strategic developments")
    ]
    assert factual[0].actor1 is not None and "Shabaab" in factual[0].actor1.name


def test_an_unclassed_acronym_in_a_fight_is_armed_a_word_is_not() -> None:
    acronym = _actor("KRM", "organization", None)
    army = _actor("the army", "state_military", 1)
    out = TYPER.types_of([_event(0, "Battles", "Armed clash", acronym, army)])
    assert out[0].event_type == "Battles"
    assert out[0].actor1 is not None and out[0].actor1.acled_class == 3
    youths = _actor("the youth wing", "organization", None)
    out = TYPER.types_of([_event(0, "Battles", "Armed clash", youths, army)])
    assert out[0].actor1 is not None and out[0].actor1.acled_class != 3


def test_an_armed_doer_against_civilians_fights_no_battle() -> None:
    police = _actor("police", "police", 1)
    journalist = _actor("a journalist", "media", 7)
    out = TYPER.types_of([_event(0, "Battles", "Armed clash", police, journalist)])
    assert [(e.event_type, e.sub_event_type) for e in out] == [
        ("Violence against civilians", "Attack")
    ]
    # an armed target keeps the battle
    rebels = _actor("rebels", "rebels", 2)
    assert _types([_event(0, "Battles", "Armed clash", police, rebels)]) == [
        ("Battles", "Armed clash")
    ]


def test_against_civilians_names_acled_class_numbers(tmp_path: Path) -> None:
    text = (Path(__file__).parents[3] / "pipeline/extract/data/acled_sides.yaml").read_text()
    bad = text.replace("target_classes: [7]", "target_classes: [civilians]")
    path = tmp_path / "acled_sides.yaml"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(ConfigError, match="target_classes"):
        load_side_rules(path)
