"""Who an unclassed name or a protesting force is, by the act: armed groups, protesters."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pipeline.extract import Extraction
from schemas.events import Event

pytestmark = pytest.mark.model

Extract = Callable[..., Extraction]

STATE_FORCES, POLITICAL_MILITIA, PROTESTERS = 1, 3, 6


def _first(x: Extraction) -> Event:
    return next(e for e in x.events if e.factual and e.event_type)


def test_an_unknown_acronym_that_fights_is_an_armed_group(extract: Extract) -> None:
    clash = _first(extract("On 3 June, KRM and the army clashed in Dangara village."))
    assert clash.event_type == "Battles"
    assert clash.actor1 is not None and clash.actor1.acled_class == POLITICAL_MILITIA
    attack = _first(extract("On 3 June, the TMF attacked an army post near Dangara."))
    assert attack.actor1 is not None and attack.actor1.acled_class == POLITICAL_MILITIA


def test_soldiers_who_protest_are_protesters(extract: Extract) -> None:
    protest = _first(extract("On 3 June, soldiers protested over unpaid salaries in Dangara town."))
    assert protest.event_type == "Protests"
    assert protest.actor1 is not None and protest.actor1.acled_class == PROTESTERS
    # soldiers who act on protesters stay state forces
    dispersal = _first(extract("Soldiers dispersed the protesters in Dangara town."))
    assert dispersal.actor1 is not None and dispersal.actor1.acled_class == STATE_FORCES
