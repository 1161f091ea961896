"""Role words typed by context: suicide bombers are attackers, aircraft are the air force."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pipeline.extract import Extraction

pytestmark = pytest.mark.model

Extract = Callable[..., Extraction]


def _actor1_type(x: Extraction) -> str | None:
    event = next(e for e in x.events if e.factual)
    return event.actor1.type if event.actor1 else None


def test_suicide_bombers_are_attackers_and_bombers_planes(extract: Extract) -> None:
    x = extract("Two female suicide bombers blew themselves up at a market in Maiduguri.")
    assert _actor1_type(x) == "militia"
    x = extract("Russian bombers struck rebel positions near Idlib.")
    assert _actor1_type(x) == "state_military"


def test_civilians_who_set_off_bombs_are_attackers(extract: Extract) -> None:
    x = extract("Two young women detonated explosives at a market in Maiduguri on Sunday.")
    event = next(e for e in x.events if e.factual)
    assert event.event_type == "Explosions/Remote violence"
    assert event.actor1 is not None and event.actor1.type == "militia"
    assert event.actor1.cameo is not None and event.actor1.cameo.endswith("UAF")
