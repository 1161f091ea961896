"""Poison messages on every topic the agents read: invalid JSON, the wrong schema, a 10 MB
value and bad UTF-8 each become a dead letter with its reason, while the messages around them
flow; the worker's counters account for every message read (issue 19, item 6)."""

from __future__ import annotations

import asyncio
import hashlib
import re
import urllib.request
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from aiokafka import AIOKafkaProducer

from agents.topics import ensure_topics
from schemas import Event, RawArticle, Span, UniqueArticle
from tests.integration.helpers import pipeline_report, read_topic_sync, worker_process
from wirestream.broker import free_port
from wirestream_core.settings import Settings

# About a minute, most of it the worker's start and its spaCy model: in the fault suite.
pytestmark = [pytest.mark.integration, pytest.mark.faults]

NOW = datetime(2026, 12, 6, 8, 0, tzinfo=UTC)
CITIES = ["Lyon", "Nairobi", "Kabul", "Dhaka", "Mogadishu", "Cotonou", "Beirut", "Mombasa"]
#: A value this big is refused by the embedded broker unless compressed (1 MiB batches):
#: compressible text, gzipped by the producer, arrives whole at the worker.
TEN_MB = 10 * 1024 * 1024


def _raw(n: int) -> RawArticle:
    city = CITIES[n]
    return RawArticle(
        article_id=f"good-{n}",
        feed_id="manual",
        source="Manual",
        fetched=NOW,
        published=NOW,
        title=f"Police arrest protesters in {city}",
        summary=f"Police arrested {n + 3} protesters in {city} on Monday, officials said.",
    )


def _unique(n: int) -> UniqueArticle:
    raw = _raw(n)
    return UniqueArticle(**{**raw.asdict(), "text": raw.summary, "fingerprint": f"f{n}"})


def _event(n: int) -> Event:
    text = f"Police arrested {n + 3} protesters in {CITIES[n]} on Monday."
    return Event(
        event_id=f"good-event-{n}",
        article_id=f"good-event-article-{n}",
        event_type="Protests",
        sub_event_type="Peaceful protest",
        cameo_root="14",
        cameo_code="140",
        plover="PROTEST",
        trigger=Span(text="arrested", start=7, end=15),
        sentence=Span(text=text, start=0, end=len(text)),
        modality="asserted",
        factual=True,
        confidence=0.7,
        extracted=NOW,
    )


#: What each poison is, and the reason its dead letter must give.
POISON_REASONS = {
    "invalid-json": "not JSON",
    "wrong-schema": "invalid ",
    "ten-mb": f"value of {TEN_MB + 13} bytes is over the",
    "bad-utf8": "not JSON",
}


def _poisons() -> list[tuple[str, bytes]]:
    # 10 MB of the right shape: the size alone is the fault (13 bytes of JSON around it).
    big = b'{"title": "' + b"x" * TEN_MB + b'"}'
    return [
        ("invalid-json", b'{"article_id": "broken", '),
        ("wrong-schema", b'{"article_id": 42, "unexpected": [1, 2]}'),
        ("ten-mb", big),
        ("bad-utf8", b'{"article_id": "bad-\xff\xfe", "title": "\xc3\x28"}'),
    ]


def _messages() -> dict[str, list[tuple[str, bytes]]]:
    """Per input topic, in order: a good message, the four poisons, another good message."""
    goods: dict[str, tuple[bytes, bytes]] = {
        "raw-articles": (_raw(0).to_json_bytes(), _raw(1).to_json_bytes()),
        "dedup-sequence": (_raw(2).to_json_bytes(), _raw(3).to_json_bytes()),
        "unique-articles": (_unique(4).to_json_bytes(), _unique(5).to_json_bytes()),
        "article-events": (_event(6).to_json_bytes(), _event(7).to_json_bytes()),
    }
    return {
        topic: [("good", before), *_poisons(), ("good", after)]
        for topic, (before, after) in goods.items()
    }


async def _produce(
    settings: Settings, messages: dict[str, list[tuple[str, bytes]]]
) -> dict[tuple[str, int], str]:
    """Send every message to partition 0 of its topic; returns (topic, offset) -> kind."""
    producer = AIOKafkaProducer(
        bootstrap_servers=settings.bootstrap_servers(),
        compression_type="gzip",
        max_request_size=2 * TEN_MB,
    )
    await producer.start()
    sent: dict[tuple[str, int], str] = {}
    try:
        for topic, items in messages.items():
            for i, (kind, value) in enumerate(items):
                meta = await producer.send_and_wait(
                    settings.topic(topic), key=f"{kind}-{i}".encode(), value=value, partition=0
                )
                sent[(settings.topic(topic), meta.offset)] = kind
    finally:
        await producer.stop()
    return sent


def _counters(port: int) -> dict[tuple[str, str, str], float]:
    """(metric name, stage, outcome) -> value from the worker's /metrics."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as response:
        text = response.read().decode()
    found = {}
    for line in text.splitlines():
        match = re.match(r"^wirestream_messages_(in|out)_total\{(.*)\} (\S+)$", line)
        if match:
            labels = dict(re.findall(r'(\w+)="([^"]*)"', match.group(2)))
            key = (match.group(1), labels["stage"], labels.get("outcome", ""))
            found[key] = float(match.group(3))
    return found


def test_poison_on_every_input_topic_goes_to_dead_letters_and_the_rest_flows(
    settings: Settings, tmp_path: Path
) -> None:
    port = free_port()
    settings = settings.model_copy(update={"web_enabled": True, "web_port": port})
    asyncio.run(ensure_topics(settings))
    log = tmp_path / "worker.log"
    with worker_process(settings, log, wait_nlp=True):
        sent = asyncio.run(_produce(settings, _messages()))
        dead = read_topic_sync(settings, "dead-letters", until=16, timeout=120, idle=2)
        # Six good articles reach extraction (two per article topic), two events go to link.
        enriched = read_topic_sync(settings, "enriched-articles", until=6, timeout=120, idle=1)
        mentions = read_topic_sync(settings, "mentions", until=2, timeout=60, idle=1)
        counters = _counters(port)

    # A rebalance (a worker starved past its session timeout on a loaded machine) makes
    # at_least_once repeat what was not yet committed: then each repeat must be the same record
    # again; with none, every poison is one dead letter and every good article one record.
    rebalanced = log.read_text(errors="replace").count("Joined group") > 1
    by_source: dict[tuple[str, int], list[dict[str, Any]]] = defaultdict(list)
    for _, letter in dead:
        by_source[(letter["topic"], letter["offset"])].append(letter)
    poisons = {where: kind for where, kind in sent.items() if kind != "good"}
    # On a failure, what each stage passed on and what the worker logged (CI has no other trace).
    assert set(by_source) == set(poisons) and (rebalanced or len(dead) == 16), (
        f"one dead letter per poison: {sorted(by_source)}\n{pipeline_report(settings, log)}"
    )
    for letters in by_source.values():
        assert len({_letter_identity(v) for v in letters}) == 1, letters
    stages = {
        settings.topic("raw-articles"): "intake",
        settings.topic("dedup-sequence"): "dedup",
        settings.topic("unique-articles"): "extract",
        settings.topic("article-events"): "link",
    }
    for where, kind in poisons.items():
        letter = by_source[where][0]
        assert letter["stage"] == stages[where[0]], (where, letter)
        assert POISON_REASONS[kind] in letter["error"], (kind, letter["error"])
    firsts = [letters[0] for letters in by_source.values()]
    big = [v for v in firsts if v["value_truncated"]]
    whole = b'{"title": "' + b"x" * TEN_MB + b'"}'
    assert len(big) == 4 and all(v["value_bytes"] == len(whole) for v in big)
    assert {v["value_sha256"] for v in big} == {hashlib.sha256(whole).hexdigest()}
    assert all(len(v["value"]) == 64 * 1024 for v in big)
    bad = [v for v in firsts if poisons[(v["topic"], v["offset"])] == "bad-utf8"]
    assert {v["value_encoding"] for v in bad} == {"base64"}

    # Good messages before and after the poison flowed through every later stage.
    got = sorted(k for k, _ in enriched)
    goods = [f"good-{n}" for n in range(6)]
    assert sorted(set(got)) == goods and (rebalanced or got == goods), (
        f"{got}\n{pipeline_report(settings, log)}"
    )
    texts: dict[str, set[str]] = defaultdict(set)
    for key, record in enriched:
        texts[key].add(record["fingerprint"])
    assert all(len(t) == 1 for t in texts.values()), texts  # a repeat is the same article
    assert {m["event"]["event_id"] for _, m in mentions} >= {"good-event-6", "good-event-7"}

    # Per stage, every message read has an outcome, and the four poisons are dead letters
    # (each once, unless a rebalance repeated some: each repeat is counted as read too).
    for stage in ("intake", "dedup", "extract", "link"):
        read = counters[("in", stage, "")]
        outcomes = {o: v for (d, s, o), v in counters.items() if d == "out" and s == stage}
        assert read == sum(outcomes.values()), (stage, read, outcomes)
        assert outcomes["dead_letter"] == 4 or (rebalanced and outcomes["dead_letter"] > 4), (
            stage,
            outcomes,
        )


def _letter_identity(letter: dict[str, Any]) -> tuple[Any, ...]:
    """What a repeated dead letter must share with the first (its time and worker may differ)."""
    return tuple(
        letter[k] for k in ("stage", "error", "topic", "partition", "offset", "value_sha256")
    )
