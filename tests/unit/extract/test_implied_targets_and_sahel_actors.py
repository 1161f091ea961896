"""The target an event's type implies where the text names none (actor_types.yaml
``implied_targets``, ``victim_classes``), and the named groups and roles of Mali, Tanzania and
Zimbabwe with their ACLED classes (actors.yaml)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pipeline.errors import ConfigError
from pipeline.extract import Extraction
from pipeline.extract.actor_types import actor_types, load_actor_types
from pipeline.extract.datafiles import DATA_DIR
from pipeline.extract.implied_targets import implied_rule, with_implied_targets
from schemas import Actor, Event
from tests.unit.extract.factory import event

Extract = Callable[..., Extraction]

STATE, REBELS, POLITICAL_MILITIA, IDENTITY_MILITIA = 1, 2, 3, 4
RIOTERS, PROTESTERS, CIVILIANS, EXTERNAL = 5, 6, 7, 8


def _actor(name: str, kind: str, acled_class: int | None) -> Actor:
    return Actor(name=name, normalized=name, type=kind, confidence=0.7, acled_class=acled_class)


def _by_role(event: Event, label: str) -> Actor:
    kinds = {"civilians": ("civilians", 7), "protesters": ("protesters", 6)}
    kind, acled_class = kinds.get(label, ("militia", 4))
    return _actor(label, kind, acled_class)


def _acts(x: Extraction) -> list[Event]:
    return [e for e in x.events if e.factual and e.event_type and e.actor1 is not None]


def _on(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 12, tzinfo=UTC)


def test_violence_against_civilians_with_no_target_is_done_to_civilians() -> None:
    gunmen = _actor("gunmen", "militia", POLITICAL_MILITIA)
    attack = event(0, "Violence against civilians", "Attack", gunmen)
    [out] = with_implied_targets([attack], actor_types(), _by_role)
    assert out.actor2 is not None and out.actor2.acled_class == CIVILIANS
    # a named target and an act that did not happen keep theirs
    named = event(
        5, "Violence against civilians", "Attack", gunmen, _actor("a man", "civilians", 7)
    )
    planned = event(9, "Violence against civilians", "Attack", gunmen, factual=False)
    out_named, out_planned = with_implied_targets([named, planned], actor_types(), _by_role)
    assert out_named.actor2 is not None and out_named.actor2.name == "a man"
    assert out_planned.actor2 is None


def test_a_target_is_implied_only_for_the_classes_listed() -> None:
    rules = actor_types().implied_targets
    police = _actor("police", "police", STATE)
    crowd = _actor("protesters", "protesters", PROTESTERS)
    assert implied_rule(event(0, "Protests", "Peaceful protest", police), rules) is not None
    # the protesters' own protest has no target the type implies
    assert implied_rule(event(0, "Protests", "Peaceful protest", crowd), rules) is None
    # an unidentified armed group's battle is fought as often with a militia as with the state
    gunmen = _actor("gunmen", "militia", POLITICAL_MILITIA)
    assert implied_rule(event(0, "Battles", "Armed clash", gunmen), rules) is None
    clan = _actor("clan militia", "militia", IDENTITY_MILITIA)
    rule = implied_rule(event(0, "Battles", "Armed clash", clan), rules)
    assert rule is not None and rule.role == "communal militia"


def test_a_protester_harmed_in_violence_against_civilians_is_a_civilian() -> None:
    gunmen = _actor("gunmen", "militia", POLITICAL_MILITIA)
    activist = _actor("an activist", "protesters", PROTESTERS)
    [out] = with_implied_targets(
        [event(0, "Violence against civilians", "Attack", gunmen, activist)],
        actor_types(),
        _by_role,
    )
    assert out.actor2 is not None and out.actor2.acled_class == CIVILIANS
    # in a riot the same crowd stays what it is
    [riot] = with_implied_targets(
        [event(0, "Riots", "Mob violence", gunmen, activist)], actor_types(), _by_role
    )
    assert riot.actor2 is not None and riot.actor2.acled_class == PROTESTERS


def test_implied_targets_with_a_bad_class_are_refused(tmp_path: Path) -> None:
    text = (DATA_DIR / "actor_types.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "actor_types.yaml"
    bad.write_text(
        text.replace("actor1_classes: [4], role: communal", "actor1_classes: [9], role: communal"),
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match="implied_targets"):
        load_actor_types(bad)
    bad.write_text(
        text.replace("{class: 7, from: [2, 3, 4, 5, 6]}", "{class: 7}"), encoding="utf-8"
    )
    with pytest.raises(ConfigError, match="victim_classes"):
        load_actor_types(bad)


def test_the_extractor_gives_an_unnamed_victim_the_events_country(extract: Extract) -> None:
    x = extract(
        "Unknown gunmen abducted and beat residents of Goromonzi, Zimbabwe, on Tuesday night.",
        published=_on(2019, 3, 6),
    )
    acts = [e for e in _acts(x) if e.event_type == "Violence against civilians"]
    assert acts and all(e.actor2 is not None for e in acts)
    police = extract(
        "Police fired tear gas in Harare, Zimbabwe, on Monday.", published=_on(2019, 1, 15)
    )
    demo = [e for e in _acts(police) if e.event_type in ("Protests", "Riots")]
    for e in demo:
        assert e.actor2 is not None and e.actor2.acled_class in (RIOTERS, PROTESTERS)
        assert e.actor2.span is None  # no words name them


def test_sahel_groups_take_acleds_classes(extract: Extract) -> None:
    dozo = _acts(extract("Dozo militiamen burned a hamlet near Djenne, Mali, killing four."))[0]
    assert dozo.actor1 is not None and dozo.actor1.acled_class == IDENTITY_MILITIA
    french = _acts(extract("Barkhane forces killed six MUJAO fighters near Gao, Mali."))[0]
    assert french.actor1 is not None and french.actor1.acled_class == EXTERNAL
    assert french.actor2 is not None and french.actor2.acled_class == REBELS
    gatia = _acts(extract("GATIA fighters ambushed a CMA convoy near Anefis, Mali."))[0]
    assert gatia.actor1 is not None and gatia.actor1.acled_class == POLITICAL_MILITIA
    assert gatia.actor2 is not None and gatia.actor2.acled_class == REBELS


def test_war_veterans_and_tanzanian_parties_by_what_they_do(extract: Extract) -> None:
    march = _acts(
        extract(
            "War veterans protested outside the party headquarters in Harare, Zimbabwe.",
            published=_on(2016, 7, 23),
        )
    )[0]
    assert march.actor1 is not None and march.actor1.acled_class == PROTESTERS
    raid = _acts(
        extract(
            "War veterans beat a farm worker and burned his hut in Marondera, Zimbabwe.",
            published=_on(2002, 3, 2),
        )
    )[0]
    assert raid.actor1 is not None and raid.actor1.acled_class in (POLITICAL_MILITIA, RIOTERS)
    rally = _acts(
        extract(
            "CHADEMA supporters demonstrated peacefully in Arusha, Tanzania.",
            published=_on(2015, 9, 2),
        )
    )[0]
    assert rally.actor1 is not None and rally.actor1.acled_class == PROTESTERS


def test_a_headlines_passive_subject_is_the_victim(extract: Extract) -> None:
    ambush = _acts(extract("Three gendarmes killed in an ambush near Tominian, Mali."))
    assert ambush
    first = ambush[0]
    assert first.actor1 is not None and first.actor1.acled_class == POLITICAL_MILITIA
    assert first.actor2 is not None and first.actor2.acled_class == STATE
    # the armed group its sentence names did it
    named = _acts(extract("Two soldiers wounded in an attack claimed by MUJAO near Gao, Mali."))
    assert named and named[0].actor1 is not None and named[0].actor1.normalized == "MUJAO"
    # an act with its object told is the subject's own
    active = _acts(extract("Militants killed and wounded six policemen near Gao, Mali."))
    assert active and active[0].actor1 is not None
    assert active[0].actor1.acled_class != STATE


def test_an_unnamed_group_called_by_its_creed_is_a_political_militia(extract: Extract) -> None:
    creed = _acts(extract("Suspected Islamist militants abducted a teacher near Douentza, Mali."))
    assert creed and creed[0].actor1 is not None
    assert creed[0].actor1.acled_class == POLITICAL_MILITIA
    named = _acts(extract("JNIM militants abducted a teacher near Douentza, Mali."))
    assert named and named[0].actor1 is not None and named[0].actor1.acled_class == REBELS
    # India's Maoist rebels are a rebel group
    maoist = _acts(extract("Maoist rebels attacked a police post in Dantewada, India."))
    assert maoist and maoist[0].actor1 is not None and maoist[0].actor1.acled_class == REBELS
    # "Islamist rebels" are the rebellion ACLED names
    rebels = _acts(extract("French troops clashed with Islamist rebels near Gao, Mali."))
    assert rebels and rebels[0].actor2 is not None and rebels[0].actor2.acled_class == REBELS
