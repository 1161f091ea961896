"""Topics are created up front with the configured partitions; a mismatch is a clear error."""

from __future__ import annotations

import asyncio

import pytest
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType

from agents.topics import ensure_topics, topic_specs
from pipeline.errors import ConfigError
from wirestream import cli
from wirestream_core.settings import TOPIC_NAMES, Settings

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


async def _precreate(settings: Settings, name: str, partitions: int, policy: str) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.bootstrap_servers())
    await admin.start()
    try:
        await admin.create_topics(
            [
                NewTopic(
                    settings.topic(name), partitions, 1, topic_configs={"cleanup.policy": policy}
                )
            ]
        )
    finally:
        await admin.close()


async def test_a_state_topic_that_deletes_by_age_is_refused(settings: Settings) -> None:
    # Made by hand (or by a broker's auto-create) before wirestream ran: right partitions,
    # wrong policy. Feed state on it would silently vanish after the retention time.
    await _precreate(settings, "feed-state", settings.partitions, "delete")
    with pytest.raises(ConfigError, match=r"feed-state has cleanup\.policy=delete, expected"):
        await ensure_topics(settings)


async def test_a_stream_topic_that_compacts_is_refused(settings: Settings) -> None:
    await _precreate(settings, "raw-articles", settings.partitions, "compact")
    with pytest.raises(ConfigError, match=r"raw-articles has cleanup\.policy=compact"):
        await ensure_topics(settings)


async def test_configured_retention_reaches_the_created_topics(settings: Settings) -> None:
    hour = 3_600_000
    await ensure_topics(settings.model_copy(update={"topic_retention_ms": hour}))
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.bootstrap_servers())
    await admin.start()
    try:
        (response,) = await admin.describe_configs(
            [ConfigResource(ConfigResourceType.TOPIC, settings.topic("raw-articles"))]
        )
    finally:
        await admin.close()
    entries = {entry[0]: entry[1] for entry in response.resources[0][4]}
    assert entries["retention.ms"] == str(hour)
    assert entries["cleanup.policy"] == "delete"


def test_the_topics_command_exits_non_zero_on_a_wrong_topic(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    asyncio.run(_precreate(settings, "events", settings.partitions, "delete"))
    monkeypatch.setenv("WIRESTREAM_TOPIC_PREFIX", settings.topic_prefix)
    code = cli.main(["topics", "--broker", str(settings.broker), "--partitions", "4"])
    err = capsys.readouterr().err
    assert code == 2
    assert "events has cleanup.policy=delete, expected compact" in err


async def _configs(settings: Settings, name: str) -> dict[str, str]:
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.bootstrap_servers())
    await admin.start()
    try:
        (response,) = await admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, name)])
    finally:
        await admin.close()
    return {entry[0]: entry[1] for entry in response.resources[0][4]}


async def test_the_embedded_broker_gets_bounded_topics(settings: Settings) -> None:
    # its cleaner deletes and compacts only closed segments, which it rolls after 7 days
    await _precreate(settings, "enriched-articles", settings.partitions, "delete")
    await ensure_topics(settings)
    day, ten_minutes = str(24 * 3_600_000), str(600_000)
    raw = await _configs(settings, settings.topic("raw-articles"))
    assert (raw["retention.ms"], raw["segment.ms"]) == (day, ten_minutes)
    # created before, unbounded: given the same configs
    enriched = await _configs(settings, settings.topic("enriched-articles"))
    assert (enriched["retention.ms"], enriched["segment.ms"]) == (day, ten_minutes)
    letters = await _configs(settings, settings.topic("dead-letters"))
    assert letters["retention.ms"] == str(7 * 24 * 3_600_000)
    events = await _configs(settings, settings.topic("events"))
    assert (events["cleanup.policy"], events["segment.ms"]) == ("compact", ten_minutes)
    # the tables' changelogs, created here rather than by Faust, compact too
    for table in ("dedup-index", "link-state"):
        changelog = await _configs(settings, f"{settings.app_id}-{table}-changelog")
        assert (changelog["cleanup.policy"], changelog["segment.ms"]) == ("compact", ten_minutes)


async def test_a_short_retention_rolls_segments_within_it(settings: Settings) -> None:
    await ensure_topics(settings.model_copy(update={"topic_retention_ms": 60_000}))
    raw = await _configs(settings, settings.topic("raw-articles"))
    assert (raw["retention.ms"], raw["segment.ms"]) == ("60000", "15000")
