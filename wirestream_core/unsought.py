"""Stream records fetched between an assignment and its seek: dropped before the agents see them.

At an assignment Faust (faust-streaming 0.15.3) makes every assigned partition active, pauses
them for table recovery, resumes the stream partitions and only then seeks them to their
committed offsets (``install_held_seek`` holds them back for the seek itself). aiokafka fetches
from the committed offsets as soon as a partition is assigned, so records of a stream partition
can reach Faust's drain loop before that seek: the agents process them, and the seek then reads
the same records again from the committed offset, so they are processed twice. Under
at_least_once that is an identical upsert; under exactly_once both runs' records are committed
and a ``read_committed`` subscriber sees them twice (issue 19: 6 articles' records repeated in
one three-kill drill in eleven, from a restarted worker).

Here a stream partition's records pass only once the partition has been sought since its
assignment: ``Consumer._getmany`` drops the others (the seek reads them again, so none is lost),
``Consumer.on_partitions_assigned`` and ``on_partitions_revoked`` forget the partitions they name,
and ``seek_with_streams_held`` (``kafka_compat``) marks every stream partition sought once the
seek has run, before it resumes them — a seek with Faust's flow stopped excepted (the drain
loop's own seek during a rebalance, which may come before the assignment's). Changelog
partitions are read by Faust's table recovery, which seeks them itself: they always pass.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable, Mapping
from typing import Any

log = logging.getLogger(__name__)


class SoughtPartitions:
    """The stream partitions of one consumer sought since their assignment, and what was
    dropped for the others."""

    def __init__(self) -> None:
        self.sought: set[Any] = set()
        self.dropped: dict[Any, int] = {}

    def forget(self, tps: Iterable[Any]) -> None:
        """Partitions assigned or revoked: their next records wait for a seek."""
        self.sought.difference_update(tps)

    def mark_sought(self, tps: Iterable[Any]) -> dict[Any, int]:
        """``tps`` were sought: their records pass from now on. Returns the records dropped
        for them before (per partition), which the seek reads again."""
        tps = set(tps)
        self.sought |= tps
        return {tp: self.dropped.pop(tp) for tp in tps if tp in self.dropped}

    def filter(self, records: Mapping[Any, Any], is_changelog: Any) -> dict[Any, Any]:
        """``records`` (partition -> records) without those of stream partitions not sought."""
        kept: dict[Any, Any] = {}
        for tp, batch in records.items():
            if tp in self.sought or is_changelog(tp):
                kept[tp] = batch
            else:
                self.dropped[tp] = self.dropped.get(tp, 0) + len(batch)
        return kept


def sought_partitions(consumer: Any) -> SoughtPartitions:
    """The ``SoughtPartitions`` of a Faust consumer (made on first use)."""
    state: SoughtPartitions | None = consumer.__dict__.get("_wirestream_sought")
    if state is None:
        state = consumer.__dict__["_wirestream_sought"] = SoughtPartitions()
    return state


def install_unsought_drop() -> None:
    """Patch Faust's consumer as the module docstring says (once per process)."""
    from faust.transport.consumer import Consumer, ThreadDelegateConsumer

    if getattr(ThreadDelegateConsumer._getmany, "_wirestream", False):
        return
    getmany = ThreadDelegateConsumer._getmany
    assigned = Consumer.on_partitions_assigned
    revoked = Consumer.on_partitions_revoked

    @functools.wraps(getmany)
    async def _getmany(self: Any, active_partitions: Any, timeout: float) -> Any:
        records = await getmany(self, active_partitions, timeout)
        if not records:
            return records
        return sought_partitions(self).filter(records, self._is_changelog_tp)

    @functools.wraps(assigned)
    async def on_partitions_assigned(self: Any, tps: Any, generation_id: int = 0) -> None:
        sought_partitions(self).forget(tps)
        await assigned(self, tps, generation_id)

    @functools.wraps(revoked)
    async def on_partitions_revoked(self: Any, tps: Any) -> None:
        sought_partitions(self).forget(tps)
        await revoked(self, tps)

    _getmany._wirestream = True  # type: ignore[attr-defined]
    ThreadDelegateConsumer._getmany = _getmany  # type: ignore[method-assign]
    Consumer.on_partitions_assigned = on_partitions_assigned  # type: ignore[method-assign]
    Consumer.on_partitions_revoked = on_partitions_revoked  # type: ignore[method-assign]
