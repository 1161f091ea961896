"""One demonstration, one type: when an article tells of a riot (demonstrators burning tyres,
throwing stones), its protest events are that riot's, as ACLED codes a demonstration by its most
violent act ("residents protested, burning posters" is a violent demonstration, not a peaceful
protest)."""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.extract.actor_types import ActorTypes
from schemas import Actor, Event

PROTESTS, RIOTS = "Protests", "Riots"


def _reclassed(actor: Actor | None, new_class: int | None) -> Actor | None:
    if actor is None or new_class is None or new_class == actor.acled_class:
        return actor
    return actor.derive(acled_class=new_class)


def as_one_demonstration(events: Sequence[Event], types: ActorTypes) -> list[Event]:
    """The events, the article's factual protests retyped as its first factual riot when it
    tells of one; the actors' ACLED classes follow (protesters of a riot are rioters)."""
    riot = next((e for e in events if e.factual and e.event_type == RIOTS), None)
    if riot is None:
        return list(events)
    rule = types.agents_of.get(RIOTS)
    protesters = types.agents_of.get(PROTESTS)
    out: list[Event] = []
    for event in events:
        if not (event.factual and event.event_type == PROTESTS):
            out.append(event)
            continue
        actor1, actor2 = event.actor1, event.actor2
        if actor1 is not None and rule is not None and actor1.acled_class in rule.replaces:
            actor1 = _reclassed(actor1, rule.acled_class)
        if (
            actor2 is not None
            and rule is not None
            and protesters is not None
            and actor2.acled_class == protesters.acled_class
            and RIOTS in types.rioters_of
        ):
            actor2 = _reclassed(actor2, rule.acled_class)
        fields = {
            **event.asdict(),
            "event_type": RIOTS,
            "sub_event_type": riot.sub_event_type,
            "actor1": actor1,
            "actor2": actor2,
        }
        out.append(Event(**fields))
    return out
