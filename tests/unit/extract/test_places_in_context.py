"""Which place an event takes when the words around a name decide it: a currency's country holds
no unknown place, a group's name or acronym says no country, a region word asks for the unit, the
other places of the text pick a city's namesake, and a unit's parents in parentheses end a chain."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pipeline.extract import Extraction
from schemas.events import Event

Extract = Callable[..., Extraction]

pytestmark = pytest.mark.model


def _event(x: Extraction, trigger: str) -> Event:
    return next(e for e in x.events if e.trigger.text == trigger)


def test_a_currencys_country_holds_no_unknown_road(extract: Extract) -> None:
    x = extract(
        "On 20 November, protesters angry at the high US dollar exchange rate blocked the "
        "Zahrani Kfour road with burning tyres."
    )
    place = _event(x, "blocked").place
    assert place is None or place.country_code != "US"


def test_a_group_in_a_place_names_no_country_of_its_own(extract: Extract) -> None:
    # "Shabaab" is also a village in Iran: the group's name is no evidence of Iran
    x = extract("Soldiers killed three members of al Shabaab in Gatitu Kundu on Friday.")
    place = _event(x, "killed").place
    assert place is None or place.country_code != "IR"


def test_an_acronym_in_parentheses_is_a_group_not_a_country(extract: Extract) -> None:
    x = extract(
        "Police detained 12 members of the Harare Youth Arise (BUYA) movement who marched on "
        "Tuesday."
    )
    for event in x.events:
        assert event.place is None or event.place.country_code != "CM"


def test_a_region_word_asks_for_the_unit_not_the_town(extract: Extract) -> None:
    # Gedo is a Somali region and an Ethiopian town of the city gazetteer
    x = extract("Kenyan jets bombed al Shabaab bases in Gedo region on Sunday.")
    place = _event(x, "bombed").place
    assert place is not None
    assert (place.country_code, place.geo_precision) == ("SO", 3)
    assert place.geonameid is not None and place.span is not None
    assert place.span.text == "Gedo"


def test_the_texts_other_places_pick_a_citys_namesake(extract: Extract) -> None:
    x = extract("Protesters marched from Tripoli to Beirut on Monday to demand jobs.")
    place = _event(x, "marched").place
    assert place is not None and place.country_code == "LB"
    alone = extract("Protesters gathered in Tripoli on Monday to demand jobs.")
    place = _event(alone, "gathered").place
    assert place is not None and place.country_code == "LY"  # a name alone keeps its reading


def test_a_units_parents_in_parentheses_end_the_chain(extract: Extract) -> None:
    # "Sonakandi" is also a village in India: the chain "(Narsingdi, Dhaka)" says Bangladesh
    x = extract(
        "Supporters of two groups clashed with machetes in Sonakandi village, Raipura upazila "
        "(Narsingdi, Dhaka), on Thursday."
    )
    place = _event(x, "clashed").place
    assert place is not None
    assert place.country_code == "BD"
    assert place.span is not None and place.span.text == "Sonakandi"


def test_a_former_province_with_its_region_word_is_kenyas(extract: Extract) -> None:
    x = extract("Police shot dead five protesters in Nyanza region on Monday.")
    place = next(e for e in x.events if e.factual).place
    assert place is not None
    assert (place.country_code, place.geo_precision) == ("KE", 3)


def test_a_province_after_an_alias_in_parentheses_is_the_parent(extract: Extract) -> None:
    # "Khost" is the province here, not the city: the event stays in the district
    x = extract("Taliban militants attacked a checkpoint in Shamal (Do Mando) district, Khost.")
    place = _event(x, "attacked").place
    assert place is not None
    assert (place.country_code, place.geo_precision) == ("AF", 2)
    assert place.span is not None and place.span.text == "Shamal"


def test_a_district_named_first_holds_the_next_sentence(extract: Extract) -> None:
    x = extract(
        "Two factions clashed with sticks in Bauphal upazila (Patuakhali, Barisal) on Friday. "
        "At least 30 people were injured in the clash."
    )
    place = _event(x, "injured").place
    assert place is not None
    assert (place.country_code, place.geo_precision) == ("BD", 2)


def test_a_reference_point_is_not_the_events_place(extract: Extract) -> None:
    x = extract("Coalition jets struck Sirwah district west of Marib city on Sunday.")
    place = _event(x, "struck").place
    assert place is not None and place.span is not None
    assert place.span.text == "Sirwah"


def test_a_name_of_one_record_in_the_storys_country_places_the_event(extract: Extract) -> None:
    # NER takes "Kherson" for an organisation: the story's country (Ukraine, by the name's
    # records) places it at its one Ukrainian record, not at the country
    x = extract("Russian forces fired mortars and artillery at Kherson on Monday.")
    place = next(e for e in x.events if e.factual).place
    assert place is not None
    assert (place.country_code, place.geo_precision) == ("UA", 1)
    assert place.geonameid is not None
