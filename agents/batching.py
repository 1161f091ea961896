"""Micro-batches from a stream, several in flight, acknowledged only when done.

Faust's ``take_events`` hands out one batch at a time, so a spaCy process sits idle while
the agent sends one batch's results and gathers the next. Here a reader fills a bounded
queue, and ``lanes`` tasks each take a batch, process it and acknowledge its events: with
one lane more than there are spaCy processes, a process always has a batch waiting.

Acknowledgements go out in the order the events were read, whatever order the batches finish
in. Faust (faust-streaming 0.15.3, ``Consumer._new_offset``) does not reliably hold a commit
behind an unacknowledged event at the head of a partition: with no committed offset yet (a
fresh partition, or one committed at 0) it commits past a gap at the head, and with one it
lets a gap of exactly one offset through. Batches acked out of order therefore let a later
batch commit past an earlier one still in the NLP pool, and a crash then loses it (issue 19).
A batch whose handler fails or is cancelled is never acknowledged, so it is read again.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from faust.types import EventT, StreamT

BatchHandler = Callable[[Sequence[EventT[Any]]], Awaitable[None]]


async def take_batch(
    queue: asyncio.Queue[EventT[Any]], size: int, within: float
) -> list[EventT[Any]]:
    """Wait for one event, then gather up to ``size`` arriving within ``within`` seconds."""
    batch = [await queue.get()]
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while len(batch) < size:
        try:
            batch.append(queue.get_nowait())
            continue
        except asyncio.QueueEmpty:
            pass
        remaining = deadline - loop.time()
        if remaining <= 0:
            break
        try:
            batch.append(await asyncio.wait_for(queue.get(), remaining))
        except TimeoutError:
            break
    return batch


class AckInReadOrder:
    """Acknowledges events in the order they were read, each once its batch is done."""

    def __init__(self, ack: Callable[[EventT[Any]], Awaitable[Any]]) -> None:
        self._ack = ack
        self._read: deque[EventT[Any]] = deque()
        self._done: set[int] = set()  # ids of read events whose batch finished

    def read(self, event: EventT[Any]) -> None:
        """Record that ``event`` was read (call in stream order)."""
        self._read.append(event)

    async def done(self, batch: Sequence[EventT[Any]]) -> None:
        """Mark ``batch`` handled; ack every event read so far whose predecessors are done."""
        self._done.update(id(event) for event in batch)
        while self._read and id(self._read[0]) in self._done:
            event = self._read.popleft()
            self._done.discard(id(event))
            await self._ack(event)

    @property
    def waiting(self) -> int:
        """Events read and not yet acknowledged."""
        return len(self._read)


async def run_batched(
    stream: StreamT[Any],
    handle: BatchHandler,
    *,
    size: int,
    within: float,
    lanes: int,
    on_ack: Callable[[EventT[Any]], None] | None = None,
) -> None:
    """Feed ``stream``'s events to ``handle`` in batches, ``lanes`` batches at a time;
    ``on_ack`` is told of each event once it is acknowledged."""
    queue: asyncio.Queue[EventT[Any]] = asyncio.Queue(maxsize=size * lanes)
    manual: Any = stream.noack()  # type: ignore[attr-defined]  # not in StreamT's stubs

    async def ack(event: EventT[Any]) -> None:
        await manual.ack(event)
        if on_ack is not None:
            on_ack(event)

    acks = AckInReadOrder(ack)

    async def lane() -> None:
        while True:
            batch = await take_batch(queue, size, within)
            # No ack if this raises: at least once means the batch is read again.
            await handle(batch)
            await acks.done(batch)

    async def read() -> None:
        async for event in manual.events():
            acks.read(event)
            await queue.put(event)

    tasks = [asyncio.ensure_future(read()), *(asyncio.ensure_future(lane()) for _ in range(lanes))]
    try:
        # Runs until cancelled (the agent stops) or a lane fails: then the error surfaces
        # at once, instead of the stream stalling with a dead lane.
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
        for task in done:
            task.result()
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
