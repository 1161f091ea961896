"""Fine-grained event types on short news snippets coded by others (CASE 2021 shared task 2 format).

Usage: ``wirestream eval snippets FILE.tsv [--limit N] [--json]``. The file has a header and
three tab-separated columns: ``id``, ``EventSnippet``, ``SubType`` (one of 30 labels: 25 ACLED
sub-event types and five types outside ACLED, ``data/case2021_types.yaml``). Each snippet is read
as an article; its label is that of the event the project would report (``acled.reported_event``,
else the most confident event of any modality), mapped through the data file; no event is
``NONE``. Printed: accuracy and support-weighted F1 over all labels and over the 25 ACLED labels,
and the confusions. The shared task's test file is not shipped (unknown licence): point at
your copy.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from evaluation.acled import reported_event
from schemas import Event

TYPES_FILE = Path(__file__).with_name("data") / "case2021_types.yaml"
NONE = "NONE"


@dataclass(frozen=True)
class LabelMap:
    """How an extracted event becomes one of the task's labels."""

    sub_event_types: dict[str, str]
    cameo_labels: tuple[tuple[str, str], ...]
    unseen: frozenset[str]

    def label(self, event: Event | None) -> str:
        """The task label of ``event`` (``NONE`` when there is none or it maps to nothing)."""
        if event is None:
            return NONE
        if event.sub_event_type and event.sub_event_type in self.sub_event_types:
            return self.sub_event_types[event.sub_event_type]
        if event.event_type:
            return NONE
        for prefix, label in self.cameo_labels:
            if event.cameo_code.startswith(prefix):
                return label
        return NONE


def load_label_map(path: Path = TYPES_FILE) -> LabelMap:
    """Read the label mapping data file."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    cameo = sorted(
        ((str(k), str(v)) for k, v in data["cameo_labels"].items()), key=lambda kv: -len(kv[0])
    )
    return LabelMap(
        sub_event_types={str(k): str(v) for k, v in data["sub_event_types"].items()},
        cameo_labels=tuple(cameo),
        unseen=frozenset(str(u) for u in data["unseen"]),
    )


@dataclass(frozen=True)
class Snippet:
    """One coded snippet."""

    snippet_id: str
    text: str
    label: str


def read_snippets(path: Path) -> list[Snippet]:
    """Rows of a task-2 TSV file (header ``id``, ``EventSnippet``, ``SubType``)."""
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        missing = {"id", "EventSnippet", "SubType"} - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{path}: missing column(s) {sorted(missing)}")
        return [
            Snippet(row["id"], row["EventSnippet"], row["SubType"].strip())
            for row in reader
            if row.get("EventSnippet")
        ]


def snippet_event(events: Iterable[Event]) -> Event | None:
    """The reported factual event, else the most confident event of any modality."""
    pool = list(events)
    best = reported_event(pool)
    if best is not None:
        return best
    return max(pool, key=lambda e: (e.confidence, -e.trigger.start), default=None)


def weighted_f1(gold: Sequence[str], predicted: Sequence[str]) -> float:
    """F1 of each gold label, weighted by its support (scikit-learn's ``average='weighted'``)."""
    support = Counter(gold)
    total = sum(support.values())
    if not total:
        return 0.0
    score = 0.0
    for label, count in support.items():
        tp = sum(1 for g, p in zip(gold, predicted, strict=True) if g == label and p == label)
        pred = sum(1 for p in predicted if p == label)
        precision = tp / pred if pred else 0.0
        recall = tp / count
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        score += f1 * count / total
    return score


def accuracy(gold: Sequence[str], predicted: Sequence[str]) -> float:
    """Share of exact label matches."""
    return sum(g == p for g, p in zip(gold, predicted, strict=True)) / len(gold) if gold else 0.0


def score(gold: Sequence[str], predicted: Sequence[str], unseen: frozenset[str]) -> dict[str, Any]:
    """Accuracy and weighted F1 over all labels and over the ACLED labels alone, and confusions."""
    seen = [(g, p) for g, p in zip(gold, predicted, strict=True) if g not in unseen]
    seen_gold = [g for g, _ in seen]
    seen_pred = [p for _, p in seen]
    confusions = Counter((g, p) for g, p in zip(gold, predicted, strict=True) if g != p)
    return {
        "snippets": len(gold),
        "accuracy": round(accuracy(gold, predicted), 3),
        "weighted_f1": round(weighted_f1(gold, predicted), 3),
        "acled_snippets": len(seen_gold),
        "acled_accuracy": round(accuracy(seen_gold, seen_pred), 3),
        "acled_weighted_f1": round(weighted_f1(seen_gold, seen_pred), 3),
        "no_event": sum(p == NONE for p in predicted),
        "top_confusions": [[g, p, n] for (g, p), n in confusions.most_common(15)],
    }


def predict(snippets: Sequence[Snippet], extractor: Any, labels: LabelMap) -> list[str]:
    """The label the project gives each snippet."""
    from pipeline.extract import ArticleText

    published = datetime(2021, 1, 1, tzinfo=UTC)
    articles = [
        ArticleText(f"snippet-{s.snippet_id}", s.text, published=published, source="snippet")
        for s in snippets
    ]
    return [
        labels.label(snippet_event(extraction.events))
        for extraction in extractor.extract_many(articles, batch_size=32)
    ]


def main(argv: Sequence[str] | None = None) -> int:
    """Score a snippet file and print the figures (or JSON)."""
    parser = argparse.ArgumentParser(prog="wirestream eval snippets", description=__doc__)
    parser.add_argument("file", type=Path, help="Task-2 TSV file (id, EventSnippet, SubType).")
    parser.add_argument("--limit", type=int, default=None, help="Score only the first N snippets.")
    parser.add_argument("--json", action="store_true", help="Print JSON.")
    args = parser.parse_args(argv)
    if not args.file.is_file():
        print(f"no such file: {args.file}", file=sys.stderr)
        return 2
    snippets = read_snippets(args.file)[: args.limit]
    labels = load_label_map()
    from pipeline.extract import Extractor

    predicted = predict(snippets, Extractor(), labels)
    report = score([s.label for s in snippets], predicted, labels.unseen)
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"{args.file}: {report['snippets']} snippets")
    print(
        f"  all 30 labels:   accuracy {report['accuracy']:.3f}  "
        f"weighted F1 {report['weighted_f1']:.3f}"
    )
    print(
        f"  ACLED labels:    accuracy {report['acled_accuracy']:.3f}  weighted F1 "
        f"{report['acled_weighted_f1']:.3f}  (n={report['acled_snippets']})"
    )
    print(f"  no event found:  {report['no_event']}")
    print("  most frequent confusions (gold → predicted, count):")
    for gold, pred, count in report["top_confusions"]:
        print(f"    {gold:32} → {pred:32} {count}")
    return 0
