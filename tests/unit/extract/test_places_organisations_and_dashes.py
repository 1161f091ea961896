"""Round 15 place rules: a national organisation says the story's country, a spaced dash
separates a town from its quarter, and two names of several countries each point to the one
country they share. Sentences written for these tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import spacy

from pipeline.extract import Extraction
from pipeline.extract.actor_areas import load_actor_areas

Extract = Callable[..., Extraction]


def _place(x: Extraction) -> tuple[str | None, int, str | None] | None:
    event = next(e for e in x.events if e.factual)
    p = event.place
    return (p.country_code, p.geo_precision, p.span.text if p.span else None) if p else None


def test_organisations_are_read_as_groups_of_one_country() -> None:
    areas = load_actor_areas()
    assert ("CHADEMA",) in {name for entries in areas.by_first.values() for name, _ in entries}
    assert dict(areas.by_first["CHADEMA"])[("CHADEMA",)] == ("TZ",)


@pytest.mark.model
def test_a_national_party_gives_the_country_when_no_place_is_named(extract: Extract) -> None:
    x = extract("CHADEMA supporters protested outside the district offices on Monday.")
    assert _place(x) == ("TZ", 4, "CHADEMA")


@pytest.mark.model
def test_a_party_both_dictionaries_know_says_its_country(extract: Extract) -> None:
    x = extract("ZANU-PF youths assaulted three villagers at a rally on Sunday.")
    place = _place(x)
    assert place is not None and place[0] == "ZW"


@pytest.mark.model
def test_a_spaced_dash_separates_a_town_from_its_quarter(extract: Extract) -> None:
    x = extract("Gunmen attacked residents in Kenscoff - Furcy, Ouest, on Monday.")
    event = next(e for e in x.events if e.factual)
    assert event.place is not None
    assert (event.place.name, event.place.country_code, event.place.geo_precision) == (
        "Kenscoff",
        "HT",
        1,
    )


@pytest.mark.model
def test_a_hyphen_inside_a_name_still_joins_it(extract: Extract) -> None:
    x = extract("Gunmen attacked residents in Croix-des-Bouquets on Monday.")
    event = next(e for e in x.events if e.factual)
    assert event.place is not None and event.place.country_code == "HT"


@pytest.mark.model
def test_two_names_of_several_countries_point_to_the_one_they_share(extract: Extract) -> None:
    # "Nord" is a unit of France, Haiti, Burkina Faso, ...; "Milot" a town of Haiti and Albania
    x = extract(
        "Police clashed with gang members in Morne Kabrit, Nord. Another clash took place in Milot."
    )
    place = _place(x)
    assert place is not None and place[0] == "HT"


@pytest.mark.model
def test_nationalities_joined_before_an_army_noun_are_all_armies(extract: Extract) -> None:
    # "Malian and French forces": French qualifies the forces as Malian does; neither says where
    x = extract("Malian and French forces recaptured the town on Tuesday.")
    place = _place(x)
    assert place is None or place[0] != "FR"


@pytest.mark.model
def test_a_nationality_outside_the_named_groups_areas_says_nothing(extract: Extract) -> None:
    x = extract(
        "On May 3, French Barkhane forces carried out a combined air-ground operation against "
        "presumed ISGS militants near Inazolan."
    )
    place = _place(x)
    assert place is None or place[0] != "FR"


def test_an_acronym_dashed_to_more_capitals_is_another_groups() -> None:
    nlp = spacy.blank("en")
    areas = load_actor_areas()

    def found(text: str) -> list[tuple[str, tuple[str, ...]]]:
        return [(s.text, c) for s, c in areas.find(nlp(text))]

    assert found("The NDC-R militia clashed with a rival faction.") == []
    assert found("NDC supporters marched to the stadium.") == [("NDC", ("GH",))]
    assert found("JNIM-affiliated militants attacked a checkpoint.") == [
        ("JNIM", ("ML", "BF", "NE"))
    ]


@pytest.mark.model
def test_the_name_before_a_spaced_dash_is_the_wider_place(extract: Extract) -> None:
    # Rampura is also a town of India; after "Dhaka -" it is the Dhaka quarter
    x = extract("Students clashed with police forces in Dhaka - Rampura on Sunday.")
    place = _place(x)
    assert place is not None and place[0] == "BD"
