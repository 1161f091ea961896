"""Exactly-once commits never split an event: one-event stages are held until acknowledged,
table changelog records are sent first, and every transaction's lock is taken before any ends."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

from wirestream_core.commit_gate import SentNotAcked, buffer_drained, held, settle_for_commit
from wirestream_core.transactions import commit_all


async def test_held_events_are_released_just_before_the_stream_acknowledges_them() -> None:
    count = SentNotAcked()
    seen: list[tuple[str, int, int]] = []

    async def events() -> AsyncIterator[int]:
        # Like Faust's stream: an event is acknowledged when the next one is asked for.
        for offset in range(3):
            yield offset
            seen.append(("ack", offset, count.count))

    async for offset in held(events(), count):
        seen.append(("handle", offset, count.count))
    assert seen == [
        ("handle", 0, 1),
        ("ack", 0, 0),
        ("handle", 1, 1),
        ("ack", 1, 0),
        ("handle", 2, 1),
        ("ack", 2, 0),
    ]
    assert count.count == 0


async def test_a_stage_that_stops_mid_event_releases_it() -> None:
    async def events() -> AsyncIterator[int]:
        yield 0
        yield 1

    count = SentNotAcked()
    gen = held(events(), count)
    async for _ in gen:
        break
    await gen.aclose()  # type: ignore[attr-defined]
    assert count.count == 0


class FakeBuffer:
    """Faust's ProducerBuffer as the commit reads it: a size and a message_sent event."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.message_sent = asyncio.Event()

    async def send_all(self) -> None:
        while self.size:
            await asyncio.sleep(0.01)
            self.size -= 1
            self.message_sent.set()


async def test_the_commit_waits_for_changelog_records_still_in_the_buffer() -> None:
    buffer = FakeBuffer(3)
    sender = asyncio.ensure_future(buffer.send_all())
    assert await buffer_drained(buffer, 1.0)
    assert buffer.size == 0
    await sender
    stuck = FakeBuffer(1)
    assert not await buffer_drained(stuck, 0.05)


async def test_settling_waits_for_held_events_and_the_buffer_then_returns_with_both_idle() -> None:
    buffer, count = FakeBuffer(2), SentNotAcked()

    async def agent() -> None:
        count.hold(1)
        await asyncio.sleep(0.03)
        count.release(1)

    tasks = [asyncio.ensure_future(agent()), asyncio.ensure_future(buffer.send_all())]
    await asyncio.sleep(0)
    assert await settle_for_commit(buffer, 1.0, count)
    # No wait between the answer and the caller's next step: both are idle at this point.
    assert count.count == 0 and buffer.size == 0
    await asyncio.gather(*tasks)


async def test_settling_gives_up_after_the_timeout() -> None:
    count = SentNotAcked()
    count.hold(1)
    assert not await settle_for_commit(FakeBuffer(0), 0.05, count)


class FakeTxnManager:
    def is_in_transaction(self) -> bool:
        return True


class FakeProducer:
    def __init__(self, calls: list[str], name: str) -> None:
        self._txn_manager = FakeTxnManager()
        self.calls, self.name = calls, name

    async def send_offsets_to_transaction(self, offsets: Any, group_id: str) -> None:
        self.calls.append(f"{self.name} offsets")
        await asyncio.sleep(0.01)

    async def commit_transaction(self) -> None:
        self.calls.append(f"{self.name} commit")

    async def begin_transaction(self) -> None:
        self.calls.append(f"{self.name} begin")


async def test_every_lock_is_taken_before_any_transaction_ends() -> None:
    calls: list[str] = []
    producers = {"a": FakeProducer(calls, "a"), "b": FakeProducer(calls, "b")}
    locks = {"a": asyncio.Lock(), "b": asyncio.Lock()}

    async def agent_send() -> None:
        # An agent scheduled while the commit starts: its record must wait for the new
        # transaction, not join the one being ended without its event's offset.
        async with locks["b"]:
            calls.append("b send")

    sender = asyncio.ensure_future(agent_send())
    done = await commit_all(
        producers, locks, {"a": {"x": 1}, "b": {"y": 2}}, "g", start_new_transaction=True
    )
    await sender
    assert done == [True, True]
    assert calls.index("b send") > calls.index("b begin")
    assert not locks["a"].locked() and not locks["b"].locked()


async def test_a_failed_commit_releases_every_lock_and_raises() -> None:
    calls: list[str] = []

    class Failing(FakeProducer):
        async def commit_transaction(self) -> None:
            raise RuntimeError("broker said no")

    producers = {"a": Failing(calls, "a"), "b": FakeProducer(calls, "b")}
    locks = {"a": asyncio.Lock(), "b": asyncio.Lock()}
    try:
        await commit_all(producers, locks, {"a": {}, "b": {}}, "g", start_new_transaction=True)
    except RuntimeError as exc:
        assert str(exc) == "broker said no"
    else:
        raise AssertionError("the failure surfaces")
    assert "b begin" in calls, "the other transaction still ended"
    assert not locks["a"].locked() and not locks["b"].locked()


def test_a_rebalance_stops_the_producers_of_partitions_given_up() -> None:
    # Round 16: Faust kept them; once fenced by the partitions' new owner and the partitions
    # back (that owner killed), the survivor sent through them and crashed on ProducerFenced.
    from wirestream_core.transactions import stop_given_up

    stopped: list[str] = []

    class Producer:
        def __init__(self) -> None:
            self._transaction_producers = dict.fromkeys(("app-1-0", "app-1-1", "app-1-2"))

        async def stop_transaction(self, tid: str) -> None:
            stopped.append(tid)

    class Manager:
        producer = Producer()

        def _tps_to_transactional_ids(self, tps: set[int]) -> set[str]:
            return {f"app-1-{p}" for p in tps}

    assert asyncio.run(stop_given_up(Manager(), {2, 3})) == ["app-1-0", "app-1-1"]
    assert stopped == ["app-1-0", "app-1-1"]
    stopped.clear()
    assert asyncio.run(stop_given_up(Manager(), {0, 1, 2})) == []
    assert stopped == []
