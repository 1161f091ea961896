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
