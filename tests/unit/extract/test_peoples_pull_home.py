"""Peoples, regional forces and one country's unit words say the story's country, so a bare town
name resolves to its namesake at home, not abroad (sentences written for these tests)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline.errors import ConfigError
from pipeline.extract import Extraction
from pipeline.extract.actor_areas import load_actor_areas

Extract = Callable[..., Extraction]


def _place(x: Extraction) -> tuple[str | None, int] | None:
    event = next(e for e in x.events if e.factual)
    p = event.place
    return (p.country_code, p.geo_precision) if p else None


def test_unit_words_match_in_either_case(tmp_path: Path) -> None:
    path = tmp_path / "actor_areas.yaml"
    path.write_text("areas: {}\nunit_words:\n  woreda: [ET]\n", encoding="utf-8")
    peoples = tmp_path / "communities.yaml"
    peoples.write_text("communities: {}\n", encoding="utf-8")
    areas = load_actor_areas(path, peoples)
    assert set(areas.by_first) == {"woreda", "Woreda"}


def test_peoples_need_iso2_codes(tmp_path: Path) -> None:
    path = tmp_path / "actor_areas.yaml"
    path.write_text("areas: {}\npeoples:\n  Oromo: [Ethiopia]\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        load_actor_areas(path)


@pytest.mark.model
def test_a_people_pulls_a_bare_town_home(extract: Extract) -> None:
    # Ambo is also a town in Peru; the Oromo protests are Ethiopia's
    x = extract(
        "Students protested against the regional government in Ambo during the Oromo protests."
    )
    place = _place(x)
    assert place is not None and place[0] == "ET"
    event = next(e for e in x.events if e.factual)
    assert event.place is not None and event.place.geonameid is not None
    assert event.place.span is not None


@pytest.mark.model
def test_a_regional_force_gives_the_country_of_an_unknown_place(extract: Extract) -> None:
    x = extract("Liyu Police paramilitaries shot dead three herders in Jarso woreda.")
    place = _place(x)
    assert place is not None and place[0] == "ET"


@pytest.mark.model
def test_a_city_abroad_gives_way_to_its_namesake_at_home(extract: Extract) -> None:
    # Tripoli, Libya is a city of a million; with Beirut and Sidon named it is Lebanon's
    x = extract("Protesters gathered in Tripoli after clashes in Beirut and Sidon.")
    assert _place(x) == ("LB", 1)


@pytest.mark.model
def test_the_target_of_an_assault_is_a_place(extract: Extract) -> None:
    # NER takes Brega for a person; "an assault on" frames it, Gaddafi's forces say Libya
    x = extract("Gaddafi forces repelled an assault on Brega and lost three men.")
    place = next(e for e in x.events if e.factual).place
    assert place is not None and place.country_code == "LY" and place.geo_precision == 1


@pytest.mark.model
def test_a_hyphenated_modifier_does_not_hide_the_locative(extract: Extract) -> None:
    x = extract("Libyan government forces shelled fuel tanks in rebel-held Misrata on Saturday.")
    place = next(e for e in x.events if e.factual).place
    assert place is not None and place.country_code == "LY" and place.geo_precision == 1
    assert place.span is not None and place.span.text == "Misrata"


@pytest.mark.model
def test_a_possessive_without_its_apostrophe_finds_the_town(extract: Extract) -> None:
    x = extract("Gaddafi fighters launched a new attack on Bani Walids northern outskirts.")
    place = next(e for e in x.events if e.factual).place
    assert place is not None and place.country_code == "LY" and place.geo_precision == 1


@pytest.mark.model
def test_a_lone_city_abroad_loses_to_a_coherent_story_at_home(extract: Extract) -> None:
    # Soka is a Japanese city of 250,000; the Oromo protests across Oromia are Ethiopia's
    x = extract(
        "Students protested in Soka, East Hararghe, as part of the Oromo protests that took "
        "place in many towns of Oromia."
    )
    place = next(e for e in x.events if e.factual).place
    assert place is not None and place.country_code == "ET"


@pytest.mark.model
def test_a_word_of_a_ministrys_name_is_no_country(extract: Extract) -> None:
    # Economy is a small US town; here it is a word of the ministry's name
    x = extract("Police dispersed a sit-in at the Ministry of Economy and Finance on Monday.")
    place = next(e for e in x.events if e.factual).place
    assert place is None or place.country_code != "US"


@pytest.mark.model
def test_a_city_abroad_matched_only_by_spelling_loses_to_a_strong_story(extract: Extract) -> None:
    # "Ajio" shares a spelling key with Ageo, Japan; SSPDF, SPLM-IO and the county say South Sudan
    x = extract(
        "SSPDF soldiers clashed with SPLM-IO forces in Ajio boma in Kajo-Keji county (Central "
        "Equatoria state)."
    )
    place = next(e for e in x.events if e.factual).place
    assert place is not None and place.country_code == "SS"


@pytest.mark.model
def test_a_people_of_several_countries_says_none_of_them(extract: Extract) -> None:
    # Somalis live in Ethiopia too; the Oromo attackers say Ethiopia
    x = extract("Thirty Somalis were killed by Oromo attackers in the village of Daro Lebu.")
    place = next(e for e in x.events if e.factual).place
    assert place is not None and place.country_code == "ET"
