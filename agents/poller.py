"""The feed poller: fetch and parse every feed on its own schedule, publish new entries.

A separate process from the workers (``wirestream poll``), or a task beside them in
``wirestream run``. It never joins the workers' consumer group, so running it never moves
their partitions; pollers have a group of their own that hands each feed to one of them at a
time (agents/poller_lease.py). Feed state lives on the compacted ``feed-state`` topic,
so a restarted poller (or one on another machine) resumes with the same validators.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import aiohttp
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from agents.metrics import Metrics
from agents.poller_lease import FeedLeases
from agents.renewing_producer import RenewingProducer
from pipeline.errors import FeedError
from pipeline.feeds.config import FeedSpec
from pipeline.feeds.fetch import FetchLimits, fetch_feed
from pipeline.feeds.parse import parse_feed
from pipeline.feeds.schedule import next_poll_delay
from pipeline.feeds.state_merge import resume_state
from pipeline.normalise.boilerplate import BoilerplateConfig, FeedBoilerplate
from pipeline.pages import PageFetcher, PageLimits
from schemas import BoilerplateLine, FeedState, RawArticle
from schemas.base import dumps
from schemas.decode import RecordError, decode
from wirestream_core.connection import client_options
from wirestream_core.settings import Settings

log = logging.getLogger(__name__)

#: Entry ids remembered per feed, so an unchanged entry in a changed feed is not re-sent.
RECENT_IDS = 1000
#: HTTP statuses that end polling of a feed until its configured URL changes.
GONE = frozenset({410})


@dataclass
class PollStats:
    """What the poller has done so far (this process only)."""

    polls: int = 0
    errors: int = 0
    published: int = 0
    feeds_polled: set[str] = field(default_factory=set)


async def load_feed_states(settings: Settings, timeout: float = 30.0) -> dict[str, FeedState]:
    """Read the compacted feed-state topic to its end; the last record per feed wins."""
    topic = settings.topic("feed-state")
    consumer = AIOKafkaConsumer(
        **client_options(settings),
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        group_id=None,
    )
    await consumer.start()
    states: dict[str, FeedState] = {}
    try:
        await consumer.topics()  # fetches metadata, so partitions_for_topic knows the topic
        partitions = consumer.partitions_for_topic(topic) or set()
        tps = [TopicPartition(topic, p) for p in partitions]
        if not tps:
            return states
        consumer.assign(tps)
        await consumer.seek_to_beginning(*tps)
        end = await consumer.end_offsets(tps)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while [tp for tp in tps if await consumer.position(tp) < end[tp]]:
            if loop.time() > deadline:
                raise TimeoutError(f"reading {topic} took longer than {timeout}s")
            batches = await consumer.getmany(timeout_ms=500)
            for records in batches.values():
                for rec in records:
                    if rec.value is None:
                        states.pop(rec.key.decode(), None)  # tombstone: feed removed
                        continue
                    try:
                        state = decode(FeedState, rec.value)
                    except RecordError as exc:
                        log.warning(
                            "ignoring unreadable feed state at offset %s: %s", rec.offset, exc
                        )
                        continue
                    states[state.feed_id] = state
    finally:
        await consumer.stop()
    return states


class Poller:
    """Polls every feed in ``feeds`` until stopped; one failing feed never stops the others."""

    def __init__(
        self,
        settings: Settings,
        feeds: list[FeedSpec],
        *,
        metrics: Metrics | None = None,
        rng: random.Random | None = None,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.settings = settings
        self.feeds = [f for f in feeds if f.enabled]
        self.metrics = metrics or Metrics()
        self.stats = PollStats()
        self.states: dict[str, FeedState] = {}
        self._recent: dict[str, list[str]] = {}
        self._rng = rng or random.Random()
        self._now = now
        self._producer: RenewingProducer | None = None
        self._session: aiohttp.ClientSession | None = None
        self._semaphore = asyncio.Semaphore(settings.max_concurrent_fetches)
        self._limits = FetchLimits(
            connect_timeout=settings.connect_timeout,
            read_timeout=settings.read_timeout,
            max_body_bytes=settings.max_body_bytes,
            user_agent=settings.user_agent,
        )
        self.pages: PageFetcher | None = None
        if settings.fetch_pages:
            self.pages = PageFetcher(
                PageLimits(
                    connect_timeout=settings.connect_timeout,
                    read_timeout=settings.read_timeout,
                    max_bytes=settings.page_max_bytes,
                    user_agent=settings.user_agent,
                    host_interval=settings.page_host_interval,
                )
            )
        self._boilerplate_config = BoilerplateConfig(min_articles=settings.boilerplate_min_articles)
        self.boilerplate: dict[str, FeedBoilerplate] = {}
        self.first_round_done = asyncio.Event()
        self.leases: FeedLeases | None = None

    async def start(self) -> None:
        """Connect the producer and the HTTP session, load saved feed state, join the group."""
        self.states = await load_feed_states(self.settings)
        for feed_id, state in self.states.items():
            self._recent[feed_id] = list(state.recent_ids)
            self.boilerplate[feed_id] = FeedBoilerplate.from_state(
                feed_id,
                state.boilerplate_articles,
                ((line.key, line.count, line.seen) for line in state.boilerplate_lines),
                self._boilerplate_config,
            )
        self._producer = RenewingProducer(
            lambda: AIOKafkaProducer(
                **client_options(self.settings),
                acks="all",
                enable_idempotence=True,
                linger_ms=5,
                key_serializer=str.encode,
            )
        )
        await self._producer.start()
        self._session = aiohttp.ClientSession(
            headers={"User-Agent": self.settings.user_agent}, auto_decompress=True
        )
        if self.pages is not None:
            await self.pages.start()
        if self.settings.poller_lease:
            self.leases = FeedLeases(self.settings, on_acquired=self._reload_states)
            await self.leases.start()

    async def _reload_states(self, partitions: set[int]) -> None:
        """Take over the latest state of the feeds of newly held partitions."""
        assert self.leases is not None
        states = await load_feed_states(self.settings)
        for spec in self.feeds:
            if self.leases.partition_of(spec.feed_id) in partitions and spec.feed_id in states:
                # This poller's own state can be newer than the saved one (a save the broker
                # refused or lost, then a rejoin that hands the same lease back): resuming
                # from the saved one would publish its entries again.
                held = self.states.get(spec.feed_id)
                state = resume_state(
                    held, self._recent.get(spec.feed_id, []), states[spec.feed_id], RECENT_IDS
                )
                self.states[spec.feed_id] = state
                self._recent[spec.feed_id] = list(state.recent_ids)
                if held is not None and state.last_attempt == held.last_attempt:
                    continue  # its own boilerplate learner is as new as its state
                self.boilerplate[spec.feed_id] = FeedBoilerplate.from_state(
                    spec.feed_id,
                    state.boilerplate_articles,
                    ((line.key, line.count, line.seen) for line in state.boilerplate_lines),
                    self._boilerplate_config,
                )

    async def wait_for_feeds(self, timeout: float = 60.0) -> list[FeedSpec]:
        """The feeds this poller may poll now (all of them without leases)."""
        if self.leases is None:
            return list(self.feeds)
        await self.leases.wait_assigned(timeout)
        return [f for f in self.feeds if self.leases.partition_of(f.feed_id) in self.leases.owned]

    async def poll_leased(self, spec: FeedSpec) -> float | None:
        """``poll_feed`` under the feed's lease; None if this poller does not hold it."""
        if self.leases is None:
            return await self.poll_feed(spec)
        return await self.leases.run(spec.feed_id, lambda: self.poll_feed(spec))

    async def stop(self) -> None:
        """Give up the leases (ending polls under way), flush and close."""
        if self.leases is not None:
            await self.leases.stop()
        if self.pages is not None:
            await self.pages.close()
        if self._session is not None:
            await self._session.close()
        if self._producer is not None:
            await self._producer.stop()

    async def run(self) -> None:
        """Poll all feeds forever (until cancelled)."""
        if not self.feeds:
            log.warning("the feed list is empty: nothing to poll")
            self.first_round_done.set()
        remaining = {f.feed_id for f in self.feeds}
        done_lock = asyncio.Lock()

        async def loop_feed(spec: FeedSpec) -> None:
            first = True
            while True:
                if self.leases is not None:
                    await self.leases.wait_owned(spec.feed_id)
                # The feed's own schedule, whoever polled it last (this poller or the
                # previous holder of its lease).
                state = self.states.get(spec.feed_id)
                delay = self._initial_delay(state)
                if delay > 0:
                    await asyncio.sleep(delay)
                    if self.states.get(spec.feed_id) is not state:
                        continue  # the lease moved and came back meanwhile: re-read
                polled = await self.poll_leased(spec)
                now_state = self.states.get(spec.feed_id)
                gone = now_state is not None and bool(now_state.disabled)
                gone = gone and now_state is not None and now_state.url == spec.url
                if polled is None and not gone:
                    continue  # the lease was lost mid-poll
                if first:
                    first = False
                    async with done_lock:
                        remaining.discard(spec.feed_id)
                        if not remaining:
                            self.first_round_done.set()
                if gone:
                    return  # 410: polled no more until its configured URL changes

        await asyncio.gather(*(loop_feed(spec) for spec in self.feeds))

    def _initial_delay(self, state: FeedState | None) -> float:
        if state is None or state.next_poll is None:
            return 0.0
        return max(0.0, (state.next_poll - self._now()).total_seconds())

    async def poll_feed(self, spec: FeedSpec) -> float | None:
        """Poll one feed once, publish its new entries and state; returns seconds to wait,
        or None for a feed that is gone (disabled until its configured URL changes)."""
        async with self._semaphore:
            now = self._now()
            previous = self.states.get(spec.feed_id)
            # What the feed's history says about its URL holds only while the URL is the same.
            same_url = previous is not None and previous.url == spec.url
            if same_url and previous is not None and previous.disabled:
                log.debug("feed %s is disabled: %s", spec.feed_id, previous.disabled)
                return None
            state = FeedState(
                feed_id=spec.feed_id,
                url=spec.url,
                etag=previous.etag if previous else None,
                last_modified=previous.last_modified if previous else None,
                last_success=previous.last_success if previous else None,
                failures=previous.failures if previous else 0,
                entries_seen=previous.entries_seen if previous else 0,
                last_attempt=now,
                moved_to=previous.moved_to if same_url and previous is not None else None,
            )
            interval = spec.interval or self.settings.poll_interval
            retry_after: float | None = None
            self.stats.polls += 1
            try:
                outcome = await self._fetch_and_publish(spec, state, now)
                state.failures = 0
                state.last_success = now
                self.metrics.polls.labels(outcome).inc()
            except FeedError as exc:
                state.failures += 1
                state.last_error = str(exc)
                state.last_status = exc.status
                retry_after = exc.retry_after
                self.stats.errors += 1
                self.metrics.polls.labels("error").inc()
                log.warning("feed %s failed (%d in a row): %s", spec.feed_id, state.failures, exc)
                if exc.status in GONE:
                    state.disabled = f"HTTP {exc.status} Gone at {now:%Y-%m-%dT%H:%M:%SZ}"
                    log.warning(
                        "feed %s is gone: no more polls until its URL changes", spec.feed_id
                    )
            except Exception as exc:
                # A bug for one feed's content must not stop the other feeds.
                state.failures += 1
                state.last_error = f"{type(exc).__name__}: {exc}"
                self.stats.errors += 1
                self.metrics.polls.labels("error").inc()
                log.exception("feed %s: unexpected error", spec.feed_id)
            delay = next_poll_delay(
                interval=interval,
                failures=state.failures,
                max_backoff=self.settings.max_backoff,
                retry_after=retry_after,
                rng=self._rng,
            )
            feed = spec.feed_id
            self.metrics.feed_up.labels(feed).set(0 if state.failures else 1)
            self.metrics.feed_failures.labels(feed).set(state.failures)
            if state.last_success is not None:
                self.metrics.feed_last_success.labels(feed).set(state.last_success.timestamp())
            state.next_poll = None if state.disabled else now + timedelta(seconds=delay)
            state.recent_ids = self._recent.get(spec.feed_id, [])[-RECENT_IDS:]
            learner = self.boilerplate.get(spec.feed_id)
            if learner is not None:
                state.boilerplate_articles, lines = learner.state()
                state.boilerplate_lines = [
                    BoilerplateLine(key=k, count=c, seen=n) for k, c, n in lines
                ]
            try:
                await self._save_state(state)
            except Exception as exc:
                # The broker is away (longer than the producer's request timeout): the state
                # stays in memory and goes out with the feed's next poll; the loop goes on.
                log.warning(
                    "feed %s: state not saved, kept for the next poll: %r", spec.feed_id, exc
                )
            self.stats.feeds_polled.add(spec.feed_id)
            return None if state.disabled else delay

    async def _fetch_and_publish(self, spec: FeedSpec, state: FeedState, now: datetime) -> str:
        result = await fetch_feed(
            self._session,
            state.moved_to or spec.url,
            etag=state.etag,
            last_modified=state.last_modified,
            limits=self._limits,
        )
        state.last_status = result.status
        if result.moved_to is not None and result.moved_to != state.moved_to:
            log.info("feed %s moved permanently to %s", spec.feed_id, result.moved_to)
            state.moved_to = result.moved_to
        if result.not_modified or result.body is None:
            return "not_modified"
        # feedparser is pure Python: a big feed takes about a second, so parse off the loop.
        parsed = await asyncio.to_thread(
            parse_feed,
            result.body,
            spec=spec,
            fetched=now,
            feed_url=result.url,
            content_type=result.content_type,
        )
        if parsed.problems and not parsed.articles:
            raise FeedError(f"malformed feed with no usable entries: {'; '.join(parsed.problems)}")
        state.last_error = "; ".join(parsed.problems)[:1000] or None
        if parsed.problems:
            log.info("feed %s parsed with problems: %s", spec.feed_id, state.last_error)
        recent = self._recent.setdefault(spec.feed_id, [])
        known = set(recent)
        new = []
        for article in parsed.articles:
            # Also once per document: a feed may list the same entry twice.
            if article.article_id not in known:
                known.add(article.article_id)
                new.append(article)
        await self._add_pages(spec, new)
        self._strip_boilerplate(spec, new)
        assert self._producer is not None
        topic = self.settings.topic("raw-articles")
        # State (validators, seen ids) only advances once the articles are on the broker:
        # a crash in between re-publishes them, and dedup absorbs the repeat.
        await self._producer.send_all(topic, [(a.article_id, dumps(a)) for a in new])
        recent.extend(a.article_id for a in new)
        del recent[:-RECENT_IDS]
        state.etag, state.last_modified = result.etag, result.last_modified
        state.entries_seen += len(new)
        self.stats.published += len(new)
        self.metrics.articles_published.inc(len(new))
        log.info("feed %s: %d entries, %d new", spec.feed_id, len(parsed.articles), len(new))
        return "ok"

    async def _add_pages(self, spec: FeedSpec, articles: list[RawArticle]) -> None:
        """Fetch the page text of entries whose feed asks for it; failures keep the feed text."""
        if self.pages is None:
            return
        wanted = [
            a
            for a in articles
            if a.url
            and a.url.startswith(("http://", "https://"))
            and spec.wants_page(a.summary, a.content)
        ]
        # Hosts are fetched side by side; the fetcher serialises and spaces each host itself.
        pages = await asyncio.gather(*(self.pages.fetch(a.url or "") for a in wanted))
        for article, page in zip(wanted, pages, strict=True):
            article.page_outcome = page.outcome
            article.page_text = page.text
            self.metrics.page_fetches.labels(page.outcome).inc()
            if not page.usable:
                log.info("page of %s: %s; the feed text stands", article.url, page.outcome)

    def _strip_boilerplate(self, spec: FeedSpec, articles: list[RawArticle]) -> None:
        """Learn the feed's repeated lines from the new articles, then strip them from all."""
        learner = self.boilerplate.setdefault(
            spec.feed_id, FeedBoilerplate(spec.feed_id, self._boilerplate_config)
        )
        # The whole batch is observed first, so a block shared by this poll's articles is
        # stripped from every one of them, the first included.
        for article in articles:
            learner.observe_article((article.summary, article.content, article.page_text))
        for article in articles:
            removed = 0
            article.summary, count = learner.strip(article.summary)
            removed += count
            article.content, count = learner.strip(article.content)
            removed += count
            article.page_text, count = learner.strip(article.page_text)
            removed += count
            article.boilerplate_removed = removed
            self.metrics.boilerplate_lines.inc(removed)

    async def _save_state(self, state: FeedState) -> None:
        assert self._producer is not None
        self.states[state.feed_id] = state
        await self._producer.send_all(
            self.settings.topic("feed-state"), [(state.feed_id, dumps(state))]
        )
