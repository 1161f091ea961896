"""Faust's exactly_once commits (faust-streaming 0.15.3, aiokafka 0.14): concurrent, shutdown-safe.

Under ``exactly_once`` every worker owns one transactional producer per source partition
(``install_source_partition_transactions`` in ``kafka_compat``), and Faust's commit timer ends
each producer's transaction with the consumed offsets, then begins the next. Two things in
Faust's commit are fixed here:

- **One transaction at a time.** Faust commits the producers one after another, each with
  its own round trips (offsets to the transaction, end of the transaction), so a commit takes
  the sum of them; with a short commit interval the commit timer then runs back to back.
  Here they commit concurrently: each is its own producer, connection and lock.
- **A commit after the last one.** At shutdown Faust ends every transaction without
  beginning the next (``commit_and_end_transactions``) and may commit again afterwards (the
  consumer's own stop); a producer out of its transaction would then raise
  ``IllegalOperation: Not in the middle of a transaction``. Here a commit skips a producer
  whose transaction is over: the offsets of events acknowledged since are read again by the
  partition's next owner.

Sends need no guard: Faust's producer takes the same per-producer lock around each send, so a
record never reaches a producer while its transaction is being ended.

A commit must also never end a transaction holding an event's records without that event's
offset (a crash before the next commit would repeat the records), nor hold an event's offset
without its records. So, under exactly_once: a commit first waits (bounded) until no event is
between its first send and its acknowledgement (extraction batches, and each event of the
one-event stages, ``held``) and until Faust's producer buffer has sent the table changelog
records queued by the events acknowledged so far; it takes the offsets with no wait after that
check, and then every transaction's lock before any of them ends.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections.abc import AsyncIterator, Mapping
from typing import Any, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")


async def commit_one(
    producers: Mapping[str, Any],
    locks: Mapping[str, asyncio.Lock],
    transactional_id: str,
    offsets: Mapping[Any, int],
    group_id: str,
    *,
    start_new_transaction: bool,
) -> bool:
    """End one producer's transaction with ``offsets``; False when it had none open."""
    lock = locks.get(transactional_id)
    if lock is None:
        log.warning("commit invoked for unknown transaction %s", transactional_id)
        return False
    async with lock:
        return await _end_locked(
            producers, transactional_id, offsets, group_id, start_new_transaction
        )


async def _end_locked(
    producers: Mapping[str, Any],
    transactional_id: str,
    offsets: Mapping[Any, int],
    group_id: str,
    start_new_transaction: bool,
) -> bool:
    """``commit_one`` with the producer's lock already held."""
    producer = producers.get(transactional_id)
    if producer is None:
        log.warning("commit invoked for unknown transaction %s", transactional_id)
        return False
    if not producer._txn_manager.is_in_transaction():
        # Its transaction was ended (the last commit at shutdown) or never began: no
        # record of these offsets' events is in one, so they are read again by whoever
        # owns the partition next, as after a crash.
        log.info(
            "transaction %s already ended: offsets %s not committed",
            transactional_id,
            dict(offsets),
        )
        return False
    await producer.send_offsets_to_transaction(offsets, group_id)
    await producer.commit_transaction()
    if start_new_transaction:
        await producer.begin_transaction()
    return True


async def commit_all(
    producers: Mapping[str, Any],
    locks: Mapping[str, asyncio.Lock],
    tid_to_offsets: Mapping[str, Mapping[Any, int]],
    group_id: str,
    *,
    start_new_transaction: bool,
) -> list[bool]:
    """``commit_one`` for every producer, concurrently, each lock taken before any of them
    starts: the offsets were taken just before, and an agent that ran in between (the
    first step of concurrent tasks lets others run) could add the records of a newer event to
    a transaction about to end without that event's offset."""
    taken: list[str] = []
    try:
        for tid in sorted(tid_to_offsets):  # one order everywhere: no lock cycle
            lock = locks.get(tid)
            if lock is None:
                log.warning("commit invoked for unknown transaction %s", tid)
                continue
            await lock.acquire()  # free unless a send is under way, and then only for it
            taken.append(tid)
    except BaseException:
        for tid in taken:
            locks[tid].release()
        raise

    async def end(tid: str) -> bool:
        try:
            return await _end_locked(
                producers, tid, tid_to_offsets[tid], group_id, start_new_transaction
            )
        finally:
            locks[tid].release()

    results = await asyncio.gather(*(end(tid) for tid in taken), return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return [bool(r) for r in results]


def install_transaction_guards() -> None:
    """Patch Faust's producer's ``commit_transactions`` as the module docstring says (once)."""
    from faust.transport.drivers.aiokafka import Producer

    if getattr(Producer.commit_transactions, "_wirestream", False):
        return

    async def commit_transactions(
        self: Any,
        tid_to_offset_map: Mapping[str, Mapping[Any, int]],
        group_id: str,
        start_new_transaction: bool = True,
    ) -> None:
        await commit_all(
            self._transaction_producers,
            self._trn_locks,
            tid_to_offset_map,
            group_id,
            start_new_transaction=start_new_transaction,
        )

    commit_transactions._wirestream = True  # type: ignore[attr-defined]
    Producer.commit_transactions = commit_transactions  # type: ignore[method-assign]


class SentNotAcked:
    """Counts events whose records are sent (into the current transaction) but which are not
    yet acknowledged, so that a commit can wait for them instead of splitting them.

    Faust commits on a timer, concurrently with the agents: a commit that comes between a
    batch's sends and its acknowledgement ends a transaction holding the records without the
    offsets of the events that caused them. The next commit adds the offsets; but if the
    worker dies in between (or that commit was its last, at shutdown), the events are read
    again and their records come out twice. Under exactly_once a commit therefore first waits
    (bounded) until no such event is left.
    """

    def __init__(self) -> None:
        self.count = 0
        self._idle: asyncio.Event | None = None

    def _event(self) -> asyncio.Event:
        if self._idle is None:
            self._idle = asyncio.Event()
            self._idle.set()
        return self._idle

    def hold(self, n: int) -> None:
        """``n`` events are about to send their records."""
        self.count += n
        if self.count:
            self._event().clear()

    def release(self, n: int = 1) -> None:
        """``n`` held events were acknowledged (or their sends failed)."""
        self.count = max(0, self.count - n)
        if not self.count:
            self._event().set()

    async def settled(self, timeout: float) -> bool:
        """Wait up to ``timeout`` s until no held event is left; False if some still are."""
        if not self.count:
            return True
        try:
            await asyncio.wait_for(self._event().wait(), timeout)
        except TimeoutError:
            return False
        return True


#: The worker's count (one Faust app per process).
SENT_NOT_ACKED = SentNotAcked()


async def held(events: AsyncIterator[T], count: SentNotAcked = SENT_NOT_ACKED) -> AsyncIterator[T]:
    """The events of a one-event stage (a Faust stream's ``events()``), each held in
    ``SENT_NOT_ACKED`` while the stage handles it: from its hand-over to the stage until the
    stage asks for the next one, when Faust acknowledges it.

    The release and Faust's acknowledgement follow each other with no wait between them, so a
    commit never sees an event whose records are sent but whose offset is not acknowledged
    (link's two sends could otherwise be split by a commit between them).
    """
    async for event in events:
        count.hold(1)
        try:
            yield event
        finally:
            count.release(1)


#: Longest wait of the last commit (at shutdown) for sent events to be acknowledged.
LAST_COMMIT_WAIT = 10.0


async def buffer_drained(buffer: Any, timeout: float) -> bool:
    """Wait up to ``timeout`` s until Faust's producer buffer (table changelog records, queued
    by a table write and sent by a task of their own) is empty; False if it is not."""
    deadline = time.monotonic() + timeout
    while buffer.size:
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        buffer.message_sent.clear()
        try:
            await asyncio.wait_for(buffer.message_sent.wait(), min(left, 0.1))
        except TimeoutError:
            continue
    return True


async def settle_for_commit(
    buffer: Any, timeout: float, count: SentNotAcked = SENT_NOT_ACKED
) -> bool:
    """Wait (at most ``timeout`` s) until no held event is between its sends and its
    acknowledgement and no table changelog record waits in ``buffer``; True if so, in which
    case the caller's next step (the commit's snapshot of offsets) runs with no wait between."""
    deadline = time.monotonic() + timeout
    while True:
        if not count.count and not buffer.size:
            return True
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        # Each wait may let agents run, which may hold new events: check both again after.
        await count.settled(left)
        await buffer_drained(buffer, max(0.0, deadline - time.monotonic()))


def install_commit_after_acks() -> None:
    """Make Faust's commits under exactly_once wait for ``SENT_NOT_ACKED`` and for the table
    changelog records queued before them (at most one commit interval; ``LAST_COMMIT_WAIT`` for
    the last, which begins no new transaction).

    A changelog record waits in Faust's producer buffer until its task sends it; a commit that
    came first ended the transaction holding the offset of the event that wrote it, and a crash
    before the next commit lost the write (the event was not read again). Under at_least_once
    Faust flushes that buffer before every commit; under exactly_once it did not.
    """
    from faust.transport.consumer import Consumer

    if getattr(Consumer.force_commit, "_wirestream", False):
        return
    original = Consumer.force_commit

    @functools.wraps(original)
    async def force_commit(
        self: Any, topics: Any = None, start_new_transaction: bool = True
    ) -> bool:
        if self.in_transaction:
            wait = self.commit_interval if start_new_transaction else LAST_COMMIT_WAIT
            buffer = self.app.producer.buffer
            if not await settle_for_commit(buffer, wait):
                log.info(
                    "committing with %d sent event(s) not yet acknowledged and %d changelog "
                    "record(s) unsent (waited %.1f s)",
                    SENT_NOT_ACKED.count,
                    buffer.size,
                    wait,
                )
        return bool(await original(self, topics, start_new_transaction=start_new_transaction))

    force_commit._wirestream = True  # type: ignore[attr-defined]
    Consumer.force_commit = force_commit  # type: ignore[method-assign]
