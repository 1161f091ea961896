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

At shutdown (``stopping`` completes) no batch starts any more: the reader stops, the events
queued and the batches not yet handed to the handler (or given back by it with
``BatchDropped``) are given back unacknowledged (``forget``), and so is every batch after one
given back, so no later offset is committed past them; they are read again after a restart.
Only the batches already in the handler finish. Waiting for all of them made a SIGTERM take
more than 30 s with three batches queued for spaCy (issue 19, round 16).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from faust.types import EventT, StreamT

log = logging.getLogger(__name__)

T = TypeVar("T")

BatchHandler = Callable[[Sequence[EventT[Any]]], Awaitable[Any]]
#: The in-order phase: the batch and what its handler returned.
BatchEmitter = Callable[[Sequence[EventT[Any]], Any], Awaitable[None]]


class BatchDropped(Exception):
    """Raised by a handler that did not start its batch because the worker is stopping."""


async def take_batch(
    queue: asyncio.Queue[EventT[Any]],
    size: int,
    within: float,
    stopping: asyncio.Event | None = None,
) -> list[EventT[Any]]:
    """Wait for one event, then gather up to ``size`` arriving within ``within`` seconds;
    once ``stopping`` is set, return what was gathered (possibly nothing)."""
    first = await _next_event(queue, stopping, timeout=None)
    if first is _STOPPED or first is _TIMED_OUT:
        return []
    batch = [first]
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
        if stopping is not None and stopping.is_set():
            break
        got = await _next_event(queue, stopping, timeout=remaining)
        if got is _STOPPED or got is _TIMED_OUT:
            break
        batch.append(got)
    return batch


_STOPPED: Any = object()
_TIMED_OUT: Any = object()


async def _next_event(
    queue: asyncio.Queue[T], stopping: asyncio.Event | None, timeout: float | None
) -> T | Any:
    """The next item of ``queue``; ``_STOPPED`` if ``stopping`` is set first, ``_TIMED_OUT``
    after ``timeout`` seconds. An item is only ever taken to be returned.

    The deadline is ``asyncio.wait``'s, not ``wait_for``'s: ``wait_for`` cancelled this
    coroutine when its timer and the getter's completion fell in the same turn of the loop,
    and the item the getter had taken went with it (issue 19, round 17: an event read but
    never batched, never acknowledged, holding every later acknowledgement back).
    ``Queue.get`` itself gives a cancelled wait's item back, so cancelling a getter that has
    not finished loses nothing.
    """
    getter = asyncio.ensure_future(queue.get())
    stopper = asyncio.ensure_future(stopping.wait()) if stopping is not None else None
    try:
        waits = {getter} if stopper is None else {getter, stopper}
        await asyncio.wait(waits, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    finally:
        if stopper is not None:
            stopper.cancel()
        if not getter.done():
            getter.cancel()
    # A get completed together with the stop or the deadline still took its item: keep it.
    if getter.done() and not getter.cancelled():
        return getter.result()
    return _STOPPED if stopping is not None and stopping.is_set() else _TIMED_OUT


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

    def forget(self, events: Sequence[EventT[Any]]) -> None:
        """Drop ``events`` unacknowledged (given back at shutdown, read again after it)."""
        gone = {id(event) for event in events}
        self._read = deque(event for event in self._read if id(event) not in gone)
        self._done -= gone

    @property
    def waiting(self) -> int:
        """Events read and not yet acknowledged."""
        return len(self._read)


def give_back_to_consumer(event: EventT[Any]) -> None:
    """Stop Faust's consumer waiting for ``event`` at shutdown: it is not acknowledged (its
    offset is not committed), so it is read again after the restart."""
    # Faust's ``wait_empty`` waits until no message handed to a stream is unacknowledged
    # (a weak set it otherwise empties by garbage collection).
    consumer: Any = event.app.consumer  # the private set is not in ConsumerT's stubs
    consumer._unacked_messages.discard(event.message)


async def run_batched(
    stream: StreamT[Any],
    handle: BatchHandler,
    *,
    size: int,
    within: float,
    lanes: int,
    on_ack: Callable[[EventT[Any]], None] | None = None,
    emit: BatchEmitter | None = None,
    stopping: Callable[[], Awaitable[Any]] | None = None,
    forget: Callable[[EventT[Any]], None] | None = None,
) -> None:
    """Feed ``stream``'s events to ``handle`` in batches, ``lanes`` batches at a time;
    ``on_ack`` is told of each event once it is acknowledged. With ``emit``, batches are runs
    of consecutive events, and ``emit(batch, handle's result)`` runs in batch order, each
    right before its batch is acknowledged. Once ``stopping()`` completes, no batch starts and
    ``forget`` is told of each event given back unacknowledged (see the module docstring)."""
    queue: asyncio.Queue[EventT[Any]] = asyncio.Queue(maxsize=size * lanes)
    manual: Any = stream.noack()  # type: ignore[attr-defined]  # not in StreamT's stubs

    async def ack(event: EventT[Any]) -> None:
        await manual.ack(event)
        if on_ack is not None:
            on_ack(event)

    acks = AckInReadOrder(ack)
    turns, cutting = Turns(), asyncio.Lock()
    stopped = asyncio.Event()
    # Set once a batch is given back: every later one is given back too (in ticket order).
    giving_back = False

    def give_back(events: Sequence[EventT[Any]]) -> None:
        if events:
            log.info(
                "stopping: %d event(s) given back unacknowledged (read again after a restart)",
                len(events),
            )
        acks.forget(events)
        if forget is not None:
            for event in events:
                forget(event)

    async def lane() -> None:
        nonlocal giving_back
        while True:
            if emit is None:
                batch = await take_batch(queue, size, within)
                # No ack if this raises: at least once means the batch is read again.
                await handle(batch)
                await acks.done(batch)
                continue
            async with cutting:  # one lane cuts at a time: a batch is consecutive events
                batch = await take_batch(queue, size, within, stopped)
                ticket = turns.ticket()
            prepared: Any = _STOPPED
            if batch and not stopped.is_set():
                # A handler refusing the batch (the worker stopping) gives it back.
                with contextlib.suppress(BatchDropped):
                    prepared = await handle(batch)
            await turns.wait(ticket)
            if prepared is _STOPPED or giving_back:
                giving_back = True
                give_back(batch)
                await turns.finish(ticket)
                if stopped.is_set():
                    return
                continue
            await emit(batch, prepared)
            await acks.done(batch)
            await turns.finish(ticket)

    unqueued: list[EventT[Any]] = []  # read, waiting for room in the queue

    async def read() -> None:
        async for event in manual.events():
            acks.read(event)
            unqueued.append(event)
            await queue.put(event)
            unqueued.clear()

    async def stop_starting() -> None:
        assert stopping is not None
        await stopping()
        stopped.set()
        reader.cancel()
        await asyncio.gather(reader, return_exceptions=True)
        queued: list[EventT[Any]] = []
        while not queue.empty():
            queued.append(queue.get_nowait())
        # With the event the reader had read and not yet queued, if any.
        give_back([*queued, *unqueued])

    reader = asyncio.ensure_future(read())
    tasks = [reader, *(asyncio.ensure_future(lane()) for _ in range(lanes))]
    watcher = asyncio.ensure_future(stop_starting()) if stopping is not None else None
    try:
        # Runs until cancelled (the agent stops) or a lane fails: then the error surfaces
        # at once, instead of the stream stalling with a dead lane. Lanes that return (at
        # shutdown) and the cancelled reader end nothing.
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
        for task in done:
            if not task.cancelled():
                task.result()
        # Every lane has given back or finished its batch: stay until the agent is cancelled.
        await asyncio.Event().wait()
    finally:
        for task in tasks:
            task.cancel()
        if watcher is not None:
            watcher.cancel()
        await asyncio.gather(*tasks, *([watcher] if watcher else []), return_exceptions=True)
