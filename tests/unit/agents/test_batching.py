"""The extraction batching path: bounded batches, several in flight, every event acknowledged."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import pytest
from faust.transport.consumer import Consumer
from faust.types import TP
from intervaltree import IntervalTree

from agents.batching import run_batched, take_batch


@dataclass
class FakeEvent:
    offset: int


@dataclass
class FakeStream:
    """Just what run_batched uses of a Faust stream: noack(), events(), ack()."""

    n: int
    start: int = 0
    acked: list[int] = field(default_factory=list)
    noacked: bool = False

    def noack(self) -> FakeStream:
        self.noacked = True
        return self

    async def events(self) -> AsyncIterator[FakeEvent]:
        for i in range(self.start, self.start + self.n):
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


async def test_a_failing_handler_acks_nothing_from_its_batch_on_and_surfaces_the_error() -> None:
    stream = FakeStream(3)

    async def handle(batch: Sequence[Any]) -> None:
        if batch[0].offset == 1:
            raise RuntimeError("boom")
        await asyncio.sleep(0.05)

    with pytest.raises(RuntimeError, match="boom"):
        await asyncio.wait_for(
            run_batched(stream, handle, size=1, within=0.01, lanes=3),  # type: ignore[arg-type]
            timeout=2,
        )
    # Offset 1 failed: it is read again after a restart, and so is everything after it.
    assert 1 not in stream.acked and 2 not in stream.acked


class FaustCommits:
    """Faust's own arithmetic for the offset it commits, fed by the acks of a FakeStream."""

    def __init__(self, committed: int | None) -> None:
        self._acked: defaultdict[TP, list[int]] = defaultdict(list)
        self._acked_index: defaultdict[TP, set[int]] = defaultdict(set)
        self._gap: defaultdict[TP, IntervalTree] = defaultdict(IntervalTree)
        self._committed_offset: defaultdict[TP, int | None] = defaultdict(lambda: committed)

    def ack(self, offset: int) -> None:
        self._acked[TP_].append(offset)
        self._acked_index[TP_].add(offset)

    def commit(self) -> int | None:
        """What ``Consumer.commit`` would commit now (the next offset to read)."""
        new = Consumer._new_offset(self, TP_)  # type: ignore[arg-type]
        if new is not None and Consumer._should_commit(self, TP_, new):  # type: ignore[arg-type]
            self._committed_offset[TP_] = new
        return self._committed_offset[TP_]


TP_ = TP("unique-articles", 0)


@pytest.mark.parametrize(
    "committed", [None, 5], ids=["fresh partition", "partition committed before"]
)
def test_faust_commits_past_an_unacked_event_at_the_head_of_a_partition(
    committed: int | None,
) -> None:
    # Why run_batched acks in read order: Faust itself does not hold the commit back.
    first = committed or 0
    faust = FaustCommits(committed)
    faust.ack(first + 1)
    faust.ack(first + 2)
    assert faust.commit() == first + 3, "offset `first` skipped although never acked"


@pytest.mark.parametrize("committed", [None, 5])
async def test_no_commit_passes_an_event_whose_batch_is_still_being_handled(
    committed: int | None,
) -> None:
    # The crash of issue 19: the batch holding a partition's first event is still in the
    # NLP pool while later, smaller batches finish. A kill then must not lose it.
    first = committed or 0
    faust = FaustCommits(committed)
    stream = FakeStream(12, start=first)
    in_hand: set[int] = set()
    passed: list[tuple[int, int]] = []

    async def ack(event: FakeEvent) -> bool:
        stream.acked.append(event.offset)
        faust.ack(event.offset)
        commit = faust.commit()
        if commit is not None and in_hand and commit > min(in_hand):
            passed.append((commit, min(in_hand)))
        return True

    stream.ack = ack  # type: ignore[method-assign]

    async def handle(batch: Sequence[Any]) -> None:
        offsets = {e.offset for e in batch}
        in_hand.update(offsets)
        # The first batch is the slowest, so later batches finish before it.
        await asyncio.sleep(0.2 if first in offsets else 0.01)
        in_hand.difference_update(offsets)

    task = asyncio.ensure_future(run_batched(stream, handle, size=1, within=0.01, lanes=4))  # type: ignore[arg-type]
    for _ in range(100):
        await asyncio.sleep(0.01)
        if len(stream.acked) == 12:
            break
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert not passed, "committed past an event still being handled"
    assert stream.acked == list(range(first, first + 12)), "acked in read order, each once"
    assert faust.commit() == first + 12


async def test_a_cancelled_batch_is_not_acked() -> None:
    stream = FakeStream(1)
    started = asyncio.Event()

    async def handle(batch: Sequence[Any]) -> None:
        started.set()
        await asyncio.Event().wait()  # the NLP pool, when the worker stops

    task = asyncio.ensure_future(run_batched(stream, handle, size=1, within=0.01, lanes=1))  # type: ignore[arg-type]
    await asyncio.wait_for(started.wait(), 2)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert stream.acked == []


async def test_on_ack_hears_of_each_event_after_its_acknowledgement() -> None:
    stream = FakeStream(10)
    heard: list[int] = []

    async def handle(batch: Sequence[Any]) -> None:
        await asyncio.sleep(0.01 if batch[0].offset == 0 else 0)  # the first batch ends last

    def on_ack(event: Any) -> None:
        assert event.offset in stream.acked, "told only once acknowledged"
        heard.append(event.offset)

    task = asyncio.ensure_future(
        run_batched(stream, handle, size=2, within=0.0, lanes=3, on_ack=on_ack)  # type: ignore[arg-type]
    )
    for _ in range(100):
        await asyncio.sleep(0.01)
        if len(heard) == 10:
            break
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert heard == stream.acked == list(range(10)), "in read order, each once"


async def test_with_an_emit_phase_batches_emit_in_read_order_each_right_before_its_ack() -> None:
    # Under exactly_once a batch's records must not wait, sent, behind an earlier batch still
    # in the NLP pool: a commit would put them in a transaction without their offsets.
    stream = FakeStream(24)
    emitted: list[list[int]] = []
    acked_at_emit: list[int] = []

    async def handle(batch: Sequence[Any]) -> int:
        # Batches finish out of order: the earlier, the slower.
        await asyncio.sleep(0.03 if batch[0].offset % 6 == 0 else 0.0)
        return len(batch)

    async def emit(batch: Sequence[Any], prepared: int) -> None:
        assert prepared == len(batch)
        acked_at_emit.append(len(stream.acked))
        emitted.append([e.offset for e in batch])

    task = asyncio.ensure_future(
        run_batched(stream, handle, size=3, within=0.0, lanes=4, emit=emit)  # type: ignore[arg-type]
    )
    for _ in range(200):
        await asyncio.sleep(0.01)
        if len(stream.acked) == 24:
            break
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    flat = [o for b in emitted for o in b]
    assert flat == list(range(24)), "emitted in read order, each event once"
    assert all(b == list(range(b[0], b[0] + len(b))) for b in emitted), "consecutive runs"
    # Everything emitted before a batch was acknowledged by the time it emits.
    assert acked_at_emit == [b[0] for b in emitted]
    assert stream.acked == list(range(24))
