"""The extractor locates the places a report covering several incidents lists
(``Event.incident_places``): each is the place the gazetteers found at its name, in the event's
country; a name they do not know keeps no coordinates."""

from __future__ import annotations

from collections.abc import Callable

from pipeline.extract import Extraction
from schemas import Event


def listing(extract: Callable[..., Extraction], text: str) -> Event:
    events = [e for e in extract(text).events if e.incident_places]
    assert len(events) == 1, text
    return events[0]


def test_each_listed_town_is_located(extract: Callable[..., Extraction]) -> None:
    places = listing(
        extract, "Protesters marched in Kano, Kaduna and Zaria on Monday."
    ).incident_places
    assert [p.name for p in places] == ["Kano", "Kaduna", "Zaria"]
    assert all(p.latitude is not None and p.country_code == "NG" for p in places)
    assert all(p.span is not None and p.span.text == p.name for p in places)


def test_an_unknown_name_keeps_no_coordinates(extract: Callable[..., Extraction]) -> None:
    event = listing(extract, "Protesters marched in Kano and Zzyqotown on Monday.")
    by_name = {p.name: p for p in event.incident_places}
    assert by_name["Kano"].latitude is not None
    assert by_name["Zzyqotown"].latitude is None and by_name["Zzyqotown"].gazetteer == "none"


def test_one_place_lists_nothing(extract: Callable[..., Extraction]) -> None:
    events = extract("Protesters marched in Kano on Monday.").events
    assert events and all(e.incident_places == [] for e in events)
