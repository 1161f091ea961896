"""A long-poll stand-in for brokers that answer empty fetches at once.

A Kafka broker holds a fetch that finds no data for up to ``fetch.max.wait.ms`` before it
answers, so an idle consumer costs nothing. The embedded broker (noida-db 0.2.3) answers at
once: every idle aiokafka consumer — each Faust worker, the poller's state reader, ``tail`` —
then spins a whole core on empty fetches (measured: 0.90 CPU for one idle consumer), which on
a 2-core machine halves the throughput left for spaCy.

``install_fetch_backoff`` makes aiokafka wait a little after a fetch that returned no data
and came back faster than a real broker's long-poll would. On a real broker a fetch with no
data already took the broker's wait, so nothing changes there; with the embedded broker the
price is at most ``seconds`` of extra latency for the first message after a quiet spell.

``install_truncation_guard`` resumes a partition at its end when the broker lost records
below an offset already committed (see ``seek_past_truncation``) and reads a stream partition
nobody has committed from its beginning (records Faust dropped at a rebalance), and
``install_empty_assignment_rejoin`` keeps aiokafka's group coordination alive when the broker
hands a member an empty assignment; ``install_held_seek`` keeps Faust from handing records of a
stream partition to the agents while it seeks the partition to its committed offset.
``install_stale_abort_guard`` drops from read_committed fetch responses the aborted transactions
the embedded broker lists although the fetch has passed them (``stale_aborts``).
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Any

from aiokafka.consumer.fetcher import Fetcher
from aiokafka.errors import KafkaError

from wirestream_core.stale_aborts import batch_heads, settle_listing
from wirestream_core.unsought import sought_partitions

log = logging.getLogger(__name__)

_installed: list[float] = []


def install_fetch_backoff(seconds: float) -> None:
    """Patch aiokafka's fetcher once per process (later calls only change the delay)."""
    if _installed:
        _installed[0] = seconds
        return
    _installed.append(seconds)
    original = Fetcher._proc_fetch_request

    @functools.wraps(original)
    async def proc_fetch_request(self: Any, assignment: Any, node_id: Any, request: Any) -> Any:
        started = time.monotonic()
        has_new_data = await original(self, assignment, node_id, request)
        delay = _installed[0] - (time.monotonic() - started)
        if not has_new_data and delay > 0:
            try:
                await asyncio.sleep(delay)
            except asyncio.CancelledError:
                # Like the original: a fetch cancelled by close() or a rebalance just ends.
                return False
        return has_new_data

    Fetcher._proc_fetch_request = proc_fetch_request


def install_source_partition_transactions() -> None:
    """Under exactly_once, put every record in the transaction of the event that caused it.

    faust-streaming picks a send's transactional producer from the *destination* topic and
    partition, but commits each producer together with the offsets of the *source*
    partition of the same number and topic group. That only lines up when every output goes
    to a co-partitioned topic of the same group. Our topology fans in (N raw partitions ->
    1 dedup partition) and out again, so records of a transaction that is never committed
    would sit invisible to read_committed consumers forever. As in Kafka Streams, the
    transaction here is that of the source partition being processed (the current event);
    sends outside any event keep Faust's choice.
    """
    from faust.streams import current_event
    from faust.transport.consumer import TransactionManager

    if getattr(TransactionManager.send, "_wirestream", False):
        return

    async def send(
        self: Any,
        topic: str,
        key: bytes | None,
        value: bytes | None,
        partition: int | None,
        timestamp: float | None,
        headers: Any,
        *,
        transactional_id: str | None = None,
    ) -> Any:
        p = self.consumer.key_partition(topic, key, partition)
        event = current_event()
        if event is not None:
            source = event.message.tp
            group = self.app.assignor.group_for_topic(source.topic)
            transactional_id = f"{self.app.conf.id}-{group}-{source.partition}"
        elif p is not None:
            group = self.app.assignor.group_for_topic(topic)
            transactional_id = f"{self.app.conf.id}-{group}-{p}"
        return await self.producer.send(
            topic, key, value, p, timestamp, headers, transactional_id=transactional_id
        )

    send._wirestream = True  # type: ignore[attr-defined]
    TransactionManager.send = send  # type: ignore[method-assign]


async def seek_past_truncation(
    consumer: Any, *, rewind: Callable[[Any], bool] = lambda tp: True
) -> dict[Any, int | None]:
    """Seek an aiokafka consumer to its committed offsets, or to a partition's end when the
    committed offset lies past it; returns the offsets sought, as ``seek_to_committed`` does.

    Partitions ``rewind`` accepts that have no committed offset (or 0) are sought to their
    beginning: aiokafka's ``seek_to_committed`` leaves them where its fetcher stands, which
    can be past records Faust fetched and dropped (see ``install_truncation_guard``).

    The embedded broker acknowledges writes before they reach its disk, so after a SIGKILL
    and restart a partition can end below an offset a consumer already committed. aiokafka
    would then reset an out-of-range fetch to the earliest offset, and Faust, whose read
    offset stays at the committed one, silently drops every record below it, including new
    ones written after the restart at the lost offsets. Kafka clients with truncation
    detection (KIP-320) resume at the point the log diverged; the end found here is that
    point, so records written there from now on are read.
    """
    committed: dict[Any, int | None] = await consumer.seek_to_committed()
    unread = [tp for tp, offset in committed.items() if not offset and rewind(tp)]
    if unread:
        # The beginning, not the reset policy's answer: that is what "earliest" means, and the
        # only position from which nothing dropped before this seek can be missed.
        log.info(
            "no committed offset (or 0): reading from the beginning %s", sorted(map(str, unread))
        )
        await consumer.seek_to_beginning(*unread)
    ahead = [tp for tp, offset in committed.items() if offset]
    if not ahead:
        return committed
    try:
        ends = await consumer.end_offsets(ahead)
    except KafkaError as exc:
        # No worse than before the guard: aiokafka's reset policy handles an out-of-range fetch.
        log.warning("end offsets unavailable, committed offsets not checked: %r", exc)
        return committed
    for tp in ahead:
        end, offset = ends.get(tp), committed[tp]
        if end is not None and offset is not None and offset > end:
            log.warning(
                "committed offset %d of %s is past the partition's end %d (records the broker "
                "lost); resuming at the end",
                offset,
                tp,
                end,
            )
            consumer.seek(tp, end)
            committed[tp] = end
    return committed


def install_truncation_guard() -> None:
    """Make Faust's seeks to committed offsets go through ``seek_past_truncation``.

    Faust (faust-streaming 0.15.3) silently drops records its fetcher returns for a partition
    paused since the fetch was asked (it pauses every partition at an assignment, during table
    recovery and whenever its flow stops) and counts on the next seek to committed offsets to
    read them again. aiokafka seeks only partitions with a committed offset above 0, so on a
    partition nobody had committed yet the dropped records were never read: seen as a
    worker that took over a killed worker's partitions and skipped their first records.
    Stream partitions without a committed offset are therefore read again from the
    beginning (what ``auto_offset_reset="earliest"``, the app's setting, asks for); changelog
    partitions are left to Faust's recovery, which seeks them itself.
    """
    from faust.transport.drivers.aiokafka import AIOKafkaConsumerThread

    if getattr(AIOKafkaConsumerThread.seek_to_committed, "_wirestream", False):
        return

    async def seek_to_committed(self: Any) -> Any:
        consumer = self.consumer
        earliest = self.app.conf.consumer_auto_offset_reset == "earliest"

        def rewind(tp: Any) -> bool:
            return earliest and not consumer._is_changelog_tp(tp)

        # Runs in the consumer's own thread and loop, like Faust's original.
        return await self.call_thread(seek_past_truncation, self._ensure_consumer(), rewind=rewind)

    seek_to_committed._wirestream = True  # type: ignore[attr-defined]
    AIOKafkaConsumerThread.seek_to_committed = seek_to_committed  # type: ignore[method-assign]


class LivePartitions:
    """Faust's live set of active partitions as aiokafka's ``fetched_records`` sees it: never
    empty to a truth test, so an empty set means no partition, not every partition."""

    __slots__ = ("_tps",)

    def __init__(self, tps: Any) -> None:
        self._tps = tps

    def __bool__(self) -> bool:
        return True

    def __contains__(self, tp: object) -> bool:
        return tp in self._tps


def install_live_partition_view() -> None:
    """Keep aiokafka from handing Faust records of partitions Faust has paused.

    Faust (faust-streaming 0.15.3) asks aiokafka's ``Fetcher.fetched_records(partitions)``
    for the records of its active partitions, passing its live set, which it changes while
    the call waits (pauses at an assignment, during table recovery and around a seek).
    aiokafka tests ``if partitions and tp not in partitions``: when every partition has been
    paused meanwhile, the empty set reads as "all partitions", so it hands over the records
    of paused partitions and moves their positions past them, and Faust drops them (they are
    not active). Found as a restarted worker whose stream partitions were read to their end
    while held back and never processed (issue 19).
    """
    from faust.transport.drivers.aiokafka import AIOKafkaConsumerThread

    if getattr(AIOKafkaConsumerThread._fetch_records, "_wirestream", False):
        return
    original = AIOKafkaConsumerThread._fetch_records

    @functools.wraps(original)
    async def _fetch_records(
        self: Any, consumer: Any, active_partitions: Any, *args: Any, **kwargs: Any
    ) -> Any:
        view: Any = None if active_partitions is None else LivePartitions(active_partitions)
        return await original(self, consumer, view, *args, **kwargs)

    _fetch_records._wirestream = True  # type: ignore[attr-defined]
    AIOKafkaConsumerThread._fetch_records = _fetch_records  # type: ignore[method-assign]


#: Seconds a hand-over of a record to the agents, under way when its partition was held back,
#: is given to end (it takes microseconds unless an agent's queue is full).
HAND_OVER_SETTLE = 0.05


async def seek_with_streams_held(consumer: Any, seek: Callable[[], Awaitable[None]]) -> None:
    """Run Faust's seek to committed offsets (``seek``) with the stream partitions held back.

    Faust (faust-streaming 0.15.3) resumes the stream partitions just before it seeks them
    at an assignment, and its drain loop keeps a read offset per partition, set as it hands
    each record to the agents and reset to the committed offset by the seek. Records fetched
    from the committed offset before the seek and handed over while it runs (its network
    round trips) set the read offset past the committed one again; the loop then drops every
    record below it, the ones read again from the committed offset included, and counts the
    jump as a gap that the next commit steps over. Seen as a restarted worker that never read
    the first records of its partitions and committed past them (issue 19: 59 unique
    articles never enriched; with DEVLOG=1, ``DROPPED MESSAGE ROFF`` for the committed offsets
    right after ``Worker ready``). Held back, no record of them is handed over during the
    seek; afterwards their read offsets are the committed ones and their old gaps forgotten
    (those past the committed offset are found again as they are read).
    """
    streams = {tp for tp in consumer.assignment() if not consumer._is_changelog_tp(tp)}
    held = streams - set(consumer._paused_partitions)
    consumer.pause_partitions(held)
    # Read offsets set before the seek: records handed to the agents before it.
    before = {tp: consumer._read_offset.get(tp) for tp in streams}
    try:
        await seek()
        sought = {tp: consumer._read_offset[tp] for tp in streams}
        # (A hand-over of just the record at the committed offset is not told apart from an
        # earlier seek there, which leaves the same read offset.)
        handed = {
            str(tp): (before[tp], sought[tp])
            for tp in streams
            if before[tp] is not None and (sought[tp] is None or before[tp] > sought[tp])
        }
        if handed:
            log.info("records handed over before the seek (read offset, committed): %s", handed)
        # A hand-over already under way when they were held (a put into an agent's queue)
        # ends within a few loop turns; its read offset must not outlive the seek.
        await asyncio.sleep(HAND_OVER_SETTLE)
        # The seek Faust's drain loop makes when its flow stopped (a revocation under way)
        # comes while events read before it are still in flight: their gaps (transaction
        # markers between them) are what lets a commit cover them (``settle_before_revoke``),
        # so they stay; Faust forgets them with the revoked partitions, and the assignment's
        # own seek, with the flow resumed, comes after it.
        flowing = getattr(consumer, "flow_active", True)
        for tp in streams:
            consumer._read_offset[tp] = sought[tp]
            if flowing:
                consumer._gap.pop(tp, None)
        # From here their records reach the agents (``unsought``): read from the offsets sought.
        dropped = sought_partitions(consumer).mark_sought(streams) if flowing else {}
        if dropped:
            log.info(
                "records fetched before the seek, dropped and read again: %s",
                {str(tp): n for tp, n in dropped.items()},
            )
    finally:
        consumer.resume_partitions(held)


def install_held_seek() -> None:
    """Make Faust's ``Consumer.perform_seek`` go through ``seek_with_streams_held``."""
    from faust.transport.consumer import Consumer

    if getattr(Consumer.perform_seek, "_wirestream", False):
        return
    original = Consumer.perform_seek

    @functools.wraps(original)
    async def perform_seek(self: Any) -> None:
        await seek_with_streams_held(self, lambda: original(self))

    perform_seek._wirestream = True  # type: ignore[attr-defined]
    Consumer.perform_seek = perform_seek  # type: ignore[method-assign]


def rejoin_on_empty_assignment(rebalance: Any, joined: Any) -> Any:
    """A join round's result, ``(protocol, assignment bytes)`` or None, with an empty
    assignment turned into None (a failed round) and a rejoin requested."""
    if joined is not None and not joined[1]:
        log.warning(
            "group %s: the broker sent an empty assignment (generation %s); joining again",
            rebalance.group_id,
            rebalance._coordinator.generation,
        )
        rebalance._coordinator.request_rejoin()
        return None
    return joined


def install_empty_assignment_rejoin() -> None:
    """Join the group again when SyncGroup hands this member an empty assignment.

    The embedded broker sometimes answers SyncGroup with zero bytes (seen when the group's
    members changed during a rebalance, e.g. a dead worker removed by agents/membership.py).
    aiokafka 0.14 decodes those bytes unchecked, and the ValueError ends its coordination
    task for good: the worker stays a live group member that never heartbeats, fetches or
    rebalances again, and the whole group stalls behind it. Treated here as a failed join:
    aiokafka backs off and rejoins, as it does after any other failed round.
    """
    from aiokafka.consumer.group_coordinator import CoordinatorGroupRebalance

    if getattr(CoordinatorGroupRebalance.perform_group_join, "_wirestream", False):
        return
    original = CoordinatorGroupRebalance.perform_group_join

    @functools.wraps(original)
    async def perform_group_join(self: Any) -> Any:
        return rejoin_on_empty_assignment(self, await original(self))

    perform_group_join._wirestream = True  # type: ignore[attr-defined]
    CoordinatorGroupRebalance.perform_group_join = perform_group_join


class _RawRecords:
    """aiokafka's records of one partition in a fetch response, with their bytes kept (its
    compiled ``MemoryRecords`` does not expose them) for ``install_stale_abort_guard``."""

    __slots__ = ("data", "records")

    def __init__(self, data: bytes, records: Any) -> None:
        self.data, self.records = data, records

    def has_next(self) -> bool:
        return bool(self.records.has_next())

    def next_batch(self) -> Any:
        return self.records.next_batch()

    def size_in_bytes(self) -> int:
        return int(self.records.size_in_bytes())


#: The fetcher whose response is being read (for its per-partition memory of stale entries).
_FETCHER: ContextVar[Any] = ContextVar("wirestream_fetcher", default=None)

#: Pause after a fetch whose records were all held back by the guard (their transaction's
#: end not yet stable), so that the fetch is not repeated in a busy loop meanwhile.
WITHHELD_PAUSE = 0.05


def install_stale_abort_guard() -> None:
    """Drop from read_committed fetch responses the aborted transactions the fetch has
    already passed (``wirestream_core/stale_aborts.py``), for every aiokafka consumer of
    the process; once per process.

    noida-db 0.2.3 lists them (Kafka does not), and aiokafka 0.14 then skipped every later
    batch of their producer ids: after a worker's crash, all it committed later was invisible
    to readers resuming past the abort (issue 19). Responses without such entries pass as
    they are.
    """
    from aiokafka.consumer import fetcher as module

    if getattr(module.PartitionRecords, "_wirestream", False):
        return
    memory_records = module.MemoryRecords
    partition_records = module.PartitionRecords

    def raw_records(data: bytes) -> _RawRecords:
        return _RawRecords(data, memory_records(data))

    def guarded_partition_records(
        tp: Any, records: Any, aborted: Any, fetch_offset: int, *args: Any
    ) -> Any:
        isolation_level = args[-1]
        if isinstance(records, _RawRecords):
            data, records = records.data, records.records
            if aborted and isolation_level == module.READ_COMMITTED:
                fetcher = _FETCHER.get()
                memory = (
                    {}
                    if fetcher is None
                    else fetcher.__dict__.setdefault("_wirestream_stale_aborts", {})
                )
                heads = list(batch_heads(data))
                aborted, cut = settle_listing(
                    [tuple(entry) for entry in aborted],
                    fetch_offset,
                    heads,
                    memory.setdefault(tp, {}),
                )
                if cut is not None:
                    log.debug("%s: records from byte %d held back (transaction open)", tp, cut)
                    records = memory_records(data[:cut])
                    if not cut and fetcher is not None:
                        fetcher.__dict__["_wirestream_withheld"] = True
        return partition_records(tp, records, aborted, fetch_offset, *args)

    guarded_partition_records._wirestream = True  # type: ignore[attr-defined]
    module.MemoryRecords = raw_records
    module.PartitionRecords = guarded_partition_records
    original = Fetcher._proc_fetch_request

    @functools.wraps(original)
    async def proc_fetch_request(self: Any, assignment: Any, node_id: Any, request: Any) -> Any:
        token = _FETCHER.set(self)
        try:
            has_new_data = await original(self, assignment, node_id, request)
        finally:
            _FETCHER.reset(token)
        if self.__dict__.pop("_wirestream_withheld", False):
            try:
                await asyncio.sleep(WITHHELD_PAUSE)
            except asyncio.CancelledError:
                return False
        return has_new_data

    Fetcher._proc_fetch_request = proc_fetch_request
