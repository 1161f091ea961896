"""A name only the spelling-tolerant key matches (sentences written for these tests): a small
place so matched, with nothing else saying its country, is neither the event's place nor a vote
for the story's country; a city so matched, or a small place the story's country backs, still is."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pipeline.extract import Extraction
from pipeline.extract.toponym_resolution import consonant_skeleton

Extract = Callable[..., Extraction]


def _country(x: Extraction) -> str | None:
    event = next(e for e in x.events if e.factual)
    return event.place.country_code if event.place else None


@pytest.mark.model
def test_a_small_place_only_the_key_matches_is_no_place(extract: Extract) -> None:
    # "Nasir" is an alternate name of Demirci, Turkey (no town of that name in the file)
    x = extract("Government forces and rebels clashed in Nasir area.")
    assert _country(x) != "TR"


@pytest.mark.model
def test_a_small_place_only_the_key_matches_is_no_vote_for_its_country(extract: Extract) -> None:
    # "Commissioner" is an alternate name of McIntyre, a small US town: no evidence that
    # the story is the United States'
    x = extract("Commissioner of Melut county claims rebels shelled homes in Thag village.")
    assert _country(x) != "US"


@pytest.mark.model
def test_a_small_place_the_story_backs_is_still_placed(extract: Extract) -> None:
    # "Nashabiyeh" is written An Nashabiyah in the file: the key, and Syria's police, place it
    x = extract("Syrian police arrested two men in Nashabiyeh.")
    assert _country(x) == "SY"


@pytest.mark.parametrize(
    ("text", "record"),
    [
        ("Nashabiyeh", "An Nashābīyah"),
        ("Makhmour", "Mexmur"),
        ("Zingibar", "Zinjibar"),
        ("Khab Wa Al-Sha'af", "Khabb wa ash Sha‘f"),
        ("Tall Refaat", "Tall Rif‘at"),
    ],
)
def test_transliterations_share_a_skeleton(text: str, record: str) -> None:
    assert consonant_skeleton(text) == consonant_skeleton(record)


@pytest.mark.parametrize(
    ("text", "record"),
    [("Nasir", "Demirci"), ("Commissioner", "McIntyre"), ("Mareng", "Maringues")],
)
def test_unrelated_alternate_names_do_not(text: str, record: str) -> None:
    assert consonant_skeleton(text) != consonant_skeleton(record)


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "country"),
    [
        # GeoNames lists Bule Hora as Hagere Maryam (57,700 people), Burco as Burao (99,270)
        ("Protesters blocked the main road in Bule Hora on Monday.", "ET"),
        ("Police fired at protesters in Burco on Monday.", "SO"),
    ],
)
def test_a_town_listed_under_another_name_is_still_placed(
    extract: Extract, text: str, country: str
) -> None:
    assert _country(extract(text)) == country
