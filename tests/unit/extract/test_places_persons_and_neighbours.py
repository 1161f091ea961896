"""Round 16 place rules: a titled person's name is no place; a feature word inside a person's
name makes none; a numbered quarter NER reads as a date is still a place; a people of several
countries does not silence the nationality of a man the story names; an army deployed abroad
is no country of its own. Sentences written for these tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pipeline.extract import Extraction, Extractor
from pipeline.extract.actor_areas import load_actor_areas

Extract = Callable[..., Extraction]


def _place(x: Extraction) -> tuple[str | None, str | None, int] | None:
    event = next(e for e in x.events if e.factual)
    p = event.place
    return (p.name, p.country_code, p.geo_precision) if p else None


def _places(extractor: Extractor, text: str) -> set[str]:
    """The place names the extractor reads in ``text`` (whatever NER labels them)."""
    return {m.text for m in extractor._analyse(extractor.nlp(text)).places}


def test_only_the_areas_section_lists_armed_groups() -> None:
    areas = load_actor_areas()
    assert ("JNIM",) in areas.armed
    assert ("Somali",) not in areas.armed  # a people
    assert ("CHADEMA",) not in areas.armed  # a party


@pytest.mark.model
def test_a_titled_name_is_a_person_not_a_place(extract: Extract, extractor: Extractor) -> None:
    text = (
        "Police arrested five teenagers over the machete attack on Mr Anand, the court heard. "
        "Ms Anand said the family was relieved."
    )
    assert "Anand" not in _places(extractor, text)
    assert all(e.place is None or e.place.country_code != "IN" for e in extract(text).events)


@pytest.mark.model
def test_a_titled_name_is_a_person_at_its_other_uses_too(extractor: Extractor) -> None:
    text = (
        "Saurabh Anand met the minister on Monday. Mr Anand said he was grateful, and Anand "
        "thanked the community."
    )
    assert "Anand" not in _places(extractor, text)


@pytest.mark.model
def test_a_titled_name_framed_as_a_place_stays_a_place(extract: Extract) -> None:
    x = extract("Mr Patel said protesters blocked a highway in Anand on Monday.")
    place = _place(x)
    assert place is not None and place[:2] == ("Anand", "IN")


@pytest.mark.model
def test_a_feature_word_inside_a_persons_name_makes_no_place(extractor: Extractor) -> None:
    text = "Mr Anand met Assistant Minister for Citizenship Julian Hill to receive the new visa."
    assert not any("Julian" in p for p in _places(extractor, text))


@pytest.mark.model
def test_a_numbered_quarter_read_as_a_date_is_a_place(extract: Extract) -> None:
    x = extract("Gang members shot dead three people in Delmas 30 on Tuesday.")
    place = _place(x)
    assert place is not None and place[1] == "HT"


@pytest.mark.model
def test_a_month_and_day_stay_a_date(extractor: Extractor) -> None:
    text = "Gang members shot dead three people in Jacmel on March 30."
    assert "March" not in _places(extractor, text)


@pytest.mark.model
def test_a_people_of_several_countries_leaves_a_nationality_its_say(extract: Extract) -> None:
    # "Somali" is a people of Somalia, Ethiopia, Kenya and Djibouti: it says none of them, and
    # it bounds no nationality as an armed group's area does
    x = extract(
        "Somali nationals beat a Zambian man who had handed a Somali thief over to the police."
    )
    place = _place(x)
    assert place is not None and place[1] == "ZM"


@pytest.mark.model
def test_an_army_deployed_abroad_is_no_country_of_its_own(extract: Extract) -> None:
    # the ENDF serves in Somalia too: with the African Union mission it says Somalia, not Ethiopia
    x = extract("Militants took control of the village after AMISOM-ENDF forces withdrew.")
    place = _place(x)
    assert place is None or place[1] != "ET"


@pytest.mark.model
def test_a_neighbouring_country_people_fled_to_is_not_where(extract: Extract) -> None:
    x = extract(
        "Soldiers and rebels clashed on Monday, forcing hundreds of people to flee to "
        "neighbouring Uganda."
    )
    place = _place(x)
    assert place is None or place[1] != "UG"


@pytest.mark.model
def test_where_attackers_retreated_to_is_not_where(extract: Extract) -> None:
    x = extract(
        "Gunmen burned twenty huts and killed five herders before retreating towards Nigeria."
    )
    place = _place(x)
    assert place is None or place[1] != "NG"


@pytest.mark.model
def test_a_country_the_event_is_in_still_votes(extract: Extract) -> None:
    x = extract("Gunmen burned twenty huts and killed five herders in Nigeria.")
    place = _place(x)
    assert place is not None and place[1] == "NG"


@pytest.mark.model
def test_a_people_qualifying_a_village_is_no_place(extractor: Extractor) -> None:
    text = "Unknown gunmen shot dead a man in the Tuareg village of Tezguene on Sunday."
    assert "Tuareg" not in _places(extractor, text)
