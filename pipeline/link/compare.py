"""Whether a mention can be the same real-world event as a linked event, and how strongly it agrees.

A mention and an event already share factuality, type group and country (they are in the same
lane, see ``keys``): the same ACLED event type, or CAMEO roots of one group in
``data/compatible.yaml`` (appeal ~ demand). They are compatible when all of these hold:

- **Places** (when both are known): the same place (same name key, or the same GeoNames city);
  or one is a named part of the other (a neighbourhood whose ``parent`` is the city: Sakhour is
  in Aleppo); or one is a region or country containing the other (same admin1, or within
  ``region_km`` of the region's capital; a country contains everything in it); or one is only
  approximately located (precision 2, no parent: "near Idlib") and they are within ``max_km``.
  Two different named parts of a city (Sakhour, Jabal Badro) are different places even though
  they share the city's coordinates, and two different towns never match by distance.
- **Actors**, actor 1 with actor 1 and actor 2 with actor 2: compatible when either is missing
  or unidentified (no CAMEO code: the dictionary does not know it), the same normalised actor,
  overlapping coordinated actors ("Syrian army and pro-government militia" ~ "Syrian army"), one
  CAMEO code extending the other (``SYRMIL`` ~ ``SYRMIL``, ``SYRREB`` ~ ``SYRREBNUS``; a bare
  country code only as below), or the
  same type where one is only a role of an unknown or the same country ("militants" ~ "Islamic
  State"). A "country" actor is the state: compatible with that country's state actors. Actor
  types grouped in ``compatible.yaml`` are alike (civilians ~ protesters).
- **Dates**: the date ranges overlap (widened by ``day_slack``): a day within a month, the same
  day, an undated report and the day before its publication.
- When neither has a place, both actor 1s must be the same named actor or state force (not a
  role such as "rioters" or "unidentified attackers") and they must share a toll (one outcome
  and kind, equal or risen): type and a date alone say too little, a placeless mention has no
  country either, and one named actor acts in many places a day ("NATO strikes hit the
  following targets: ..." on five ACLED rows, each a town).
- **Victims**: when both say who was killed, wounded or arrested (``Facts.targets``: soldiers,
  police, civilians...), one kind must be common.
- **Tolls**: counts of one outcome and kind ("killing 3 soldiers" / "killing 2 soldiers") that
  differ from one outlet on one day, or fall in a later report, are two incidents.
- **Named places**: when both name places at town level or finer (``named_places``: the places
  their sentences name, known to the gazetteer or not, and a resolved town), at least one must
  be common, whatever the precision of the resolved places.

- **Another day, another place**: two explicit days a day apart (within ``day_slack``) join
  only the same place or a named part of it (``other_day``).
- **One town, nothing else**: two mentions in one town that name no part of it in common must
  share a day, a named actor 1 or a toll (``same_town_unconfirmed``).

Among compatible events the stage picks the highest :class:`Agreement` score (same place over
containment over distance, same actors over compatible, same day over overlap, same sub-event
type), then the event with more mentions, then the oldest.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from pipeline.extract.actor_types import actor_types
from pipeline.link.config import LinkConfig, role_coded
from pipeline.link.facts import (
    COUNTRY_PRECISION,
    PROVINCE_PRECISION,
    ActorKey,
    DateRange,
    Facts,
    PlaceKey,
    spots_overlap,
)

_SAME_OR_PART = 3
"""``compare_places`` score of the same place or a named part of it."""
WIDE_DATES = frozenset({"year"})
"""Date precisions too wide to join two incidents of one town by the dates alone: "On 29 Aug
2019" read as the year 2019 overlaps every day of a town's year (``same_town_unconfirmed``).
Tuning on DEV ACLED notes: "month" too kept 2 more notes apart but stops a later "in November"
report from joining a town's day-dated event."""
_STATE_TYPES = actor_types().state  # one definition: pipeline/extract/data/actor_types.yaml
_EARTH_KM = 6371.0


@dataclass(frozen=True, slots=True)
class Agreement:
    """How well a mention agrees with a compatible event."""

    score: int
    basis: str
    """The strongest agreement, for the Mention record (``same place``, ``place contained``...)."""


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle (haversine) distance in km between two WGS84 points."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dlat, dlon = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dlat / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlon / 2) ** 2
    return 2 * _EARTH_KM * math.asin(min(1.0, math.sqrt(h)))


def distance_km(a: PlaceKey, b: PlaceKey) -> float | None:
    """Great-circle distance between two places, None when either has no coordinates."""
    if a.latitude is None or a.longitude is None or b.latitude is None or b.longitude is None:
        return None
    return great_circle_km(a.latitude, a.longitude, b.latitude, b.longitude)


def same_place(a: PlaceKey, b: PlaceKey) -> bool:
    """The same place: equal name keys, or one GeoNames city spelt two ways."""
    if a.name == b.name and a.parent == b.parent:
        return True
    if a.name == b.name and (not a.parent or not b.parent) and a.precision == b.precision:
        return True
    return (
        a.geonameid is not None
        and a.geonameid == b.geonameid
        and not a.parent
        and not b.parent
        and a.precision == b.precision == 1
    )


def part_of(a: PlaceKey, b: PlaceKey) -> bool:
    """``a`` is a named part of ``b`` (Sakhour of Aleppo, Victory Square of Bucharest)."""
    if not a.is_part or b.precision > 2:
        return False
    if a.parent == b.name:
        return True
    # the parent spelt differently: the part carries its city's GeoNames id
    return (
        not b.parent and b.precision == 1 and b.geonameid is not None and a.geonameid == b.geonameid
    )


def _region_contains(region: PlaceKey, other: PlaceKey, config: LinkConfig) -> str | None:
    if region.precision >= 4:
        return "country contains place"
    if other.precision >= 3:
        # two regions: only the same one (their names or admin1 agree)
        return "same region" if region.admin1 and region.admin1 == other.admin1 else None
    if region.admin1 and region.admin1 == other.admin1:
        return "region contains place"
    if region.admin1 and other.admin1:
        return None  # both in known provinces, different ones: not by distance either
    if other.name == region.parent or (other.is_part and other.parent == region.parent):
        return "region contains place"
    km = distance_km(region, other)
    if km is not None and km <= config.region_km:
        return "region contains place"
    return None


def compare_places(a: PlaceKey | None, b: PlaceKey | None, config: LinkConfig) -> Agreement | None:
    """Agreement of two places, None when they are different places."""
    if a is None or b is None:
        return Agreement(0, "place unknown")
    if same_place(a, b):
        return Agreement(4, "same place")
    if part_of(a, b) or part_of(b, a):
        return Agreement(3, "place contained")
    if a.precision >= 3 or b.precision >= 3:
        region, other = (a, b) if a.precision >= b.precision else (b, a)
        basis = _region_contains(region, other, config)
        return Agreement(1, basis) if basis else None
    if a.is_approximate or b.is_approximate:
        km = distance_km(a, b)
        if km is not None and km <= config.max_km:
            return Agreement(2, f"place within {km:.0f} km")
    return None


def _generic(actor: ActorKey, config: LinkConfig) -> bool:
    """Coded by a role only (``REB``, ``IRQREB``, ``NGMNIC``), not as a named actor."""
    return role_coded(actor.cameo, config.role_codes, config.prefix_role_codes)


def compare_actors(a: ActorKey | None, b: ActorKey | None, config: LinkConfig) -> Agreement | None:
    """Agreement of two actors in the same role, None when they are different actors."""
    if a is None or b is None or not a.identified or not b.identified:
        return Agreement(0, "actor unknown")
    if a.normalized == b.normalized:
        return Agreement(2, "same actor")
    if a.members & b.members:
        return Agreement(1, "actors overlap")
    short, long = sorted((a.cameo, b.cameo), key=len)
    if len(short) > 3 and long.startswith(short):
        return Agreement(1, "same actor code")  # a bare country code is handled below
    for x, y in ((a, b), (b, a)):
        if x.type == "country" and y.type in _STATE_TYPES and y.cameo.startswith(x.cameo):
            return Agreement(1, "state of the country")
    countries_agree = not a.country or not b.country or a.country == b.country
    generic = _generic(a, config) or _generic(b, config)
    if a.type == b.type and countries_agree and generic:
        return Agreement(1, "same kind of actor")
    if countries_agree and config.compatibility.alike_actors(a.type, b.type):
        return Agreement(1, "alike actors")
    return None


def compare_dates(a: DateRange, b: DateRange, config: LinkConfig) -> Agreement | None:
    """Agreement of two date ranges, None when they cannot be the same day."""
    slack = config.day_slack
    if a.start - slack > b.end or b.start - slack > a.end:
        return None
    if a.precision == b.precision == "day" and a.explicit and b.explicit and a.start == b.start:
        return Agreement(2, "same day")
    return Agreement(1, "dates overlap")


def named_places(facts: Facts) -> frozenset[str]:
    """Name keys of the places a mention (or linked event) names at town level or finer: its
    spots, and its resolved place when that is a town, a place near one ("near Berylivka"), or
    a named part of one (with its city). Regions and countries name no incident."""
    place = facts.place
    if place is None or place.precision > 2:
        return facts.spots
    return facts.spots | {place.name, *([place.parent] if place.parent else [])}


def different_spots(a: Facts, b: Facts) -> bool:
    """Two incidents by the places they name. When both name places besides their resolved
    ones (spots) and are resolved at one precision, the spots must share one ("shelled Fakkeh
    in al-Hasakeh" and "shelled Qabbour in al-Hasakeh"; "shelled Kansafra" and "shelled
    Sfuhen", both placed at Idlib); otherwise their ``named_places`` must ("shelled Zolota
    Balka, Kherson region" and an event at Novotiahynka). A vaguer mention (no such names:
    "in Kherson region") may still be either."""
    if (
        a.place is not None
        and b.place is not None
        and a.place.precision >= PROVINCE_PRECISION
        and same_place(a.place, b.place)
    ):
        # both placed in the country by one name, which they keep as a spot: that name is
        # common to them, not an incident's place ("in Khudwani and other towns, in Indian
        # Held Kashmir" / "in Tangmarg and other towns, in Indian Held Kashmir"); so is a
        # county at its province's point that both keep ("in Wun-cuei and Luoch in Cueibet
        # county" / "in Citcok in Cueibet county", round 17)
        a, b = _beside(a, a.place), _beside(b, b.place)
    pa = a.place.precision if a.place else None
    pb = b.place.precision if b.place else None
    if a.spots and b.spots and pa == pb:
        return not spots_overlap(a.spots, b.spots)
    for whole, part in ((a, b), (b, a)):
        if whole.spots and _named_part_of(part, whole):
            # "at Shahpur sector area (Poonch district)" placed at Poonch and "at Kirni sector
            # area (Poonch district)" at Kirni, a named part of Poonch: the district only
            # contains both; the first's own names must include the part (round 17)
            return not spots_overlap(whole.spots, part.spots | {part.place.name})  # type: ignore[union-attr]
    mine, theirs = named_places(a), named_places(b)
    return bool(mine) and bool(theirs) and not spots_overlap(mine, theirs)


def _named_part_of(part: Facts, whole: Facts) -> bool:
    """``part`` is resolved to a named part of ``whole``'s resolved place (Kirni in Poonch)."""
    return (
        part.place is not None
        and whole.place is not None
        and part.place.parent is not None
        and part.place.parent == whole.place.name
    )


def _beside(facts: Facts, place: PlaceKey) -> Facts:
    """``facts`` without the spots that are ``place`` written longer ("Indian Held Kashmir")."""
    own = frozenset({place.name})
    spots = frozenset(s for s in facts.spots if not spots_overlap(frozenset({s}), own))
    return facts if spots == facts.spots else replace(facts, spots=spots)


def country_level(facts: Facts) -> bool:
    """Placed only in a country, naming no place in it ("5 soldiers were wounded at
    unspecified locations", "University of Zambia workers went on strike")."""
    return (
        facts.place is not None and facts.place.precision >= COUNTRY_PRECISION and not facts.spots
    )


def only_country(a: Facts, b: Facts) -> bool:
    """One of two placed mentions says only the country: a country holds many incidents of a
    type on a day, so the country alone does not join them to each other or to a place in it
    (the same named actor may; a place the vaguer one names is compared by ``different_spots``)."""
    return a.place is not None and b.place is not None and (country_level(a) or country_level(b))


def different_tolls(a: Facts, b: Facts) -> bool:
    """Two incidents by their tolls of one outcome and kind ("killing 3 soldiers" / "killing 2
    soldiers"). A toll rises between reports of one incident, so different counts say two
    incidents only when one outlet gave both on one day, or a later report gives fewer; one
    equal count is enough to agree."""
    for x in a.tolls:
        alike = [y for y in b.tolls if y.outcome == x.outcome and y.kind == x.kind]
        if any(y.count == x.count for y in alike):
            continue
        for y in alike:
            if y.source == x.source and y.day == x.day:
                return True
            if (x.day - y.day).days * (x.count - y.count) < 0:
                return True  # the later report gives fewer
    return False


def town_of(facts: Facts) -> str | None:
    """Name key of the town a mention is placed in: its resolved town, or the city of the named
    part it is resolved to (Spears Street of Beirut); None for a region, a country or none."""
    place = facts.place
    if place is None or place.precision > 2:
        return None
    if place.parent:
        return place.parent
    return place.name if place.precision == 1 else None


def different_parts_of_town(a: Facts, b: Facts) -> bool:
    """Two incidents in one town by the parts they name: when both name places in it besides
    the town ("in Beirut's Wadi Abu Jameel area" / "marched from Spears Street"; "Dhaka -
    Paltan" / "Bijoynagar area, Dhaka"), one must be common; the town they share says nothing."""
    town = town_of(a)
    if town is None or town != town_of(b):
        return False
    mine, theirs = named_places(a) - {town}, named_places(b) - {town}
    return bool(mine) and bool(theirs) and not spots_overlap(mine, theirs)


def _same_pair(a: Facts, b: Facts) -> bool:
    """The same actor pair, as written (roles too): "protesters" and none, twice."""

    def name(actor: ActorKey | None) -> str:
        return actor.normalized if actor is not None else ""

    return name(a.actor1) == name(b.actor1) and name(a.actor2) == name(b.actor2)


def _same_report_day(a: Facts, b: Facts) -> bool:
    """The same day by the dates: one explicit day on both; both undated and published on one
    day; an undated report published on the other's explicit day, or the morning after it
    with the same actor pair."""
    x, y = a.dates, b.dates
    if x.explicit and y.explicit:
        return x.start == x.end == y.start == y.end
    if not x.explicit and not y.explicit:
        return x.end == y.end
    dated, undated = (x, y) if x.explicit else (y, x)
    if dated.start != dated.end:
        return False
    after = (undated.end - dated.end).days
    return after == 0 or (after == 1 and _same_pair(a, b))


def same_town_unconfirmed(a: Facts, b: Facts, config: LinkConfig) -> bool:
    """Two incidents in one town that nothing but the town joins: both dated to a day (or one
    to a year, ``WIDE_DATES``: a date the parse read as its year), neither
    names a part of the town that the other names, and they share no day
    (``_same_report_day``), no named actor 1 and no toll (a role, a state force such as
    "police" or a kind of victim such as "civilians" is in every incident of a town). "2
    soldiers killed in Wau" (an undated next-day report, the army its victim) and "opened fire
    on residential areas of Wau on June 23" (the army its doer); "kill a man in El Fasher"
    and, reported undated the next day, "injure a boy in El Fasher"."""
    town = town_of(a)
    if town is None or town != town_of(b):
        return False
    vague = {a.dates.precision, b.dates.precision} - {"day"}
    if vague and not vague & WIDE_DATES:
        return False  # "in November" says no other day
    crowd_codes = config.prefix_role_codes if vague else frozenset()
    if spots_overlap(named_places(a) - {town}, named_places(b) - {town}):
        return False
    if _same_report_day(a, b):
        return False
    if (
        a.actor1 is not None
        and b.actor1 is not None
        and a.actor1.identified
        and a.actor1.normalized == b.actor1.normalized
        # a crowd written alike ("protesters", NGMxxx) confirms one day's incident (a headline
        # the morning after, "Huge crowds rally", is the night's protest) but not a year's
        and not role_coded(a.actor1.cameo, config.role_codes, crowd_codes)
    ):
        return False
    return not shared_toll(a, b)


def shared_toll(a: Facts, b: Facts) -> bool:
    """One toll of one outcome and kind, equal or risen by the later report ("killing 5
    people", next day "has killed 7 people")."""
    return any(
        x.outcome == y.outcome
        and x.kind == y.kind
        and (x.day - y.day).days * (x.count - y.count) >= 0
        for x in a.tolls
        for y in b.tolls
    )


def other_day(a: Facts, b: Facts) -> bool:
    """Both give one explicit day, and not the same one ("On 8 March" / "On 9 March"): they
    agree only through ``day_slack``, which allows for outlets dating one incident a day apart."""
    x, y = a.dates, b.dates
    return (
        x.explicit
        and y.explicit
        and x.precision == y.precision == "day"
        and x.start == x.end
        and y.start == y.end
        and x.start != y.start
    )


def named_actor(actor: ActorKey | None, config: LinkConfig) -> bool:
    """One actor, not a crowd: a named actor, or a country's state force ("Syrian army");
    not a role such as "rioters", "civilians" or "unidentified attackers"."""
    if actor is None or not actor.identified:
        return False
    if actor.type in _STATE_TYPES and actor.country:
        return True
    return not _generic(actor, config)


def agreement(mention: Facts, event: Facts, config: LinkConfig) -> Agreement | None:
    """How well ``mention`` agrees with ``event``; None when they cannot be one event."""
    distinct = config.compatibility.distinct_sub_types
    if mention.sub_type != event.sub_type and {mention.sub_type, event.sub_type} <= distinct:
        return None  # "police detained two suspects" and "a bus was set on fire": two acts
    dates = compare_dates(mention.dates, event.dates, config)
    if dates is None:
        return None
    place = compare_places(mention.place, event.place, config)
    if place is None:
        return None
    if place.score < _SAME_OR_PART and other_day(mention, event):
        # a next-day report at another place (a province holding both, a place unknown):
        # another incident, however alike its actors ("sniper killed a soldier in Balkh
        # district" on the 8th, "attacked a tank in Charbolak district, Balkh" on the 9th)
        return None
    actor1 = compare_actors(mention.actor1, event.actor1, config)
    if actor1 is None:
        return None
    actor2 = compare_actors(mention.actor2, event.actor2, config)
    if actor2 is None:
        return None
    same_named_actor = (
        actor1.score == 2
        and named_actor(mention.actor1, config)
        and named_actor(event.actor1, config)
    )
    if (
        mention.place is None
        and event.place is None
        and not (same_named_actor and shared_toll(mention, event))
    ):
        # no place, hence no country either: one named actor acts in many places a day ("NATO
        # strikes hit the following targets: one anti-aircraft gun" / "...: one mobile rocket
        # launcher"); two outlets' reports of one incident give its toll
        return None
    if different_spots(mention, event) or different_parts_of_town(mention, event):
        return None
    if only_country(mention, event) and not (same_named_actor and shared_toll(mention, event)):
        return None  # as a placeless one: the country alone does not say which town
    if mention.targets and event.targets and not mention.targets & event.targets:
        return None  # "killing 4 soldiers" and "killed 1 Arbaki": other victims, other incident
    if different_tolls(mention, event):
        return None
    if same_town_unconfirmed(mention, event, config):
        return None
    score = place.score + actor1.score + actor2.score + dates.score
    if mention.sub_type == event.sub_type:
        score += 1
    basis = max((place, actor1, actor2, dates), key=lambda a: a.score).basis
    return Agreement(score, basis)
