"""Round-3 general rules: the country a lone place gives, titles read through "of", appeals,
court actions and criticism verbs."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pipeline.extract import Extraction

pytestmark = pytest.mark.model

Extract = Callable[..., Extraction]


def _facts(x: Extraction) -> list[tuple[str, str | None, str | None]]:
    return [
        (
            e.cameo_code,
            e.actor1.cameo if e.actor1 else None,
            e.actor2.cameo if e.actor2 else None,
        )
        for e in x.events
        if e.factual
    ]


def test_a_lone_place_gives_role_actors_its_country(extract: Extract) -> None:
    x = extract("The high court in Lahore ordered the police to arrest the suspects.")
    assert ("100", "PAKJUD", "PAKCOP") in _facts(x)


def test_named_actors_outweigh_a_single_place(extract: Extract) -> None:
    x = extract("Iranian officials met the minister in Geneva on Sunday.")
    codes = [a1 for _, a1, _ in _facts(x)]
    assert codes and all(c is None or not c.startswith("CHE") for c in codes)


def test_a_title_reads_on_through_of(extract: Extract) -> None:
    x = extract("The Leader of the Opposition in Pakistan criticized the budget.")
    assert [a1 for _, a1, _ in _facts(x)] == ["PAKOPP"]


def test_surnames_and_election_commission_abbreviations(extract: Extract) -> None:
    x = extract("Gandhi criticised the EC over the voter lists.")
    assert ("111", "INDOPP", "INDGOV") in _facts(x)
