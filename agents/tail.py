"""Reading a topic as an outside subscriber would: no consumer group, every partition."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

import orjson
from aiokafka import AIOKafkaConsumer, TopicPartition

from wirestream_core.connection import client_options
from wirestream_core.settings import TOPIC_NAMES, Settings


def resolve_topic(settings: Settings, name: str) -> str:
    """Accept a short name (``events``) or a full topic name."""
    return settings.topic(name) if name in TOPIC_NAMES else name


async def end_offsets(settings: Settings, topic: str) -> dict[int, int]:
    """Current end offset of every partition of ``topic``."""
    consumer = AIOKafkaConsumer(
        **client_options(settings),
        group_id=None,
        isolation_level="read_committed",
    )
    await consumer.start()
    try:
        await consumer.topics()
        tps = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()]
        ends = await consumer.end_offsets(tps) if tps else {}
        return {tp.partition: offset for tp, offset in ends.items()}
    finally:
        await consumer.stop()


async def read_from_beginning(
    settings: Settings, names: Sequence[str], *, isolation_level: str = "read_uncommitted"
) -> AIOKafkaConsumer:
    """A started consumer (no group) on every partition of the named topics, at the start.

    The caller reads with ``getmany`` and stops it.
    """
    consumer = AIOKafkaConsumer(
        **client_options(settings),
        group_id=None,
        isolation_level=isolation_level,
    )
    await consumer.start()
    try:
        await consumer.topics()
        tps = [
            TopicPartition(settings.topic(name), p)
            for name in names
            for p in consumer.partitions_for_topic(settings.topic(name)) or ()
        ]
        consumer.assign(tps)
        await consumer.seek_to_beginning(*tps)
    except BaseException:
        await consumer.stop()
        raise
    return consumer


@asynccontextmanager
async def topic_reader(
    settings: Settings, topic: str
) -> AsyncIterator[tuple[AIOKafkaConsumer, list[TopicPartition]]]:
    """A consumer without a group, assigned every partition of ``topic`` (not yet positioned)."""
    # read_committed: under exactly_once, records of an aborted transaction never show.
    consumer = AIOKafkaConsumer(
        **client_options(settings),
        group_id=None,
        enable_auto_commit=False,
        isolation_level="read_committed",
    )
    await consumer.start()
    try:
        await consumer.topics()
        partitions = consumer.partitions_for_topic(topic)
        if not partitions:
            raise LookupError(f"topic {topic!r} does not exist on {settings.broker}")
        tps = [TopicPartition(topic, p) for p in sorted(partitions)]
        consumer.assign(tps)
        yield consumer, tps
    finally:
        await consumer.stop()


async def tail(
    settings: Settings,
    topic: str,
    *,
    start: dict[int, int] | str = "end",
    idle_timeout: float | None = None,
) -> AsyncIterator[tuple[bytes | None, Any]]:
    """Yield (key, decoded JSON value) from every partition of ``topic``.

    ``start`` is ``"beginning"``, ``"end"`` or explicit offsets per partition. With
    ``idle_timeout``, stops after that many seconds without a message.
    """
    async with topic_reader(settings, topic) as (consumer, tps):
        if start == "beginning":
            await consumer.seek_to_beginning(*tps)
        elif start == "end":
            await consumer.seek_to_end(*tps)
        else:
            assert isinstance(start, dict)
            for tp in tps:
                consumer.seek(tp, start.get(tp.partition, 0))
        loop = asyncio.get_running_loop()
        last = loop.time()
        while True:
            batches = await consumer.getmany(timeout_ms=200)
            got = False
            for records in batches.values():
                for rec in records:
                    got = True
                    try:
                        value = orjson.loads(rec.value) if rec.value is not None else None
                    except orjson.JSONDecodeError:
                        value = rec.value
                    yield rec.key, value
            if got:
                last = loop.time()
            elif idle_timeout is not None and loop.time() - last > idle_timeout:
                return
