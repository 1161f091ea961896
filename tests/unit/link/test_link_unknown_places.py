"""Round 12 linking rules: places the gazetteer does not know, placed only at their country,
keep their names; countries name no incident's place; short names keep their vowels."""

from __future__ import annotations

from pipeline.link import LinkConfig, LinkStage
from pipeline.link.facts import spots_of
from schemas import Actor, Event, Place
from tests.unit.link.factory import strike
from tests.unit.link.test_link_spots import said

RUSSIAN_ARMY = Actor(
    name="Russian forces", normalized="Russian army", type="state_military", confidence=0.8,
    country="RUS", cameo="RUSMIL",
)  # fmt: skip


def unknown(name: str) -> Place:
    """A village the gazetteer does not know, placed at its country (as the extractor does)."""
    return Place(
        name=name, geo_precision=4, confidence=0.56, country_code="UA", geonameid=690791,
        gazetteer="none",
    )  # fmt: skip


VIROLIUBIVKA = Place(
    name="Viroliubivka", geo_precision=1, confidence=0.9, latitude=48.4, longitude=37.7,
    country_code="UA", admin1="Donetska oblast", geonameid=700001, gazetteer="geonames",
)  # fmt: skip
UKRAINE = Place(
    name="Ukraine", geo_precision=4, confidence=0.9, country_code="UA", geonameid=690791,
    gazetteer="none",
)  # fmt: skip


def shelled(event_id: str, place: Place, sentence: str) -> Event:
    event = strike(event_id, place, article=event_id, actor1=RUSSIAN_ARMY, actor2=None)
    return said(event, sentence, "shelled")


def test_a_village_placed_at_its_country_keeps_its_name() -> None:
    vodyane = shelled("e1", unknown("Vodyane"), "Russian forces shelled Vodyane, Donetsk.")
    assert spots_of(vodyane) == {"vdn"}
    # a country is no incident's place, resolved or not
    country = shelled("e2", UKRAINE, "Russian forces shelled positions in Ukraine.")
    assert spots_of(country) == frozenset()
    named = shelled("e3", VIROLIUBIVKA, "Russian forces shelled Viroliubivka in Burkina Faso.")
    assert spots_of(named) == frozenset()


def test_villages_placed_at_their_country_are_not_any_town_of_it() -> None:
    stage = LinkStage(LinkConfig(), {})
    town = stage.process(
        shelled("e1", VIROLIUBIVKA, "Russian forces shelled Viroliubivka, Donetsk.")
    ).linked.event_id
    village = shelled("e2", unknown("Vodyane"), "Russian forces shelled Vodyane, Donetsk.")
    other = shelled("e3", unknown("Stepove"), "Russian forces shelled near Stepove.")
    again = shelled("e4", unknown("Vodyane"), "Russian artillery shelled Vodyane.")
    first_village = stage.process(village).linked.event_id
    assert first_village != town
    assert stage.process(other).linked.event_id not in {town, first_village}
    assert stage.process(again).linked.event_id == first_village


def test_short_names_keep_their_vowels() -> None:
    # "Taate" has one consonant: its name key alone would be dropped as too short
    event = said(
        strike("e1", unknown("Koglweogo"), actor2=None),
        "The Koglweogo killed 15 members of the community in the hamlet of Taate.",
        "killed",
    )
    assert spots_of(event) == {"tate"}


ZAMBIA = Place(
    name="Zambia", geo_precision=4, confidence=0.9, country_code="ZM", geonameid=895949,
    gazetteer="none",
)  # fmt: skip
KABWE = Place(
    name="Kabwe", geo_precision=1, confidence=0.9, latitude=-14.44, longitude=28.45,
    country_code="ZM", geonameid=909137, gazetteer="geonames",
)  # fmt: skip
WORKERS = Actor(
    name="workers", normalized="civilians", type="civilians", confidence=0.6, country="ZMB",
    cameo="ZMBCVL",
)  # fmt: skip


def _strike_action(event_id: str, place: Place, sentence: str, trigger: str) -> Event:
    event = strike(
        event_id, place, article=event_id, actor1=WORKERS, actor2=None,
        event_type="Protests", sub_event_type="Peaceful protest", cameo_code="141",
    )  # fmt: skip
    return said(event, sentence, trigger)


def test_a_mention_placed_only_in_the_country_needs_a_named_actor_and_a_toll_to_join() -> None:
    stage = LinkStage(LinkConfig(), {})
    town = stage.process(
        _strike_action("e1", KABWE, "Zalco factory workers in Kabwe strike over pay.", "strike")
    ).linked.event_id
    country = _strike_action(
        "e2", ZAMBIA, "University of Zambia workers go on strike over pay.", "go on"
    )
    other = stage.process(country).linked.event_id
    assert other != town  # "workers" is a role: the country alone does not join them
    again = _strike_action("e3", ZAMBIA, "Workers went on strike over pay.", "went on")
    assert stage.process(again).linked.event_id not in {town, other}
    # one named actor with a toll in common does: the Russian army's shelling "in Ukraine" that
    # killed 2 civilians may be its shelling of a town that killed 2 civilians; without the toll
    # it may be any of the towns the army shelled that day (round 15)
    army = LinkStage(LinkConfig(), {})
    first = army.process(
        shelled("r1", VIROLIUBIVKA, "Russian forces shelled Viroliubivka, killing 2 civilians.")
    ).linked.event_id
    vague = shelled("r2", UKRAINE, "Russian forces shelled positions in Ukraine.")
    assert army.process(vague).linked.event_id != first
    toll = shelled("r3", UKRAINE, "Russian forces shelled Ukraine, killing 2 civilians.")
    assert army.process(toll).linked.event_id == first


def test_a_province_spelt_with_its_kind_is_the_same_province() -> None:
    from pipeline.link.compare import compare_places
    from pipeline.link.facts import admin_key, place_key

    assert admin_key("Donetska oblast") == admin_key("Donetsk") == "dntsk"
    region = Place(
        name="Donetsk region", geo_precision=3, confidence=0.9, latitude=48.0, longitude=37.8,
        country_code="UA", admin1="Donetsk", parent="Donetsk",
    )  # fmt: skip
    village = Place(
        name="Vodyane", geo_precision=2, confidence=0.7, latitude=48.0, longitude=37.8,
        country_code="UA", admin1="Donetska oblast", parent="Donetsk",
    )  # fmt: skip
    assert compare_places(place_key(region), place_key(village), LinkConfig()) is not None
