"""The small-place layer: building it from GeoNames dumps and OSM place extracts, loading it beside
the main gazetteer, and the resolver taking a small place only where the text or the story
points to it."""

from __future__ import annotations

import gzip
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.errors import ConfigError
from pipeline.extract import Extractor
from pipeline.extract.gazetteer_build import COLUMNS, latin_name
from pipeline.extract.geonames_places import (
    PLACES_FILE,
    VILLAGES_ENV,
    GeoNamesPlaces,
    load_geonames_places,
    village_file,
)
from pipeline.extract.toponym_resolution import ToponymResolver, load_toponym_cues
from pipeline.extract.toponyms import place_key
from pipeline.extract.village_build import build, load_village_settings

# --- building -------------------------------------------------------------------------------------


def _main_file(path: Path) -> Path:
    """A main gazetteer of one town (Djibo, BF) and its two units."""
    rows = [
        ["2360000", "A1", "Sahel", "BF", "14.0", "-0.5", "0", "", "", "", "sahil"],
        ["2360001", "A2", "Soum", "BF", "14.1", "-1.6", "0", "2360000", "", "", "sum"],
        [
            "2360002",
            "P",
            "Djibo",
            "BF",
            "14.10",
            "-1.63",
            "30000",
            "2360000",
            "2360001",
            "",
            "jibo",
        ],
    ]
    with gzip.open(path, "wt", encoding="utf-8") as out:
        out.write("\t".join(COLUMNS) + "\n")
        out.writelines("\t".join(r) + "\n" for r in rows)
    return path


def _geonames_line(ident: int, name: str, lat: float, lon: float, fclass: str, fcode: str,
                   country: str, alternates: str = "") -> str:  # fmt: skip
    fields = [str(ident), name, name, alternates, str(lat), str(lon), fclass, fcode, country,
              "", "05", "", "", "", "0", "", "300", "Africa/Ouagadougou", "2012-06-05"]  # fmt: skip
    return "\t".join(fields) + "\n"


def _dump(path: Path) -> Path:
    path.write_text(
        "".join(
            [
                _geonames_line(1, "Zyonguen", 14.2, -1.6, "P", "PPL", "BF", "Dionguen,Зёнгуэн"),
                _geonames_line(2, "Djibo", 14.101, -1.631, "P", "PPL", "BF"),  # the known town
                _geonames_line(3, "Old Fort", 14.15, -1.5, "P", "PPLH", "BF"),  # historical
                _geonames_line(4, "Kouka Hill", 14.12, -1.55, "T", "HLL", "BF"),  # no place
                _geonames_line(5, "Bedoum", 14.3, -1.7, "A", "ADM3", "BF"),  # a commune
                _geonames_line(6, "Lyon Petit", 45.7, 4.8, "P", "PPL", "FR"),  # not kept
                _geonames_line(2360002, "Djibo", 14.10, -1.63, "P", "PPLA2", "BF"),  # same id
            ]
        ),
        encoding="utf-8",
    )
    return path


def _osm(path: Path) -> Path:
    with sqlite3.connect(path) as db:
        db.execute(
            "CREATE TABLE NODE (ID INTEGER PRIMARY KEY, LAT DOUBLE, LON DOUBLE, NAME TEXT, "
            "NAME_EN TEXT, NAME_DE TEXT, TAG TEXT, VALUE TEXT, POPULATION INTEGER, "
            "ELEVATION INTEGER)"
        )
        db.executemany(
            "INSERT INTO NODE VALUES (?, ?, ?, ?, ?, NULL, ?, ?, ?, NULL)",
            [
                (101, 14.05, -1.7, "Tongomayel تونغومايل", None, "place", "village", 400),
                (102, 14.2001, -1.6001, "Zyonguen", None, "place", "hamlet", None),  # dump's
                (103, 14.0, -1.65, "Ferme", None, "place", "farm", None),  # not a settlement
                (104, 30.0, 10.0, "Nowhere", None, "place", "village", None),  # no known place
                (105, 14.06, -1.66, "بلدة", None, "place", "village", None),  # no Latin name
            ],
        )
    return path


@pytest.fixture()
def built(tmp_path: Path) -> Iterator[tuple[Path, dict[str, int]]]:
    main = _main_file(tmp_path / "main.tsv.gz")
    out = tmp_path / "villages.tsv.gz"
    counts = build([_dump(tmp_path / "BF.txt"), _osm(tmp_path / "bf.sqlite")], out, main)
    yield out, counts


def _rows(path: Path) -> dict[str, list[str]]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        assert next(handle).rstrip("\n").split("\t") == list(COLUMNS)
        return {row[2]: row for row in (line.rstrip("\n").split("\t") for line in handle)}


def test_the_layer_keeps_small_places_and_communes_of_the_countries_listed(
    built: tuple[Path, dict[str, int]],
) -> None:
    path, counts = built
    rows = _rows(path)
    assert set(rows) == {"Zyonguen", "Bedoum", "Tongomayel"}
    assert counts["kept"] == 3


def test_small_places_take_the_units_of_the_nearest_known_place(
    built: tuple[Path, dict[str, int]],
) -> None:
    rows = _rows(built[0])
    zyonguen = rows["Zyonguen"]
    assert zyonguen[3] == "BF" and zyonguen[6] == "0"
    assert (zyonguen[7], zyonguen[8]) == ("2360000", "2360001")  # Djibo's Sahel and Soum
    assert zyonguen[9] == "Dionguen"  # the Latin alternate; Cyrillic is no report's spelling
    assert set(zyonguen[10].split("|")) == {place_key("Zyonguen"), place_key("Dionguen")}


def test_osm_places_get_their_country_from_the_nearest_place_and_a_negative_id(
    built: tuple[Path, dict[str, int]],
) -> None:
    tongomayel = _rows(built[0])["Tongomayel"]
    assert tongomayel[0] == "-101"  # not a GeoNames id
    assert (tongomayel[3], tongomayel[6]) == ("BF", "400")


def test_known_places_and_duplicates_across_sources_are_skipped(
    built: tuple[Path, dict[str, int]],
) -> None:
    _, counts = built
    assert counts["known"] == 1  # Djibo's own GeoNames id
    assert counts["same_place"] == 2  # Djibo again (new id, same key nearby); OSM's Zyonguen
    assert counts["no_parent"] == 1  # "Nowhere": no known place within reach, no country
    assert counts["no_name"] == 1  # an Arabic-only name


def test_the_build_is_reproducible(tmp_path: Path, built: tuple[Path, dict[str, int]]) -> None:
    again = tmp_path / "again.tsv.gz"
    build(
        [tmp_path / "BF.txt", tmp_path / "bf.sqlite"],
        again,
        tmp_path / "main.tsv.gz",
    )
    assert again.read_bytes() == built[0].read_bytes()


def test_a_non_dump_file_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "notes.txt"
    bad.write_text("just some text\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not a GeoNames dump line"):
        build([bad], tmp_path / "out.tsv.gz", _main_file(tmp_path / "main.tsv.gz"))


def test_the_shipped_settings_read() -> None:
    settings = load_village_settings()
    assert {"BF", "SO", "UA", "SY", "KE"} <= settings.countries
    assert "PPLH" in settings.skip_feature_codes and "village" in settings.osm_places


@pytest.mark.parametrize(
    ("name", "latin"),
    [("Muqdisho مقديشو", "Muqdisho"), ("Zyonguen", "Zyonguen"), ("مقديشو", ""), ("12", "")],
)
def test_latin_name(name: str, latin: str) -> None:
    assert latin_name(name) == latin


# --- loading --------------------------------------------------------------------------------------


def test_the_loader_adds_the_layer_and_marks_its_records(
    built: tuple[Path, dict[str, int]],
) -> None:
    places = load_geonames_places(PLACES_FILE, built[0])
    plain = load_geonames_places(PLACES_FILE, "off")
    assert len(places) == len(plain) + 3
    found = places.lookup("Dionguen")
    assert [(r.name, r.country, r.village) for r in found] == [("Zyonguen", "BF", True)]
    assert not any(r.village for r in places.lookup("Kismaayo"))
    assert places.get(found[0].geonameid) == found[0]


def test_the_layer_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert village_file("off") is None
    layer = tmp_path / "v.tsv.gz"
    layer.write_bytes(b"")
    assert village_file(str(layer)) == layer
    monkeypatch.setenv(VILLAGES_ENV, str(tmp_path / "missing.tsv.gz"))
    with pytest.raises(ConfigError, match=VILLAGES_ENV):
        village_file()


# --- resolving ------------------------------------------------------------------------------------


def _village(ident: int, name: str, country: str, lat: float, lon: float) -> str:
    row = [str(ident), "P", name, country, f"{lat}", f"{lon}", "0", "", "", "", place_key(name)]
    return "\t".join(row)


@pytest.fixture()
def with_villages(extractor: Extractor, monkeypatch: pytest.MonkeyPatch) -> Extractor:
    """The session extractor whose resolver also knows a few small places: Tinakoff (one in
    Burkina Faso, 8 km from Djibo), Kolbila (in Burkina Faso and in Mali), Nasriya (a hamlet
    in Somaliland)."""
    with gzip.open(PLACES_FILE, "rt", encoding="utf-8") as handle:
        lines = handle.read().splitlines()[1:]
    villages = [
        _village(-1, "Tinakoff", "BF", 14.17, -1.63),
        _village(-2, "Kolbila", "BF", 13.2, -1.1),
        _village(-3, "Kolbila", "ML", 14.5, -4.2),
        _village(-4, "Nasriya", "SO", 9.66, 43.8),
    ]
    resolver = ToponymResolver(GeoNamesPlaces(lines, villages), load_toponym_cues())
    monkeypatch.setattr(extractor.places, "resolver", resolver)
    return extractor


def _found(extractor: Extractor, text: str) -> dict[str, str | None]:
    return {m.text: m.country for m in extractor.places.find(extractor.nlp(text))}


def test_a_village_near_a_named_town_is_found(with_villages: Extractor) -> None:
    found = _found(with_villages, "Militants attacked Tinakoff village near Djibo on Monday.")
    assert found.get("Tinakoff") == "BF"


def test_the_village_of_a_one_country_name_is_found(with_villages: Extractor) -> None:
    found = _found(with_villages, "Gunmen raided the village of Tinakoff on Monday.")
    assert found.get("Tinakoff") == "BF"


def test_a_village_name_of_several_countries_needs_the_story(with_villages: Extractor) -> None:
    assert "Kolbila" not in _found(with_villages, "Gunmen killed two herders in Kolbila.")
    found = _found(with_villages, "Gunmen killed two herders in Kolbila, in northern Burkina Faso.")
    assert found.get("Kolbila") == "BF"


def test_a_small_namesake_does_not_displace_a_known_unit(with_villages: Extractor) -> None:
    # "city" asks for a town; the main file knows Nassriya as an Iraqi district only
    found = _found(with_villages, "Hundreds of protesters gathered in Nassriya city on Monday.")
    assert found.get("Nassriya") == "IQ"


_SAFESIGNAL_HEADER = (
    "id,canonical_name,aliases,type,lat,lng,admin_state,admin_lga,popularity,source,license,notes\n"
)


def _safesignal_csv(path: Path) -> Path:
    """Rows in the layout of the safesignal-geo wheel's gazetteer (invented places)."""
    path.write_text(
        _SAFESIGNAL_HEADER
        + "x-1,Kourbeogo,kourbeogo,settlement,14.20,-1.55,Unknown,X,20,osm:node/777,ODbL,\n"
        + "x-2,Djibo Market,djibo market,market,14.10,-1.62,Unknown,X,20,osm:node/778,ODbL,\n"
        + "x-3,Wayville,wayville,settlement,14.15,-1.60,Unknown,X,20,osm:way/779,ODbL,\n",
        encoding="utf-8",
    )
    return path


def test_the_safesignal_wheel_gives_osm_settlements(tmp_path: Path) -> None:
    import zipfile

    main = _main_file(tmp_path / "main.tsv.gz")
    source = _safesignal_csv(tmp_path / "nigeria_v0.2.csv")
    wheel = tmp_path / "safesignal_geo-0.2.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.write(source, "safesignal_geo/data/nigeria_v0.2.csv")
    out, again = tmp_path / "a.tsv.gz", tmp_path / "b.tsv.gz"
    counts = build([wheel], out, main)
    rows = _rows(out)
    # a settlement node only: no market, no way (no node id to key it by)
    assert set(rows) == {"Kourbeogo"} and counts["kept"] == 1
    assert rows["Kourbeogo"][0] == "-777" and rows["Kourbeogo"][3] == "BF"  # the nearest place's
    build([source], again, main)
    assert again.read_bytes() == out.read_bytes()


def test_a_csv_of_another_layout_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "places.csv"
    bad.write_text("name,lat,lon\nX,1,2\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not a safesignal-geo gazetteer"):
        build([bad], tmp_path / "out.tsv.gz", _main_file(tmp_path / "main.tsv.gz"))
