"""Dedup settings: validation, LSH parameters, the sketch id."""

from __future__ import annotations

from datetime import timedelta

import pytest

from pipeline.dedup.config import DedupConfig
from pipeline.errors import ConfigError


def test_defaults_tune_the_lsh_for_trimmed_copies() -> None:
    config = DedupConfig()
    bands, rows = config.lsh
    assert (bands, rows) == (42, 3)
    # A pair at the duplicate threshold becomes a candidate almost surely, and a copy cut by
    # half (similarity about 0.5) nearly always.
    assert 1 - (1 - config.threshold**rows) ** bands > 0.999
    assert 1 - (1 - 0.45**rows) ** bands > 0.98


def test_explicit_bands_override_the_optimiser() -> None:
    assert DedupConfig(bands=16, rows=8).lsh == (16, 8)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"threshold": 0.4, "cluster_threshold": 0.5},
        {"num_perm": 8},
        {"shingle_size": 0},
        {"window": timedelta(0)},
        {"bands": 20},
        {"bands": 40, "rows": 4},
        {"min_shingles": 0},
        {"containment_threshold": 0.3},
        {"candidate_threshold": 0.0},
    ],
)
def test_bad_settings_fail_loudly(kwargs: dict[str, object]) -> None:
    with pytest.raises(ConfigError, match="dedup"):
        DedupConfig(**kwargs)  # type: ignore[arg-type]


def test_sketch_id_changes_only_with_what_shapes_a_signature() -> None:
    base = DedupConfig().sketch_id
    assert DedupConfig(threshold=0.7, window=timedelta(days=2)).sketch_id == base
    assert DedupConfig(shingle_size=3).sketch_id != base
    assert DedupConfig(num_perm=64).sketch_id != base
    assert DedupConfig(seed=2).sketch_id != base
