"""The topic declarations of ``topics.toml``: name, key, value record, partitions, compaction."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TOPICS_FILE = Path(__file__).with_name("topics.toml")


@dataclass(frozen=True)
class Topic:
    """One topic as declared: its short name, key, value record and layout."""

    name: str
    key: str
    record: str
    partitions: int | None = None
    compacted: bool = False
    internal: bool = False


def load_topics(path: Path = TOPICS_FILE) -> tuple[Topic, ...]:
    """Every declared topic, in creation order."""
    with path.open("rb") as f:
        tables: list[dict[str, Any]] = tomllib.load(f)["topic"]
    topics = tuple(Topic(**table) for table in tables)
    names = [t.name for t in topics]
    if len(set(names)) != len(names):
        raise ValueError(f"{path}: a topic is declared twice: {names}")
    return topics


TOPICS = load_topics()
#: Short names of every topic, in creation order.
TOPIC_NAMES = tuple(t.name for t in TOPICS)
#: Topics whose latest value per key is the state (compacted rather than deleted by age).
COMPACTED = frozenset(t.name for t in TOPICS if t.compacted)
#: Topics with a fixed partition count, whatever ``WIRESTREAM_PARTITIONS`` says.
FIXED_PARTITIONS = {t.name: t.partitions for t in TOPICS if t.partitions is not None}


def partitions_of(name: str, default: int) -> int:
    """Partition count of topic ``name``: its fixed count, else ``default`` (the setting)."""
    return FIXED_PARTITIONS.get(name, default)
