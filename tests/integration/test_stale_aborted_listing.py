"""read_committed readers past an aborted transaction, on the real embedded broker (issue 19).

noida-db 0.2.3 lists, in every read_committed fetch response, each aborted transaction of the
partition, also those whose abort marker lies before the fetch offset. aiokafka then takes the
producer id for aborted and, meeting no later abort marker of it, skipped every later record of
that producer id: after a worker's crash (its restarted producer keeps its producer id) nothing
it committed was visible to a reader resuming past the abort. ``install_stale_abort_guard``
(wirestream_core/kafka_compat.py) drops such stale entries from the listing.
"""

from __future__ import annotations

import asyncio
import uuid

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.structs import TopicPartition

from tests.integration.helpers import write_aborted_then_committed
from wirestream.broker import EmbeddedBroker
from wirestream_core.kafka_compat import install_stale_abort_guard

pytestmark = pytest.mark.integration


async def read_committed_from(bootstrap: str, tp: TopicPartition, offset: int) -> list[bytes]:
    """Values a new read_committed reader sees from ``offset`` until 1.5 s bring nothing."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, group_id=None, isolation_level="read_committed"
    )
    await consumer.start()
    seen: list[bytes] = []
    try:
        consumer.assign([tp])
        consumer.seek(tp, offset)
        loop = asyncio.get_running_loop()
        quiet = loop.time()
        while loop.time() - quiet < 1.5:
            batch = await consumer.getmany(timeout_ms=200)
            for records in batch.values():
                seen.extend(r.value for r in records if r.value is not None)
                quiet = loop.time()
    finally:
        await consumer.stop()
    return seen


async def test_reader_past_an_abort_marker_sees_every_later_committed_record(
    broker: EmbeddedBroker,
) -> None:
    install_stale_abort_guard()
    topic = f"stale-aborts-{uuid.uuid4().hex[:8]}"
    tp = TopicPartition(topic, 0)
    committed = await write_aborted_then_committed(broker.bootstrap, topic)

    # Offsets 0-2 aborted records, 3 the abort marker, 4-8 and 10-14 committed (9, 15 markers).
    everything = await read_committed_from(broker.bootstrap, tp, 0)
    assert everything == committed
    past_abort = await read_committed_from(broker.bootstrap, tp, 4)
    assert past_abort == committed
    # Inside the second transaction: its records from there on, and none of the first.
    assert await read_committed_from(broker.bootstrap, tp, 12) == committed[-3:]


async def test_records_whose_transaction_end_is_not_yet_stable_wait_for_it(
    broker: EmbeddedBroker,
) -> None:
    install_stale_abort_guard()
    topic = f"stale-aborts-{uuid.uuid4().hex[:8]}"
    tp = TopicPartition(topic, 0)
    tid = f"tx-{topic}"
    crashed = AIOKafkaProducer(bootstrap_servers=broker.bootstrap, transactional_id=tid)
    successor = AIOKafkaProducer(bootstrap_servers=broker.bootstrap, transactional_id=tid)
    other = AIOKafkaProducer(bootstrap_servers=broker.bootstrap, transactional_id=f"{tid}-b")
    await crashed.start()
    await crashed.begin_transaction()
    await crashed.send_and_wait(topic, b"aborted", partition=0)  # offset 0
    await successor.start()  # aborts it: marker at 1
    await other.start()
    consumer = AIOKafkaConsumer(
        bootstrap_servers=broker.bootstrap, group_id=None, isolation_level="read_committed"
    )
    await consumer.start()
    try:
        await successor.begin_transaction()
        await successor.send_and_wait(topic, b"committed-a", partition=0)  # offset 2
        await other.begin_transaction()
        await other.send_and_wait(topic, b"committed-b", partition=0)  # offset 3
        await successor.commit_transaction()  # marker at 4, past the last stable offset 3
        consumer.assign([tp])
        consumer.seek(tp, 2)
        early = await consumer.getmany(timeout_ms=1000)
        # Offset 2's transaction ended at a control batch not yet readable: held back, not
        # skipped (before the guard: skipped for good, its producer id taken for aborted).
        assert [r.value for recs in early.values() for r in recs] == []
        await other.commit_transaction()
        seen: list[bytes | None] = []
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 10
        while len(seen) < 2 and loop.time() < deadline:
            for recs in (await consumer.getmany(timeout_ms=300)).values():
                seen.extend(r.value for r in recs)
        assert seen == [b"committed-a", b"committed-b"]
    finally:
        await consumer.stop()
        await other.stop()
        await successor.stop()
        await crashed.stop()
