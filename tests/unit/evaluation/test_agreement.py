"""Inter-coder agreement: a second coder's gold scored against the first's (no model)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from evaluation.agreement import agreement, format_report, main
from pipeline.errors import ConfigError
from pipeline.train.gold import shipped_gold

SAMPLE = Path(__file__).parents[2] / "data" / "eval" / "agreement" / "coder2-sample.jsonl"


def _record(rid: str, text: str, events: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": rid,
        "source": "https://example.org/a",
        "published": None,
        "text": text,
        "events": events,
        "nonfactual": [],
    }


def _event(code: str, trigger: str, source: str | None, target: str | None) -> dict[str, Any]:
    return {
        "code": code,
        "root": code[:2],
        "source_actor": {"text": "x", "code": source} if source else None,
        "target_actor": {"text": "y", "code": target} if target else None,
        "trigger": trigger,
        "place": None,
    }


def _write(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


TEXT_1 = "Police arrested x and y in Delhi."
TEXT_2 = "The minister criticised x over y."


def test_a_coder_agrees_with_itself(tmp_path: Path) -> None:
    records = [
        _record("a-1", TEXT_1, [_event("173", "arrested", "INDCOP", "INDNGM")]),
        _record("a-2", TEXT_2, [_event("111", "criticised", "INDGOV", "INDOPP")]),
    ]
    ref = _write(tmp_path / "ref.jsonl", records)
    scores = agreement(ref, [ref]).scores.to_dict()
    assert scores["root_f1"] == scores["actor1_accuracy"] == scores["actor2_accuracy"] == 1.0


def test_disagreements_count_and_are_symmetric(tmp_path: Path) -> None:
    ref = _write(
        tmp_path / "ref.jsonl",
        [
            _record("a-1", TEXT_1, [_event("173", "arrested", "INDCOP", "INDNGM")]),
            _record("a-2", TEXT_2, [_event("111", "criticised", "INDGOV", "INDOPP")]),
        ],
    )
    other = _write(
        tmp_path / "other.jsonl",
        [
            _record("a-1", TEXT_1, [_event("173", "arrested", "INDMIL", "INDNGM")]),
            _record("a-2", TEXT_2, []),
        ],
    )
    one = agreement(other, [ref])
    d = one.scores.to_dict()
    assert d["gold"] == 2 and d["predicted"] == 1 and d["root_f1"] == pytest.approx(2 / 3, abs=1e-4)
    assert d["actor1_accuracy"] == 0.0 and d["actor1_country_accuracy"] == 1.0
    swapped = agreement(ref, [other]).scores.to_dict()
    assert swapped["root_f1"] == d["root_f1"]
    assert swapped["root_precision"] == d["root_recall"]
    assert "root F1" in format_report(one)


def test_unlike_files_are_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ref = _write(tmp_path / "ref.jsonl", [_record("a-1", TEXT_1, [])])
    changed = _write(tmp_path / "changed.jsonl", [_record("a-1", TEXT_2, [])])
    unknown = _write(tmp_path / "unknown.jsonl", [_record("b-9", TEXT_1, [])])
    with pytest.raises(ConfigError, match="text differs"):
        agreement(changed, [ref])
    with pytest.raises(ConfigError, match="not in the reference"):
        agreement(unknown, [ref])
    assert main([str(unknown), str(ref)]) == 2
    assert "not in the reference" in capsys.readouterr().err


def test_the_committed_second_coding_matches_the_shipped_gold(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Every sentence of the second coder's sample is a shipped gold sentence, word for word."""
    report = agreement(SAMPLE, shipped_gold())
    assert report.scores.sentences == 79
    assert main([str(SAMPLE), "--json"]) == 0
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert result["sentences"] == 79 and 0.0 <= result["root_f1"] <= 1.0
