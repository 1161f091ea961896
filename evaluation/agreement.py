"""Agreement between two coders of the same gold sentences: how far a human gets.

``wirestream eval agreement OTHER [REFERENCE ...] [--json]`` (reference: every shipped batch by
default) scores the second coder's factual events
as if they were predictions, with the scorer the extractor gets (``evaluation.gold_scoring``),
on the sentences both files code (matched by ``id``; the texts must be the same). Root F1 is
symmetric (swapping the files swaps precision and recall), and so are the actor agreements over
paired events, so the figures are inter-coder agreement: the ceiling an extractor's score against
one coder can be read against.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evaluation.gold_scoring import (
    GoldScores,
    Predicted,
    add_confusion,
    country_key,
    match_sentence,
    norm,
)
from pipeline.errors import ConfigError
from pipeline.train.gold import GoldItem, GoldRecord, read_gold, shipped_gold


def as_predictions(record: GoldRecord) -> list[Predicted]:
    """A coder's factual events as predictions (their trigger offsets, their actor codes)."""
    return [_predicted(item) for item in record.events]


def _predicted(item: GoldItem) -> Predicted:
    source = item.source.code if item.source else None
    target = item.target.code if item.target else None
    return Predicted(
        norm(source),
        norm(target),
        item.code,
        item.start,
        item.end,
        country_key(source, None),
        country_key(target, None),
    )


@dataclass
class AgreementReport:
    """The second coder scored against the first on their common sentences."""

    reference: str
    other: str
    scores: GoldScores = field(default_factory=GoldScores)
    confusion: dict[str, dict[str, int]] = field(default_factory=dict)
    only_reference: int = 0
    """Sentences of the reference file the other did not code (left out)."""

    def to_dict(self) -> dict[str, Any]:
        """Figures at the top level, as ``eval events --json`` gives them (JSON-ready)."""
        return {
            **self.scores.to_dict(),
            "confusion": self.confusion,
            "only_reference": self.only_reference,
            "reference": self.reference,
            "other": self.other,
        }


def agreement(other: Path, references: Sequence[Path] = ()) -> AgreementReport:
    """Score ``other`` against the reference files (default: every shipped batch) on the
    sentences both code."""
    references = tuple(references) or shipped_gold()
    reference = ", ".join(str(r) for r in references)
    theirs = {r.id: r for r in read_gold(other)}
    report = AgreementReport(reference, str(other))
    confusion: dict[str, Counter[str]] = defaultdict(Counter)
    for record in (r for path in references for r in read_gold(path)):
        second = theirs.pop(record.id, None)
        if second is None:
            report.only_reference += 1
            continue
        if second.text != record.text:
            raise ConfigError(f"{other}: {record.id}: its text differs from the reference's")
        predicted = as_predictions(second)
        result = match_sentence(record, predicted)
        report.scores.add(record, predicted, result)
        add_confusion(confusion, result)
    if theirs:
        raise ConfigError(f"{other}: ids not in the reference: {sorted(theirs)[:5]}")
    report.confusion = {gold: dict(row) for gold, row in sorted(confusion.items())}
    return report


_ROWS = (
    ("sentences", "sentences", "{:d}"),
    ("events, reference", "gold", "{:d}"),
    ("events, other", "predicted", "{:d}"),
    ("event F1", "event_f1", "{:.3f}"),
    ("root F1", "root_f1", "{:.3f}"),
    ("full-code F1", "code_f1", "{:.3f}"),
    ("paired events", "detected", "{:d}"),
    ("actor1 agreement", "actor1_accuracy", "{:.3f}"),
    ("  country (3 letters)", "actor1_country_accuracy", "{:.3f}"),
    ("actor2 agreement", "actor2_accuracy", "{:.3f}"),
    ("  country (3 letters)", "actor2_country_accuracy", "{:.3f}"),
    ("reference non-facts coded as fact", "leaked", "{:d}"),
)


def format_report(report: AgreementReport) -> str:
    """The report as a small table."""
    d = report.scores.to_dict()
    lines = [f"Inter-coder agreement: {report.other}", f"against {report.reference}"]
    lines += [f"{label:36}{fmt.format(d[key]):>8}" for label, key, fmt in _ROWS]
    if report.only_reference:
        lines.append(
            f"({report.only_reference} reference sentences not coded by the other: left out)"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Print the agreement (and its JSON with ``--json``); exit 2 on unreadable or unlike files."""
    p = argparse.ArgumentParser(
        prog="wirestream eval agreement",
        description="Score a second coder's gold JSONL against the first's (same sentence ids).",
    )
    p.add_argument("other", type=Path, help="gold JSONL of the second coder (a subset of ids)")
    p.add_argument(
        "reference",
        type=Path,
        nargs="*",
        help="gold JSONL of the first coder (default: every shipped batch)",
    )
    p.add_argument("--json", action="store_true", help="end with the report as one JSON line")
    args = p.parse_args(argv)
    try:
        report = agreement(args.other, args.reference)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(format_report(report))
    if args.json:
        print(json.dumps(report.to_dict()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
