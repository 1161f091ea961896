"""The near-duplicate eval: scoring on a hand-made set, and the committed sample's figures."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from evaluation.dedup import evaluate_dedup, format_report
from evaluation.neardup_set import write_jsonl
from pipeline.dedup.config import DedupConfig

DATA = Path(__file__).resolve().parents[2] / "data"
SEED = (DATA / "aleppo-sakhour.txt").read_text(encoding="utf-8")
OTHER = (DATA / "aleppo-civilians.txt").read_text(encoding="utf-8")
T0 = datetime(2016, 11, 27, 8, tzinfo=UTC)


def _article(
    aid: str, text: str, hours: float, kind: str, group: str, **extra: Any
) -> dict[str, Any]:
    return {
        "article_id": aid, "title": "", "text": text,
        "published": (T0 + timedelta(hours=hours)).isoformat(),
        "group": group, "story": extra.pop("story", group), "kind": kind,
        "edits": extra.pop("edits", []), "negative_of": extra.pop("negative_of", None),
        "category": "Politics", "corpus": "test", "source_id": aid,
    }  # fmt: skip


@pytest.fixture
def tiny_set(tmp_path: Path) -> Path:
    words = [f"word{i}" for i in range(300)]
    unrelated = " ".join(words)
    rewritten = " ".join(words[:150] + [f"new{i}" for i in range(150)])  # J ~ 0.33: missed
    records = [
        _article("o1", SEED, 0, "original", "o1"),
        _article("o1-c1", "Headline\n\n" + SEED, 2, "copy", "o1", edits=["headline"]),
        _article("n1", OTHER, 1, "negative", "n1", negative_of="o1"),
        _article("o2", unrelated, 3, "original", "o2"),
        _article("o2-c1", rewritten, 4, "copy", "o2", edits=["typos", "reorder"]),
        # Gold says a separate story, but it is the negative's text: a false merge.
        _article("o3", OTHER.upper(), 5, "original", "o3"),
    ]
    path = tmp_path / "tiny.jsonl"
    write_jsonl(records, path)
    return path


def test_scores_a_hand_made_set(tiny_set: Path) -> None:
    report = evaluate_dedup(tiny_set, DedupConfig())
    d = report.to_dict()
    assert (d["pairs"], d["true_positives"], d["false_negatives"], d["false_positives"]) == (
        2,
        1,
        1,
        1,
    )
    assert d["precision"] == 0.5 and d["recall"] == 0.5
    assert d["false_merges"] == 1 and d["negative_merges"] == 0 and d["negatives"] == 1
    assert d["duplicate_of_accuracy"] == 1.0
    assert d["recall_by_edit"]["headline"] == {"pairs": 1, "recall": 1.0}
    assert d["recall_by_edit"]["typos"] == {"pairs": 1, "recall": 0.0}
    assert d["recall_light"] == 1.0 and d["light_pairs"] == 1  # the missed copy is below 0.8
    assert [m["article_id"] for m in d["missed"]] == ["o2-c1"]
    assert [w["article_id"] for w in d["wrong"]] == ["o3"]
    json.dumps(d)  # --json prints it
    text = format_report(report)
    assert "precision 0.5000" in text and "false merges 1" in text


def test_the_committed_sample_meets_the_targets() -> None:
    report = evaluate_dedup(None, DedupConfig())
    d = report.to_dict()
    assert d["pairs"] > 100 and d["negatives"] >= 20
    assert d["precision"] >= 0.99
    assert d["recall"] >= 0.95
    assert d["false_merges"] == 0 and d["negative_merges"] == 0
    assert set(d["recall_by_edit"]) >= {"headline", "dateline", "trim_end", "source_line"}
