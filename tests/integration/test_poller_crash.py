"""Poller crash (issue 19, item 3): SIGKILL a ``wirestream poll`` process mid-poll, restart it.

A local HTTP server serves feeds whose responses come at staggered times, so the poller is
publishing one feed's entries while others are still being fetched. The poller is killed right
after a feed's entries reach the broker (the moment its state may not be saved yet), then run
again. Checked: every entry of every feed is on ``raw-articles`` (nothing missed); an entry is
published again only if the feed state saved before the kill did not list it (the window
between the broker's ack and the state save); the feed states and the produced ids agree; and
dedup answers each repeat as the same record again, never as a new article. The number of
re-published entries is printed. Also read before the restart: the killed poller published
each entry once, and its saved feed states list only produced ids. A fault drill:
``pytest -m faults``.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import orjson
import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition

from agents.poller import load_feed_states
from agents.topics import ensure_topics
from pipeline.dedup.config import DedupConfig
from pipeline.dedup.stage import DedupStage
from schemas import RawArticle
from schemas.decode import decode
from tests.integration.helpers import read_topic_sync
from wirestream.procs import settings_env, sigkill
from wirestream.runner import poll_forever
from wirestream_core.connection import client_options
from wirestream_core.settings import Settings

pytestmark = [pytest.mark.integration, pytest.mark.faults]

FEEDS, ENTRIES = 12, 10
#: Feed i answers after i * STAGGER seconds, so polls end one after another.
STAGGER = 0.25
#: The kill comes right after the entries of this many feeds are on the broker.
KILL_AFTER_FEEDS = (2, 5, 8)
PUBLISHED = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


def rss(feed: int) -> bytes:
    items = []
    for e in range(ENTRIES):
        when = format_datetime(PUBLISHED + timedelta(minutes=feed * ENTRIES + e), usegmt=True)
        items.append(
            f"<item><title>Report {feed}-{e}</title>"
            f"<link>http://wire.test/{feed}/{e}</link><guid>wire-{feed}-{e}</guid>"
            f"<description>Officials in district {feed} said on Monday that meeting {e} "
            f"of the council {feed * 31 + e} had ended without agreement on item {e * 7 + feed}."
            f"</description><pubDate>{when}</pubDate></item>"
        )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire {feed}</title>'
        f"{''.join(items)}</channel></rss>"
    ).encode()


class Feeds(BaseHTTPRequestHandler):
    """``/<i>.xml``: feed i, after i * STAGGER seconds."""

    def do_GET(self) -> None:
        feed = int(self.path.strip("/").removesuffix(".xml"))
        time.sleep(feed * STAGGER)
        body = rss(feed)
        # the killed poller's fetches end with their connections
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def feed_list(tmp_path: Path) -> Iterator[Path]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Feeds)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    port = server.server_address[1]
    path = tmp_path / "feeds.toml"
    path.write_text(
        "".join(
            f'[[feed]]\nid = "wire-{i}"\nurl = "http://127.0.0.1:{port}/{i}.xml"\n'
            'full_text = "never"\n\n'
            for i in range(FEEDS)
        )
    )
    yield path
    server.shutdown()
    thread.join()


async def kill_after(settings: Settings, proc_start: float, proc: object, records: int) -> int:
    """SIGKILL the poller as soon as ``raw-articles`` holds ``records``; returns the count then."""
    consumer = AIOKafkaConsumer(**client_options(settings), enable_auto_commit=False)
    await consumer.start()
    try:
        topic = settings.topic("raw-articles")
        tps = [TopicPartition(topic, p) for p in range(settings.partitions)]
        while True:
            total = int(sum((await consumer.end_offsets(tps)).values()))
            if total >= records:
                sigkill(proc)  # type: ignore[arg-type]
                return total
            if time.monotonic() - proc_start > 120:
                pytest.fail(f"the poller published {total} of {records} entries in 120 s")
            await asyncio.sleep(0.002)
    finally:
        await consumer.stop()


@pytest.mark.parametrize("after", KILL_AFTER_FEEDS)
def test_a_killed_poller_misses_nothing_and_repeats_only_unsaved_entries(
    settings: Settings, feed_list: Path, tmp_path: Path, after: int
) -> None:
    import subprocess
    import sys

    settings = settings.model_copy(
        update={"feeds": feed_list, "max_concurrent_fetches": FEEDS, "fetch_pages": False}
    )
    asyncio.run(ensure_topics(settings))
    log = tmp_path / "poller.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "wirestream.cli", "poll", "--once", "--log-level", "info"],
            env=settings_env(settings),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        at_kill = asyncio.run(kill_after(settings, time.monotonic(), proc, after * ENTRIES))
    finally:
        if proc.poll() is None:
            sigkill(proc)
    saved = asyncio.run(load_feed_states(settings))
    saved_ids = {i for state in saved.values() for i in state.recent_ids}
    # What the killed poller produced, read before the restart.
    before = Counter(
        decode(RawArticle, orjson.dumps(value)).article_id
        for _, value in read_topic_sync(settings, "raw-articles", until=at_kill, idle=0.5)
    )
    assert all(n == 1 for n in before.values()), "the killed poller published an entry twice"
    # A feed state never runs ahead of the broker: every id it lists was produced (else the
    # restarted poller would skip an entry nobody has).
    assert saved_ids <= set(before), sorted(saved_ids - set(before))[:5]

    # The restarted poller (in this process) polls every feed again.
    assert asyncio.run(poll_forever(settings, once=True)) == 0
    records = read_topic_sync(settings, "raw-articles", until=FEEDS * ENTRIES, idle=1.0)
    articles = [decode(RawArticle, orjson.dumps(value)) for _, value in records]
    counts = Counter(a.article_id for a in articles)
    by_feed: dict[str, set[str]] = {}
    for a in articles:
        by_feed.setdefault(a.feed_id, set()).add(a.article_id)

    # Nothing missed: every entry of every feed is on the topic.
    assert len(counts) == FEEDS * ENTRIES, log.read_text()[-3000:]
    assert {f: len(ids) for f, ids in by_feed.items()} == {
        f"wire-{i}": ENTRIES for i in range(FEEDS)
    }
    # Nothing whose feed state was saved is published again: repeats come only from the
    # window between the broker's ack of a feed's entries and the save of its state.
    repeated = {i for i, n in counts.items() if n > 1}
    assert not repeated & saved_ids
    # The restarted poller published each entry once at most, and again only an entry the
    # killed one had produced without saving it in its feed's state.
    assert all(counts[i] - before[i] <= 1 for i in counts)
    assert repeated <= set(before) - saved_ids
    # Feed state and produced ids agree.
    final = asyncio.run(load_feed_states(settings))
    assert {f: set(s.recent_ids) for f, s in final.items()} == by_feed
    assert {f: s.entries_seen for f, s in final.items()} == {f: ENTRIES for f in by_feed}
    # Dedup never takes a repeat for a new article: fetched at another time, it is a copy of
    # itself (method article_id, a duplicate notice downstream), or, fetched at the same
    # time, the same record again (the first answer repeated, an identical upsert).
    stage = DedupStage(
        DedupConfig(
            threshold=settings.dedup_threshold,
            cluster_threshold=settings.dedup_cluster_threshold,
            window=timedelta(hours=settings.dedup_window_hours),
        ),
        {},
    )
    seen: set[str] = set()
    verdicts: Counter[str] = Counter()
    for offset, article in enumerate(articles):
        outcome = stage.process(article, offset)
        if article.article_id in seen:
            method = outcome.duplicate.method if outcome.duplicate else ""
            verdicts[f"{outcome.kind} {method}".strip()] += 1
            assert outcome.kind != "unique"
            assert outcome.kind != "duplicate" or method == "article_id"
        seen.add(article.article_id)
    assert sum(verdicts.values()) == sum(counts.values()) - len(counts)
    print(
        f"poller killed after {at_kill} of {FEEDS * ENTRIES} entries ({after} feeds); "
        f"{len(saved)} feed states saved by then; restart: {len(records)} records, "
        f"{len(counts)} distinct, {len(repeated)} re-published; "
        f"dedup of the repeats: {dict(verdicts)}"
    )
