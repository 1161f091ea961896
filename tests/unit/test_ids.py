"""Canonical article URLs and the ids derived from them."""

from __future__ import annotations

import pytest

from pipeline.ids import article_id, canonical_url, stable_hash


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTP://Example.COM/News/Story", "http://example.com/News/Story"),
        ("https://example.com:443/a", "https://example.com/a"),
        ("http://example.com:80/a", "http://example.com/a"),
        ("http://example.com:8080/a", "http://example.com:8080/a"),
        ("https://example.com/a#comments", "https://example.com/a"),
        ("https://example.com/a?utm_source=rss&utm_medium=feed&id=7", "https://example.com/a?id=7"),
        ("https://example.com/a?fbclid=XYZ&gclid=1", "https://example.com/a"),
        ("https://example.com/a?UTM_Campaign=x&p=1", "https://example.com/a?p=1"),
        ("https://example.com/a?b=2&a=1", "https://example.com/a?a=1&b=2"),
        ("https://example.com/a?", "https://example.com/a"),
        ("https://example.com/a?flag=", "https://example.com/a?flag="),
        ("https://example.com", "https://example.com/"),
        ("https://example.com./a", "https://example.com/a"),
        ("  https://example.com/a  ", "https://example.com/a"),
        ("http://[2001:DB8::1]:8080/a", "http://[2001:db8::1]:8080/a"),
        ("http://[::1]/a", "http://[::1]/a"),
    ],
)
def test_canonical_url(url: str, expected: str) -> None:
    assert canonical_url(url) == expected


@pytest.mark.parametrize(
    "url",
    ["", "   ", "ftp://example.com/a", "mailto:desk@example.com", "file:///tmp/x.xml",
     "urn:uuid:1234", "/relative/path", "http://", "http://example.com:99999/a"],
)  # fmt: skip
def test_canonical_url_rejects_what_is_not_an_http_url(url: str) -> None:
    assert canonical_url(url) is None


def test_copies_of_one_url_share_an_article_id() -> None:
    first = article_id("https://Example.com/story?id=1&utm_source=twitter#top", feed_id="a")
    second = article_id("https://example.com:443/story?id=1", feed_id="b", guid="other")
    assert first == second
    assert first.startswith("a")


def test_different_urls_get_different_ids() -> None:
    assert article_id("https://example.com/story/1") != article_id("https://example.com/story/2")
    # Path case is significant on most servers.
    assert article_id("https://example.com/Story") != article_id("https://example.com/story")


def test_guid_is_used_when_the_link_is_missing_or_not_http() -> None:
    by_guid = article_id(None, feed_id="nnn", guid="  nnn:432598 ")
    assert by_guid.startswith("g")
    assert by_guid == article_id("urn:x", feed_id="nnn", guid="nnn:432598")
    # The same GUID in another feed is another article.
    assert by_guid != article_id(None, feed_id="other", guid="nnn:432598")


def test_no_link_and_no_guid_is_an_error() -> None:
    with pytest.raises(ValueError, match="link or a GUID"):
        article_id(None, feed_id="nnn")
    with pytest.raises(ValueError):
        article_id("mailto:x@example.com", feed_id="nnn", guid="   ")


def test_stable_hash_is_stable_and_unambiguous() -> None:
    assert stable_hash("a", "b") == stable_hash("a", "b")
    assert stable_hash("ab", "") != stable_hash("a", "b")
    assert len(stable_hash("x", length=12)) == 12
