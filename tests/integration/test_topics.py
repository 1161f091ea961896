"""Topics are created up front with the configured partitions; a mismatch is a clear error."""

from __future__ import annotations

import pytest
from aiokafka.admin import AIOKafkaAdminClient

from agents.topics import ensure_topics, topic_specs
from pipeline.errors import ConfigError
from wirestream.settings import TOPIC_NAMES, Settings

pytestmark = pytest.mark.integration


async def test_creates_every_topic_with_its_partitions(settings: Settings) -> None:
    await ensure_topics(settings)
    await ensure_topics(settings)  # idempotent
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.bootstrap_servers())
    await admin.start()
    try:
        described = await admin.describe_topics([s.name for s in topic_specs(settings)])
    finally:
        await admin.close()
    counts = {d["topic"]: len(d["partitions"]) for d in described}
    assert counts == {settings.topic(n): 1 if n == "dedup-sequence" else 4 for n in TOPIC_NAMES}


async def test_partition_mismatch_is_reported(settings: Settings) -> None:
    await ensure_topics(settings)
    other = settings.model_copy(update={"partitions": 2})
    with pytest.raises(ConfigError, match="events has 4 partitions, expected 2"):
        await ensure_topics(other)
