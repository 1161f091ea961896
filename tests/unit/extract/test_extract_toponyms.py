"""Village-level gazetteer and toponym resolution: spelling keys, the shipped file, and each
resolution rule (a company is no place, the admin parent decides between namesakes, an unknown
village falls back to its named parent, transliterations match)."""

from __future__ import annotations

import gzip
import itertools
import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pipeline.extract import Extraction, Extractor
from pipeline.extract.geonames_places import PLACES_FILE, load_geonames_places
from pipeline.extract.toponyms import place_key, variant_key

Extract = Callable[..., Extraction]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Idleb", "Idlib"),
        ("Dar'a", "Daraa"),
        ("Kismaayo", "Kismayo"),
        ("Zinjibar", "Zingibar"),
        ("al-Hasakah", "Hasakeh"),
        ("Deir ez-Zor", "Dayr az Zawr"),
        ("Ma'arrat al-Nu'man", "Maarat an-Numan"),
        ("Raqqa", "Ar Raqqah"),
        ("Nawa-e Barakzayi", "Nawa Barakzayi"),
    ],
)
def test_transliterations_share_a_key(a: str, b: str) -> None:
    assert place_key(a) == place_key(b)


@pytest.mark.parametrize(("a", "b"), [("Homs", "Hama"), ("Kilifi", "Kilimani"), ("Aden", "Adana")])
def test_different_names_keep_different_keys(a: str, b: str) -> None:
    assert place_key(a) != place_key(b)


def test_the_shipped_keys_are_what_place_key_gives() -> None:
    """The file's keys are computed at build time: rebuild it after changing place_key."""
    with gzip.open(PLACES_FILE, "rt", encoding="utf-8") as handle:
        header = next(handle).rstrip("\n").split("\t")
        rows = [line.rstrip("\n").split("\t") for line in itertools.islice(handle, 0, None, 97)]
    assert header[-1] == "keys" and len(rows) > 2000
    for row in rows:
        keys = row[-1].split("|")
        assert place_key(row[2]) in keys, row[:3]
        assert all(place_key(alt) in keys for alt in row[9].split("|") if alt), row[:3]


def test_the_gazetteer_has_villages_districts_and_provinces() -> None:
    places = load_geonames_places()
    kismayo = places.lookup("Kismaayo")
    assert [(r.name, r.country) for r in kismayo] == [("Kismayo", "SO")]
    assert [p.name for p in places.parents(kismayo[0])] == ["Jubbada Hoose"]
    assert any(r.kind == "A1" for r in places.lookup("Lower Juba"))  # an alias of the unit
    assert any(r.kind == "A2" and r.country == "AF" for r in places.lookup("Nad Ali"))
    madagali = [r for r in places.lookup("Madagali") if r.kind == "P"]
    assert madagali and madagali[0].population < 15_000  # below the city gazetteer's floor


def _place(x: Extraction, word: str) -> tuple[str, str | None, int] | None:
    event = next(e for e in x.events if e.trigger.text.split()[0] == word)
    if event.place is None:
        return None
    return event.place.name, event.place.country_code, event.place.geo_precision


def test_a_company_name_is_no_place(extractor: Extractor) -> None:
    doc = extractor.nlp("Shares of Tata Motors rose on Monday. Police arrested two men in Mumbai.")
    names = [m.text for m in extractor.places.find(doc)]
    assert "Tata" not in names and "Mumbai" in names


def test_a_people_is_no_place(extract: Extract) -> None:
    x = extract("Members of the Maasai community protested near Mai Mahiu on Monday.")
    assert _place(x, "protested") == ("Mai Mahiu", "KE", 1)


@pytest.mark.parametrize(
    ("text", "country", "admin1"),
    [
        ("Taliban fighters attacked a police post in Qalat, Zabul.", "AF", "Zābul"),
        ("Gunmen attacked a police post in Qalat, Fars province.", "IR", "Fārs"),
    ],
)
def test_the_admin_parent_decides_between_namesakes(
    extract: Extract, text: str, country: str, admin1: str
) -> None:
    event = next(e for e in extract(text).events if e.trigger.text == "attacked")
    assert event.place is not None
    assert (event.place.name, event.place.country_code) == ("Qalat", country)
    assert event.place.admin1 == admin1


def test_an_unknown_village_falls_back_to_its_named_parent(extract: Extract) -> None:
    x = extract(
        "Al Shabaab militants attacked Bar-Sanguun village (Kismaayo, Lower Juba) on Monday."
    )
    event = next(e for e in x.events if e.trigger.text == "attacked")
    assert event.place is not None
    place = event.place
    assert (place.name, place.parent, place.country_code) == ("Bar-Sanguun", "Kismayo", "SO")
    assert place.geo_precision == 2  # near the town, not the village itself
    assert place.span is not None and place.span.text == "Bar-Sanguun"


def test_an_unknown_district_falls_back_to_its_province(extract: Extract) -> None:
    x = extract("Taliban militants attacked a checkpoint in Zarghunabad district, Helmand.")
    assert _place(x, "attacked") == ("Zarghunabad", "AF", 3)


@pytest.mark.parametrize(
    ("text", "name", "country"),
    [
        ("Militants attacked Zingibar on Friday.", "Zingibar", "YE"),
        ("Fighting was reported near Kismaayo on Friday.", "Kismaayo", "SO"),
        ("Troops shelled the town of Saraqib in Idleb province.", "Saraqib", "SY"),
        ("Clashes erupted in the village of Khan Shaykhun, Idleb.", "Khan Shaykhun", "SY"),
    ],
)
def test_transliteration_variants_are_found(
    extractor: Extractor, text: str, name: str, country: str
) -> None:
    found = {m.text: m for m in extractor.places.find(extractor.nlp(text))}
    assert name in found and found[name].country == country
    assert found[name].geonameid is not None and found[name].gazetteer == "geonames"


def test_a_namesake_in_another_country_is_not_the_village(extract: Extract) -> None:
    # Tapah (Farah, Afghanistan) is not in the gazetteer; Tapa, Estonia, shares its key
    x = extract("A Taliban sniper killed an Afghan soldier in Tapah of Pusht Rod district, Farah.")
    place = next(e for e in x.events if e.trigger.text == "killed").place
    assert place is not None and place.country_code == "AF"


def test_a_parent_written_after_the_place_is_its_unit(extract: Extract) -> None:
    x = extract("A suspected militant was killed in Watamu, Kilifi.")
    assert _place(x, "killed") == ("Watamu", "KE", 1)


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    a, b = math.radians(lat1), math.radians(lat2)
    h = (
        math.sin((b - a) / 2) ** 2
        + math.cos(a) * math.cos(b) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371 * math.asin(math.sqrt(h))


REPORTS = [
    json.loads(line)
    for line in (Path(__file__).parents[2] / "data" / "extract" / "place-reports.jsonl")
    .read_text(encoding="utf-8")
    .splitlines()
    if line.strip()
]


@pytest.mark.parametrize("report", REPORTS, ids=[r["note"] for r in REPORTS])
def test_real_style_reports_are_placed_within_25_km(
    extract: Extract, report: dict[str, Any]
) -> None:
    """Reports written for this test in the style of wire copy and conflict-event notes (no
    ACLED text), each with the place a mapper would put it."""
    x = extract(report["text"])
    event = next(e for e in x.events if e.trigger.text.split()[0] == report["trigger"])
    assert event.place is not None and event.place.latitude is not None
    assert event.place.country_code == report["country"]
    distance = _km(
        report["latitude"], report["longitude"], event.place.latitude, event.place.longitude or 0
    )
    assert distance <= 25, (event.place.name, round(distance))


@pytest.mark.parametrize(
    ("text", "trigger", "parent"),
    [
        # a city namesake abroad (Lou, China) is no village under Kalalé, Borgou
        (
            "Herders seized cattle in the village of Lou (Kalale, Borgou) on Tuesday.",
            "seized",
            "Kalalé",
        ),
        # a 1M+ city abroad is not a village "near" a Somali town
        (
            "A fighter assaulted a trader in Bagdad village near Kismayo town on Friday.",
            "assaulted",
            "Kismayo",
        ),
    ],
)
def test_parents_written_after_a_name_overrule_a_namesake_elsewhere(
    extract: Extract, text: str, trigger: str, parent: str
) -> None:
    place = next(e for e in extract(text).events if e.trigger.text == trigger).place
    assert place is not None and place.parent == parent and place.geo_precision == 2


def test_a_village_near_a_known_town_takes_the_town(extract: Extract) -> None:
    x = extract(
        "Militiamen clashed with soldiers in Ceel Barwaqo village near Cadale town on Sunday."
    )
    place = next(e for e in x.events if e.trigger.text == "clashed").place
    assert place is not None and (place.name, place.parent, place.country_code) == (
        "Ceel Barwaqo",
        "Cadale",
        "SO",
    )


def test_a_name_before_near_is_no_place_unless_framed(extractor: Extractor) -> None:
    doc = extractor.nlp("Rebels ambushed Puntland Dervish Force near Bosaso town on Friday.")
    names = [m.text for m in extractor.places.find(doc)]
    assert "Puntland Dervish Force" not in names


def test_a_unit_in_parentheses_makes_a_place_and_a_town_may_be_the_parent(
    extract: Extract,
) -> None:
    # "Djougou" is the town (Donga's, Benin), not the Djugu district of Congo
    x = extract("Unknown individuals killed a woman in Kolokonde (Djougou, Donga) on Monday.")
    place = next(e for e in x.events if e.trigger.text == "killed").place
    assert place is not None and (place.name, place.parent, place.country_code) == (
        "Kolokonde",
        "Djougou",
        "BJ",
    )


def test_a_list_of_places_is_no_parent_chain(extractor: Extractor) -> None:
    doc = extractor.nlp("Protests were held in Kandahar, Herat and Kabul on Friday.")
    found = {m.text: m for m in extractor.places.find(doc)}
    assert found["Kandahar"].kind == "city" and found["Kandahar"].country == "AF"


def test_somali_spellings_find_their_place() -> None:
    places = load_geonames_places()
    assert {r.country for r in places.lookup("Ceel Dheer")} == {"SO"}
    assert variant_key("Xudun") == place_key("Hudun")
    assert variant_key("Kabul") is None


def test_an_unknown_region_takes_the_wider_place_its_sentence_names(extract: Extract) -> None:
    x = extract(
        "Fighters captured key areas in the mountainous Qorukh region in eastern Afghanistan."
    )
    place = next(e for e in x.events if e.trigger.text == "captured").place
    assert place is not None and (place.name, place.country_code) == ("Qorukh", "AF")
    assert place.geo_precision == 4  # only the country is known


def test_a_national_adjective_and_capital_name_the_capital(extract: Extract) -> None:
    x = extract(
        "A long report released on Tuesday in the Kenyan capital alleged that the police killed"
        " dozens of protesters."
    )
    place = next(e for e in x.events if e.trigger.text == "alleged").place
    assert place is not None and place.name == "Kenyan capital"
    assert place.latitude is not None and place.longitude is not None
    assert _km(-1.2833, 36.8167, place.latitude, place.longitude) < 25  # Nairobi


def test_the_event_takes_the_place_of_its_own_clause(extract: Extract) -> None:
    x = extract(
        "Police arrested two men in Nairobi who had planned to attack a shop in the Eastleigh"
        " neighbourhood."
    )
    place = next(e for e in x.events if e.trigger.text == "arrested").place
    assert place is not None and place.name == "Nairobi"
