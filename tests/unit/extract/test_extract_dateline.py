"""Datelines are metadata: the city is where the story was filed, the agency who reports it."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pipeline.extract import Extraction
from pipeline.extract.dateline import blank, find_dateline


@pytest.mark.parametrize(
    ("text", "city", "agency"),
    [
        ("BEIRUT, Nov 27 (Reuters) - Syrian forces", "BEIRUT", "Reuters"),
        ("ALEPPO, Syria (AFP) - Regime forces", "ALEPPO", "AFP"),
        ("Aleppo, SANA – Army units restored", "Aleppo", "SANA"),
        ("DAMASCUS, Syria- The army", "DAMASCUS", None),
        ("NEW DELHI (Reuters) -Opposition leader", "NEW DELHI", "Reuters"),
        ("NEAR MOSUL, Iraq, Nov 1 (Reuters) - Troops", "MOSUL", "Reuters"),
        ("GAZA CITY, Palestinian Territories: Four children", "GAZA CITY", None),
        ("Headline of the story\nLONDON (Reuters) - Britain said", "LONDON", "Reuters"),
        ("Kathmandu, August 18: Indian Foreign Secretary", "Kathmandu", None),
    ],
)
def test_datelines_are_found(text: str, city: str, agency: str | None) -> None:
    found = find_dateline(text)
    assert found is not None
    assert text[slice(*found.city)] == city
    assert (text[slice(*found.agency)] if found.agency else None) == agency
    assert text[found.end].isalpha()  # the story starts right after it


@pytest.mark.parametrize(
    "text",
    [
        "Moscow - the talks failed.",
        "US - China talks resumed.",
        "Romania protests: Huge crowds rally against corruption decree",
        "BREAKING: Army attacks the town.",
        "The army - backed by Russia - attacked.",
        "Troops left. Then MOSCOW (AFP) - later.",
        "ZANU-PF supporters beat two villagers.",
        "AU-led troops entered the town.",
    ],
)
def test_prose_is_no_dateline(text: str) -> None:
    assert find_dateline(text) is None


def test_blanking_keeps_every_offset() -> None:
    text = "Aleppo, SANA – Army units restored security."
    hidden = blank(text, find_dateline(text))
    assert len(hidden) == len(text) and hidden.lstrip().startswith("Army units")


@pytest.mark.model
def test_the_agency_is_the_source_and_the_city_no_place(
    extract: Callable[..., Extraction],
) -> None:
    x = extract(
        "Aleppo, SANA – Army units restored security and stability to al-Sakhour "
        "neighborhood on Sunday."
    )
    event = next(e for e in x.events if e.factual)
    assert event.actor1 is not None and event.actor1.type == "state_military"
    assert event.attribution is not None
    assert event.attribution.text == "SANA" and event.attribution.kind == "media"
    assert not event.sentence.text.startswith("Aleppo")
    x = extract("BEIRUT, Nov 29 (Reuters) - Warplanes hit a hospital in Kafranbel on Tuesday.")
    event = next(e for e in x.events if e.factual)
    assert event.place is not None and event.place.name == "Kafranbel"
    named = event.place.confidence
    x = extract("BEIRUT, Nov 29 (Reuters) - Warplanes bombed rebels on Tuesday.")
    event = next(e for e in x.events if e.factual)
    assert event.place is not None and event.place.name == "BEIRUT"
    # where the story was filed: a weak fallback (its calibrated level moves with each refit)
    # (0.438 after round 11's refit, 0.455 after round 12's: events placed only by their country
    # are often right on gold, which flattens the place scaling), so it is compared with a named
    # place's (round 14's refit: 0.463 against 0.923, a hair above half, so the gap is compared)
    assert event.place.confidence < 0.5 and event.place.confidence < named - 0.4
