"""Micro-batches from a stream, several in flight, acknowledged only when done.

Faust's ``take_events`` hands out one batch at a time, so a spaCy process sits idle while
the agent sends one batch's results and gathers the next. Here a reader fills a bounded
queue, and ``lanes`` tasks each take a batch, process it and acknowledge its events: with
one lane more than there are spaCy processes, a process always has a batch waiting. Faust
commits an offset only once every earlier offset is acknowledged, so batches finishing out
of order never skip a message.
"""

from __future__ import annotations

import asyncio
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


async def run_batched(
    stream: StreamT[Any],
    handle: BatchHandler,
    *,
    size: int,
    within: float,
    lanes: int,
) -> None:
    """Feed ``stream``'s events to ``handle`` in batches, ``lanes`` batches at a time."""
    queue: asyncio.Queue[EventT[Any]] = asyncio.Queue(maxsize=size * lanes)
    manual: Any = stream.noack()  # type: ignore[attr-defined]  # not in StreamT's stubs

    async def lane() -> None:
        while True:
            batch = await take_batch(queue, size, within)
            try:
                await handle(batch)
            finally:
                for event in batch:
                    await manual.ack(event)

    async def read() -> None:
        async for event in manual.events():
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
