"""Readiness checks: every check must pass; one that raises counts as not ready."""

from __future__ import annotations

from agents.health import Health


def test_ready_only_when_every_check_passes() -> None:
    health = Health()
    assert health.status() == (True, {})
    state = {"up": False}
    health.add("pool", lambda: state["up"])
    health.add("partitions", lambda: True)
    assert health.status() == (False, {"pool": False, "partitions": True})
    state["up"] = True
    assert health.status() == (True, {"pool": True, "partitions": True})


def test_a_check_that_raises_is_not_ready() -> None:
    health = Health()

    def broken() -> bool:
        raise RuntimeError("consumer not started")

    health.add("partitions", broken)
    assert health.status() == (False, {"partitions": False})
