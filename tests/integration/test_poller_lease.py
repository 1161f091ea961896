"""Two pollers share the feeds and never poll the same feed at once (agents/poller_lease.py).

A feed server counts the requests of each feed in flight (a request ends when it is answered
or its client hangs up) and answers slowly, so a feed polled by two pollers at once shows up
as two requests in flight. With leases off the same setup does show that overlap, so the
server is able to see it.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import defaultdict
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from aiohttp import web

from agents.poller import Poller
from agents.topics import ensure_topics
from pipeline.feeds.config import FeedSpec, load_feed_list
from wirestream.broker import free_port
from wirestream_core.settings import Settings

pytestmark = pytest.mark.integration

FEEDS = 8
#: Seconds a feed answer takes: long against the poll interval, so overlaps would be common.
SLOW = 0.4
INTERVAL = 0.5


@dataclass
class FeedServer:
    """What the slow feed server saw."""

    url: str = ""
    in_flight: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    max_in_flight: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    #: (time the request arrived, feed, User-Agent) of every request.
    requests: list[tuple[float, str, str]] = field(default_factory=list)

    def polled_by(self, agent: str, since: float = 0.0) -> set[str]:
        return {feed for t, feed, ua in self.requests if ua == agent and t >= since}


@pytest.fixture
async def server() -> AsyncIterator[FeedServer]:
    seen = FeedServer()

    async def feed(request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        seen.requests.append((time.monotonic(), name, request.headers.get("User-Agent", "")))
        seen.in_flight[name] += 1
        seen.max_in_flight[name] = max(seen.max_in_flight[name], seen.in_flight[name])
        try:
            deadline = time.monotonic() + SLOW
            while time.monotonic() < deadline:
                transport = request.transport
                if transport is None or transport.is_closing():
                    break  # the poller hung up: its poll is over
                await asyncio.sleep(0.01)
        finally:
            seen.in_flight[name] -= 1
        n = len(seen.requests)
        body = (
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>{name}</title>'
            f"<item><title>Report {n}</title><link>http://feeds.test/{name}/{n}</link>"
            f"<description>Report {n} of {name}.</description></item></channel></rss>"
        )
        return web.Response(body=body.encode(), content_type="application/rss+xml")

    app = web.Application()
    app.router.add_get("/{name}.xml", feed)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    seen.url = f"http://127.0.0.1:{port}"
    yield seen
    await runner.cleanup()


def feed_list(server: FeedServer, tmp_path: Path) -> list[FeedSpec]:
    path = tmp_path / "feeds.toml"
    path.write_text(
        "".join(
            f'[[feed]]\nid = "f{i}"\nurl = "{server.url}/f{i}.xml"\ninterval = {INTERVAL}\n'
            for i in range(FEEDS)
        )
    )
    return load_feed_list(path)


@contextlib.asynccontextmanager
async def polling(settings: Settings, feeds: list[FeedSpec]) -> AsyncIterator[Poller]:
    poller = Poller(settings, feeds)
    await poller.start()
    task = asyncio.create_task(poller.run())
    try:
        yield poller
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await poller.stop()


def as_agent(settings: Settings, name: str, **update: object) -> Settings:
    return settings.model_copy(update={"user_agent": name, **update})


async def test_two_pollers_split_the_feeds_and_never_poll_one_feed_at_once(
    settings: Settings, server: FeedServer, tmp_path: Path
) -> None:
    await ensure_topics(settings)
    feeds = feed_list(server, tmp_path)
    async with polling(as_agent(settings, "A"), feeds) as a:
        async with polling(as_agent(settings, "B"), feeds) as b:
            # Both hold partitions: the group has split the feeds between them.
            deadline = asyncio.get_running_loop().time() + 30
            while not (a.leases and b.leases and a.leases.owned and b.leases.owned):
                assert asyncio.get_running_loop().time() < deadline, "no split in 30 s"
                await asyncio.sleep(0.1)
            assert a.leases is not None and b.leases is not None
            assert not a.leases.owned & b.leases.owned
            split_at = time.monotonic()
            await asyncio.sleep(4)
            by_a, by_b = server.polled_by("A", split_at), server.polled_by("B", split_at)
            assert by_a and by_b, "both pollers work"
            assert not by_a & by_b, "after the split each feed has one poller"
            assert by_a | by_b == {f.feed_id for f in feeds}
        # B left the group: A takes every feed over.
        left_at = time.monotonic()
        await asyncio.sleep(5)
        assert server.polled_by("A", left_at) == {f.feed_id for f in feeds}
    assert max(server.max_in_flight.values()) == 1, dict(server.max_in_flight)


async def test_without_leases_the_same_pollers_do_overlap(
    settings: Settings, server: FeedServer, tmp_path: Path
) -> None:
    """The control: the server sees an overlap when there is one."""
    await ensure_topics(settings)
    feeds = feed_list(server, tmp_path)
    async with (
        polling(as_agent(settings, "A", poller_lease=False), feeds),
        polling(as_agent(settings, "B", poller_lease=False), feeds),
    ):
        await asyncio.sleep(3)
    assert max(server.max_in_flight.values()) == 2
