"""How sure a gold figure is: percentile intervals from resampling whole articles.

Sentences of one article share actors, places and a coder's reading, so they are not independent;
the unit resampled is the article (``GoldRecord.article``). Each round draws as many articles as
there are, with replacement, sums their counts and recomputes the rates; the interval is the
2.5th and 97.5th percentile of the rounds. Seeded, so a report is reproducible. Drawing the
extractor's and the baseline's counts of the same articles gives the interval of the gain.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields

import numpy as np

from evaluation.gold_scoring import GoldScores

#: The rates an interval is reported for.
KEYS = ("event_f1", "root_f1", "actor1_accuracy", "actor2_accuracy", "place_accuracy")


def total(units: Sequence[GoldScores]) -> GoldScores:
    """The counts of several units summed into one."""
    names = [f.name for f in fields(GoldScores)]
    return GoldScores(**{n: sum(getattr(u, n) for u in units) for n in names})


def _rates(names: Sequence[str], sums: np.ndarray) -> dict[str, float]:
    return GoldScores(**{n: int(v) for n, v in zip(names, sums, strict=True)}).rates()


def intervals(
    units: Sequence[GoldScores],
    rounds: int = 1000,
    *,
    baseline: Sequence[GoldScores] | None = None,
    seed: int = 0,
    level: float = 0.95,
    keys: Sequence[str] = KEYS,
) -> dict[str, tuple[float, float]]:
    """A ``level`` percentile interval for each rate in ``keys``, resampling ``units``; with
    ``baseline`` (the same articles, in the same order), also ``<key>_gain``: the extractor's rate
    minus the baseline's, on the same draws."""
    if rounds <= 0 or not units:
        return {}
    names = [f.name for f in fields(GoldScores)]

    def matrix(scores: Sequence[GoldScores]) -> np.ndarray:
        return np.array([[getattr(u, n) for n in names] for u in scores], dtype=np.int64)

    counts = matrix(units)
    base = matrix(baseline) if baseline is not None else None
    if base is not None and base.shape != counts.shape:
        raise ValueError("the baseline must score the same articles as the extractor")
    rng = np.random.default_rng(seed)
    drawn: dict[str, list[float]] = {}
    for _ in range(rounds):
        picked = rng.integers(0, len(units), len(units))
        ours = _rates(names, counts[picked].sum(axis=0))
        theirs = _rates(names, base[picked].sum(axis=0)) if base is not None else None
        for k in keys:
            drawn.setdefault(k, []).append(ours[k])
            if theirs is not None:
                drawn.setdefault(f"{k}_gain", []).append(ours[k] - theirs[k])
    tail = (1.0 - level) / 2.0
    return {
        k: (float(np.quantile(values, tail)), float(np.quantile(values, 1.0 - tail)))
        for k, values in drawn.items()
    }
