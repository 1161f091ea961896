"""The snippet scorer: reading the task's TSV, mapping events to labels, weighted F1."""

from __future__ import annotations

from pathlib import Path

import pytest

from evaluation.snippets import (
    NONE,
    load_label_map,
    main,
    predict,
    read_snippets,
    score,
    weighted_f1,
)
from pipeline.extract import Extractor

# Sentences written for this test (not from the shared task's file).
TSV = (
    "id\tEventSnippet\tSubType\n"
    "1\tSoldiers and rebel fighters clashed near the town of Kidal on Monday.\tARMED_CLASH\n"
    "2\tHundreds of teachers marched peacefully in Nairobi to demand higher pay.\tPEACE_PROTEST\n"
    "3\tA strong earthquake shook the coast of Peru, destroying homes.\tNATURAL_DISASTER\n"
)


def test_every_acled_sub_type_has_a_label() -> None:
    from pipeline.extract.event_typer import load_acled_types

    labels = load_label_map()
    acled = load_acled_types()
    subs = {s for subs_of in acled.sub_types.values() for s in subs_of}
    assert subs == set(labels.sub_event_types)
    assert len(set(labels.sub_event_types.values())) == 25
    assert labels.unseen.isdisjoint(labels.sub_event_types.values())


def test_weighted_f1_matches_a_hand_count() -> None:
    gold = ["A", "A", "B", "C"]
    predicted = ["A", "B", "B", NONE]
    # A: P 1, R .5, F1 2/3; B: P .5, R 1, F1 2/3; C: 0 — weighted (2·2/3 + 1·2/3 + 0) / 4 = 0.5
    assert weighted_f1(gold, predicted) == pytest.approx(0.5)
    assert weighted_f1(gold, gold) == pytest.approx(1.0)


def test_score_separates_acled_labels_from_unseen() -> None:
    unseen = frozenset({"NATURAL_DISASTER"})
    report = score(["ARMED_CLASH", "NATURAL_DISASTER"], ["ARMED_CLASH", NONE], unseen)
    assert report["accuracy"] == 0.5
    assert report["acled_snippets"] == 1
    assert report["acled_accuracy"] == 1.0
    assert report["no_event"] == 1


def test_read_rejects_a_file_without_the_columns(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text("id\ttext\n1\tx\n", encoding="utf-8")
    with pytest.raises(ValueError, match="EventSnippet"):
        read_snippets(bad)


def test_snippets_are_labelled_from_extracted_events(tmp_path: Path, extractor: Extractor) -> None:
    path = tmp_path / "snippets.tsv"
    path.write_text(TSV, encoding="utf-8")
    snippets = read_snippets(path)
    assert [s.label for s in snippets] == ["ARMED_CLASH", "PEACE_PROTEST", "NATURAL_DISASTER"]
    predicted = predict(snippets, extractor, load_label_map())
    assert predicted[0] == "ARMED_CLASH"
    assert predicted[1] == "PEACE_PROTEST"
    assert predicted[2] == NONE  # disasters are outside what the project codes


def test_main_prints_the_figures(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "snippets.tsv"
    path.write_text(TSV, encoding="utf-8")
    assert main([str(path), "--limit", "1"]) == 0
    out = capsys.readouterr().out
    assert "1 snippets" in out and "weighted F1" in out
    assert main([str(tmp_path / "missing.tsv")]) == 2
