"""The actor-type table (data/actor_types.yaml): one definition of state types and ACLED classes."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.errors import ConfigError
from pipeline.extract.actor_types import actor_types, load_actor_types
from pipeline.extract.actors import DOMESTIC_TYPES, STATE_TYPES
from pipeline.extract.datafiles import DATA_DIR
from pipeline.extract.lexicon import load_code_table
from pipeline.link import compare


def test_state_types_have_one_definition() -> None:
    table = actor_types()
    assert table.state == STATE_TYPES
    assert table.domestic == DOMESTIC_TYPES
    assert table.state == compare._STATE_TYPES
    assert {"state_military", "police", "government", "country"} <= table.state
    assert not {"rebels", "militia", "civilians", "protesters"} & table.state
    assert "state_types" not in load_code_table().__dataclass_fields__


def test_every_state_type_is_state_forces() -> None:
    table = actor_types()
    assert {table.acled[t] for t in table.state} == {table.state_class}


def test_class_by_type() -> None:
    table = actor_types()
    assert table.acled_class("rebels", "SOM", "KEN", "Battles") == 2
    assert table.acled_class("militia", None, "KEN", "Battles") == 3
    assert table.acled_class("civilians", "KEN", "KEN", "Violence against civilians") == 7
    assert table.acled_class("person", None, "KEN", "Battles") is None
    assert table.acled_class(None) is None


def test_foreign_state_forces_are_external() -> None:
    table = actor_types()
    assert table.acled_class("state_military", "TUR", "SYR", "Battles") == 8
    assert table.acled_class("state_military", "SYR", "SYR", "Battles") == 1
    assert table.acled_class("police", None, "SYR", "Battles") == 1


def test_the_role_class_wins_over_the_type() -> None:
    table = actor_types()
    assert table.acled_class("militia", "KEN", "KEN", "Battles", role_class=4) == 4
    assert table.acled_class("state_military", None, "SYR", "Battles", role_class=8) == 8


def test_the_agent_of_a_demonstration_is_a_demonstrator() -> None:
    table = actor_types()
    assert table.acled_class("civilians", "KEN", "KEN", "Protests", agent=True) == 6
    assert table.acled_class("civilians", "KEN", "KEN", "Riots", agent=True) == 5
    assert table.acled_class("person", None, "KEN", "Protests", agent=True) == 6
    # the target of a protest stays what it is; state forces are never demonstrators
    assert table.acled_class("civilians", "KEN", "KEN", "Protests", agent=False) == 7
    assert table.acled_class("police", "KEN", "KEN", "Protests", agent=True) == 1
    # protesters of a riot are rioters whichever side they are on
    assert table.acled_class("protesters", "KEN", "KEN", "Riots", agent=False) == 5


def test_civilians_who_fight_are_a_mob() -> None:
    table = actor_types()
    assert table.acled_class("civilians", "LBN", "LBN", "Battles", agent=True) == 5
    assert table.acled_class("civilians", "LBN", "LBN", "Battles", agent=False) == 7
    assert (
        table.acled_class("civilians", "KEN", "KEN", "Violence against civilians", agent=True) == 5
    )


def test_a_community_that_fights_is_an_identity_militia() -> None:
    table = actor_types()
    for event_type in ("Battles", "Violence against civilians"):
        assert (
            table.acled_class("civilians", "BEN", "BEN", event_type, agent=True, agent_class=4) == 4
        )
    # farmers who demonstrate are protesters, and a victim stays a civilian
    assert table.acled_class("civilians", "BEN", "BEN", "Protests", agent=True, agent_class=4) == 6
    assert table.acled_class("civilians", "BEN", "BEN", "Battles", agent=False, agent_class=4) == 7


def test_demonstrators_in_a_clash_are_rioters_on_either_side() -> None:
    table = actor_types()
    assert table.acled_class("opposition", "BGD", "BGD", "Battles", agent=True) == 5
    assert table.acled_class("protesters", "BGD", "BGD", "Battles", agent=False) == 5
    # a party named with a class of its own (not the state's) is a crowd too
    assert table.acled_class("government", "BGD", "BGD", "Battles", role_class=6, agent=True) == 5
    assert table.acled_class("government", "BGD", "BGD", "Protests", role_class=6) == 6


def test_a_bad_class_is_named(tmp_path: Path) -> None:
    text = (DATA_DIR / "actor_types.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "actor_types.yaml"
    bad.write_text(text.replace("rebels: {acled: 2", "rebels: {acled: 9"), encoding="utf-8")
    with pytest.raises(ConfigError, match="rebels"):
        load_actor_types(bad)


def test_civilians_who_bomb_are_an_unidentified_armed_group() -> None:
    table = actor_types()
    assert (
        table.acled_class("civilians", "KEN", "KEN", "Explosions/Remote violence", agent=True) == 3
    )
