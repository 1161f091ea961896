"""The linking benchmark run small: synthetic fill, then link vs extraction time."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from benchmarks import link as bench
from benchmarks.link import NOW, benchmark_link, format_bench, synthetic
from pipeline.extract import Extractor
from tests.unit.link.factory import ALEPPO, SYRIA, event

SEED = Path(__file__).resolve().parents[2] / "data" / "aleppo-sakhour.txt"


def test_synthetic_events_are_like_the_pool_elsewhere_and_earlier() -> None:
    pool = [event("m1", place=ALEPPO), event("m2", place=SYRIA)]
    cities = {"SY": [bench.City(f"Town {i}", 35.0 + i / 100, 36.0, 1000 + i) for i in range(50)]}
    made = synthetic(pool, 200, cities=cities, window=timedelta(days=30))
    assert len({e.event_id for e in made}) == 200
    assert all(NOW - timedelta(days=30) < (e.published or NOW) < NOW for e in made)
    assert [e.published for e in made] == sorted(e.published for e in made)  # type: ignore[type-var]
    towns = {e.place.name for e in made if e.place is not None and e.place.geo_precision == 1}
    assert len(towns) > 20  # spread over the country's cities
    assert any(e.place is not None and e.place.name == "Syria" for e in made)


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    """The extractor with the packaged model (loaded once, for the model tests only)."""
    return Extractor()


@pytest.mark.model
def test_a_tiny_benchmark(extractor: Extractor) -> None:
    text = SEED.read_text(encoding="utf-8")
    result = benchmark_link([text, text], live=300, extractor=extractor)
    assert result["live_events"] >= 300
    assert result["events"] > 0 and result["extract_seconds"] > 0
    assert 0 < result["ratio"] < 1
    assert "ratio" in format_bench(result)


@pytest.mark.model
def test_main_ends_with_one_json_line(
    extractor: Extractor,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(bench, "Extractor", lambda: extractor)
    args = ["--live", "200", "--articles", "2", "--corpus", str(tmp_path / "none.csv"), "--json"]
    assert bench.main(args) == 0
    last = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert {"ratio", "live_events", "link_seconds", "extract_seconds"} <= set(last)


def test_hot_lane_measures_both_scenarios() -> None:
    model = event("hot", place=SYRIA)
    result = bench.hot_lane(model, 200)
    distinct, one = result["distinct"], result["one_event"]
    assert [r["events"] for r in distinct] == [100, 200] == [r["events"] for r in one]
    assert distinct[-1]["live_events"] == 200  # different actors: nothing links
    assert one[-1]["live_events"] == 1  # the same event reported 200 times
    assert distinct[-1]["mib_written"] > distinct[0]["mib_written"] > 0
