"""Violence inside a demonstration: what the crowd did in the protest's clause types it."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pipeline.extract import Extraction
from schemas.events import Event

pytestmark = pytest.mark.model

Extract = Callable[..., Extraction]

RIOTERS = 5


def _first(x: Extraction) -> Event:
    return next(e for e in x.events if e.factual and e.event_type)


def test_a_protest_by_destructive_means_is_a_violent_demonstration(extract: Extract) -> None:
    for text in (
        "Market women staged a demonstration by burning tyres at the Ashaiman junction.",
        "Students protested in Tamale on Monday and set fire to a police post.",
        "Pupils protesting the closure stoned buses in Tamale.",
    ):
        event = _first(extract(text))
        assert (event.event_type, event.sub_event_type) == ("Riots", "Violent demonstration"), text
        assert event.actor1 is not None and event.actor1.acled_class == RIOTERS, text


def test_a_road_blocked_or_violence_by_others_keeps_the_protest_peaceful(
    extract: Extract,
) -> None:
    for text in (
        "Market women protested in Tamale, blocking the road to the market.",
        "Pupils protested in Tamale against soldiers who burned their school.",
    ):
        assert _first(extract(text)).event_type == "Protests", text


def test_the_crowds_violence_told_outside_the_protest_clause_makes_it_a_riot(
    extract: Extract,
) -> None:
    for text in (
        # the crowd's act in a sentence of its own
        "Traders demonstrated in Tamale on Monday. The demonstrators blocked roads and burned "
        "tyres near the market.",
        # property destroyed by nobody named
        "Inmates of Tamale prison protested over the food. Chairs were burnt and windows broken.",
        # a violent manner, riots named as such, a clash with the demonstrators
        "Nurses staged violent protests in Tamale against the new rota.",
        "Police clashed with the protesters in Tamale.",
        "Students protested in Tamale. Two shops were looted during the riots.",
    ):
        event = _first(extract(text))
        assert (event.event_type, event.sub_event_type) == ("Riots", "Violent demonstration"), text


def test_violence_done_to_the_crowd_or_anti_riot_police_keep_the_protest(
    extract: Extract,
) -> None:
    for text in (
        "Traders protested in Tamale. Two protesters were beaten by soldiers.",
        "Anti-riot police dispersed traders who protested in Tamale.",
        "Traders protested in Tamale after their stalls were demolished by the assembly.",
    ):
        x = extract(text)
        assert not any(e.event_type == "Riots" for e in x.events), text


def test_riots_told_as_background_keep_the_protest(extract: Extract) -> None:
    text = (
        "Traders gathered in Tamale in demonstration against the detention of 6 people involved "
        "in riots last year."
    )
    assert not any(e.event_type == "Riots" for e in extract(text).events)


def test_burning_an_effigy_is_no_violence(extract: Extract) -> None:
    for text in (
        "Teachers staged a protest in Tamale and burnt an effigy of the minister.",
        "Traders demonstrated in Tamale. The demonstrators burned the effigy of the mayor.",
    ):
        assert not any(e.event_type == "Riots" for e in extract(text).events), text
