"""Violent events reported as fact in news that is not about conflict (sports), against news that
is (politics): what the relevance gate is for.

Usage: ``wirestream eval offtopic [--limit 300] [--json]``: the first ``--limit`` rows of each
category (``Sports``, ``Politics``) of ``../shared/eval/news/bbc-text.csv`` and
``web-news-with-text.csv`` (text capped at ``--max-chars``), each extracted as an article; the
figure is factual events of a violent ACLED type (``acled_types.yaml``) per article.
``WIRESTREAM_EVENT_MODEL=off`` gives the rules alone. Nothing is trained on these files.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from evaluation import CHECKOUT
from pipeline.extract import ArticleText, Extractor
from pipeline.extract.event_typer import load_acled_types

REPO = CHECKOUT
NEWS = REPO.parent / "shared" / "eval" / "news"
FILES = ("bbc-text.csv", "web-news-with-text.csv")
CATEGORIES = ("Sports", "Politics")


@dataclass
class Tally:
    """Articles of one file and category, and the violent facts found in them."""

    articles: int = 0
    violent: int = 0
    with_violent: int = 0
    examples: list[str] = field(default_factory=list)

    @property
    def per_article(self) -> float:
        """Factual violent events per article."""
        return self.violent / self.articles if self.articles else 0.0


def load(path: Path, category: str, limit: int, max_chars: int) -> list[str]:
    """The first ``limit`` texts of ``category`` in one corpus file."""
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8", newline="") as fh:
        rows = [r["text"][:max_chars] for r in csv.DictReader(fh) if r.get("category") == category]
    return rows[:limit]


def measure(
    extractor: Extractor, news: Path = NEWS, *, limit: int = 300, max_chars: int = 20_000
) -> dict[str, Tally]:
    """``file/category`` → tally."""
    violent = load_acled_types().violent
    published = datetime(2025, 1, 1, tzinfo=UTC)
    out: dict[str, Tally] = {}
    for name in FILES:
        path = news / name
        if not path.is_file():
            continue
        for category in CATEGORIES:
            texts = load(path, category, limit, max_chars)
            tally = out.setdefault(f"{name}/{category}", Tally())
            articles = [
                ArticleText(f"{name}-{i}", t, published=published) for i, t in enumerate(texts)
            ]
            for extraction in extractor.extract_many(articles):
                tally.articles += 1
                found = [e for e in extraction.events if e.factual and e.event_type in violent]
                tally.violent += len(found)
                tally.with_violent += bool(found)
                tally.examples.extend(
                    f"{e.event_type}: {e.trigger.text!r} in {e.sentence.text[:90]!r}"
                    for e in found[: max(0, 5 - len(tally.examples))]
                )
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Print the tallies (or JSON)."""
    parser = argparse.ArgumentParser(prog="wirestream eval offtopic", description=__doc__)
    parser.add_argument("--limit", type=int, default=300, help="Articles per file and category.")
    parser.add_argument("--max-chars", type=int, default=20_000, help="Cap on article length.")
    parser.add_argument("--news", type=Path, default=NEWS, help="Folder of the two CSV files.")
    parser.add_argument("--json", action="store_true", help="Print JSON.")
    args = parser.parse_args(argv)
    if not any((args.news / f).is_file() for f in FILES):
        print(f"no news corpus in {args.news}", file=sys.stderr)
        return 2
    tallies = measure(Extractor(), args.news, limit=args.limit, max_chars=args.max_chars)
    if args.json:
        report: dict[str, Any] = {
            k: {
                "articles": t.articles,
                "violent_facts": t.violent,
                "per_article": round(t.per_article, 3),
                "articles_with_one": t.with_violent,
                "examples": t.examples,
            }
            for k, t in tallies.items()
        }
        print(json.dumps(report, indent=2))
        return 0
    for key, t in tallies.items():
        print(
            f"{key:32} {t.articles:4} articles  {t.violent:4} violent facts  "
            f"{t.per_article:.3f}/article  ({t.with_violent} articles with one)"
        )
        for example in t.examples:
            print(f"    {example}")
    return 0
