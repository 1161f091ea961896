"""A long-poll stand-in for brokers that answer empty fetches at once.

A Kafka broker holds a fetch that finds no data for up to ``fetch.max.wait.ms`` before it
answers, so an idle consumer costs nothing. The embedded broker (noida-db 0.2.3) answers at
once: every idle aiokafka consumer — each Faust worker, the poller's state reader, ``tail`` —
then spins a whole core on empty fetches (measured: 0.90 CPU for one idle consumer), which on
a 2-core machine halves the throughput left for spaCy.

``install_fetch_backoff`` makes aiokafka wait a little after a fetch that returned no data
and came back faster than a real broker's long-poll would. On a real broker a fetch with no
data already took the broker's wait, so nothing changes there; with the embedded broker the
price is at most ``seconds`` of extra latency for the first message after a quiet spell.
"""

from __future__ import annotations

import asyncio
import functools
import time
from typing import Any

from aiokafka.consumer.fetcher import Fetcher

_installed: list[float] = []


def install_fetch_backoff(seconds: float) -> None:
    """Patch aiokafka's fetcher once per process (later calls only change the delay)."""
    if _installed:
        _installed[0] = seconds
        return
    _installed.append(seconds)
    original = Fetcher._proc_fetch_request

    @functools.wraps(original)
    async def proc_fetch_request(self: Any, assignment: Any, node_id: Any, request: Any) -> Any:
        started = time.monotonic()
        has_new_data = await original(self, assignment, node_id, request)
        delay = _installed[0] - (time.monotonic() - started)
        if not has_new_data and delay > 0:
            try:
                await asyncio.sleep(delay)
            except asyncio.CancelledError:
                # Like the original: a fetch cancelled by close() or a rebalance just ends.
                return False
        return has_new_data

    Fetcher._proc_fetch_request = proc_fetch_request
