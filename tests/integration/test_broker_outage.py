"""The broker stops for a while mid-stream and restarts on the same data directory: the worker
and the poller reconnect by themselves and nothing is lost; then it is SIGKILLed once the
pipeline has settled, and its data directory still holds every record and the worker group's
committed offsets (issue 19, item 4).

A SIGKILL mid-stream is not covered: the embedded broker acknowledges writes before they are
on disk, and loses acknowledged records (README, "Broker outage"). What such a loss leaves
behind for the consumers is: offsets committed past a partition's new end; a worker that meets
them resumes at the end and skips none of the records written there afterwards.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar
from xml.sax.saxutils import escape

import pytest
from aiohttp import web
from aiokafka import AIOKafkaConsumer
from aiokafka.structs import TopicPartition

from agents.poller import Poller
from agents.tail import end_offsets, read_from_beginning
from agents.topics import ensure_topics, topic_specs
from benchmarks.crash import comparable
from benchmarks.dedup import make_corpus
from benchmarks.pipeline import publish
from pipeline.feeds.config import FeedSpec
from tests.integration.helpers import assert_every_article_came_out, outcomes
from wirestream.broker import EmbeddedBroker, free_port
from wirestream.procs import NLP_READY, start_worker, stop_process, wait_for_log
from wirestream_core.connection import client_options
from wirestream_core.settings import Settings

pytestmark = [pytest.mark.integration, pytest.mark.faults]

T = TypeVar("T")

ARTICLES = 60
#: New entries the feed shows per second: the whole corpus takes 15 s, so entries keep
#: appearing while the broker is away.
PER_SECOND = 4.0
#: The outage, as long as issue 19 asks: five times the test's session timeout (6 s), so every
#: group member has expired by the time the broker is back (and the embedded broker forgets
#: groups when it stops anyway); longer than the whole feed, so some entries come and go
#: entirely during it. The producers' 40 s request timeout is not reached (the poller survives
#: a longer outage too: a failed send is a failed poll).
OUTAGE = 30.0
OUTCOMES = ("raw-articles", "unique-articles", "duplicates", "enriched-articles")


def rss(articles: list[dict[str, Any]]) -> bytes:
    items = "".join(
        f"<item><title>{escape(str(a['title']))}</title><link>{escape(str(a['url']))}</link>"
        f"<description>{escape(str(a['content']))}</description>"
        "<pubDate>Mon, 07 Dec 2026 08:00:00 GMT</pubDate></item>"
        for a in articles
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>{items}'
        "</channel></rss>"
    ).encode()


class GrowingFeed:
    """A feed whose entries appear over time, newest first, as a wire's would."""

    def __init__(self, corpus: list[dict[str, Any]]) -> None:
        self.corpus = corpus
        self.started = time.monotonic()
        self.extra = 0  # entries revealed on top of the timed ones

    def shown(self) -> list[dict[str, Any]]:
        n = int((time.monotonic() - self.started) * PER_SECOND) + self.extra
        return self.corpus[: min(n, len(self.corpus))]

    async def handler(self, request: web.Request) -> web.Response:
        return web.Response(body=rss(self.shown()[::-1]), content_type="application/rss+xml")


@contextlib.asynccontextmanager
async def serve(feed: GrowingFeed) -> AsyncIterator[str]:
    app = web.Application()
    app.router.add_get("/wire.xml", feed.handler)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        yield f"http://127.0.0.1:{port}/wire.xml"
    finally:
        await runner.cleanup()


async def keys_by_topic(
    settings: Settings,
    timeout: float,
    done: Any,
    values: dict[tuple[str, str], list[bytes]] | None = None,
) -> dict[str, set[str]]:
    """Keys on each outcome topic, read until ``done(keys)`` or ``timeout``; with ``values``,
    also the comparable value of every record by (topic, key), to count repeats."""
    consumer = await read_from_beginning(settings, OUTCOMES)
    keys: dict[str, set[str]] = {name: set() for name in OUTCOMES}
    prefix = len(settings.topic_prefix)
    try:
        deadline = asyncio.get_running_loop().time() + timeout
        while asyncio.get_running_loop().time() < deadline and not done(keys):
            for tp, records in (await consumer.getmany(timeout_ms=200)).items():
                topic = tp.topic[prefix:]
                for r in records:
                    if not r.key:
                        continue
                    keys[topic].add(r.key.decode())
                    if values is not None:
                        values.setdefault((topic, r.key.decode()), []).append(comparable(r.value))
    finally:
        await consumer.stop()
    return keys


def repeats(values: dict[tuple[str, str], list[bytes]]) -> tuple[int, int]:
    """(records beyond the first of their topic and key, how many of those differ from it)."""
    extra = sum(len(v) - 1 for v in values.values())
    different = sum(sum(1 for x in v[1:] if x != v[0]) for v in values.values())
    return extra, different


def all_out(ids: set[str]) -> Any:
    def done(keys: dict[str, set[str]]) -> bool:
        unique = keys["unique-articles"]
        return bool(
            keys["raw-articles"] >= ids
            and unique | keys["duplicates"] >= ids
            and unique <= keys["enriched-articles"]
        )

    return done


async def totals(settings: Settings) -> dict[str, int]:
    """Records per topic (sum of end offsets); not feed-state, which the poller writes every
    second whatever happens."""
    out = {}
    for spec in topic_specs(settings):
        if spec.name != settings.topic("feed-state"):
            out[spec.name] = sum((await end_offsets(settings, spec.name)).values())
    return out


async def test_the_pipeline_rides_out_a_broker_outage_and_a_broker_sigkill(
    tmp_path: Path,
) -> None:
    broker = EmbeddedBroker(tmp_path / "broker", port=free_port())
    broker.start()
    settings = Settings(
        broker=broker.url,
        app_id="ws-outage",
        topic_prefix="outage.",
        partitions=4,
        data_dir=tmp_path / "data",
        session_timeout=6.0,
        heartbeat_interval=1.0,
        extract_batch_seconds=0.2,
        poll_interval=1.0,
    )
    corpus = make_corpus(ARTICLES, 0.2, seed=11)
    ids = {str(a["article_id"]) for a in corpus}
    feed = GrowingFeed(corpus)
    log_path = tmp_path / "worker.log"
    await ensure_topics(settings)
    worker = start_worker(settings, log_path)
    poller: Poller | None = None
    polling: asyncio.Task[None] | None = None
    try:
        await asyncio.to_thread(wait_for_log, worker, log_path, NLP_READY, 120)
        async with serve(feed) as url:
            poller = Poller(settings, [FeedSpec(feed_id="wire", url=url, interval=1.0)])
            await poller.start()
            feed.started = time.monotonic()
            polling = asyncio.create_task(poller.run())
            # Mid-stream: some articles are through, most are not even on the feed yet.
            before = await keys_by_topic(settings, 60, lambda k: len(k["enriched-articles"]) >= 3)
            assert len(before["enriched-articles"]) >= 3, "the pipeline ran before the outage"
            broker.stop()
            stopped_at = time.monotonic()
            await asyncio.sleep(OUTAGE)
            assert len(feed.shown()) == ARTICLES, "the whole feed appeared during the outage"
            broker.start()
            assert not polling.done(), "the poller kept running through the outage"
            assert worker.poll() is None, "the worker kept running through the outage"
            after = await keys_by_topic(settings, 180, all_out(ids))
            took = time.monotonic() - stopped_at
            assert_nothing_lost(after, ids)

            # SIGKILL once everything has settled: the data directory keeps every record, and
            # the worker group's committed offsets (else it would redo the whole stream).
            settled = await settle(settings)
            offsets = await settled_offsets(settings)
            assert any(offsets.values()), "the worker committed offsets before the SIGKILL"
            broker.kill()
            broker.start()
            assert await totals(settings) == settled, "records lost to a broker SIGKILL"
            assert await committed_offsets(settings) == offsets, "offsets lost to a SIGKILL"

            # After the restart on the same directory, new entries flow as before.
            more = make_corpus(ARTICLES + 10, 0.0, seed=12)[ARTICLES:]
            feed.corpus = corpus + more
            feed.extra = len(more)
            every = ids | {str(a["article_id"]) for a in more}
            final = await keys_by_topic(settings, 180, all_out(every))
            assert_nothing_lost(final, every)
            assert worker.poll() is None and not polling.done()
            # Under at_least_once the worker redoes what it had not committed when the broker
            # went away: a repeat must be the same record again under its key (an upsert).
            settled_now = await settle(settings)
            total = sum(settled_now[settings.topic(name)] for name in OUTCOMES)
            values: dict[tuple[str, str], list[bytes]] = {}
            await keys_by_topic(
                settings, 60, lambda k: sum(map(len, values.values())) >= total, values
            )
            assert sum(map(len, values.values())) == total
            repeated, different = repeats(values)
            assert different == 0, f"{different} of {repeated} repeated records differ"
            renewals = poller._producer.renewals if poller._producer is not None else 0
    finally:
        if polling is not None:
            polling.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await polling
        if poller is not None:
            with contextlib.suppress(Exception):
                await poller.stop()
        await asyncio.to_thread(stop_process, worker)
        broker.stop()
    print(
        f"\noutage {OUTAGE:g}s: {len(ids)} articles, all out {took:.1f}s after the stop "
        f"({len(before['enriched-articles'])} enriched before it); after a settled SIGKILL "
        f"{sum(settled.values())} of {sum(settled.values())} records kept, {len(more)} new "
        f"articles out; {repeated} records repeated on {', '.join(OUTCOMES)}, all identical "
        f"upserts by key; poller producer renewed {renewals} time(s)"
    )


async def once_quiet(read: Callable[[], Awaitable[T]], quiet: float, timeout: float) -> T:
    """``read()`` once its answer has not changed for ``quiet`` seconds (or after ``timeout``)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    last = await read()
    since = loop.time()
    while loop.time() - since < quiet and loop.time() < deadline:
        await asyncio.sleep(0.5)
        now = await read()
        if now != last:
            last, since = now, loop.time()
    return last


async def settle(settings: Settings, quiet: float = 3.0, timeout: float = 60.0) -> dict[str, int]:
    """Records per topic once no topic has grown for ``quiet`` seconds."""
    return await once_quiet(lambda: totals(settings), quiet, timeout)


async def committed_offsets(settings: Settings) -> dict[TopicPartition, int | None]:
    """The worker group's committed offset on each partition of its input topics (read with
    OffsetFetch; joins no group)."""
    consumer = AIOKafkaConsumer(
        **client_options(settings), group_id=settings.app_id, enable_auto_commit=False
    )
    await consumer.start()
    try:
        await consumer.topics()
        tps = [
            TopicPartition(settings.topic(name), p)
            for name in INPUTS
            for p in sorted(consumer.partitions_for_topic(settings.topic(name)) or ())
        ]
        return {tp: await consumer.committed(tp) for tp in tps}
    finally:
        await consumer.stop()


async def settled_offsets(
    settings: Settings, quiet: float = 2.0, timeout: float = 30.0
) -> dict[TopicPartition, int | None]:
    """``committed_offsets`` once they have not moved for ``quiet`` seconds: the broker keeps
    a write only some 0.1 s after acknowledging it (README, "Broker SIGKILL")."""
    return await once_quiet(lambda: committed_offsets(settings), quiet, timeout)


def assert_nothing_lost(keys: dict[str, set[str]], ids: set[str]) -> None:
    raw, unique, duplicates, enriched = (keys[name] for name in OUTCOMES)
    assert raw >= ids, f"{len(ids - raw)} feed entries never published"
    assert unique | duplicates >= ids, f"{len(ids - unique - duplicates)} article(s) lost"
    assert not unique & duplicates, "each article has one dedup verdict"
    assert unique <= enriched, f"{len(unique - enriched)} unique article(s) never enriched"


#: The worker group's input topics: each gets offsets committed past its end.
INPUTS = ("raw-articles", "dedup-sequence", "unique-articles", "article-events")


async def commit_past_the_end(settings: Settings, offset: int) -> None:
    """Commit ``offset`` for the workers' group on every partition of their input topics,
    as a broker that lost its last writes leaves them (the topics are empty here)."""
    consumer = AIOKafkaConsumer(
        **client_options(settings), group_id=settings.app_id, enable_auto_commit=False
    )
    await consumer.start()
    try:
        tps = [
            TopicPartition(settings.topic(name), p)
            for name in INPUTS
            for p in sorted(consumer.partitions_for_topic(settings.topic(name)) or ())
        ]
        assert len(tps) >= len(INPUTS)
        consumer.assign(tps)
        await consumer.commit({tp: offset for tp in tps})
        assert all([await consumer.committed(tp) == offset for tp in tps])
    finally:
        await consumer.stop()


async def test_records_written_below_an_offset_committed_past_the_end_are_all_read(
    settings: Settings, tmp_path: Path
) -> None:
    await ensure_topics(settings)
    await commit_past_the_end(settings, 50)
    corpus = make_corpus(16, 0.25, seed=5)
    ids = {str(a["article_id"]) for a in corpus}
    log_path = tmp_path / "worker.log"
    worker = start_worker(settings, log_path)
    try:
        await asyncio.to_thread(wait_for_log, worker, log_path, NLP_READY, 120)
        # Every record now goes to an offset below the committed one (16 articles over
        # 4 partitions, so each topic stays under 50).
        await publish(settings, corpus, None)
        keys = await outcomes(settings, ids, timeout=120)
    finally:
        await asyncio.to_thread(stop_process, worker)
    log = log_path.read_text()
    assert_every_article_came_out(keys, ids)
    assert "is past the partition's end" in log, log[-3000:]
