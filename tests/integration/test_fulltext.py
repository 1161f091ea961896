"""Full text from article pages: the poller fetches them from a local site, strips the site's
boilerplate, and an event only the page tells of reaches the ``events`` topic."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from agents.poller import load_feed_states
from agents.topics import ensure_topics
from tests.integration.helpers import read_topic, worker_process
from wirestream.runner import poll_forever
from wirestream_core.settings import Settings

pytestmark = pytest.mark.integration

EVENT = "Rebels shelled the airport in Taiz on Sunday, killing three civilians, officials said."
RELATED = [
    "More from the Yemen desk",
    "Fuel shortages hit hospitals across the south as imports stall",
    "Aid agencies warn of famine in three northern provinces this winter",
    "Talks on prisoner exchange resume in Muscat after a month-long pause",
    "Sign up for our morning briefing: the day's top stories in your inbox",
]
STORIES = {
    "taiz": [
        EVENT,
        "The shelling began before dawn and lasted for nearly two hours, residents told "
        "reporters, and smoke could be seen rising over the terminal building.",
        "The airport has been closed to civilian flights for years but is used by aid "
        "agencies, whose staff were moved to shelters during the attack.",
    ],
    "aden": [
        "The central bank in Aden announced new measures on Sunday to support the currency, "
        "which has lost a third of its value against the dollar this year.",
        "Traders said the price of flour and cooking oil had doubled in the city's markets "
        "since the spring, and many families now eat one meal a day.",
    ],
    "hodeidah": [
        "A ship carrying wheat docked at Hodeidah port on Saturday after weeks of delay, the "
        "World Food Programme said in a statement.",
        "The cargo will feed about a million people for a month, the agency said, adding "
        "that further shipments were expected before the end of the year.",
    ],
    "marib": [
        "Engineers restored power to parts of Marib city on Friday after repairing a line "
        "damaged by floods, the local electricity authority said.",
        "Residents said the outages had lasted for more than a week and had forced bakeries "
        "and water pumps to close across several districts.",
    ],
}
SUMMARIES = {
    "taiz": "Officials in Yemen gave few details about the weekend's violence.",
    "aden": "Yemen's currency measures announced.",
    "hodeidah": "Wheat ship arrives in Yemen.",
    "marib": "Power back in part of Marib.",
}
LATER = {"sanaa": "Schools reopen in Sanaa."}
STORIES["sanaa"] = [
    "Schools in Sanaa reopened on Saturday after a two-month closure caused by a teachers' "
    "strike over unpaid salaries, the education office said.",
    "Parents said many children had fallen behind and that classes were crowded because "
    "several school buildings still needed repairs.",
]


def page(name: str) -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in STORIES[name])
    related = "".join(f"<p>{line}</p>" for line in RELATED)
    # The related block sits inside the article element, as many sites put it, so the
    # extractor keeps it and only the feed's boilerplate learner can tell it is furniture.
    return (
        f"<html><head><title>{name}</title></head><body><nav><a href='/'>Home</a></nav>"
        f"<article><h1>{name.title()} report</h1>{paragraphs}<section>{related}</section>"
        "</article><footer>Yemen Wire</footer></body></html>"
    )


def feed(base: str, summaries: dict[str, str]) -> str:
    items = "".join(
        f"<item><title>{name.title()} report</title><link>{base}/news/{name}</link>"
        f"<description>{summary}</description>"
        "<pubDate>Mon, 30 Nov 2026 08:00:00 GMT</pubDate></item>"
        for name, summary in summaries.items()
    )
    items += (
        f"<item><title>Private memo</title><link>{base}/private/memo</link>"
        "<description>A memo the site keeps from robots.</description>"
        "<pubDate>Mon, 30 Nov 2026 08:00:00 GMT</pubDate></item>"
    )
    channel = f"<channel><title>Yemen Wire</title>{items}</channel>"
    return f'<?xml version="1.0"?><rss version="2.0">{channel}</rss>'


async def read_until(
    settings: Settings,
    topic: str,
    enough: Callable[[list[tuple[str, Any]]], bool],
    timeout: float = 180.0,
) -> list[tuple[str, Any]]:
    """The topic's records once they are ``enough`` (or whatever is there at timeout)."""
    deadline = time.monotonic() + timeout
    while True:
        records = await read_topic(settings, topic, timeout=30, idle=2)
        if enough(records) or time.monotonic() > deadline:
            return records


@pytest.fixture
async def site() -> AsyncIterator[tuple[str, dict[str, str]]]:
    requested: list[str] = []
    served = dict(SUMMARIES)

    async def robots(request: web.Request) -> web.Response:
        return web.Response(text="User-agent: *\nDisallow: /private/\n")

    async def rss(request: web.Request) -> web.Response:
        text = feed(str(request.url.origin()), served)
        return web.Response(text=text, content_type="application/rss+xml")

    async def news(request: web.Request) -> web.Response:
        requested.append(request.path)
        return web.Response(text=page(request.match_info["name"]), content_type="text/html")

    async def private(request: web.Request) -> web.Response:
        requested.append(request.path)
        return web.Response(text=page("taiz"), content_type="text/html")

    app = web.Application()
    app.router.add_get("/robots.txt", robots)
    app.router.add_get("/feed.xml", rss)
    app.router.add_get("/news/{name}", news)
    app.router.add_get("/private/{name}", private)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    try:
        yield f"http://127.0.0.1:{server.port}", served
    finally:
        await server.close()
        assert "/private/memo" not in requested, "robots.txt keeps the poller out"


async def test_an_event_only_the_page_tells_of_reaches_events(
    settings: Settings, site: tuple[str, dict[str, str]], tmp_path: Path
) -> None:
    base, served = site
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(f'[[feed]]\nid = "yemen-wire"\nurl = "{base}/feed.xml"\n')
    settings = settings.model_copy(
        update={"feeds": feeds, "page_host_interval": 0.05, "fetch_pages": True}
    )
    await ensure_topics(settings)
    assert await poll_forever(settings, once=True) == 0

    raw = {v["url"].rsplit("/", 1)[-1]: v for _, v in await read_topic(settings, "raw-articles")}
    assert set(raw) == {*SUMMARIES, "memo"}
    articles = len(raw)
    assert raw["memo"]["page_outcome"] == "robots_disallowed" and raw["memo"]["page_text"] == ""
    taiz = raw["taiz"]
    assert taiz["page_outcome"] == "ok" and EVENT in taiz["page_text"]
    assert "Taiz" not in taiz["summary"], "the summary alone does not tell of the event"
    assert taiz["summary"] == SUMMARIES["taiz"], "the feed summary is kept beside the page"
    for name in SUMMARIES:
        assert raw[name]["boilerplate_removed"] >= len(RELATED) - 1
        assert "morning briefing" not in raw[name]["page_text"]
        assert "Fuel shortages" not in raw[name]["page_text"]

    # The learned boilerplate is saved with the feed's state, for a restarted poller.
    (state,) = (await load_feed_states(settings)).values()
    assert state.boilerplate_articles == articles
    assert any(line.count >= 3 for line in state.boilerplate_lines)
    # A new poller (a restart) strips the block from the one new article at once.
    served.update(LATER)
    assert await poll_forever(settings, once=True) == 0
    raw = {v["url"].rsplit("/", 1)[-1]: v for _, v in await read_topic(settings, "raw-articles")}
    assert raw["sanaa"]["page_outcome"] == "ok" and "Sanaa" in raw["sanaa"]["page_text"]
    assert raw["sanaa"]["boilerplate_removed"] >= len(RELATED) - 1
    assert "morning briefing" not in raw["sanaa"]["page_text"]

    taiz_id = taiz["article_id"]

    def taiz_mention(mention: Any) -> bool:
        place = mention["event"]["place"]
        return bool(mention["article_id"] == taiz_id and place and place["name"] == "Taiz")

    with worker_process(settings, tmp_path / "worker.log"):
        unique = await read_topic(settings, "unique-articles", until=len(raw), timeout=90)
        # Other articles' mentions may come first: wait for this one's, then its linked events.
        mentions = await read_until(
            settings, "mentions", lambda records: any(taiz_mention(v) for _, v in records)
        )
        from_page = [m for _, m in mentions if taiz_mention(m)]
        wanted = {m["event_id"] for m in from_page}
        events = await read_until(
            settings, "events", lambda records: wanted <= {k for k, _ in records}
        )

    by_id = {v["article_id"]: v for _, v in unique}
    assert by_id[taiz_id]["text_source"] == "page"
    assert by_id[raw["memo"]["article_id"]]["text_source"] == "summary"
    assert not any("morning briefing" in v["text"] for v in by_id.values())
    assert from_page, [(m["event"]["trigger"]["text"], m["event"]["place"]) for _, m in mentions]
    assert all(m["event"]["text_source"] == "page" for m in from_page)
    linked = {k: v for k, v in events}
    assert {m["event_id"] for m in from_page} <= set(linked)
    assert any(linked[m["event_id"]]["place"]["name"] == "Taiz" for m in from_page)
