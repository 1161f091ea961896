"""Score event extraction and the no-parse baseline on the hand-coded gold set (JSONL).

By default each sentence is extracted alone, as a one-sentence article published on its
``published`` date; with ``context="article"`` the sentences of one article (same URL) are joined in
file order into one text and extracted together, as the pipeline sees them (pronouns and the story's
country can then come from earlier sentences), and each event is scored with the sentence its
trigger is in.
Only factual predictions count as predictions; pairing and leakage: ``evaluation.gold_scoring``.
Figures are given for all selected sentences, per source group (``real-news`` leaves out the
constructed PETRARCH sentences) and per file when several are scored; ``split`` selects the dev or
test half (``pipeline.train.gold``).
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from evaluation.bootstrap import intervals as article_intervals
from evaluation.calibration import Reliability, format_calibration
from evaluation.event_baseline import baseline_events
from evaluation.gold_scoring import (
    MISSING,
    GoldScores,
    Predicted,
    add_confusion,
    calibration_items,
    country_key,
    match_sentence,
    norm,
)
from pipeline.errors import ConfigError
from pipeline.extract import ArticleText, Extractor
from pipeline.extract.actors import Member
from pipeline.extract.extractor import CodedEvent
from pipeline.train.gold import REAL_NEWS, GoldRecord, groups_of, read_gold, select, shipped_gold
from schemas.events import Place

_GROUP_ORDER = (
    REAL_NEWS,
    "web-news",
    "lee-abc-news",
    "bbc-news",
    "gigaword-afp-2008",
    "petrarch2-dev-news",
    "petrarch2-dev-constructed",
)


def expand(
    actor1: Sequence[Member],
    actor2: Sequence[Member],
    code: str,
    start: int,
    end: int,
    places: tuple[str, ...] = (),
    confidences: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0),
) -> list[Predicted]:
    """One prediction per pair of actor members with different codes (as the gold codes them);
    ``confidences`` are the event's, actor 1's, actor 2's and the place's."""
    sources: list[Member | None] = list(actor1) or [None]
    targets: list[Member | None] = list(actor2) or [None]
    out: dict[tuple[str, str], Predicted] = {}
    for s in sources:
        for t in targets:
            key = (norm(s.code) if s else "", norm(t.code) if t else "")
            out.setdefault(
                key,
                Predicted(
                    key[0],
                    key[1],
                    code,
                    start,
                    end,
                    country_key(s.code, s.country) if s else "",
                    country_key(t.code, t.country) if t else "",
                    places,
                    *confidences,
                ),
            )
    return list(out.values())


def _confidences(c: CodedEvent) -> tuple[float, float, float, float]:
    e = c.event
    return (
        e.confidence,
        e.actor1.confidence if e.actor1 else 0.0,
        e.actor2.confidence if e.actor2 else 0.0,
        e.place.confidence if e.place else 0.0,
    )


def _places(place: Place | None) -> tuple[str, ...]:
    """What an event's place is called: the words of the text it came from, then the
    gazetteer's name and the containing place ("Sakhour", "Aleppo")."""
    if place is None:
        return ()
    named = (place.span.text if place.span is not None else "", place.name, place.parent or "")
    return tuple(n for n in named if n)


CALIBRATED = {
    "event": "every factual event; right = paired with a gold event of its root",
    "actor1": "pairs whose gold names actor 1; right = same CAMEO actor code",
    "actor2": "pairs whose gold names actor 2; right = same CAMEO actor code",
    "place": "pairs whose gold names a place; right = the place names it",
}
"""The fields whose confidence is checked, and what counts as right."""


@dataclass
class GoldReport:
    """The extractor and the baseline on the same gold sentences."""

    path: str
    split: str | None
    context: str = "sentence"
    """``sentence``: each sentence extracted alone; ``article``: with its article's others."""
    extractor: GoldScores = field(default_factory=GoldScores)
    baseline: GoldScores = field(default_factory=GoldScores)
    groups: dict[str, tuple[GoldScores, GoldScores]] = field(default_factory=dict)
    files: dict[str, tuple[GoldScores, GoldScores]] = field(default_factory=dict)
    """Per gold file (its name), when more than one was scored."""
    confusion: dict[str, dict[str, int]] = field(default_factory=dict)
    """Gold root → predicted root (``—``: missed / no gold; ``nf``: leaked non-factual items)."""
    flagged: int = 0
    """Non-factual gold items the extractor emitted as non-factual events (what it should do)."""
    calibration: dict[str, Reliability] = field(
        default_factory=lambda: {name: Reliability() for name in CALIBRATED}
    )
    """The extractor's confidences against how often each field was right."""
    articles: dict[str, tuple[GoldScores, GoldScores]] = field(default_factory=dict)
    """The extractor's and the baseline's counts per article: the unit the intervals resample."""
    bootstrap: int = 1000
    """Rounds of the article bootstrap behind the intervals (0: none)."""
    seconds: float = 0.0

    def intervals(self) -> dict[str, tuple[float, float]]:
        """95% intervals of the extractor's headline rates and of its gain over the baseline,
        resampling articles."""
        pairs = list(self.articles.values())
        return article_intervals(
            [ours for ours, _ in pairs], self.bootstrap, baseline=[theirs for _, theirs in pairs]
        )

    def to_dict(self) -> dict[str, Any]:
        """Headline figures at the top level, ``baseline`` and ``by_source`` alike (JSON-ready)."""
        by_source = {
            name: {**ours.to_dict(), "baseline": theirs.to_dict()}
            for name, (ours, theirs) in sorted(
                self.groups.items(), key=lambda kv: _GROUP_ORDER.index(kv[0])
            )
        }
        return {
            **self.extractor.to_dict(),
            "nonfactual_flagged": self.flagged,
            "baseline": self.baseline.to_dict(),
            "by_source": by_source,
            "by_file": {
                name: {**ours.to_dict(), "baseline": theirs.to_dict()}
                for name, (ours, theirs) in self.files.items()
            },
            "confusion": self.confusion,
            "calibration": {name: rel.to_dict() for name, rel in self.calibration.items()},
            "intervals": {
                k: [round(low, 4), round(high, 4)] for k, (low, high) in self.intervals().items()
            },
            "bootstrap": {"rounds": self.bootstrap, "unit": "article", "level": 0.95},
            "split": self.split or "all",
            "context": self.context,
            "path": self.path,
            "seconds": round(self.seconds, 2),
        }


CONTEXTS = ("sentence", "article")


def _published(records: Sequence[GoldRecord]) -> datetime | None:
    day = next((r.published for r in records if r.published), None)
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC) if day else None


def _articles(records: Iterable[GoldRecord]) -> list[ArticleText]:
    return [
        ArticleText(
            r.id, r.text, published=_published([r]), source=r.group, home_country=r.home_country
        )
        for r in records
    ]


@dataclass(frozen=True)
class _Joined:
    """The gold sentences of one article joined into one text, and where each one starts."""

    article: ArticleText
    starts: tuple[int, ...]
    records: tuple[GoldRecord, ...]


def _joined(records: Sequence[GoldRecord]) -> list[_Joined]:
    """One text per article, its sentences in file order, one space apart."""
    by_article: dict[str, list[GoldRecord]] = {}
    for r in records:
        by_article.setdefault(r.article, []).append(r)
    out = []
    for members in by_article.values():
        starts, offset = [], 0
        for r in members:
            starts.append(offset)
            offset += len(r.text) + 1
        text = " ".join(r.text for r in members)
        article = ArticleText(
            members[0].id,
            text,
            published=_published(members),
            source=members[0].group,
            home_country=members[0].home_country,
        )
        out.append(_Joined(article, tuple(starts), tuple(members)))
    return out


def _coded_by_sentence(
    extractor: Extractor, records: Sequence[GoldRecord], context: str
) -> dict[str, list[tuple[CodedEvent, int]]]:
    """Each record's coded events, with the offset to subtract from their spans."""
    if context == "sentence":
        coded = extractor.extract_coded(_articles(records), batch_size=64)
        return {r.id: [(c, 0) for c in events] for r, events in zip(records, coded, strict=True)}
    joined = _joined(records)
    out: dict[str, list[tuple[CodedEvent, int]]] = {r.id: [] for r in records}
    articles = extractor.extract_coded([j.article for j in joined], batch_size=16)
    for j, events in zip(joined, articles, strict=True):
        for c in events:
            at = c.event.trigger.start
            i = max(k for k, start in enumerate(j.starts) if start <= at)
            out[j.records[i].id].append((c, j.starts[i]))
    return out


def evaluate_gold(
    path: Path | Sequence[Path] | None = None,
    *,
    split: str | None = None,
    extractor: Extractor | None = None,
    context: str = "sentence",
    bootstrap: int = 1000,
) -> GoldReport:
    """Score the extractor and the baseline on gold JSONL files (default: every shipped batch);
    ``bootstrap`` rounds of resampling articles give the headline rates' 95% intervals."""
    if context not in CONTEXTS:
        raise ConfigError(f"unknown context {context!r}; expected one of {list(CONTEXTS)}")
    started = time.perf_counter()
    paths = (path,) if isinstance(path, Path) else tuple(path or shipped_gold())
    by_file = [(p.name, r) for p in paths for r in select(read_gold(p), split)]
    records = [r for _, r in by_file]
    extractor = extractor or Extractor()
    coded = _coded_by_sentence(extractor, records, context)
    docs = extractor.nlp.pipe([r.text for r in records], batch_size=64)
    report = GoldReport(
        path=", ".join(str(p) for p in paths), split=split, context=context, bootstrap=bootstrap
    )
    confusion: dict[str, Counter[str]] = defaultdict(Counter)
    for (file, record), doc in zip(by_file, docs, strict=True):
        ours: list[Predicted] = []
        modal: list[Predicted] = []
        for c, offset in coded[record.id]:
            span = c.event.trigger
            found = expand(
                c.actor1_members,
                c.actor2_members,
                c.event.cameo_code,
                span.start - offset,
                span.end - offset,
                _places(c.event.place),
                _confidences(c),
            )
            (ours if c.event.factual else modal).extend(found)
        theirs = [
            p
            for b in baseline_events(extractor, doc)
            for p in expand(b.actor1, b.actor2, b.code, b.start, b.end)
        ]
        result, base = match_sentence(record, ours), match_sentence(record, theirs)
        report.flagged += sum(
            any(n.start < p.end and p.start < n.end for p in modal) for n in record.nonfactual
        )
        add_confusion(confusion, result)
        for name, confidence, correct in calibration_items(ours, result):
            report.calibration[name].add(confidence, correct)
        report.extractor.add(record, ours, result)
        per_article = report.articles.setdefault(record.article, (GoldScores(), GoldScores()))
        per_article[0].add(record, ours, result)
        per_article[1].add(record, theirs, base)
        report.baseline.add(record, theirs, base)
        for name in groups_of(record):
            pair = report.groups.setdefault(name, (GoldScores(), GoldScores()))
            pair[0].add(record, ours, result)
            pair[1].add(record, theirs, base)
        if len(paths) > 1:
            pair = report.files.setdefault(file, (GoldScores(), GoldScores()))
            pair[0].add(record, ours, result)
            pair[1].add(record, theirs, base)
    report.confusion = {gold: dict(row) for gold, row in sorted(confusion.items())}
    report.seconds = time.perf_counter() - started
    return report


_ROWS = (
    ("gold events", "gold", "{:d}"),
    ("predicted (factual)", "predicted", "{:d}"),
    ("event precision", "event_precision", "{:.3f}"),
    ("event recall", "event_recall", "{:.3f}"),
    ("event F1", "event_f1", "{:.3f}"),
    ("root precision", "root_precision", "{:.3f}"),
    ("root recall", "root_recall", "{:.3f}"),
    ("root F1", "root_f1", "{:.3f}"),
    ("full-code F1", "code_f1", "{:.3f}"),
    ("matched pairs", "detected", "{:d}"),
    ("actor1 accuracy", "actor1_accuracy", "{:.3f}"),
    ("  country (3 letters)", "actor1_country_accuracy", "{:.3f}"),
    ("actor2 accuracy", "actor2_accuracy", "{:.3f}"),
    ("  country (3 letters)", "actor2_country_accuracy", "{:.3f}"),
    ("place accuracy", "place_accuracy", "{:.3f}"),
    ("  pairs with a gold place", "place_scored", "{:d}"),
    ("non-factual items", "nonfactual", "{:d}"),
    ("  leaked as fact", "leaked", "{:d}"),
    ("  leak rate", "nonfactual_leak_rate", "{:.3f}"),
)


def _confusion_lines(confusion: dict[str, dict[str, int]]) -> list[str]:
    rows = [r for r in confusion if r not in (MISSING, "nf")]
    rows = sorted(rows) + [r for r in (MISSING, "nf") if r in confusion]
    columns = sorted({c for row in confusion.values() for c in row if c != MISSING})
    columns.append(MISSING)
    lines = [
        "Root confusion (rows: gold root, — = no gold event, nf = gold non-factual item;"
        " columns: predicted factual root, — = missed)",
        "gold" + "".join(f"{c:>4}" for c in columns),
    ]
    for gold in rows:
        row = confusion[gold]
        lines.append(f"{gold:4}" + "".join(f"{(row.get(c, 0) or '.'):>4}" for c in columns))
    return lines


def _group_line(name: str, pair: tuple[GoldScores, GoldScores]) -> str:
    ours, theirs = (s.to_dict() for s in pair)
    keys = ("event_f1", "root_f1", "actor1_accuracy", "actor2_accuracy")
    cells = " ".join(f"{ours[k]:.3f}" for k in keys) + f" {ours['nonfactual_leak_rate']:.2f}"
    base = " ".join(f"{theirs[k]:.3f}" for k in keys) + f" {theirs['nonfactual_leak_rate']:.2f}"
    return f"{name:26}{ours['sentences']:>4} sent. {cells} | {base}"


def format_gold_report(report: GoldReport) -> str:
    """The report as human-readable tables."""
    real = report.groups.get(REAL_NEWS, (GoldScores(), GoldScores()))
    e, b = report.extractor, report.baseline
    lines = [
        f"Event extraction on {report.path} (split: {report.split or 'all'}, "
        f"context: {report.context})",
        f"{e.sentences} sentences, {e.gold} gold events, {e.nonfactual} non-factual items; "
        f"{real[0].sentences} real-news sentences (without petrarch2-dev-constructed)",
        "",
        f"{'':24}{'extractor':>11}{'baseline':>11}{'ext. real':>11}{'base real':>11}",
    ]
    dicts = (e.to_dict(), b.to_dict(), real[0].to_dict(), real[1].to_dict())
    for label, key, fmt in _ROWS:
        lines.append(f"{label:24}" + "".join(f"{fmt.format(d[key]):>11}" for d in dicts))
    lines.append(f"non-factual items the extractor flagged as non-factual events: {report.flagged}")
    spans = report.intervals()
    gains = {k[: -len("_gain")]: v for k, v in spans.items() if k.endswith("_gain")}
    if spans:
        lines.append(
            f"95% intervals ({report.bootstrap} rounds resampling {len(report.articles)} "
            "articles): "
            + ", ".join(
                f"{k} {low:.3f}-{high:.3f}"
                for k, (low, high) in spans.items()
                if not k.endswith("_gain")
            )
        )
    if gains:
        lines.append(
            "  gain over the baseline, same draws: "
            + ", ".join(f"{k} {low:+.3f} to {high:+.3f}" for k, (low, high) in gains.items())
        )
    lines += ["", "By source (extractor | baseline): event F1, root F1, actor1, actor2, leak rate"]
    lines += [_group_line(n, report.groups[n]) for n in _GROUP_ORDER if n in report.groups]
    if report.files:
        lines += ["", "By file (extractor | baseline): event F1, root F1, actor1, actor2, leaks"]
        lines += [_group_line(name, pair) for name, pair in report.files.items()]
    lines += ["", *_confusion_lines(report.confusion), ""]
    lines += format_calibration(report.calibration, CALIBRATED)
    lines.append(f"({report.seconds:.1f} s)")
    return "\n".join(lines)
