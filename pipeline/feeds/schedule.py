"""When to poll a feed next: the interval with jitter, or backoff after failures.

Policy ("equal jitter" backoff):

- no failure: ``interval`` ± 10 %, so feeds started together drift apart;
- ``n`` failures in a row: uniform in ``[ceiling/2, ceiling]`` with
  ``ceiling = min(max_backoff, base * 2**n)`` and ``base = min(interval, 30 s)``. The first
  retry of a 5-minute feed comes after 30-60 s (a blip should not cost a whole interval of
  news), later ones double up to ``max_backoff``. Half the ceiling is always waited, so
  retries never bunch near zero as with full jitter, and the jitter still spreads feeds of
  one failing server apart.
- a server's Retry-After is a floor, and may lift the delay above ``max_backoff``.
"""

from __future__ import annotations

import random

JITTER = 0.10
"""Relative jitter of the normal polling interval."""
BACKOFF_BASE = 30.0
"""Largest first backoff step in seconds (smaller when the interval itself is smaller)."""
_MAX_EXPONENT = 60  # 2**60 steps exceed any sensible max_backoff; avoids float overflow


def delay_bounds(*, interval: float, failures: int, max_backoff: float) -> tuple[float, float]:
    """The (lowest, highest) delay ``next_poll_delay`` may return, before Retry-After."""
    if interval <= 0 or max_backoff <= 0:
        raise ValueError("interval and max_backoff must be positive")
    if failures < 0:
        raise ValueError("failures cannot be negative")
    if failures == 0:
        return interval * (1 - JITTER), interval * (1 + JITTER)
    base = min(interval, BACKOFF_BASE)
    ceiling = min(max_backoff, base * 2 ** min(failures, _MAX_EXPONENT))
    return ceiling / 2, ceiling


def next_poll_delay(
    *,
    interval: float,
    failures: int,
    max_backoff: float,
    retry_after: float | None = None,
    rng: random.Random | None = None,
) -> float:
    """Seconds until the next poll of a feed; see the module docstring for the policy.

    Never below ``retry_after`` when given, and after failures never above
    ``max(max_backoff, retry_after)``.
    """
    low, high = delay_bounds(interval=interval, failures=failures, max_backoff=max_backoff)
    delay = (rng or random).uniform(low, high)
    if retry_after is not None and retry_after > delay:
        delay = retry_after
    return delay
