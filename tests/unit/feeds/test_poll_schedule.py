"""next_poll_delay: jitter around the interval, bounded exponential backoff, Retry-After."""

from __future__ import annotations

import random

import pytest

from pipeline.feeds.schedule import delay_bounds, next_poll_delay


def delays(n: int = 500, seed: int = 7, **kwargs: float) -> list[float]:
    rng = random.Random(seed)
    return [next_poll_delay(rng=rng, **kwargs) for _ in range(n)]  # type: ignore[arg-type]


def test_no_failures_is_the_interval_with_ten_percent_jitter() -> None:
    samples = delays(interval=300.0, failures=0, max_backoff=3600.0)
    assert all(270.0 <= d <= 330.0 for d in samples)
    assert max(samples) - min(samples) > 30.0  # actually jittered, not constant
    assert 290.0 < sum(samples) / len(samples) < 310.0


def test_seeded_rng_is_reproducible() -> None:
    kwargs = {"interval": 300.0, "failures": 3, "max_backoff": 3600.0}
    assert delays(20, seed=1, **kwargs) == delays(20, seed=1, **kwargs)
    assert delays(20, seed=1, **kwargs) != delays(20, seed=2, **kwargs)


def test_backoff_upper_bound_grows_monotonically_to_max_backoff() -> None:
    highs = [delay_bounds(interval=300.0, failures=n, max_backoff=3600.0)[1] for n in range(1, 12)]
    assert highs == sorted(highs)
    assert highs[:3] == [60.0, 120.0, 240.0]  # base = min(interval, 30 s), doubling
    assert highs[-1] == 3600.0


@pytest.mark.parametrize("failures", [1, 2, 5, 9, 50, 10_000])
def test_backoff_stays_within_its_bounds(failures: int) -> None:
    low, high = delay_bounds(interval=300.0, failures=failures, max_backoff=3600.0)
    assert low == high / 2
    samples = delays(interval=300.0, failures=failures, max_backoff=3600.0)
    assert all(low <= d <= high <= 3600.0 for d in samples)


def test_short_intervals_back_off_from_the_interval() -> None:
    assert delay_bounds(interval=5.0, failures=1, max_backoff=3600.0) == (5.0, 10.0)


def test_retry_after_is_a_floor() -> None:
    samples = delays(interval=300.0, failures=1, max_backoff=3600.0, retry_after=500.0)
    assert all(d == 500.0 for d in samples)  # 500 s exceeds the 60 s backoff ceiling
    samples = delays(interval=300.0, failures=0, max_backoff=3600.0, retry_after=10.0)
    assert all(270.0 <= d <= 330.0 for d in samples)  # below the normal delay: no effect


def test_retry_after_may_exceed_max_backoff_but_nothing_else_does() -> None:
    samples = delays(interval=300.0, failures=20, max_backoff=600.0, retry_after=7200.0)
    assert all(d == 7200.0 for d in samples)
    samples = delays(interval=300.0, failures=20, max_backoff=600.0, retry_after=100.0)
    assert all(300.0 <= d <= 600.0 for d in samples)


def test_without_rng_uses_the_module_random() -> None:
    assert 90.0 <= next_poll_delay(interval=100.0, failures=0, max_backoff=10.0) <= 110.0


@pytest.mark.parametrize(
    "kwargs",
    [
        {"interval": 0.0, "failures": 0, "max_backoff": 10.0},
        {"interval": 10.0, "failures": -1, "max_backoff": 10.0},
        {"interval": 10.0, "failures": 1, "max_backoff": 0.0},
    ],
)
def test_invalid_arguments(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        next_poll_delay(**kwargs)  # type: ignore[arg-type]
