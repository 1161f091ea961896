"""The places a report lists come geocoded from the extractor (``Event.incident_places``): each
incident carries its own coordinates, and a list the event was resolved outside of is split
when every listed place is located."""

from __future__ import annotations

from pipeline.link import LinkConfig, LinkStage
from pipeline.link.incidents import incidents_of
from schemas import Event, Place, Span
from tests.unit.link.factory import SARAQIB, strike
from tests.unit.link.test_link_spots import said


def located(name: str, sentence: str, lat: float, lon: float) -> Place:
    start = sentence.index(name)
    return Place(
        name=name, geo_precision=1, confidence=0.5, latitude=lat, longitude=lon,
        country_code="SY", admin1="Idlib", gazetteer="geonames",
        span=Span(text=name, start=start, end=start + len(name)),
    )  # fmt: skip


def report(event_id: str, sentence: str, place: Place, *listed: tuple[str, float, float]) -> Event:
    event = said(strike(event_id, place, article=event_id), sentence, "Clashes")
    return event.derive(incident_places=[located(n, sentence, a, b) for n, a, b in listed])


KAFR_NABL = ("Kafr Nabl", 35.61, 36.56)
MAARAT = ("Maarat", 35.64, 36.67)


def test_each_incident_carries_the_extractors_coordinates() -> None:
    sentence = "Clashes erupted in Saraqib and Kafr Nabl on Sunday."
    event = report("e1", sentence, SARAQIB, ("Saraqib", 35.86, 36.81), KAFR_NABL)
    first, second = incidents_of(event)
    assert first.primary and first.event.place == SARAQIB  # the resolved place stays
    where = second.event.place
    assert where is not None and (where.name, where.latitude) == ("Kafr Nabl", 35.61)
    assert where.gazetteer == "geonames"


def test_a_list_the_event_was_resolved_outside_of_is_split_when_all_are_located() -> None:
    sentence = "Clashes in Kafr Nabl and Maarat left 3 dead."
    # placed at Saraqib (another sentence, the dateline): the listed places are where
    both = report("e1", sentence, SARAQIB, KAFR_NABL, MAARAT)
    places = [i.event.place for i in incidents_of(both)]
    assert [(p.name, p.latitude) for p in places if p] == [("Kafr Nabl", 35.61), ("Maarat", 35.64)]
    # one of them not located: where it is stays unsure, the report is not split
    one = report("e2", sentence, SARAQIB, KAFR_NABL)
    assert incidents_of(one) == []


def test_geocoded_incidents_link_by_place() -> None:
    stage = LinkStage(LinkConfig(), {})
    sentence = "Clashes in Kafr Nabl and Maarat left 3 dead."
    outcome = stage.process(report("e1", sentence, SARAQIB, KAFR_NABL, MAARAT))
    kafr_nabl, maarat = outcome.every()
    assert {kafr_nabl.linked.event_id, maarat.linked.event_id} == {"e1.1", "e1.2"}
    later = "Clashes in Maarat left 2 dead."
    alone = said(
        strike("e2", located("Maarat", later, 35.64, 36.67), article="e2"), later, "Clashes"
    )
    assert stage.process(alone).linked.event_id == "e1.2"
