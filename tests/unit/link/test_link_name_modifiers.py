"""Round 17: what is no spot (words that name no place alone, operation and movement names, an
actor's lower-case words), "from" names a spot but no list, and a crowd or a year-wide date
does not join two incidents of one town."""

from __future__ import annotations

from datetime import UTC, datetime

from pipeline.link import LinkConfig, LinkStage
from pipeline.link.compare import named_actor, same_town_unconfirmed
from pipeline.link.facts import Facts, actor_key, facts_of, spots_of
from pipeline.link.incidents import listed_places
from schemas import Actor, Event, Place, When
from tests.unit.link.factory import BUCHAREST, day, protest
from tests.unit.link.test_link_spots import said

NICARAGUA_PROTESTERS = Actor(
    name="protesters",
    normalized="protesters",
    type="protesters",
    confidence=0.7,
    country="NIC",
    cameo="NGMNIC",  # the movement code comes before the country
)
STUDENTS = Actor(
    name="students", normalized="civilians", type="civilians", confidence=0.6, cameo="NICCVL"
)
MANAGUA = Place(
    name="Managua",
    geo_precision=1,
    confidence=0.9,
    latitude=12.13282,
    longitude=-86.2504,
    country_code="NI",
    geonameid=3617763,
    gazetteer="geonames",
)
RIF_DIMASHQ_TOWN = Place(
    name="Beit Sawa",
    geo_precision=1,
    confidence=0.8,
    latitude=33.52,
    longitude=36.42,
    country_code="SY",
    admin1="Rif Dimashq",
    parent="Damascus",
    geonameid=1,
    gazetteer="geonames",
)
ETHIOPIA = Place(name="Ethiopia", geo_precision=4, confidence=0.6, country_code="ET")


def in_managua(event_id: str, sentence: str, trigger: str, **kw: object) -> Event:
    fields: dict[str, object] = {"place": MANAGUA, "actor1": STUDENTS}
    fields.update(kw)
    return said(protest(event_id, "2019-06-18", **fields), sentence, trigger)


def facts(event: Event) -> Facts:
    config = LinkConfig()
    assert event.published is not None
    return facts_of(
        event,
        published=event.published.date(),
        lookback=config.undated_lookback,
        undated_confidence=config.undated_confidence,
    )


def test_words_that_name_no_place_alone_are_no_spot() -> None:
    city = in_managua("e1", "On 18 June, in Managua City, students staged a protest.", "staged")
    assert spots_of(city) == frozenset()  # "City" is what is left of the resolved town
    rural = said(
        protest("e2", "2018-01-08", place=RIF_DIMASHQ_TOWN),
        "The army shelled Beit Sawa town in Rural Damascus, wounding civilians.",
        "shelled",
    )
    assert spots_of(rural) == frozenset()  # the province, in English
    # a finer place of the town is still one: "at the Managua Cathedral"
    cathedral = in_managua("e3", "Students staged a protest at the Managua Cathedral.", "staged")
    assert spots_of(cathedral) == {"cthdrl"}


def test_operation_movement_and_organisation_names_are_no_spot() -> None:
    afrin = said(
        protest("e1", "2018-02-13", place=MANAGUA),
        "The Turkish army and the factions of the Olive Branch operation shelled Masikah.",
        "shelled",
    )
    assert spots_of(afrin) == {"msk"}
    oromo = said(
        protest("e2", "2015-12-10", place=ETHIOPIA),
        "People protested in Gindo as part of the second round of Oromo protests.",
        "protested",
    )
    assert "rm" not in spots_of(oromo)
    rights = in_managua(
        "e3", "Members of the Commission of Human Rights protested in Managua.", "protested"
    )
    assert spots_of(rights) == frozenset()


def test_an_actors_lower_case_words_do_not_hide_a_place() -> None:
    agenda = Actor(
        name="the government agenda",
        normalized="government",
        type="government",
        confidence=0.5,
        cameo="GOV",
    )
    event = said(
        protest("e1", "2015-12-10", place=ETHIOPIA, actor2=agenda),
        "People protested against the government agenda in Gindo.",
        "protested",
    )
    assert spots_of(event) == {"gnd"}  # "agenda" and "Gindo" share their consonants


def test_from_names_a_spot_but_opens_no_list() -> None:
    pellas = in_managua(
        "e1", "Employees from the Pellas building staged a protest in Managua.", "staged"
    )
    assert spots_of(pellas) == {"pls"}
    origin = in_managua(
        "e2", "Villagers from Wouma and Welesi clashed with stones in Managua.", "clashed"
    )
    assert listed_places(origin) == []


def test_two_sites_of_one_city_on_one_day_stay_apart() -> None:
    stage = LinkStage(LinkConfig(), {})
    pellas = in_managua(
        "e1", "On 18 June, employees from the Pellas building staged a protest.", "staged"
    )
    cathedral = in_managua(
        "e2", "On 18 June, at the Managua Cathedral in Managua City, students staged a protest.",
        "staged",
    )  # fmt: skip
    again = in_managua(
        "e3", "On 18 June, students protested at the Managua Cathedral.", "protested"
    )
    first = stage.process(pellas).linked.event_id
    second = stage.process(cathedral).linked.event_id
    assert second != first
    assert stage.process(again).linked.event_id == second


def test_protesters_coded_before_the_country_are_a_role() -> None:
    config = LinkConfig()
    assert "NGM" in config.prefix_role_codes
    assert not named_actor(actor_key(NICARAGUA_PROTESTERS), config)
    government = Actor(
        name="the government", normalized="Nicaraguan government", type="government",
        confidence=0.7, country="NIC", cameo="NICGOV",
    )  # fmt: skip
    assert named_actor(actor_key(government), config)


def test_a_year_wide_date_joins_a_towns_incident_only_when_confirmed() -> None:
    config = LinkConfig()
    dated = in_managua(
        "e1", "On 3 August, health workers protested in Managua.", "protested",
        actor1=NICARAGUA_PROTESTERS,
    )  # fmt: skip
    year = in_managua(
        "e2", "In 2019, protesters rallied outside the Judicial Complex in Managua.", "rallied",
        actor1=NICARAGUA_PROTESTERS,
        when=When(date="2019-01-01", time_precision="year", confidence=0.8),
    )  # fmt: skip
    # the same crowd's name over a year is any crowd of the town: nothing confirms one incident
    assert same_town_unconfirmed(facts(dated), facts(year), config)
    # on one day the crowd written alike still confirms ("Huge crowds rally" the morning after)
    night = protest("e3", "2017-02-01", place=BUCHAREST, actor1=NICARAGUA_PROTESTERS)
    headline = protest(
        "e4", "2017-02-02", place=BUCHAREST, actor1=NICARAGUA_PROTESTERS,
        when=day("2017-02-02", explicit=False, confidence=0.3),
    )  # fmt: skip
    headline.published = datetime(2017, 2, 2, 6, 30, tzinfo=UTC)
    assert not same_town_unconfirmed(facts(night), facts(headline), config)


CUEIBET = Place(
    name="Cueibet",
    geo_precision=3,  # a county located only at its state's point
    confidence=0.6,
    latitude=6.8,
    longitude=29.7,
    country_code="SS",
    admin1="Lakes",
    parent="Lakes",
    gazetteer="geonames",
)


def test_a_peoples_name_after_its_section_and_a_shared_county_are_no_incident_place() -> None:
    stage = LinkStage(LinkConfig(), {})
    luoch = said(
        protest("e1", "2020-11-10", place=CUEIBET, actor1=None, article="a1"),
        "Youth of the Macar section of the Gok Dinka attacked civilians in Luoch in Cueibet.",
        "attacked",
    )
    citcok = said(
        protest("e2", "2020-11-10", place=CUEIBET, actor1=None, article="a2"),
        "Youth of the Macar section of the Gok Dinka attacked a civilian in Citcok in Cueibet.",
        "attacked",
    )
    assert spots_of(luoch) == {"cbt", "lch"}  # the county at its state's point, the village
    first = stage.process(luoch).linked.event_id
    assert stage.process(citcok).linked.event_id != first
    again = said(
        protest("e3", "2020-11-10", place=CUEIBET, actor1=None, article="a3"),
        "Gunmen attacked civilians in Cueibet county on Tuesday.",
        "attacked",
    )
    assert stage.process(again).linked.event_id in {first, "e2"}  # the vaguer report joins one


def test_a_reference_point_is_no_spot_and_including_names_one() -> None:
    idleb = Place(
        name="Idleb", geo_precision=1, confidence=0.8, latitude=35.93, longitude=36.63,
        country_code="SY", geonameid=169389, gazetteer="geonames",
    )  # fmt: skip
    road = said(
        protest("e1", "2018-01-10", place=idleb, actor1=None, article="a1"),
        "The road between Abul Thohur and Maarat in Idleb was cut as troops took control.",
        "took control",
    )
    villages = said(
        protest("e2", "2018-01-10", place=idleb, actor1=None, article="a2"),
        "Troops took control of villages south of Abul Thohur, including Karatin al-Kabira.",
        "took control",
    )
    assert spots_of(villages) == {"krtn"}  # not the town they lie south of
    stage = LinkStage(LinkConfig(), {})
    assert stage.process(road).linked.event_id != stage.process(villages).linked.event_id
