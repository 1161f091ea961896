"""Strategic developments of different sub-types are different acts: an arrest and an arson in
the same district on the same day never link (``compatible.yaml`` ``distinct_sub_types``)."""

from __future__ import annotations

from pipeline.link.compare import agreement
from pipeline.link.config import LinkConfig, load_compatibility
from pipeline.link.facts import DateRange, Facts

CONFIG = LinkConfig()
DAY = DateRange.from_list(["2023-11-29", "2023-11-29", "day", True])


def _facts(sub_type: str, code: str) -> Facts:
    return Facts(sub_type, code, None, None, None, DAY)


def test_the_shipped_table_names_the_distinct_sub_types() -> None:
    distinct = load_compatibility().distinct_sub_types
    assert {"Arrests", "Looting/property destruction"} <= distinct
    assert "Other" not in distinct  # what outlets code loosely stays linkable


def test_an_arrest_never_links_to_an_arson() -> None:
    arrest, arson = _facts("Arrests", "173"), _facts("Looting/property destruction", "1712")
    assert agreement(arrest, arson, CONFIG) is None
    assert agreement(arson, arrest, CONFIG) is None


def test_the_same_sub_type_is_compared_as_before() -> None:
    one, other = _facts("Arrests", "173"), _facts("Arrests", "173")
    assert agreement(one, other, CONFIG) == agreement(other, one, CONFIG)
