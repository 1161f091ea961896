"""A failing feed never stops the others; each failure leaves a reason; state survives restarts."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web

from agents.poller import load_feed_states
from agents.topics import ensure_topics
from tests.integration.helpers import read_topic
from wirestream.broker import free_port
from wirestream.runner import poll_forever
from wirestream_core.settings import Settings

pytestmark = pytest.mark.integration

GOOD_RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Local Wire</title>
<item><title>Protest in Lyon</title><link>http://local.test/a?utm_source=rss</link>
<description>Thousands of people protested in Lyon on Saturday against the reform.
</description>
<pubDate>Sat, 21 Nov 2026 10:00:00 GMT</pubDate></item>
<item><title>Talks in Geneva</title><link>http://local.test/b</link>
<description>Negotiators met in Geneva on Friday, officials said.</description>
<pubDate>Fri, 20 Nov 2026 10:00:00 GMT</pubDate></item>
</channel></rss>"""


@pytest.fixture
async def feed_server() -> AsyncIterator[str]:
    async def good(request: web.Request) -> web.Response:
        if request.headers.get("If-None-Match") == '"v1"':
            return web.Response(status=304)
        return web.Response(
            body=GOOD_RSS, content_type="application/rss+xml", headers={"ETag": '"v1"'}
        )

    async def error(request: web.Request) -> web.Response:
        return web.Response(status=500, text="boom")

    async def html(request: web.Request) -> web.Response:
        return web.Response(
            text="<html><head><title>Home</title></head><body><p>Welcome</p></body></html>",
            content_type="text/html",
        )

    async def malformed(request: web.Request) -> web.Response:
        return web.Response(
            body=b"<?xml version='1.0'?><rss><channel><title>Broken",
            content_type="application/rss+xml",
        )

    app = web.Application()
    app.router.add_get("/good.xml", good)
    app.router.add_get("/error.xml", error)
    app.router.add_get("/page.html", html)
    app.router.add_get("/malformed.xml", malformed)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    yield f"http://127.0.0.1:{port}"
    await runner.cleanup()


async def test_bad_feeds_leave_reasons_and_good_feeds_flow(
    settings: Settings, feed_server: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    closed = free_port()
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(
        f"""
[[feed]]
id = "unreachable"
url = "http://127.0.0.1:{closed}/feed.xml"
[[feed]]
id = "server-error"
url = "{feed_server}/error.xml"
[[feed]]
id = "html-page"
url = "{feed_server}/page.html"
[[feed]]
id = "malformed"
url = "{feed_server}/malformed.xml"
[[feed]]
id = "good"
url = "{feed_server}/good.xml"
"""
    )
    settings = settings.model_copy(
        update={"feeds": feeds, "connect_timeout": 2.0, "read_timeout": 5.0}
    )
    await ensure_topics(settings)
    with caplog.at_level(logging.WARNING):
        assert await poll_forever(settings, once=True) == 0
    raw = await read_topic(settings, "raw-articles", idle=1.5)
    assert sorted(v["title"] for _, v in raw) == ["Protest in Lyon", "Talks in Geneva"]
    assert {v["canonical_url"] for _, v in raw} == {"http://local.test/a", "http://local.test/b"}

    states = await load_feed_states(settings)
    assert states["good"].failures == 0 and states["good"].etag == '"v1"'
    assert states["good"].last_status == 200 and states["good"].entries_seen == 2
    for feed_id in ("unreachable", "server-error", "html-page", "malformed"):
        assert states[feed_id].failures == 1, feed_id
        assert states[feed_id].last_error, feed_id
        assert feed_id in caplog.text
    assert states["server-error"].last_status == 500
    assert "500" in (states["server-error"].last_error or "")
    assert "not an RSS/Atom feed" in (states["html-page"].last_error or "")

    # A restarted poller resumes from the state topic: conditional GET, nothing re-sent.
    assert await poll_forever(settings, once=True) == 0
    states = await load_feed_states(settings)
    assert states["good"].last_status == 304
    assert states["server-error"].failures == 2
    assert len(await read_topic(settings, "raw-articles", idle=1.5)) == 2


async def test_feed_status_is_on_the_metrics(settings: Settings, feed_server: str) -> None:
    from agents.metrics import Metrics
    from agents.poller import Poller
    from pipeline.feeds.config import load_feed_list

    feeds = settings.data_dir / "feeds.toml"
    feeds.parent.mkdir(parents=True, exist_ok=True)
    feeds.write_text(
        f'[[feed]]\nid = "good"\nurl = "{feed_server}/good.xml"\n'
        f'[[feed]]\nid = "server-error"\nurl = "{feed_server}/error.xml"\n'
    )
    await ensure_topics(settings)
    metrics = Metrics()
    poller = Poller(settings, load_feed_list(feeds), metrics=metrics)
    await poller.start()
    try:
        for _ in range(2):
            for spec in poller.feeds:
                await poller.poll_feed(spec)
    finally:
        await poller.stop()

    def sample(name: str, feed: str) -> float | None:
        return metrics.registry.get_sample_value(name, {"feed": feed})

    assert sample("wirestream_feed_up", "good") == 1.0
    assert sample("wirestream_feed_up", "server-error") == 0.0
    assert sample("wirestream_feed_consecutive_failures", "server-error") == 2.0
    assert (sample("wirestream_feed_last_success_timestamp_seconds", "good") or 0) > 0
    assert sample("wirestream_feed_last_success_timestamp_seconds", "server-error") is None
