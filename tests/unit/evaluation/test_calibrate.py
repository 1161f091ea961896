"""Fitting the confidence calibration: Platt scaling, shipped-or-raw, the file it writes."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from evaluation.calibrate import FieldResult, fit_platt, to_yaml
from evaluation.calibration import Reliability
from pipeline.extract.calibration import Scaling, load_calibration


def _draw(truth: Scaling, n: int, seed: int = 7) -> list[tuple[float, bool]]:
    rng = random.Random(seed)
    items = []
    for _ in range(n):
        raw = rng.uniform(0.3, 0.95)
        items.append((raw, rng.random() < truth(raw)))
    return items


def test_platt_recovers_an_overconfident_field() -> None:
    truth = Scaling(slope=1.5, intercept=-0.8)
    fitted = fit_platt(_draw(truth, 4000), prior=0.0)
    assert fitted.slope == pytest.approx(1.5, abs=0.25)
    assert fitted.intercept == pytest.approx(-0.8, abs=0.25)
    before, after = Reliability(), Reliability()
    for raw, ok in _draw(truth, 2000, seed=8):
        before.add(raw, ok)
        after.add(fitted(raw), ok)
    assert after.ece() < 0.05 < before.ece()


def test_few_items_stay_near_the_identity_and_none_are_the_identity() -> None:
    assert fit_platt([]) == Scaling()
    assert fit_platt([(0.0, False), (0.0, True)]) == Scaling()  # no value, no confidence
    few = fit_platt([(0.8, False), (0.7, False)])
    assert 0.3 < few.slope < 1.5 and few(0.8) < 0.8


def test_a_scaling_that_does_not_help_held_out_items_is_not_shipped(tmp_path: Path) -> None:
    calibrated, raw = Reliability(), Reliability()
    for ok in (True, True, False):
        raw.add(0.66, ok)  # right two times in three: already calibrated
        calibrated.add(0.9, ok)
    worse = FieldResult(3, Scaling(2.0, 1.0), raw, calibrated)
    better = FieldResult(3, Scaling(1.2, -0.5), calibrated, raw)
    assert not worse.helps and worse.shipped == Scaling() and better.shipped == Scaling(1.2, -0.5)
    path = tmp_path / "calibration.yaml"
    path.write_text(to_yaml({"event": worse, "place": better}, "a test"), encoding="utf-8")
    loaded = load_calibration(path)
    assert loaded.event == Scaling() and loaded.place == Scaling(1.2, -0.5)
    assert loaded.actor1 == Scaling()  # a field the file leaves out is raw
    assert worse.to_dict()["shipped"] == "raw" and better.to_dict()["shipped"] == "scaling"


def test_the_report_scores_the_fields_the_extractor_calibrates() -> None:
    from evaluation.events_gold import CALIBRATED
    from pipeline.extract.calibration import FIELDS

    assert tuple(CALIBRATED) == FIELDS


def test_calibration_is_cross_fitted_over_files() -> None:
    from evaluation.calibrate import calibrate
    from pipeline.errors import ConfigError

    with pytest.raises(ConfigError, match="at least two gold files"):
        calibrate([Path("one.jsonl")])


@pytest.mark.model
def test_calibrate_fits_raw_confidences_of_two_batches(
    extractor: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fit sees the rules' own confidences even when the extractor carries a calibration."""
    from evaluation.calibrate import calibrate
    from pipeline.extract import Extractor
    from pipeline.extract.calibration import Calibration
    from pipeline.train.gold import shipped_gold

    assert isinstance(extractor, Extractor)
    squash = Scaling(slope=0.1, intercept=-3.0)
    monkeypatch.setattr(extractor, "calibration", Calibration(squash, squash, squash, squash))
    files = list(shipped_gold())[2:4]
    results = calibrate(files, split="dev", extractor=extractor)
    assert set(results) == {"event", "actor1", "actor2", "place"}
    event = results["event"]
    assert event.n >= 10 and len(event.raw.items) == event.n and 0.0 <= event.raw.ece() <= 1.0
    raws = [c for c, _ in event.raw.items]
    assert min(raws) > 0.25  # rule confidences, not the squashed ones (all below 0.05)
    assert extractor.calibration.event == squash  # the caller's extractor is left as it was


@pytest.mark.model
def test_the_shipped_calibration_is_fitted_on_the_current_rules(extractor: object) -> None:
    """A change to a rule confidence, or a new gold batch, must come with a refit:
    ``wirestream eval calibrate --write`` (pipeline/extract/data/README.md)."""
    from evaluation.calibrate import calibrate
    from pipeline.extract import Extractor

    assert isinstance(extractor, Extractor)
    shipped = load_calibration()
    for name, result in calibrate(extractor=extractor).items():
        fitted, stored = result.shipped, getattr(shipped, name)
        assert fitted.slope == pytest.approx(stored.slope, abs=1e-3), name
        assert fitted.intercept == pytest.approx(stored.intercept, abs=1e-3), name
