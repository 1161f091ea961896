"""Movements of armed forces, patrols and bases set up are strategic developments (ACLED: a change
to the group's activity, headquarters or base established), not events the lexicon misses."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pipeline.extract import Extraction

pytestmark = pytest.mark.model

Extract = Callable[..., Extraction]


def test_forces_arriving_patrolling_and_setting_up_bases(extract: Extract) -> None:
    for text in (
        "Rebel reinforcements arrived on the Tarso front on Sunday.",
        "Government forces conducted a patrol near the Tarso market.",
        "The militia established new positions east of Tarso.",
        "Soldiers set up a checkpoint at the entrance of Tarso.",
    ):
        x = extract(text)
        main = next((e for e in x.events if e.main), None)
        assert main is not None, text
        assert main.event_type == "Strategic developments", text


def test_ties_and_visitors_are_no_movement_of_forces(extract: Extract) -> None:
    x = extract("The minister arrived in Tarso on Sunday for talks with the governor.")
    assert not any(e.event_type == "Strategic developments" for e in x.events)
    x = extract("Chad and Tarso established diplomatic ties on Monday.")
    assert not any(e.event_type == "Strategic developments" for e in x.events)
