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


def install_source_partition_transactions() -> None:
    """Under exactly_once, put every record in the transaction of the event that caused it.

    faust-streaming picks a send's transactional producer from the *destination* topic and
    partition, but commits each producer together with the offsets of the *source*
    partition of the same number and topic group. That only lines up when every output goes
    to a co-partitioned topic of the same group. Our topology fans in (N raw partitions ->
    1 dedup partition) and out again, so records of a transaction that is never committed
    would sit invisible to read_committed consumers forever. As in Kafka Streams, the
    transaction here is that of the source partition being processed (the current event);
    sends outside any event keep Faust's choice.
    """
    from faust.streams import current_event
    from faust.transport.consumer import TransactionManager

    if getattr(TransactionManager.send, "_wirestream", False):
        return

    async def send(
        self: Any,
        topic: str,
        key: bytes | None,
        value: bytes | None,
        partition: int | None,
        timestamp: float | None,
        headers: Any,
        *,
        transactional_id: str | None = None,
    ) -> Any:
        p = self.consumer.key_partition(topic, key, partition)
        event = current_event()
        if event is not None:
            source = event.message.tp
            group = self.app.assignor.group_for_topic(source.topic)
            transactional_id = f"{self.app.conf.id}-{group}-{source.partition}"
        elif p is not None:
            group = self.app.assignor.group_for_topic(topic)
            transactional_id = f"{self.app.conf.id}-{group}-{p}"
        return await self.producer.send(
            topic, key, value, p, timestamp, headers, transactional_id=transactional_id
        )

    send._wirestream = True  # type: ignore[attr-defined]
    TransactionManager.send = send  # type: ignore[method-assign]
