"""The extractor locates the places a report covering several incidents lists
(``Event.incident_places``): each is the place the gazetteers found at its name, in the event's
country; a name they do not know keeps no coordinates."""

from __future__ import annotations

from collections.abc import Callable

from pipeline.extract import Extraction


def test_each_listed_town_is_located(extract: Callable[..., Extraction]) -> None:
    events = extract(
        "Boko Haram fighters attacked Gwoza, Bama and Dikwa in Borno state on Tuesday."
    ).events
    listed = [e for e in events if e.incident_places]
    assert listed, [e.trigger.text for e in events]
    places = listed[0].incident_places
    assert [p.name for p in places] == ["Gwoza", "Bama", "Dikwa"]
    assert all(p.latitude is not None and p.country_code == "NG" for p in places)
    assert all(p.span is not None and p.span.text == p.name for p in places)


def test_an_unknown_name_keeps_no_coordinates(extract: Callable[..., Extraction]) -> None:
    events = extract("Boko Haram fighters attacked Gwoza and Zzyqotown in Borno state.").events
    listed = [e for e in events if e.incident_places]
    if not listed:  # the list reader needs two places it trusts: nothing to locate
        return
    by_name = {p.name: p for p in listed[0].incident_places}
    assert by_name["Zzyqotown"].latitude is None
    assert by_name["Zzyqotown"].gazetteer == "none"


def test_one_place_lists_nothing(extract: Callable[..., Extraction]) -> None:
    events = extract("Boko Haram fighters attacked Gwoza in Borno state on Tuesday.").events
    assert events and all(e.incident_places == [] for e in events)
