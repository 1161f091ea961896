"""Different articles merged through a shared page block, with and without the learner.

Every text gets the same block appended (a site's related-headlines list, newsletter and
cookie lines), as scraped pages of one site do. The texts are then deduplicated in arrival
order by the real dedup stage, once as they are and once after the feed's boilerplate
learner has seen each article (one article a poll: the learner's worst case, since the first
articles pass before it has seen the block often enough). Every duplicate found is a wrong
merge: the texts are different articles.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from evaluation import CHECKOUT
from pipeline.dedup.config import DedupConfig
from pipeline.dedup.stage import DedupStage
from pipeline.normalise.boilerplate import FeedBoilerplate
from schemas import RawArticle

REPO = CHECKOUT
BLOCK = REPO / "tests" / "data" / "pages" / "related-headlines.txt"
T0 = datetime(2026, 1, 1, tzinfo=UTC)


def distinct(texts: Sequence[str], count: int) -> list[str]:
    """The first ``count`` texts that dedup finds no copy of among those before them.

    A news corpus holds real re-headlined copies; they are left out so that every merge
    counted afterwards is a wrong one.
    """
    stage = DedupStage(DedupConfig(), {})
    kept: list[str] = []
    for number, text in enumerate(texts):
        if len(kept) == count:
            break
        if stage.process(_article(number, text), number).kind == "unique":
            kept.append(text)
    return kept


def _article(number: int, body: str) -> RawArticle:
    when = T0 + timedelta(minutes=number)
    return RawArticle(
        article_id=f"a{number}",
        feed_id="site",
        source="Site",
        fetched=when,
        published=when,
        content=body,
    )


def merged(texts: Sequence[str], block: str, *, learn: bool) -> int:
    """Articles the dedup stage calls duplicates when each text ends in ``block``."""
    stage = DedupStage(DedupConfig(), {})
    learner = FeedBoilerplate("site")
    duplicates = 0
    for number, text in enumerate(texts):
        body = f"{text}\n\n{block}"
        if learn:
            learner.observe(body)
            body, _ = learner.strip(body)
        duplicates += stage.process(_article(number, body), number).kind == "duplicate"
    return duplicates


def main(argv: Sequence[str] | None = None) -> int:
    """Print wrong merges without and with the learner on the web articles of the corpus."""
    from evaluation.neardup_set import SHARED_NEWS, load_corpus

    parser = argparse.ArgumentParser(prog="python -m evaluation.boilerplate")
    parser.add_argument("--news", type=Path, default=SHARED_NEWS, help="../shared/eval/news")
    parser.add_argument("--articles", type=int, default=120)
    args = parser.parse_args(argv)
    web = [s.text for s in load_corpus(args.news) if s.corpus == "web"]
    texts = distinct(web, args.articles)
    block = BLOCK.read_text(encoding="utf-8").strip()
    before, after = merged(texts, block, learn=False), merged(texts, block, learn=True)
    print(f"{len(texts)} different web articles (no copy among them without the block):")
    print(f"merged without the learner: {before}; with it: {after}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
