"""Linking keeps ACLED's unit: a resolved town counts as a named place, placeless mentions need
one named actor and a common toll, and mentions whose victims are all of other kinds are
different incidents."""

from __future__ import annotations

from pipeline.link import LinkConfig, LinkStage
from pipeline.link.facts import targets_of
from schemas import Event, Place
from tests.unit.link.factory import (
    HTS,
    IDLIB_PROVINCE,
    PROTESTERS,
    SARAQIB,
    protest,
    strike,
)
from tests.unit.link.test_link_spots import said

KANSAFRA = Place(
    name="Kansafra", geo_precision=1, confidence=0.9, latitude=35.6, longitude=36.5,
    country_code="SY", gazetteer="geonames", geonameid=170000,
)  # fmt: skip


def test_a_resolved_town_and_another_place_named_in_a_province_are_two_incidents() -> None:
    stage = LinkStage(LinkConfig(), {})
    town = said(strike("e1", KANSAFRA, article="a1"), "Jets hit Kansafra.", "hit")
    other = said(
        strike("e2", IDLIB_PROVINCE, article="a2"), "Jets hit Sfuhen in Idlib province.", "hit"
    )
    same = said(
        strike("e3", IDLIB_PROVINCE, article="a3"), "Jets hit Kansafra in Idlib province.", "hit"
    )
    first = stage.process(town).linked.event_id
    assert stage.process(other).linked.event_id != first
    assert stage.process(same).linked.event_id == first


def test_placeless_mentions_link_only_through_one_named_actor() -> None:
    stage = LinkStage(LinkConfig(), {})
    crowd = [
        said(protest(f"p{i}", "2017-02-01", place=None, actor1=PROTESTERS, article=f"a{i}"),
             "Protesters marched.", "marched")
        for i in range(2)
    ]  # fmt: skip
    ids = [stage.process(e).linked.event_id for e in crowd]
    assert ids[0] != ids[1]  # "protesters" is a role, not an actor: two crowds
    named = [
        said(protest(f"n{i}", "2017-02-01", place=None, actor1=HTS, article=f"b{i}"),
             "Nusra Front marched.", "marched")
        for i in range(2)
    ]  # fmt: skip
    ids = [stage.process(e).linked.event_id for e in named]
    # round 15: one named actor acts in many places a day ("NATO strikes hit the following
    # targets: ..." on five ACLED rows); without a place only a common toll says one incident
    assert ids[0] != ids[1]
    tolls = [
        said(strike(f"t{i}", None, actor1=HTS, article=f"c{i}"),  # type: ignore[arg-type]
             f"Nusra Front attacked, killing {n} soldiers.", "attacked")
        for i, n in enumerate((4, 4, 2))
    ]  # fmt: skip
    ids = [stage.process(e).linked.event_id for e in tolls]
    assert ids[0] == ids[1] != ids[2]


def _attack(event_id: str, sentence: str, trigger: str) -> Event:
    return said(strike(event_id, SARAQIB, article=event_id), sentence, trigger)


def test_victims_of_other_kinds_are_another_incident() -> None:
    soldiers = _attack("e1", "Militants attacked a post, killing 4 soldiers.", "attacked")
    arbaki = _attack("e2", "Militants attacked and killed 1 Arbaki.", "attacked")
    troops = _attack("e3", "Four soldiers were killed when militants attacked.", "attacked")
    people = _attack("e4", "Militants attacked, killing 12 people.", "attacked")
    assert targets_of(soldiers) == {"military"}
    assert targets_of(arbaki) == {"local_militia"}
    assert targets_of(troops) == {"military"}
    assert targets_of(people) == frozenset()  # "people" says nothing
    stage = LinkStage(LinkConfig(), {})
    first = stage.process(soldiers).linked.event_id
    assert stage.process(arbaki).linked.event_id != first
    assert stage.process(troops).linked.event_id == first
    assert stage.process(people).linked.event_id == first


def test_victims_before_a_passive_outcome_are_read_before_it() -> None:
    passive = _attack("e5", "3 soldiers were killed and 2 were wounded in attacks.", "attacks")
    assert targets_of(passive) == {"military"}
    at_least = _attack("e6", "Militants attacked, killing at least 3 soldiers.", "attacked")
    assert targets_of(at_least) == {"military"}


def test_a_province_does_not_contain_a_place_of_another_province() -> None:
    from pipeline.link.compare import compare_places
    from pipeline.link.facts import place_key

    region = Place(
        name="Mirzaka", geo_precision=3, confidence=0.8, latitude=33.3, longitude=69.4,
        country_code="AF", admin1="Paktiya",
    )  # fmt: skip
    village = Place(
        name="Deh-e Afghanan", geo_precision=2, confidence=0.8, latitude=33.4, longitude=69.3,
        country_code="AF", admin1="Wardak", parent="Maidan Shar",
    )  # fmt: skip
    inside = Place(
        name="Deh-e Afghanan", geo_precision=2, confidence=0.8, latitude=33.4, longitude=69.3,
        country_code="AF", admin1="Paktiya", parent="Maidan Shar",
    )  # fmt: skip
    config = LinkConfig()
    assert compare_places(place_key(region), place_key(village), config) is None
    assert compare_places(place_key(region), place_key(inside), config) is not None
