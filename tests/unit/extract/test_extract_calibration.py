"""Confidence calibration: the scaling, its data file, and the extractor applying it."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from pipeline.errors import ConfigError
from pipeline.extract import ArticleText, Extractor
from pipeline.extract.calibration import Calibration, Scaling, load_calibration, logit


def test_the_identity_keeps_every_confidence() -> None:
    identity = Scaling()
    for raw in (0.05, 0.45, 0.6, 0.9, 1.0):
        assert identity(raw) == pytest.approx(min(raw, 1 - 1e-4), abs=1e-6)
    assert identity(0.0) == 0.0  # nothing found stays nothing


def test_a_scaling_keeps_the_order_and_moves_the_level() -> None:
    damped = Scaling(slope=1.0, intercept=-1.0)
    raws = [0.3, 0.45, 0.6, 0.85, 0.9]
    out = [damped(r) for r in raws]
    assert out == sorted(out) and all(o < r for o, r in zip(out, raws, strict=True))
    assert damped(0.5) == pytest.approx(1 / (1 + 2.718281828**1))
    assert logit(0.5) == 0.0


def test_the_shipped_file_loads_and_a_missing_one_is_the_identity(tmp_path: Path) -> None:
    shipped = load_calibration()
    assert all(getattr(shipped, f).slope > 0 for f in ("event", "actor1", "actor2", "place"))
    assert load_calibration(tmp_path / "absent.yaml") == Calibration.identity()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("fields: {actor3: {slope: 1, intercept: 0}}\n", "unknown field"),
        ("fields: {event: {slope: 1}}\n", "missing required key"),
        ("fields: {event: {slope: -1, intercept: 0}}\n", "slope must be positive"),
        ("fields: {event: {slope: one, intercept: 0}}\n", "must be numbers"),
        ("fields: {event: {slope: 1, intercept: 0, slop: 2}}\n", "unknown key"),
        ("field: {}\n", "unknown key"),
    ],
)
def test_a_bad_file_is_a_clear_error(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "calibration.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_calibration(path)


@pytest.mark.model
def test_the_extractor_applies_each_fields_scaling(
    extractor: Extractor, monkeypatch: pytest.MonkeyPatch
) -> None:
    article = ArticleText(
        "c1", "Syrian troops shelled rebel positions in Aleppo on Sunday.", source="Test Wire"
    )
    monkeypatch.setattr(extractor, "calibration", Calibration.identity())
    raw = extractor.extract(article).events[0]
    half = Scaling(slope=1.0, intercept=-1.0)
    monkeypatch.setattr(extractor, "calibration", replace(Calibration(), actor1=half, place=half))
    scaled = extractor.extract(article).events[0]
    assert raw.actor1 is not None and scaled.actor1 is not None and raw.place and scaled.place
    assert scaled.actor1.confidence == pytest.approx(half(raw.actor1.confidence), abs=1e-3)
    assert scaled.place.confidence == pytest.approx(half(raw.place.confidence), abs=1e-3)
    # fields without a scaling keep their rule confidence
    assert scaled.confidence == raw.confidence
    assert raw.actor2 and scaled.actor2 and scaled.actor2.confidence == raw.actor2.confidence
