"""Compatibility of places, actors and dates (the rules in pipeline/link/compare.py)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from pipeline.link.compare import compare_actors, compare_dates, compare_places
from pipeline.link.config import LinkConfig
from pipeline.link.facts import DateRange, actor_key, place_key
from schemas import Actor, Place
from tests.unit.link.factory import (
    ALEPPO,
    ALEPPO_PROVINCE,
    ARMY_AND_ALLIES,
    BINNISH,
    CIVILIANS,
    HTS,
    IDLIB_PROVINCE,
    ISLAMIC_STATE,
    JABAL_BADRO,
    MILITANTS,
    NEAR_SARAQIB,
    PEOPLE,
    PROTESTERS,
    REBELS,
    RUSSIAN_AIR_FORCE,
    SAKHOUR,
    SARAQIB,
    SYRIA,
    SYRIAN_AIR_FORCE,
    SYRIAN_ARMY,
    UNKNOWN_ORG,
)

CONFIG = LinkConfig()
HOMS = Place(
    name="Homs",
    geo_precision=1,
    confidence=0.9,
    latitude=34.72682,
    longitude=36.72339,
    country_code="SY",
    geonameid=169577,
)


def places(a: Place | None, b: Place | None) -> str | None:
    found = compare_places(place_key(a), place_key(b), CONFIG)
    return None if found is None else found.basis


def actors(a: Actor | None, b: Actor | None) -> str | None:
    found = compare_actors(actor_key(a), actor_key(b), CONFIG)
    return None if found is None else found.basis


@pytest.mark.parametrize(
    ("a", "b", "basis"),
    [
        (SAKHOUR, SAKHOUR.derive(name="al-Sakhour"), "same place"),
        (ALEPPO, ALEPPO.derive(name="ALEPPO"), "same place"),
        (ALEPPO, ALEPPO.derive(name="Halab"), "same place"),  # one GeoNames city
        (SAKHOUR, ALEPPO, "place contained"),
        (ALEPPO, SAKHOUR, "place contained"),
        (SAKHOUR, JABAL_BADRO, None),  # two parts of one city, same coordinates
        (SARAQIB, BINNISH, None),  # two towns 13 km apart
        (NEAR_SARAQIB, SARAQIB, "place within 1 km"),
        (NEAR_SARAQIB, BINNISH, "place within 14 km"),
        (IDLIB_PROVINCE, SARAQIB, "region contains place"),  # 17 km from Idlib city
        # admin1 unknown: a province holds what lies within region_km (100) of its capital, so
        # Saraqib (48 km from Aleppo, in Idlib governorate) is taken for part of Aleppo's
        (ALEPPO_PROVINCE, SARAQIB, "region contains place"),
        (ALEPPO_PROVINCE, HOMS, None),  # 160 km
        (ALEPPO_PROVINCE, SAKHOUR, "region contains place"),
        (IDLIB_PROVINCE, ALEPPO_PROVINCE, None),
        (SYRIA, SAKHOUR, "country contains place"),
        (None, SAKHOUR, "place unknown"),
    ],
)
def test_places(a: Place | None, b: Place | None, basis: str | None) -> None:
    assert places(a, b) == basis
    assert places(b, a) == basis


def test_distance_rule_is_configurable() -> None:
    near = compare_places(place_key(NEAR_SARAQIB), place_key(BINNISH), LinkConfig(max_km=10))
    assert near is None


@pytest.mark.parametrize(
    ("a", "b", "basis"),
    [
        (SYRIAN_ARMY, SYRIAN_ARMY.derive(name="the army"), "same actor"),
        (SYRIAN_ARMY, ARMY_AND_ALLIES, "actors overlap"),
        (SYRIAN_ARMY, SYRIAN_AIR_FORCE, "same actor code"),  # both SYRMIL
        (REBELS, HTS, "same actor code"),  # SYRREB ~ SYRREBNUS
        (MILITANTS, ISLAMIC_STATE, "same kind of actor"),  # a role, and a named group
        (ISLAMIC_STATE, HTS, None),  # two named groups
        (SYRIAN_AIR_FORCE, RUSSIAN_AIR_FORCE, None),
        (REBELS, CIVILIANS, None),
        (PROTESTERS, PEOPLE, "alike actors"),  # compatible.yaml
        (UNKNOWN_ORG, SYRIAN_ARMY, "actor unknown"),  # not in the dictionary: unknown
        (None, REBELS, "actor unknown"),
    ],
)
def test_actors(a: Actor | None, b: Actor | None, basis: str | None) -> None:
    assert actors(a, b) == basis
    assert actors(b, a) == basis


def test_a_country_is_its_state_not_its_rebels() -> None:
    syria = Actor(name="Syria", normalized="Syria", type="country", confidence=0.8, cameo="SYR")
    assert actors(syria, SYRIAN_ARMY) == "state of the country"
    assert actors(syria, REBELS) is None


def _days(start: str, end: str, precision: str = "day", explicit: bool = True) -> DateRange:
    return DateRange(date.fromisoformat(start), date.fromisoformat(end), precision, explicit)


def test_dates() -> None:
    sunday = _days("2016-11-27", "2016-11-27")
    assert compare_dates(sunday, sunday, CONFIG) is not None
    assert compare_dates(sunday, _days("2016-11-28", "2016-11-28"), CONFIG) is None
    november = _days("2016-11-01", "2016-11-28", "month")
    assert compare_dates(sunday, november, CONFIG) is not None
    assert compare_dates(_days("2016-12-01", "2016-12-01"), november, CONFIG) is None
    slack = LinkConfig(day_slack=timedelta(days=1))
    assert compare_dates(sunday, _days("2016-11-28", "2016-11-28"), slack) is not None
