"""PageFetcher against a real aiohttp server on 127.0.0.1: manners, limits and fallbacks."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from pipeline.pages import PageFetcher, PageLimits

PARAGRAPHS = [
    "Security forces fired tear gas at protesters in the northern town of Kilba on Tuesday, "
    "witnesses said, after a march against fuel prices turned violent near the market.",
    "At least twelve people were taken to hospital, a nurse at the district clinic told "
    "reporters, and the police said four officers had been hurt by stones.",
    "The governor imposed a curfew from dusk to dawn and said the army would patrol the "
    "main roads until calm returned to the town and its surrounding villages.",
]
SPAM = b"<p>comment spam here</p>" * 2048
HUGE_BYTES = 10 * 1024 * 1024
SECRET = "Only the page says that rebels seized the bridge at Mandera on Monday night."


def article_page(paragraphs: list[str], padding: str = "") -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        "<html><head><title>Clashes in Kilba</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article><h1>Clashes in Kilba</h1>{body}</article>{padding}"
        "<footer>Copyright 2026 Local Wire</footer></body></html>"
    )


@dataclass
class Log:
    paths: list[str] = field(default_factory=list)
    in_flight: int = 0
    most_in_flight: int = 0
    starts: dict[str, list[float]] = field(default_factory=dict)
    peers: set[object] = field(default_factory=set)
    conditional: list[str | None] = field(default_factory=list)


LOG = web.AppKey("log", Log)


@pytest.fixture
async def site() -> AsyncIterator[tuple[str, Log]]:
    log = Log()

    async def track(request: web.Request) -> None:
        log.paths.append(request.path)
        log.starts.setdefault(request.path, []).append(time.monotonic())
        if request.transport is not None:
            log.peers.add(request.transport.get_extra_info("peername"))

    async def robots(request: web.Request) -> web.Response:
        await track(request)
        return web.Response(text="User-agent: *\nDisallow: /private/\n")

    async def article(request: web.Request) -> web.Response:
        await track(request)
        log.in_flight += 1
        log.most_in_flight = max(log.most_in_flight, log.in_flight)
        try:
            await asyncio.sleep(0.05)  # long enough for parallel requests to overlap
        finally:
            log.in_flight -= 1
        log.conditional.append(request.headers.get("If-None-Match"))
        if request.headers.get("If-None-Match") == '"a1"':
            return web.Response(status=304, headers={"ETag": '"a1"'})
        return web.Response(
            text=article_page([*PARAGRAPHS, SECRET]),
            content_type="text/html",
            headers={"ETag": '"a1"'},
        )

    async def slow(request: web.Request) -> web.StreamResponse:
        await track(request)
        response = web.StreamResponse(headers={"Content-Type": "text/html"})
        await response.prepare(request)
        for _ in range(100):  # a byte every 0.1 s: never idle long, never finished
            await response.write(b" ")
            await asyncio.sleep(0.1)
        return response

    async def huge(request: web.Request) -> web.StreamResponse:
        await track(request)
        response = web.StreamResponse(headers={"Content-Type": "text/html"})
        await response.prepare(request)
        head, tail = article_page(PARAGRAPHS, "<div class='c'>SPLIT").split("SPLIT")
        await response.write(head.encode())
        # 10 MB of comment spam after the article, sent until the client hangs up.
        with contextlib.suppress(ConnectionError):
            for _ in range(HUGE_BYTES // len(SPAM)):
                await response.write(SPAM)
            await response.write(f"</div>{tail}".encode())
        return response

    async def empty(request: web.Request) -> web.Response:
        await track(request)
        return web.Response(
            text="<html><body><nav><a href='/'>Home</a></nav><p>Video</p></body></html>",
            content_type="text/html",
        )

    async def private(request: web.Request) -> web.Response:
        await track(request)
        return web.Response(text=article_page(PARAGRAPHS), content_type="text/html")

    async def pdf(request: web.Request) -> web.Response:
        await track(request)
        return web.Response(body=b"%PDF-1.4", content_type="application/pdf")

    app = web.Application()
    app[LOG] = log
    app.router.add_get("/robots.txt", robots)
    app.router.add_get("/news/{name}", article)
    app.router.add_get("/slow", slow)
    app.router.add_get("/huge", huge)
    app.router.add_get("/empty", empty)
    app.router.add_get("/private/{name}", private)
    app.router.add_get("/report.pdf", pdf)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    try:
        yield f"http://127.0.0.1:{server.port}", log
    finally:
        await server.close()


LIMITS = PageLimits(connect_timeout=2.0, read_timeout=1.0, max_bytes=64 * 1024, host_interval=0)


@pytest.fixture
async def fetcher() -> AsyncIterator[PageFetcher]:
    pages = PageFetcher(LIMITS)
    await pages.start()
    try:
        yield pages
    finally:
        await pages.close()


async def test_main_text_of_an_article_page(site: tuple[str, Log], fetcher: PageFetcher) -> None:
    base, _ = site
    page = await fetcher.fetch(f"{base}/news/kilba")
    assert page.outcome == "ok"
    assert SECRET in page.text and PARAGRAPHS[0] in page.text
    assert "Home" not in page.text and "Copyright" not in page.text


async def test_robots_txt_disallow_is_honoured(site: tuple[str, Log], fetcher: PageFetcher) -> None:
    base, log = site
    page = await fetcher.fetch(f"{base}/private/memo")
    assert (page.outcome, page.text) == ("robots_disallowed", "")
    assert "/private/memo" not in log.paths, "a disallowed page is never requested"
    assert log.paths == ["/robots.txt"]
    await fetcher.fetch(f"{base}/news/a")
    assert log.paths.count("/robots.txt") == 1, "robots.txt is read once per host"


async def test_one_connection_per_host_at_the_host_rate(site: tuple[str, Log]) -> None:
    base, log = site
    pages = PageFetcher(
        PageLimits(connect_timeout=2.0, read_timeout=5.0, max_bytes=64 * 1024, host_interval=0.2)
    )
    await pages.start()
    try:
        results = await asyncio.gather(*(pages.fetch(f"{base}/news/{n}") for n in "abcd"))
    finally:
        await pages.close()
    assert [r.outcome for r in results] == ["ok"] * 4
    assert log.most_in_flight == 1, "never two requests to one host at once"
    assert len(log.peers) == 1, "all requests to the host share one connection"
    starts = sorted(t for path, ts in log.starts.items() if path.startswith("/news") for t in ts)
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert min(gaps) >= 0.2, f"requests to one host are spaced by the host interval: {gaps}"


async def test_a_slow_page_times_out(site: tuple[str, Log], fetcher: PageFetcher) -> None:
    base, _ = site
    started = time.monotonic()
    page = await fetcher.fetch(f"{base}/slow")
    assert (page.outcome, page.text) == ("timeout", "")
    assert time.monotonic() - started < 3.0, "the read deadline (1 s) bounds the whole exchange"


async def test_a_huge_page_is_cut_and_its_head_still_read(
    site: tuple[str, Log], fetcher: PageFetcher
) -> None:
    base, _ = site
    page = await fetcher.fetch(f"{base}/huge")
    assert page.outcome == "cut"
    assert PARAGRAPHS[0] in page.text, "the article before the cut is extracted"


async def test_a_page_without_main_text_falls_back(
    site: tuple[str, Log], fetcher: PageFetcher
) -> None:
    base, _ = site
    page = await fetcher.fetch(f"{base}/empty")
    assert (page.outcome, page.usable) == ("no_main_text", False)
    pdf = await fetcher.fetch(f"{base}/report.pdf")
    assert (pdf.outcome, pdf.usable) == ("not_html", False)
    missing = await fetcher.fetch(f"{base}/nowhere")
    assert (missing.outcome, missing.usable) == ("http_error", False)


async def test_conditional_get_reuses_the_text(site: tuple[str, Log], fetcher: PageFetcher) -> None:
    base, log = site
    first = await fetcher.fetch(f"{base}/news/kilba")
    second = await fetcher.fetch(f"{base}/news/kilba")
    assert log.conditional == [None, '"a1"'], "the second request sends the ETag"
    assert second.outcome == "not_modified" and second.text == first.text


@pytest.mark.parametrize(
    ("status", "allowed"), [(404, True), (410, True), (403, False), (500, False)]
)
async def test_robots_txt_status_decides_when_there_is_no_file(status: int, allowed: bool) -> None:
    async def robots(request: web.Request) -> web.Response:
        return web.Response(status=status)

    async def article(request: web.Request) -> web.Response:
        return web.Response(text=article_page(PARAGRAPHS), content_type="text/html")

    app = web.Application()
    app.router.add_get("/robots.txt", robots)
    app.router.add_get("/a", article)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    pages = PageFetcher(LIMITS)
    try:
        page = await pages.fetch(f"http://127.0.0.1:{server.port}/a")
    finally:
        await pages.close()
        await server.close()
    assert page.outcome == ("ok" if allowed else "robots_disallowed")


async def test_an_unreachable_host_falls_back(unused_tcp_port: int) -> None:
    pages = PageFetcher(LIMITS)
    try:
        page = await pages.fetch(f"http://127.0.0.1:{unused_tcp_port}/a")
    finally:
        await pages.close()
    assert page.usable is False and page.outcome == "robots_disallowed"


async def test_an_extractor_crash_falls_back(
    site: tuple[str, Log], fetcher: PageFetcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(markup: str | bytes, url: str | None = None) -> str:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr("pipeline.pages.fetcher.main_text", broken)
    base, _ = site
    page = await fetcher.fetch(f"{base}/news/kilba")
    assert (page.outcome, page.usable) == ("error", False)
