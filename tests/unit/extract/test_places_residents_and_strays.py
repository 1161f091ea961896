"""Round 14 place rules (sentences written for these tests): one peoples list, nationalities of
people abroad, lone names with namesakes everywhere, towns that qualify residents or begin an
institution's name, and words that are no parent of the place before them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline.extract import Extraction
from pipeline.extract.actor_areas import load_actor_areas
from pipeline.extract.communities import load_communities

Extract = Callable[..., Extraction]


def _place(x: Extraction) -> tuple[str | None, int] | None:
    event = next(e for e in x.events if e.factual)
    p = event.place
    return (p.country_code, p.geo_precision) if p else None


def _areas(tmp_path: Path, communities: str, actor_areas: str) -> dict[str, tuple[str, ...]]:
    (tmp_path / "communities.yaml").write_text(communities, encoding="utf-8")
    (tmp_path / "actor_areas.yaml").write_text(actor_areas, encoding="utf-8")
    areas = load_actor_areas(tmp_path / "actor_areas.yaml", tmp_path / "communities.yaml")
    return {" ".join(n): c for same in areas.by_first.values() for n, c in same}


def test_places_read_the_peoples_of_communities_yaml(tmp_path: Path) -> None:
    found = _areas(
        tmp_path,
        "communities:\n  ETH: [Oromo, Nuer]\n  SSD: [Nuer, Habar Gidir]\n  NGA: [Fulani]\n",
        "areas: {}\npeoples:\n  Somali: [SO, ET]\n  Nuer: [UG]\n  Fulani: []\n",
    )
    assert found["Oromo"] == ("ET",)
    assert found["Oromos"] == ("ET",)  # the plural communities.yaml adds
    assert found["Habar Gidir"] == ("SS",)
    # a people two countries list, plus the extra country actor_areas.yaml gives it
    assert found["Nuer"] == ("ET", "SS", "UG")
    assert found["Somali"] == ("SO", "ET")  # a people of several countries listed only here
    assert "Fulani" not in found  # an empty list: a people of many countries, no clue


def test_communities_keep_every_country_that_lists_a_name(tmp_path: Path) -> None:
    path = tmp_path / "communities.yaml"
    path.write_text("communities:\n  KEN: [Pokot]\n  UGA: [Pokot]\n", encoding="utf-8")
    loaded = load_communities(path)
    assert loaded.names[("Pokot",)] == "KEN"  # actors: the first country that lists it
    assert loaded.countries[("Pokot",)] == ("KEN", "UGA")


def test_the_shipped_list_has_one_peoples_section() -> None:
    found = _shipped()
    assert found["Oromo"] == ("ET",)  # from communities.yaml only
    assert set(found["Pokot"]) == {"KE", "UG"}
    assert "Fulani" not in found


def _shipped() -> dict[str, tuple[str, ...]]:
    areas = load_actor_areas()
    return {" ".join(n): c for same in areas.by_first.values() for n, c in same}


@pytest.mark.model
def test_refugees_nationality_does_not_pull_the_story_abroad(extract: Extract) -> None:
    x = extract("Rwandan refugees protested over food rations in Nakivale.")
    place = _place(x)
    assert place is None or place[0] != "RW"


@pytest.mark.model
def test_a_national_abroad_is_no_evidence_of_his_country(extract: Extract) -> None:
    x = extract("A Congolese national was beaten to death by a mob.")
    assert _place(x) is None


@pytest.mark.model
def test_a_lone_small_name_with_namesakes_everywhere_is_no_place(extract: Extract) -> None:
    for text in ("Residents of Kore staged a stay-at-home.", "Militants shot a civilian in Tur."):
        assert _place(extract(text)) is None, text


@pytest.mark.model
def test_residents_of_a_town_place_the_event_there(extract: Extract) -> None:
    x = extract("Hoima residents have lynched a suspected robber.")
    event = next(e for e in x.events if e.factual)
    assert event.place is not None and event.place.country_code == "UG"
    assert event.place.geo_precision == 1 and event.place.geonameid is not None
    assert event.place.span is not None and event.place.span.text == "Hoima"


@pytest.mark.model
def test_the_town_that_begins_an_institutions_name(extract: Extract) -> None:
    x = extract("Gulu University students went on a strike and set their main hall on fire.")
    event = next(e for e in x.events if e.factual)
    assert event.place is not None and event.place.country_code == "UG"
    assert event.place.span is not None and event.place.span.text == "Gulu"


@pytest.mark.model
def test_a_place_the_clause_names_beats_an_institutions_town(extract: Extract) -> None:
    x = extract("Students of Harvard University protested in Boston.")
    event = next(e for e in x.events if e.factual)
    assert event.place is not None and event.place.name == "Boston"


@pytest.mark.model
def test_a_company_is_still_no_place(extract: Extract) -> None:
    x = extract("Tata Motors workers went on strike over pay.")
    assert all(e.place is None or e.place.country_code != "HU" for e in x.events)


@pytest.mark.model
def test_a_name_before_a_common_noun_is_no_parent(extract: Extract) -> None:
    # "Council" (Council, Idaho) qualifies "workers": Mongu is Zambia's town
    x = extract("On Dec 22, in Mongu, Council workers staged a protest over unpaid salaries.")
    assert _place(x) == ("ZM", 1)


@pytest.mark.model
def test_a_capitalised_common_noun_makes_no_unit_of_the_town_after_it(extract: Extract) -> None:
    # "Police in Livingstone": the Zambian city, not Livingstone Shire, Australia
    x = extract("Police in Livingstone arrest 9 students for rioting over unpaid salaries.")
    assert _place(x) == ("ZM", 1)


@pytest.mark.model
def test_a_hyphenated_unit_word_frames_its_name(extract: Extract) -> None:
    # "Amida" is also an old name of Diyarbakir, Turkey; the sub-county is in Kitgum district
    x = extract(
        "A police officer was injured in an armed attack on a police post in Amida sub-county "
        "in Kitgum district."
    )
    place = _place(x)
    assert place is not None and place[0] == "UG"


@pytest.mark.model
def test_a_name_the_story_places_is_its_town_not_the_unit_of_that_name(extract: Extract) -> None:
    # Migori is a Kenyan town and a county; NER's organisation, so only the story places it
    x = extract("Nurses strike, protest in Migori over non-payment of arrears.")
    event = next(e for e in x.events if e.factual)
    assert event.place is not None and event.place.country_code == "KE"
    assert event.place.geo_precision == 1 and event.place.geonameid is not None
