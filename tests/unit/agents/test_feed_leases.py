"""Feed leases without a broker: which feed a lease covers, and a poll cut by a revocation."""

from __future__ import annotations

import asyncio

import pytest
from aiokafka.partitioner import DefaultPartitioner

from agents.poller_lease import FeedLeases, feed_partition
from wirestream_core.settings import Settings


def test_a_feed_belongs_to_the_partition_its_state_is_written_to() -> None:
    # The poller's producer writes feed state keyed by the UTF-8 feed id with Kafka's default
    # partitioner; the lease must cover exactly that partition.
    for feed_id in ("nnn", "levant-wire", "example-world", "f7"):
        expected = DefaultPartitioner()(feed_id.encode(), list(range(8)), list(range(8)))
        assert feed_partition(feed_id, 8) == expected
    assert {feed_partition(f"f{i}", 8) for i in range(64)} == set(range(8))


async def test_a_revocation_ends_the_poll_and_reports_the_lost_lease() -> None:
    leases = FeedLeases(Settings())
    partition = leases.partition_of("f1")
    await leases._acquire({partition})
    started, finished = asyncio.Event(), asyncio.Event()

    async def slow_poll() -> float:
        started.set()
        await asyncio.sleep(30)
        finished.set()
        return 1.0

    run = asyncio.create_task(leases.run("f1", slow_poll))
    await started.wait()
    await leases._give_up({partition})  # returns only once the poll has ended
    assert await run is None
    assert not finished.is_set()
    assert await leases.run("f1", slow_poll) is None, "no poll without the lease"


async def test_a_poll_under_a_held_lease_returns_its_result() -> None:
    leases = FeedLeases(Settings())
    await leases._acquire({leases.partition_of("f2")})

    async def poll() -> float:
        return 2.5

    assert await leases.run("f2", poll) == 2.5


async def test_cancelling_the_caller_cancels_the_poll_too() -> None:
    leases = FeedLeases(Settings())
    await leases._acquire({leases.partition_of("f3")})
    started = asyncio.Event()
    polls: list[asyncio.Task[object]] = []

    async def slow_poll() -> float:
        task = asyncio.current_task()
        assert task is not None
        polls.append(task)
        started.set()
        await asyncio.sleep(30)
        return 1.0

    run = asyncio.create_task(leases.run("f3", slow_poll))
    await started.wait()
    run.cancel()
    with pytest.raises(asyncio.CancelledError):
        await run
    assert polls[0].cancelled()


async def test_waiting_for_a_feed_returns_when_its_partition_arrives() -> None:
    leases = FeedLeases(Settings())
    waiting = asyncio.create_task(leases.wait_owned("f4"))
    await asyncio.sleep(0.05)
    assert not waiting.done()
    await leases._acquire({leases.partition_of("f4")})
    await asyncio.wait_for(waiting, 1)
