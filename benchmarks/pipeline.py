"""End-to-end benchmark: bare spaCy against the whole pipeline, one and two workers, latency.

All figures come from one run on this machine, so their ratios are what matter:

- **A** bare ``nlp.pipe`` (the extractor's model, same texts, same batch size) in this process;
- **B** the pipeline with one ``wirestream worker`` (one spaCy process): articles/s at steady
  state on a backlog (the corpus is published at once as soon as the worker's spaCy process
  has loaded; rate from the first 10% of outcomes to the last, so warm-up is not counted);
- **C** two worker processes on 8 partitions, same backlog size;
- **latency**: articles published at half of B's rate; per article, the time from its
  ``raw-articles`` record (producer timestamp) to its ``enriched-articles`` record, and to its
  first ``mentions`` record (its first linked event, one stage later);
- **peak RSS** of one worker with its spaCy process (sampled from /proc every 0.2 s);
- **CPU seconds** per role over each run (from /proc: the workers' own processes, their spaCy
  processes, the broker), so a lost ratio can be traced to the process that used the cores;
- optionally (``--duplicates``) B again on a corpus where that fraction are syndicated copies:
  copies stop at dedup, so the run should take about ``1 - fraction`` of the time.

Every run uses its own embedded broker and topic prefix; nothing is shared between runs.
``--variants`` compares sets of settings (e.g. the processing guarantee and commit interval)
back to back: A once, then B and the latency for each, at one offered rate.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import tempfile
import threading
import time
import uuid
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from aiokafka import AIOKafkaProducer

from agents.tail import read_from_beginning
from agents.topics import ensure_topics
from benchmarks.dedup import make_corpus
from pipeline.normalise.text import body_text
from wirestream.broker import EmbeddedBroker
from wirestream.procs import worker_process
from wirestream_core.connection import client_options
from wirestream_core.settings import Settings

OUTPUTS = ("enriched-articles", "duplicates", "dead-letters")


@dataclass
class RunResult:
    """One pipeline run: when each article was published and when its outcome arrived."""

    published: dict[str, float] = field(default_factory=dict)
    done: dict[str, float] = field(default_factory=dict)
    linked: dict[str, float] = field(default_factory=dict)
    """Per article with a linked event, when its first ``mentions`` record arrived."""
    outcomes: dict[str, int] = field(default_factory=dict)
    peak_rss_mb: float = 0.0
    wall_s: float = 0.0
    """From the first article published to the last outcome."""
    cpu_s: dict[str, float] = field(default_factory=dict)
    """CPU seconds used in the run by ``worker`` (the Faust processes), ``spacy``, ``broker``."""

    def throughput(self, skip: float = 0.1) -> float:
        """Articles/s between the first ``skip`` fraction of outcomes and the last one."""
        times = sorted(self.done.values())
        if len(times) < 3:
            return 0.0
        first = times[int(len(times) * skip)]
        n = len(times) - int(len(times) * skip) - 1
        return n / (times[-1] - first) if times[-1] > first else 0.0

    def latencies(self) -> list[float]:
        """Seconds from publish to outcome, per article."""
        return [self.done[k] - self.published[k] for k in self.done if k in self.published]

    def event_latencies(self) -> list[float]:
        """Seconds from publish to the article's first linked event (its first mention)."""
        return [self.linked[k] - self.published[k] for k in self.linked if k in self.published]


class RssSampler:
    """Peak summed RSS of a process and its descendants, sampled in a thread."""

    def __init__(self, pid: int, every: float = 0.2) -> None:
        self.pid, self.every, self.peak = pid, every, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            self.peak = max(self.peak, sum(_rss(p) for p in _tree(self.pid)))


def _tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children", encoding="ascii") as f:
                    todo.extend(int(c) for c in f.read().split())
        except OSError:
            continue
    return pids


_TICKS = os.sysconf("SC_CLK_TCK")


def _cpu(pid: int) -> float:
    """User + system CPU seconds of one process (0 once it is gone)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICKS  # utime, stime


def _cpu_by_role(workers: Sequence[int], broker: int | None) -> dict[str, float]:
    children = [c for w in workers for c in _tree(w) if c != w]
    return {
        "worker": sum(_cpu(w) for w in workers),
        "spacy": sum(_cpu(c) for c in children),
        "broker": _cpu(broker) if broker else 0.0,
    }


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


async def publish(
    settings: Settings, corpus: Sequence[dict[str, Any]], rate: float | None
) -> dict[str, float]:
    """Publish the corpus to raw-articles (as fast as possible, or at ``rate``/s).

    Returns each article's publication time (its record's timestamp).
    """
    producer = AIOKafkaProducer(**client_options(settings), linger_ms=5, acks="all")
    await producer.start()
    published: dict[str, float] = {}
    try:
        loop = asyncio.get_running_loop()
        start = loop.time()
        pending = []
        for i, article in enumerate(corpus):
            if rate:
                await asyncio.sleep(max(0.0, start + i / rate - loop.time()))
            key = article["article_id"]
            published[key] = time.time()
            value = orjson.dumps(article)
            fut = await producer.send(settings.topic("raw-articles"), key=key.encode(), value=value)
            pending.append((key, fut))
        for key, fut in pending:
            meta = await fut
            published[key] = meta.timestamp / 1000.0
    finally:
        await producer.stop()
    return published


async def _collect(
    settings: Settings, n: int, timeout: float
) -> tuple[dict[str, float], dict[str, int], dict[str, float]]:
    """Outcome time (record timestamp) per article id until ``n`` articles are accounted for,
    and the time of each article's first mention (linked event).

    Mentions come one stage after the outcomes, so reading goes on until none has arrived
    for ``_settle(settings)`` seconds after the last outcome.
    """
    consumer = await read_from_beginning(
        settings, (*OUTPUTS, "mentions"), isolation_level="read_committed"
    )
    done: dict[str, float] = {}
    linked: dict[str, float] = {}
    counts = dict.fromkeys(OUTPUTS, 0)
    try:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        prefix = len(settings.topic_prefix)
        quiet_since = loop.time()
        while loop.time() < deadline and (
            len(done) < n or loop.time() - quiet_since < _settle(settings)
        ):
            batches = await consumer.getmany(timeout_ms=500)
            for tp, records in batches.items():
                name = tp.topic[prefix:]
                for rec in records:
                    if name == "mentions":
                        quiet_since = loop.time()
                        article = orjson.loads(rec.value)["article_id"]
                        linked.setdefault(article, rec.timestamp / 1000.0)
                        continue
                    quiet_since = loop.time()
                    if name == "dead-letters":
                        key = rec.key.decode() if rec.key else ""
                    else:
                        key = rec.key.decode()
                    counts[name] += 1
                    done.setdefault(key, rec.timestamp / 1000.0)
    finally:
        await consumer.stop()
    return done, counts, linked


def _settle(settings: Settings) -> float:
    """Seconds without a new record after which no more mentions are expected: under
    exactly_once a stage's records appear at its commit, one interval after the last."""
    return 3.0 + 2 * settings.commit_interval


def run_pipeline(
    corpus: Sequence[dict[str, Any]],
    *,
    workers: int = 1,
    partitions: int = 4,
    processes: int = 1,
    rate: float | None = None,
    timeout: float = 1800.0,
    log_dir: Path,
    base: Settings | None = None,
) -> RunResult:
    """One run on a fresh embedded broker; returns per-article times and the worker peak RSS."""
    tag = uuid.uuid4().hex[:6]
    with ExitStack() as stack:
        broker = stack.enter_context(EmbeddedBroker(log_dir / f"broker-{tag}"))
        settings = (base or Settings()).model_copy(
            update={
                "broker": broker.url,
                "app_id": f"bench-{tag}",
                "topic_prefix": f"bench{tag}.",
                "partitions": partitions,
                "extract_processes": processes,
                "data_dir": log_dir / f"data-{tag}",
            }
        )
        asyncio.run(ensure_topics(settings))
        # Workers first, until their spaCy processes are loaded: start-up is not measured.
        procs = [
            stack.enter_context(
                worker_process(
                    settings.model_copy(update={"data_dir": settings.data_dir / f"w{i}"}),
                    log_dir / f"worker-{tag}-{i}.log",
                    wait_nlp=True,
                    ready_timeout=180,
                )
            )
            for i in range(workers)
        ]
        sampler = stack.enter_context(RssSampler(procs[0].pid))
        pids = [p.pid for p in procs]
        cpu_before = _cpu_by_role(pids, broker.pid)
        result: dict[str, Any] = {}

        def produce() -> None:
            result["published"] = asyncio.run(publish(settings, corpus, rate))

        thread = threading.Thread(target=produce)
        thread.start()
        done, counts, linked = asyncio.run(_collect(settings, len(corpus), timeout))
        thread.join()
        published = result["published"]
        wall = max(done.values(), default=0.0) - min(published.values(), default=0.0)
        peak = sampler.peak
        cpu_after = _cpu_by_role(pids, broker.pid)
    cpu = {role: round(cpu_after[role] - cpu_before[role], 1) for role in cpu_after}
    return RunResult(published, done, linked, counts, peak / 2**20, wall, cpu)


def bare_spacy(texts: Sequence[str], model: str, batch_size: int) -> float:
    """Articles/s of bare ``nlp.pipe`` with the extractor's model, best of two rounds."""
    from pipeline.extract import load_nlp

    nlp = load_nlp(model)
    list(nlp.pipe(texts[:4], batch_size=batch_size))  # warm up
    best = float("inf")
    for _ in range(2):
        started = time.perf_counter()
        for _doc in nlp.pipe(texts, batch_size=batch_size):
            pass
        best = min(best, time.perf_counter() - started)
    return len(texts) / best


def _pct(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def benchmark(
    n: int,
    *,
    duplicates: float | None = None,
    two_workers: bool = True,
    latency: bool = True,
    seed: int = 1,
    overrides: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Every measurement of the module docstring; returns the figures as a dict.

    ``overrides`` replace settings of the environment's (e.g. ``processing_guarantee``).
    """
    settings = Settings().model_copy(update=overrides or {})
    corpus = make_corpus(n, 0.0, seed)
    out = _describe(corpus, settings)
    out["spacy_articles_per_s"] = bare_spacy(
        _texts(corpus, settings), settings.spacy_model, settings.extract_batch_size
    )
    with tempfile.TemporaryDirectory(prefix="wirestream-bench-") as tmp:
        logs = Path(tmp)
        out.update(_one_worker(corpus, settings, logs, latency=latency))
        one_wall = out.pop("_wall_s")
        out["ratio_pipeline_vs_spacy"] = (
            out["pipeline_articles_per_s"] / out["spacy_articles_per_s"]
        )
        if two_workers:
            two = run_pipeline(corpus, workers=2, partitions=8, log_dir=logs, base=settings)
            out["two_workers_articles_per_s"] = two.throughput()
            out["ratio_two_workers"] = (
                out["two_workers_articles_per_s"] / out["pipeline_articles_per_s"]
            )
            out["two_workers_cpu_s"] = two.cpu_s
            out["peak_rss_mb"] = round(max(out["peak_rss_mb"], two.peak_rss_mb), 1)
        if duplicates:
            dup_corpus = make_corpus(n, duplicates, seed)
            dup = run_pipeline(dup_corpus, log_dir=logs, base=settings)
            out["duplicates_fraction"] = duplicates
            out["duplicates_outcomes"] = dup.outcomes
            out["duplicates_wall_s"] = dup.wall_s
            out["unique_wall_s"] = one_wall
            out["ratio_duplicates_speedup"] = one_wall / dup.wall_s if dup.wall_s else 0.0
    return out


def _texts(corpus: Sequence[dict[str, Any]], settings: Settings) -> list[str]:
    return [
        body_text(a.get("title", ""), a.get("summary", ""), a.get("content", ""))[
            : settings.max_text_chars
        ]
        for a in corpus
    ]


def _describe(corpus: Sequence[dict[str, Any]], settings: Settings) -> dict[str, Any]:
    return {
        "articles": len(corpus),
        "words": sum(len(t.split()) for t in _texts(corpus, settings)),
        "machine": f"{os.cpu_count()} cores, {platform.machine()}, "
        f"Python {platform.python_version()}",
        "model": settings.spacy_model,
        "batch_size": settings.extract_batch_size,
        "processing_guarantee": settings.processing_guarantee,
        "commit_interval_s": settings.commit_interval,
    }


def _one_worker(
    corpus: Sequence[dict[str, Any]],
    settings: Settings,
    logs: Path,
    *,
    latency: bool,
    rate: float | None = None,
) -> dict[str, Any]:
    """B on a backlog, then (with ``latency``) the run at ``rate`` (default half of this B);
    figures keyed as in the result dict (``_wall_s``: B's wall time, for the duplicates
    comparison)."""
    one = run_pipeline(corpus, log_dir=logs, base=settings)
    b = one.throughput()
    out: dict[str, Any] = {
        "pipeline_articles_per_s": b,
        "pipeline_outcomes": one.outcomes,
        "peak_rss_mb": round(one.peak_rss_mb, 1),
        "pipeline_cpu_s": one.cpu_s,
        "_wall_s": one.wall_s,
    }
    if latency:
        offered = rate or b / 2
        half = run_pipeline(corpus, rate=offered, log_dir=logs, base=settings)
        lat, ev = half.latencies(), half.event_latencies()
        out["latency_rate_per_s"] = offered
        out["latency_p50_s"] = _pct(lat, 0.50)
        out["latency_p99_s"] = _pct(lat, 0.99)
        out["event_latency_articles"] = len(ev)
        out["event_latency_p50_s"] = _pct(ev, 0.50)
        out["event_latency_p99_s"] = _pct(ev, 0.99)
        out["peak_rss_mb"] = round(max(out["peak_rss_mb"], half.peak_rss_mb), 1)
    return out


def compare(n: int, variants: Sequence[dict[str, Any]], *, seed: int = 1) -> dict[str, Any]:
    """A once, then B and the latency for each variant of the settings, back to back (same
    corpus, same machine load as far as one run can tell). Every variant's latency is taken
    at the same offered rate, half of the first variant's B, so a slower variant is not
    measured at a lighter load."""
    base = Settings()
    corpus = make_corpus(n, 0.0, seed)
    out = _describe(corpus, base)
    a = bare_spacy(_texts(corpus, base), base.spacy_model, base.extract_batch_size)
    out["spacy_articles_per_s"] = a
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="wirestream-bench-") as tmp:
        for variant in variants:
            settings = base.model_copy(update=variant)
            rate = rows[0]["pipeline_articles_per_s"] / 2 if rows else None
            row = _one_worker(corpus, settings, Path(tmp), latency=True, rate=rate)
            row.pop("_wall_s")
            row["variant"] = variant
            row["ratio_pipeline_vs_spacy"] = row["pipeline_articles_per_s"] / a
            rows.append(row)
    out["variants"] = rows
    return out


def parse_variant(text: str) -> dict[str, Any]:
    """``name=value,name=value`` (Settings field names) as a validated override dict."""
    pairs = dict(item.split("=", 1) for item in text.split(",") if item)
    unknown = set(pairs) - set(Settings.model_fields)
    if unknown:
        raise ValueError(f"unknown setting(s) {sorted(unknown)} in variant {text!r}")
    # Validated by pydantic as the environment would be.
    checked = Settings.model_validate({**Settings().model_dump(), **pairs})
    return {name: getattr(checked, name) for name in pairs}


def format_compare(r: dict[str, Any]) -> str:
    """The table printed by ``wirestream bench pipeline --variants ...``."""
    lines = [
        f"machine {r['machine']}; {r['articles']} articles, {r['words']} words; "
        f"model {r['model']}; A bare nlp.pipe {r['spacy_articles_per_s']:.2f} articles/s",
        "variant | B articles/s | B/A | offered /s | enriched p50 / p99 s | "
        "event p50 / p99 s (articles) | CPU s in B",
    ]
    for row in r["variants"]:
        name = ",".join(f"{k}={v}" for k, v in row["variant"].items()) or "(defaults)"
        cpu = ", ".join(f"{k} {v:.1f}" for k, v in row["pipeline_cpu_s"].items())
        lines.append(
            f"{name} | {row['pipeline_articles_per_s']:.2f} | "
            f"{row['ratio_pipeline_vs_spacy']:.3f} | {row['latency_rate_per_s']:.2f} | "
            f"{row['latency_p50_s']:.2f} / {row['latency_p99_s']:.2f} | "
            f"{row['event_latency_p50_s']:.2f} / {row['event_latency_p99_s']:.2f} "
            f"({row['event_latency_articles']}) | {cpu}"
        )
    return "\n".join(lines)


def format_result(r: dict[str, Any]) -> str:
    """The table printed by ``wirestream bench pipeline``."""
    a, b = r["spacy_articles_per_s"], r["pipeline_articles_per_s"]
    rows = [
        ("machine", r["machine"]),
        ("corpus", f"{r['articles']} articles, {r['words']} words; model {r['model']}"),
        (
            "guarantee",
            f"{r['processing_guarantee']}, commit interval {r['commit_interval_s']} s",
        ),
        ("A  bare nlp.pipe", f"{a:.2f} articles/s"),
        ("B  pipeline, 1 worker", f"{b:.2f} articles/s   B/A = {r['ratio_pipeline_vs_spacy']:.3f}"),
    ]
    if "ratio_two_workers" in r:
        c = r["two_workers_articles_per_s"]
        rows.append(
            (
                "C  2 workers, 8 partitions",
                f"{c:.2f} articles/s   C/B = {r['ratio_two_workers']:.3f}",
            )
        )
    for label, key in (("CPU s in B", "pipeline_cpu_s"), ("CPU s in C", "two_workers_cpu_s")):
        if key in r:
            rows.append((label, ", ".join(f"{k} {v:.1f}" for k, v in r[key].items())))
    if "latency_p50_s" in r:
        rows.append(
            (
                "latency at B/2",
                f"{r['latency_rate_per_s']:.2f} articles/s offered: "
                f"p50 {r['latency_p50_s']:.2f} s, p99 {r['latency_p99_s']:.2f} s",
            )
        )
        rows.append(
            (
                "  publish -> event",
                f"p50 {r['event_latency_p50_s']:.2f} s, p99 {r['event_latency_p99_s']:.2f} s "
                f"({r['event_latency_articles']} articles with a linked event)",
            )
        )
    rows.append(("worker peak RSS", f"{r['peak_rss_mb']:.0f} MB (worker + its spaCy process)"))
    if "ratio_duplicates_speedup" in r:
        rows.append(
            (
                f"{r['duplicates_fraction']:.0%} duplicates",
                f"{r['duplicates_wall_s']:.1f} s vs {r['unique_wall_s']:.1f} s with none: "
                f"{r['ratio_duplicates_speedup']:.2f}x faster ({r['duplicates_outcomes']})",
            )
        )
    width = max(len(k) for k, _ in rows)
    return "\n".join(f"{k:<{width}}  {v}" for k, v in rows)


def main(argv: Sequence[str] | None = None) -> int:
    """``wirestream bench pipeline [--articles N] [--duplicates F] [--variants ...] [--json]``."""
    p = argparse.ArgumentParser(
        prog="wirestream bench pipeline", description=__doc__.split("\n")[0]
    )
    p.add_argument("--articles", type=int, default=300, help="corpus size (default 300)")
    p.add_argument(
        "--duplicates", type=float, metavar="F", help="also run B with this fraction of copies"
    )
    p.add_argument("--no-two-workers", action="store_true", help="skip C")
    p.add_argument("--no-latency", action="store_true", help="skip the half-load latency run")
    p.add_argument(
        "--guarantee",
        choices=("at_least_once", "exactly_once"),
        help="processing guarantee (default: the setting's)",
    )
    p.add_argument(
        "--commit-interval", type=float, metavar="S", help="commit interval (default: setting)"
    )
    p.add_argument(
        "--variants",
        nargs="+",
        metavar="NAME=VALUE,...",
        help="instead: A once, then B and the half-load latency for each set of settings, back "
        "to back (e.g. processing_guarantee=exactly_once,commit_interval=0.2)",
    )
    p.add_argument("--json", action="store_true", help="end with the figures as one JSON line")
    args = p.parse_args(argv)
    if args.variants:
        result = compare(args.articles, [parse_variant(v) for v in args.variants])
        print(format_compare(result))
    else:
        overrides: dict[str, Any] = {}
        if args.guarantee:
            overrides["processing_guarantee"] = args.guarantee
        if args.commit_interval:
            overrides["commit_interval"] = args.commit_interval
        result = benchmark(
            args.articles,
            duplicates=args.duplicates,
            two_workers=not args.no_two_workers,
            latency=not args.no_latency,
            overrides=overrides,
        )
        print(format_result(result))
    if args.json:
        print(orjson.dumps(result).decode())
    return 0
