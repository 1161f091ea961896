"""Topic configs from the settings: retention for streams, compaction lag for state, min ISR."""

from __future__ import annotations

from agents.topics import topic_specs
from wirestream_core.settings import Settings


def test_defaults_leave_retention_to_the_cluster() -> None:
    specs = {s.name: s for s in topic_specs(Settings())}
    assert specs["wirestream.raw-articles"].configs() == {"cleanup.policy": "delete"}
    assert specs["wirestream.feed-state"].configs() == {"cleanup.policy": "compact"}


def test_settings_reach_the_topic_configs() -> None:
    settings = Settings(
        replication_factor=3,
        topic_min_insync_replicas=2,
        topic_retention_ms=86_400_000,
        topic_min_compaction_lag_ms=60_000,
    )
    specs = {s.name: s for s in topic_specs(settings)}
    assert specs["wirestream.raw-articles"].configs() == {
        "cleanup.policy": "delete",
        "min.insync.replicas": "2",
        "retention.ms": "86400000",
    }
    # compacted state keeps every key's last value whatever its age: no retention.ms
    assert specs["wirestream.events"].configs() == {
        "cleanup.policy": "compact",
        "min.insync.replicas": "2",
        "min.compaction.lag.ms": "60000",
    }
    assert specs["wirestream.dedup-sequence"].partitions == 1
