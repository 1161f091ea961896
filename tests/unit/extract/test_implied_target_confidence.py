"""The confidence an implied target carries: its rule's rate of being right (``confidence`` of
actor_types.yaml ``implied_targets``), not the calibrated raw confidence of an unnamed actor."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.errors import ConfigError
from pipeline.extract.actor_types import actor_types, load_actor_types
from pipeline.extract.datafiles import DATA_DIR
from pipeline.extract.implied_targets import with_implied_targets
from schemas import Actor, Event
from tests.unit.extract.factory import event


def _actor(name: str, kind: str, acled_class: int | None) -> Actor:
    return Actor(name=name, normalized=name, type=kind, confidence=0.1, acled_class=acled_class)


def _built(event: Event, label: str) -> Actor:
    return _actor(label, "civilians" if label == "civilians" else "state_military", 7)


def test_an_implied_target_carries_its_rules_confidence() -> None:
    rules = {(r.event_type, r.role): r.confidence for r in actor_types().implied_targets}
    gunmen = _actor("gunmen", "militia", 3)
    rebels = _actor("rebels", "rebels", 2)
    attack = event(0, "Violence against civilians", "Attack", gunmen)
    battle = event(5, "Battles", "Armed clash", rebels)
    out_attack, out_battle = with_implied_targets([attack, battle], actor_types(), _built)
    assert out_attack.actor2 is not None and out_battle.actor2 is not None
    assert out_attack.actor2.confidence == rules[("Violence against civilians", "civilians")]
    assert out_battle.actor2.confidence == rules[("Battles", "army")]
    # a civilian victim is likelier right than the army a rebel group is guessed to fight
    assert out_attack.actor2.confidence > out_battle.actor2.confidence


def test_a_confidence_out_of_range_is_refused(tmp_path: Path) -> None:
    text = (DATA_DIR / "actor_types.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "actor_types.yaml"
    bad.write_text(
        text.replace("role: civilians, confidence: 0.8", "role: civilians, confidence: 1.8"),
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match="confidence"):
        load_actor_types(bad)
