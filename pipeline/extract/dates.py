"""Event dates: time expressions resolved against the publication date (and the previous event)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

DAY = "day"
WEEK = "week"
MONTH = "month"
YEAR = "year"

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}


def is_month(word: str) -> bool:
    """A month's name or its abbreviation ("May", "Sept.", "january")."""
    lowered = word.lower().rstrip(".")
    return lowered[:3] in _MONTHS and (
        lowered in _MONTHS or _FULL_MONTH.fullmatch(lowered) is not None
    )


def is_weekday(word: str) -> bool:
    """A day of the week's name ("Tuesday")."""
    return word.lower() in _WEEKDAYS


_FULL_MONTH = re.compile(
    r"january|february|march|april|may|june|july|august|september|october|november|december"
)
_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "several": 3,
    "few": 3,
    "a few": 3,
}
_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_PART_OF_DAY = r"(?:\s+(?:morning|afternoon|evening|night|overnight))?"

_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("day_before_yesterday", re.compile(r"\bthe day before yesterday\b")),
    (
        "today",
        re.compile(r"^(?:earlier |later )?(?:today|tonight|this (?:morning|afternoon|evening))$"),
    ),
    ("yesterday", re.compile(r"^(?:yesterday" + _PART_OF_DAY + r"|last night|overnight)$")),
    (
        "day_before",
        re.compile(
            r"\b(?:the|a|one) (?:day|night) (?:before|earlier)\b"
            r"|\bthe previous (?:day|night)\b|\bthe eve\b"
        ),
    ),
    (
        "day_after",
        re.compile(r"\b(?:the|a|one) day (?:after|later)\b|\bthe (?:next|following) day\b"),
    ),
    (
        "weekday",
        re.compile(
            r"^(?:on |last |this past |this |late |early |next )?("
            + "|".join(_WEEKDAYS)
            + r")"
            + _PART_OF_DAY
            + r"$"
        ),
    ),
    (
        "ago",
        re.compile(
            r"^(\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|several|a few)"
            r" (day|week|month|year)s? ago$"
        ),
    ),
    ("this_week", re.compile(r"^(?:earlier |later )?this week$")),
    ("last_week", re.compile(r"^(?:last|the past|the previous|late last|early last) week$")),
    ("this_month", re.compile(r"^(?:earlier |later )?this month$")),
    ("last_month", re.compile(r"^(?:last|the past|the previous|late last|early last) month$")),
    ("this_year", re.compile(r"^(?:earlier |later )?this year$")),
    ("last_year", re.compile(r"^(?:last|the past|the previous) year$")),
    ("iso", re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")),
    (
        "day_month",
        re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?(?: of)? " + _MONTH + r"(?:,? (\d{4}))?\b"),
    ),
    ("month_day", re.compile(r"\b" + _MONTH + r" (\d{1,2})(?:st|nd|rd|th)?(?:,? (\d{4}))?\b")),
    (
        "month",
        re.compile(r"^(?:in |early |late |mid-?|since |last )?" + _MONTH + r"(?:,? (\d{4}))?$"),
    ),
    ("period", re.compile(r"\b(days|weeks|months|years)\b")),
    ("recently", re.compile(r"^(?:recently|lately|in recent days)$")),
    ("year", re.compile(r"^(?:in )?(\d{4})$")),
]


@dataclass(frozen=True)
class Resolved:
    """A resolved date: the day (or first day of its week/month/year), precision and confidence."""

    date: date
    precision: str
    confidence: float
    relative: bool = False
    """True when resolved against a previous event ("the day before"), not the publication date."""
    anchor: bool = False
    """True when it fixes the article's narrative date (explicit or deictic: "on Sunday")."""
    absolute: bool = False
    """True for a calendar date written out ("27 November 2016"): no publication date needed."""


def _month_start(d: date, back: int = 0) -> date:
    month = d.month - back
    year = d.year
    while month <= 0:
        month += 12
        year -= 1
    return date(year, month, 1)


def _latest_month(month: int, base: date) -> date:
    """The most recent first day of ``month`` on or before ``base``."""
    year = base.year if month <= base.month else base.year - 1
    return date(year, month, 1)


def _day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _explicit_day(month: int, day: int, year_text: str | None, base: date) -> date | None:
    if year_text:
        return _day(int(year_text), month, day)
    # no year: the latest such day not more than a few days after publication
    found = _day(base.year, month, day)
    if found is not None and found > base + timedelta(days=7):
        found = _day(base.year - 1, month, day)
    return found


def resolve_rule(text: str, base: date, previous: date | None) -> Resolved | None:
    """Resolve the common time expressions by rule; None when no rule applies."""
    lowered = " ".join(text.lower().replace(",", " ,").split()).replace(" ,", ",").strip(" .,")
    for name, pattern in _RULES:
        match = pattern.search(lowered)
        if match is None:
            continue
        if name == "today":
            return Resolved(base, DAY, 0.85, anchor=True)
        if name == "yesterday":
            return Resolved(base - timedelta(days=1), DAY, 0.85, anchor=True)
        if name == "day_before_yesterday":
            return Resolved(base - timedelta(days=2), DAY, 0.8, anchor=True)
        if name == "day_before":
            return Resolved(
                (previous or base) - timedelta(days=1), DAY, 0.75, relative=previous is not None
            )
        if name == "day_after":
            return Resolved(
                (previous or base) + timedelta(days=1), DAY, 0.7, relative=previous is not None
            )
        if name == "weekday":
            wanted = _WEEKDAYS.index(match.group(1))
            if lowered.startswith("next "):
                ahead = (wanted - base.weekday()) % 7 or 7
                return Resolved(base + timedelta(days=ahead), DAY, 0.75)
            back = (base.weekday() - wanted) % 7
            if lowered.startswith("last ") and back == 0:
                back = 7
            return Resolved(base - timedelta(days=back), DAY, 0.85, anchor=True)
        if name == "ago":
            amount = (
                int(match.group(1)) if match.group(1).isdigit() else _NUMBERS.get(match.group(1), 1)
            )
            unit = match.group(2)
            if unit == "day":
                return Resolved(base - timedelta(days=amount), DAY, 0.8, anchor=True)
            if unit == "week":
                d = base - timedelta(weeks=amount)
                return Resolved(d - timedelta(days=d.weekday()), WEEK, 0.7)
            if unit == "month":
                return Resolved(_month_start(base, amount), MONTH, 0.7)
            return Resolved(date(base.year - amount, 1, 1), YEAR, 0.7)
        if name == "this_week":
            return Resolved(base - timedelta(days=base.weekday()), WEEK, 0.7)
        if name == "last_week":
            d = base - timedelta(days=7)
            return Resolved(d - timedelta(days=d.weekday()), WEEK, 0.75)
        if name == "this_month":
            return Resolved(_month_start(base), MONTH, 0.7)
        if name == "last_month":
            return Resolved(_month_start(base, 1), MONTH, 0.75)
        if name == "this_year":
            return Resolved(date(base.year, 1, 1), YEAR, 0.6)
        if name == "last_year":
            return Resolved(date(base.year - 1, 1, 1), YEAR, 0.7)
        if name == "iso":
            found = _day(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            return Resolved(found, DAY, 0.9, anchor=True, absolute=True) if found else None
        if name == "day_month":
            found = _explicit_day(
                _MONTHS[match.group(2)], int(match.group(1)), match.group(3), base
            )
            return Resolved(found, DAY, 0.9, anchor=True, absolute=True) if found else None
        if name == "month_day":
            found = _explicit_day(
                _MONTHS[match.group(1)], int(match.group(2)), match.group(3), base
            )
            return Resolved(found, DAY, 0.9, anchor=True, absolute=True) if found else None
        if name == "month":
            month = _MONTHS[match.group(1)]
            year_text = match.group(2)
            first = date(int(year_text), month, 1) if year_text else _latest_month(month, base)
            return Resolved(first, MONTH, 0.8, absolute=bool(year_text))
        if name == "period":
            unit = match.group(1)
            if unit == "days":
                return Resolved(base - timedelta(days=base.weekday()), WEEK, 0.5)
            if unit == "weeks":
                return Resolved(_month_start(base), MONTH, 0.5)
            if unit == "months":
                return Resolved(_month_start(base), MONTH, 0.5)
            return Resolved(date(base.year, 1, 1), YEAR, 0.5)
        if name == "recently":
            return Resolved(base - timedelta(days=base.weekday()), WEEK, 0.5)
        if name == "year":
            return Resolved(date(int(match.group(1)), 1, 1), YEAR, 0.8, absolute=True)
    return None


class DateResolver:
    """Rules first, then dateparser for anything else that looks like a date (rarely needed)."""

    def resolve(self, text: str, base: date, previous: date | None = None) -> Resolved | None:
        """The date ``text`` refers to, seen from ``base`` (publication day) and ``previous``
        event."""
        found = resolve_rule(text, base, previous)
        if found is not None:
            return found
        if not re.search(r"\d|\b" + _MONTH + "|" + "|".join(_WEEKDAYS), text.lower()):
            return None  # dateparser guesses wildly on words like "the time"; only try real dates
        # imported here: dateparser takes a second to import and most texts never need it
        from dateparser.date import DateDataParser

        settings = {
            "PREFER_DATES_FROM": "past",
            "RETURN_AS_TIMEZONE_AWARE": False,
            "PREFER_DAY_OF_MONTH": "first",
            "RELATIVE_BASE": datetime(base.year, base.month, base.day, 12, 0),
        }
        try:
            data = DateDataParser(languages=["en"], settings=settings).get_date_data(text)
        except (ValueError, OverflowError, TypeError):
            return None
        if data is None or data.date_obj is None:
            return None
        period = getattr(data, "period", None) or DAY
        precision = period if period in (DAY, WEEK, MONTH, YEAR) else DAY
        value: date = data.date_obj.date()
        if value > base + timedelta(days=1):
            return None
        return Resolved(
            value, precision, 0.7, anchor=precision == DAY, absolute=bool(re.search(r"\d{4}", text))
        )
