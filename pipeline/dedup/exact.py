"""Exact dedup by article id, safe under redelivery.

The first sighting of an id records *where* it was read (partition and offset). Seeing the
same id again at that same position is a redelivery after a crash, not a copy, so the
article is passed on again and downstream keys make the repeat harmless.
"""

from __future__ import annotations

from enum import Enum
from typing import Any


class Verdict(Enum):
    """What to do with an article after the exact check."""

    NEW = "new"
    REDELIVERED = "redelivered"
    DUPLICATE = "duplicate"


def position(partition: int, offset: int) -> str:
    """The table's record of where an article was first read."""
    return f"{partition}:{offset}"


def exact_verdict(seen: dict[str, Any] | None, here: str) -> Verdict:
    """Verdict for an article given its table entry (None if never seen) and its position."""
    if seen is None:
        return Verdict.NEW
    if seen.get("position") == here:
        return Verdict.REDELIVERED
    return Verdict.DUPLICATE
