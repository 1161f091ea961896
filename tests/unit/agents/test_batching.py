"""The extraction batching path: bounded batches, several in flight, every event acknowledged."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import pytest

from agents.batching import run_batched, take_batch


@dataclass
class FakeEvent:
    offset: int


@dataclass
class FakeStream:
    """Just what run_batched uses of a Faust stream: noack(), events(), ack()."""

    n: int
    acked: list[int] = field(default_factory=list)
    noacked: bool = False

    def noack(self) -> FakeStream:
        self.noacked = True
        return self

    async def events(self) -> AsyncIterator[FakeEvent]:
        for i in range(self.n):
            yield FakeEvent(i)
        await asyncio.Event().wait()  # a stream never ends on its own

    async def ack(self, event: FakeEvent) -> bool:
        self.acked.append(event.offset)
        return True


async def test_take_batch_fills_up_to_size_then_returns_what_came_within_the_wait() -> None:
    queue: asyncio.Queue[Any] = asyncio.Queue()
    for i in range(5):
        queue.put_nowait(i)
    assert await take_batch(queue, 3, within=0.05) == [0, 1, 2]
    assert await take_batch(queue, 3, within=0.05) == [3, 4]


async def test_batches_run_concurrently_on_lanes_and_every_event_is_acked_after_handling() -> None:
    stream = FakeStream(40)
    batches: list[list[int]] = []
    running, most = 0, 0
    handled_before_ack: set[int] = set()

    async def handle(batch: Sequence[Any]) -> None:
        nonlocal running, most
        running += 1
        most = max(most, running)
        assert not {e.offset for e in batch} & set(stream.acked), "acked before handled"
        await asyncio.sleep(0.02)
        batches.append([e.offset for e in batch])
        handled_before_ack.update(e.offset for e in batch)
        running -= 1

    task = asyncio.ensure_future(run_batched(stream, handle, size=8, within=0.05, lanes=2))  # type: ignore[arg-type]
    for _ in range(200):
        await asyncio.sleep(0.01)
        if len(stream.acked) == 40:
            break
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert stream.noacked, "acks are manual"
    assert sorted(stream.acked) == list(range(40)), "every event acknowledged exactly once"
    assert all(len(b) <= 8 for b in batches) and sum(map(len, batches)) == 40
    assert most == 2, "a second batch is in flight while the first is being handled"


async def test_a_failing_handler_still_acks_and_surfaces_the_error() -> None:
    stream = FakeStream(3)

    async def handle(batch: Sequence[Any]) -> None:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        await asyncio.wait_for(
            run_batched(stream, handle, size=1, within=0.01, lanes=1),  # type: ignore[arg-type]
            timeout=2,
        )
    assert stream.acked[:1] == [0]
