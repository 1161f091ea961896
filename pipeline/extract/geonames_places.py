"""The village-level gazetteer: GeoNames populated places of 500+ people and first- and
second-level administrative units, looked up by spelling-tolerant key (built by
``gazetteer_build.py`` into ``data/geonames_places.tsv.gz``), and, where one is installed, a
layer of smaller places (``village_build.py``: ``data/geonames_villages.tsv.gz`` or the file
``$WIRESTREAM_VILLAGE_GAZETTEER`` names)."""

from __future__ import annotations

import functools
import gzip
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pipeline.errors import ConfigError
from pipeline.extract.datafiles import DATA_DIR
from pipeline.extract.toponyms import place_key, variant_key

PLACES_FILE = DATA_DIR / "geonames_places.tsv.gz"
VILLAGES_FILE = DATA_DIR / "geonames_villages.tsv.gz"
"""The small-place layer, when built or installed here (it is not shipped: data/README.md)."""
VILLAGES_ENV = "WIRESTREAM_VILLAGE_GAZETTEER"
_OFF = ("off", "none", "0", "false")
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
    village: bool = False
    """From the small-place layer: a place of any size, often a few hundred people, whose name
    many other places share; the resolver takes one only where the text or the story points to
    it (its parents written, the story's country)."""

    @property
    def is_admin(self) -> bool:
        """True for an administrative unit."""
        return self.kind != "P"


class GeoNamesPlaces:
    """Records by key and by GeoNames id. Rows stay lines of text until looked up: a quarter of
    a million objects would cost seconds to build and hundreds of MB."""

    def __init__(self, lines: Sequence[str], villages: Sequence[str] = ()) -> None:
        # the small-place layer's rows follow the main file's: an index past ``_main`` is one
        self._main = len(lines)
        lines = [*lines, *villages] if villages else lines
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
            village=i >= self._main,
        )

    def lookup(self, name: str) -> list[Toponym]:
        """Every record a name may mean, by its spelling-tolerant key (or, when that finds
        nothing or only small places, its Somali-orthography reading: "Ceel Dheer" is El
        Dher)."""
        indices = self._indices(place_key(name))
        # only small places under the key: the Somali reading may still name a town
        if all(i >= self._main for i in indices):
            variant = variant_key(name)
            if variant:
                indices += [i for i in self._indices(variant) if i not in indices]
        return [self._record(i) for i in indices]

    def _indices(self, key: str) -> list[int]:
        found = self._by_key.get(key)
        if found is None:
            return []
        return [found] if isinstance(found, int) else list(found)

    def get(self, geonameid: int | None) -> Toponym | None:
        """The record of a GeoNames id (an admin parent)."""
        index = self._by_id.get(geonameid) if geonameid else None
        return self._record(index) if index is not None else None

    def parents(self, record: Toponym) -> list[Toponym]:
        """The record's administrative units, narrowest first."""
        out = [self.get(record.admin2), self.get(record.admin1)]
        return [p for p in out if p is not None]


def village_file(setting: str | None = None) -> Path | None:
    """The small-place layer to load: ``setting`` (or ``$WIRESTREAM_VILLAGE_GAZETTEER``) names a
    file, or ``off``; unset, the layer in the data directory when one is there, else none."""
    value = (os.environ.get(VILLAGES_ENV, "") if setting is None else setting).strip()
    if value.lower() in _OFF:
        return None
    if value:
        path = Path(value).expanduser()
        if not path.exists():
            raise ConfigError(f"{VILLAGES_ENV}={value}: no such small-place gazetteer file")
        return path
    return VILLAGES_FILE if VILLAGES_FILE.exists() else None


def _read(path: Path) -> list[str]:
    try:
        with gzip.open(path, "rb") as handle:
            lines = handle.read().decode("utf-8").splitlines()[1:]
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the GeoNames gazetteer: {exc}") from exc
    for number, line in enumerate(lines, start=2):
        if line.count("\t") != _COLUMNS - 1:
            raise ConfigError(f"{path}: row {number}: expected {_COLUMNS} tab-separated columns")
    return lines


@functools.cache
def load_geonames_places(
    path: Path = PLACES_FILE, villages: Path | Literal["auto", "off"] = "auto"
) -> GeoNamesPlaces:
    """Read the gazetteer file and the small-place layer (``villages``: a file, ``off``, or
    ``auto``: :func:`village_file`), once per process (1–3 s, ~230 MB; see data/README.md)."""
    layer = village_file() if villages == "auto" else None if villages == "off" else villages
    extra = _read(layer) if layer is not None else []
    return GeoNamesPlaces(_read(path), extra)
