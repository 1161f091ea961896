"""How ``bench crash`` counts what came out per input article: repeats, identical or not, and
what is missing downstream of a verdict."""

from __future__ import annotations

import orjson

from benchmarks.crash import Outcomes, comparable, holds, identity


def record(**fields: object) -> bytes:
    return orjson.dumps(fields)


def test_a_redelivery_that_differs_only_in_when_it_was_made_is_identical() -> None:
    first = record(article_id="a", title="T", processed="2026-12-07T02:00:00Z")
    again = record(title="T", article_id="a", processed="2026-12-07T02:00:09Z")
    assert comparable(first) == comparable(again)
    assert comparable(record(article_id="a", title="U")) != comparable(first)
    # A mention carries its event, whose extraction time a re-extraction changes.
    mention = record(event_id="e", event={"event_id": "m", "extracted": "02:00:00"})
    assert comparable(mention) == comparable(
        record(event_id="e", event={"event_id": "m", "extracted": "02:00:07"})
    )


def test_events_and_mentions_are_counted_by_what_they_are_about() -> None:
    event = record(event_id="ev1", article_id="a")
    assert identity("article-events", "Battles|SY", event) == ("ev1", "a")
    mention = record(event_id="L1", mention_id="ev1", article_id="a")
    assert identity("mentions", "L1", mention) == ("L1|a", "a")
    assert identity("events", "L1", record(event_id="L1", version=3)) == ("L1@v3", "")
    assert identity("enriched-articles", "a", record(article_id="a")) == ("a", "a")


def test_repeats_count_records_beyond_the_first_per_topic_and_identity() -> None:
    out = Outcomes()
    for _ in range(3):
        out.add("enriched-articles", "a", record(article_id="a", n=1), 0.0)
    out.add("enriched-articles", "b", record(article_id="b", n=1), 0.0)
    out.add("duplicates", "c", record(duplicate_of="x", similarity=0.9), 0.0)
    out.add("duplicates", "c", record(duplicate_of="y", similarity=0.9), 0.0)
    assert out.repeats() == (3, 2)
    assert out.differences() == {"duplicates.duplicate_of": 1}
    assert out.by_topic()["enriched-articles"] == {
        "records": 4,
        "distinct": 2,
        "repeated": 2,
        "identical": 2,
    }
    assert out.both_verdicts() == 0
    out.add("duplicates", "b", record(duplicate_of="b"), 0.0)
    assert out.both_verdicts() == 1, "b was enriched, then noticed as a copy of itself"
    assert out.count() == 3


def test_each_input_article_is_counted_once_by_its_worst_outcome() -> None:
    out = Outcomes()
    out.add("enriched-articles", "a", record(article_id="a"), 0.0)
    out.add("mentions", "L", record(event_id="L", article_id="a"), 0.0)
    out.add("mentions", "L", record(event_id="L", article_id="a"), 0.0)
    out.add("enriched-articles", "b", record(article_id="b"), 0.0)
    out.add("article-events", "T|X", record(event_id="e", article_id="b", c=1), 0.0)
    out.add("article-events", "T|X", record(event_id="e", article_id="b", c=2), 0.0)
    out.add("enriched-articles", "c", record(article_id="c"), 0.0)
    # A linked event's versions belong to no one article.
    out.add("events", "L", record(event_id="L", version=1), 0.0)
    out.add("events", "L", record(event_id="L", version=1), 0.0)
    assert out.per_article() == {"once": 1, "repeated_identical": 1, "repeated_different": 1}


def test_what_a_verdict_implies_but_did_not_come_out_is_missing() -> None:
    out = Outcomes()
    out.add("unique-articles", "a", record(article_id="a"), 0.0)
    out.add("unique-articles", "b", record(article_id="b"), 0.0)
    out.add("enriched-articles", "a", record(article_id="a", event_ids=["e1", "e2"]), 0.0)
    out.add("article-events", "T|X", record(event_id="e1", article_id="a"), 0.0)
    assert out.lost_downstream() == {
        "unique-articles": ["b"],
        "article-events": ["e2"],
        "mentions": ["a"],
    }
    out.add("mentions", "L", record(event_id="L", article_id="a"), 0.0)
    assert out.lost_downstream()["mentions"] == []


def test_the_target_is_stricter_under_exactly_once() -> None:
    ok = {
        "articles": 2,
        "came_out": 2,
        "lost_downstream": {"mentions": []},
        "both_verdicts": 0,
        "repeated": 3,
        "per_article": {"repeated_different": 0},
    }
    assert holds({**ok, "guarantee": "at_least_once"})
    assert not holds({**ok, "guarantee": "exactly_once"})
    assert holds({**ok, "guarantee": "exactly_once", "repeated": 0})
    assert not holds({**ok, "came_out": 1, "guarantee": "at_least_once"})
    assert not holds({**ok, "lost_downstream": {"mentions": ["a"]}, "guarantee": "exactly_once"})


def test_random_kill_points_fall_inside_the_run_in_order() -> None:
    from benchmarks.crash import random_kill_points

    points = random_kill_points(1000, 3, seed=7)
    assert points == sorted(points) and len(set(points)) == 3
    assert all(100 <= p < 900 for p in points)
    assert points == random_kill_points(1000, 3, seed=7)
