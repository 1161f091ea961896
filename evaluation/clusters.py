"""Score event linking end to end: reports → the real extractor → ``LinkStage`` → clusters vs gold.

The set (``tests/data/eval/clusters/``, format in evaluation/README.md) holds reports of a
few real-world events written the way different outlets write, plus look-alike distinct events;
each report's gold lists the real events it reports, with evidence (quotes of the sentences),
trigger words and place names. Reports are extracted and linked in publication order, as the
stream would see them, with a fresh store.

**Which gold event an extracted event is.** Only factual extracted events are scored
(non-factual ones link only among themselves and are counted apart). An extracted event is a
mention of a gold entry of its own report when its type (ACLED event type, else ``CAMEO
<root>``) is one of the gold event's types, its sentence overlaps one of the entry's evidence
quotes, and its trigger or its place agrees with the entry's trigger words or place names;
among several such entries (one sentence can report two events), the one agreeing on both
trigger and place wins, then on the trigger, then on the place. An extracted event that linking
splits into incidents (a report covering several places, ``pipeline/link/incidents.py``) is one
mention per incident, each with its incident's place. Extracted events matching no entry are
*spurious* (listed, and counted where they land in a gold event's cluster); gold
entries no extracted event matches are *missed*. Both measure extraction more than linking.

**Scores.** A linked event is *emitted for* a gold event when one of its mentions matches it.
``events_per_real_event``: linked events emitted for some gold event / gold events found (1.0
is perfect, above is splitting, a wrong merge pulls it below). ``wrong_merges``: linked events
whose mentions match two or more gold events. ``mention_accuracy``: the share of matched
mentions that sit in their gold event's main linked event (the one holding most of its
mentions) when that linked event holds no other gold event's mentions.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from evaluation import CHECKOUT
from pipeline.errors import ConfigError
from pipeline.extract import ArticleText, Extractor
from pipeline.link import LinkConfig, LinkStage
from pipeline.link.keys import type_part
from schemas import Event

REPO = CHECKOUT
DEFAULT_SET = REPO / "tests" / "data" / "eval" / "clusters"


@dataclass(frozen=True)
class GoldEvent:
    """A real-world event of the set."""

    id: str
    title: str
    types: tuple[str, ...]
    """Acceptable type keys: ACLED event types, or ``CAMEO <root>``."""
    date: str
    place: str
    lookalike_of: tuple[str, ...] = ()


@dataclass(frozen=True)
class GoldEntry:
    """One gold event as one report reports it."""

    event: str
    evidence: tuple[str, ...]
    triggers: tuple[str, ...]
    places: tuple[str, ...]


@dataclass(frozen=True)
class Report:
    """One report of the set."""

    id: str
    text: str
    source: str
    published: datetime
    gold: tuple[GoldEntry, ...]
    style: str = ""
    url: str | None = None


def load_set(path: Path | None = None) -> tuple[dict[str, GoldEvent], list[Report]]:
    """The gold events and the reports (in publication order) of a set directory."""
    base = path or DEFAULT_SET
    events_file, reports_file = base / "events.jsonl", base / "reports.jsonl"
    if not events_file.is_file() or not reports_file.is_file():
        raise ConfigError(f"{base}: expected events.jsonl and reports.jsonl (see the README)")
    events: dict[str, GoldEvent] = {}
    for line in events_file.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            events[row["id"]] = GoldEvent(
                row["id"],
                row.get("title", ""),
                tuple(row["types"]),
                row.get("date", ""),
                row.get("place", ""),
                tuple(row.get("lookalike_of", ())),
            )
    reports: list[Report] = []
    for number, line in enumerate(reports_file.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        where = f"{reports_file}:{number}"
        text = (base / row["file"]).read_text(encoding="utf-8")
        gold = []
        for entry in row["gold"]:
            if entry["event"] not in events:
                raise ConfigError(f"{where}: unknown gold event {entry['event']!r}")
            for quote in entry["evidence"]:
                if quote not in text:
                    raise ConfigError(f"{where}: evidence not in the text: {quote!r}")
            gold.append(
                GoldEntry(
                    entry["event"],
                    tuple(entry["evidence"]),
                    tuple(entry.get("triggers", ())),
                    tuple(entry.get("places", ())),
                )
            )
        reports.append(
            Report(
                row["id"],
                text,
                row.get("source", ""),
                datetime.fromisoformat(row["published"].replace("Z", "+00:00")),
                tuple(gold),
                row.get("style", ""),
                row.get("url"),
            )
        )
    reports.sort(key=lambda r: (r.published, r.id))
    return events, reports


def _agrees(a: str, b: str) -> bool:
    a, b = a.casefold(), b.casefold()
    return bool(a) and bool(b) and (a in b or b in a)


def match_gold(event: Event, report: Report, events: dict[str, GoldEvent]) -> GoldEntry | None:
    """The gold entry of ``report`` that ``event`` is a mention of, if any (module docstring)."""
    start, end = event.sentence.start, event.sentence.end
    kind = type_part(event)
    candidates = []
    for entry in report.gold:
        if kind not in events[entry.event].types:
            continue
        spans = [(report.text.find(q), report.text.find(q) + len(q)) for q in entry.evidence]
        if not any(s < end and e > start for s, e in spans):
            continue
        trigger = any(_agrees(event.trigger.text, t) for t in entry.triggers)
        place = event.place is not None and any(_agrees(event.place.name, p) for p in entry.places)
        if trigger or place:
            candidates.append((not (trigger and place), not trigger, entry))
    if not candidates:
        return None
    candidates.sort(key=lambda c: (c[0], c[1]))
    return candidates[0][2]


@dataclass
class ClusterReport:
    """What linking made of the set."""

    path: str
    reports: int = 0
    extracted: int = 0
    non_factual: int = 0
    """Non-factual extracted events (not scored: they link only among themselves)."""
    matched: int = 0
    """Factual extracted events matched to a gold entry: the scored mentions."""
    spurious: int = 0
    """Factual extracted events matching no gold entry."""
    gold_events: int = 0
    gold_events_found: int = 0
    """Gold events with at least one matched mention."""
    gold_entries: int = 0
    missed_entries: int = 0
    """(report, gold event) pairs no extracted event matched."""
    linked_events: int = 0
    """Factual linked events emitted for at least one gold event."""
    wrong_merges: int = 0
    lookalike_merges: int = 0
    """Wrong merges of two events the set marks as look-alikes."""
    split_events: int = 0
    """Gold events whose mentions are in more than one linked event."""
    correct_mentions: int = 0
    spurious_in_gold_events: int = 0
    """Spurious mentions that joined a linked event emitted for a gold event."""
    reports_joined: int = 0
    """Gold events reported by two or more reports whose mentions from different reports share
    a linked event (of ``multi_report_events``)."""
    multi_report_events: int = 0
    split_reports: int = 0
    """Factual extracted events linked as several incidents (one mention each)."""
    seconds_extract: float = 0.0
    seconds_link: float = 0.0
    clusters: list[dict[str, Any]] = field(default_factory=list)
    """Every linked event with a gold mention: its gold events and its mentions (inspection)."""
    wrong: list[dict[str, Any]] = field(default_factory=list)
    splits: list[dict[str, Any]] = field(default_factory=list)
    missed: list[dict[str, Any]] = field(default_factory=list)
    spurious_list: list[dict[str, Any]] = field(default_factory=list)

    @property
    def events_per_real_event(self) -> float:
        """Linked events emitted per gold event found."""
        return self.linked_events / self.gold_events_found if self.gold_events_found else 0.0

    @property
    def mention_accuracy(self) -> float:
        """Matched mentions in their gold event's main linked event, alone."""
        return self.correct_mentions / self.matched if self.matched else 0.0

    def to_dict(self) -> dict[str, Any]:
        """Scores first, then the details."""
        return {
            "path": self.path,
            "events_per_real_event": round(self.events_per_real_event, 4),
            "wrong_merges": self.wrong_merges,
            "mention_accuracy": round(self.mention_accuracy, 4),
            "lookalike_merges": self.lookalike_merges,
            "split_events": self.split_events,
            "reports_joined": self.reports_joined,
            "multi_report_events": self.multi_report_events,
            "split_reports": self.split_reports,
            "reports": self.reports,
            "extracted": self.extracted,
            "non_factual": self.non_factual,
            "matched_mentions": self.matched,
            "correct_mentions": self.correct_mentions,
            "spurious": self.spurious,
            "spurious_in_gold_events": self.spurious_in_gold_events,
            "gold_events": self.gold_events,
            "gold_events_found": self.gold_events_found,
            "gold_entries": self.gold_entries,
            "missed_entries": self.missed_entries,
            "linked_events": self.linked_events,
            "seconds_extract": round(self.seconds_extract, 2),
            "seconds_link": round(self.seconds_link, 4),
            "wrong": self.wrong,
            "splits": self.splits,
            "missed": self.missed,
            "spurious_events": self.spurious_list,
            "clusters": self.clusters,
        }


@dataclass(frozen=True)
class _Linked:
    report: str
    event: Event
    gold: str | None
    linked_id: str


def _describe(item: _Linked) -> str:
    e = item.event
    place = e.place.name if e.place else "-"
    day = e.when.date if e.when else "-"
    return f"{item.report}: {e.trigger.text!r} {type_part(e)} @{place} {day} -> {item.gold or '?'}"


def evaluate_clusters(
    path: Path | None = None,
    *,
    extractor: Extractor | None = None,
    config: LinkConfig | None = None,
) -> ClusterReport:
    """Extract and link every report of the set; score the linked events against the gold."""
    events, reports = load_set(path)
    extractor = extractor or Extractor()
    stage = LinkStage(config or LinkConfig(), {})
    report = ClusterReport(str(path or DEFAULT_SET), reports=len(reports), gold_events=len(events))
    items: list[_Linked] = []
    matched_entries: set[tuple[str, str]] = set()
    for source in reports:
        started = time.perf_counter()
        extraction = extractor.extract(
            ArticleText(
                f"r:{source.id}",
                source.text,
                published=source.published,
                source=source.source,
                url=source.url,
            )
        )
        report.seconds_extract += time.perf_counter() - started
        for extracted in extraction.events:
            report.extracted += 1
            started = time.perf_counter()
            outcome = stage.process(extracted)
            report.seconds_link += time.perf_counter() - started
            if not extracted.factual:
                report.non_factual += 1
                continue
            report.split_reports += bool(outcome.incidents)
            # a report covering several incidents is one mention of each
            for one in outcome.every():
                event = one.event or extracted
                entry = match_gold(event, source, events)
                item = _Linked(
                    source.id, event, entry.event if entry else None, one.linked.event_id
                )
                items.append(item)
                if entry is None:
                    report.spurious += 1
                    report.spurious_list.append({"mention": _describe(item)})
                else:
                    report.matched += 1
                    matched_entries.add((source.id, entry.event))
        for entry in source.gold:
            report.gold_entries += 1
            if (source.id, entry.event) not in matched_entries:
                report.missed_entries += 1
                report.missed.append({"report": source.id, "event": entry.event})
    _score(report, items, events)
    return report


def _score(report: ClusterReport, items: list[_Linked], events: dict[str, GoldEvent]) -> None:
    by_linked: dict[str, list[_Linked]] = defaultdict(list)
    by_gold: dict[str, list[_Linked]] = defaultdict(list)
    order: dict[str, int] = {}
    for i, item in enumerate(items):
        by_linked[item.linked_id].append(item)
        order.setdefault(item.linked_id, i)
        if item.gold is not None:
            by_gold[item.gold].append(item)
    golds_of = {
        linked: {i.gold for i in members if i.gold is not None}
        for linked, members in by_linked.items()
    }
    report.gold_events_found = len(by_gold)
    report.linked_events = sum(1 for golds in golds_of.values() if golds)
    for linked, golds in golds_of.items():
        if not golds:
            continue
        members = by_linked[linked]
        report.spurious_in_gold_events += sum(1 for i in members if i.gold is None)
        report.clusters.append(
            {
                "linked_event": linked,
                "gold": sorted(golds),
                "mentions": [_describe(i) for i in members],
            }
        )
        if len(golds) > 1:
            report.wrong_merges += 1
            lookalike = any(b in events[a].lookalike_of for a in golds for b in golds if a != b)
            report.lookalike_merges += int(lookalike)
            report.wrong.append(
                {
                    "linked_event": linked,
                    "gold": sorted(golds),
                    "mentions": [_describe(i) for i in members],
                }
            )
    for gold, mentions in by_gold.items():
        counts = Counter(i.linked_id for i in mentions)
        main = min(counts, key=lambda linked: (-counts[linked], order[linked]))
        if golds_of[main] == {gold}:
            report.correct_mentions += counts[main]
        if len(counts) > 1:
            report.split_events += 1
            report.splits.append(
                {
                    "gold": gold,
                    "linked_events": len(counts),
                    "mentions": [f"{_describe(i)} [{i.linked_id}]" for i in mentions],
                }
            )
        sources = {i.report for i in mentions}
        if len(sources) > 1:
            report.multi_report_events += 1
            if any(
                len({i.report for i in mentions if i.linked_id == linked}) > 1 for linked in counts
            ):
                report.reports_joined += 1


def format_report(report: ClusterReport) -> str:
    """A few lines for humans, then the wrong merges and splits."""
    lines = [
        f"event linking eval: {report.path}",
        f"  reports {report.reports}, extracted events {report.extracted} "
        f"({report.non_factual} non-factual, not scored)",
        f"  gold events {report.gold_events}, found {report.gold_events_found}; gold entries "
        f"{report.gold_entries}, missed by extraction {report.missed_entries}",
        f"  matched mentions {report.matched}, spurious {report.spurious} "
        f"({report.spurious_in_gold_events} of them in a gold event's linked event)",
        f"  events per real event {report.events_per_real_event:.3f} "
        f"({report.linked_events} linked events for {report.gold_events_found} real events; "
        "target <= 1.1)",
        f"  wrong merges {report.wrong_merges} (look-alikes {report.lookalike_merges}; target 0)",
        f"  mention accuracy {report.mention_accuracy:.3f} "
        f"({report.correct_mentions}/{report.matched}; target >= 0.9)",
        f"  split real events {report.split_events}; real events with several reports "
        f"{report.multi_report_events}, joined across reports {report.reports_joined}; "
        f"extracted events linked as several incidents {report.split_reports}",
        f"  extraction {report.seconds_extract:.2f} s, linking {report.seconds_link * 1000:.1f} ms",
    ]
    for wrong in report.wrong:
        lines.append(f"  wrong merge {wrong['linked_event']}: {', '.join(wrong['gold'])}")
        lines.extend(f"    {m}" for m in wrong["mentions"])
    for split in report.splits:
        lines.append(f"  split {split['gold']} into {split['linked_events']} linked events")
        lines.extend(f"    {m}" for m in split["mentions"])
    return "\n".join(lines)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Options of ``python -m evaluation.clusters`` (``argv`` without the program name)."""
    p = argparse.ArgumentParser(
        prog="python -m evaluation.clusters",
        description="Score event linking (extraction + LinkStage) on a set of reports.",
    )
    p.add_argument("path", nargs="?", type=Path, help=f"the set directory (default: {DEFAULT_SET})")
    p.add_argument("--json", action="store_true", help="end with the report as one JSON line")
    p.add_argument("--max-km", type=float, default=LinkConfig.max_km)
    return p.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Print the report (and its JSON with ``--json``); exit 2 when the set is missing."""
    args = parse_args(argv)
    try:
        report = evaluate_clusters(args.path, config=LinkConfig(max_km=args.max_km))
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(format_report(report))
    if args.json:
        print(json.dumps(report.to_dict()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
