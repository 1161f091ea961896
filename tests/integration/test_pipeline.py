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
from wirestream_core.settings import BUNDLED_FEEDS, Settings

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
        # Every raw article leaves dedup exactly once: unique or duplicate.
        unique = read_topic_sync(settings, "unique-articles", until=len(raw) - 1, idle=3)
        duplicates = read_topic_sync(settings, "duplicates", idle=1)
        enriched = read_topic_sync(settings, "enriched-articles", until=len(unique), timeout=180)
        mentions = read_topic_sync(settings, "mentions", idle=3)
        linked = read_topic_sync(settings, "events", idle=1)
        dead = read_topic_sync(settings, "dead-letters", idle=1)

    raw_ids = {k for k, _ in raw}
    unique_ids, duplicate_ids = {k for k, _ in unique}, {k for k, _ in duplicates}
    assert len(raw_ids) == len(raw), "every raw article has its own id key"
    assert len(unique) == len(unique_ids) and len(duplicates) == len(duplicate_ids)
    assert unique_ids | duplicate_ids == raw_ids and not unique_ids & duplicate_ids
    assert {k for k, _ in enriched} == unique_ids, "duplicates never reach extraction"
    assert all(v["text"] and v["fingerprint"] and v["cluster_id"] for _, v in unique)
    assert dead == []

    # The bundled wire copy of the Sakhour story is caught, whichever feed came first.
    sakhour_ids = {k for k, v in raw if "Sakhour" in (v["content"] or v["summary"])}
    assert len(sakhour_ids) == 2
    (copy,) = [v for _, v in duplicates]
    assert {copy["article_id"], copy["duplicate_of"]} == sakhour_ids
    assert copy["method"] == "minhash" and copy["similarity"] >= 0.8

    by_id = {v["article_id"]: v for _, v in enriched}
    seed = next(v for v in by_id.values() if "Sakhour" in v["text"])
    assert seed["event_ids"], "the seed story yields events"
    assert seed["sentences"] > 10
    assert any(e["text"] == "Aleppo" for e in seed["entities"])

    # Extracted events travel inside mentions; linked events are keyed by their own id.
    seed_mentions = [v for _, v in mentions if v["article_id"] == seed["article_id"]]
    seed_events = [m["event"] for m in seed_mentions]
    assert {e["event_id"] for e in seed_events} <= set(seed["event_ids"])
    assert all(k == v["event_id"] for k, v in mentions + linked)
    latest = {k: v for k, v in linked}  # a compacted topic: the last record per key counts
    assert {m["event_id"] for m in seed_mentions} <= set(latest)
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
    assert event["source"] == seed["source"]
    (mention,) = [m for m in seed_mentions if m["mention_id"] == event["event_id"]]
    merged = latest[mention["event_id"]]
    assert merged["place"]["name"] == "Sakhour" and merged["cameo_root"] == "19"
    assert merged["num_mentions"] >= 1 and seed["article_id"] in merged["article_ids"]
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
    other = "Rebels shelled the airport in Taiz on Sunday, killing three civilians."
    french = (
        "La police a arrêté douze manifestants lundi à Paris, selon les autorités. Les "
        "manifestants protestaient contre la réforme des retraites devant l'Assemblée nationale."
    )
    messages = [
        (b"k-garbage", b"\x00\xffnot json"),
        (b"k-list", b"[1, 2, 3]"),
        (b"k-missing", orjson.dumps({"article_id": "x"})),
        (b"manual-1", orjson.dumps(good)),
        (b"other-key", orjson.dumps({**good, "article_id": "manual-2", "summary": other})),
        (b"manual-fr", orjson.dumps({**good, "article_id": "manual-fr", "summary": french})),
    ]
    asyncio.run(_produce(settings, "raw-articles", messages))
    with worker_process(settings, tmp_path / "worker.log"):
        dead = read_topic_sync(settings, "dead-letters", until=3, timeout=60)
        enriched = read_topic_sync(settings, "enriched-articles", until=2, timeout=120)
        non_english = read_topic_sync(settings, "non-english-articles", until=1, timeout=60)
        mentions = read_topic_sync(settings, "mentions", idle=1)
    reasons = {v["key"]: v for _, v in dead}
    assert set(reasons) == {"k-garbage", "k-list", "k-missing"}
    assert reasons["k-garbage"]["error"].startswith("not JSON")
    assert reasons["k-garbage"]["value_encoding"] == "base64"
    assert "expected a JSON object" in reasons["k-list"]["error"]
    assert "must contain" in reasons["k-missing"]["error"]
    assert all(
        v["stage"] == "intake" and v["topic"] == settings.topic("raw-articles")
        for v in reasons.values()
    )
    assert sorted(k for k, _ in enriched) == ["manual-1", "manual-2"], (
        "a message keyed otherwise is deduplicated by its article id"
    )
    # French is detected offline and kept off the English model: its own topic, no events.
    assert [(k, v["detected_language"], v["event_ids"]) for k, v in non_english] == [
        ("manual-fr", "fr", [])
    ]
    assert not [m for _, m in mentions if m["article_id"] == "manual-fr"]


def test_exactly_once_flows_through_fan_in_and_out(settings: Settings, tmp_path: Path) -> None:
    """Under exactly_once every output is committed with its source partition's offsets."""
    settings = settings.model_copy(
        update={"feeds": BUNDLED_FEEDS, "processing_guarantee": "exactly_once"}
    )
    asyncio.run(ensure_topics(settings))
    with worker_process(settings, tmp_path / "worker.log"):
        assert asyncio.run(poll_forever(settings, once=True)) == 0
        raw = read_topic_sync(settings, "raw-articles", idle=1)
        # Readers are read_committed: these records are visible only once committed.
        unique = read_topic_sync(settings, "unique-articles", until=len(raw) - 1, timeout=90)
        duplicates = read_topic_sync(settings, "duplicates", until=1, timeout=30, idle=1)
        enriched = read_topic_sync(settings, "enriched-articles", until=len(unique), timeout=180)
    assert len(unique) + len(duplicates) == len(raw)
    assert sorted(k for k, _ in enriched) == sorted(k for k, _ in unique), "each exactly once"
    log = (tmp_path / "worker.log").read_text()
    assert "TransactionManager" in log and "Traceback" not in log
