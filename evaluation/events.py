"""Score event extraction on gold-coded sentences: ``main`` dispatches by file, this module scores
the PETRARCH2 unit-test suite (CAMEO codes, fictional actors).

``wirestream eval events [PATH ...] [--split dev|test] [--context sentence|article] [--json]``:
``.jsonl`` files (by default
every batch of the shipped hand-coded set, ``tests/data/eval/events-gold*.jsonl``) are scored by
``evaluation.events_gold``; ``PETR.UnitTest.records.xml`` or its directory by this module.

Each sentence is extracted as a one-sentence article published on the sentence's date. A predicted
event expands into one (source, target, code) tuple per pair of coordinated actor members, as the
gold coding does. Per sentence, predictions are paired one-to-one with gold events, preferring the
same CAMEO root and then the same actors. Scores:

- event detection: precision/recall/F1 of paired events, whatever their code;
- CAMEO root: precision/recall/F1 of pairs with the same root code (first two digits);
- actor1/actor2 accuracy: share of matched (detected) pairs whose source/target code equals the gold
  code (``---`` for an unknown country is ignored on both sides); ``*_root_matched`` variants count
  only pairs with the same root, ``*_country_*`` compare the first three letters only.

Records the suite marks as known-hard (``sentence="false"``, 'not implemented' comments, error and
discard records) are scored separately. Non-factual events (future, negated, hypothetical) count as
predictions: the suite codes modal statements ("is about to restore ties") as events too.
The baseline (``evaluation.event_baseline``) is scored in the same run on the same sentences.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from evaluation import CHECKOUT
from evaluation.event_baseline import baseline_events
from evaluation.events_gold import CONTEXTS, evaluate_gold, format_gold_report
from evaluation.petrarch import (
    ACTORS,
    AGENTS,
    RECORDS,
    EvalDictionary,
    GoldEvent,
    GoldSentence,
    load_eval_dictionary,
    read_records,
)
from pipeline.errors import ConfigError
from pipeline.extract import ArticleText, Extractor
from pipeline.extract.actors import Member
from pipeline.train.gold import GOLD, SPLITS

REPO = CHECKOUT
#: Where the suite sits beside a developer checkout (absent on a user's fresh clone).
DEFAULT_RECORDS = REPO.parent / "shared" / "eval" / "petrarch2" / RECORDS
_MISSING = "—"

Triple = tuple[str, str, str]


@dataclass
class Scores:
    """Detection, root-code and actor scores over one set of sentences."""

    sentences: int = 0
    gold: int = 0
    predicted: int = 0
    detected: int = 0
    """Pairs of a prediction with a gold event of the same sentence."""
    root_matched: int = 0
    actor1_correct: int = 0
    actor2_correct: int = 0
    actor1_country_correct: int = 0
    actor2_country_correct: int = 0
    detected_actor1_correct: int = 0
    """Exact source matches over all detected pairs (whatever the code)."""
    detected_actor2_correct: int = 0

    @staticmethod
    def _rate(part: int, whole: int) -> float:
        return part / whole if whole else 0.0

    @staticmethod
    def _f1(p: float, r: float) -> float:
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def event_precision(self) -> float:
        """Detected / predicted."""
        return self.detected / self.predicted if self.predicted else 0.0

    @property
    def event_recall(self) -> float:
        """Detected / gold."""
        return self.detected / self.gold if self.gold else 0.0

    @property
    def event_f1(self) -> float:
        """Harmonic mean of event precision and recall."""
        return self._f1(self.event_precision, self.event_recall)

    @property
    def root_precision(self) -> float:
        """Root-matched / predicted."""
        return self.root_matched / self.predicted if self.predicted else 0.0

    @property
    def root_recall(self) -> float:
        """Root-matched / gold."""
        return self.root_matched / self.gold if self.gold else 0.0

    @property
    def root_f1(self) -> float:
        """Harmonic mean of root precision and recall."""
        return self._f1(self.root_precision, self.root_recall)

    @property
    def actor1_accuracy(self) -> float:
        """Exact source code matches over matched (detected) pairs."""
        return self.detected_actor1_correct / self.detected if self.detected else 0.0

    @property
    def actor2_accuracy(self) -> float:
        """Exact target code matches over matched (detected) pairs."""
        return self.detected_actor2_correct / self.detected if self.detected else 0.0

    def to_dict(self) -> dict[str, float | int]:
        """Counts and rounded rates."""
        rates = {
            "event_precision": self.event_precision,
            "event_recall": self.event_recall,
            "event_f1": self.event_f1,
            "root_precision": self.root_precision,
            "root_recall": self.root_recall,
            "root_f1": self.root_f1,
            "actor1_accuracy": self.actor1_accuracy,
            "actor2_accuracy": self.actor2_accuracy,
            "actor1_accuracy_root_matched": self._rate(self.actor1_correct, self.root_matched),
            "actor2_accuracy_root_matched": self._rate(self.actor2_correct, self.root_matched),
            "actor1_country_accuracy_root_matched": self._rate(
                self.actor1_country_correct, self.root_matched
            ),
            "actor2_country_accuracy_root_matched": self._rate(
                self.actor2_country_correct, self.root_matched
            ),
        }
        counts: dict[str, float | int] = {
            k: v for k, v in asdict(self).items() if isinstance(v, int)
        }
        return {**{k: round(v, 4) for k, v in rates.items()}, **counts}


@dataclass
class EventEvalReport:
    """The extractor and the baseline on the same gold sentences."""

    path: str
    sentences: int = 0
    scores: Scores = field(default_factory=Scores)
    """Records not marked known-hard: the headline figures."""
    known_hard: Scores = field(default_factory=Scores)
    baseline: Scores = field(default_factory=Scores)
    baseline_known_hard: Scores = field(default_factory=Scores)
    confusion: dict[str, dict[str, int]] = field(default_factory=dict)
    """Gold root → predicted root → count over detected pairs (``—``: missed / extra)."""
    outside_cameo: int = 0
    """Gold events (headline set) with a code outside CAMEO (root not 01-20): unreachable."""
    dictionary: str = ""
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """The headline figures at the top level, then the rest (JSON-ready)."""
        main = self.scores.to_dict()
        return {
            **main,
            "sentences": self.sentences,
            "scored_sentences": self.scores.sentences,
            "baseline": {
                **self.baseline.to_dict(),
                "sentences": self.sentences,
                "scored_sentences": self.baseline.sentences,
            },
            "known_hard": self.known_hard.to_dict(),
            "baseline_known_hard": self.baseline_known_hard.to_dict(),
            "confusion": self.confusion,
            "outside_cameo": self.outside_cameo,
            "dictionary": self.dictionary,
            "path": self.path,
            "seconds": round(self.seconds, 2),
        }


def _norm(code: str | None) -> str:
    code = (code or "").upper().strip()
    while code.startswith("---"):
        code = code[3:]
    return code


def _expand(
    actor1: Sequence[Member], actor2: Sequence[Member], code: str, resolve: Any
) -> set[Triple]:
    sources = [resolve(m.code) for m in actor1] or [""]
    targets = [resolve(m.code) for m in actor2] or [""]
    out: set[Triple] = set()
    for source in sources:
        for target in targets:
            for s in source.split("/") or [""]:
                for t in target.split("/") or [""]:
                    out.add((_norm(s), _norm(t), code))
    return out


def _pair(gold: Sequence[GoldEvent], predicted: Iterable[Triple]) -> list[tuple[GoldEvent, Triple]]:
    """One-to-one pairs, preferring same root and actors, then same root, then anything."""
    remaining = list(predicted)
    unpaired = list(gold)
    pairs: list[tuple[GoldEvent, Triple]] = []
    levels = (
        lambda g, p: g.root == p[2][:2] and _norm(g.source) == p[0] and _norm(g.target) == p[1],
        lambda g, p: g.root == p[2][:2] and _norm(g.source) == p[0],
        lambda g, p: g.root == p[2][:2] and _norm(g.target) == p[1],
        lambda g, p: g.root == p[2][:2],
        # a different code, but the same actors: the same event coded otherwise
        lambda g, p: _norm(g.source) == p[0] and _norm(g.target) == p[1],
        lambda g, p: _norm(g.source) == p[0],
        lambda g, p: _norm(g.target) == p[1],
        lambda g, p: True,
    )
    for accept in levels:
        for g in list(unpaired):
            hit = next((p for p in remaining if accept(g, p)), None)
            if hit is not None:
                pairs.append((g, hit))
                remaining.remove(hit)
                unpaired.remove(g)
    return pairs


def _score(
    scores: Scores,
    gold: GoldSentence,
    predicted: set[Triple],
    confusion: dict[str, Counter[str]] | None,
) -> None:
    scores.sentences += 1
    scores.gold += len(gold.events)
    scores.predicted += len(predicted)
    pairs = _pair(gold.events, sorted(predicted))
    scores.detected += len(pairs)
    for g, p in pairs:
        if confusion is not None:
            confusion[g.root][p[2][:2]] += 1
        scores.detected_actor1_correct += _norm(g.source) == p[0]
        scores.detected_actor2_correct += _norm(g.target) == p[1]
        if g.root != p[2][:2]:
            continue
        scores.root_matched += 1
        scores.actor1_correct += _norm(g.source) == p[0]
        scores.actor2_correct += _norm(g.target) == p[1]
        scores.actor1_country_correct += _norm(g.source)[:3] == p[0][:3]
        scores.actor2_country_correct += _norm(g.target)[:3] == p[1][:3]
    if confusion is not None:
        paired_gold = {id(g) for g, _ in pairs}
        for g in gold.events:
            if id(g) not in paired_gold:
                confusion[g.root][_MISSING] += 1
        for _ in range(len(predicted) - len(pairs)):
            confusion[_MISSING]["extra"] += 1


def resolve_path(path: Path | None) -> Path:
    """The records file: ``path`` itself, ``path/PETR.UnitTest.records.xml``, or the default."""
    path = path or DEFAULT_RECORDS
    if path.is_dir():
        path = path / RECORDS
    if not path.is_file():
        raise ConfigError(
            f"{path}: no PETRARCH records file here; pass the path of PETR.UnitTest.records.xml "
            "(../shared/eval/petrarch2/ in a developer checkout)"
        )
    return path


def evaluate_events(path: Path | None, *, extractor: Extractor | None = None) -> EventEvalReport:
    """Score the extractor and the no-parse baseline on a PETRARCH records file."""
    started = time.perf_counter()
    records = resolve_path(path)
    sentences = read_records(records)
    extractor = extractor or Extractor()
    eval_dictionary: EvalDictionary | None = None
    actors, agents = records.parent / ACTORS, records.parent / AGENTS
    if actors.is_file() and agents.is_file():
        eval_dictionary = load_eval_dictionary(actors, agents)
        extractor = extractor.with_actors(eval_dictionary.dictionary)
        dictionary = f"{ACTORS} + {AGENTS} (evaluation only)"
    else:
        dictionary = "wirestream actors.yaml (the suite's actor files were not found)"
    articles = [
        ArticleText(
            f"{i}:{s.id}",
            s.text,
            published=datetime(s.date.year, s.date.month, s.date.day, 12, tzinfo=UTC),
        )
        for i, s in enumerate(sentences)
    ]
    coded = extractor.extract_coded(articles, batch_size=64)
    docs = list(extractor.nlp.pipe([s.text for s in sentences], batch_size=64))
    report = EventEvalReport(path=str(records), sentences=len(sentences), dictionary=dictionary)
    confusion: dict[str, Counter[str]] = defaultdict(Counter)
    for sentence, events, doc in zip(sentences, coded, docs, strict=True):
        when: date = sentence.date

        def resolve(code: str | None, when: date = when) -> str:
            return eval_dictionary.resolve(code, when) if eval_dictionary else (code or "")

        predicted: set[Triple] = set()
        for c in events:
            predicted |= _expand(c.actor1_members, c.actor2_members, c.event.cameo_code, resolve)
        baseline: set[Triple] = set()
        for b in baseline_events(extractor, doc):
            baseline |= _expand(b.actor1, b.actor2, b.code, resolve)
        if sentence.known_hard:
            _score(report.known_hard, sentence, predicted, None)
            _score(report.baseline_known_hard, sentence, baseline, None)
        else:
            _score(report.scores, sentence, predicted, confusion)
            _score(report.baseline, sentence, baseline, None)
            report.outside_cameo += sum(1 for g in sentence.events if not ("01" <= g.root <= "20"))
    report.confusion = {gold: dict(row) for gold, row in sorted(confusion.items())}
    report.seconds = time.perf_counter() - started
    return report


def format_report(report: EventEvalReport) -> str:
    """The report as a human-readable table."""
    s, b, h = report.scores, report.baseline, report.known_hard
    lines = [
        f"Event extraction on {report.path}",
        f"{report.sentences} sentences ({s.sentences} scored, "
        f"{h.sentences} known-hard scored apart); "
        f"actor dictionary: {report.dictionary}",
        f"{report.outside_cameo} of {s.gold} gold events carry codes outside CAMEO (root > 20): "
        "unreachable",
        "",
        f"{'':24}{'extractor':>12}{'baseline':>12}{'known-hard':>12}",
    ]
    rows = [
        ("gold events", "gold", "{:d}"),
        ("predicted events", "predicted", "{:d}"),
        ("event precision", "event_precision", "{:.3f}"),
        ("event recall", "event_recall", "{:.3f}"),
        ("event F1", "event_f1", "{:.3f}"),
        ("root precision", "root_precision", "{:.3f}"),
        ("root recall", "root_recall", "{:.3f}"),
        ("root F1", "root_f1", "{:.3f}"),
        ("matched (detected) pairs", "detected", "{:d}"),
        ("actor1 accuracy", "actor1_accuracy", "{:.3f}"),
        ("actor2 accuracy", "actor2_accuracy", "{:.3f}"),
        ("root-matched pairs", "root_matched", "{:d}"),
        ("  actor1 accuracy", "actor1_accuracy_root_matched", "{:.3f}"),
        ("  actor2 accuracy", "actor2_accuracy_root_matched", "{:.3f}"),
        ("  actor1 country acc.", "actor1_country_accuracy_root_matched", "{:.3f}"),
        ("  actor2 country acc.", "actor2_country_accuracy_root_matched", "{:.3f}"),
    ]
    dicts = (s.to_dict(), b.to_dict(), h.to_dict())
    for label, key, fmt in rows:
        lines.append(f"{label:24}" + "".join(f"{fmt.format(d[key]):>12}" for d in dicts))
    roots = sorted({r for row in report.confusion.values() for r in row} | set(report.confusion))
    columns = [r for r in roots if r not in (_MISSING, "extra")] + [_MISSING]
    lines += ["", "Root-code confusion (rows: gold root, columns: predicted root; — = missed)"]
    lines.append("gold" + "".join(f"{c:>5}" for c in columns) + f"{'extra':>7}")
    for gold in [r for r in roots if r in report.confusion]:
        row = report.confusion[gold]
        cells = "".join(f"{(row.get(c, 0) or '.'):>5}" for c in columns)
        lines.append(f"{gold:4}{cells}{row.get('extra', '') or '':>7}")
    lines.append(f"({report.seconds:.1f} s)")
    return "\n".join(lines)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Options of ``python -m evaluation.events`` (``argv`` without the program name)."""
    p = argparse.ArgumentParser(
        prog="python -m evaluation.events",
        description="Score event extraction (and the no-parse baseline) on gold-coded sentences.",
    )
    p.add_argument(
        "path",
        nargs="*",
        type=Path,
        help="gold JSONL files (default: every shipped batch, "
        f"{GOLD.parent.relative_to(REPO)}/events-gold*.jsonl), or "
        f"PETR.UnitTest.records.xml or its directory ({DEFAULT_RECORDS})",
    )
    p.add_argument(
        "--split",
        choices=SPLITS,
        help="score only the dev or the test half of a JSONL gold set (evaluation/README.md)",
    )
    p.add_argument(
        "--context",
        choices=CONTEXTS,
        default="sentence",
        help="JSONL gold: extract each sentence alone (default) or with the other sentences of "
        "its article, as the pipeline sees them",
    )
    p.add_argument(
        "--bootstrap",
        type=int,
        default=1000,
        metavar="N",
        help="JSONL gold: rounds of resampling articles behind the 95%% intervals "
        "(default 1000; 0: none)",
    )
    p.add_argument("--json", action="store_true", help="end with the report as one JSON line")
    return p.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Print the report (and its JSON with ``--json``); exit 2 when the gold file is missing."""
    args = parse_args(argv)
    paths: list[Path] = args.path
    gold = all(p.suffix == ".jsonl" for p in paths)
    try:
        if not gold and (args.split or len(paths) > 1 or args.context != "sentence"):
            raise ConfigError("--split, --context and several paths apply to JSONL gold sets only")
        if gold:
            gold_report = evaluate_gold(
                paths or None, split=args.split, context=args.context, bootstrap=args.bootstrap
            )
            text, result = format_gold_report(gold_report), gold_report.to_dict()
        else:
            report = evaluate_events(paths[0])
            text, result = format_report(report), report.to_dict()
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(text)
    if args.json:
        print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
