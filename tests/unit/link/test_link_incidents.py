"""A report covering several incidents links to each place it lists: "shelled Kansafra, Sfuhen
and Fakkeh in Idlib province" is three incidents, each its own linked event with its own
mention, all carrying the report's id."""

from __future__ import annotations

from datetime import UTC, datetime

from pipeline.link import LinkConfig, LinkStage
from pipeline.link.incidents import incidents_of, listed_places
from schemas import Actor, Event, Place
from tests.unit.link.factory import IDLIB_PROVINCE, SAKHOUR, SARAQIB, strike
from tests.unit.link.test_link_spots import said


def report(event_id: str, sentence: str, trigger: str, place: Place = IDLIB_PROVINCE) -> Event:
    return said(strike(event_id, place, article=event_id), sentence, trigger)


def names(event: Event) -> list[str]:
    return [item.name for item in listed_places(event)]


def test_a_list_after_a_place_cue_names_one_incident_each() -> None:
    three = report("e1", "Regime forces shelled Kansafra, Sfuhen and Fakkeh in Idlib.", "shelled")
    assert names(three) == ["Kansafra", "Sfuhen", "Fakkeh"]
    oxford = report(
        "e2", "Taliban attacked posts in Nad Ali, Sangin, and Nawa-e Barakzayi.", "posts"
    )
    assert names(oxford) == ["Nad Ali", "Sangin", "Nawa-e Barakzayi"]
    # ACLED's part of a place stays with it; a kind word and an aside are skipped
    parts = report(
        "e3", "Clashes in Dih Bala (Hasakamina), Khogyani district and Sherzad.", "Clashes"
    )
    assert [sorted(i.parts) for i in listed_places(parts)] == [
        ["dih bl", "hskmn"],
        ["khgn"],
        ["shrzd"],
    ]
    aside = report(
        "e4", "Troops raided Loka, Kongadi (described as near Mirilojo) and Rego.", "raided"
    )
    assert names(aside) == ["Loka", "Kongadi", "Rego"]
    namely = report("e5", "Protests in five towns namely Afdem, Bike and Erer.", "Protests")
    assert names(namely) == ["Afdem", "Bike", "Erer"]


def test_what_is_not_a_list_of_incidents() -> None:
    city = report("e1", "Jets hit Kansafra, Idlib on Monday.", "hit")  # a place and its province
    assert names(city) == []
    pair = report("e2", "Clashes between Kansafra and Sfuhen left 3 dead.", "Clashes")
    assert names(pair) == []  # a road or a front between two places: one incident
    one = report("e3", "Clashes in Idlib province and its countryside.", "Clashes")
    assert names(one) == []
    countries = report("e4", "Jets struck targets in Syria and Iraq.", "struck")
    assert names(countries) == []
    one = report("e5", "Jets struck Kansafra and its outskirts.", "struck")
    assert names(one) == []


def test_each_incident_gets_its_own_place_and_id() -> None:
    event = report("e1", "Regime forces shelled Kansafra and Sfuhen in Idlib province.", "shelled")
    incidents = incidents_of(event)
    assert [i.event.event_id for i in incidents] == ["e1.1", "e1.2"]
    places = [i.event.place for i in incidents]
    assert all(p is not None for p in places)
    # places in the resolved province: town level, in that province, not located
    assert [(p.name, p.geo_precision, p.admin1, p.latitude) for p in places if p] == [
        ("Kansafra", 1, "Idlib", None),
        ("Sfuhen", 1, "Idlib", None),
    ]
    assert incidents[0].others == {"sfhn"}
    # resolved to one of the listed towns: that incident keeps the resolved place
    listed = report("e2", "Clashes erupted in Saraqib and Binnish on Sunday.", "Clashes", SARAQIB)
    first, second = incidents_of(listed)
    assert first.event.place == SARAQIB and first.primary
    assert second.event.place is not None and second.event.place.name == "Binnish"
    assert second.event.place.span is not None and second.event.place.span.text == "Binnish"


def test_unsure_lists_are_not_split() -> None:
    # resolved to a town the list does not name: where the listed places are is unsure
    elsewhere = report("e1", "Clashes in Kafr Nabl and Maarat left 3 dead.", "Clashes", SARAQIB)
    assert names(elsewhere) == ["Kafr Nabl", "Maarat"] and incidents_of(elsewhere) == []
    # parts of one city: one shelling of the city, as ACLED places it
    parts = report("e2", "Shelling hit Sakhour and Hanano districts.", "hit", SAKHOUR)
    assert incidents_of(parts) == []


def test_a_report_of_two_incidents_links_each_to_its_own_event() -> None:
    stage = LinkStage(LinkConfig(), {})
    both = report("e1", "Regime forces shelled Kansafra and Sfuhen in Idlib province.", "shelled")
    outcome = stage.process(both)
    kansafra, sfuhen = outcome.every()
    assert kansafra.linked.event_id == "e1.1" and sfuhen.linked.event_id == "e1.2"
    for one, n in ((kansafra, 1), (sfuhen, 2)):
        assert one.mention is not None
        assert one.mention.report_id == "e1" and one.mention.incidents == 2
        assert one.mention.mention_id == f"e1.{n}" == one.mention.event.event_id
    # a later report of one village joins that village's event, not the other's
    later = report("e2", "Regime forces shelled Sfuhen in Idlib province.", "shelled")
    joined = stage.process(later)
    assert joined.linked.event_id == "e1.2" and not joined.incidents
    assert joined.mention is not None and joined.mention.report_id is None
    other = report("e3", "Regime forces shelled Fakkeh in Idlib province.", "shelled")
    assert stage.process(other).kind == "new"
    # a redelivery changes nothing and gives the same records back
    again = stage.process(both)
    assert [o.kind for o in again.every()] == ["repeat", "repeat"]
    assert [o.mention.mention_id for o in again.every() if o.mention] == ["e1.1", "e1.2"]


def test_a_toll_given_for_all_incidents_is_no_incidents_own() -> None:
    stage = LinkStage(LinkConfig(), {})
    day = datetime(2016, 11, 29, 14, tzinfo=UTC)
    both = report(
        "e1", "Shelling of Kansafra and Sfuhen in Idlib province killed 5 soldiers.", "Shelling"
    )
    stage.process(both)
    one = said(
        strike("e2", IDLIB_PROVINCE, article="e2", published=day),
        "Shelling of Sfuhen in Idlib province killed 2 soldiers.",
        "Shelling",
    )
    assert stage.process(one).linked.event_id == "e1.2"


def test_the_identity_eval_takes_the_incident_at_the_rows_location() -> None:
    from evaluation.acled_identity import _at_location

    both = report("e1", "Airstrikes hit Chawkay and Narang Wa Badil districts, Kunar.", "hit")
    outcomes = LinkStage(LinkConfig(), {}).process(both).every()
    assert _at_location(outcomes, "Kuz Narang") is outcomes[1]  # a word in common
    assert _at_location(outcomes, "Chawkay") is outcomes[0]
    assert _at_location(outcomes, "Asadabad") is None


def test_a_town_from_the_dateline_gives_way_to_the_list() -> None:
    from schemas import Span

    mogadishu = Place(
        name="MOGADISHU", geo_precision=1, confidence=0.35, latitude=2.04, longitude=45.34,
        country_code="SO", geonameid=53654, gazetteer="geonames",
        span=Span(text="MOGADISHU", start=0, end=9),
    )  # fmt: skip
    event = report("e1", "Fighters attacked bases in Awdheegle, Bariire and Sabiid.", "attacked")
    event = event.derive(
        place=mogadishu,
        sentence=event.sentence.derive(start=21, end=21 + len(event.sentence.text)),
        trigger=event.trigger.derive(start=event.trigger.start + 21, end=event.trigger.end + 21),
    )
    places = [i.event.place for i in incidents_of(event)]
    # each listed village, placed only in the country (its name kept), none at Mogadishu
    assert [(p.name, p.geo_precision, p.country_code) for p in places if p] == [
        ("Awdheegle", 4, "SO"),
        ("Bariire", 4, "SO"),
        ("Sabiid", 4, "SO"),
    ]


def test_a_list_of_regions_is_one_incident_each() -> None:
    # "in Kandahar and Zabul provinces": ACLED codes one event in each province
    both = report("e1", "Clashes in Hama and Idlib provinces left 13 dead.", "Clashes")
    assert [(i.name, i.region) for i in listed_places(both)] == [("Hama", True), ("Idlib", True)]
    hama, idlib = incidents_of(both)
    assert idlib.primary and idlib.event.place == IDLIB_PROVINCE  # the event's own province
    where = hama.event.place
    assert where is not None and (where.name, where.geo_precision, where.admin1) == (
        "Hama",
        3,
        "Hama",
    )


def test_lists_joined_by_as_well_as_and_names_with_particles() -> None:
    # round 15: "as well as" joins a list as "and" does, and the list may go on after it
    joined = report(
        "e1", "Clashes in Gwarsha as well as Suq Al-Hout and Sabri left 4 dead.", "Clashes"
    )
    assert names(joined) == ["Gwarsha", "Suq Al-Hout", "Sabri"]
    last = report("e2", "Clashes in Gwarsha as well as Sabri left 4 dead.", "Clashes")
    assert names(last) == ["Gwarsha", "Sabri"]
    # a lower-case particle between two capitalised words is part of the name
    particle = report("e3", "Clashes in Dara i Pech district and Asadabad city, Kunar.", "Clashes")
    assert names(particle) == ["Dara i Pech", "Asadabad"]
    english = report("e4", "Clashes in Gwarsha at Night left 4 dead.", "Clashes")
    assert names(english) == []


def test_the_resolved_place_stays_in_its_list_whatever_the_parse() -> None:
    # the parse took "Lohardaga" for the target; it is the event's own town, one of the list
    lohardaga = Place(
        name="Lohardaga", geo_precision=1, confidence=0.8, country_code="IN",
        latitude=23.43, longitude=84.68,
    )  # fmt: skip
    misread = Actor(
        name="Lohardaga", normalized="Lohardaga", type="civilians", confidence=0.5,
        country="IND", cameo="INDCVL",
    )  # fmt: skip
    sentence = "In districts like West Singhbhum, Lohardaga, Dhanbad and Bokaro, workers organized."
    event = said(strike("e1", lohardaga, article="e1", actor2=misread), sentence, "organized")
    assert names(event) == ["West Singhbhum", "Lohardaga", "Dhanbad", "Bokaro"]
    split = incidents_of(event)
    assert [i.event.place.name for i in split if i.event.place] == [
        "West Singhbhum", "Lohardaga", "Dhanbad", "Bokaro",
    ]  # fmt: skip
    assert [i.primary for i in split] == [False, True, False, False]


def test_the_identity_eval_tells_a_text_naming_one_place_for_several_rows() -> None:
    from evaluation.acled_identity import names_locations

    nato = "NATO aircraft hit Gaddafi positions. No causality list provided."
    assert names_locations(nato, ["Sabha", "Surman", "Zlitan"]) == 0  # no reader can split it
    listed = "Mutinies were reported in Tenkodogo, Kaya, Dori and Dedougou."
    assert names_locations(listed, ["Dedougou", "Dori", "Dori"]) == 2
    parts = "Clashes in Dih Bala (Hasakamina), Khogyani and Sherzad districts."
    assert names_locations(parts, ["Dih Bala", "Kaga"]) == 1
