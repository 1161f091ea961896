"""Do distinct ACLED events stay distinct? Dedup and linking on ACLED notes, one note an article.

``wirestream eval acled-identity EXPORT.csv ... [--limit N] [--seed S] [--link] [--json]``.
Every ACLED row is one event (one type, location, day and actor pair), so no two notes are
copies and no two notes' events are one linked event. The notes of all files are streamed in
publication order (noon UTC on the day after the event, as ``eval acled`` does) through a fresh
near-duplicate index; with ``--link`` each note is also extracted and its events linked with a
fresh link stage. Reported:

- **merged by dedup**: notes marked a duplicate of another note; those with *the same text* as
  an earlier note (ACLED sometimes repeats a note on two rows) are counted apart, since no text
  test can tell them apart.
- **merged by linking**: notes whose reported event (``acled.reported_event``) sits in a linked
  event together with another note's reported event. A reported event the link stage splits
  into incidents (a note covering several places: "clashes in A and B", which ACLED codes as one
  row per place) is the note's row's incident: the one whose place is the row's ``location``
  (else the incident of the event's resolved place); ``split_notes`` counts them. Merged notes
  of one text that names at most one of their rows' locations (``names_locations``) are ACLED
  coding one text as several rows, which no reader can place apart: the rate is also given
  without them.

ACLED data is for evaluation only: none ships with the project.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from evaluation.acled import (
    AcledRow,
    load_mapping,
    published_of,
    read_export,
    reported_event,
    sample_rows,
)
from pipeline.dedup.config import DedupConfig
from pipeline.dedup.index import NearDupIndex
from pipeline.errors import ConfigError
from pipeline.normalise.text import fingerprint

_EXAMPLES = 30
_EXCERPT = 140


@dataclass
class IdentityReport:
    """How many distinct events dedup and linking merged."""

    files: list[str] = field(default_factory=list)
    notes: int = 0
    dedup_merged: int = 0
    """Notes marked a duplicate of another note (any method)."""
    dedup_merged_same_text: int = 0
    """Of those, notes whose text is the same as the note they were matched with."""
    dedup_methods: dict[str, int] = field(default_factory=dict)
    substitutions: int = 0
    """Notes a near-duplicate candidate of which was rejected by copy verification."""
    linked_notes: int = 0
    """Notes with a reported event (``--link``)."""
    link_merged: int = 0
    """Notes whose reported event shares a linked event with another note's."""
    link_merged_same_text: int = 0
    """Of those, notes sharing a linked event only with notes of the same text."""
    link_merged_one_place_text: int = 0
    """Of those, notes whose one text names at most one of the group's ACLED locations
    (``names_locations``): ACLED coding one text as several rows, which no reader can place
    apart (the rule was fixed before looking at what it counts, round 15)."""
    split_notes: int = 0
    """Notes whose reported event was linked as several incidents."""
    split_matched: int = 0
    """Of those, notes with an incident at the row's location."""
    link_merged_same_sentence: int = 0
    """Of the others, notes whose reported event has the same sentence as every other reported
    event of its linked event: ACLED's rows of one multi-place note ("in Nad Ali, Nahri Saraj
    and Sangin districts"), whose texts differ only in ACLED's remarks ("Fatalities split over
    3 locations (2)")."""
    dedup_examples: list[dict[str, Any]] = field(default_factory=list)
    link_examples: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0
    config: dict[str, Any] = field(default_factory=dict)

    def _ratio(self, n: int, of: int) -> float:
        return round(n / of, 4) if of else 0.0

    def to_dict(self) -> dict[str, Any]:
        """Plain data for ``--json``: the ratios first."""
        data = asdict(self)
        distinct_notes = self.notes - self.dedup_merged_same_text
        return {
            "dedup_merged_rate": self._ratio(self.dedup_merged, self.notes),
            "dedup_merged_rate_distinct_text": self._ratio(
                self.dedup_merged - self.dedup_merged_same_text, distinct_notes
            ),
            "link_merged_rate": self._ratio(self.link_merged, self.linked_notes),
            "link_merged_rate_distinct_text": self._ratio(
                self.link_merged - self.link_merged_same_text, self.linked_notes
            ),
            "link_merged_rate_without_one_place_texts": self._ratio(
                self.link_merged - self.link_merged_one_place_text, self.linked_notes
            ),
            **data,
        }


def _excerpt(text: str) -> str:
    return text if len(text) <= _EXCERPT else text[: _EXCERPT - 1] + "…"


def _rows(paths: Sequence[Path], limit: int | None, seed: int) -> list[tuple[str, AcledRow]]:
    mapping = load_mapping()
    out: list[tuple[str, AcledRow]] = []
    for path in paths:
        rows = [r for r in read_export(path, mapping) if published_of(r) is not None]
        if not rows:
            raise ConfigError(f"{path}: no dated row with a note")
        out.extend((f"{path.stem}:{r.row}", r) for r in sample_rows(rows, limit, seed))
    out.sort(key=lambda item: (published_of(item[1]), item[0]))
    return out


def score_dedup(
    rows: Sequence[tuple[str, AcledRow]], report: IdentityReport, config: DedupConfig
) -> None:
    """Stream the notes through a fresh near-duplicate index; count the merges."""
    index = NearDupIndex(config)
    text_of: dict[str, str] = {}
    methods: Counter[str] = Counter()
    for key, row in rows:
        when = published_of(row)
        assert when is not None
        index.expire(when)
        match, entry = index.check(key, row.notes, when)
        index.add(entry)
        text_of[key] = row.notes
        report.notes += 1
        if match.method == "substitution":
            report.substitutions += 1
        if match.verdict != "duplicate":
            continue
        report.dedup_merged += 1
        methods[match.method or "?"] += 1
        other = text_of.get(match.matched or "", "")
        same = fingerprint(other) == fingerprint(row.notes)
        report.dedup_merged_same_text += same
        if not same and len(report.dedup_examples) < _EXAMPLES:
            report.dedup_examples.append(
                {
                    "note": key,
                    "copy_of": match.matched,
                    "method": match.method,
                    "similarity": match.similarity,
                    "text": _excerpt(row.notes),
                    "other": _excerpt(other),
                }
            )
    report.dedup_methods = dict(sorted(methods.items()))


def _at_location(outcomes: Sequence[Any], location: str) -> Any:
    """The outcome of the incident at ACLED's ``location`` ("Dih Bala", "Dhaka - Paltan"), if
    one incident's place is named so."""
    from pipeline.link.incidents import name_words_key

    # any word in common ("Kuz Narang" / "Narang Wa Badil"), and only one incident so named
    wanted = _location_words(location)
    found = [
        o
        for o in outcomes
        if o.event is not None
        and o.event.place is not None
        and wanted & set(name_words_key(o.event.place.name).split())
    ]
    return found[0] if len(found) == 1 else None


def _location_words(location: str) -> set[str]:
    from pipeline.link.incidents import name_words_key

    return {w for part in re.split(r"[-–(),]", location) for w in name_words_key(part).split()}


def names_locations(text: str, locations: Sequence[str]) -> int:
    """How many of the distinct ACLED ``locations`` the note ``text`` names: a location is named
    when one of its name words ("Dih Bala (Hasakamina)": dih, bl, hskmn) is a word of the text."""
    from pipeline.link.incidents import name_words_key

    words = {name_words_key(t) for t in re.findall(r"\w+", text)} - {""}
    return sum(1 for location in set(locations) if _location_words(location) & words)


def score_link(
    rows: Sequence[tuple[str, AcledRow]], report: IdentityReport, extractor: Any
) -> None:
    """Extract every note, link all its events; count notes whose reported event shares a
    linked event with another note's."""
    from pipeline.extract import ArticleText
    from pipeline.link import LinkConfig, LinkStage

    stage = LinkStage(LinkConfig(), {})
    linked_of: dict[str, str] = {}
    where: dict[str, str] = {}
    basis: dict[str, str] = {}
    sentence_of: dict[str, str] = {}
    articles = [
        ArticleText(key, row.notes, published=published_of(row), source="ACLED note")
        for key, row in rows
    ]
    text_of = {key: row.notes for key, row in rows}
    location_of = {key: row.location for key, row in rows}
    for (key, row), extraction in zip(rows, extractor.extract_many(articles), strict=True):
        reported = reported_event(extraction.events)
        for event in extraction.events:
            outcome = stage.process(event)
            if reported is not None and event.event_id == reported.event_id:
                if outcome.incidents:
                    report.split_notes += 1
                    at = _at_location(outcome.incidents, row.location)
                    report.split_matched += at is not None
                    outcome = at or outcome
                shown = outcome.event or event
                linked_of[key] = outcome.linked.event_id
                sentence_of[key] = shown.sentence.text
                place = shown.place
                where[key] = (
                    f"{place.name} p{place.geo_precision} {place.admin1 or ''}" if place else "-"
                )
                basis[key] = outcome.mention.link_basis if outcome.mention else ""
    report.linked_notes = len(linked_of)
    members: defaultdict[str, list[str]] = defaultdict(list)
    for key, event_id in linked_of.items():
        members[event_id].append(key)
    for keys in members.values():
        if len(keys) < 2:
            continue
        report.link_merged += len(keys)
        texts = {fingerprint(text_of[k]) for k in keys}
        if len(texts) == 1:
            report.link_merged_same_text += len(keys)
            if names_locations(text_of[keys[0]], [location_of[k] for k in keys]) <= 1:
                report.link_merged_one_place_text += len(keys)
            continue
        if len({sentence_of[k] for k in keys}) == 1:
            report.link_merged_same_sentence += len(keys)
        elif len(report.link_examples) < _EXAMPLES:
            report.link_examples.append(
                {
                    "notes": keys[:4],
                    "places": [where[k] for k in keys[:4]],
                    "basis": [basis[k] for k in keys[:4]],
                    "texts": [_excerpt(text_of[k]) for k in keys[:4]],
                }
            )


def evaluate_identity(
    paths: Sequence[Path],
    *,
    limit: int | None = None,
    seed: int = 0,
    link: bool = False,
    config: DedupConfig | None = None,
    extractor: Any = None,
) -> IdentityReport:
    """Score dedup (and linking, with ``link``) on the notes of ``paths``."""
    started = time.monotonic()
    config = config or DedupConfig()
    rows = _rows(paths, limit, seed)
    report = IdentityReport(files=[str(p) for p in paths])
    report.config = {"limit_per_file": limit, "seed": seed, "dedup": str(config)}
    score_dedup(rows, report, config)
    if link:
        if extractor is None:
            from pipeline.extract import Extractor

            extractor = Extractor()
        score_link(rows, report, extractor)
    report.seconds = round(time.monotonic() - started, 1)
    return report


def format_report(report: IdentityReport) -> str:
    """A few lines for humans."""
    d = report.to_dict()
    lines = [
        f"ACLED identity: {report.notes} notes of {len(report.files)} files",
        f"  merged by dedup: {report.dedup_merged}/{report.notes} = {d['dedup_merged_rate']:.4f} "
        f"({report.dedup_merged_same_text} with the same text as the other note; "
        f"distinct texts: {d['dedup_merged_rate_distinct_text']:.4f}); by method "
        f"{report.dedup_methods}; candidates rejected by verification: {report.substitutions}",
    ]
    if report.linked_notes:
        lines.append(
            f"  merged by linking: {report.link_merged}/{report.linked_notes} = "
            f"{d['link_merged_rate']:.4f} ({report.link_merged_same_text} only with notes of the "
            f"same text; distinct texts: {d['link_merged_rate_distinct_text']:.4f}; of these "
            f"{report.link_merged_same_sentence} with the same reported sentence); without "
            f"one text naming one place on several rows ({report.link_merged_one_place_text}): "
            f"{d['link_merged_rate_without_one_place_texts']:.4f}; "
            f"{report.split_notes} notes linked as several incidents ({report.split_matched} "
            "with one at the row's location)"
        )
    lines.append(f"  {report.seconds:.1f} s")
    return "\n".join(lines)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Options of ``wirestream eval acled-identity``."""
    p = argparse.ArgumentParser(
        prog="wirestream eval acled-identity", description=__doc__.split("\n")[0]
    )
    p.add_argument("paths", nargs="+", type=Path, help="ACLED CSV exports (with a notes column)")
    p.add_argument("--limit", type=int, default=None, help="notes sampled per file (default all)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--link", action="store_true", help="also extract and link (slow)")
    p.add_argument("--no-verify", action="store_true", help="dedup without copy verification")
    p.add_argument("--json", action="store_true", help="end with the report as one JSON line")
    return p.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Print the report."""
    args = parse_args(argv)
    try:
        report = evaluate_identity(
            args.paths,
            limit=args.limit,
            seed=args.seed,
            link=args.link,
            config=DedupConfig(verify=not args.no_verify),
        )
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(format_report(report))
    if args.json:
        print(json.dumps(report.to_dict()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
