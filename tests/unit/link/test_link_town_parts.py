"""Round 12 linking rules: which capitalised words name an incident's place (ACLED's "Dhaka -
Paltan", quoted names; not peoples, organisations, initials or regions), and two incidents in
one town told apart by the parts of it they name."""

from __future__ import annotations

from pipeline.link import LinkConfig, LinkStage
from pipeline.link.facts import place_key, spots_of
from schemas import Actor, Event, Place
from tests.unit.link.factory import protest, strike
from tests.unit.link.test_link_spots import said

DHAKA = Place(
    name="Dhaka", geo_precision=1, confidence=0.9, latitude=23.71, longitude=90.41,
    country_code="BD", geonameid=1185241, gazetteer="geonames",
)  # fmt: skip
BIJOYNAGAR = Place(
    name="Bijoynagar", geo_precision=2, confidence=0.7, latitude=23.71, longitude=90.41,
    country_code="BD", parent="Dhaka", geonameid=1185241, gazetteer="geonames",
)  # fmt: skip
RIOTERS = Actor(
    name="rioters", normalized="rioters", type="rioters", confidence=0.6, country="BGD",
    cameo="BGDOPP",
)  # fmt: skip


def bombing(event_id: str, place: Place, sentence: str) -> Event:
    event = strike(
        event_id, place, article=event_id, actor1=RIOTERS, actor2=None,
        event_type="Explosions/Remote violence", sub_event_type="Grenade",
    )  # fmt: skip
    return said(event, sentence, "exploded")


def test_what_names_an_incidents_place() -> None:
    paltan = bombing("e1", DHAKA, "Rioters exploded cocktail bombs in Dhaka - Paltan (Paltan).")
    assert spots_of(paltan) == {"pltn"}  # after the resolved town: a part of it
    quoted = bombing("e2", DHAKA, "Rioters exploded a bomb in the 'Kamparak' area.")
    assert spots_of(quoted) == {"kmprk"}
    people = bombing("e3", DHAKA, "Rioters exploded a bomb and attacked Fulani herders.")
    assert spots_of(people) == frozenset()
    firm = bombing("e4", DHAKA, "Rioters exploded a bomb at Kerman Coal Mine Company offices.")
    assert spots_of(firm) == frozenset()
    initials = bombing("e5", DHAKA, "Rioters of BNP and JeI exploded bombs.")
    assert spots_of(initials) == frozenset()
    region = bombing("e6", DHAKA, "Rioters exploded a bomb in Maiduguri, capital of Borno state.")
    assert spots_of(region) == {"mdgr"}
    speech = bombing("e7", DHAKA, 'Rioters exploded bombs and "Resign!" was heard.')
    assert spots_of(speech) == frozenset()


def test_a_part_named_by_a_nationality_is_its_town() -> None:
    nigerian = Place(
        name="Nigerian", geo_precision=2, confidence=0.5, latitude=11.85, longitude=13.16,
        country_code="NG", parent="Maiduguri", geonameid=2331447, gazetteer="geonames",
    )  # fmt: skip
    key = place_key(nigerian)
    assert key is not None
    assert (key.name, key.parent, key.precision) == ("mdgr", "", 1)


def test_two_parts_of_one_town_are_two_incidents() -> None:
    stage = LinkStage(LinkConfig(), {})
    paltan = bombing("e1", DHAKA, "Rioters exploded cocktail bombs in Dhaka - Paltan.")
    first = stage.process(paltan).linked.event_id
    other = bombing("e2", BIJOYNAGAR, "Rioters exploded cocktail bombs in Bijoynagar area.")
    second = stage.process(other).linked.event_id
    assert second != first  # Paltan and Bijoynagar: the town they share says nothing
    again = bombing("e3", DHAKA, "Rioters exploded bombs in Paltan, Dhaka city.")
    assert stage.process(again).linked.event_id == first
    # a report naming only the town may be either of them
    vague = bombing("e4", DHAKA, "Rioters exploded bombs in Dhaka.")
    assert stage.process(vague).linked.event_id in {first, second}


def test_a_square_of_the_city_still_joins_the_city() -> None:
    square = Place(
        name="Victory Square", geo_precision=2, confidence=0.7, latitude=44.45, longitude=26.09,
        country_code="RO", parent="Bucharest", geonameid=683506, gazetteer="geonames",
    )  # fmt: skip
    stage = LinkStage(LinkConfig(), {})
    city = said(protest("p1", "2017-02-01"), "Protesters rallied in Bucharest.", "rallied")
    first = stage.process(city).linked.event_id
    part = said(
        protest("p2", "2017-02-01", place=square, article="a2"),
        "Protesters rallied in Victory Square.",
        "rallied",
    )
    assert stage.process(part).linked.event_id == first


def test_and_continues_a_place_but_does_not_start_one() -> None:
    areas = bombing("e1", DHAKA, "Rioters exploded bombs in Farmgate and Karwan Bazar areas.")
    assert spots_of(areas) == {"frmgt", "krwn bzr"}
    parties = bombing("e2", DHAKA, "Rioters of the BNP and Jamaat-e-Islami exploded bombs.")
    assert spots_of(parties) == frozenset()
    title = bombing(
        "e3", DHAKA, "Rioters exploded bombs demanding resignation of the Prime Minister."
    )
    assert spots_of(title) == frozenset()
