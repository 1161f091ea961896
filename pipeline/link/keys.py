"""Keys: the partition key, the blocking keys, comparable place names and a mention's time.

Every key the stage writes belongs to exactly one partition key, because a Faust table writes a
key to the changelog partition of the event being processed: ``b:<lane>|<slot>|<anchor>`` (block
index), ``r:<lane>|<slot>`` (the anchors of a slot), ``t:<partition key>|<day>`` (expiry wheel),
``x:<partition key>`` (expiry progress), and ids that only ever arrive in one partition
(``e:``/``f:``/``l:`` linked event id, ``m:`` mention id).

**Partition key** ``<type>|<country>``: the ACLED event type (``CAMEO`` for every event ACLED
does not code, so that groups of CAMEO roots in ``data/compatible.yaml`` stay in one partition)
and the place's ISO country code (``-`` when unknown). Every candidate an event can link to has a
compatible type and the same country, so it is in the same partition. Not the day: a week or a
month spans several days.

**Lane** ``<space>|<type group>|<country>``: what a mention is compared with. ``space`` keeps
factual and non-factual mentions apart (``asserted`` or the modality); the type group is the
ACLED event type, or the group of ``CAMEO <root>`` types (``compatible.yaml``).

**Blocks**: a mention is indexed by its date: one block per day for a day (two for an undated
mention, see ``LinkConfig.undated_lookback``), the week's block for a week, the month's for a
month, the year's for a year. A mention looks up the day blocks its date range spans (at most
``max_query_days``) and the week, month and year blocks that contain those days, so a day finds
the month that contains it and a month finds every day in it.

**Anchors** split each slot by place, so that a busy lane (statements in India, battles in Syria)
is not compared whole: a place located at a town or city (precision 1-2 with a parent) is filed
under that city (its GeoNames id, else its name key); a part of a city carries its city's id, so
Sakhour and Aleppo share an anchor. Places that may contain or neighbour others (regions,
countries, approximate places "near X"), unknown places and places not located (no
coordinates, no GeoNames id: the listed places of a report covering several incidents) are
filed under ``*``. A mention with
an anchor looks up its own anchor and ``*``; a mention without one looks up every anchor of the
slot (listed in ``r:``) and ``*``. Every pair ``compare`` can find compatible is looked up, except
one city written two ways of which only one resolved to GeoNames.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from pipeline.link.config import Compatibility
from pipeline.link.facts import DateRange, PlaceKey
from schemas import Event

#: The anchor of places that may contain or neighbour others, and of unknown places.
WIDE = "*"

#: A publication time this far after extraction is a feed's mistake, not the future.
MAX_CLOCK_SKEW = timedelta(days=1)


def type_part(event: Event) -> str:
    """The event's type for compatibility: its ACLED event type, else ``CAMEO <root>``."""
    return event.event_type or f"CAMEO {event.cameo_root}"


def country_of(event: Event) -> str:
    """ISO alpha-2 country of the event's place, ``-`` when unknown."""
    code = event.place.country_code if event.place is not None else None
    return code.upper() if code else "-"


def partition_key(event: Event) -> str:
    """Key of the link topic: every event this one may link to has the same key."""
    return f"{event.event_type or 'CAMEO'}|{country_of(event)}"


def space_of(event: Event) -> str:
    """``asserted`` for factual mentions, else the modality: the two never link together."""
    return "asserted" if event.factual else (event.modality or "nonfactual")


def lane_of(event: Event, compatibility: Compatibility) -> str:
    """The mentions this one is compared with: same space, type group and country."""
    group = compatibility.type_group(type_part(event))
    return f"{space_of(event)}|{group}|{country_of(event)}"


def event_time(event: Event) -> datetime:
    """The mention's time: its article's publication time, capped a day after extraction."""
    if event.published is None:
        return event.extracted
    return min(event.published, event.extracted + MAX_CLOCK_SKEW)


def _slot_day(day: date) -> str:
    return f"D{day.isoformat()}"


def _slot_week(day: date) -> str:
    return f"W{(day - timedelta(days=day.weekday())).isoformat()}"


def _slot_month(day: date) -> str:
    return f"M{day.year:04d}-{day.month:02d}"


def _slot_year(day: date) -> str:
    return f"Y{day.year:04d}"


def index_slots(dates: DateRange) -> list[str]:
    """Where a mention (or linked event) with these dates is filed."""
    if dates.precision == "week":
        return [_slot_week(dates.start)]
    if dates.precision == "month":
        return [_slot_month(dates.start)]
    if dates.precision == "year":
        return [_slot_year(dates.start)]
    days = (dates.end - dates.start).days + 1
    return [_slot_day(dates.start + timedelta(days=i)) for i in range(max(1, min(days, 7)))]


def query_slots(dates: DateRange, *, slack: timedelta, max_days: int) -> list[str]:
    """Every slot that may hold an event whose dates overlap ``dates`` (widened by ``slack``)."""
    start, end = dates.start - slack, dates.end + slack
    days = min((end - start).days + 1, max_days)
    slots: dict[str, None] = {}
    coarse: dict[str, None] = {}
    for i in range(max(1, days)):
        day = start + timedelta(days=i)
        slots[_slot_day(day)] = None
        coarse[_slot_week(day)] = None
        coarse[_slot_month(day)] = None
        coarse[_slot_year(day)] = None
    return [*slots, *coarse]


def anchor_of(place: PlaceKey | None) -> str:
    """The city a place is filed under, or :data:`WIDE`."""
    if place is None or place.precision >= 3 or place.is_approximate:
        return WIDE
    if place.geonameid is None and place.latitude is None:
        # not located (one incident of a report covering several: the name as written), so
        # the same town geocoded elsewhere (its GeoNames id) must find it
        return WIDE
    if place.geonameid is not None:
        return f"g{place.geonameid}"
    return f"n{place.parent or place.name}"


def block_key(lane: str, slot: str, anchor: str) -> str:
    """Store key of one block: the ids of the linked events of ``lane`` under ``slot`` and
    ``anchor``."""
    return f"b:{lane}|{slot}|{anchor}"


def anchors_key(block: str) -> tuple[str, str]:
    """The key listing the anchors of a block's slot, and the block's anchor."""
    head, anchor = block.rsplit("|", 1)
    return f"r:{head[2:]}", anchor
