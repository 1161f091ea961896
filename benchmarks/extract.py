"""Benchmark of event extraction against bare ``nlp.pipe`` on the same texts, in one run.

Both sides use the extractor's own spaCy pipeline (same model, same components, gazetteer
included) and batch size; rounds alternate bare and full runs and the best time of each counts,
so a busy machine penalises both alike. The figure is the ratio full / bare (overhead of language
detection, trigger coding, actors, places, dates and record building).

Usage: ``python -m benchmarks.extract [--limit 120] [--rounds 2] [--json]``; texts come from
``../shared/eval/news/web-news-with-text.csv`` (capped at ``--max-chars``), else the seed story.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks import CHECKOUT
from pipeline.extract import ArticleText, Extractor

REPO = CHECKOUT
WEB_NEWS = REPO.parent / "shared" / "eval" / "news" / "web-news-with-text.csv"
SEED = REPO / "tests" / "data" / "aleppo-sakhour.txt"


def load_texts(path: Path = WEB_NEWS, *, limit: int = 120, max_chars: int = 20_000) -> list[str]:
    """Article texts of the web-news corpus (original casing), else copies of the seed story."""
    if path.is_file():
        csv.field_size_limit(sys.maxsize)
        with path.open(encoding="utf-8", newline="") as handle:
            texts = [row["text"][:max_chars] for row in csv.DictReader(handle) if row.get("text")]
        return texts[:limit]
    return [SEED.read_text(encoding="utf-8")] * min(limit, 20)


def benchmark_extraction(
    texts: Sequence[str],
    *,
    extractor: Extractor | None = None,
    batch_size: int = 16,
    rounds: int = 2,
) -> dict[str, Any]:
    """Articles/s and words/s of ``extract_many`` and of bare ``nlp.pipe``, and their ratio."""
    extractor = extractor or Extractor()
    published = datetime(2025, 1, 1, tzinfo=UTC)
    articles = [ArticleText(f"b{i}", text, published=published) for i, text in enumerate(texts)]
    extractor.extract_many(articles[:2])  # warm caches (lingua models, vocab) outside the timing
    bare: list[float] = []
    full: list[float] = []
    events = 0
    for _ in range(rounds):
        started = time.perf_counter()
        for _doc in extractor.nlp.pipe(texts, batch_size=batch_size):
            pass
        bare.append(time.perf_counter() - started)
        started = time.perf_counter()
        extractions = extractor.extract_many(articles, batch_size=batch_size)
        full.append(time.perf_counter() - started)
        events = sum(len(x.events) for x in extractions)
    words = sum(len(text.split()) for text in texts)
    best_bare, best_full = min(bare), min(full)
    return {
        "articles": len(texts),
        "words": words,
        "events": events,
        "bare_seconds": round(best_bare, 3),
        "extract_seconds": round(best_full, 3),
        "ratio": round(best_full / best_bare, 3) if best_bare else None,
        "articles_per_second": round(len(texts) / best_full, 2) if best_full else None,
        "words_per_second": round(words / best_full) if best_full else None,
        "bare_articles_per_second": round(len(texts) / best_bare, 2) if best_bare else None,
        "bare_words_per_second": round(words / best_bare) if best_bare else None,
        "model": extractor.version,
        "batch_size": batch_size,
        "rounds": rounds,
    }


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print a line per figure (``--json``: one JSON object)."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.extract", description=__doc__)
    parser.add_argument("--corpus", type=Path, default=WEB_NEWS)
    parser.add_argument("--limit", type=int, default=120)
    parser.add_argument("--max-chars", type=int, default=20_000)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    texts = load_texts(args.corpus, limit=args.limit, max_chars=args.max_chars)
    result = benchmark_extraction(texts, batch_size=args.batch_size, rounds=args.rounds)
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:26} {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
