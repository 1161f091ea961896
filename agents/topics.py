"""Topic definitions: names, partition counts and policies, created explicitly up front.

Brokers that auto-create topics give them one partition (and Faust then fails with
``PartitionsMismatch`` against its tables), so every topic is created here before any
client uses it, and an existing topic with the wrong partition count is an error.

On the embedded broker (noida-db, told by its fixed cluster id) every topic, the tables'
changelogs included, also gets configs that bound what the broker keeps in memory and
rewrites at each autosave (``embedded_configs``): short segments, so that its log cleaner can
delete and compact at all, a day's retention on the streams, a week on dead letters.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
from aiokafka.errors import KafkaError, TopicAlreadyExistsError

from pipeline.errors import ConfigError
from schemas.topics import COMPACTED, TOPIC_NAMES, partitions_of
from wirestream_core.connection import client_options
from wirestream_core.settings import Settings

log = logging.getLogger(__name__)

#: The cluster id noida-db 0.2.3, the embedded broker, reports (a constant in its binary).
EMBEDDED_CLUSTER_ID = "MkU3OEVBNTctOEUyRi00"

#: The Faust tables (name, partitions: None = the topic partition count); their changelog
#: topics are created here on the embedded broker, so they get its bounded configs too.
TABLES: tuple[tuple[str, int | None], ...] = (("dedup-index", 1), ("link-state", None))

HOUR_MS = 3_600_000
#: On the embedded broker: how long a stream topic keeps a record (unless
#: WIRESTREAM_TOPIC_RETENTION_MS says otherwise), and dead letters (kept for replay).
EMBEDDED_RETENTION_MS = 24 * HOUR_MS
EMBEDDED_DEAD_LETTER_RETENTION_MS = 7 * 24 * HOUR_MS
#: Its segments: it deletes and compacts only whole closed segments, and rolls one after
#: 7 days (Kafka's default) — so nothing would go for a week. Segments cost it nothing
#: (bookkeeping, not files).
EMBEDDED_SEGMENT_MS = HOUR_MS // 6


@dataclass(frozen=True)
class TopicSpec:
    """A topic the project owns."""

    name: str
    partitions: int
    compacted: bool
    #: Further topic configs from the settings (retention, compaction lag, min ISR).
    extra: tuple[tuple[str, str], ...] = ()

    @property
    def cleanup_policy(self) -> str:
        """``compact`` for state topics, ``delete`` for streams."""
        return "compact" if self.compacted else "delete"

    def configs(self) -> dict[str, str]:
        """Topic-level configs passed at creation."""
        return {"cleanup.policy": self.cleanup_policy, **dict(self.extra)}


def _extra_configs(settings: Settings, compacted: bool) -> tuple[tuple[str, str], ...]:
    configs: list[tuple[str, str]] = []
    if settings.topic_min_insync_replicas is not None:
        configs.append(("min.insync.replicas", str(settings.topic_min_insync_replicas)))
    if compacted:
        if settings.topic_min_compaction_lag_ms is not None:
            configs.append(("min.compaction.lag.ms", str(settings.topic_min_compaction_lag_ms)))
    elif settings.topic_retention_ms is not None:
        configs.append(("retention.ms", str(settings.topic_retention_ms)))
    return tuple(configs)


def topic_specs(settings: Settings) -> list[TopicSpec]:
    """Every topic wirestream reads or writes, with its full name."""
    return [
        TopicSpec(
            settings.topic(name),
            partitions_of(name, settings.partitions),
            name in COMPACTED,
            _extra_configs(settings, name in COMPACTED),
        )
        for name in TOPIC_NAMES
    ]


def changelog_specs(settings: Settings) -> list[TopicSpec]:
    """The changelog topics Faust names for the worker's tables (compacted)."""
    return [
        TopicSpec(
            f"{settings.app_id}-{table}-changelog",
            partitions or settings.partitions,
            True,
            _extra_configs(settings, True),
        )
        for table, partitions in TABLES
    ]


def embedded_configs(settings: Settings, spec: TopicSpec) -> dict[str, str]:
    """A topic's configs on the embedded broker: bounded retention, compaction that runs."""
    configs = spec.configs()
    if spec.compacted:
        configs["segment.ms"] = str(EMBEDDED_SEGMENT_MS)
        return configs
    if spec.name == settings.topic("dead-letters"):
        retention = EMBEDDED_DEAD_LETTER_RETENTION_MS
    else:
        retention = EMBEDDED_RETENTION_MS
    if settings.topic_retention_ms is not None:
        retention = settings.topic_retention_ms
    configs["retention.ms"] = str(retention)
    # an active segment goes only once its newest record is past retention: roll well before
    segment = EMBEDDED_SEGMENT_MS if retention < 0 else min(EMBEDDED_SEGMENT_MS, retention // 4)
    configs["segment.ms"] = str(max(segment, 1))
    return configs


async def is_embedded(admin: AIOKafkaAdminClient) -> bool:
    """True if the broker is the embedded one (noida-db)."""
    cluster = await admin.describe_cluster()
    return bool(cluster.get("cluster_id") == EMBEDDED_CLUSTER_ID)


async def ensure_topics(
    settings: Settings, extra: list[TopicSpec] | None = None, *, timeout: float = 30.0
) -> None:
    """Create missing topics; raise ConfigError if an existing one is not as configured.

    Checked: the partition count, the replication factor (at least the configured one) and
    the cleanup policy. A compacted state topic that
    deletes by age would silently lose feed state and linked events; a stream topic that
    compacts would keep only the last article per key.
    """
    specs = topic_specs(settings) + list(extra or [])
    admin = AIOKafkaAdminClient(**client_options(settings), request_timeout_ms=int(timeout * 1000))
    await asyncio.wait_for(admin.start(), timeout)
    try:
        embedded = await is_embedded(admin)
        if embedded:
            specs += changelog_specs(settings)
        configs = {
            s.name: embedded_configs(settings, s) if embedded else s.configs() for s in specs
        }
        existing = set(await admin.list_topics())
        missing = [s for s in specs if s.name not in existing]
        if missing:
            # Another process may create a topic between our list and our create.
            with contextlib.suppress(TopicAlreadyExistsError):
                await admin.create_topics(
                    [
                        NewTopic(
                            s.name,
                            s.partitions,
                            settings.replication_factor,
                            topic_configs=configs[s.name],
                        )
                        for s in missing
                    ]
                )
            log.info("created topics: %s", ", ".join(s.name for s in missing))
        described = await admin.describe_topics([s.name for s in specs])
        counts = {d["topic"]: len(d["partitions"]) for d in described}
        wrong = [
            f"{s.name} has {counts.get(s.name)} partitions, expected {s.partitions}"
            for s in specs
            if counts.get(s.name) != s.partitions
        ]
        if wrong:
            raise ConfigError(
                "topic partition counts do not match the settings (set WIRESTREAM_PARTITIONS "
                "to match, or recreate the topics): " + "; ".join(wrong)
            )
        replicas = {
            d["topic"]: min((len(p["replicas"]) for p in d["partitions"]), default=0)
            for d in described
        }
        wrong = [
            f"{s.name} has {replicas.get(s.name)} replica(s), expected at least "
            f"{settings.replication_factor}"
            for s in specs
            if replicas.get(s.name, 0) < settings.replication_factor
        ]
        if wrong:
            raise ConfigError(
                "topics are replicated less than WIRESTREAM_REPLICATION_FACTOR (raise it with "
                "kafka-reassign-partitions.sh, or recreate the topics): " + "; ".join(wrong)
            )
        policies = await cleanup_policies(admin, [s.name for s in specs])
        wrong = [
            f"{s.name} has cleanup.policy={policies.get(s.name)}, expected {s.cleanup_policy}"
            for s in specs
            if policies.get(s.name) != s.cleanup_policy
        ]
        if wrong:
            raise ConfigError(
                "topic cleanup policies do not match (fix them with kafka-configs.sh "
                "--alter --add-config cleanup.policy=..., or recreate the topics): "
                + "; ".join(wrong)
            )
        if embedded and len(missing) < len(specs):
            # topics an older version created unbounded get the bounded configs, once they
            # are known right (the embedded broker takes AlterConfigs as the whole set)
            responses = await admin.alter_configs(
                [
                    ConfigResource(ConfigResourceType.TOPIC, s.name, configs[s.name])
                    for s in specs
                    if s not in missing
                ]
            )
            for response in responses:
                for error_code, message, _type, name in response.resources:
                    if error_code:
                        log.warning("topic %s keeps its configs: %s", name, message)
    except KafkaError as exc:
        raise ConfigError(f"cannot create or check topics on {settings.broker}: {exc!r}") from exc
    finally:
        await admin.close()


async def cleanup_policies(admin: AIOKafkaAdminClient, names: list[str]) -> dict[str, str]:
    """``cleanup.policy`` of each topic, as the cluster reports it."""
    responses = await admin.describe_configs(
        [ConfigResource(ConfigResourceType.TOPIC, name, {"cleanup.policy": None}) for name in names]
    )
    policies: dict[str, str] = {}
    for response in responses:
        for resource in response.resources:
            # (error_code, error_message, resource_type, resource_name, config_entries)
            error_code, message, _type, name, entries = resource[:5]
            if error_code:
                raise ConfigError(f"cannot read the configs of topic {name}: {message}")
            for entry in entries:
                if entry[0] == "cleanup.policy":
                    # Kafka reports a combined policy as "compact,delete"; keep it whole.
                    policies[name] = entry[1]
    return policies
