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
