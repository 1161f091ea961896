"""feedparser's own test feeds: parse_feed returns or raises FeedError, never anything else.

The full suite lives beside the checkout in ``../shared`` (developers and CI); a few of its
ill-formed files are committed under ``tests/data/feeds`` (BSD licence, see LICENSE there)
so that this always runs on a fresh clone.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from pipeline.errors import FeedError
from pipeline.feeds.config import FeedSpec
from pipeline.feeds.fetch import fetch_feed
from pipeline.feeds.parse import ParsedFeed, parse_feed

REPO = Path(__file__).resolve().parents[3]
COMMITTED = REPO / "tests" / "data" / "feeds" / "illformed"
SHARED_SUITE = REPO.parent / "shared" / "feeds" / "feedparser-tests" / "tests"
SPEC = FeedSpec(feed_id="suite", url="http://127.0.0.1/feed.xml")
# Each test file names the Content-Type it is served with in its header comment.
HEADER = re.compile(rb"^Header:\s*Content-type:\s*(.*?)\s*$", re.IGNORECASE | re.MULTILINE)


def declared_content_type(body: bytes) -> str | None:
    header = HEADER.search(body)
    return header.group(1).decode("latin-1") if header else None


def parse_test_file(path: Path) -> ParsedFeed:
    body = path.read_bytes()
    content_type = declared_content_type(body)
    return parse_feed(
        body,
        spec=SPEC,
        fetched=datetime(2026, 11, 1, tzinfo=UTC),
        feed_url=SPEC.url,
        content_type=content_type,
    )


def shared_files() -> list[object]:
    if not SHARED_SUITE.is_dir():
        reason = f"feedparser's test suite is not at {SHARED_SUITE} (only beside a dev checkout)"
        return [pytest.param(None, marks=pytest.mark.skip(reason=reason), id="absent")]
    files = sorted(p for p in SHARED_SUITE.rglob("*") if p.is_file())
    return [pytest.param(p, id=str(p.relative_to(SHARED_SUITE))) for p in files]


@pytest.mark.parametrize("path", shared_files())
def test_every_feedparser_test_file(path: Path) -> None:
    try:
        result = parse_test_file(path)
    except FeedError as exc:
        assert "is not an RSS/Atom feed" in str(exc) or "could not be parsed" in str(exc)
        return
    assert isinstance(result, ParsedFeed)
    assert all(isinstance(problem, str) for problem in result.problems)


def test_committed_subset_is_present() -> None:
    assert len(list(COMMITTED.glob("*.xml"))) >= 4


@pytest.mark.parametrize("path", sorted(COMMITTED.glob("*.xml")), ids=lambda p: p.name)
def test_committed_ill_formed_files_are_survived(path: Path) -> None:
    try:
        result = parse_test_file(path)
    except FeedError as exc:
        assert "is not an RSS/Atom feed" in str(exc)
        return
    assert result.problems  # every one of them is broken in some way, and says so


def test_empty_document_is_not_a_feed() -> None:
    with pytest.raises(FeedError, match="is not an RSS/Atom feed"):
        parse_test_file(COMMITTED / "rss_empty_document.xml")


def test_unclosed_rdf_still_yields_its_item() -> None:
    result = parse_test_file(COMMITTED / "rdf_channel_empty_textinput.xml")
    assert [a.title for a in result.articles] == ["crashes here"]
    assert result.problems[0].startswith("not well-formed XML")


def test_corrupted_ampersands_are_repaired_in_links() -> None:
    result = parse_test_file(COMMITTED / "rss_item_link_corrupted_ampersands.xml")
    assert [a.url for a in result.articles] == ["http://link/get?a=1&b=2"]


def test_high_bit_date_is_an_encoding_problem() -> None:
    result = parse_test_file(COMMITTED / "http_high_bit_date.xml")
    assert result.articles == []
    assert result.problems == [
        "character encoding: document declared as us-ascii, but parsed as iso-8859-7"
    ]


async def test_served_over_http_then_parsed() -> None:
    """Fetch then parse, as the poller does, so the Content-Type comes from a real response.

    The committed files always; the whole shared suite too when it is present.
    """
    files = sorted(COMMITTED.glob("*.xml"))
    if SHARED_SUITE.is_dir():
        files += sorted(SHARED_SUITE.rglob("*.xml"))

    async def serve(request: web.Request) -> web.Response:
        name = request.match_info["path"]
        if name.startswith("shared/"):
            body = (SHARED_SUITE / name.removeprefix("shared/")).read_bytes()
        else:
            body = (COMMITTED.parent / name).read_bytes()
        response = web.Response(body=body)
        response.headers["Content-Type"] = declared_content_type(body) or "application/xml"
        return response

    app = web.Application()
    app.router.add_get("/{path:.+}", serve)
    server = TestServer(app, host="127.0.0.1")
    outcomes = {"parsed": 0, "not a feed": 0}
    async with server, aiohttp.ClientSession() as session:
        for path in files:
            if path.is_relative_to(COMMITTED):
                name = str(path.relative_to(COMMITTED.parent))
            else:
                name = "shared/" + str(path.relative_to(SHARED_SUITE))
            result = await fetch_feed(session, str(server.make_url("/" + name)))
            assert result.body is not None
            try:
                parse_feed(
                    result.body,
                    spec=SPEC,
                    fetched=datetime(2026, 11, 1, tzinfo=UTC),
                    feed_url=result.url,
                    content_type=result.content_type,
                )
            except FeedError:
                outcomes["not a feed"] += 1
            else:
                outcomes["parsed"] += 1
    assert sum(outcomes.values()) == len(files)
    assert outcomes["parsed"] >= 5
