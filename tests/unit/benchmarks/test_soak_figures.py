"""``wirestream bench soak``: its feed server, growth slopes and counter balance."""

from __future__ import annotations

import time
import urllib.request
from typing import Any

import feedparser

from benchmarks.soak import FEED_ITEMS, FeedServer, balance, slope_per_hour, summarise


def _article(i: int) -> dict[str, Any]:
    return {
        "title": f"Story {i} <&>",
        "url": f"https://wire.example/{i}",
        "content": f"Body of story {i}. Troops & rebels clashed.",
    }


def test_feeds_grow_at_the_rate_and_list_the_newest() -> None:
    corpus = [_article(i) for i in range(200)]
    with FeedServer(corpus, feeds=2, rate=10.0) as server:
        assert server.released() == 0  # not started: nothing is out yet
        server.started = time.monotonic() - 12.0  # 12 s in: 121 released
        with urllib.request.urlopen(server.url(1), timeout=10) as resp:
            parsed = feedparser.parse(resp.read())
    links = [e.link for e in parsed.entries]
    # Feed 1 holds the odd articles released so far, the newest first, at most FEED_ITEMS.
    assert len(links) == FEED_ITEMS
    assert links[0] == "https://wire.example/119"
    assert all(int(link.rsplit("/", 1)[1]) % 2 == 1 for link in links)
    assert parsed.entries[0].title == "Story 119 <&>"
    assert "Troops & rebels" in parsed.entries[0].summary


def test_slope_is_per_hour_and_needs_three_points() -> None:
    assert slope_per_hour([(0, 100.0), (60, 101.0), (120, 102.0)]) == 60.0
    assert slope_per_hour([(0, 5.0), (60, 5.0), (120, 5.0)]) == 0.0
    assert slope_per_hour([(0, 1.0), (60, 2.0)]) is None


def test_balance_and_summary_from_samples() -> None:
    metrics = {
        "wirestream_articles_published_total": 10.0,
        'wirestream_messages_out_total{outcome="sequenced",stage="intake"}': 10.0,
        'wirestream_messages_out_total{outcome="unique",stage="dedup"}': 9.0,
        'wirestream_messages_out_total{outcome="duplicate",stage="dedup"}': 1.0,
        'wirestream_messages_out_total{outcome="enriched",stage="extract"}': 9.0,
        "wirestream_consumer_lag": 0.0,
    }
    assert balance(metrics) == {
        "published": 10.0,
        "sequenced": 10.0,
        "judged": 10.0,
        "unique": 9.0,
        "extracted": 9.0,
        "dead_letters": 0.0,
    }
    samples = [
        {
            "t": t,
            "released": t // 6,
            "rss_mb": {"worker": 200.0 + (t >= 300) * 50.0, "nlp": 600.0},
            "fds": {"worker": 30},
            "broker_data_mb": t / 60,
            "metrics": metrics,
        }
        for t in range(0, 1860, 60)
    ]
    r = summarise(samples, warmup=300)
    # The warm-up jump is left out of the slope: flat after it.
    assert r["rss_mb"]["worker"] == {
        "first": 200.0,
        "after_warmup": 250.0,
        "last": 250.0,
        "per_hour": 0.0,
    }
    assert r["broker_data_mb"]["per_hour"] == 60.0
    assert r["balance"]["judged"] == 10.0 and r["released"] == 300
