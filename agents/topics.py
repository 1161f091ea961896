"""Topic definitions: names, partition counts and policies, created explicitly up front.

Brokers that auto-create topics give them one partition (and Faust then fails with
``PartitionsMismatch`` against its tables), so every topic is created here before any
client uses it, and an existing topic with the wrong partition count is an error.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaError, TopicAlreadyExistsError

from pipeline.errors import ConfigError
from wirestream.settings import TOPIC_NAMES, Settings

log = logging.getLogger(__name__)

#: Topics whose latest value per key is the state (compacted rather than deleted by age).
COMPACTED = frozenset({"feed-state", "events", "dead-letter-replays"})

#: Topics with a fixed partition count. Every article passes through ``dedup-sequence`` in
#: one total order, so near-duplicates published under different keys always meet in the
#: same index, whichever worker owns it (see agents/dedup.py).
FIXED_PARTITIONS = {"dedup-sequence": 1}


@dataclass(frozen=True)
class TopicSpec:
    """A topic the project owns."""

    name: str
    partitions: int
    compacted: bool

    def configs(self) -> dict[str, str]:
        """Topic-level configs passed at creation."""
        return {"cleanup.policy": "compact" if self.compacted else "delete"}


def topic_specs(settings: Settings) -> list[TopicSpec]:
    """Every topic wirestream reads or writes, with its full name."""
    return [
        TopicSpec(
            settings.topic(name),
            FIXED_PARTITIONS.get(name, settings.partitions),
            name in COMPACTED,
        )
        for name in TOPIC_NAMES
    ]


async def ensure_topics(
    settings: Settings, extra: list[TopicSpec] | None = None, *, timeout: float = 30.0
) -> None:
    """Create missing topics; raise ConfigError if an existing one has other partitions."""
    specs = topic_specs(settings) + list(extra or [])
    admin = AIOKafkaAdminClient(
        bootstrap_servers=settings.bootstrap_servers(), request_timeout_ms=int(timeout * 1000)
    )
    await asyncio.wait_for(admin.start(), timeout)
    try:
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
                            topic_configs=s.configs(),
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
    except KafkaError as exc:
        raise ConfigError(f"cannot create or check topics on {settings.broker}: {exc!r}") from exc
    finally:
        await admin.close()
