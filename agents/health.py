"""Readiness of a worker: named checks that each stage registers, answered by ``/ready``.

``/health`` says the process is alive; ``/ready`` says it does its share of the work: it has
partitions, its tables are recovered, and its spaCy processes have loaded the model.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import faust


class Health:
    """Readiness checks by name; every one must pass for the worker to be ready."""

    def __init__(self) -> None:
        self._checks: dict[str, Callable[[], bool]] = {}

    def add(self, name: str, check: Callable[[], bool]) -> None:
        """Register a check (a cheap, non-blocking callable)."""
        self._checks[name] = check

    def status(self) -> tuple[bool, dict[str, bool]]:
        """(ready, result of each check); a check that raises counts as failed."""
        results = {}
        for name, check in self._checks.items():
            try:
                results[name] = bool(check())
            except Exception:
                results[name] = False
        return all(results.values()), results


def partitions_assigned(app: faust.App) -> bool:
    """The worker holds at least one active partition of the group's topics."""
    return bool(app.assignor.assigned_actives()) and not app.rebalancing


def tables_recovered(app: faust.App) -> bool:
    """Table recovery from changelogs has finished since the last rebalance."""
    tables: Any = app.tables  # the manager's type stub omits its recovery service
    recovery = tables.recovery
    return bool(recovery.completed.is_set()) and not app.in_recovery and not app.rebalancing
