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

- **Producers of partitions given up.** Faust means to stop the transactional producer of each
  partition a rebalance revokes, but never does (its list of them comes out empty): a worker
  that loses partitions keeps their producers, in their transactions, after the partitions'
  new owner has fenced them, and when the partitions come back (that owner killed) it sends
  through the fenced producers and crashes on ``ProducerFenced`` (issue 19, round 16: the
  two-worker drill's survivor, which had run alone for a moment before the other worker
  joined). Here a rebalance first stops every producer whose partition is no longer assigned;
  a later assignment starts a new one, which fences whatever the old one left open.

Sends need no guard: Faust's producer takes the same per-producer lock around each send, so a
record never reaches a producer while its transaction is being ended.

What a commit waits for before it takes the offsets (events between their sends and their
acknowledgement, table changelog records not yet sent, a gate the extraction agent's sends
pass) is in ``commit_gate``; here, once the offsets are taken, every transaction's lock is
taken before any of them ends.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Mapping
from typing import Any

log = logging.getLogger(__name__)

#: ``WIRESTREAM_LOG_COMMITS=1``: log each transaction's end with its offsets (a drill's
#: evidence of which offsets joined which transaction; several lines per commit interval).
LOG_COMMITS = os.environ.get("WIRESTREAM_LOG_COMMITS") == "1"


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
    if LOG_COMMITS:
        log.info("ending transaction %s with offsets %s", transactional_id, _short(offsets))
    await producer.send_offsets_to_transaction(offsets, group_id)
    await producer.commit_transaction()
    if LOG_COMMITS:
        log.info("committed transaction %s", transactional_id)
    if start_new_transaction:
        await producer.begin_transaction()
    return True


def _short(offsets: Mapping[Any, int]) -> dict[str, int]:
    """Offsets by ``topic partition`` without the topic prefix, for a log line."""
    return {f"{tp.topic.rsplit('.', 1)[-1]} {tp.partition}": o for tp, o in offsets.items()}


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


async def stop_given_up(manager: Any, assigned: Any) -> list[str]:
    """Stop the transactional producers of ``manager`` (Faust's ``TransactionManager``) whose
    partition is not in ``assigned``; returns their transactional ids."""
    keep = manager._tps_to_transactional_ids(assigned)
    producer = manager.producer
    stale = sorted(tid for tid in producer._transaction_producers if tid not in keep)
    if stale:
        log.info("stopping the transactional producers of partitions given up: %s", stale)
    for tid in stale:
        await producer.stop_transaction(tid)
    return stale


def install_transaction_guards() -> None:
    """Patch Faust's producer's ``commit_transactions`` and its transaction manager's
    ``on_rebalance`` as the module docstring says (once)."""
    from faust.transport.consumer import TransactionManager
    from faust.transport.drivers.aiokafka import Producer

    if getattr(Producer.commit_transactions, "_wirestream", False):
        return
    on_rebalance = TransactionManager.on_rebalance

    async def on_rebalance_stopping_given_up(
        self: Any, assigned: Any, revoked: Any, newly_assigned: Any
    ) -> None:
        await stop_given_up(self, assigned)
        await on_rebalance(self, assigned, revoked, newly_assigned)

    TransactionManager.on_rebalance = on_rebalance_stopping_given_up  # type: ignore[method-assign]

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
