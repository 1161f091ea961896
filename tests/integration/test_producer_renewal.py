"""A broker SIGKILL loses the last writes it acknowledged, and with them an idempotent
producer's sequence numbers: that producer's later batches to the partition are refused for
good. ``RenewingProducer`` (the poller's) sends them from a new producer (issue 19)."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
from aiokafka import AIOKafkaProducer
from aiokafka.errors import OutOfOrderSequenceNumber

from agents.renewing_producer import RenewingProducer
from agents.tail import end_offsets
from agents.topics import ensure_topics
from wirestream.broker import EmbeddedBroker, free_port
from wirestream_core.connection import client_options
from wirestream_core.settings import Settings

pytestmark = [pytest.mark.integration, pytest.mark.faults]

#: Seconds after which the embedded broker has a write on disk (README: 1 s kept all).
DURABLE = 2.0


def idempotent(settings: Settings) -> AIOKafkaProducer:
    return AIOKafkaProducer(
        **client_options(settings), acks="all", enable_idempotence=True, key_serializer=str.encode
    )


async def lose_the_last_write(broker: EmbeddedBroker, send: object, topic: str) -> None:
    """One durable write, then one the broker acknowledges and loses to a SIGKILL."""
    assert callable(send)
    await send(topic, [("k", b"durable")])
    await asyncio.sleep(DURABLE)
    await send(topic, [("k", b"lost")])
    broker.kill()
    broker.start()


async def test_a_producer_the_broker_forgot_is_renewed_and_its_records_land(tmp_path: Path) -> None:
    broker = EmbeddedBroker(tmp_path / "broker", port=free_port())
    broker.start()
    settings = Settings(broker=broker.url, app_id="ws-renew", topic_prefix="renew.", partitions=1)
    topic = settings.topic("feed-state")
    try:
        await ensure_topics(settings)
        await asyncio.sleep(DURABLE)

        # The plain idempotent producer: refused after the broker lost its last write.
        plain = idempotent(settings)
        await plain.start()

        async def plain_send(t: str, records: list[tuple[str, bytes]]) -> None:
            for key, value in records:
                await plain.send_and_wait(t, key=key, value=value)

        try:
            await lose_the_last_write(broker, plain_send, topic)
            assert sum((await end_offsets(settings, topic)).values()) == 1, "the write was lost"
            started = time.monotonic()
            with pytest.raises(OutOfOrderSequenceNumber):
                await plain_send(topic, [("k", b"after")])
            with pytest.raises(OutOfOrderSequenceNumber):
                await plain_send(topic, [("k", b"after, again")])
        finally:
            await plain.stop()

        # The renewing one: the same loss, then the record lands.
        out = RenewingProducer(lambda: idempotent(settings))
        await out.start()
        try:
            await lose_the_last_write(broker, out.send_all, topic)
            before = sum((await end_offsets(settings, topic)).values())
            await out.send_all(topic, [("k", b"after")])
            assert sum((await end_offsets(settings, topic)).values()) == before + 1
            assert out.renewals == 1
        finally:
            await out.stop()
        print(f"\nrefused twice, then renewed; {time.monotonic() - started:.1f} s")
    finally:
        broker.stop()
