"""fetch_feed against a real aiohttp server on 127.0.0.1, and against files."""

from __future__ import annotations

import asyncio
import os
import socket
import time
import tracemalloc
import zlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from pipeline.errors import FeedError
from pipeline.feeds.fetch import FetchLimits, fetch_feed, parse_retry_after

FEED = b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>'
ETAG = '"v1"'
LAST_MODIFIED = "Mon, 28 Nov 2016 06:00:00 GMT"
LIMIT = 64 * 1024
LIMITS = FetchLimits(connect_timeout=2.0, read_timeout=2.0, max_body_bytes=LIMIT)
USER_AGENTS = web.AppKey("user_agents", list[str | None])


def gzip_bomb(inflated: int) -> bytes:
    """A gzip stream of ``inflated`` zero bytes (about a thousandth of that, compressed)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(1024 * 1024)
    parts = [compressor.compress(block) for _ in range(inflated // len(block))]
    return b"".join([*parts, compressor.flush()])


BOMB = gzip_bomb(64 * 1024 * 1024)


async def feed(request: web.Request) -> web.Response:
    request.app[USER_AGENTS].append(request.headers.get("User-Agent"))
    if request.headers.get("If-None-Match") == ETAG:
        return web.Response(status=304, headers={"ETag": ETAG})
    if request.headers.get("If-Modified-Since") == LAST_MODIFIED:
        return web.Response(status=304)
    return web.Response(
        body=FEED,
        content_type="application/rss+xml",
        charset="utf-8",
        headers={"ETag": ETAG, "Last-Modified": LAST_MODIFIED},
    )


async def dated_only(request: web.Request) -> web.Response:
    if request.headers.get("If-Modified-Since") == LAST_MODIFIED:
        return web.Response(status=304)
    return web.Response(body=FEED, headers={"Last-Modified": LAST_MODIFIED})


async def redirect(request: web.Request) -> web.Response:
    raise web.HTTPFound("/feed")


async def moved(request: web.Request) -> web.Response:
    raise web.HTTPMovedPermanently("/feed")


async def moved_then_lent(request: web.Request) -> web.Response:
    raise web.HTTPPermanentRedirect("/redirect")  # 308, then /redirect's 302 to /feed


async def redirect_loop(request: web.Request) -> web.Response:
    raise web.HTTPFound("/loop")


async def status(request: web.Request) -> web.Response:
    code = int(request.match_info["code"])
    headers = {}
    if "retry_after" in request.query:
        headers["Retry-After"] = request.query["retry_after"]
    return web.Response(status=code, text="error page", headers=headers)


async def big(request: web.Request) -> web.Response:
    return web.Response(body=b"x" * (LIMIT + 1))


async def big_chunked(request: web.Request) -> web.StreamResponse:
    response = web.StreamResponse()
    response.enable_chunked_encoding()
    await response.prepare(request)
    try:
        for _ in range(100):
            await response.write(b"x" * 8192)
    except ConnectionError:
        pass  # the client hung up, as it should
    return response


async def bomb(request: web.Request) -> web.Response:
    return web.Response(
        body=BOMB, headers={"Content-Encoding": "gzip", "Content-Type": "application/xml"}
    )


async def slow(request: web.Request) -> web.StreamResponse:
    response = web.StreamResponse(headers={"Content-Type": "application/xml"})
    await response.prepare(request)
    try:
        for _ in range(200):  # 10 s of dribbling, far past the client's deadline
            await response.write(b" ")
            await asyncio.sleep(0.05)
    except ConnectionError:
        pass
    return response


@pytest.fixture
async def server() -> AsyncIterator[TestServer]:
    app = web.Application()
    app[USER_AGENTS] = []
    app.router.add_get("/feed", feed)
    app.router.add_get("/dated", dated_only)
    app.router.add_get("/redirect", redirect)
    app.router.add_get("/loop", redirect_loop)
    app.router.add_get("/moved", moved)
    app.router.add_get("/moved-then-lent", moved_then_lent)
    app.router.add_get("/status/{code}", status)
    app.router.add_get("/big", big)
    app.router.add_get("/big-chunked", big_chunked)
    app.router.add_get("/bomb", bomb)
    app.router.add_get("/slow", slow)
    test_server = TestServer(app, host="127.0.0.1")
    async with test_server:
        yield test_server


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as client_session:
        yield client_session


async def test_200_then_conditional_get_is_not_modified(
    server: TestServer, session: aiohttp.ClientSession
) -> None:
    url = str(server.make_url("/feed"))
    first = await fetch_feed(session, url, limits=LIMITS)
    assert (first.status, first.body, first.not_modified) == (200, FEED, False)
    assert (first.etag, first.last_modified) == (ETAG, LAST_MODIFIED)
    assert first.content_type == "application/rss+xml; charset=utf-8"
    assert first.url == url

    again = await fetch_feed(session, url, etag=first.etag, limits=LIMITS)
    assert (again.status, again.body, again.not_modified) == (304, None, True)
    assert again.etag == ETAG
    assert server.app[USER_AGENTS] == ["wirestream/0.1", "wirestream/0.1"]


async def test_last_modified_alone_gives_not_modified(
    server: TestServer, session: aiohttp.ClientSession
) -> None:
    url = str(server.make_url("/dated"))
    first = await fetch_feed(session, url, limits=LIMITS)
    assert first.etag is None and first.last_modified == LAST_MODIFIED
    again = await fetch_feed(session, url, last_modified=first.last_modified, limits=LIMITS)
    assert again.not_modified
    # A 304 that repeats no validators keeps the ones that were sent.
    assert again.last_modified == LAST_MODIFIED


async def test_redirect_is_followed_and_final_url_reported(
    server: TestServer, session: aiohttp.ClientSession
) -> None:
    result = await fetch_feed(session, str(server.make_url("/redirect")), limits=LIMITS)
    assert result.body == FEED
    assert result.url == str(server.make_url("/feed"))


async def test_permanent_redirects_report_where_the_feed_moved(
    server: TestServer, session: aiohttp.ClientSession
) -> None:
    result = await fetch_feed(session, str(server.make_url("/moved")), limits=LIMITS)
    assert result.body == FEED and result.moved_to == str(server.make_url("/feed"))
    # Only the permanent hops at the start count: the feed lives at /redirect, lent to /feed.
    result = await fetch_feed(session, str(server.make_url("/moved-then-lent")), limits=LIMITS)
    assert result.url == str(server.make_url("/feed"))
    assert result.moved_to == str(server.make_url("/redirect"))
    temporary = await fetch_feed(session, str(server.make_url("/redirect")), limits=LIMITS)
    assert temporary.moved_to is None


async def test_too_many_redirects(server: TestServer, session: aiohttp.ClientSession) -> None:
    with pytest.raises(FeedError, match="too many redirects") as caught:
        await fetch_feed(session, str(server.make_url("/loop")), limits=LIMITS)
    assert caught.value.retry


async def test_server_error_is_retried(server: TestServer, session: aiohttp.ClientSession) -> None:
    with pytest.raises(FeedError, match="HTTP 500 Internal Server Error") as caught:
        await fetch_feed(session, str(server.make_url("/status/500")), limits=LIMITS)
    assert (caught.value.retry, caught.value.status, caught.value.retry_after) == (True, 500, None)


@pytest.mark.parametrize("code", [404, 410, 403])
async def test_client_errors_say_they_look_permanent(
    server: TestServer, session: aiohttp.ClientSession, code: int
) -> None:
    with pytest.raises(FeedError, match=f"HTTP {code}.*looks permanent") as caught:
        await fetch_feed(session, str(server.make_url(f"/status/{code}")), limits=LIMITS)
    assert caught.value.retry and caught.value.status == code


async def test_429_with_retry_after_seconds(
    server: TestServer, session: aiohttp.ClientSession
) -> None:
    url = str(server.make_url("/status/429").with_query(retry_after="120"))
    with pytest.raises(FeedError, match=r"429.*wait 120s") as caught:
        await fetch_feed(session, url, limits=LIMITS)
    assert (caught.value.retry, caught.value.status, caught.value.retry_after) == (True, 429, 120.0)


async def test_503_with_retry_after_http_date(
    server: TestServer, session: aiohttp.ClientSession
) -> None:
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=90), usegmt=True)
    url = str(server.make_url("/status/503").with_query(retry_after=when))
    with pytest.raises(FeedError) as caught:
        await fetch_feed(session, url, limits=LIMITS)
    assert caught.value.status == 503
    assert caught.value.retry_after is not None and 85 <= caught.value.retry_after <= 90


async def test_body_over_the_limit_by_content_length(
    server: TestServer, session: aiohttp.ClientSession
) -> None:
    with pytest.raises(FeedError, match=f"over the {LIMIT}-byte limit"):
        await fetch_feed(session, str(server.make_url("/big")), limits=LIMITS)


async def test_body_over_the_limit_without_content_length(
    server: TestServer, session: aiohttp.ClientSession
) -> None:
    with pytest.raises(FeedError, match="after decompression"):
        await fetch_feed(session, str(server.make_url("/big-chunked")), limits=LIMITS)


async def test_gzip_bomb_fails_fast_without_inflating_it_all(
    server: TestServer, session: aiohttp.ClientSession
) -> None:
    assert len(BOMB) < LIMIT  # small on the wire, 64 MiB inflated
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(FeedError, match="after decompression"):
            await fetch_feed(session, str(server.make_url("/bomb")), limits=LIMITS)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.monotonic() - started < 2.0
    assert peak < 8 * 1024 * 1024  # the whole thing would be 64 MiB


async def test_slow_body_hits_the_whole_response_deadline(
    server: TestServer, session: aiohttp.ClientSession
) -> None:
    limits = FetchLimits(connect_timeout=1.0, read_timeout=0.3, max_body_bytes=LIMIT)
    started = time.monotonic()
    with pytest.raises(FeedError, match=r"no complete response within 0\.3s") as caught:
        await fetch_feed(session, str(server.make_url("/slow")), limits=limits)
    assert time.monotonic() - started < 1.5
    assert caught.value.retry


async def test_connection_refused(session: aiohttp.ClientSession) -> None:
    with socket.socket() as sock:  # a port that was free a moment ago and has no listener
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(FeedError, match=f"cannot connect to 127.0.0.1:{port}") as caught:
        await fetch_feed(session, f"http://127.0.0.1:{port}/feed", limits=LIMITS)
    assert caught.value.retry and caught.value.status is None


async def test_without_a_session_http_uses_its_own(server: TestServer) -> None:
    result = await fetch_feed(None, str(server.make_url("/feed")), limits=LIMITS)
    assert result.body == FEED


async def test_unsupported_scheme_is_not_retried() -> None:
    with pytest.raises(FeedError, match="unsupported URL scheme 'ftp'") as caught:
        await fetch_feed(None, "ftp://127.0.0.1/feed.xml")
    assert not caught.value.retry


async def test_file_read_then_not_modified_while_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    path.write_bytes(FEED)
    url = path.as_uri()
    first = await fetch_feed(None, url)
    assert (first.body, first.status, first.not_modified, first.url) == (FEED, None, False, url)
    assert first.last_modified is not None and first.last_modified.endswith("GMT")
    assert first.etag is not None

    by_date = await fetch_feed(None, url, last_modified=first.last_modified)
    assert by_date.not_modified and by_date.body is None
    by_etag = await fetch_feed(None, url, etag=first.etag, last_modified=first.last_modified)
    assert by_etag.not_modified

    path.write_bytes(FEED + b"\n")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    changed = await fetch_feed(None, url, etag=first.etag, last_modified=first.last_modified)
    assert not changed.not_modified and changed.body == FEED + b"\n"
    assert changed.etag != first.etag


async def test_file_over_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.xml"
    path.write_bytes(b"x" * 101)
    with pytest.raises(FeedError, match="over the 100-byte limit"):
        await fetch_feed(None, path.as_uri(), limits=FetchLimits(max_body_bytes=100))


async def test_file_errors(tmp_path: Path) -> None:
    with pytest.raises(FeedError, match="no such file: this looks permanent"):
        await fetch_feed(None, (tmp_path / "absent.xml").as_uri())
    with pytest.raises(FeedError, match="not a regular file"):
        await fetch_feed(None, tmp_path.as_uri())
    with pytest.raises(FeedError, match="must be local") as caught:
        await fetch_feed(None, "file://fileserver/share/feed.xml")
    assert not caught.value.retry


def test_parse_retry_after() -> None:
    now = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
    assert parse_retry_after("120", now=now) == 120.0
    assert parse_retry_after(" 0 ", now=now) == 0.0
    assert parse_retry_after("Sun, 01 Nov 2026 12:01:30 GMT", now=now) == 90.0
    assert parse_retry_after("Sun, 01 Nov 2026 11:00:00 GMT", now=now) == 0.0  # in the past
    for unusable in (None, "", "soon", "-5", "1.5e3"):
        assert parse_retry_after(unusable, now=now) is None
