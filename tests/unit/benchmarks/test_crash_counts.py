"""How ``bench crash`` counts repeated records: identical upserts by key, or not."""

from __future__ import annotations

import orjson

from benchmarks.crash import Outcomes, comparable


def record(**fields: object) -> bytes:
    return orjson.dumps(fields)


def test_a_redelivery_that_differs_only_in_when_it_was_made_is_identical() -> None:
    first = record(article_id="a", title="T", processed="2026-12-07T02:00:00Z")
    again = record(title="T", article_id="a", processed="2026-12-07T02:00:09Z")
    assert comparable(first) == comparable(again)
    assert comparable(record(article_id="a", title="U")) != comparable(first)


def test_repeats_count_records_beyond_the_first_per_topic_and_key() -> None:
    out = Outcomes()
    same = comparable(record(article_id="a", n=1))
    out.values[("p.enriched-articles", "a")] = [same, same, same]
    out.values[("p.enriched-articles", "b")] = [comparable(record(n=1))]
    out.values[("p.duplicates", "c")] = [
        comparable(record(duplicate_of="x", similarity=0.9)),
        comparable(record(duplicate_of="y", similarity=0.9)),
    ]
    assert out.repeats() == (3, 2)
    assert out.differences() == {"duplicates.duplicate_of": 1}
    assert out.both_verdicts() == 0
    out.values[("p.duplicates", "b")] = [comparable(record(duplicate_of="b"))]
    assert out.both_verdicts() == 1, "b was enriched, then noticed as a copy of itself"


def test_each_input_article_is_counted_once_by_its_worst_outcome() -> None:
    out = Outcomes()
    same = comparable(record(article_id="a", n=1))
    out.values[("p.enriched-articles", "a")] = [same, same]
    out.values[("p.enriched-articles", "b")] = [same]
    out.values[("p.duplicates", "b")] = [comparable(record(n=1)), comparable(record(n=2))]
    out.values[("p.enriched-articles", "c")] = [same]
    assert out.per_article() == {"once": 1, "repeated_identical": 1, "repeated_different": 1}


def test_random_kill_points_fall_inside_the_run_in_order() -> None:
    from benchmarks.crash import random_kill_points

    points = random_kill_points(1000, 3, seed=7)
    assert points == sorted(points) and len(set(points)) == 3
    assert all(100 <= p < 900 for p in points)
    assert points == random_kill_points(1000, 3, seed=7)
