"""Dead-letter replay: poison messages on every input topic fail under a bug, are replayed after
the fix and flow through; a replay that fails again comes back once, with its count."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiokafka import AIOKafkaProducer

from agents.topics import ensure_topics
from pipeline.link import partition_key
from schemas import Event, RawArticle, Span, UniqueArticle
from tests.integration.helpers import read_topic_sync, worker_process
from wirestream import cli
from wirestream.procs import NLP_READY, READY, settings_env, stop_process, wait_for_log
from wirestream_core.settings import Settings

pytestmark = pytest.mark.integration

NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
TEXT = "Police arrested twelve POISON protesters in Paris on Monday, officials said."


def _raw(article_id: str, city: str) -> RawArticle:
    # Each in its own city: the same text twice would be a duplicate, not a second article.
    return RawArticle(
        article_id=article_id,
        feed_id="manual",
        source="Manual",
        fetched=NOW,
        published=NOW,
        title="Police arrest protesters",
        summary=TEXT.replace("Paris", city),
    )


def _poison() -> list[tuple[str, bytes, bytes]]:
    """One poison message per input topic: (short topic name, key, value)."""
    unique = UniqueArticle(
        **{**_raw("poison-unique", "Lyon").asdict(), "text": TEXT, "fingerprint": "f"}
    )
    event = Event(
        event_id="poison-event",
        article_id="poison-event-article",
        event_type="Protests",
        sub_event_type="Peaceful protest",
        cameo_root="14",
        cameo_code="140",
        plover="PROTEST",
        trigger=Span(text="POISON", start=23, end=29),
        sentence=Span(text=TEXT, start=0, end=len(TEXT)),
        modality="asserted",
        factual=True,
        confidence=0.7,
        extracted=NOW,
    )
    return [
        ("raw-articles", b"poison-raw", _raw("poison-raw", "Berlin").to_json_bytes()),
        ("dedup-sequence", b"poison-seq", _raw("poison-seq", "Madrid").to_json_bytes()),
        ("unique-articles", b"poison-unique", unique.to_json_bytes()),
        ("article-events", partition_key(event).encode(), event.to_json_bytes()),
    ]


async def _produce(settings: Settings, messages: list[tuple[str, bytes, bytes]]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=settings.bootstrap_servers())
    await producer.start()
    try:
        for topic, key, value in messages:
            await producer.send_and_wait(settings.topic(topic), key=key, value=value)
    finally:
        await producer.stop()


@contextmanager
def faulty_worker(settings: Settings, log_path: Path) -> Iterator[None]:
    """A worker whose every stage rejects the poison (tests/integration/faulty_worker.py)."""
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "tests.integration.faulty_worker", "--log-level", "info"],
            env=settings_env(settings),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for_log(proc, log_path, READY, 90)
        wait_for_log(proc, log_path, NLP_READY, 90)
        yield
    finally:
        stop_process(proc)


def _cli(
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    *args: str,
) -> tuple[str, str]:
    for name, value in settings_env(settings).items():
        if name.startswith("WIRESTREAM_"):
            monkeypatch.setenv(name, value)
    assert cli.main(["deadletters", *args]) == 0
    out = capsys.readouterr()
    return out.out, out.err


def test_poison_on_each_input_topic_is_replayed_after_the_fix(
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    asyncio.run(ensure_topics(settings))
    stages = {"intake", "dedup", "extract", "link"}
    with faulty_worker(settings, tmp_path / "faulty.log"):
        asyncio.run(_produce(settings, _poison()))
        first = read_topic_sync(settings, "dead-letters", until=4, timeout=60, idle=1)
        assert {v["stage"] for _, v in first} == stages
        assert all(v["replay_count"] == 0 and v["replayed_from"] is None for _, v in first)

        # Replayed before the fix: each fails again and comes back once, with its count.
        out, err = _cli(settings, monkeypatch, capsys, "replay")
        assert out.count("replayed ") == 4 and "replayed 4 dead letter(s)" in err
        dead = read_topic_sync(settings, "dead-letters", until=8, timeout=60, idle=2)
        assert len(dead) == 8, dead
        # Partitions interleave when read back: the new letters are told by their count.
        again = [v for _, v in dead if v["replay_count"] == 1]
        assert sorted(v["stage"] for v in again) == sorted(stages)
        assert all(v["replayed_from"] for v in again)

        out, err = _cli(settings, monkeypatch, capsys, "list", "--stage", "link")
        lines = out.splitlines()
        assert len(lines) == 2 and "[replayed " in lines[0] and "[not replayed]" in lines[1]
        assert "(after 1 replay(s))" in lines[1]

    # The fix is deployed: a normal worker. Only the four new dead letters go out again.
    with worker_process(settings, tmp_path / "fixed.log", wait_nlp=True):
        out, err = _cli(settings, monkeypatch, capsys, "replay", "--dry-run")
        assert out.count("would replay ") == 4 and "4 already replayed" in err
        out, err = _cli(settings, monkeypatch, capsys, "replay")
        assert "replayed 4 dead letter(s); 4 already replayed" in err
        enriched = read_topic_sync(settings, "enriched-articles", until=3, timeout=60, idle=1)
        mentions = read_topic_sync(settings, "mentions", until=1, timeout=30, idle=1)
        out, err = _cli(settings, monkeypatch, capsys, "replay")
        assert "replayed 0 dead letter(s); 8 already replayed" in err
        out, err = _cli(settings, monkeypatch, capsys, "list", "--json", "--stage", "intake")
        rows = [json.loads(line) for line in out.splitlines()]
        counts = [(r["replay_count"], r["replayed"]["replay_count"]) for r in rows]
        assert counts == [(0, 1), (1, 2)], "failed first, then once more after one replay"
        dead = read_topic_sync(settings, "dead-letters", idle=2)

    assert sorted(k for k, _ in enriched) == ["poison-raw", "poison-seq", "poison-unique"]
    # The replayed article-event is linked (the three articles' own events are there too).
    assert "poison-event" in [m["event"]["event_id"] for _, m in mentions]
    assert len(dead) == 8, "nothing failed after the fix"
    markers = read_topic_sync(settings, "dead-letter-replays", idle=1)
    assert len({k for k, _ in markers}) == 8 and max(v["replay_count"] for _, v in markers) == 2
