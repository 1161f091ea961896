"""Which state a poller resumes a feed with when its lease is handed (back) to it.

The saved state (the last record on ``feed-state``) is normally the newest: the previous
holder of the lease wrote it. But a poller that keeps its lease through a rejoin (the broker
restarted) may hold a newer state than the saved one, when its last saves were refused or lost
by the broker; resuming from the saved one would forget the entries published since, and
publish them again. Seen ids are never forgotten: every id in either list was published.
"""

from __future__ import annotations

from collections.abc import Sequence

from schemas import FeedState


def resume_state(
    held: FeedState | None, held_ids: Sequence[str], saved: FeedState, limit: int
) -> FeedState:
    """The later of ``held`` (this poller's, seen ids ``held_ids``) and ``saved`` by last
    attempt, with the seen ids of both (at most ``limit``, newest kept)."""
    newer_held = (
        held is not None
        and held.last_attempt is not None
        and (saved.last_attempt is None or held.last_attempt > saved.last_attempt)
    )
    base = held if newer_held and held is not None else saved
    base_ids = list(held_ids) if base is held else list(saved.recent_ids)
    other_ids = list(saved.recent_ids) if base is held else list(held_ids)
    known = set(base_ids)
    # The other list's extra ids are the older ones: they go first, so a cut keeps the newest.
    ids = [i for i in other_ids if i not in known] + base_ids
    return base.derive(recent_ids=ids[-limit:] if limit > 0 else [])
