"""Score the extractor on a user's ACLED export: each event's note is read as one article.

``wirestream eval acled EXPORT.csv [--limit N] [--seed S] [--json]``. The note is published the day
after ``event_date``; no country or outlet hint is given. The event the project would report for
a note is its most confident factual event (ties: the first in the text); a note without one
counts wrong in every accuracy. ACLED data is for evaluation only: none ships with the project.
"""

from __future__ import annotations

import argparse
import csv
import functools
import json
import math
import random
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from pipeline.errors import ConfigError
from pipeline.extract.actor_types import actor_types
from pipeline.extract.datafiles import read_yaml
from pipeline.link.compare import great_circle_km
from schemas.events import Event

MAPPING_FILE = Path(__file__).parent / "data" / "acled.yaml"
RADIUS_KM = 25.0
NO_EVENT = "(no event)"
BATTLES = "Battles"
_DATE_FORMATS = (
    "%Y-%m-%d",
    "%d %B %Y",
    "%d-%b-%y",
    "%d-%b-%Y",
    "%d %b %Y",
    "%d-%m-%y",
    "%d-%m-%Y",
    "%d/%m/%Y",
    "%Y/%m/%d",
)
_EXCERPT = 160


@dataclass(frozen=True)
class AcledMapping:
    """The category tables of ``data/acled.yaml``."""

    inter_classes: dict[int, str]
    """ACLED's classes, from the extractor's table (``pipeline/extract/data/actor_types.yaml``)."""
    inter_names: dict[str, int]
    demonstrators_first: frozenset[str]
    demonstrator_classes: frozenset[int]
    old_event_types: dict[str, str]
    old_riots_type: str
    country_aliases: dict[str, str]
    actor2_classes: frozenset[int] = frozenset()
    """Classes that are actor 2 of a two-actor event (civilians): orders a monadic export's pair."""


def load_mapping(path: Path = MAPPING_FILE) -> AcledMapping:
    """Read the class and type tables; a malformed file is a ConfigError naming it."""
    data = read_yaml(path)
    try:
        return AcledMapping(
            inter_classes=dict(actor_types().acled_names),
            inter_names={str(k).lower(): int(v) for k, v in data["inter_names"].items()},
            demonstrators_first=frozenset(str(t) for t in data["demonstrators_first"]),
            demonstrator_classes=frozenset(int(c) for c in data["demonstrator_classes"]),
            old_event_types={str(k).lower(): str(v) for k, v in data["old_event_types"].items()},
            old_riots_type=str(data["old_riots_type"]),
            country_aliases={str(k).lower(): str(v) for k, v in data["country_aliases"].items()},
            actor2_classes=frozenset(int(c) for c in data.get("actor2_classes") or ()),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ConfigError(f"{path}: bad or missing entry: {exc}") from exc


# --- reading the export ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AcledRow:
    """One coded event of the export (only what the scorer uses)."""

    row: int
    """1-based data row in the file."""
    event_date: date | None
    event_type: str
    sub_event_type: str
    """Empty in the old scheme."""
    actor1: str
    inter1: int | None
    actor2: str
    inter2: int | None
    country: str
    location: str
    latitude: float | None
    longitude: float | None
    geo_precision: int | None
    notes: str
    event_id: str = ""
    """``event_id_cnty`` (empty when the export has none)."""


def parse_date(text: str) -> date | None:
    """An ACLED ``event_date`` in any of the layouts exports use (``21 March 2020``, ``2020-03-21``,
    ``21-Mar-20``, ``21-03-20``)."""
    text = text.strip()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def parse_inter(text: str, mapping: AcledMapping) -> int | None:
    """An inter code written as a number (``1``, ``1.0``) or as ACLED's words; 0/empty: none."""
    text = text.strip()
    if not text:
        return None
    try:
        code = int(float(text))
    except ValueError:
        return mapping.inter_names.get(text.lower())
    return code if code in mapping.inter_classes else None


def _float(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _int(text: str) -> int | None:
    value = _float(text)
    return int(value) if value is not None else None


def new_event_type(event_type: str, inter1: int | None, mapping: AcledMapping) -> str:
    """The current-scheme event type of an old-scheme one (``Riots/Protests`` splits on actor1's
    class); current types pass unchanged."""
    key = event_type.strip().lower()
    if key not in mapping.old_event_types:
        return event_type.strip()
    if key == "riots/protests" and inter1 == 5:
        return mapping.old_riots_type
    return mapping.old_event_types[key]


def read_export(path: Path, mapping: AcledMapping) -> list[AcledRow]:
    """The rows of an ACLED CSV export that have a note; headers match case-insensitively and
    missing columns read as empty."""
    try:
        handle = path.open(encoding="utf-8-sig", errors="replace", newline="")
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}") from exc
    with handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames:
            raise ConfigError(f"{path}: empty file")
        columns = {name.strip().lower(): name for name in reader.fieldnames if name}
        if "notes" not in columns:
            raise ConfigError(f"{path}: no 'notes' column (each note is read as an article)")
        rows = []
        for index, raw in enumerate(reader, start=1):

            def get(column: str, raw: dict[str, str | None] = raw) -> str:
                key = columns.get(column)
                return (raw.get(key) or "").strip() if key else ""

            notes = get("notes")
            if not notes:
                continue
            inter1 = parse_inter(get("inter1"), mapping)
            rows.append(
                AcledRow(
                    row=index,
                    event_date=parse_date(get("event_date")),
                    event_type=new_event_type(get("event_type"), inter1, mapping),
                    sub_event_type=get("sub_event_type"),
                    actor1=get("actor1"),
                    inter1=inter1,
                    actor2=get("actor2"),
                    inter2=parse_inter(get("inter2"), mapping),
                    country=get("country"),
                    location=get("location"),
                    latitude=_float(get("latitude")),
                    longitude=_float(get("longitude")),
                    geo_precision=_int(get("geo_precision")),
                    notes=notes,
                    event_id=get("event_id_cnty"),
                )
            )
    return rows


def collapse_monadic(rows: Sequence[AcledRow], mapping: AcledMapping) -> list[AcledRow]:
    """One row per event of a monadic export (ACLED lists a two-actor event once per actor, the
    ``actor1`` column holding each actor in turn): rows of one ``event_id_cnty`` and note become
    one, ordered as ACLED's dyadic exports are (civilians, ``actor2_classes``, are actor 2;
    demonstrators first in ``demonstrators_first`` types), else the first row's actor first.
    Dyadic exports pass unchanged."""
    groups: dict[tuple[str, str], list[AcledRow]] = {}
    order: list[tuple[str, str] | int] = []
    for index, row in enumerate(rows):
        if not row.event_id:
            order.append(index)
            continue
        key = (row.event_id, row.notes)
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append(row)
    out: list[AcledRow] = []
    for item in order:
        if isinstance(item, int):
            out.append(rows[item])
            continue
        pair = groups[item]
        if len(pair) != 2 or pair[0].actor2 or pair[1].actor2:
            out.extend(pair)  # not a monadic pair: keep what the export says
            continue
        first, second = pair
        if _second_first(first, second, mapping):
            first, second = second, first
        out.append(replace(first, actor2=second.actor1, inter2=second.inter1))
    return out


def _second_first(first: AcledRow, second: AcledRow, mapping: AcledMapping) -> bool:
    """Whether the second row's actor is ACLED's actor 1 of a monadic pair."""
    if first.inter1 in mapping.actor2_classes and second.inter1 not in mapping.actor2_classes:
        return True
    if second.inter1 in mapping.actor2_classes:
        return False
    demonstrators = mapping.demonstrator_classes
    return (
        first.event_type in mapping.demonstrators_first
        and second.inter1 in demonstrators
        and first.inter1 not in demonstrators
    )


def sample_rows(rows: Sequence[AcledRow], limit: int | None, seed: int) -> list[AcledRow]:
    """A seeded random sample of ``limit`` rows, in file order; all rows when ``limit`` is None
    or not smaller."""
    if limit is None or limit >= len(rows):
        return list(rows)
    chosen = random.Random(seed).sample(range(len(rows)), limit)
    return [rows[i] for i in sorted(chosen)]


# --- what the project predicts --------------------------------------------------------------------


@dataclass(frozen=True)
class Predicted:
    """The fields of the reported event the scorer compares (None: no factual event)."""

    event_type: str
    sub_event_type: str
    actor1_type: str | None = None
    actor1_country: str | None = None
    """ISO alpha-3."""
    actor2_type: str | None = None
    actor2_country: str | None = None
    actor1_class: int | None = None
    """The ACLED class the extractor wrote (``Actor.acled_class``); None: derived from the type."""
    actor2_class: int | None = None
    place_name: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    place_country: str | None = None
    """ISO alpha-2."""
    geo_precision: int | None = None


def reported_event(events: Iterable[Event]) -> Event | None:
    """The event the project would report for a note: the extractor's main event (``main``,
    ``pipeline/extract/main_event.py``); for records without one, its most confident factual
    event with an ACLED type (ACLED codes nothing else: "demanded", "accused" are the story's
    words, not its event), else its most confident factual event; the first in the text on a
    tie."""
    pool = list(events)
    main = next((e for e in pool if e.main and e.factual), None)
    if main is not None:
        return main
    best: Event | None = None
    for event in pool:
        if not event.factual:
            continue
        if best is None or (bool(event.event_type), event.confidence, -event.trigger.start) > (
            bool(best.event_type),
            best.confidence,
            -best.trigger.start,
        ):
            best = event
    return best


def predicted_of(event: Event | None) -> Predicted | None:
    """The compared fields of an extracted event."""
    if event is None:
        return None
    place = event.place
    return Predicted(
        event_type=event.event_type,
        sub_event_type=event.sub_event_type,
        actor1_type=event.actor1.type if event.actor1 else None,
        actor1_country=event.actor1.country if event.actor1 else None,
        actor2_type=event.actor2.type if event.actor2 else None,
        actor2_country=event.actor2.country if event.actor2 else None,
        actor1_class=event.actor1.acled_class if event.actor1 else None,
        actor2_class=event.actor2.acled_class if event.actor2 else None,
        place_name=place.name if place else None,
        latitude=place.latitude if place else None,
        longitude=place.longitude if place else None,
        place_country=place.country_code if place else None,
        geo_precision=place.geo_precision if place else None,
    )


# --- comparing ------------------------------------------------------------------------------------


def actor_class(
    actor_type: str | None,
    actor_country: str | None,
    event_country: str | None,
    event_type: str,
    mapping: AcledMapping | None = None,
    *,
    agent: bool = False,
) -> int | None:
    """ACLED class of a project actor by the extractor's own table (``actor_types.yaml``: by
    type; state forces of another country than the event's are external; protesters of a riot
    rioters; with ``agent``, actor 1 of a protest or riot a protester or rioter). For records
    without ``acled_class``. Countries are ISO alpha-3; ``mapping`` is not consulted."""
    return actor_types().acled_class(
        actor_type, actor_country, event_country, event_type, agent=agent
    )


def acled_roles(
    class1: int | None, class2: int | None, event_type: str, mapping: AcledMapping
) -> tuple[int | None, int | None]:
    """The two classes in ACLED's order: of a demonstration (``demonstrators_first``) where state
    forces act on protesters or rioters ("police dispersed the protesters": the police are the
    agent of the act, actor 1 of the extractor), ACLED codes the demonstrators as actor 1 and
    the forces as actor 2; otherwise as extracted."""
    table = actor_types()
    if (
        event_type in mapping.demonstrators_first
        and class1 in (table.state_class, table.external_class)
        and class2 in mapping.demonstrator_classes
    ):
        return class2, class1
    return class1, class2


def _scored_class(
    written: int | None,
    actor_type: str | None,
    actor_country: str | None,
    event_country: str | None,
    event_type: str,
    *,
    agent: bool,
) -> int | None:
    """The class the extractor wrote, else the one its table gives the type."""
    if written is not None:
        return written
    return actor_class(actor_type, actor_country, event_country, event_type, agent=agent)


class CountryCodes:
    """ACLED country names -> ISO alpha-2 and alpha-3, from the gazetteer's country table plus the
    aliases of ``data/acled.yaml``."""

    def __init__(self, countries: dict[str, tuple[str, str]], aliases: dict[str, str]) -> None:
        self.iso3 = {iso2: iso3 for iso2, (_, iso3) in countries.items()}
        self._by_name = {name.lower(): iso2 for iso2, (name, _) in countries.items()}
        self._by_name.update(aliases)

    def iso2(self, name: str) -> str | None:
        """ISO alpha-2 of an ACLED country name, None when unknown."""
        return self._by_name.get(name.strip().lower())


def _ratio(hits: int, total: int) -> float | None:
    return round(hits / total, 4) if total else None


@dataclass
class _Tally:
    hits: int = 0
    total: int = 0

    def add(self, hit: bool) -> None:
        self.total += 1
        self.hits += int(hit)

    def ratio(self) -> float | None:
        return _ratio(self.hits, self.total)


@dataclass
class _Group:
    """Tallies of one country or event type."""

    n: int = 0
    event_type: _Tally = field(default_factory=_Tally)
    actor1: _Tally = field(default_factory=_Tally)
    place_25km: _Tally = field(default_factory=_Tally)
    country: _Tally = field(default_factory=_Tally)

    def to_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "event_type": self.event_type.ratio(),
            "actor1_class": self.actor1.ratio(),
            "place_25km": self.place_25km.ratio(),
            "country": self.country.ratio(),
        }


@dataclass(frozen=True)
class Miss:
    """A note whose reported place is far from the coded point."""

    row: int
    distance_km: float
    predicted: str
    coded: str
    excerpt: str


@dataclass
class AcledReport:
    """Every figure of one run; ratios are over all scored notes unless said otherwise."""

    path: str
    rows_with_notes: int
    scored: int
    seed: int
    seconds: float = 0.0
    factual_event: float | None = None
    no_actor1_among_found: float | None = None
    event_type: float | None = None
    sub_event_type: float | None = None
    sub_event_type_n: int = 0
    actor1_class: float | None = None
    actor1_class_n: int = 0
    actor2_class: float | None = None
    actor2_class_n: int = 0
    battle_pair_ordered: float | None = None
    """Among notes coded Battles with both classes: both classes right in ACLED's order."""
    battle_pair_unordered: float | None = None
    """The same in either order: ACLED's order of a battle's two sides follows no fixed rule
    (state forces first in 73% of South Sudan's 2011-18 state-against-non-state battles, 9% of
    Afghanistan's 2020), so the pair is also compared as a set."""
    battle_pair_n: int = 0
    demonstration_roles_swapped: float | None = None
    """Share of notes whose actors were compared in ACLED's order for a demonstration (state
    forces acting on demonstrators: the demonstrators are ACLED's actor 1)."""
    place_25km: float | None = None
    place_25km_n: int = 0
    country: float | None = None
    country_n: int = 0
    other_country: float | None = None
    placed: float | None = None
    """Share of notes whose reported event has a place with a country (the rest count wrong)."""
    geo_precision: float | None = None
    geo_precision_n: int = 0
    gazetteer_ceiling_25km: float | None = None
    place_25km_named: float | None = None
    """Place within 25 km among notes whose coded location the gazetteer names."""
    place_25km_named_n: int = 0
    place_25km_unnamed: float | None = None
    """Place within 25 km among the other notes (a namesake, a parent or a neighbour)."""
    place_25km_unnamed_n: int = 0
    note_ceiling_25km: float | None = None
    """Share of coded points some name the note writes has a gazetteer record within 25 km of."""
    place_miss_buckets: dict[str, int] = field(default_factory=dict)
    """Why each place miss missed (see :func:`miss_bucket`), counts over scored notes."""
    place_25km_reachable: float | None = None
    """Place within 25 km among the notes within the note ceiling (some name reaches the point)."""
    place_25km_reachable_n: int = 0
    reachable_miss_buckets: dict[str, int] = field(default_factory=dict)
    """:func:`miss_bucket` counts over the reachable notes only: where the resolver loses them."""
    country_named: float | None = None
    """Country accuracy among notes that write the coded country's name or a demonym of it."""
    country_named_n: int = 0
    country_named_found: float | None = None
    """The same among those notes with a reported event."""
    by_country: dict[str, dict[str, Any]] = field(default_factory=dict)
    by_event_type: dict[str, dict[str, Any]] = field(default_factory=dict)
    confusion: dict[str, dict[str, int]] = field(default_factory=dict)
    actor1_confusion: dict[str, dict[str, int]] = field(default_factory=dict)
    worst_place_misses: list[Miss] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data."""
        return asdict(self)


def score(
    rows: Sequence[AcledRow],
    predictions: Sequence[Predicted | None],
    mapping: AcledMapping,
    countries: CountryCodes,
    *,
    path: str = "",
    rows_with_notes: int | None = None,
    seed: int = 0,
    worst: int = 15,
) -> AcledReport:
    """Compare one prediction per row with the coding (None: the note gave no factual event)."""
    if len(rows) != len(predictions):
        raise ValueError("one prediction per row")
    found = _Tally()
    no_actor1 = _Tally()
    etype, subtype, actor1, actor2 = _Tally(), _Tally(), _Tally(), _Tally()
    place, country, other, precision = _Tally(), _Tally(), _Tally(), _Tally()
    placed = _Tally()
    swapped = _Tally()
    pair_ordered, pair_unordered = _Tally(), _Tally()
    by_country: dict[str, _Group] = defaultdict(_Group)
    by_type: dict[str, _Group] = defaultdict(_Group)
    confusion: dict[str, Counter[str]] = defaultdict(Counter)
    actor1_confusion: dict[str, Counter[str]] = defaultdict(Counter)
    misses: list[Miss] = []
    for row, pred in zip(rows, predictions, strict=True):
        groups = (by_country[row.country or "?"], by_type[row.event_type or "?"])
        for g in groups:
            g.n += 1
        found.add(pred is not None)
        if pred is not None:
            no_actor1.add(pred.actor1_type is None)
        iso2 = countries.iso2(row.country) if row.country else None
        iso3 = countries.iso3.get(iso2) if iso2 else None
        placed.add(pred is not None and pred.place_country is not None)
        p_type = pred.event_type if pred else ""
        type_hit = pred is not None and p_type == row.event_type
        etype.add(type_hit)
        for g in groups:
            g.event_type.add(type_hit)
        confusion[row.event_type or "?"][(p_type or "(no ACLED type)") if pred else NO_EVENT] += 1
        if row.sub_event_type:
            subtype.add(pred is not None and pred.sub_event_type == row.sub_event_type)
        p_class1 = (
            _scored_class(
                pred.actor1_class,
                pred.actor1_type,
                pred.actor1_country,
                iso3,
                p_type,
                agent=True,
            )
            if pred
            else None
        )
        p_class2 = (
            _scored_class(
                pred.actor2_class,
                pred.actor2_type,
                pred.actor2_country,
                iso3,
                p_type,
                agent=False,
            )
            if pred
            else None
        )
        roles = acled_roles(p_class1, p_class2, p_type, mapping)
        swapped.add(roles != (p_class1, p_class2))
        p_class1, p_class2 = roles
        if row.inter1 is not None:
            hit = p_class1 == row.inter1
            actor1.add(hit)
            for g in groups:
                g.actor1.add(hit)
            actor1_confusion[mapping.inter_classes[row.inter1]][
                mapping.inter_classes.get(p_class1, "(none)") if p_class1 else "(none)"
            ] += 1
        if row.inter2 is not None:
            actor2.add(p_class2 == row.inter2)
        if row.event_type == BATTLES and row.inter1 is not None and row.inter2 is not None:
            pair_ordered.add((p_class1, p_class2) == (row.inter1, row.inter2))
            pair_unordered.add(
                p_class1 is not None
                and p_class2 is not None
                and sorted((p_class1, p_class2)) == sorted((row.inter1, row.inter2))
            )
        if row.latitude is not None and row.longitude is not None:
            distance = None
            if pred is not None and pred.latitude is not None and pred.longitude is not None:
                distance = great_circle_km(
                    row.latitude, row.longitude, pred.latitude, pred.longitude
                )
            hit = distance is not None and distance <= RADIUS_KM
            place.add(hit)
            for g in groups:
                g.place_25km.add(hit)
            if distance is not None and not hit and pred is not None:
                misses.append(
                    Miss(
                        row=row.row,
                        distance_km=round(distance, 1),
                        predicted=f"{pred.place_name} ({pred.place_country or '?'})",
                        coded=f"{row.location} ({row.country})",
                        excerpt=_excerpt(row.notes),
                    )
                )
        if iso2 is not None:
            p_country = pred.place_country if pred else None
            hit = p_country == iso2
            country.add(hit)
            other.add(p_country is not None and p_country != iso2)
            for g in groups:
                g.country.add(hit)
        if row.geo_precision is not None:
            precision.add(pred is not None and pred.geo_precision == row.geo_precision)
    misses.sort(key=lambda m: -m.distance_km)
    return AcledReport(
        path=path,
        rows_with_notes=len(rows) if rows_with_notes is None else rows_with_notes,
        scored=len(rows),
        seed=seed,
        factual_event=found.ratio(),
        no_actor1_among_found=no_actor1.ratio(),
        event_type=etype.ratio(),
        sub_event_type=subtype.ratio(),
        sub_event_type_n=subtype.total,
        actor1_class=actor1.ratio(),
        actor1_class_n=actor1.total,
        actor2_class=actor2.ratio(),
        actor2_class_n=actor2.total,
        battle_pair_ordered=pair_ordered.ratio(),
        battle_pair_unordered=pair_unordered.ratio(),
        battle_pair_n=pair_unordered.total,
        demonstration_roles_swapped=swapped.ratio(),
        place_25km=place.ratio(),
        place_25km_n=place.total,
        country=country.ratio(),
        country_n=country.total,
        other_country=other.ratio(),
        placed=placed.ratio(),
        geo_precision=precision.ratio(),
        geo_precision_n=precision.total,
        by_country={k: g.to_dict() for k, g in sorted(by_country.items(), key=lambda kv: -kv[1].n)},
        by_event_type={k: g.to_dict() for k, g in sorted(by_type.items(), key=lambda kv: -kv[1].n)},
        confusion={k: dict(v.most_common()) for k, v in sorted(confusion.items())},
        actor1_confusion={k: dict(v.most_common()) for k, v in sorted(actor1_confusion.items())},
        worst_place_misses=misses[:worst],
    )


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _EXCERPT else text[: _EXCERPT - 1] + "…"


# --- the gazetteer's ceiling ----------------------------------------------------------------------

#: Candidate coordinates of a place name in a country (ISO alpha-2, or None for anywhere).
NameLookup = Callable[[str, str | None], Sequence[tuple[float, float]]]


def location_names(location: str) -> list[str]:
    """The names a coded ``location`` may be looked up by: itself, and the part before ACLED's
    " - " suffix ("Kabul - Police District 5" -> "Kabul")."""
    names = [location.strip()]
    head = location.split(" - ")[0].strip()
    if head and head not in names:
        names.append(head)
    return [n for n in names if n]


def nameable(row: AcledRow, lookup: NameLookup, countries: CountryCodes) -> bool | None:
    """Whether the gazetteer names the row's coded location within 25 km of the coded point by
    name lookup alone (any candidate in the coded country counts); None without a coded point."""
    if row.latitude is None or row.longitude is None or not row.location:
        return None
    iso2 = countries.iso2(row.country) if row.country else None
    return any(
        great_circle_km(row.latitude, row.longitude, lat, lon) <= RADIUS_KM
        for name in location_names(row.location)
        for lat, lon in lookup(name, iso2)
    )


def gazetteer_ceiling(
    rows: Sequence[AcledRow], lookup: NameLookup, countries: CountryCodes
) -> float | None:
    """Share of coded locations the gazetteer can name within 25 km (see :func:`nameable`): the
    most a resolver that names the coded location could reach with this gazetteer."""
    tally = _Tally()
    for row in rows:
        named = nameable(row, lookup, countries)
        if named is not None:
            tally.add(named)
    return tally.ratio()


_NOTE_WORD = re.compile(r"[^\W\d_][\w'’‘]*(?:-[\w'’‘]+)*")
_NOTE_NAME_WORDS = 4


@functools.cache
def _name_links() -> frozenset[str]:
    """The words that join the parts of one place name (``toponyms.yaml``)."""
    from pipeline.extract.toponym_resolution import load_toponym_cues

    return load_toponym_cues().name_links


def note_names(notes: str) -> list[str]:
    """Every name a note may write a place by: runs of one to four words that start and end
    capitalised ("Bar-Sanguun", "Ma'arrat al-Numan", "Lower Juba")."""
    links = _name_links()
    words = [m.group() for m in _NOTE_WORD.finditer(notes)]

    def capitalised(word: str) -> bool:  # "al-Numan": a linked name part
        head, _, tail = word.partition("-")
        return word[:1].isupper() or (head.lower() in links and tail[:1].isupper())

    out: dict[str, None] = {}
    for i, first in enumerate(words):
        if not first[:1].isupper():
            continue
        for j in range(i, min(i + _NOTE_NAME_WORDS, len(words))):
            word = words[j]
            if not capitalised(word) and word.lower() not in links:
                break
            if capitalised(word):
                out[" ".join(words[i : j + 1])] = None
    return list(out)


def note_nameable(row: AcledRow, lookup: NameLookup, countries: CountryCodes) -> bool | None:
    """Whether some name the note writes has a gazetteer record (in the coded country) within
    25 km of the coded point: what a resolver reading only the note could reach; None without
    a coded point."""
    if row.latitude is None or row.longitude is None:
        return None
    iso2 = countries.iso2(row.country) if row.country else None
    return any(
        great_circle_km(row.latitude, row.longitude, lat, lon) <= RADIUS_KM
        for name in note_names(row.notes)
        for lat, lon in lookup(name, iso2)
    )


MISS_BUCKETS = (
    "no event",
    "gazetteer ceiling",
    "no place",
    "wrong country",
    "wrong namesake",
    "too coarse",
    "another place of the note",
)


def miss_bucket(
    row: AcledRow,
    pred: Predicted | None,
    reachable: bool | None,
    lookup: NameLookup,
    countries: CountryCodes,
) -> str | None:
    """Why a place missed (one of :data:`MISS_BUCKETS`, first that applies), None for a hit or a
    row without a coded point: no factual event; no name of the note is within 25 km in the
    gazetteer (``reachable`` False); an event without a placed point; placed in another
    country; the predicted name has a record within 25 km (a namesake was chosen); an
    administrative unit or parent's point where the note names a nearer place; else the
    event took another place the note names."""
    hit = place_hit(row, pred)
    if hit is None or hit:
        return None
    assert row.latitude is not None and row.longitude is not None
    if pred is None:
        return "no event"
    if reachable is False:
        return "gazetteer ceiling"
    if pred.latitude is None or pred.longitude is None:
        return "no place"
    iso2 = countries.iso2(row.country) if row.country else None
    if pred.place_country is not None and iso2 is not None and pred.place_country != iso2:
        return "wrong country"
    if pred.place_name and any(
        great_circle_km(row.latitude, row.longitude, lat, lon) <= RADIUS_KM
        for lat, lon in lookup(pred.place_name, iso2)
    ):
        return "wrong namesake"
    if (pred.geo_precision or 1) > max(row.geo_precision or 1, 1):
        return "too coarse"
    return "another place of the note"


def reachable_split(
    rows: Sequence[AcledRow],
    predictions: Sequence[Predicted | None],
    reachable: Sequence[bool | None],
    lookup: NameLookup,
    countries: CountryCodes,
) -> tuple[float | None, int, dict[str, int]]:
    """Place within 25 km among the notes within the note ceiling (``reachable`` True), their
    number, and their misses by :func:`miss_bucket`: where the gap between "reachable" and
    "placed" is lost (no event, no place generated, wrong country, namesake, too coarse,
    another place of the note)."""
    tally = _Tally()
    lost: Counter[str] = Counter()
    for row, pred, known in zip(rows, predictions, reachable, strict=True):
        hit = place_hit(row, pred)
        if not known or hit is None:
            continue
        tally.add(hit)
        bucket = miss_bucket(row, pred, known, lookup, countries)
        if bucket is not None:
            lost[bucket] += 1
    return tally.ratio(), tally.total, {b: lost[b] for b in MISS_BUCKETS if lost[b]}


def place_hit(row: AcledRow, pred: Predicted | None) -> bool | None:
    """Whether the reported place is within 25 km of the coded point; None without a coded
    point."""
    if row.latitude is None or row.longitude is None:
        return None
    if pred is None or pred.latitude is None or pred.longitude is None:
        return False
    return great_circle_km(row.latitude, row.longitude, pred.latitude, pred.longitude) <= RADIUS_KM


def split_by_ceiling(
    rows: Sequence[AcledRow], predictions: Sequence[Predicted | None], named: Sequence[bool | None]
) -> dict[str, Any]:
    """Place within 25 km among notes whose coded location the gazetteer names (resolution
    errors) and among the others (missing data): the gap split in two."""
    tallies = {True: _Tally(), False: _Tally()}
    for row, pred, known in zip(rows, predictions, named, strict=True):
        hit = place_hit(row, pred)
        if known is not None and hit is not None:
            tallies[known].add(hit)
    return {
        "place_25km_named": tallies[True].ratio(),
        "place_25km_named_n": tallies[True].total,
        "place_25km_unnamed": tallies[False].ratio(),
        "place_25km_unnamed_n": tallies[False].total,
    }


def gazetteer_lookup(gazetteer: Any, villages: Any = None) -> NameLookup:
    """A :data:`NameLookup` over the extractor's gazetteer (``Gazetteer.lookup`` by surface form,
    then by its ASCII folding) and its village-level one (``GeoNamesPlaces.lookup``, by
    spelling-tolerant key), when given."""
    from pipeline.extract.gazetteer import fold

    def lookup(name: str, country: str | None) -> list[tuple[float, float]]:
        found = list(gazetteer.lookup(name)) or list(gazetteer.lookup(fold(name)))
        if villages is not None:
            found += villages.lookup(name)
        return [
            (p.latitude, p.longitude)
            for p in found
            if p.latitude is not None
            and p.longitude is not None
            and (country is None or p.country == country)
        ]

    return lookup


# --- running --------------------------------------------------------------------------------------


def published_of(row: AcledRow) -> datetime | None:
    """The note's publication time: noon UTC on the day after the event."""
    if row.event_date is None:
        return None
    day = row.event_date + timedelta(days=1)
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


def extract_predictions(
    rows: Sequence[AcledRow], extractor: Any, *, batch_size: int = 32, progress: bool = False
) -> list[Predicted | None]:
    """Run each note through the extractor as one article (``nlp.pipe`` in batches) and keep
    the reported event's fields."""
    from pipeline.extract import ArticleText

    out: list[Predicted | None] = []
    chunk = max(batch_size * 4, 1)
    started = time.monotonic()
    for start in range(0, len(rows), chunk):
        part = rows[start : start + chunk]
        articles = [
            ArticleText(
                article_id=f"acled-{row.row}",
                text=row.notes,
                published=published_of(row),
                source="ACLED note",
            )
            for row in part
        ]
        for extraction in extractor.extract_many(articles, batch_size=batch_size):
            out.append(predicted_of(reported_event(extraction.events)))
        if progress:
            done = len(out)
            rate = done / max(time.monotonic() - started, 1e-9)
            print(f"  {done}/{len(rows)} notes, {rate:.1f}/s", file=sys.stderr, flush=True)
    return out


def evaluate_export(
    path: Path,
    *,
    limit: int | None = 500,
    seed: int = 0,
    worst: int = 15,
    batch_size: int = 32,
    model: str | None = None,
    progress: bool = False,
    extractor: Any = None,
) -> AcledReport:
    """Read, sample, extract and score an export (with ``extractor``, or one built here)."""
    from pipeline.extract import Extractor

    mapping = load_mapping()
    all_rows = collapse_monadic(read_export(path, mapping), mapping)
    if not all_rows:
        raise ConfigError(f"{path}: no row with a note")
    rows = sample_rows(all_rows, limit, seed)
    if extractor is None:
        extractor = Extractor(model) if model else Extractor()
    countries = CountryCodes(extractor.gazetteer.countries, mapping.country_aliases)
    started = time.monotonic()
    predictions = extract_predictions(rows, extractor, batch_size=batch_size, progress=progress)
    report = score(
        rows,
        predictions,
        mapping,
        countries,
        path=str(path),
        rows_with_notes=len(all_rows),
        seed=seed,
        worst=worst,
    )
    report.seconds = round(time.monotonic() - started, 1)
    resolver = getattr(getattr(extractor, "places", None), "resolver", None)
    lookup = gazetteer_lookup(extractor.gazetteer, getattr(resolver, "places", None))
    named = [nameable(row, lookup, countries) for row in rows]
    report.gazetteer_ceiling_25km = gazetteer_ceiling(rows, lookup, countries)
    split = split_by_ceiling(rows, predictions, named)
    report.place_25km_named = split["place_25km_named"]
    report.place_25km_named_n = split["place_25km_named_n"]
    report.place_25km_unnamed = split["place_25km_unnamed"]
    report.place_25km_unnamed_n = split["place_25km_unnamed_n"]
    reachable = [note_nameable(row, lookup, countries) for row in rows]
    tally = _Tally()
    for known in reachable:
        if known is not None:
            tally.add(known)
    report.note_ceiling_25km = tally.ratio()
    buckets: Counter[str] = Counter()
    for row, pred, known in zip(rows, predictions, reachable, strict=True):
        bucket = miss_bucket(row, pred, known, lookup, countries)
        if bucket is not None:
            buckets[bucket] += 1
    report.place_miss_buckets = {b: buckets[b] for b in MISS_BUCKETS if buckets[b]}
    (
        report.place_25km_reachable,
        report.place_25km_reachable_n,
        report.reachable_miss_buckets,
    ) = reachable_split(rows, predictions, reachable, lookup, countries)
    words = country_words(getattr(extractor, "actor_dictionary", None), countries)
    named_in, found_in = _Tally(), _Tally()
    for row, pred in zip(rows, predictions, strict=True):
        iso2 = countries.iso2(row.country) if row.country else None
        if iso2 is None or not names_country(row.notes, words.get(iso2, ())):
            continue
        hit = pred is not None and pred.place_country == iso2
        named_in.add(hit)
        if pred is not None:
            found_in.add(hit)
    report.country_named, report.country_named_n = named_in.ratio(), named_in.total
    report.country_named_found = found_in.ratio()
    return report


def country_words(dictionary: Any, countries: CountryCodes) -> dict[str, list[str]]:
    """ISO2 → the words that name a country or its people (the actor dictionary's country
    entries and demonyms: "Burkina Faso", "Burkinabe")."""
    out: dict[str, list[str]] = {}
    iso2_of = {iso3: iso2 for iso2, iso3 in countries.iso3.items()}
    for surface, actor, *_ in getattr(dictionary, "named", ()):
        iso2 = iso2_of.get(actor.country or "")
        if iso2 and (actor.country_like or actor.people):
            out.setdefault(iso2, []).append(surface)
    return out


def names_country(notes: str, words: Iterable[str]) -> bool:
    """The note writes one of ``words`` as a whole word."""
    return any(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", notes) for w in words)


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def format_report(report: AcledReport) -> str:
    """The report as text."""
    r = report
    lines = [
        f"ACLED export {r.path}: {r.scored} of {r.rows_with_notes} notes scored (seed {r.seed}), "
        f"{r.seconds:.0f} s",
        "Reported event = the note's most confident factual event; no event counts wrong.",
        f"  factual event found        {_fmt(r.factual_event)}   "
        f"(found events without actor1: {_fmt(r.no_actor1_among_found)})",
        f"  event type                 {_fmt(r.event_type)}",
        f"  sub-event type             {_fmt(r.sub_event_type)}   (n={r.sub_event_type_n})",
        f"  actor1 class               {_fmt(r.actor1_class)}   (n={r.actor1_class_n})",
        f"  actor2 class               {_fmt(r.actor2_class)}   (n={r.actor2_class_n})",
        f"    compared in ACLED's demonstration order  {_fmt(r.demonstration_roles_swapped)}",
        f"  battle pair (n={r.battle_pair_n})          ordered {_fmt(r.battle_pair_ordered)}"
        f"   either order {_fmt(r.battle_pair_unordered)}",
        f"  place within 25 km         {_fmt(r.place_25km)}   (n={r.place_25km_n})",
        f"  gazetteer ceiling (25 km)  {_fmt(r.gazetteer_ceiling_25km)}   "
        "(coded location named within 25 km by name lookup)",
        f"    place within 25 km where it is named      {_fmt(r.place_25km_named)}   "
        f"(n={r.place_25km_named_n})",
        f"    place within 25 km where it is not named  {_fmt(r.place_25km_unnamed)}   "
        f"(n={r.place_25km_unnamed_n})",
        f"  note ceiling (25 km)       {_fmt(r.note_ceiling_25km)}   "
        "(some name the note writes is within 25 km in the gazetteer)",
        "    place misses: "
        + (", ".join(f"{k} {v}" for k, v in r.place_miss_buckets.items()) or "none"),
        f"    place within 25 km where the note reaches it  {_fmt(r.place_25km_reachable)}   "
        f"(n={r.place_25km_reachable_n}); its misses: "
        + (", ".join(f"{k} {v}" for k, v in r.reachable_miss_buckets.items()) or "none"),
        f"  country                    {_fmt(r.country)}   (n={r.country_n})",
        f"    where the note names it  {_fmt(r.country_named)}   (n={r.country_named_n}; "
        f"with an event: {_fmt(r.country_named_found)})",
        f"  placed in another country  {_fmt(r.other_country)}   "
        f"(notes with a placed event: {_fmt(r.placed)})",
        f"  geo_precision agreement    {_fmt(r.geo_precision)}   (n={r.geo_precision_n})",
        "",
    ]
    for title, table in (("country", r.by_country), ("event type", r.by_event_type)):
        lines.append(f"By {title}:  n  type  actor1  place25  country")
        for name, g in table.items():
            lines.append(
                f"  {name[:34]:34} {g['n']:4}  {_fmt(g['event_type'])}  {_fmt(g['actor1_class'])}"
                f"  {_fmt(g['place_25km'])}  {_fmt(g['country'])}"
            )
        lines.append("")
    lines.append("Event types, coded -> reported (counts):")
    for coded, row in r.confusion.items():
        lines.append(f"  {coded}: " + ", ".join(f"{k} {v}" for k, v in row.items()))
    lines.append("Actor1 class, coded -> reported (counts):")
    for coded, row in r.actor1_confusion.items():
        lines.append(f"  {coded}: " + ", ".join(f"{k} {v}" for k, v in row.items()))
    lines.append("")
    lines.append("Worst place misses:")
    for m in r.worst_place_misses:
        lines.append(
            f"  row {m.row}: {m.distance_km:.0f} km, {m.predicted} vs {m.coded}: {m.excerpt}"
        )
    return "\n".join(lines)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Options of ``wirestream eval acled``."""
    p = argparse.ArgumentParser(
        prog="wirestream eval acled",
        description="Score extraction on an ACLED CSV export: each note is read as one article.",
    )
    p.add_argument("export", type=Path, metavar="EXPORT.csv", help="an ACLED export with notes")
    p.add_argument(
        "--limit",
        type=int,
        default=500,
        help="score a seeded random sample of N notes (default 500; 0: all)",
    )
    p.add_argument("--seed", type=int, default=0, help="seed of the sample (default 0)")
    p.add_argument("--worst", type=int, default=15, help="place misses to list (default 15)")
    p.add_argument("--batch-size", type=int, default=32, help="nlp.pipe batch size (default 32)")
    p.add_argument("--model", help="spaCy model (default: the project's)")
    p.add_argument("--json", action="store_true", help="end with the report as one JSON line")
    return p.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Print the report (and its JSON with ``--json``); exit 2 on an unreadable export."""
    args = parse_args(argv)
    try:
        report = evaluate_export(
            args.export,
            limit=args.limit or None,
            seed=args.seed,
            worst=args.worst,
            batch_size=args.batch_size,
            model=args.model,
            progress=True,
        )
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(format_report(report))
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
