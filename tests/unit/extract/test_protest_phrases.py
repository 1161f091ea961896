"""Demonstrations told as a hyphenated object ("held a sit-in") or as "took out a rally" are
protests the lexicon finds."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pipeline.extract import Extraction

pytestmark = pytest.mark.model

Extract = Callable[..., Extraction]


def test_a_sit_in_held_and_a_rally_taken_out_are_protests(extract: Extract) -> None:
    for text in (
        "Nurses held a sit-in outside the Tarso hospital on Monday.",
        "Law students took out a rally in Tarso against the fee rise.",
    ):
        main = next((e for e in extract(text).events if e.main), None)
        assert main is not None, text
        assert main.factual and main.event_type == "Protests", text
