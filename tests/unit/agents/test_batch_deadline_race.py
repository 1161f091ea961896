"""An event that arrives as a batch's wait runs out is kept (issue 19, round 17's CI flake).

The poison test lost an article on a loaded CI machine: ``take_batch`` waited for the next
event with ``wait_for`` around a task of its own that took it from the queue; when that task
had taken the event and the deadline fired in the same turn of the loop, ``wait_for``
cancelled the wrapper, the event went with it, and the lanes never saw it. It was read but
never acknowledged, so, acknowledgements going out in read order, nothing after it was
acknowledged either, and the next rebalance waited for it for ever.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from agents.batching import take_batch


def _block_then_put(loop: asyncio.AbstractEventLoop, queue: asyncio.Queue[Any], item: Any) -> None:
    # The loop is busy (a loaded machine, a 10 MB message decoded) past the batch's deadline;
    # the next event is queued in the same turn as the deadline's timer runs.
    time.sleep(0.08)
    loop.call_soon(queue.put_nowait, item)


@pytest.mark.parametrize("stopping", [True, False])
async def test_an_event_queued_as_the_batch_deadline_passes_is_in_this_batch_or_the_next(
    stopping: bool,
) -> None:
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[Any] = asyncio.Queue()
    queue.put_nowait("first")
    loop.call_later(0.01, _block_then_put, loop, queue, "second")
    stop = asyncio.Event() if stopping else None

    batch = await take_batch(queue, 16, within=0.05, stopping=stop)
    await asyncio.sleep(0.01)  # let any getter left behind finish
    rest = [queue.get_nowait() for _ in range(queue.qsize())]

    assert batch + rest == ["first", "second"]


async def test_the_stop_still_ends_a_wait_for_the_next_event() -> None:
    queue: asyncio.Queue[Any] = asyncio.Queue()
    queue.put_nowait("first")
    stop = asyncio.Event()
    asyncio.get_running_loop().call_later(0.01, stop.set)

    started = time.monotonic()
    batch = await take_batch(queue, 16, within=5.0, stopping=stop)

    assert batch == ["first"] and time.monotonic() - started < 1.0
    queue.put_nowait("after")
    assert queue.get_nowait() == "after"  # no getter left behind took it
