"""Exactly-once commits: each producer's transaction ends with its offsets, all at once, and a
producer whose transaction is already over is skipped instead of raising IllegalOperation."""

from __future__ import annotations

import asyncio
from typing import Any

from wirestream_core.transactions import commit_one, install_transaction_guards


class FakeTxnManager:
    def __init__(self, in_transaction: bool) -> None:
        self.in_transaction = in_transaction

    def is_in_transaction(self) -> bool:
        return self.in_transaction


class FakeProducer:
    """Records the calls aiokafka's transactional producer would get; ``gate`` holds the end
    of the transaction until set (to see commits overlap)."""

    def __init__(self, calls: list[str], name: str, *, in_transaction: bool = True) -> None:
        self._txn_manager = FakeTxnManager(in_transaction)
        self.calls, self.name = calls, name
        self.gate: asyncio.Event | None = None

    async def send_offsets_to_transaction(self, offsets: Any, group_id: str) -> None:
        self.calls.append(f"{self.name} offsets {sorted(offsets.items())} {group_id}")

    async def commit_transaction(self) -> None:
        self.calls.append(f"{self.name} commit")
        if self.gate is not None:
            await self.gate.wait()
        self._txn_manager.in_transaction = False

    async def begin_transaction(self) -> None:
        self.calls.append(f"{self.name} begin")
        self._txn_manager.in_transaction = True


async def test_a_transaction_ends_with_its_offsets_then_the_next_begins() -> None:
    calls: list[str] = []
    producers = {"t-0": FakeProducer(calls, "t-0")}
    locks = {"t-0": asyncio.Lock()}
    done = await commit_one(producers, locks, "t-0", {"tp": 7}, "g", start_new_transaction=True)
    assert done
    assert calls == ["t-0 offsets [('tp', 7)] g", "t-0 commit", "t-0 begin"]


async def test_the_last_commit_begins_no_transaction_and_a_later_one_is_skipped() -> None:
    calls: list[str] = []
    producers = {"t-0": FakeProducer(calls, "t-0")}
    locks = {"t-0": asyncio.Lock()}
    assert await commit_one(producers, locks, "t-0", {"tp": 7}, "g", start_new_transaction=False)
    # Faust's consumer commits again as it stops: no IllegalOperation, nothing sent.
    assert not await commit_one(
        producers, locks, "t-0", {"tp": 9}, "g", start_new_transaction=False
    )
    assert calls == ["t-0 offsets [('tp', 7)] g", "t-0 commit"]


async def test_an_unknown_transaction_is_not_committed() -> None:
    assert not await commit_one({}, {}, "t-9", {"tp": 1}, "g", start_new_transaction=True)


async def test_producers_commit_concurrently() -> None:
    from faust.transport.drivers.aiokafka import Producer

    install_transaction_guards()
    calls: list[str] = []
    first, second = FakeProducer(calls, "a"), FakeProducer(calls, "b")
    first.gate = second.gate = asyncio.Event()
    self: Any = type("P", (), {})()
    self._transaction_producers = {"a": first, "b": second}
    self._trn_locks = {"a": asyncio.Lock(), "b": asyncio.Lock()}
    offsets: Any = {"a": {"x": 1}, "b": {"y": 2}}
    task = asyncio.ensure_future(Producer.commit_transactions(self, offsets, "g"))
    await asyncio.sleep(0.01)
    # Both transactions are ending at once; neither waited for the other.
    assert "a commit" in calls and "b commit" in calls
    first.gate.set()
    await asyncio.wait_for(task, 1)
    assert calls.count("a begin") == calls.count("b begin") == 1


async def test_a_commit_waits_for_sent_events_to_be_acknowledged() -> None:
    from wirestream_core.commit_gate import SentNotAcked

    held = SentNotAcked()
    assert await held.settled(0.0), "nothing held: no wait"
    held.hold(2)
    assert not await held.settled(0.01), "both still held"

    async def ack_later() -> None:
        await asyncio.sleep(0.02)
        held.release()
        held.release()

    task = asyncio.ensure_future(ack_later())
    assert await held.settled(1.0)
    await task
    held.release()  # a stray release never goes below zero
    assert held.count == 0
