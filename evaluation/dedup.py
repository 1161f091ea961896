"""Score the near-duplicate index on a near-duplicate set (see ``evaluation.neardup_set``).

Articles are streamed through ``NearDupIndex`` in publication order (check, then add,
then expire at the article's publication time), as the dedup stage sees them. Gold: in
each ``group`` the first-published article is the original and every later one a copy of
it. ``version`` articles (trimmed or extended versions of a story found in the corpus)
are not scored as copies or as non-copies; a merge across different ``story`` values is a
false merge.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from evaluation.neardup_set import SAMPLE, iter_articles
from pipeline.dedup.config import DedupConfig
from pipeline.dedup.index import Match, NearDupIndex
from pipeline.dedup.minhash import shingles

JACCARD_BUCKETS = (0.0, 0.7, 0.8, 0.9)


@dataclass
class Recall:
    """Recall of one slice of the gold copies."""

    pairs: int = 0
    found: int = 0

    @property
    def recall(self) -> float:
        """Found / pairs (1.0 for an empty slice)."""
        return self.found / self.pairs if self.pairs else 1.0


@dataclass
class DedupReport:
    """Accuracy of duplicate detection and clustering on one set."""

    path: str
    articles: int = 0
    pairs: int = 0
    """Gold (copy, original) pairs: articles that are not the first of their group."""
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    duplicate_of_correct: int = 0
    """True positives whose ``duplicate_of`` is the gold original."""
    false_merges: int = 0
    """Articles marked duplicate of an article of another story."""
    negatives: int = 0
    """Hard negatives: different stories on the topic of an article published just before."""
    negative_merges: int = 0
    """Hard negatives marked duplicate (any target)."""
    light: Recall = field(default_factory=Recall)
    """Copies whose true shingle Jaccard with the original reaches the duplicate threshold."""
    by_edit: dict[str, Recall] = field(default_factory=dict)
    by_jaccard: dict[str, Recall] = field(default_factory=dict)
    by_edit_count: dict[str, Recall] = field(default_factory=dict)
    """Synthetic copies by how many edits they combine (1-2 is a light edit)."""
    methods: Counter[str] = field(default_factory=Counter)
    """How the true positives were found."""
    versions: int = 0
    versions_duplicate: int = 0
    versions_clustered: int = 0
    """Versions given the cluster of their story (or marked its duplicate)."""
    negatives_clustered: int = 0
    """Hard negatives put in the cluster of the article they were paired with."""
    missed: list[dict[str, Any]] = field(default_factory=list)
    """The gold copies not found, with true Jaccard and best estimate (for inspection)."""
    wrong: list[dict[str, Any]] = field(default_factory=list)
    """False positives and false merges."""
    seconds: float = 0.0
    config: dict[str, Any] = field(default_factory=dict)

    @property
    def precision(self) -> float:
        """Of the articles marked duplicate (versions aside), the share that are copies."""
        marked = self.true_positives + self.false_positives
        return self.true_positives / marked if marked else 1.0

    @property
    def recall(self) -> float:
        """Of the gold copies, the share marked duplicate."""
        return self.true_positives / self.pairs if self.pairs else 1.0

    @property
    def duplicate_of_accuracy(self) -> float:
        """Of the true positives, the share pointing at the gold original."""
        tp = self.true_positives
        return self.duplicate_of_correct / tp if tp else 1.0

    def to_dict(self) -> dict[str, Any]:
        """Plain data for ``--json``: the figures first, then the details."""
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "duplicate_of_accuracy": round(self.duplicate_of_accuracy, 4),
            "false_merges": self.false_merges,
            "pairs": self.pairs,
            "articles": self.articles,
            "true_positives": self.true_positives,
            "false_positives": self.false_positives,
            "false_negatives": self.false_negatives,
            "negatives": self.negatives,
            "negative_merges": self.negative_merges,
            "recall_light": round(self.light.recall, 4),
            "light_pairs": self.light.pairs,
            "recall_by_edit": {k: _slice(v) for k, v in sorted(self.by_edit.items())},
            "recall_by_jaccard": {k: _slice(v) for k, v in self.by_jaccard.items()},
            "recall_by_edit_count": {k: _slice(v) for k, v in self.by_edit_count.items()},
            "methods": dict(sorted(self.methods.items())),
            "versions": self.versions,
            "versions_duplicate": self.versions_duplicate,
            "versions_clustered": self.versions_clustered,
            "negatives_clustered": self.negatives_clustered,
            "ms_per_article": round(1000 * self.seconds / self.articles, 3)
            if self.articles
            else 0.0,
            "path": self.path,
            "config": self.config,
            "missed": self.missed,
            "wrong": self.wrong,
        }


def _slice(r: Recall) -> dict[str, Any]:
    return {"pairs": r.pairs, "recall": round(r.recall, 4)}


def _bucket(j: float) -> str:
    lows = [b for b in JACCARD_BUCKETS if j >= b]
    low = lows[-1]
    later = [b for b in JACCARD_BUCKETS if b > low]
    return f"{low:.1f}-{later[0]:.1f}" if later else f">={low:.1f}"


def _published(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _config_dict(config: DedupConfig) -> dict[str, Any]:
    data = asdict(config)
    data["window"] = config.window.total_seconds()
    data["lsh"] = list(config.lsh)
    data.pop("_params", None)
    data.pop("_sketch", None)
    return data


def evaluate_dedup(path: Path | None = None, config: DedupConfig | None = None) -> DedupReport:
    """Stream the set at ``path`` (default: the committed sample) through a fresh index."""
    path = path or SAMPLE
    config = config or DedupConfig()
    records = list(iter_articles(path))
    report = DedupReport(path=str(path), config=_config_dict(config))
    first: dict[str, str] = {}
    story_of = {r["article_id"]: r["story"] for r in records}
    text_of = {r["article_id"]: r["text"] for r in records}
    answers: dict[str, Match] = {}
    index = NearDupIndex(config)
    start = time.perf_counter()
    for r in records:
        published = _published(r["published"])
        index.expire(published)
        match, entry = index.check(r["article_id"], r["text"], published)
        index.add(entry)
        answers[r["article_id"]] = match
    report.seconds = time.perf_counter() - start
    report.articles = len(records)
    for r in records:
        first.setdefault(r["group"], r["article_id"])
    edits_total: defaultdict[str, Recall] = defaultdict(Recall)
    buckets: dict[str, Recall] = {}
    counts: dict[str, Recall] = {}
    for r in records:
        aid, kind, match = r["article_id"], r["kind"], answers[r["article_id"]]
        marked = match.verdict == "duplicate"
        other_story = marked and story_of.get(match.duplicate_of or "") != r["story"]
        if other_story:
            report.false_merges += 1
        if kind == "version":
            report.versions += 1
            report.versions_duplicate += marked
            root = answers.get(r["story"])
            report.versions_clustered += bool(root and root.cluster_id == match.cluster_id)
            if other_story:
                report.wrong.append(_case(r, match, None))
            continue
        if kind == "negative":
            report.negatives += 1
            report.negative_merges += marked
            partner = answers.get(r.get("negative_of") or "")
            report.negatives_clustered += bool(partner and partner.cluster_id == match.cluster_id)
        gold_first = first[r["group"]]
        if gold_first == aid:
            if marked:
                report.false_positives += 1
                report.wrong.append(_case(r, match, None))
            elif other_story:
                report.wrong.append(_case(r, match, None))
            continue
        report.pairs += 1
        a = shingles(r["text"], config.shingle_size, max_words=config.max_words)
        b = shingles(text_of[gold_first], config.shingle_size, max_words=config.max_words)
        jaccard = len(a & b) / len(a | b) if a | b else 1.0
        slices = [edits_total[e] for e in r["edits"]]
        slices.append(buckets.setdefault(_bucket(jaccard), Recall()))
        if r["edits"] and r["edits"] != ["natural"]:
            count = str(min(len(r["edits"]), 5)) + ("+" if len(r["edits"]) >= 5 else "")
            slices.append(counts.setdefault(count, Recall()))
        if jaccard >= config.threshold:
            slices.append(report.light)
        for s in slices:
            s.pairs += 1
            s.found += marked
        if marked:
            report.true_positives += 1
            report.methods[match.method or "?"] += 1
            report.duplicate_of_correct += match.duplicate_of == gold_first
            if other_story:
                report.wrong.append(_case(r, match, jaccard))
        else:
            report.false_negatives += 1
            report.missed.append(_case(r, match, jaccard))
    report.by_edit = dict(edits_total)
    report.by_jaccard = {k: buckets[k] for k in sorted(buckets)}
    report.by_edit_count = {k: counts[k] for k in sorted(counts)}
    return report


def _case(r: dict[str, Any], match: Match, jaccard: float | None) -> dict[str, Any]:
    return {
        "article_id": r["article_id"],
        "kind": r["kind"],
        "group": r["group"],
        "edits": r["edits"],
        "verdict": match.verdict,
        "method": match.method,
        "duplicate_of": match.duplicate_of,
        "matched": match.matched,
        "similarity": round(match.similarity, 3),
        "true_jaccard": None if jaccard is None else round(jaccard, 3),
    }


def format_report(report: DedupReport) -> str:
    """A few lines for humans."""
    d = report.to_dict()
    cfg = report.config
    lines = [
        f"near-duplicate eval: {report.path}",
        f"  config: threshold={cfg.get('threshold')} cluster={cfg.get('cluster_threshold')} "
        f"num_perm={cfg.get('num_perm')} shingle={cfg.get('shingle_size')} lsh={cfg.get('lsh')}",
        f"  articles {report.articles}, gold copy pairs {report.pairs}, "
        f"hard negatives {report.negatives}, versions {report.versions}",
        f"  precision {d['precision']:.4f}  recall {d['recall']:.4f}  "
        f"duplicate_of accuracy {d['duplicate_of_accuracy']:.4f}",
        f"  false merges {report.false_merges} (hard negatives merged: {report.negative_merges})",
        f"  recall on copies with true Jaccard >= threshold: {d['recall_light']:.4f} "
        f"({report.light.pairs} pairs)",
        "  recall by edit: "
        + ", ".join(
            f"{k} {v['recall']:.3f} ({v['pairs']})" for k, v in d["recall_by_edit"].items()
        ),
        "  recall by number of edits: "
        + ", ".join(
            f"{k} {v['recall']:.3f} ({v['pairs']})" for k, v in d["recall_by_edit_count"].items()
        ),
        "  recall by true Jaccard: "
        + ", ".join(
            f"{k} {v['recall']:.3f} ({v['pairs']})" for k, v in d["recall_by_jaccard"].items()
        ),
        f"  found by: {', '.join(f'{k} {v}' for k, v in d['methods'].items())}",
        f"  clusters: versions with their story {report.versions_clustered}/{report.versions}, "
        f"hard negatives with their partner {report.negatives_clustered}/{report.negatives}",
        f"  {d['ms_per_article']:.2f} ms per article (check + add)",
    ]
    return "\n".join(lines)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Options of ``python -m evaluation.dedup`` (``argv`` without the program name)."""
    p = argparse.ArgumentParser(
        prog="python -m evaluation.dedup",
        description="Score near-duplicate detection on a near-duplicate set (JSONL).",
    )
    p.add_argument("path", nargs="?", type=Path, help=f"the set (default: {SAMPLE})")
    p.add_argument("--json", action="store_true", help="end with the report as one JSON line")
    p.add_argument("--threshold", type=float, default=DedupConfig.threshold)
    p.add_argument("--cluster-threshold", type=float, default=DedupConfig.cluster_threshold)
    p.add_argument("--num-perm", type=int, default=DedupConfig.num_perm)
    p.add_argument("--shingle-size", type=int, default=DedupConfig.shingle_size)
    return p.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Print the report (and its JSON with ``--json``)."""
    args = parse_args(argv)
    config = DedupConfig(
        threshold=args.threshold,
        cluster_threshold=args.cluster_threshold,
        num_perm=args.num_perm,
        shingle_size=args.shingle_size,
    )
    report = evaluate_dedup(args.path, config)
    print(format_report(report))
    if args.json:
        print(json.dumps(report.to_dict(), sort_keys=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
