"""The other side an event's type implies: where the text names no target, ACLED's codebook
still says who it is (violence against civilians is done to civilians; the forces that act in a
demonstration act on its demonstrators; a communal militia fights another community's). Rules:
``implied_targets`` and ``victim_classes`` of ``data/actor_types.yaml``."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from pipeline.extract.actor_types import ActorTypes, ImpliedTarget
from schemas import Actor, Event


def implied_rule(event: Event, rules: Sequence[ImpliedTarget]) -> ImpliedTarget | None:
    """The first rule whose event type and actor 1 class fit a factual event with an actor 1
    and no actor 2; None when none does."""
    if not event.factual or event.actor1 is None or event.actor2 is not None:
        return None
    for rule in rules:
        if rule.event_type != event.event_type:
            continue
        if rule.actor1_classes and event.actor1.acled_class not in rule.actor1_classes:
            continue
        return rule
    return None


def as_victim(event: Event, types: ActorTypes) -> Event:
    """The event with its target in the class its type gives victims (``victim_classes``): a
    party supporter or a protester beaten in violence against civilians is a civilian."""
    rule = types.victim_classes.get(event.event_type)
    target = event.actor2
    if rule is None or target is None or target.acled_class not in rule.replaces:
        return event
    return event.derive(actor2=target.derive(acled_class=rule.acled_class))


def with_implied_targets(
    events: Sequence[Event],
    types: ActorTypes,
    target_of: Callable[[Event, str], Actor | None],
) -> list[Event]:
    """The events, each factual one with no target given the one its type implies
    (``target_of(event, role label)`` builds it, with no span: no words name it; a rule's
    ``confidence`` replaces the built one), and the
    targets of a type with ``victim_classes`` in that class."""
    out: list[Event] = []
    for event in events:
        rule = implied_rule(event, types.implied_targets)
        if rule is not None:
            target = target_of(event, rule.role)
            if target is not None and rule.confidence is not None:
                target = target.derive(confidence=rule.confidence)  # how often it was right
            if target is not None:
                event = event.derive(actor2=target)
        out.append(as_victim(event, types) if event.factual else event)
    return out
