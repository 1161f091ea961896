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
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Mapping
from typing import Any

log = logging.getLogger(__name__)


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
        await asyncio.gather(
            *(
                commit_one(
                    self._transaction_producers,
                    self._trn_locks,
                    tid,
                    offsets,
                    group_id,
                    start_new_transaction=start_new_transaction,
                )
                for tid, offsets in tid_to_offset_map.items()
            )
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

#: Longest wait of the last commit (at shutdown) for sent events to be acknowledged.
LAST_COMMIT_WAIT = 10.0


def install_commit_after_acks() -> None:
    """Make Faust's commits under exactly_once wait for ``SENT_NOT_ACKED`` (at most one
    commit interval; ``LAST_COMMIT_WAIT`` for the last, which begins no new transaction)."""
    from faust.transport.consumer import Consumer

    if getattr(Consumer.force_commit, "_wirestream", False):
        return
    original = Consumer.force_commit

    @functools.wraps(original)
    async def force_commit(
        self: Any, topics: Any = None, start_new_transaction: bool = True
    ) -> bool:
        if self.in_transaction and SENT_NOT_ACKED.count:
            wait = self.commit_interval if start_new_transaction else LAST_COMMIT_WAIT
            if not await SENT_NOT_ACKED.settled(wait):
                log.info(
                    "committing with %d sent event(s) not yet acknowledged (waited %.1f s)",
                    SENT_NOT_ACKED.count,
                    wait,
                )
        return bool(await original(self, topics, start_new_transaction=start_new_transaction))

    force_commit._wirestream = True  # type: ignore[attr-defined]
    Consumer.force_commit = force_commit  # type: ignore[method-assign]
