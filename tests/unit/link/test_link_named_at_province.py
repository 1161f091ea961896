"""Round 16's spots: a village or district located only at its province's point names an
incident's place; the resolved place in several words, ACLED's bracketed containers and a
people's sections are no spots; the name two country-level mentions share is no incident place;
a list may follow "assault on"."""

from __future__ import annotations

from pipeline.link import LinkConfig, LinkStage
from pipeline.link.facts import located_at_province, spots_of
from pipeline.link.incidents import listed_places
from schemas import Event, Place
from tests.unit.link.factory import day, strike
from tests.unit.link.test_link_same_town import GUNMEN
from tests.unit.link.test_link_spots import said


def village(name: str, admin1: str = "Alibori", parent: str | None = "Alibori") -> Place:
    """A place the gazetteer located only at its province's point (precision 3)."""
    return Place(
        name=name, geo_precision=3, confidence=0.6, latitude=11.8, longitude=2.9,
        country_code="BJ", admin1=admin1, parent=parent, gazetteer="geonames",
    )  # fmt: skip


def town(name: str, lat: float = 13.6, lon: float = 25.3) -> Place:
    return Place(
        name=name, geo_precision=1, confidence=0.9, latitude=lat, longitude=lon,
        country_code="SD", gazetteer="geonames",
    )  # fmt: skip


def at(event_id: str, place: Place, sentence: str, trigger: str, **kw: object) -> Event:
    return said(strike(event_id, place, article=event_id, **kw), sentence, trigger)


def test_a_place_located_at_its_provinces_point_is_known_by_its_name() -> None:
    assert located_at_province(village("Monsey"))
    assert located_at_province(village("Nahri Saraj", admin1="Helmand", parent="Helmand"))
    # the province itself, another spelling of it, or a region with no province above it
    assert not located_at_province(village("Alibori"))
    assert not located_at_province(village("Alibori department"))
    assert not located_at_province(
        village("Zaporizhia", admin1="Zaporizhzhia", parent="Zaporizhzhia")
    )
    assert not located_at_province(
        village("Lower Shabelle", admin1="Shabeellaha Hoose", parent=None)
    )
    # its name is a spot, even when another sentence gave it
    elsewhere = at("e1", village("Muambula"), "5 people were killed.", "killed")
    assert spots_of(elsewhere) == {"mbl"}


def test_two_villages_of_one_province_are_two_incidents() -> None:
    stage = LinkStage(LinkConfig(), {})
    first = at(
        "e1", village("Bako Maka"),
        "Suspected JNIM kidnapped the brother of the mayor in Bako Maka (Karimama, Alibori).",
        "kidnapped",
    )  # fmt: skip
    other = at(
        "e2", village("Monsey"),
        "Suspected JNIM kidnapped the mayor of Fandou near Monsey (Karimama, Alibori).",
        "kidnapped",
    )  # fmt: skip
    again = at(
        "e3", village("Bako Maka"), "Gunmen kidnapped a man in Bako Maka village.", "kidnapped"
    )  # fmt: skip
    # ACLED's containers in brackets (district, province) name no incident
    assert spots_of(first) == {"bk mk"}
    assert stage.process(first).linked.event_id == "e1"
    assert stage.process(other).linked.event_id == "e2"
    assert stage.process(again).linked.event_id == "e1"


def test_the_resolved_town_in_several_words_is_no_part_of_it() -> None:
    man = at(
        "e1", town("El Fasher"), "Unknown group on motorcycles kill a man in El Fasher.", "kill",
        when=day("2016-11-29", explicit=False, confidence=0.3), actor1=GUNMEN, actor2=None,
    )  # fmt: skip
    assert spots_of(man) == frozenset()
    boy = at("e2", town("El Fasher"), "Unknown group injure a boy in El Fasher.", "injure",
             when=day("2016-11-30", explicit=False, confidence=0.3), actor1=GUNMEN,
             actor2=None)  # fmt: skip
    boy.published = man.published.replace(day=man.published.day + 1)
    stage = LinkStage(LinkConfig(), {})
    # one town, nothing else in common (no part, no day, no named actor, no toll): two incidents
    assert stage.process(man).linked.event_id == "e1"
    assert stage.process(boy).linked.event_id == "e2"


def test_a_name_two_country_level_mentions_share_is_no_incident_place() -> None:
    kashmir = Place(name="Kashmir", geo_precision=4, confidence=0.5, country_code="IN")
    text = "People staged pro-freedom demonstrations in {} and other towns, in Indian Held Kashmir."
    first = at("e1", kashmir, text.format("Khudwani"), "staged")
    other = at("e2", kashmir, text.format("Tangmarg"), "staged")
    again = at("e3", kashmir, text.format("Khudwani"), "staged")
    stage = LinkStage(LinkConfig(), {})
    assert stage.process(first).linked.event_id == "e1"
    assert stage.process(other).linked.event_id == "e2"
    assert stage.process(again).linked.event_id == "e1"


def test_sections_of_a_people_are_no_places_and_lists_follow_assault_on() -> None:
    youth = at(
        "e1", village("Cueibet", admin1="Lakes", parent="Lakes"),
        "Youth of the Waat subsection of the Macar section killed a civilian in Citcok.",
        "killed",
    )  # fmt: skip
    assert spots_of(youth) == {"cbt", "ctck"}
    diffa = at(
        "e2", town("Diffa", 13.3, 12.6),
        "Boko Haram continued its assault on Diffa and Bosso, and Niger troops repelled them.",
        "assault",
    )  # fmt: skip
    assert [item.name for item in listed_places(diffa)] == ["Diffa", "Bosso"]
