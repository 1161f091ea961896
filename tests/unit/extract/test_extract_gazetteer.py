"""The gazetteer and its spaCy component, on a blank pipeline (no model)."""

from __future__ import annotations

import pytest
import spacy

from pipeline.extract.gazetteer import (
    COMPONENT,
    SPANS_KEY,
    Gazetteer,
    add_gazetteer,
    fold,
    load_gazetteer,
)


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return load_gazetteer()


def test_geonames_and_project_places(gazetteer: Gazetteer) -> None:
    (aleppo,) = gazetteer.lookup("Aleppo")
    assert (aleppo.kind, aleppo.country, aleppo.geonameid) == ("city", "SY", 170063)
    assert abs(aleppo.latitude - 36.20) < 0.01 and abs(aleppo.longitude - 37.16) < 0.01  # type: ignore[operator]
    (sakhour,) = gazetteer.lookup("Sakhour")
    assert (
        sakhour.kind == "neighbourhood"
        and sakhour.parent == "Aleppo"
        and sakhour.geo_precision == 2
    )
    assert (sakhour.latitude, sakhour.longitude) == (aleppo.latitude, aleppo.longitude)
    (syria,) = gazetteer.lookup("Syria")
    assert syria.kind == "country" and syria.geo_precision == 4 and syria.latitude is None
    assert gazetteer.iso3["SY"] == "SYR"
    # spellings: an ASCII fold and an alternate name of a big city
    assert fold("Ḩamāh") == "Hamah"
    assert any(p.country == "SY" for p in gazetteer.lookup("Hama"))
    # namesakes are all kept; context chooses later
    assert {p.country for p in gazetteer.lookup("Tripoli")} >= {"LY", "LB"}


def test_component_marks_places_on_a_blank_pipeline(gazetteer: Gazetteer) -> None:
    nlp = spacy.blank("en")
    add_gazetteer(nlp, gazetteer)
    assert nlp.pipe_names == [COMPONENT]
    doc = nlp(
        "DAMASCUS, Syria - Fighting in Deir ez-Zor and Jabal Badro spread to the outskirts of Homs."
    )
    assert [s.text for s in doc.spans[SPANS_KEY]] == [
        "DAMASCUS",
        "Syria",
        "Deir ez-Zor",
        "Jabal Badro",
        "Homs",
    ]


def test_component_prefers_the_longest_name(gazetteer: Gazetteer) -> None:
    nlp = spacy.blank("en")
    add_gazetteer(nlp, gazetteer)
    doc = nlp("Clashes near Masaken Hanano and in New York.")
    assert [s.text for s in doc.spans[SPANS_KEY]] == ["Masaken Hanano", "New York"]


def test_component_is_case_sensitive(gazetteer: Gazetteer) -> None:
    nlp = spacy.blank("en")
    add_gazetteer(nlp, gazetteer)
    doc = nlp("the police said the march in nice weather was calm")
    assert list(doc.spans[SPANS_KEY]) == []


def test_adding_twice_replaces_the_component(gazetteer: Gazetteer) -> None:
    nlp = spacy.blank("en")
    add_gazetteer(nlp, gazetteer)
    add_gazetteer(nlp, gazetteer)
    assert nlp.pipe_names == [COMPONENT]


def test_us_states_are_regions_that_yield_to_a_country_or_city(gazetteer: Gazetteer) -> None:
    indiana = gazetteer.find("Indiana")
    assert indiana is not None and (indiana.kind, indiana.country) == ("admin1", "US")
    assert indiana.geo_precision == 3 and indiana.latitude is not None
    georgia = gazetteer.find("Georgia")
    assert georgia is not None and georgia.kind == "country"  # the state has no population


def test_other_names_of_countries_are_places(gazetteer: Gazetteer) -> None:
    for name, iso2 in (("Britain", "GB"), ("US", "US"), ("East Timor", "TL"), ("Burma", "MM")):
        place = gazetteer.find(name)
        assert place is not None and (place.kind, place.country) == ("country", iso2), name
    west_bank = gazetteer.find("West Bank")
    assert west_bank is not None and west_bank.kind == "region"  # a place of its own stays


def test_an_ambiguous_country_alias_is_no_place(gazetteer: Gazetteer) -> None:
    # "America" ends "Latin America" and "South America" more often than it names the US
    place = gazetteer.find("America")
    assert place is None or place.kind != "country"
