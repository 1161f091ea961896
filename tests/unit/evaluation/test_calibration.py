"""Reliability bins, calibration error and thresholds of a field's confidences."""

from __future__ import annotations

import json

import pytest

from evaluation.calibration import Reliability, format_calibration


def test_bins_hold_mean_confidence_and_accuracy() -> None:
    rel = Reliability()
    items = ((0.65, True), (0.62, False), (0.9, True), (1.0, True), (0.1, False))
    for confidence, correct in items:
        rel.add(confidence, correct)
    bins = {(b["low"], b["high"]): b for b in rel.bins()}
    assert set(bins) == {(0.0, 0.3), (0.6, 0.7), (0.9, 1.0)}  # 1.0 falls in the last bin
    assert bins[(0.6, 0.7)]["n"] == 2 and bins[(0.6, 0.7)]["accuracy"] == 0.5
    assert bins[(0.6, 0.7)]["mean_confidence"] == pytest.approx(0.635)
    # |0.5 - 0.635| * 2/5 + |1 - 0.95| * 2/5 + |0 - 0.1| * 1/5
    assert rel.ece() == pytest.approx(0.135 * 0.4 + 0.05 * 0.4 + 0.1 * 0.2)


def test_a_perfectly_calibrated_field_has_no_error() -> None:
    rel = Reliability()
    for i in range(10):
        rel.add(0.75, i < 7)  # mean 0.75 against 0.7 right: a gap of 0.05
        rel.add(0.35, i < 4)  # a gap of 0.05 the other way
    assert rel.ece() == pytest.approx(0.05)
    rel = Reliability()
    for i in range(4):
        rel.add(0.75, i < 3)
    assert rel.ece() == pytest.approx(0.0)


def test_thresholds_say_what_a_consumer_keeps() -> None:
    rel = Reliability()
    for confidence, correct in ((0.45, False), (0.55, False), (0.75, True), (0.85, True)):
        rel.add(confidence, correct)
    at = rel.at(0.5)
    assert (at["kept"], at["correct"], at["accuracy"], at["kept_share"]) == (3, 2, 2 / 3, 0.75)
    assert rel.at(0.9)["kept"] == 0 and rel.at(0.9)["accuracy"] == 0.0
    d = rel.to_dict()
    assert d["n"] == 4 and d["accuracy"] == 0.5
    assert [t["threshold"] for t in d["thresholds"]] == [0.5, 0.6, 0.7, 0.8]
    json.dumps(d)  # JSON-ready


def test_an_empty_field_reports_zeroes() -> None:
    d = Reliability().to_dict()
    assert d == {"n": 0, "accuracy": 0.0, "ece": 0.0, "bins": [], "thresholds": d["thresholds"]}
    lines = format_calibration({"place": Reliability()}, {"place": "pairs with a gold place"})
    assert lines[1].startswith("place: n=0")
