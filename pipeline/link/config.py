"""Settings of event linking: distances, date tolerance, state window, bounds of the records."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from pipeline.errors import ConfigError
from pipeline.extract.datafiles import DATA_DIR, check_keys, read_yaml

#: The extractor's actor dictionary: its role codes tell a role ("rebels", "Syrian army") from a
#: named actor ("Islamic State"), and are kept in that one file only.
ACTORS_FILE = DATA_DIR / "actors.yaml"
#: Which different codings may describe one event (type groups, actor type groups).
COMPATIBLE_FILE = Path(__file__).parent / "data" / "compatible.yaml"


@dataclass(frozen=True)
class Compatibility:
    """Groups of event types and of actor types that may describe one real-world event."""

    type_groups: tuple[tuple[str, ...], ...] = ()
    actor_type_groups: tuple[tuple[str, ...], ...] = ()
    distinct_sub_types: frozenset[str] = frozenset()
    """ACLED sub-types that are each another act: a mention of one never links to another's."""

    def type_group(self, type_key: str) -> str:
        """The name a type is blocked and compared under: its group's first type, or itself."""
        for group in self.type_groups:
            if type_key in group:
                return group[0]
        return type_key

    def alike_actors(self, a: str, b: str) -> bool:
        """Two actor types one outlet may write one way and another the other way."""
        return any(a in group and b in group for group in self.actor_type_groups)


def _groups(where: str, value: object) -> tuple[tuple[str, ...], ...]:
    if not isinstance(value, list):
        raise ConfigError(f"{where}: expected a list of groups")
    groups: list[tuple[str, ...]] = []
    seen: set[str] = set()
    for index, group in enumerate(value):
        if not isinstance(group, list) or len(group) < 2:
            raise ConfigError(f"{where}[{index}]: expected a list of two or more names")
        if not all(isinstance(item, str) and item.strip() for item in group):
            raise ConfigError(f"{where}[{index}]: expected non-empty strings, got {group!r}")
        for item in group:
            if item in seen:
                raise ConfigError(f"{where}[{index}]: {item!r} is already in another group")
            seen.add(item)
        groups.append(tuple(group))
    return tuple(groups)


def load_compatibility(path: Path = COMPATIBLE_FILE) -> Compatibility:
    """Read ``compatible.yaml``; every problem is a ConfigError naming the file and entry."""
    data = read_yaml(path)
    check_keys(str(path), data, ("type_groups", "actor_type_groups", "distinct_sub_types"))
    type_groups = _groups(f"{path}: type_groups", data.get("type_groups") or [])
    for index, group in enumerate(type_groups):
        acled = [t for t in group if not t.startswith("CAMEO ")]
        if acled:
            raise ConfigError(
                f"{path}: type_groups[{index}]: {acled} are ACLED types; only 'CAMEO <root>' "
                "types may be grouped (the partition key keeps each ACLED type apart)"
            )
    actor_groups = _groups(f"{path}: actor_type_groups", data.get("actor_type_groups") or [])
    distinct = data.get("distinct_sub_types") or []
    if not isinstance(distinct, list) or not all(isinstance(t, str) for t in distinct):
        raise ConfigError(f"{path}: distinct_sub_types must be a list of ACLED sub-types")
    return Compatibility(type_groups, actor_groups, frozenset(distinct))


def load_role_codes(path: Path = ACTORS_FILE, *, prefix: bool = False) -> frozenset[str]:
    """The CAMEO role codes (``MIL``, ``REB``, ``CVL``...) of the actor dictionary's roles; with
    ``prefix``, those written before the country (``NGM``: "protesters" in Nicaragua is
    ``NGMNIC``)."""
    data = read_yaml(path)
    roles = [r for r in data.get("roles") or [] if isinstance(r, dict) and r.get("code")]
    codes = {str(role["code"]) for role in roles if not prefix or role.get("prefix")}
    if not codes and not prefix:
        raise ConfigError(f"{path}: no role codes found under 'roles'")
    return frozenset(codes)


def _prefix_role_codes() -> frozenset[str]:
    return load_role_codes(prefix=True)


def role_coded(code: str, role_codes: frozenset[str], prefix_codes: frozenset[str]) -> bool:
    """Coded by a role only (``REB``, ``IRQREB``, ``NGMNIC``), not as a named actor."""
    if code in role_codes:
        return True
    return len(code) == 6 and (code[3:] in role_codes or code[:3] in prefix_codes)


@dataclass(frozen=True)
class LinkConfig:
    """How mentions are compared and how long linked events are kept."""

    max_km: float = 25.0
    """A place known only approximately (geo_precision 2 with no containing place named, such
    as "near Idlib") matches another place within this distance. Two distinct *named* places
    never match by distance: two towns 10 km apart struck on the same day are two events."""
    region_km: float = 100.0
    """A province or region (geo_precision 3) contains a place within this distance of its
    reference point (its capital) when the place's admin1 is not known."""
    window: timedelta = timedelta(days=30)
    """An event is forgotten this long after its last mention's publication time (event time,
    one-day granularity); a later report then starts a new event."""
    undated_lookback: timedelta = timedelta(days=1)
    """A mention dated only by its article's publication day (no time expression, none from
    the context) may report the day before: its dates are that day and the one before."""
    undated_confidence: float = 0.45
    """A date with no time expression (``When.span`` none) on the publication day and at most
    this confidence is the publication day standing in for a date: the extractor gives that
    fallback 0.45, a date carried over from an earlier sentence 0.55 (pipeline/extract)."""
    day_slack: timedelta = timedelta(0)
    """Extra tolerance on each side of every date range; 0 keeps two events on consecutive
    days (yesterday's and today's protest) apart."""
    max_article_ids: int = 50
    """``LinkedEvent.article_ids`` and ``sources`` list at most this many (counts are exact)."""
    max_alternatives: int = 20
    """``LinkedEvent.alternatives`` keeps at most this many disagreeing values."""
    max_query_days: int = 400
    """A mention dated to a week, month or year looks up the day blocks it spans, at most this
    many (a year: 366)."""
    compatibility: Compatibility = field(default_factory=load_compatibility)
    """Type and actor type groups from ``data/compatible.yaml``."""
    role_codes: frozenset[str] = field(default_factory=load_role_codes)
    """CAMEO role codes of generic actors (from the extractor's ``actors.yaml``): an actor coded
    only by a role (``IRQREB`` "militants") may be any named actor of that type (``Islamic
    State``)."""
    prefix_role_codes: frozenset[str] = field(default_factory=_prefix_role_codes)
    """Of those, the codes written before the country (``NGMNIC``: protesters in Nicaragua)."""

    def __post_init__(self) -> None:
        if self.max_km < 0 or self.region_km < 0:
            raise ConfigError(
                f"link: distances must be >= 0, got max_km={self.max_km}, "
                f"region_km={self.region_km}"
            )
        if self.window <= timedelta(0):
            raise ConfigError(f"link: window must be positive, got {self.window}")
        if self.undated_lookback < timedelta(0) or self.day_slack < timedelta(0):
            raise ConfigError("link: undated_lookback and day_slack must be >= 0")
        if min(self.max_article_ids, self.max_alternatives, self.max_query_days) < 1:
            raise ConfigError("link: max_article_ids, max_alternatives, max_query_days >= 1")
