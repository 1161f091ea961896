"""Benchmark helpers run small: the corpus for end-to-end runs and a tiny benchmark."""

from __future__ import annotations

from pathlib import Path

from benchmarks.dedup import bench_dedup, format_bench, make_corpus
from pipeline.dedup.index import NearDupIndex
from schemas import RawArticle
from schemas.decode import decode


def test_corpus_with_half_duplicates(tmp_path: Path) -> None:
    # tmp_path holds no CSV files: the committed sample supplies the texts.
    articles = make_corpus(60, 0.5, seed=2, news_dir=tmp_path)
    assert len(articles) == 60
    assert len({a["article_id"] for a in articles}) == 60
    raws = [decode(RawArticle, a) for a in articles]
    assert [r.published for r in raws] == sorted(r.published for r in raws)
    index = NearDupIndex()
    duplicates = 0
    for raw in raws:
        assert raw.published is not None
        match, entry = index.check(raw.article_id, raw.content, raw.published)
        index.add(entry)
        duplicates += match.verdict == "duplicate"
    assert 27 <= duplicates <= 30  # the 30 copies, lightly edited


def test_corpus_without_duplicates_has_distinct_texts(tmp_path: Path) -> None:
    articles = make_corpus(120, 0.0, seed=2, news_dir=tmp_path)  # more than the sample holds
    assert len({a["content"] for a in articles}) == 120


def test_a_tiny_benchmark(tmp_path: Path) -> None:
    result = bench_dedup((500, 2000), queries=60, news_dir=tmp_path, datasketch_sample=200)
    sizes = [s["size"] for s in result["sizes"]]
    assert sizes == [500, 2000]
    for s in result["sizes"]:
        assert 0 < s["median_ms"] <= s["p99_ms"] and s["rss"] > 0
    assert result["datasketch_lsh"]["bytes_per_entry"] > 0
    assert "median ms" in format_bench(result)
