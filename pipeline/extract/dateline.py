"""Datelines: "BEIRUT, Nov 27 (Reuters) -", "Aleppo, SANA –", "GAZA CITY, Palestinian Territories:".

A dateline is metadata, not news: its city is where the story was filed (at best a weak hint of
where events happened) and its agency is who reports them, never an actor. The extractor hides it
from the parser (the characters become spaces, so every offset stays valid) and keeps it aside.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MONTH = (
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}(?:,?\s+\d{4})?"
)
_WORD = r"[A-Z][A-Za-z'.]*(?:-[A-Za-z'.]+)*"
# Where the dateline may start: the text's start, or the line after a headline (no final stop).
_START = re.compile(r"\A\s*|\n\s*")
_DATELINE = re.compile(
    rf"(?:NEAR\s+)?(?P<city>{_WORD}(?:\s+{_WORD}){{0,3}})"
    rf"(?:,\s*(?P<region>{_WORD}(?:\s+{_WORD}){{0,2}}))??"
    rf"(?:,\s*(?P<date>{_MONTH}))?"
    r"(?:\s*\((?P<agency>[A-Z][A-Za-z.&' -]{1,40})\))?"
    r"(?:,\s*(?P<agency2>[A-Z]{2,10}))?"
    r"\s*(?P<dash>[-–—:]+)"
)
_MAX_START = 200
"""A dateline opens the story: after at most a headline line of this many characters."""


@dataclass(frozen=True)
class Dateline:
    """The dateline's extent and its parts, as character offsets in the article text."""

    start: int
    end: int
    """One past the dateline's dash (and the spaces after it): where the story begins."""
    city: tuple[int, int]
    agency: tuple[int, int] | None
    city_text: str = ""
    """The city as written (the parser's text has the dateline blanked)."""


def _plausible(match: re.Match[str]) -> bool:
    """A city in capitals or a named agency or date: "Moscow - the talks" is a sentence."""
    if match.group("agency") or match.group("agency2") or match.group("date"):
        return True
    letters = [c for c in match.group("city") if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters)


def find_dateline(text: str) -> Dateline | None:
    """The dateline opening ``text`` (or its first line after a headline), if there is one."""
    for start in _START.finditer(text[:_MAX_START]):
        if start.start() > 0 and text[: start.start()].rstrip().endswith((".", "!", "?")):
            break  # past the first paragraph: a dash here is prose
        match = _DATELINE.match(text, start.end())
        if match is None or not _plausible(match):
            continue
        if match.group("dash") == ":" and not any(
            match.group(part) for part in ("region", "agency", "date")
        ):
            # "BREAKING: ..." or a headline "Romania protests: ..." is no dateline;
            # "Kathmandu, August 18:" is one
            continue
        dash = match.start("dash")
        if (
            match.group("dash") == "-"
            and not text[dash - 1].isspace()
            and match.end() < len(text)
            and text[match.end()].isalnum()
        ):
            continue  # "ZANU-PF supporters", "AU-led troops": a hyphenated name, not a dateline
        end = match.end()
        while end < len(text) and text[end] in " \t":
            end += 1
        for name in ("agency", "agency2"):
            if match.group(name):
                agency: tuple[int, int] | None = match.span(name)
                break
        else:
            agency = None
        return Dateline(match.start(), end, match.span("city"), agency, match.group("city"))
    return None


def blank(text: str, dateline: Dateline | None) -> str:
    """``text`` with the dateline turned into spaces (same length, so offsets hold)."""
    if dateline is None:
        return text
    return text[: dateline.start] + " " * (dateline.end - dateline.start) + text[dateline.end :]
