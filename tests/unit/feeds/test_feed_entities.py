"""Entity declarations in a feed's DOCTYPE: short literals kept, bombs and external ones dropped."""

from __future__ import annotations

import time
import tracemalloc
from datetime import UTC, datetime

from pipeline.feeds.config import FeedSpec
from pipeline.feeds.entities import defuse_entities
from pipeline.feeds.parse import parse_feed

SPEC = FeedSpec(feed_id="f", url="http://127.0.0.1/feed.xml")


def laughs(levels: int = 10) -> bytes:
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, levels)
    )
    return (
        f'<?xml version="1.0"?><!DOCTYPE rss [{entities}]><rss version="2.0"><channel>'
        f"<title>&lol{levels - 1};</title><item><title>&lol{levels - 1};</title>"
        "<link>http://local.test/lol</link></item></channel></rss>"
    ).encode()


def test_short_literal_entities_stay_and_the_rest_go() -> None:
    body = (
        b'<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY nbsp "&#160;">\n'
        b'<!ENTITY co "ACME Corp.">\n<!ENTITY a "&b;&b;">\n'
        b'<!ENTITY xxe SYSTEM\n "file:///etc/passwd">\n<!ENTITY % p "x">\n]>\n<rss/>'
    )
    defused, dropped = defuse_entities(body)
    assert dropped == 3
    assert b'<!ENTITY nbsp "&#160;">' in defused and b'<!ENTITY co "ACME Corp.">' in defused
    assert b"xxe" not in defused and b"&b;" not in defused
    assert defused.count(b"\n") == body.count(b"\n"), "line numbers still match"
    # Entities named in the body (after the first element) are never touched.
    assert defuse_entities(b"<rss><!ENTITY x 'y'></rss>") == (b"<rss><!ENTITY x 'y'></rss>", 0)


def test_billion_laughs_costs_neither_time_nor_memory() -> None:
    tracemalloc.start()
    started = time.monotonic()
    try:
        parsed = parse_feed(
            laughs(),
            spec=SPEC,
            fetched=datetime(2026, 12, 7, tzinfo=UTC),
            feed_url=SPEC.url,
            content_type="application/rss+xml",
        )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.monotonic() - started < 1.0
    assert peak < 4 * 1024 * 1024  # expat alone let it grow to 74 MB before stopping it
    assert "entity declaration(s) dropped" in parsed.problems[0]
    assert all(len(a.title or "") < 100 for a in parsed.articles)
