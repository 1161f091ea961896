"""The village-level gazetteer: GeoNames populated places of 500+ people and first- and
second-level administrative units, looked up by spelling-tolerant key (built by
``gazetteer_build.py`` into ``data/geonames_places.tsv.gz``)."""

from __future__ import annotations

import functools
import gzip
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import ConfigError
from pipeline.extract.datafiles import DATA_DIR
from pipeline.extract.toponyms import place_key, variant_key

PLACES_FILE = DATA_DIR / "geonames_places.tsv.gz"
_COLUMNS = 11


@dataclass(frozen=True, slots=True)
class Toponym:
    """One GeoNames record: a populated place (``P``) or an administrative unit (``A1``, ``A2``)."""

    geonameid: int
    kind: str
    name: str
    country: str
    """ISO 3166-1 alpha-2."""
    latitude: float
    longitude: float
    population: int
    admin1: int | None
    """GeoNames id of the first-level unit (for a place or a second-level unit)."""
    admin2: int | None
    """GeoNames id of the second-level unit (for a place)."""

    @property
    def is_admin(self) -> bool:
        """True for an administrative unit."""
        return self.kind != "P"


class GeoNamesPlaces:
    """Records by key and by GeoNames id. Rows stay lines of text until looked up: a quarter of
    a million objects would cost seconds to build and hundreds of MB."""

    def __init__(self, lines: Sequence[str]) -> None:
        self._lines = lines
        # most keys name one record: an int then, a list only for namesakes
        by_key: dict[str, int | list[int]] = {}
        by_id: dict[int, int] = {}
        for index, line in enumerate(lines):
            by_id[int(line[: line.index("\t")])] = index
            for key in line[line.rindex("\t") + 1 :].split("|"):
                found = by_key.get(key)
                if found is None:
                    by_key[key] = index
                elif isinstance(found, int):
                    if found != index:
                        by_key[key] = [found, index]
                elif index not in found:
                    found.append(index)
        self._by_key = by_key
        self._by_id = by_id

    def __len__(self) -> int:
        return len(self._lines)

    def _record(self, i: int) -> Toponym:
        row = self._lines[i].split("\t")
        return Toponym(
            geonameid=int(row[0]),
            kind=row[1],
            name=row[2],
            country=row[3],
            latitude=float(row[4]),
            longitude=float(row[5]),
            population=int(row[6]),
            admin1=int(row[7]) if row[7] else None,
            admin2=int(row[8]) if row[8] else None,
        )

    def lookup(self, name: str) -> list[Toponym]:
        """Every record a name may mean, by its spelling-tolerant key (or, when that finds
        nothing, its Somali-orthography reading: "Ceel Dheer" is El Dher)."""
        found = self._by_key.get(place_key(name))
        if found is None:
            variant = variant_key(name)
            found = self._by_key.get(variant) if variant else None
        if found is None:
            return []
        return [self._record(i) for i in ([found] if isinstance(found, int) else found)]

    def get(self, geonameid: int | None) -> Toponym | None:
        """The record of a GeoNames id (an admin parent)."""
        index = self._by_id.get(geonameid) if geonameid else None
        return self._record(index) if index is not None else None

    def parents(self, record: Toponym) -> list[Toponym]:
        """The record's administrative units, narrowest first."""
        out = [self.get(record.admin2), self.get(record.admin1)]
        return [p for p in out if p is not None]


@functools.cache
def load_geonames_places(path: Path = PLACES_FILE) -> GeoNamesPlaces:
    """Read the gazetteer file, once per process (1–3 s, ~230 MB; see data/README.md)."""
    try:
        with gzip.open(path, "rb") as handle:
            lines = handle.read().decode("utf-8").splitlines()[1:]
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the GeoNames gazetteer: {exc}") from exc
    for number, line in enumerate(lines, start=2):
        if line.count("\t") != _COLUMNS - 1:
            raise ConfigError(f"{path}: row {number}: expected {_COLUMNS} tab-separated columns")
    return GeoNamesPlaces(lines)
