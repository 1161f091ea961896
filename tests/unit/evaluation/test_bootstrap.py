"""Article-bootstrap intervals of the gold rates: sums, widths, reproducibility."""

from __future__ import annotations

import pytest

from evaluation.bootstrap import intervals, total
from evaluation.gold_scoring import GoldScores


def _unit(gold: int, predicted: int, root: int, scored: int = 0, correct: int = 0) -> GoldScores:
    return GoldScores(
        sentences=1,
        gold=gold,
        predicted=predicted,
        detected=root,
        root_matched=root,
        actor1_scored=scored,
        actor1_correct=correct,
    )


def test_total_sums_every_count() -> None:
    summed = total([_unit(2, 1, 1, 1, 1), _unit(3, 2, 0, 1, 0)])
    assert (summed.sentences, summed.gold, summed.predicted, summed.root_matched) == (2, 5, 3, 1)
    assert summed.rates()["actor1_accuracy"] == 0.5


def test_alike_articles_give_a_point_and_unlike_ones_an_interval() -> None:
    alike = intervals([_unit(2, 2, 1, 2, 1)] * 20, rounds=200)
    assert alike["root_f1"] == pytest.approx((0.5, 0.5))
    assert alike["actor1_accuracy"] == pytest.approx((0.5, 0.5))
    mixed = [_unit(2, 2, 2, 1, 1)] * 10 + [_unit(2, 2, 0, 1, 0)] * 10
    low, high = intervals(mixed, rounds=500)["root_f1"]
    assert 0.2 < low < 0.5 < high < 0.8


def test_seeded_and_optional() -> None:
    units = [_unit(3, 2, 1), _unit(1, 2, 1), _unit(2, 0, 0), _unit(4, 4, 3)]
    assert intervals(units, rounds=100, seed=3) == intervals(units, rounds=100, seed=3)
    assert intervals(units, rounds=0) == {} and intervals([], rounds=100) == {}


def test_the_gain_over_the_baseline_is_drawn_on_the_same_articles() -> None:
    ours = [_unit(2, 2, 2), _unit(2, 2, 1), _unit(2, 2, 0)] * 5
    theirs = [_unit(2, 2, 1), _unit(2, 2, 0), _unit(2, 2, 0)] * 5  # always one fewer, or equal
    spans = intervals(ours, rounds=300, baseline=theirs)
    low, high = spans["root_f1_gain"]
    assert 0.0 < low <= 1 / 3 <= high  # the point gain is 1/3; never negative on any draw
    assert spans["root_f1"][0] < 0.5 < spans["root_f1"][1]
    with pytest.raises(ValueError, match="same articles"):
        intervals(ours, rounds=10, baseline=theirs[:3])
