"""The agents' per-message decisions without a broker: each agent is registered on a fake app,
its own function runs over an in-memory stream, and fake topics record what it sends (records,
keys, dead letters, counters). The agent code under test is the code the worker runs.
"""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import orjson
import pytest

from agents import dedup, extract, intake, link
from agents.app import AppTopics, Wiring
from agents.deadletter import REPLAY_COUNT_HEADER, REPLAY_OF_HEADER
from agents.metrics import Metrics
from agents.nlp_pool import JobResult
from pipeline.extract import ArticleText, Extraction
from pipeline.link import partition_key
from schemas import (
    DeadLetter,
    Duplicate,
    EnrichedArticle,
    Event,
    LinkedEvent,
    Mention,
    RawArticle,
    UniqueArticle,
)
from tests.unit.link.factory import event as extracted_event
from wirestream_core.settings import Settings

FETCHED = datetime(2016, 11, 28, 7, tzinfo=UTC)


@dataclass
class FakeMessage:
    """What the handlers read of a Kafka message."""

    value: bytes | None
    key: bytes | None = None
    topic: str = "in"
    partition: int = 0
    offset: int = 0
    headers: list[tuple[str, bytes]] = field(default_factory=list)
    timestamp: float = field(default_factory=time.time)

    @property
    def tp(self) -> tuple[str, int]:
        return (self.topic, self.partition)


@dataclass
class FakeEvent:
    message: FakeMessage


@dataclass
class FakeTopic:
    """Records every send; the delivery future is done at once."""

    name: str
    sent: list[tuple[Any, Any, Any]] = field(default_factory=list)

    async def send(self, *, key: Any = None, value: Any = None, headers: Any = None) -> Any:
        self.sent.append((key, value, headers))
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        done.set_result(None)
        return done

    @property
    def values(self) -> list[Any]:
        return [value for _, value, _ in self.sent]


@dataclass
class FakeStream:
    """What the agents use of a Faust stream: events() (and noack()/ack() when batching)."""

    items: list[FakeEvent]
    acked: list[FakeEvent] = field(default_factory=list)
    all_acked: asyncio.Event = field(default_factory=asyncio.Event)

    def noack(self) -> FakeStream:
        return self

    async def events(self) -> AsyncIterator[FakeEvent]:
        for item in self.items:
            yield item

    async def ack(self, event: FakeEvent) -> bool:
        self.acked.append(event)
        if len(self.acked) == len(self.items):
            self.all_acked.set()
        return True


class FakeTable(dict[str, bytes]):
    """A table is a mapping to the stages; recovery callbacks are kept, not called."""

    def on_recover(self, callback: Callable[[], Any]) -> None:
        self.recover = callback


@dataclass
class FakeApp:
    """Records the agents and tables the agent modules register."""

    agents: dict[str, Callable[[FakeStream], Awaitable[None]]] = field(default_factory=dict)
    tables: dict[str, FakeTable] = field(default_factory=dict)
    on_before_shutdown: Any = field(default_factory=lambda: SimpleNamespace(connect=print))

    def agent(self, channel: Any, *, name: str) -> Callable[[Any], Any]:
        def register(fun: Any) -> Any:
            self.agents[name] = fun
            return fun

        return register

    def Table(self, name: str, **options: Any) -> FakeTable:
        self.tables[name] = FakeTable()
        return self.tables[name]


def wiring(tmp_path: Path, **settings: Any) -> Wiring:
    topics = AppTopics(**{f.name: FakeTopic(f.name) for f in dataclasses.fields(AppTopics)})
    config = Settings(broker="kafka://127.0.0.1:1", data_dir=tmp_path, **settings)
    return Wiring(app=FakeApp(), settings=config, topics=topics, metrics=Metrics())  # type: ignore[arg-type]


def app_of(w: Wiring) -> FakeApp:
    assert isinstance(w.app, FakeApp)
    return w.app


async def run_agent(w: Wiring, name: str, events: list[FakeEvent]) -> None:
    """Run agent ``name`` over ``events`` until its stream ends."""
    await app_of(w).agents[name](FakeStream(events))


async def run_intake(w: Wiring, event: FakeEvent) -> None:
    intake.register(w)
    await run_agent(w, "intake", [event])


def topic(w: Wiring, name: str) -> FakeTopic:
    fake = getattr(w.topics, name)
    assert isinstance(fake, FakeTopic)
    return fake


def count(w: Wiring, name: str, **labels: str) -> float:
    return w.metrics.registry.get_sample_value(name, labels) or 0.0


def out_count(w: Wiring, stage: str, outcome: str) -> float:
    return count(w, "wirestream_messages_out_total", stage=stage, outcome=outcome)


def nothing_vanished(w: Wiring, stage: str, outcomes: tuple[str, ...]) -> bool:
    read = count(w, "wirestream_messages_in_total", stage=stage)
    return read > 0 and read == sum(out_count(w, stage, o) for o in outcomes)


def raw(n: int, text: str = "Syrian troops recaptured Sakhour in Aleppo on Sunday.") -> RawArticle:
    return RawArticle(
        article_id=f"a{n}",
        feed_id="nnn",
        source="Nam News Network",
        fetched=FETCHED,
        title=f"Story {n}",
        summary=text,
        url=f"https://example.org/{n}",
        published=FETCHED,
    )


def msg(value: bytes | None, key: bytes | None = None, **kw: Any) -> FakeEvent:
    return FakeEvent(FakeMessage(value=value, key=key, **kw))


def letters(w: Wiring) -> list[DeadLetter]:
    found = topic(w, "dead_letters").values
    assert all(isinstance(v, DeadLetter) for v in found)
    return found


# intake


async def test_intake_forwards_a_valid_raw_article_byte_for_byte(tmp_path: Path) -> None:
    w = wiring(tmp_path)
    data = raw(1).to_json_bytes()
    headers = [(REPLAY_COUNT_HEADER, b"1")]
    await run_intake(w, msg(data, b"a1", headers=headers))
    assert topic(w, "sequence").sent == [(b"a1", data, headers)]
    assert letters(w) == []
    assert nothing_vanished(w, "intake", ("sequenced", "dead_letter"))


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (b"{not json", "not JSON"),
        (b'{"article_id": "a1"}', "invalid RawArticle"),
        (None, "tombstone"),
    ],
)
async def test_intake_parks_what_is_not_a_raw_article(
    tmp_path: Path, value: bytes | None, reason: str
) -> None:
    w = wiring(tmp_path)
    await run_intake(w, msg(value, b"k", topic="raw-articles", partition=2, offset=7))
    assert topic(w, "sequence").sent == []
    (letter,) = letters(w)
    assert (letter.stage, letter.error_type, letter.key) == ("intake", "RecordError", "k")
    assert reason in letter.error
    assert (letter.topic, letter.partition, letter.offset) == ("raw-articles", 2, 7)
    assert letter.value == (value.decode() if value is not None else None)
    (key, _, _) = topic(w, "dead_letters").sent[0]
    assert key == b"k"  # a dead letter keeps the original key
    assert nothing_vanished(w, "intake", ("sequenced", "dead_letter"))


async def test_an_oversized_message_is_parked_in_part_with_its_size_and_hash(
    tmp_path: Path,
) -> None:
    w = wiring(tmp_path, max_message_bytes=100_000)
    data = raw(1, text="x" * 200_000).to_json_bytes()
    headers = [(REPLAY_COUNT_HEADER, b"2"), (REPLAY_OF_HEADER, b"dead-letters/0/3")]
    await run_intake(w, msg(data, b"a1", headers=headers))
    (letter,) = letters(w)
    assert "over the 100000-byte limit" in letter.error
    assert letter.value_truncated and letter.value_bytes == len(data)
    assert letter.value is not None and len(letter.value) == 64 * 1024
    assert (letter.replay_count, letter.replayed_from) == (2, "dead-letters/0/3")


# dedup


async def test_dedup_sends_the_first_copy_on_and_a_notice_for_the_second(tmp_path: Path) -> None:
    w = wiring(tmp_path)
    dedup.register(w)
    first, copy = raw(1), raw(2)  # same text, another URL: an exact copy of the body
    await run_agent(
        w, "dedup", [msg(first.to_json_bytes(), offset=0), msg(copy.to_json_bytes(), offset=1)]
    )
    ((key, unique, _),) = topic(w, "unique_out").sent
    assert key == "a1" and isinstance(unique, UniqueArticle) and unique.text == first.summary
    ((key, notice, _),) = topic(w, "duplicates").sent
    assert key == "a2" and isinstance(notice, Duplicate)
    assert (notice.duplicate_of, notice.method) == ("a1", "fingerprint")
    assert (out_count(w, "dedup", "unique"), out_count(w, "dedup", "duplicate")) == (1, 1)
    assert count(w, "wirestream_dedup_index_articles") > 0
    assert "a1" in app_of(w).tables["dedup-index"]  # the index entry is in the table


async def test_dedup_parks_a_message_it_cannot_read_and_carries_on(tmp_path: Path) -> None:
    w = wiring(tmp_path)
    dedup.register(w)
    await run_agent(
        w, "dedup", [msg(b"[]", b"bad", offset=0), msg(raw(1).to_json_bytes(), offset=1)]
    )
    (letter,) = letters(w)
    assert letter.stage == "dedup" and "expected a JSON object" in letter.error
    assert [v.article_id for v in topic(w, "unique_out").values] == ["a1"]
    assert nothing_vanished(w, "dedup", ("unique", "duplicate", "dead_letter"))


# extract


@dataclass
class FakePool:
    """Stands for the NLP pool: one prepared result per article id."""

    results: dict[str, Callable[[ArticleText], JobResult]]
    version: str = "test-extractor"
    ready: bool = True
    seen: list[str] = field(default_factory=list)

    async def start(self) -> None:
        pass

    async def run(self, articles: list[ArticleText], *, batch_size: int = 16) -> list[JobResult]:
        self.seen.extend(a.article_id for a in articles)
        return [self.results[a.article_id](a) for a in articles]


async def run_extract(
    w: Wiring, pool: FakePool, events: list[FakeEvent], monkeypatch: pytest.MonkeyPatch
) -> FakeStream:
    """Run the extraction agent (batches, lanes, acks in read order) until all is acked."""
    monkeypatch.setattr(extract, "NlpPool", lambda *args, **kwargs: pool)
    extract.register(w)
    stream = FakeStream(events)
    task = asyncio.ensure_future(app_of(w).agents["extract"](stream))
    acked = asyncio.ensure_future(stream.all_acked.wait())
    await asyncio.wait([task, acked], timeout=30, return_when=asyncio.FIRST_COMPLETED)
    acked.cancel()
    task.cancel()  # the agent runs until it is stopped
    await asyncio.gather(task, return_exceptions=True)
    return stream


def extraction(article_id: str, events: list[Event], language: str | None) -> JobResult:
    return JobResult(article_id, Extraction(article_id, events, [], 1, language))


def unique(n: int, text_source: str = "summary") -> bytes:
    record = UniqueArticle(**raw(n).asdict(), text="text", text_source=text_source)
    return record.to_json_bytes()


async def test_extract_routes_events_enriched_non_english_and_failures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = wiring(tmp_path, extract_batch_size=2, extract_batch_seconds=0.05)
    battle = extracted_event("m1", article="a1")
    pool = FakePool(
        {
            "a1": lambda a: extraction("a1", [battle], "en"),
            "a2": lambda a: extraction("a2", [], "fr"),
            "a3": lambda a: JobResult("a3", error_type="ValueError", error="boom"),
        }
    )
    batch = [
        msg(unique(1, "page"), b"a1", offset=0),
        msg(b'{"article_id": 3}', b"bad", offset=1),
        msg(unique(2), b"a2", offset=2),
        msg(unique(3), b"a3", offset=3),
    ]
    stream = await run_extract(w, pool, batch, monkeypatch)
    assert stream.acked == batch  # every event acknowledged, in the order read
    assert sorted(pool.seen) == ["a1", "a2", "a3"]  # an unreadable record never reaches spaCy
    ((key, sent_event, _),) = topic(w, "article_events_out").sent
    assert key == partition_key(battle) and sent_event.event_id == "m1"
    assert sent_event.text_source == "page"  # the article's text source travels with it
    ((key, enriched, _),) = topic(w, "enriched").sent
    assert key == "a1" and isinstance(enriched, EnrichedArticle)
    assert (enriched.event_ids, enriched.extractor) == (["m1"], "test-extractor")
    ((key, french, _),) = topic(w, "non_english").sent
    assert key == "a2" and french.detected_language == "fr"
    assert sorted((d.stage, d.error_type, d.error[:20]) for d in letters(w)) == [
        ("extract", "RecordError", "invalid UniqueArticl"),
        ("extract", "Rejected", "ValueError: boom"),
    ]
    assert count(w, "wirestream_events_total", modality="asserted") == 1
    assert nothing_vanished(w, "extract", ("enriched", "non_english", "dead_letter"))


# link


async def test_link_publishes_the_linked_event_and_a_mention_per_article(tmp_path: Path) -> None:
    w = wiring(tmp_path)
    seen: list[LinkedEvent] = []
    w.on_linked.append(seen.append)
    link.register(w)
    first = extracted_event("m1", article="nnn", source="Nam News Network")
    second = extracted_event("m2", article="reuters", source="Reuters", trigger="captured")
    again = extracted_event("m3", article="reuters", source="Reuters", trigger="seized")
    records = (first, second, again)
    await run_agent(w, "link", [msg(r.to_json_bytes(), offset=n) for n, r in enumerate(records)])
    events = topic(w, "events").sent
    assert [(k, v.event_id, v.version) for k, v, _ in events] == [
        ("m1", "m1", 1),
        ("m1", "m1", 2),
        ("m1", "m1", 3),
    ]
    # a second mention in the same article counts, but adds no mention record
    mentions = topic(w, "mentions").values
    assert [(m.mention_id, m.new_event) for m in mentions] == [("m1", True), ("m2", False)]
    assert all(isinstance(m, Mention) for m in mentions)
    assert [e.version for e in seen] == [1, 2, 3]
    assert (out_count(w, "link", "new"), out_count(w, "link", "linked")) == (1, 2)


async def test_link_parks_an_event_that_is_not_one(tmp_path: Path) -> None:
    w = wiring(tmp_path)
    link.register(w)
    broken = orjson.loads(extracted_event("m1").to_json_bytes())
    del broken["trigger"]
    await run_agent(w, "link", [msg(orjson.dumps(broken), b"Battles|SYR")])
    (letter,) = letters(w)
    assert letter.stage == "link" and "trigger" in letter.error
    assert topic(w, "events").sent == [] and app_of(w).tables["link-state"] == {}
    assert nothing_vanished(w, "link", ("new", "linked", "repeat", "dead_letter"))
