"""Time expressions resolved against publication (Monday 2016-11-28) and a previous event."""

from __future__ import annotations

from datetime import date

import pytest

from pipeline.extract.dates import DateResolver, resolve_rule

MONDAY = date(2016, 11, 28)


@pytest.mark.parametrize(
    ("text", "expected", "precision"),
    [
        ("Sunday", date(2016, 11, 27), "day"),
        ("on Sunday", date(2016, 11, 27), "day"),
        ("Thursday night", date(2016, 11, 24), "day"),
        ("Monday", date(2016, 11, 28), "day"),  # the publication day itself
        ("last Monday", date(2016, 11, 21), "day"),
        ("yesterday", date(2016, 11, 27), "day"),
        ("last night", date(2016, 11, 27), "day"),
        ("today", MONDAY, "day"),
        ("two days ago", date(2016, 11, 26), "day"),
        ("last week", date(2016, 11, 21), "week"),
        ("this week", date(2016, 11, 28), "week"),
        ("last month", date(2016, 10, 1), "month"),
        ("For months", date(2016, 11, 1), "month"),
        ("November 27", date(2016, 11, 27), "day"),
        ("27 November 2016", date(2016, 11, 27), "day"),
        ("Nov. 20", date(2016, 11, 20), "day"),
        ("Dec. 30", date(2015, 12, 30), "day"),  # no year: the latest one not after publication
        ("in October", date(2016, 10, 1), "month"),
        ("March 2014", date(2014, 3, 1), "month"),
        ("2016-11-02", date(2016, 11, 2), "day"),
        ("2015", date(2015, 1, 1), "year"),
    ],
)
def test_rules(text: str, expected: date, precision: str) -> None:
    resolved = resolve_rule(text, MONDAY, None)
    assert resolved is not None, text
    assert (resolved.date, resolved.precision) == (expected, precision)
    assert 0.0 < resolved.confidence <= 1.0


def test_the_day_before_is_relative_to_the_previous_event() -> None:
    resolved = resolve_rule("the day before", MONDAY, date(2016, 11, 27))
    assert resolved is not None and resolved.date == date(2016, 11, 26) and resolved.relative
    assert not resolved.anchor  # it does not move the article's narrative date
    alone = resolve_rule("the previous day", MONDAY, None)
    assert alone is not None and alone.date == date(2016, 11, 27) and not alone.relative
    after = resolve_rule("the next day", MONDAY, date(2016, 11, 20))
    assert after is not None and after.date == date(2016, 11, 21)


def test_deictic_dates_anchor_the_narrative() -> None:
    sunday = resolve_rule("on Sunday", MONDAY, None)
    assert sunday is not None and sunday.anchor


def test_dateparser_fallback_and_nonsense() -> None:
    resolver = DateResolver()
    numeric = resolver.resolve("11/02/2016", MONDAY)
    assert numeric is not None and numeric.date.year == 2016 and numeric.precision == "day"
    assert resolver.resolve("the time", MONDAY) is None
    assert resolver.resolve("a minute", MONDAY) is None
    # an explicit future date stays: announced events (modality "future") have one
    future = resolver.resolve("3 January 2017", MONDAY)
    assert future is not None and future.date == date(2017, 1, 3)
