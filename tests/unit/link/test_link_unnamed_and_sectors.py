"""Round 17 (late): an unnamed hill is no spot, and a named part of a district reported at the
district by another name is another incident."""

from __future__ import annotations

from pipeline.link import LinkConfig, LinkStage
from pipeline.link.facts import spots_of
from schemas import Event, Place
from tests.unit.link.factory import SYRIA, strike
from tests.unit.link.test_link_spots import said

POONCH = Place(
    name="Poonch", geo_precision=2, confidence=0.7, latitude=33.77, longitude=74.09,
    country_code="IN", admin1="Jammu and Kashmir", gazetteer="geonames",
)  # fmt: skip
KIRNI = Place(
    name="Kirni", geo_precision=2, confidence=0.7, latitude=33.68, longitude=74.05,
    country_code="IN", admin1="Jammu and Kashmir", parent="Poonch", gazetteer="geonames",
)  # fmt: skip


def hills(region: str) -> str:
    return (
        f"On 27 April 2020, the army fired on positions assumed to be near Nameless Hills "
        f"({region} Region), {region}."
    )


def test_an_unnamed_hill_is_no_spot_but_its_region_in_brackets_is() -> None:
    event = said(strike("e1", SYRIA), hills("Tartar"), "fired")
    assert spots_of(event) == {"trtr rgn"}


def test_unnamed_hills_of_two_regions_on_one_day_stay_apart() -> None:
    stage = LinkStage(LinkConfig(), {})
    tartar = said(strike("e1", SYRIA, article="a1"), hills("Tartar"), "fired")
    agdam = said(strike("e2", SYRIA, article="a2"), hills("Agdam"), "fired")
    again = said(strike("e3", SYRIA, article="a3"), hills("Tartar"), "fired")
    first = stage.process(tartar).linked.event_id
    assert stage.process(agdam).linked.event_id != first
    assert stage.process(again).linked.event_id == first


def sector(event_id: str, name: str, place: Place, article: str) -> Event:
    sentence = f"On 29 April 2020, the armies exchanged fire at {name} sector area (Poonch)."
    return said(strike(event_id, place, article=article), sentence, "fire")


def test_two_sectors_of_one_district_stay_apart() -> None:
    stage = LinkStage(LinkConfig(), {})
    kirni = stage.process(sector("e1", "Kirni", KIRNI, "a1")).linked.event_id
    # placed at the district, naming another sector: not Kirni
    shahpur = stage.process(sector("e2", "Shahpur", POONCH, "a2")).linked.event_id
    assert shahpur != kirni
    # placed at the district, naming Kirni: the same incident
    again = stage.process(sector("e3", "Kirni", POONCH, "a3")).linked.event_id
    assert again == kirni
