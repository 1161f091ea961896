"""Merging a mention into a linked event: the more precise value wins, the others stay visible.

Fields merge in groups, each group taken whole from one mention (``LinkedEvent.field_sources``
names it), so a value always comes with its own evidence span and confidence:

- ``place``: a named part over the place it is part of (Sakhour over Aleppo), then the lower
  geo_precision (1 over 3), then, between two different places, the higher confidence.
- ``when``: the finer precision (day, week, month, year), then an explicit date over the
  publication day, then, between two different dates, the higher confidence.
- ``actor1``/``actor2``: an identified actor over an unidentified one, a coordinated actor over
  one of its members, a named actor over a role, then, between two different actors, the higher
  confidence.
- ``type`` (types, codes, trigger, sentence): the more specific CAMEO code; the first otherwise.
- ``attribution``: an explicit attribution over "the article itself"; the first otherwise.

A value that loses, or is replaced, and differs from the best (another place name, another
date or precision, another actor, another sub-event type) goes to ``alternatives`` with its
mention id, unless it was only the publication day standing in for a date. A mention that only
repeats the best values changes nothing but the counts.

Non-factual mentions never reach a factual event (they are filed in another block space, see
``keys``), so a future, negated or hypothetical mention cannot change a factual event's fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pipeline.link.compare import part_of, same_place
from pipeline.link.config import LinkConfig
from pipeline.link.facts import (
    MAX_SPOTS,
    MAX_TOLLS,
    PRECISIONS,
    DateRange,
    Facts,
    PlaceKey,
    actor_key,
    place_key,
)
from schemas import Actor, Alternative, Event, LinkedEvent, Place, When

GROUPS = ("type", "actor1", "actor2", "place", "when", "attribution")


def source_name(event: Event) -> str:
    """The source a mention counts for: its feed source, else its article (a source of its own)."""
    return event.source or f"article:{event.article_id}"


def present_groups(event: Event) -> list[str]:
    """The field groups a mention has values for."""
    return [g for g in GROUPS if g == "type" or getattr(event, g) is not None]


def new_linked(event: Event, *, seen: datetime) -> LinkedEvent:
    """A linked event made of its first mention."""
    return LinkedEvent(
        event_id=event.event_id,
        event_type=event.event_type,
        sub_event_type=event.sub_event_type,
        cameo_root=event.cameo_root,
        cameo_code=event.cameo_code,
        plover=event.plover,
        trigger=event.trigger,
        sentence=event.sentence,
        modality=event.modality,
        factual=event.factual,
        confidence=event.confidence,
        num_mentions=1,
        num_sources=1,
        num_articles=1,
        first_seen=seen,
        last_seen=seen,
        version=1,
        updated=event.extracted,
        actor1=event.actor1,
        actor2=event.actor2,
        place=event.place,
        when=event.when,
        attribution=event.attribution,
        field_sources={group: event.event_id for group in present_groups(event)},
        alternatives=[],
        article_ids=[event.article_id],
        sources=[source_name(event)],
    )


def _generic(actor: Actor, role_codes: frozenset[str]) -> bool:
    code = actor.cameo or ""
    return code in role_codes or (len(code) == 6 and code[3:] in role_codes)


def prefer_actor(new: Actor, old: Actor, role_codes: frozenset[str]) -> bool:
    """True when ``new`` is a better value than ``old`` for the same role."""
    new_key, old_key = actor_key(new), actor_key(old)
    assert new_key is not None and old_key is not None
    if new_key.identified != old_key.identified:
        return new_key.identified
    if new_key.normalized == old_key.normalized:
        return False
    if new_key.members != old_key.members:
        if new_key.members > old_key.members:
            return True  # "Syrian army and pro-government militia" tells more than "Syrian army"
        if old_key.members > new_key.members:
            return False
    new_generic, old_generic = _generic(new, role_codes), _generic(old, role_codes)
    if new_generic != old_generic:
        return old_generic
    return new.confidence > old.confidence


def prefer_place(new: Place, old: Place) -> bool:
    """True when ``new`` is a better value than ``old``."""
    new_key, old_key = _place_key(new), _place_key(old)
    if same_place(new_key, old_key):
        return old.latitude is None and new.latitude is not None
    if part_of(new_key, old_key):
        return True
    if part_of(old_key, new_key):
        return False
    if new.geo_precision != old.geo_precision:
        return new.geo_precision < old.geo_precision
    return new.confidence > old.confidence


def _date_rank(dates: DateRange) -> tuple[int, int]:
    return PRECISIONS.index(dates.precision), 0 if dates.explicit else 1


def prefer_when(new: When, new_dates: DateRange, old: When | None, old_dates: DateRange) -> bool:
    """True when ``new`` (whose days are ``new_dates``) is better than ``old``."""
    if old is None:
        return True
    if _date_rank(new_dates) != _date_rank(old_dates):
        return _date_rank(new_dates) < _date_rank(old_dates)
    if (new.date, new.time_precision) == (old.date, old.time_precision):
        return False
    return new.confidence > old.confidence


def _when_value(when: When) -> str:
    return f"{when.date} ({when.time_precision})"


@dataclass
class _Alternatives:
    """Collects disagreeing values into ``linked.alternatives``, deduplicated and bounded."""

    linked: LinkedEvent
    limit: int

    def add(
        self,
        group: str,
        value: str,
        mention_id: str,
        confidence: float,
        *,
        actor: Actor | None = None,
        place: Place | None = None,
        when: When | None = None,
    ) -> None:
        current = self.linked.alternatives
        if len(current) >= self.limit or any(
            a.field == group and a.value == value for a in current
        ):
            return
        self.linked.alternatives = [
            *current,
            Alternative(
                field=group,
                value=value,
                mention_id=mention_id,
                confidence=confidence,
                actor=actor,
                place=place,
                when=when,
            ),
        ]


def merge_fields(
    linked: LinkedEvent,
    event: Event,
    *,
    event_facts: Facts,
    linked_facts: Facts,
    config: LinkConfig,
) -> tuple[list[str], Facts]:
    """Merge ``event``'s values into ``linked`` (in place); the groups it changed, and the
    linked event's new facts."""
    changed: list[str] = []
    alternatives = _Alternatives(linked, config.max_alternatives)
    mention_id = event.event_id
    sources = linked.field_sources

    def source_of(group: str) -> str:
        return sources.get(group, linked.event_id)

    # type: a more specific code carries its trigger and sentence
    if len(event.cameo_code) > len(linked.cameo_code):
        if event.sub_event_type != linked.sub_event_type and linked.sub_event_type:
            alternatives.add(
                "sub_event_type", linked.sub_event_type, source_of("type"), linked.confidence
            )
        linked.sub_event_type, linked.cameo_code = event.sub_event_type, event.cameo_code
        linked.plover, linked.trigger, linked.sentence = event.plover, event.trigger, event.sentence
        changed.append("type")
    elif event.sub_event_type and event.sub_event_type != linked.sub_event_type:
        alternatives.add("sub_event_type", event.sub_event_type, mention_id, event.confidence)

    for group in ("actor1", "actor2"):
        new_actor: Actor | None = getattr(event, group)
        old_actor: Actor | None = getattr(linked, group)
        if new_actor is None:
            continue
        if old_actor is None or prefer_actor(new_actor, old_actor, config.role_codes):
            setattr(linked, group, new_actor)
            changed.append(group)
            if old_actor is not None and old_actor.normalized != new_actor.normalized:
                alternatives.add(
                    group,
                    old_actor.normalized,
                    source_of(group),
                    old_actor.confidence,
                    actor=old_actor,
                )
        elif new_actor.normalized != old_actor.normalized:
            alternatives.add(
                group, new_actor.normalized, mention_id, new_actor.confidence, actor=new_actor
            )

    if event.place is not None:
        old_place = linked.place
        if old_place is None or prefer_place(event.place, old_place):
            linked.place = event.place
            changed.append("place")
            if old_place is not None and old_place.name != event.place.name:
                alternatives.add(
                    "place",
                    old_place.name,
                    source_of("place"),
                    old_place.confidence,
                    place=old_place,
                )
        elif not same_place(_place_key(event.place), _place_key(old_place)):
            alternatives.add(
                "place", event.place.name, mention_id, event.place.confidence, place=event.place
            )

    dates = linked_facts.dates
    if event.when is not None:
        old_when = linked.when
        if prefer_when(event.when, event_facts.dates, old_when, linked_facts.dates):
            linked.when = event.when
            dates = event_facts.dates
            changed.append("when")
            if old_when is not None and linked_facts.dates.explicit:
                alternatives.add(
                    "when",
                    _when_value(old_when),
                    source_of("when"),
                    old_when.confidence,
                    when=old_when,
                )
        elif (
            old_when is not None
            and event_facts.dates.explicit
            and _when_value(event.when) != _when_value(old_when)
        ):
            alternatives.add(
                "when",
                _when_value(event.when),
                mention_id,
                event.when.confidence,
                when=event.when,
            )

    if event.attribution is not None and (
        linked.attribution is None
        or (linked.attribution.kind == "article" and event.attribution.kind != "article")
    ):
        linked.attribution = event.attribution
        changed.append("attribution")

    if changed:
        linked.field_sources = {**sources, **dict.fromkeys(changed, mention_id)}
    linked.confidence = max(linked.confidence, event.confidence)
    facts = Facts(
        sub_type=linked.sub_event_type,
        cameo_code=linked.cameo_code,
        actor1=actor_key(linked.actor1),
        actor2=actor_key(linked.actor2),
        place=place_key(linked.place),
        dates=dates,
        # every place its mentions name: a later mention naming any of them may join
        spots=frozenset(sorted(linked_facts.spots | event_facts.spots)[:MAX_SPOTS]),
        targets=linked_facts.targets | event_facts.targets,
        # every toll with its outlet and day: a later report is compared with all of them
        tolls=frozenset(sorted(linked_facts.tolls | event_facts.tolls)[:MAX_TOLLS]),
    )
    return changed, facts


def _place_key(place: Place) -> PlaceKey:
    key = place_key(place)
    assert key is not None
    return key
