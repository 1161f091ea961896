"""One demonstration, one type (``demonstrations``)."""

from __future__ import annotations

from collections.abc import Callable

from pipeline.extract import Extraction
from pipeline.extract.actor_types import actor_types
from pipeline.extract.demonstrations import as_one_demonstration
from schemas import Actor, Event
from tests.unit.extract.factory import event


def _actor(name: str, acled_class: int) -> Actor:
    return Actor(
        name=name, normalized=name, type="protesters", confidence=0.8, acled_class=acled_class
    )


def _event(
    start: int, event_type: str, sub: str, *, factual: bool = True, actor1: Actor | None = None
) -> Event:
    return event(start, event_type, sub, actor1, factual=factual, cameo=("14", "140", "PROTEST"))


def test_protests_of_an_article_with_a_riot_are_the_riot() -> None:
    events = [
        _event(0, "Protests", "Peaceful protest", actor1=_actor("residents", 6)),
        _event(10, "Riots", "Violent demonstration"),
        _event(20, "Protests", "Peaceful protest", factual=False),  # a planned march: not it
        _event(30, "Battles", "Armed clash"),
    ]
    out = as_one_demonstration(events, actor_types())
    assert [(e.event_type, e.sub_event_type) for e in out] == [
        ("Riots", "Violent demonstration"),
        ("Riots", "Violent demonstration"),
        ("Protests", "Peaceful protest"),
        ("Battles", "Armed clash"),
    ]
    assert out[0].actor1 is not None and out[0].actor1.acled_class == 5  # protesters → rioters


def test_without_a_riot_protests_stay_protests() -> None:
    events = [
        _event(0, "Protests", "Peaceful protest"),
        _event(10, "Riots", "Mob violence", factual=False),
    ]
    assert as_one_demonstration(events, actor_types()) == events


def test_the_extractor_types_a_violent_demonstration_as_one(
    extract: Callable[..., Extraction],
) -> None:
    text = (
        "On 8 February, residents protested against the governor in Nakuru. "
        "Protesters threw stones at police and burned tyres."
    )
    factual = [e for e in extract(text).events if e.factual]
    assert factual and {e.event_type for e in factual} == {"Riots"}
