#!/usr/bin/env python3
"""A wirestream subscriber that knows nothing of wirestream: plain aiokafka and the JSON Schema.

It reads topics the way any downstream team would — its own client, ``read_committed``, the
checked-in JSON Schema files (``schemas/json/``) as the only contract — validates every
value, and prints a summary. It imports nothing from wirestream (or Faust); copy it anywhere
with ``pip install aiokafka jsonschema``.

    python examples/subscriber.py --bootstrap 127.0.0.1:9092 --topic events --topic mentions

Exit status 1 if any value fails its schema.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from jsonschema import Draft202012Validator

#: Which schema file describes each topic's values (the README's "Topics and records" table).
TOPIC_SCHEMAS = {
    "raw-articles": "raw-article",
    "dedup-sequence": "raw-article",
    "unique-articles": "unique-article",
    "duplicates": "duplicate",
    "article-events": "event",
    "events": "linked-event",
    "mentions": "mention",
    "enriched-articles": "enriched-article",
    "non-english-articles": "enriched-article",
    "dead-letters": "dead-letter",
    "dead-letter-replays": "dead-letter-replay",
    "feed-state": "feed-state",
}
DEFAULT_SCHEMAS = Path(__file__).resolve().parents[1] / "schemas" / "json"


@dataclass
class TopicSummary:
    """What one topic held."""

    records: int = 0
    valid: int = 0
    invalid: int = 0
    tombstones: int = 0
    keys: set[str] = field(default_factory=set)
    versions: Counter[int] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly summary."""
        return {
            "records": self.records,
            "valid": self.valid,
            "invalid": self.invalid,
            "tombstones": self.tombstones,
            "keys": len(self.keys),
            "schema_versions": sorted(self.versions),
            "errors": self.errors[:5],
        }


def load_validators(schema_dir: Path, topics: list[str]) -> dict[str, Draft202012Validator]:
    """One validator per topic, from the schema files."""
    validators = {}
    for topic in topics:
        schema = json.loads((schema_dir / f"{TOPIC_SCHEMAS[topic]}.schema.json").read_text())
        Draft202012Validator.check_schema(schema)
        validators[topic] = Draft202012Validator(schema)
    return validators


async def consume(args: argparse.Namespace) -> dict[str, TopicSummary]:
    """Read every partition of the topics until ``--idle`` seconds pass with nothing new."""
    validators = load_validators(args.schemas, args.topic)
    full = {f"{args.prefix}{t}": t for t in args.topic}
    summaries = {t: TopicSummary() for t in args.topic}
    consumer = AIOKafkaConsumer(
        bootstrap_servers=args.bootstrap,
        group_id=args.group,
        # Under exactly_once, records of aborted transactions must never be seen.
        isolation_level="read_committed",
        auto_offset_reset="earliest",
        enable_auto_commit=args.group is not None,
    )
    await consumer.start()
    try:
        if args.group:
            consumer.subscribe(list(full))
        else:
            await consumer.topics()
            tps = [
                TopicPartition(name, p)
                for name in full
                for p in sorted(consumer.partitions_for_topic(name) or ())
            ]
            consumer.assign(tps)
            await consumer.seek_to_beginning(*tps)
        loop = asyncio.get_running_loop()
        last = loop.time()
        while loop.time() - last < args.idle:
            batches = await consumer.getmany(timeout_ms=200)
            for tp, records in batches.items():
                topic = full[tp.topic]
                summary = summaries[topic]
                for record in records:
                    last = loop.time()
                    summary.records += 1
                    if record.key is not None:
                        summary.keys.add(record.key.decode("utf-8", "replace"))
                    if record.value is None:
                        summary.tombstones += 1  # compacted topics: a deleted key
                        continue
                    try:
                        value = json.loads(record.value)
                    except ValueError as exc:
                        summary.invalid += 1
                        summary.errors.append(f"offset {record.offset}: not JSON: {exc}")
                        continue
                    problems = list(validators[topic].iter_errors(value))
                    if problems:
                        summary.invalid += 1
                        summary.errors.append(f"offset {record.offset}: {problems[0].message}")
                        continue
                    summary.valid += 1
                    summary.versions[value.get("schema_version", 0)] += 1
    finally:
        await consumer.stop()
    return summaries


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, consume, print the summary."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bootstrap", default="127.0.0.1:9092", help="host:port[,host:port]")
    parser.add_argument("--prefix", default="wirestream.", help="Topic name prefix.")
    parser.add_argument(
        "--topic",
        action="append",
        choices=sorted(TOPIC_SCHEMAS),
        help="Short topic name (repeatable; default: events).",
    )
    parser.add_argument("--schemas", type=Path, default=DEFAULT_SCHEMAS, help="JSON Schema dir.")
    parser.add_argument(
        "--group", help="Consumer group (commits offsets); default: read everything, no group."
    )
    parser.add_argument(
        "--idle", type=float, default=5.0, help="Stop after this many seconds without a record."
    )
    parser.add_argument("--json", action="store_true", help="Print the summary as JSON.")
    args = parser.parse_args(argv)
    args.topic = args.topic or ["events"]
    summaries = asyncio.run(consume(args))
    if args.json:
        print(json.dumps({t: s.as_dict() for t, s in summaries.items()}, indent=2))
    else:
        for topic, s in summaries.items():
            versions = ",".join(str(v) for v in sorted(s.versions)) or "-"
            print(
                f"{topic:22} {s.records:6} records {s.valid:6} valid {s.invalid:4} invalid "
                f"{len(s.keys):6} keys  schema_version {versions}"
            )
            for error in s.errors[:5]:
                print(f"    {error}")
    return 1 if any(s.invalid for s in summaries.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
