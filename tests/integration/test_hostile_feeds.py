"""Hostile feeds served from 127.0.0.1 to a real poller: every feed ends with its error in the
feed's state, in bounded time and memory, while the good feeds publish (issue 19, item 5)."""

from __future__ import annotations

import asyncio
import random
import time
import tracemalloc
import zlib
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiohttp import web

from agents.poller import Poller, load_feed_states
from agents.topics import ensure_topics
from pipeline.feeds.config import FeedSpec
from tests.integration.helpers import read_topic
from wirestream.broker import free_port
from wirestream_core.settings import Settings

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
COMMITTED = REPO / "tests" / "data" / "feeds" / "illformed"
SHARED_SUITE = REPO.parent / "shared" / "feeds" / "feedparser-tests" / "tests"
READ_TIMEOUT = 3.0
MB = 1024 * 1024
REQUESTS = web.AppKey("requests", Counter[str])


def rss(*titles: str) -> bytes:
    items = "".join(
        f"<item><title>{t}</title><link>http://local.test/{t.replace(' ', '-')}</link>"
        f"<description>{t}, officials said on Monday.</description>"
        "<pubDate>Sat, 05 Dec 2026 10:00:00 GMT</pubDate></item>"
        for t in titles
    )
    channel = f"<channel><title>W</title>{items}</channel>"
    return f'<?xml version="1.0"?><rss version="2.0">{channel}</rss>'.encode()


GOOD = {
    "/good-a.xml": rss("Protest in Lyon", "Strike in Nairobi"),
    "/good-b.xml": rss("Clashes in Kabul", "Clashes in Kabul"),  # one entry listed twice
    "/new-home.xml": rss("Talks in Geneva"),
}


def billion_laughs() -> bytes:
    """Ten nested entities of ten each: 10**9 'lol's if a parser expanded them."""
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
    )
    return (
        f'<?xml version="1.0"?><!DOCTYPE rss [{entities}]><rss version="2.0"><channel>'
        "<title>&lol9;</title><item><title>&lol9;</title><link>http://local.test/lol</link>"
        "</item></channel></rss>"
    ).encode()


def gzip_bomb(inflated: int) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(MB)
    return b"".join(
        [*(compressor.compress(block) for _ in range(inflated // MB)), compressor.flush()]
    )


async def good(request: web.Request) -> web.Response:
    if request.headers.get("If-None-Match") == '"v1"':
        return web.Response(status=304)
    return web.Response(
        body=GOOD[request.path], content_type="application/rss+xml", headers={"ETag": '"v1"'}
    )


async def huge(request: web.Request) -> web.StreamResponse:
    """100 MB of feed-looking bytes, chunked (no Content-Length to refuse it by)."""
    response = web.StreamResponse(headers={"Content-Type": "application/rss+xml"})
    response.enable_chunked_encoding()
    await response.prepare(request)
    try:
        await response.write(b'<?xml version="1.0"?><rss version="2.0"><channel><title>')
        for _ in range(100):
            await response.write(b"x" * MB)
    except ConnectionError:
        pass  # the poller hung up at its limit
    return response


async def trickle(request: web.Request) -> web.StreamResponse:
    """A byte a second, for as long as the client listens."""
    response = web.StreamResponse(headers={"Content-Type": "application/rss+xml"})
    await response.prepare(request)
    try:
        for byte in b'<?xml version="1.0"?><rss version="2.0"><channel>' * 10:
            await response.write(bytes([byte]))
            await asyncio.sleep(1.0)
    except ConnectionError:
        pass
    return response


def fixed(status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> object:
    async def handler(request: web.Request) -> web.Response:
        return web.Response(status=status, body=body, headers=headers)

    return handler


def redirect(to: str, status: int = 302) -> object:
    async def handler(request: web.Request) -> web.Response:
        return web.Response(status=status, headers={"Location": to})

    return handler


def suite_files() -> list[Path]:
    """feedparser's test files: the committed subset, and the whole suite when beside us."""
    files = sorted(COMMITTED.glob("*.xml"))
    if SHARED_SUITE.is_dir():
        files += sorted(p for p in SHARED_SUITE.rglob("*") if p.is_file())
    return files


@pytest.fixture
async def hostile_server() -> AsyncIterator[tuple[str, web.Application]]:
    files = suite_files()
    garbage = random.Random(19).randbytes(200_000)
    bomb = gzip_bomb(256 * MB)

    async def suite(request: web.Request) -> web.Response:
        return web.Response(
            body=files[int(request.match_info["n"])].read_bytes(),
            content_type="application/rss+xml",
        )

    async def gzip(request: web.Request) -> web.Response:
        headers = {"Content-Encoding": "gzip", "Content-Type": "application/rss+xml"}
        return web.Response(body=bomb, headers=headers)

    routes = {
        **dict.fromkeys(GOOD, good),
        "/garbage": fixed(200, garbage, {"Content-Type": "application/rss+xml"}),
        "/page.html": fixed(
            200, b"<html><body><p>Welcome</p></body></html>", {"Content-Type": "text/html"}
        ),
        "/huge": huge,
        "/bomb": gzip,
        "/laughs": fixed(200, billion_laughs(), {"Content-Type": "application/rss+xml"}),
        "/trickle": trickle,
        "/loop": redirect("/loop"),
        "/old-home": redirect("/new-home.xml", 301),
        "/gone": fixed(410, b"gone"),
        "/missing": fixed(404, b"not here"),
        "/limited": fixed(429, b"slow down", {"Retry-After": "120"}),
        "/error": fixed(500, b"boom"),
        "/suite/{n}": suite,
    }

    @web.middleware
    async def count(request: web.Request, handler: object) -> web.StreamResponse:
        request.app[REQUESTS][request.path] += 1
        return await handler(request)  # type: ignore[operator, no-any-return]

    app = web.Application(middlewares=[count])
    app[REQUESTS] = Counter()
    for path, handler in routes.items():
        app.router.add_get(path, handler)  # type: ignore[arg-type]
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    yield f"http://127.0.0.1:{port}", app
    await runner.cleanup()


#: Feeds whose bodies are far over the limit (or would be, expanded).
BIG = frozenset({"huge", "gzip-bomb", "laughs"})
HOSTILE = {
    # feed id: (path, what its state must say)
    "garbage": ("/garbage", "not an RSS/Atom feed"),
    "html-page": ("/page.html", "not an RSS/Atom feed"),
    "huge": ("/huge", "over the 10485760-byte limit"),
    "gzip-bomb": ("/bomb", "over the 10485760-byte limit (after decompression)"),
    "laughs": ("/laughs", "entity declaration(s) dropped unexpanded"),
    "trickle": ("/trickle", f"no complete response within {READ_TIMEOUT:g}s"),
    "redirect-loop": ("/loop", "too many redirects"),
    "gone": ("/gone", "HTTP 410"),
    "missing": ("/missing", "HTTP 404"),
    "rate-limited": ("/limited", "HTTP 429"),
    "server-error": ("/error", "HTTP 500"),
}


async def test_hostile_feeds_leave_errors_in_their_state_and_good_feeds_flow(
    settings: Settings, hostile_server: tuple[str, web.Application]
) -> None:
    base, app = hostile_server
    files = suite_files()
    feeds = [
        FeedSpec(feed_id="good-a", url=f"{base}/good-a.xml"),
        FeedSpec(feed_id="good-b", url=f"{base}/good-b.xml"),
        FeedSpec(feed_id="moved", url=f"{base}/old-home"),
        *(FeedSpec(feed_id=f, url=f"{base}{path}") for f, (path, _) in HOSTILE.items()),
        *(FeedSpec(feed_id=f"suite-{n}", url=f"{base}/suite/{n}") for n in range(len(files))),
    ]
    settings = settings.model_copy(
        update={"connect_timeout": 2.0, "read_timeout": READ_TIMEOUT, "max_backoff": 60.0}
    )
    await ensure_topics(settings)
    poller = Poller(settings, feeds)
    await poller.start()
    seconds: dict[str, float] = {}
    waits: dict[str, float | None] = {}

    async def poll(spec: FeedSpec) -> None:
        started = time.monotonic()
        waits[spec.feed_id] = await poller.poll_feed(spec)
        seconds[spec.feed_id] = time.monotonic() - started

    big = [spec for spec in feeds if spec.feed_id in BIG]
    rest = [spec for spec in feeds if spec.feed_id not in BIG]
    polled_at = datetime.now(UTC)
    try:
        # The big ones first, one at a time, so that the memory each costs is its own.
        peaks = {}
        tracemalloc.start()
        try:
            for spec in big:
                tracemalloc.reset_peak()
                await poll(spec)
                peaks[spec.feed_id] = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        await asyncio.gather(*(poll(spec) for spec in rest))
        first_round = dict(seconds)
        await asyncio.gather(*(poll(spec) for spec in feeds))
    finally:
        await poller.stop()

    # Bounded: no feed holds the poller longer than the response deadline (plus parsing, and
    # waiting its turn among max_concurrent_fetches), and neither the 100 MB body nor the
    # 256 MB bomb nor 10**9 laughs ever sat in memory (the body limit is 10 MiB).
    slowest = max(first_round, key=lambda f: first_round[f])
    assert first_round[slowest] < READ_TIMEOUT + 15, (slowest, first_round[slowest])
    # The body buffer plus the chunk in hand: 14 MB for huge and 24 MB for the bomb when
    # measured, against 100 MB and 256 MB whole (and 74 MB for the laughs before the fix).
    assert max(peaks.values()) < 40 * MB, {f: f"{p / MB:.0f} MB" for f, p in peaks.items()}
    for feed in ("good-a", "good-b", "moved"):
        assert first_round[feed] < 2.0, (feed, first_round[feed])

    states = await load_feed_states(settings)
    assert set(states) == {f.feed_id for f in feeds}, "every feed has a state"
    for feed, (_, reason) in HOSTILE.items():
        state = states[feed]
        assert reason in (state.last_error or ""), (feed, state.last_error)
    for feed in set(HOSTILE) - {"laughs", "gone"}:
        assert states[feed].failures == 2, (feed, states[feed])  # polled twice, failed twice
    # Billion laughs: the entities are dropped unexpanded; the entry's title stays as written.
    assert states["laughs"].failures == 0

    # 410 disables the feed: polled once, never again, and no next poll.
    assert states["gone"].disabled and states["gone"].next_poll is None
    assert states["gone"].failures == 1 and waits["gone"] is None
    # 429's Retry-After is a floor on the wait.
    limited = states["rate-limited"].next_poll
    assert limited is not None and (limited - polled_at).total_seconds() >= 120
    # 301: followed, and the new address is polled directly from then on.
    assert states["moved"].moved_to == f"{base}/new-home.xml"
    assert states["moved"].last_status == 304
    requests = app[REQUESTS]
    assert requests["/old-home"] == 1 and requests["/new-home.xml"] == 2
    assert requests["/gone"] == 1
    assert all(requests[f"/suite/{n}"] == 2 for n in range(len(files)))

    raw = await read_topic(settings, "raw-articles", idle=1.5)
    titles = Counter(v["title"] for _, v in raw)
    for title in ("Protest in Lyon", "Strike in Nairobi", "Clashes in Kabul", "Talks in Geneva"):
        assert titles[title] == 1, title
    # Many of feedparser's test files share a link (hence an article id): count per feed.
    sent = Counter((v["feed_id"], k) for k, v in raw)
    twice = {k: n for k, n in sent.items() if n > 1}
    assert len(raw) == poller.stats.published and not twice, twice
