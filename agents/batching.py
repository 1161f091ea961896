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

With an ``emit`` phase (the extraction agent's sends), batches are cut one after another, so
each is a run of consecutive events, and each batch emits only once the batch before it is
acknowledged, then is acknowledged at once. Its records are then never sent long before its
offsets can be committed: under exactly_once a commit in between puts the records in a
transaction without the offsets, and a crash before the next commit makes them come out
twice (issue 19: 24 of 264 enriched records repeated over 3 kills, every kill coming while
a finished batch waited, sent, behind an earlier one still in the NLP pool).
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from faust.types import EventT, StreamT

BatchHandler = Callable[[Sequence[EventT[Any]]], Awaitable[Any]]
#: The in-order phase: the batch and what its handler returned.
BatchEmitter = Callable[[Sequence[EventT[Any]], Any], Awaitable[None]]


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


class Turns:
    """Hands out tickets in order; ticket ``k`` waits until ticket ``k - 1`` is done."""

    def __init__(self) -> None:
        self._issued = 0
        self._done = 0
        self._changed = asyncio.Condition()

    def ticket(self) -> int:
        """The next ticket, in the order batches are cut."""
        self._issued += 1
        return self._issued

    async def wait(self, ticket: int) -> None:
        """Until every earlier ticket is done."""
        async with self._changed:
            await self._changed.wait_for(lambda: self._done >= ticket - 1)

    async def finish(self, ticket: int) -> None:
        """Mark ``ticket`` done (after every earlier one), waking the next."""
        async with self._changed:
            self._done = ticket
            self._changed.notify_all()


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
    emit: BatchEmitter | None = None,
) -> None:
    """Feed ``stream``'s events to ``handle`` in batches, ``lanes`` batches at a time;
    ``on_ack`` is told of each event once it is acknowledged. With ``emit``, batches are runs
    of consecutive events, and ``emit(batch, handle's result)`` runs in batch order, each
    right before its batch is acknowledged (see the module docstring)."""
    queue: asyncio.Queue[EventT[Any]] = asyncio.Queue(maxsize=size * lanes)
    manual: Any = stream.noack()  # type: ignore[attr-defined]  # not in StreamT's stubs

    async def ack(event: EventT[Any]) -> None:
        await manual.ack(event)
        if on_ack is not None:
            on_ack(event)

    acks = AckInReadOrder(ack)
    turns, cutting = Turns(), asyncio.Lock()

    async def lane() -> None:
        while True:
            if emit is None:
                batch = await take_batch(queue, size, within)
                # No ack if this raises: at least once means the batch is read again.
                await handle(batch)
                await acks.done(batch)
                continue
            async with cutting:  # one lane cuts at a time: a batch is consecutive events
                batch = await take_batch(queue, size, within)
                ticket = turns.ticket()
            prepared = await handle(batch)
            await turns.wait(ticket)
            await emit(batch, prepared)
            await acks.done(batch)
            await turns.finish(ticket)

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
