"""Feeds in, records out: a real worker process and the poller against the embedded broker."""

from __future__ import annotations

import asyncio
from pathlib import Path

import orjson
import pytest
from aiokafka import AIOKafkaProducer

from agents.topics import ensure_topics
from tests.integration.helpers import read_topic_sync, worker_process
from wirestream.runner import poll_forever
from wirestream.settings import BUNDLED_FEEDS, Settings

pytestmark = pytest.mark.integration


async def _produce(
    settings: Settings, topic: str, messages: list[tuple[bytes | None, bytes]]
) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=settings.bootstrap_servers())
    await producer.start()
    try:
        for key, value in messages:
            await producer.send_and_wait(settings.topic(topic), key=key, value=value)
    finally:
        await producer.stop()


def test_bundled_feeds_flow_to_every_downstream_topic(settings: Settings, tmp_path: Path) -> None:
    settings = settings.model_copy(update={"feeds": BUNDLED_FEEDS})
    asyncio.run(ensure_topics(settings))
    with worker_process(settings, tmp_path / "worker.log"):
        assert asyncio.run(poll_forever(settings, once=True)) == 0
        raw = read_topic_sync(settings, "raw-articles", idle=2)
        assert len(raw) >= 8, "the bundled feeds hold at least 8 entries"
        # Poll again: nothing new is published (feed state + recent ids).
        assert asyncio.run(poll_forever(settings, once=True)) == 0
        assert len(read_topic_sync(settings, "raw-articles", idle=2)) == len(raw)
        unique = read_topic_sync(settings, "unique-articles", until=len(raw), timeout=60)
        enriched = read_topic_sync(settings, "enriched-articles", until=len(raw), timeout=180)
        events = read_topic_sync(settings, "events", idle=3)
        dead = read_topic_sync(settings, "dead-letters", idle=1)

    raw_ids = {k for k, _ in raw}
    assert len(raw_ids) == len(raw), "every raw article has its own id key"
    assert {k for k, _ in unique} == raw_ids
    assert {k for k, _ in enriched} == raw_ids
    assert all(v["text"] and v["fingerprint"] for _, v in unique)
    assert dead == []

    by_id = {v["article_id"]: v for _, v in enriched}
    seed = next(
        v for v in by_id.values() if "Sakhour" in v["text"] and v["source"] == "Nam News Network"
    )
    assert seed["event_ids"], "the seed story yields events"
    assert seed["sentences"] > 10
    assert any(e["text"] == "Aleppo" for e in seed["entities"])

    seed_events = [v for k, v in events if v["article_id"] == seed["article_id"]]
    assert {e["event_id"] for e in seed_events} == set(seed["event_ids"])
    assert all(k == v["event_id"] for k, v in events)
    sakhour = [
        e
        for e in seed_events
        if e["factual"]
        and e["cameo_root"] == "19"
        and e["place"]
        and e["place"]["name"] == "Sakhour"
        and "recapture" in e["trigger"]["text"].lower()
    ]
    assert sakhour, [(e["trigger"]["text"], e["place"]) for e in seed_events]
    event = sakhour[0]
    assert (
        event["actor1"]["normalized"].lower().startswith("syrian")
        and event["actor1"]["type"] == "state_military"
    )
    assert event["actor2"]["normalized"].lower() == "rebels"
    assert event["place"]["geo_precision"] == 2 and abs(event["place"]["latitude"] - 36.20) < 0.1
    assert event["when"]["date"] == "2016-11-27" and event["when"]["time_precision"] == "day"
    assert "military source" in event["attribution"]["text"]
    assert event["source"] == "Nam News Network"
    text = seed["text"]
    for span in (
        event["trigger"],
        event["sentence"],
        event["place"]["span"],
        event["actor1"]["span"],
    ):
        assert text[span["start"] : span["end"]] == span["text"]


def test_bad_messages_become_dead_letters_and_good_ones_pass(
    settings: Settings, tmp_path: Path
) -> None:
    asyncio.run(ensure_topics(settings))
    good = {
        "article_id": "manual-1",
        "feed_id": "manual",
        "source": "Manual",
        "fetched": "2026-11-25T10:00:00Z",
        "title": "Police arrest protesters",
        "summary": "Police arrested twelve protesters in Paris on Monday, officials said.",
    }
    messages = [
        (b"k-garbage", b"\x00\xffnot json"),
        (b"k-list", b"[1, 2, 3]"),
        (b"k-missing", orjson.dumps({"article_id": "x"})),
        (b"manual-1", orjson.dumps(good)),
        (b"wrong-key", orjson.dumps({**good, "article_id": "manual-2"})),
    ]
    asyncio.run(_produce(settings, "raw-articles", messages))
    with worker_process(settings, tmp_path / "worker.log"):
        dead = read_topic_sync(settings, "dead-letters", until=3, timeout=60)
        enriched = read_topic_sync(settings, "enriched-articles", until=2, timeout=120)
    reasons = {v["key"]: v for _, v in dead}
    assert set(reasons) == {"k-garbage", "k-list", "k-missing"}
    assert reasons["k-garbage"]["error"].startswith("not JSON")
    assert reasons["k-garbage"]["value_encoding"] == "base64"
    assert "expected a JSON object" in reasons["k-list"]["error"]
    assert "must contain" in reasons["k-missing"]["error"]
    assert all(
        v["stage"] == "dedup" and v["topic"] == settings.topic("raw-articles")
        for v in reasons.values()
    )
    assert sorted(k for k, _ in enriched) == ["manual-1", "manual-2"], (
        "a wrongly keyed article is re-keyed, not lost"
    )
