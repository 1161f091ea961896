"""Partition keys, name keys, date ranges and blocks."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from pipeline.link.facts import DateRange, date_range, name_key
from pipeline.link.keys import index_slots, partition_key, query_slots
from schemas import When
from tests.unit.link.factory import SAKHOUR, day, event, month, strike

LOOKBACK = timedelta(days=1)
PUBLISHED = date(2016, 11, 28)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("al-Sakhour", "Sakhour"),
        ("Sakhur", "SAKHOUR"),
        ("Jebel Badro", "Jabal Badro"),
        ("Kafr Nabl", "Kafranbel"),
        ("Deir ez-Zor", "Deir Ezzor"),
        ("Ḩamāh", "Hama"),
        ("Ma'arrat al-Nu'man", "Maarat al-Numan"),
    ],
)
def test_name_keys_of_transliterations_agree(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


def test_name_keys_of_different_places_differ() -> None:
    names = ["Sakhour", "Jabal Badro", "Masaken Hanano", "Homs", "Hama", "Saraqib", "Aleppo"]
    assert len({name_key(n) for n in names}) == len(names)


def test_partition_key_is_type_and_country_not_day() -> None:
    sunday = event("m1")
    month_report = event("m2", when=month("2016-11-01"))
    assert partition_key(sunday) == partition_key(month_report) == "Battles|SY"
    assert partition_key(strike("s1", SAKHOUR)) == "Explosions/Remote violence|SY"
    statement = event("m3", event_type="", cameo_root="10", place=None)
    assert partition_key(statement) == "CAMEO|-"


def _range(when: When | None, *, factual: bool = True) -> DateRange:
    return date_range(when, PUBLISHED, factual=factual, lookback=LOOKBACK, undated_confidence=0.45)


def test_date_ranges() -> None:
    assert _range(day("2016-11-27")) == DateRange(
        date(2016, 11, 27), date(2016, 11, 27), "day", True
    )
    # the publication day standing in for a date: that day or the day before
    fallback = _range(day("2016-11-28", explicit=False, confidence=0.45))
    assert (fallback.start, fallback.end, fallback.explicit) == (
        date(2016, 11, 27),
        date(2016, 11, 28),
        False,
    )
    # a date carried over from the context (confidence 0.55) is a date
    assert _range(day("2016-11-28", explicit=False, confidence=0.55)).start == PUBLISHED
    # a factual event cannot postdate its article; a future one may
    assert _range(month("2016-11-01")).end == PUBLISHED
    assert _range(month("2016-11-01"), factual=False).end == date(2016, 11, 30)
    assert _range(None) == DateRange(date(2016, 11, 27), PUBLISHED, "day", False)
    bad = When(date="Sunday", time_precision="day", confidence=0.5)
    assert _range(bad).end == PUBLISHED


def test_a_day_finds_its_week_month_and_year_and_a_month_finds_its_days() -> None:
    sunday = _range(day("2016-11-27"))
    november = _range(month("2016-11-01"))
    assert index_slots(sunday) == ["D2016-11-27"]
    assert index_slots(november) == ["M2016-11"]
    assert set(index_slots(november)) <= set(query_slots(sunday, slack=timedelta(0), max_days=400))
    assert set(index_slots(sunday)) <= set(query_slots(november, slack=timedelta(0), max_days=400))
    week = DateRange(date(2016, 11, 28), date(2016, 12, 4), "week", True)
    assert index_slots(week) == ["W2016-11-28"]
    assert "W2016-11-28" in query_slots(
        DateRange(date(2016, 12, 2), date(2016, 12, 2), "day", True),
        slack=timedelta(0),
        max_days=400,
    )
