"""The near-duplicate set generator: seeded, documented edits, gold that holds together."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from evaluation.neardup_set import (
    EDITS,
    HARD_EDITS,
    SAMPLE,
    SHARED_NEWS,
    Source,
    build_neardup_set,
    load_corpus,
    main,
    make_copy,
    read_jsonl,
    sources_from_jsonl,
)
from pipeline.dedup.minhash import words
from pipeline.normalise.text import fingerprint

DATA = Path(__file__).resolve().parents[2] / "data"
STORY = Source("t-1", "test", "Politics", (DATA / "aleppo-sakhour.txt").read_text(encoding="utf-8"))
DONOR = Source(
    "t-2", "test", "Politics", (DATA / "aleppo-civilians.txt").read_text(encoding="utf-8")
)
WHEN = datetime.fromisoformat("2025-03-03T10:00:00+00:00")


def _published(r: dict[str, object]) -> datetime:
    return datetime.fromisoformat(str(r["published"]).replace("Z", "+00:00"))


def test_building_twice_with_one_seed_gives_the_same_set() -> None:
    sources = sources_from_jsonl(SAMPLE)
    assert build_neardup_set(sources, seed=5) == build_neardup_set(sources, seed=5)
    assert build_neardup_set(sources, seed=5) != build_neardup_set(sources, seed=6)


def test_gold_holds_together() -> None:
    records = build_neardup_set(sources_from_jsonl(SAMPLE), seed=5)
    by_id = {r["article_id"]: r for r in records}
    assert {r["kind"] for r in records} >= {"original", "copy", "negative"}
    assert records == sorted(records, key=lambda r: (r["published"], r["article_id"]))
    for r in records:
        assert set(r["edits"]) <= {*EDITS, *HARD_EDITS, "natural"}
        if r["kind"] == "copy":
            original = by_id[r["group"]]
            assert r["edits"] and _published(original) < _published(r)
        else:
            assert r["group"] == r["article_id"]
        if r["kind"] == "negative":
            anchor = by_id[r["negative_of"]]
            assert anchor["category"] == r["category"] and anchor["story"] != r["story"]
            assert timedelta(0) < _published(r) - _published(anchor) <= timedelta(hours=6)


@pytest.mark.parametrize("edit", EDITS)
def test_each_edit_does_what_it_says(edit: str) -> None:
    title, text, applied = make_copy(STORY, DONOR, [edit], random.Random(1), WHEN)
    assert applied == [edit]
    assert text != STORY.text
    if edit == "headline":
        assert text.startswith(title + "\n\n")
    if edit == "dateline":
        assert text.split(" - ", 1)[0].endswith("Mar 3 (" + text.split("(")[1].split(")")[0] + ")")
    if edit == "reformat":
        assert "\n\n" in text and fingerprint(text) == fingerprint(STORY.text)
    original, copy = words(STORY.text), words(text)
    if edit in ("source_line", "reformat", "reorder"):
        assert sorted(copy[: len(original)]) == sorted(original)
    if edit == "trim_end":
        assert len(copy) < len(original) and copy == original[: len(copy)]
    if edit == "add_paragraph":
        assert len(copy) > len(original) and copy[: len(original)] == original
        assert set(copy[len(original) :]) <= set(words(DONOR.text))


def test_the_command_writes_a_sample(tmp_path: Path) -> None:
    out = tmp_path / "set.jsonl"
    assert main(["--from-jsonl", str(SAMPLE), "--out", str(out), "--seed", "3"]) == 0
    assert len(read_jsonl(out)) > 50


@pytest.mark.skipif(
    not SHARED_NEWS.exists(), reason="../shared/eval/news is not beside this checkout"
)
def test_corpus_loads_without_site_furniture() -> None:
    sources = load_corpus(SHARED_NEWS)
    assert len(sources) > 1000
    web = [s for s in sources if s.corpus == "web"]
    assert web and not any("Stories you might be interested in" in s.text for s in web)
    assert max(len(s.text) for s in sources) <= 10_000


def test_hard_cases_are_templated_negatives_long_trims_and_shared_blocks() -> None:
    sources = sources_from_jsonl(SAMPLE)
    records = build_neardup_set(sources, seed=5, templates=10, boilerplate_pairs=3)
    by_id = {r["article_id"]: r for r in records}
    edits = {e for r in records for e in r["edits"]}
    assert {"template", "trim_25", "trim_50", "boilerplate"} <= edits
    for r in records:
        if any(e.startswith("template_") for e in r["edits"]):
            # One word changed in an otherwise identical short report.
            anchor = by_id[r["negative_of"]]
            a, b = words(anchor["text"]), words(r["text"])
            assert len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) == 1
        if "trim_50" in r["edits"]:
            original = words(by_id[r["group"]]["text"])
            kept = [w for w in words(r["text"]) if w]
            assert 0.3 * len(original) <= len(kept) <= 0.75 * len(original)
        if "boilerplate" in r["edits"] and r["kind"] == "negative":
            anchor = by_id[r["negative_of"]]
            block = r["text"].rsplit("\n\n", 1)[1]
            assert anchor["text"].endswith(block) and anchor["story"] != r["story"]
    assert build_neardup_set(sources, seed=5, hard_cases=False) != records
