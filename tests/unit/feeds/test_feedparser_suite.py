"""feedparser's own test feeds: parse_feed returns or raises FeedError, never anything else.

The full suite lives beside the checkout in ``../shared`` (developers and CI); a few of its
ill-formed files are committed under ``tests/data/feeds`` (BSD licence, see LICENSE there)
so that this always runs on a fresh clone.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pipeline.errors import FeedError
from pipeline.feeds.config import FeedSpec
from pipeline.feeds.parse import ParsedFeed, parse_feed

REPO = Path(__file__).resolve().parents[3]
COMMITTED = REPO / "tests" / "data" / "feeds" / "illformed"
SHARED_SUITE = REPO.parent / "shared" / "feeds" / "feedparser-tests" / "tests"
SPEC = FeedSpec(feed_id="suite", url="http://127.0.0.1/feed.xml")
# Each test file names the Content-Type it is served with in its header comment.
HEADER = re.compile(rb"^Header:\s*Content-type:\s*(.*?)\s*$", re.IGNORECASE | re.MULTILINE)


def parse_test_file(path: Path) -> ParsedFeed:
    body = path.read_bytes()
    header = HEADER.search(body)
    content_type = header.group(1).decode("latin-1") if header else None
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
