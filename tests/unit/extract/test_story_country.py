"""An event no place resolves for keeps the country the text names (actors' nationality, armed
groups of one country, a province named elsewhere, the dateline), at country precision; a
neighbour named as a border is not it, and groups of several countries rule out namesakes
abroad."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline.errors import ConfigError
from pipeline.extract import Extraction
from pipeline.extract.actor_areas import load_actor_areas
from pipeline.extract.story_country import Evidence, home_evidence, story_country

Extract = Callable[..., Extraction]


def _evidence(country: str, start_char: int, weight: float = 1.0) -> Evidence:
    return Evidence(country, weight, 0, 1, start_char, start_char + 3, "x")


def test_the_story_country_has_most_votes_and_ties_go_to_the_first_named() -> None:
    assert story_country([_evidence("FR", 0), _evidence("BF", 10), _evidence("BF", 20)]) == "BF"
    assert story_country([_evidence("BF", 30), _evidence("FR", 5)]) == "FR"
    assert story_country([]) is None


def test_the_feeds_country_only_breaks_ties() -> None:
    assert story_country([*home_evidence("KE"), _evidence("SO", 40)]) == "SO"
    assert story_country(home_evidence("KE")) == "KE"


def test_actor_areas_need_iso2_codes(tmp_path: Path) -> None:
    bad = tmp_path / "actor_areas.yaml"
    bad.write_text("areas:\n  JNIM: [Mali]\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        load_actor_areas(bad)


def _place(x: Extraction) -> tuple[str | None, int, str | None] | None:
    event = next(e for e in x.events if e.factual)
    p = event.place
    return (p.country_code, p.geo_precision, p.span.text if p.span else None) if p else None


@pytest.mark.model
def test_a_nationality_gives_the_country_of_an_unknown_village(extract: Extract) -> None:
    x = extract("Burkinabe police arrested ten men in the village of Namissiguima.")
    assert _place(x) == ("BF", 4, "Burkinabe")


@pytest.mark.model
def test_an_armys_nationality_does_not_say_where_it_strikes(extract: Extract) -> None:
    # armies fight abroad ("Russian forces shelled ... Zaporizhia"): no country from "Russian"
    x = extract("Russian forces shelled the village of Namissiguima with artillery.")
    assert _place(x) is None or _place(x)[0] != "RU"


@pytest.mark.model
def test_a_group_of_one_country_gives_its_country(extract: Extract) -> None:
    x = extract("Koglweogo militiamen killed two herders in the village of Namissiguima.")
    assert _place(x) == ("BF", 4, "Koglweogo")


@pytest.mark.model
def test_a_province_named_elsewhere_in_the_story_holds_an_unknown_village(
    extract: Extract,
) -> None:
    x = extract(
        "Gunmen killed two herders in the village of Namissiguima. Attacks have spread across "
        "Soum province."
    )
    place = next(e for e in x.events if e.factual).place
    assert place is not None and place.country_code == "BF" and place.name == "Soum"
    assert place.latitude is not None and place.geo_precision in (2, 3)


@pytest.mark.model
def test_a_country_named_as_a_border_is_no_story_country(extract: Extract) -> None:
    x = extract("Gunmen shot dead a trader in Nadiagou, near the border with Benin.")
    assert _place(x) is None


@pytest.mark.model
def test_a_group_of_several_countries_rules_out_a_namesake_abroad(extract: Extract) -> None:
    x = extract("Suspected JNIM militants attacked the village of Solhan and killed ten people.")
    place = _place(x)
    assert place is None or place[0] in ("ML", "BF", "NE")  # not Solhan, Turkey


@pytest.mark.model
def test_parentheses_ending_with_a_unit_make_a_place_of_an_organisation_name(
    extract: Extract,
) -> None:
    x = extract("An army vehicle struck an IED between Mentao and Gaskinde (Pobe-Mengao, Soum).")
    place = next(e for e in x.events if e.factual).place
    assert place is not None and place.country_code == "BF" and place.parent == "Soum"


@pytest.mark.model
def test_a_compass_word_before_of_frames_a_place(extract: Extract) -> None:
    x = extract("Aircraft conducted airstrikes against positions northeast of Markoye (Oudalan).")
    place = next(e for e in x.events if e.factual).place
    assert place is not None and place.country_code == "BF" and place.parent == "Oudalan"


@pytest.mark.model
def test_the_part_after_a_hyphen_is_no_name_of_its_own(extract: Extract) -> None:
    x = extract("The army killed around 40 civilians in Tin-Akoff (Tin-Akoff, Oudalan).")
    place = next(e for e in x.events if e.factual).place
    assert place is not None and place.name == "Tin-Akoff"


@pytest.mark.model
def test_a_visited_country_is_where_the_visit_was(extract: Extract) -> None:
    x = extract(
        "Argentina's president Javier Milei visited Israel on June 9. Buenos Aires welcomed "
        "the decision."
    )
    event = next(e for e in x.events if e.trigger.text.startswith("visit"))
    assert event.place is not None and event.place.country_code == "IL"


@pytest.mark.model
def test_a_dateline_with_a_date_and_a_colon_places_an_unknown_venue(extract: Extract) -> None:
    x = extract(
        "Kathmandu, August 18: Indian Foreign Secretary Vikram Misri paid a courtesy call on "
        "Foreign Minister Arzu Rana Deuba at the Ministry of Foreign Affairs on Sunday."
    )
    place = next(e for e in x.events if e.factual).place
    assert place is not None and place.name == "Kathmandu" and place.country_code == "NP"
    assert place.span is not None and place.span.text == "Kathmandu"


@pytest.mark.model
def test_an_unresolved_parent_says_the_country_over_a_foreign_forces_nationality(
    extract: Extract,
) -> None:
    # Vodyane is unknown; Donetsk (Ukraine's city dwarfs the Russian town) outvotes "Russian"
    x = extract("Russian military forces shelled Vodyane, Donetsk. Casualties unknown.")
    place = _place(x)
    assert place is not None and place[0] == "UA"
