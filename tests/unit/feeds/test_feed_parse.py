"""parse_feed on the bundled sample feeds and on things that are not feeds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from pipeline.errors import FeedError
from pipeline.feeds.config import FeedSpec, load_feed_list
from pipeline.feeds.parse import ParsedFeed, parse_feed
from pipeline.ids import article_id
from pipeline.normalise.text import clean_text

REPO = Path(__file__).resolve().parents[3]
SAMPLES = REPO / "wirestream" / "samples"
SAKHOUR = (REPO / "tests" / "data" / "aleppo-sakhour.txt").read_text(encoding="utf-8")
FETCHED = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
SPEC = FeedSpec(feed_id="test", url="https://news.example/feed.xml")


def parse(body: bytes, spec: FeedSpec = SPEC, content_type: str | None = None) -> ParsedFeed:
    return parse_feed(
        body, spec=spec, fetched=FETCHED, feed_url=spec.url, content_type=content_type
    )


@pytest.fixture(scope="module")
def samples() -> dict[str, ParsedFeed]:
    parsed = {}
    for spec in load_feed_list(SAMPLES / "feeds.toml"):
        body = Path(spec.url.removeprefix("file://")).read_bytes()
        parsed[spec.feed_id] = parse_feed(body, spec=spec, fetched=FETCHED, feed_url=spec.url)
    return parsed


def test_nnn_sample_carries_the_sakhour_story(samples: dict[str, ParsedFeed]) -> None:
    feed = samples["nnn"]
    assert feed.problems == []
    assert (feed.title, feed.language) == ("Nam News Network", "en")
    assert len(feed.articles) == 4
    story = feed.articles[0]
    assert story.title == "Syrian army recaptures Sakhour neighbourhood in east Aleppo"
    assert story.source == "Nam News Network"
    assert story.feed_id == "nnn"
    assert story.guid == "nnn:432598"
    # The link carries utm_* tracking; the id and canonical URL do not.
    assert story.url is not None and "utm_source=rss" in story.url
    assert story.canonical_url == "http://namnewsnetwork.org/v3/read.php?id=NDMyNTk4"
    assert story.article_id == article_id("http://namnewsnetwork.org/v3/read.php?id=NDMyNTk4")
    assert story.published == datetime(2016, 11, 28, 6, 0, tzinfo=UTC)
    assert story.published.tzinfo is not None
    assert story.fetched == FETCHED
    assert story.language == "en"  # the feed says en-US
    assert story.content == clean_text(SAKHOUR)
    assert story.summary.startswith("DAMASCUS, Syria- The Syrian army successfully recaptured")
    assert story.feed_url == (SAMPLES / "feeds" / "nnn.xml").as_uri()


def test_sample_texts_are_clean(samples: dict[str, ParsedFeed]) -> None:
    articles = [a for feed in samples.values() for a in feed.articles]
    assert len(articles) == 12
    assert len({a.article_id for a in articles}) == 12
    for article in articles:
        for text in (article.title, article.summary, article.content):
            assert "<" not in text and "&lt;" not in text and "&amp;" not in text
            assert "  " not in text and text == text.strip()
        assert article.title and article.summary
        assert article.published is not None
        assert article.published.utcoffset() == timedelta(0)
        assert article.canonical_url is not None and article.canonical_url.startswith("http")


def test_wire_copy_is_a_different_article_of_the_same_story(
    samples: dict[str, ParsedFeed],
) -> None:
    original = samples["nnn"].articles[0]
    copy = samples["levant-wire"].articles[0]
    # No name in the feed list: the source is the feed's own title.
    assert copy.source == "Levant Wire Digest"
    assert copy.title == "Syrian army splits rebel-held east Aleppo after taking Sakhour"
    assert copy.article_id != original.article_id
    assert copy.content.startswith("BEIRUT (Agency) - The Syrian army successfully recaptured")
    assert copy.content.endswith("Source: Nam News Network")
    assert "turned down all offers" in original.content
    assert "turned down all offers" not in copy.content
    assert copy.published == datetime(2016, 11, 28, 9, 30, tzinfo=UTC)
    assert copy.guid == "tag:levantwire.example,2016-11-28:/mideast/18342"


def test_world_sample_and_tracking_parameters(samples: dict[str, ParsedFeed]) -> None:
    world = samples["world-desk"]
    assert {a.source for a in world.articles} == {"World Desk"}
    assert len(world.articles) == 5
    assert all(len(a.content or a.summary) <= 2500 for a in world.articles)
    bbc = samples["levant-wire"].articles[1]
    assert bbc.url is not None and "xtor=" in bbc.url
    assert bbc.canonical_url == "https://www.bbc.com/news/articles/c0l6kg80de5o"


ATOM_RELATIVE = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr-CA">
  <title type="html">Le &lt;b&gt;Journal&lt;/b&gt;</title>
  <id>urn:feed</id><updated>2026-11-01T10:00:00+02:00</updated>
  <entry>
    <title type="text">Prices &lt; 5 &amp; rising</title>
    <link href="/articles/1?utm_campaign=x"/>
    <id>urn:entry:1</id>
    <updated>2026-11-01T10:00:00+02:00</updated>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>One.</p><p>Two<br/>lines.</p></div></content>
  </entry>
</feed>"""


def test_atom_relative_links_dates_language_and_plain_titles() -> None:
    feed = parse(ATOM_RELATIVE, content_type="application/atom+xml")
    assert feed.problems == []
    assert (feed.title, feed.language) == ("Le Journal", "fr")
    (entry,) = feed.articles
    assert entry.url == "https://news.example/articles/1?utm_campaign=x"
    assert entry.canonical_url == "https://news.example/articles/1"
    assert entry.title == "Prices < 5 & rising"  # plain text is not run through an HTML parser
    assert entry.content == "One.\n\nTwo\nlines."
    assert entry.published == datetime(2026, 11, 1, 8, 0, tzinfo=UTC)  # updated, in UTC
    assert entry.language == "fr"
    assert entry.source == "Le Journal"


def test_feed_list_language_and_name_win() -> None:
    spec = FeedSpec(feed_id="j", url="https://news.example/f", name="Journal", language="EN_gb")
    feed = parse(ATOM_RELATIVE, spec=spec)
    assert feed.language == "en"
    assert feed.articles[0].language == "en"
    assert feed.articles[0].source == "Journal"


RSS_WITHOUT_IDS = b"""<rss version="2.0"><channel><title>T</title>
<item><title>Only a title</title><pubDate>Tue, 01 Nov 2026 10:00:00 +0100</pubDate>
<description>Text &amp;amp; more</description></item>
<item><description></description></item>
<item><title>With a guid</title><guid isPermaLink="false">42</guid></item>
</channel></rss>"""


def test_entries_without_link_or_guid() -> None:
    feed = parse(RSS_WITHOUT_IDS)
    titled, with_guid = feed.articles
    assert titled.title == "Only a title"
    assert titled.article_id.startswith("t")
    assert titled.article_id == parse(RSS_WITHOUT_IDS).articles[0].article_id  # stable
    assert titled.published == datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
    assert titled.url is None and titled.canonical_url is None and titled.guid is None
    assert with_guid.article_id == article_id(None, feed_id="test", guid="42")
    assert feed.problems == [
        "entry 1 has no link or guid; id derived from title and date",
        "entry 2 skipped: no link, guid, title or text",
    ]


def test_malformed_feed_that_still_has_entries() -> None:
    body = (
        b'<rss version="2.0"><channel><title>Broken</title>'
        b"<item><title>First</title><link>https://news.example/1</link></item>"
        b"<item><title>Second &nbsp; bad</title><link>https://news.example/2</link></item>"
        b"<item><title>Third</title><link>https://news.example/3</link>"
    )
    feed = parse(body)
    assert [a.title for a in feed.articles] == ["First", "Second bad", "Third"]
    assert len(feed.problems) == 1
    assert feed.problems[0].startswith("not well-formed XML: ")
    assert "at line 1" in feed.problems[0]


def test_wrong_media_type_is_a_problem_not_an_error() -> None:
    body = b'<rss version="2.0"><channel><item><link>https://news.example/1</link></item></channel></rss>'
    feed = parse(body, content_type="text/html; charset=utf-8")
    assert len(feed.articles) == 1
    assert feed.problems == ["served as 'text/html; charset=utf-8', which is not an XML media type"]


def test_utf8_without_declared_encoding_is_not_mojibake() -> None:
    body = '<rss version="2.0"><channel><title>Ærø – “news”</title></channel></rss>'.encode()
    assert parse(body).title == "Ærø – “news”"


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "the body is empty"),
        (b"  \n ", "the body is empty"),
        (
            b"<!DOCTYPE html><html><head><title>Home</title></head><body><p>Hi</p></body></html>",
            "it is an HTML page",
        ),
        (b"<html><body><a href='/rss'>RSS</a></body></html>", "it is an HTML page"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": []}', "JSON"),
        (b"[1, 2, 3]", "JSON"),
        (bytes(range(256)) * 4, "binary data"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary data"),
        (b"<?xml version='1.0'?><note><to>x</to></note>", "no RSS, Atom or RDF root element"),
        (b"just some words", "no RSS, Atom or RDF root element"),
    ],
)
def test_documents_that_are_not_feeds(body: bytes, reason: str) -> None:
    with pytest.raises(FeedError, match="is not an RSS/Atom feed") as caught:
        parse(body)
    assert reason in str(caught.value)
    assert caught.value.retry


def billion_laughs() -> bytes:
    entities = '<!ENTITY l0 "lol">' + "".join(
        f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10)
    )
    return (
        f'<?xml version="1.0"?><!DOCTYPE rss [{entities}]><rss version="2.0"><channel>'
        "<title>&l9;</title></channel></rss>"
    ).encode()


@pytest.mark.parametrize(
    "body",
    [
        billion_laughs(),
        b"<rss>" * 20_000,
        b"<div>" * 20_000 + b"<rss version='2.0'>",
        b"<rss version='2.0'><channel><item><description>" + b"<div>" * 20_000 + b"x",
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;'
        b'&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><rss version="2.0">'
        b"<channel><title>&c;</title></channel></rss>",
        "<rss version='2.0'><channel><title>\udcff</title></channel></rss>".encode(
            "utf-8", "surrogatepass"
        ),
        b"\xff\xfe<\x00r\x00s\x00s\x00",
    ],
)
def test_hostile_bytes_give_a_result_or_feed_error(body: bytes) -> None:
    try:
        result = parse(body)
    except FeedError:
        return
    assert isinstance(result, ParsedFeed)
    assert len(result.title or "") < 10_000  # entities were not expanded a billion times


def test_the_feed_lists_country_goes_on_every_article() -> None:
    spec = FeedSpec(feed_id="abc", url="https://news.example/f", country="AUS")
    feed = parse(ATOM_RELATIVE, spec=spec)
    assert feed.articles and {a.country for a in feed.articles} == {"AUS"}
    assert {a.country for a in parse(ATOM_RELATIVE).articles} == {None}
