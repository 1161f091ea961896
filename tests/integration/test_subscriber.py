"""A subscriber in another stack (examples/subscriber.py: aiokafka + jsonschema, no wirestream)
reads and validates every record of a demo run."""

from __future__ import annotations

import ast
import asyncio
import json
import subprocess
import sys
from pathlib import Path

import pytest
from aiokafka import AIOKafkaProducer

from agents.topics import ensure_topics
from tests.integration.helpers import read_topic_sync, worker_process
from wirestream.runner import poll_forever
from wirestream_core.settings import BUNDLED_FEEDS, TOPIC_NAMES, Settings

pytestmark = pytest.mark.integration

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "subscriber.py"
TOPICS = list(TOPIC_NAMES)  # the example knows the schema of every topic


def test_the_example_imports_nothing_of_wirestream() -> None:
    tree = ast.parse(EXAMPLE.read_text())
    imported = {
        (node.module or "").split(".")[0] if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert not imported & {"wirestream", "agents", "schemas", "pipeline", "faust", "mode"}
    assert {"aiokafka", "jsonschema"} <= imported


def test_a_foreign_subscriber_validates_every_record_of_a_demo_run(
    settings: Settings, tmp_path: Path
) -> None:
    settings = settings.model_copy(update={"feeds": BUNDLED_FEEDS})
    asyncio.run(ensure_topics(settings))
    with worker_process(settings, tmp_path / "worker.log"):
        assert asyncio.run(poll_forever(settings, once=True)) == 0
        raw = read_topic_sync(settings, "raw-articles", idle=1)
        unique = read_topic_sync(settings, "unique-articles", until=len(raw) - 1, idle=2)
        read_topic_sync(settings, "enriched-articles", until=len(unique), timeout=120, idle=2)
        expected = {t: len(read_topic_sync(settings, t, idle=1)) for t in TOPICS}

    proc = _subscribe(settings, TOPICS)
    assert proc.returncode == 0, proc.stdout.decode() + proc.stderr.decode()[-3000:]
    summary = json.loads(proc.stdout)
    assert {t: s["records"] for t, s in summary.items()} == expected
    assert all(s["valid"] == s["records"] - s["tombstones"] for s in summary.values())
    assert expected["events"] >= 5 and expected["mentions"] >= 5
    assert all(s["schema_versions"] in ([], [1]) for s in summary.values())

    # A record that breaks the contract is caught, and the subscriber says so.
    asyncio.run(_produce(settings, "events", b"bad", b'{"event_id": 7}'))
    proc = _subscribe(settings, ["events"])
    assert proc.returncode == 1
    events = json.loads(proc.stdout)["events"]
    assert events["invalid"] == 1 and events["valid"] == expected["events"]
    assert "7 is not of type 'string'" in events["errors"][0]


def _subscribe(settings: Settings, topics: list[str]) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [
            sys.executable,
            str(EXAMPLE),
            "--bootstrap",
            settings.bootstrap_servers(),
            "--prefix",
            settings.topic_prefix,
            "--idle",
            "2",
            "--json",
            *(arg for t in topics for arg in ("--topic", t)),
        ],
        capture_output=True,
        timeout=120,
        check=False,
    )


async def _produce(settings: Settings, topic: str, key: bytes, value: bytes) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=settings.bootstrap_servers())
    await producer.start()
    try:
        await producer.send_and_wait(settings.topic(topic), key=key, value=value)
    finally:
        await producer.stop()
