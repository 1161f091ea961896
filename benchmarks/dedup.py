"""Benchmark of the near-duplicate index: cost per article and memory at 10k, 100k, 1M articles.

The index is filled with synthetic entries derived from real corpus signatures: each takes
a real article's signature and keeps every value with probability p ~ U(0, 0.2), drawing
the rest at random, so it stands for an article sharing up to a fifth of its shingles with
a real one. Buckets then fill like a real index's (a few chance candidates a query) and a
million entries are made in seconds instead of the half hour MinHashing texts would take.
At each size the timed queries are the articles of the near-duplicate set (originals, hard
negatives and syndicated copies, about 60% copies), each ``check`` then ``add``ed in
publication order; they are removed again before the next size. RSS is read from
/proc/self/status after each size.

``make_corpus`` builds the raw articles for the end-to-end 0% / 50% duplicate runs.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import resource
import time
import tracemalloc
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from evaluation.neardup_set import (
    EDITS,
    SAMPLE,
    SHARED_NEWS,
    Source,
    build_neardup_set,
    load_corpus,
    make_copy,
    sources_from_jsonl,
)
from pipeline.dedup.config import DedupConfig
from pipeline.dedup.heap import trim_heap
from pipeline.dedup.index import Entry, NearDupIndex
from pipeline.dedup.minhash import shingles, signature
from pipeline.dedup.salient import Salient, salient_of
from pipeline.dedup.salient import empty as no_salient
from pipeline.ids import article_id, canonical_url, stable_hash

SIZES = (10_000, 100_000, 1_000_000)
NOW = datetime(2025, 3, 10, tzinfo=UTC)
_FILL_CHUNK = 50_000


def corpus_sources(news_dir: Path | None = None) -> list[Source]:
    """The real corpus when it is present, else the originals of the committed sample."""
    news_dir = news_dir or SHARED_NEWS
    if (news_dir / "bbc-text.csv").exists():
        return load_corpus(news_dir)
    return sources_from_jsonl(SAMPLE)


def rss_bytes() -> dict[str, int]:
    """Current and peak resident set size of this process, in bytes."""
    out = {"rss": 0, "peak_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith(("VmRSS:", "VmHWM:")):
                    key = "rss" if line.startswith("VmRSS") else "peak_rss"
                    out[key] = int(line.split()[1]) * 1024
    except OSError:
        pass  # not Linux: ru_maxrss alone
    return out


def synthetic_entries(
    base: np.ndarray[Any, np.dtype[np.uint16]],
    n: int,
    config: DedupConfig,
    *,
    seed: int,
    start: int = 0,
    salient: Sequence[Salient] = (),
    sizes: Sequence[int] = (),
) -> Iterator[Entry]:
    """``n`` entries whose signatures are perturbed copies of the rows of ``base`` (with that
    row's salient words and shingle count, when given: what real entries hold)."""
    rng = np.random.default_rng(seed)
    window = int(config.window.total_seconds() * 0.9)
    for lo in range(0, n, _FILL_CHUNK):
        size = min(_FILL_CHUNK, n - lo)
        rows = rng.integers(0, base.shape[0], size)
        keep = rng.random((size, base.shape[1])) < rng.uniform(0.0, 0.2, (size, 1))
        noise = rng.integers(0, 1 << 16, (size, base.shape[1]), dtype=np.uint16)
        sigs = np.where(keep, base[rows], noise)
        ages = rng.integers(0, window, size)
        for i in range(size):
            aid = f"syn-{start + lo + i:08d}"
            yield Entry(
                article_id=aid,
                fingerprint=stable_hash("bench-fp", aid),
                signature=sigs[i],
                published=NOW - timedelta(seconds=int(ages[i])),
                cluster_id=aid,
                sketch_id=config.sketch_id,
                shingles=sizes[rows[i]] if sizes else 0,
                salient=salient[rows[i]] if salient else no_salient(),
            )


def _query_set(sources: Sequence[Source], seed: int, limit: int) -> list[dict[str, Any]]:
    records = build_neardup_set(sources, seed=seed)[:limit]
    # Replay them inside the window, an hour apart at most, in their own order.
    first = datetime.fromisoformat(records[0]["published"].replace("Z", "+00:00"))
    for r in records:
        when = datetime.fromisoformat(r["published"].replace("Z", "+00:00"))
        r["when"] = NOW + (when - first) / 100
    return records


def _load() -> float:
    """The one-minute load average (0.0 where the system does not say)."""
    try:
        return round(os.getloadavg()[0], 1)
    except OSError:
        return 0.0


def _percentile(values: Sequence[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q))


def bench_dedup(
    sizes: Sequence[int] = SIZES,
    *,
    queries: int = 2500,
    config: DedupConfig | None = None,
    news_dir: Path | None = None,
    seed: int = 7,
    datasketch_sample: int = 50_000,
) -> dict[str, Any]:
    """Cost of check + add per article (median, p99) and RSS at each index size."""
    config = config or DedupConfig()
    sources = corpus_sources(news_dir)
    records = _query_set(sources, seed, queries)
    base = np.stack([signature(s.text, config) for s in sources])
    extras = [salient_of(s.text, config.max_words) for s in sources]
    counts = [
        len(shingles(s.text, config.shingle_size, max_words=config.max_words)) for s in sources
    ]
    index = NearDupIndex(config)
    result: dict[str, Any] = {
        "config": {"num_perm": config.num_perm, "shingle_size": config.shingle_size,
                   "lsh": list(config.lsh), "threshold": config.threshold,
                   "cluster_threshold": config.cluster_threshold},
        "corpus_articles": len(sources),
        "queries": len(records),
        "query_copies": sum(r["kind"] == "copy" for r in records),
        "sizes": [],
    }  # fmt: skip
    filled = 0
    for size in sorted(sizes):
        start = time.perf_counter()
        target = size - len(records)
        index.reserve(max(0, target - filled) + len(records))
        index.add_many(
            synthetic_entries(
                base,
                target - filled,
                config,
                seed=seed + size,
                start=filled,
                salient=extras,
                sizes=counts,
            )
        )
        filled = max(filled, target)
        fill_seconds = time.perf_counter() - start
        trim_heap()  # as ``rebuild`` does: the fill's freed batches are not the index's
        times, cpu, verdicts = [], [], {"new": 0, "duplicate": 0}
        load_before = _load()
        for r in records:
            t0, c0 = time.perf_counter(), time.thread_time()
            match, entry = index.check(r["article_id"], r["text"], r["when"])
            index.add(entry)
            # the thread's CPU time beside the wall time: on a shared machine the wall time is
            # mostly waiting for a core
            cpu.append(time.thread_time() - c0)
            times.append(time.perf_counter() - t0)
            verdicts[match.verdict] += 1
        stats = index.stats()
        result["sizes"].append(
            {
                "size": len(index),
                "median_ms": round(1000 * _percentile(times, 50), 3),
                "p99_ms": round(1000 * _percentile(times, 99), 3),
                "mean_ms": round(1000 * float(np.mean(times)), 3),
                "cpu_median_ms": round(1000 * _percentile(cpu, 50), 3),
                "cpu_mean_ms": round(1000 * float(np.mean(cpu)), 3),
                "load": [load_before, _load()],
                "duplicates_found": verdicts["duplicate"],
                "fill_seconds": round(fill_seconds, 1),
                "index_bytes": stats["memory_bytes"],
                "table_load": round(float(stats["table_load"]), 3),
                **rss_bytes(),
            }
        )
        index.remove(r["article_id"] for r in records)
    if datasketch_sample:
        result["datasketch_lsh"] = measure_datasketch_lsh(base, datasketch_sample, config, seed)
    return result


def measure_datasketch_lsh(
    base: np.ndarray[Any, np.dtype[np.uint16]], n: int, config: DedupConfig, seed: int
) -> dict[str, Any]:
    """Bytes per entry of datasketch's in-memory ``MinHashLSH`` with the same bands (traced)."""
    from datasketch import MinHash, MinHashLSH

    rng = np.random.default_rng(seed)
    perms = MinHash(num_perm=config.num_perm, seed=config.seed).permutations
    lsh = MinHashLSH(num_perm=config.num_perm, params=config.lsh)
    rows = rng.integers(0, base.shape[0], n)
    keep = rng.random((n, base.shape[1])) < 0.1
    sigs = np.where(keep, base[rows], rng.integers(0, 1 << 32, (n, base.shape[1]), dtype=np.uint32))
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    for i in range(n):
        mh = MinHash(hashvalues=sigs[i], permutations=perms, scheme="affine32")
        lsh.insert(f"syn-{i:08d}", mh, check_duplication=False)
    used = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    per_entry = used / n
    return {
        "entries": n,
        "bytes_per_entry": round(per_entry),
        "projected_1m_bytes": round(per_entry * 1_000_000),
        "note": "band keys only; signatures for scoring would come on top",
    }


def format_bench(result: dict[str, Any]) -> str:
    """The benchmark as a small table."""
    mib = 1 << 20
    cfg = result["config"]
    lines = [
        f"dedup benchmark: num_perm={cfg['num_perm']} shingle={cfg['shingle_size']} "
        f"lsh={cfg['lsh']}; {result['queries']} timed articles per size "
        f"({result['query_copies']} copies) from {result['corpus_articles']} corpus articles",
        f"{'index size':>10} {'median ms':>10} {'p99 ms':>8} {'mean ms':>8} {'CPU med':>8} "
        f"{'CPU mean':>8} {'dups':>6} {'index MiB':>10} {'RSS MiB':>8} {'peak MiB':>9} "
        f"{'fill s':>7} {'load':>9}",
    ]
    for s in result["sizes"]:
        lines.append(
            f"{s['size']:>10,} {s['median_ms']:>10.3f} {s['p99_ms']:>8.3f} {s['mean_ms']:>8.3f} "
            f"{s['cpu_median_ms']:>8.3f} {s['cpu_mean_ms']:>8.3f} "
            f"{s['duplicates_found']:>6} {s['index_bytes'] / mib:>10.0f} {s['rss'] / mib:>8.0f} "
            f"{s['peak_rss'] / mib:>9.0f} {s['fill_seconds']:>7.1f} "
            f"{s['load'][0]:>4.1f}-{s['load'][1]:<4.1f}"
        )
    rb = result.get("rebuild")
    if rb:
        lines.append(
            f"restart: {rb['entries']:,} entries of {rb['entry_bytes']} bytes parsed and "
            f"re-indexed in {rb['rebuild_seconds']} s, RSS {rb['rss'] / mib:.0f} MiB "
            f"(serialising took {rb['serialise_seconds']} s)"
        )
    ds = result.get("datasketch_lsh")
    if ds:
        lines.append(
            f"datasketch MinHashLSH (dict storage, same bands): {ds['bytes_per_entry']} bytes an "
            f"entry for the band keys alone (traced over {ds['entries']:,} entries), "
            f"{ds['projected_1m_bytes'] / mib:,.0f} MiB at 1M"
        )
    return "\n".join(lines)


# --- end-to-end corpus ---------------------------------------------------------------------


def _remix(sources: Sequence[Source], rng: random.Random) -> str:
    """A text nobody has published: sentences of three same-category articles, shuffled."""
    first = rng.choice(sources)
    pool = [s for s in sources if s.category == first.category] or list(sources)
    parts = []
    for s in [first, *rng.sample(pool, min(2, len(pool)))]:
        sentences = [x for x in s.text.split(". ") if x]
        k = max(1, len(sentences) // 3)
        at = rng.randrange(max(1, len(sentences) - k + 1))
        parts.extend(sentences[at : at + k])
    rng.shuffle(parts)
    return ". ".join(parts)


def make_corpus(
    n: int, dup_fraction: float, seed: int = 1, *, news_dir: Path | None = None
) -> list[dict[str, Any]]:
    """``n`` raw-article dicts (``RawArticle`` JSON), ``dup_fraction`` of them syndicated copies.

    Originals are corpus texts (then unpublished remixes of them when ``n`` needs more); each
    copy is a lightly edited version of an earlier original (1-2 of the set's edits) under
    its own URL, so only near-duplicate detection can catch it. In publication order.
    """
    rng = random.Random(seed)
    sources = sorted(corpus_sources(news_dir), key=lambda s: s.source_id)
    n_dup = round(n * dup_fraction)
    n_orig = n - n_dup
    originals: list[tuple[str, str, str]] = []  # (title, text, category)
    for i in range(n_orig):
        if i < len(sources):
            src = sources[i]
            originals.append((src.text.split(". ")[0][:80], src.text, src.category))
        else:
            text = _remix(sources, rng)
            originals.append((text.split(". ")[0][:80], text, "remix"))
    when = [NOW + timedelta(seconds=30 * i) for i in range(n_orig)]
    out = []
    for i, (title, text, _) in enumerate(originals):
        out.append(_raw(f"https://wire.example/story/{seed}/{i}", "wire", title, text, when[i]))
    for j in range(n_dup):
        k = rng.randrange(n_orig)
        src = Source(f"e2e-{k}", "e2e", originals[k][2], originals[k][1])
        edits = rng.sample([e for e in EDITS if e not in ("trim_end", "add_paragraph")], 2)
        at = when[k] + timedelta(seconds=rng.randint(60, 3600))
        title, text, _ = make_copy(src, src, edits, rng, at)
        site = f"site{j % 17}"
        out.append(_raw(f"https://{site}.example/news/{seed}/{j}", site, title, text, at))
    out.sort(key=lambda r: (r["published"], r["article_id"]))
    return out


def _raw(url: str, feed: str, title: str, text: str, when: datetime) -> dict[str, Any]:
    stamp = when.isoformat()
    return {
        "article_id": article_id(url),
        "feed_id": feed,
        "source": feed,
        "fetched": stamp,
        "title": title,
        "summary": "",
        "content": text,
        "guid": url,
        "url": url,
        "canonical_url": canonical_url(url),
        "published": stamp,
        "language": "en",
        "feed_url": f"https://{feed}.example/rss",
        "schema_version": 1,
    }


def bench_rebuild(
    n: int = 1_000_000, *, config: DedupConfig | None = None, seed: int = 7
) -> dict[str, Any]:
    """Restart cost: ``n`` entries serialised, parsed back and rebuilt into a fresh index."""
    config = config or DedupConfig()
    sources = corpus_sources()
    base = np.stack([signature(s.text, config) for s in sources[:500]])
    extras = [salient_of(s.text, config.max_words) for s in sources[:500]]
    t0 = time.perf_counter()
    blobs = [e.to_bytes() for e in synthetic_entries(base, n, config, seed=seed, salient=extras)]
    t1 = time.perf_counter()
    index = NearDupIndex(config)
    indexed = index.rebuild((Entry.from_bytes(b) for b in blobs), expected=len(blobs))
    t2 = time.perf_counter()
    return {
        "entries": indexed,
        "entry_bytes": round(sum(map(len, blobs)) / len(blobs)) if blobs else 0,
        "serialise_seconds": round(t1 - t0, 1),
        "rebuild_seconds": round(t2 - t1, 1),
        "index_bytes": index.memory_bytes(),
        **rss_bytes(),
    }


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Options of ``python -m benchmarks.dedup`` (``argv`` without the program name)."""
    p = argparse.ArgumentParser(
        prog="python -m benchmarks.dedup",
        description="Near-duplicate index: cost per article and RSS at several index sizes.",
    )
    p.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    p.add_argument("--queries", type=int, default=2500, help="timed articles per size")
    p.add_argument(
        "--rebuild",
        type=int,
        default=0,
        metavar="N",
        help="also time a restart: N entries to bytes and back into a fresh index",
    )
    p.add_argument("--json", action="store_true", help="end with the result as one JSON line")
    return p.parse_args(argv)  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print the table (and its JSON with ``--json``)."""
    args = parse_args(argv)
    result = bench_dedup(args.sizes, queries=args.queries)
    if args.rebuild:
        gc.collect()
        result["rebuild"] = bench_rebuild(args.rebuild)
    print(format_bench(result))
    if args.json:
        print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
