"""Crash drill: SIGKILL a worker mid-stream on the embedded broker and time the recovery.

One run on its own embedded broker with real ``wirestream worker`` processes: the corpus is
published as a backlog, worker 0 is killed with SIGKILL every ``--kill-every`` outcomes
(``--kills`` times) and started again (unless ``--no-restart``, where the other workers must
take its partitions). Per kill it prints the killed worker's child processes still running
a second later (its spaCy pool), and the seconds from the restart (or, without one, from the
kill) until every partition of ``enriched-articles`` has a new record again: the time the
pipeline stood still. At the end, how many articles came out (enriched, duplicate or dead
letter, counted by key), which did not, and how many records came out more than once for
their key — and whether each repeat was an identical upsert (the same record but for the
time it was made), which is what at-least-once allows after a crash.
"""

from __future__ import annotations

import argparse
import asyncio
import random
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

from agents.tail import read_from_beginning
from agents.topics import ensure_topics
from benchmarks.dedup import make_corpus
from benchmarks.pipeline import publish
from wirestream.broker import EmbeddedBroker
from wirestream.procs import NLP_READY, sigkill, start_worker, stop_process, wait_for_log, wait_gone
from wirestream_core.settings import Settings

OUTPUTS = ("enriched-articles", "duplicates", "dead-letters")
#: Seconds without a new output record after which a drill's repeats are counted.
SETTLE_S = 5.0
#: Fields that say when (and by which process) a record was made: a redelivery changes them.
VOLATILE = ("processed", "detected", "failed_at", "worker")


def comparable(value: bytes | None) -> bytes:
    """A record's value without the fields that only say when it was made."""
    try:
        record = orjson.loads(value or b"null")
    except orjson.JSONDecodeError:
        return value or b""
    if isinstance(record, dict):
        for name in VOLATILE:
            record.pop(name, None)
    return orjson.dumps(record, option=orjson.OPT_SORT_KEYS)


@dataclass
class Outcomes:
    """Article ids that came out, and when each partition of enriched-articles got a record."""

    first_seen: dict[str, float] = field(default_factory=dict)
    last_record: float = 0.0
    enriched_at: dict[int, list[float]] = field(default_factory=dict)
    #: (topic, key) -> the comparable value of every record that came out for it.
    values: dict[tuple[str, str], list[bytes]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def repeats(self) -> tuple[int, int]:
        """(records beyond the first for their topic and key, how many of them identical)."""
        with self.lock:
            lists = list(self.values.values())
        extra = sum(len(v) - 1 for v in lists)
        identical = sum(sum(1 for x in v[1:] if x == v[0]) for v in lists)
        return extra, identical

    def both_verdicts(self) -> int:
        """Articles both enriched (so judged unique) and noticed as duplicates."""
        with self.lock:
            by_topic: dict[str, set[str]] = {}
            for topic, key in self.values:
                by_topic.setdefault(topic.rsplit(".", 1)[-1], set()).add(key)
        return len(by_topic.get("enriched-articles", set()) & by_topic.get("duplicates", set()))

    def differences(self) -> dict[str, int]:
        """``topic.field`` -> how many repeats differ from their key's first record in it."""
        with self.lock:
            items = list(self.values.items())
        counts: dict[str, int] = {}
        for (topic, _), values in items:
            first = orjson.loads(values[0])
            for value in values[1:]:
                other = orjson.loads(value)
                if not (isinstance(first, dict) and isinstance(other, dict)):
                    continue
                for name in sorted(set(first) | set(other)):
                    if first.get(name) != other.get(name):
                        label = f"{topic.rsplit('.', 1)[-1]}.{name}"
                        counts[label] = counts.get(label, 0) + 1
        return counts

    def count(self) -> int:
        with self.lock:
            return len(self.first_seen)

    def per_article(self) -> dict[str, int]:
        """Input articles by how they came out: once, repeated (every repeat an identical
        upsert), or repeated with a difference; each article counted once over all topics."""
        with self.lock:
            items = list(self.values.items())
        worst: dict[str, str] = {}
        rank = {"once": 0, "repeated_identical": 1, "repeated_different": 2}
        for (_, key), values in items:
            kind = "once"
            if len(values) > 1:
                same = all(v == values[0] for v in values[1:])
                kind = "repeated_identical" if same else "repeated_different"
            if rank[kind] >= rank[worst.get(key, "once")]:
                worst[key] = kind
        counts = dict.fromkeys(rank, 0)
        for kind in worst.values():
            counts[kind] += 1
        return counts

    def resumed_after(self, t: float) -> float | None:
        """Seconds after ``t`` until every enriched partition had a record again (or None)."""
        with self.lock:
            firsts = [
                min((x for x in times if x > t), default=None)
                for times in self.enriched_at.values()
            ]
        if not firsts or None in firsts:
            return None
        return max(x for x in firsts if x is not None) - t


async def _collect(settings: Settings, out: Outcomes, stop: threading.Event) -> None:
    # What a subscriber sees: only committed records (the same as uncommitted under
    # at_least_once, which writes no transactions).
    consumer = await read_from_beginning(settings, OUTPUTS, isolation_level="read_committed")
    try:
        enriched = settings.topic("enriched-articles")
        while not stop.is_set():
            for tp, records in (await consumer.getmany(timeout_ms=200)).items():
                now = time.monotonic()
                with out.lock:
                    out.last_record = now
                    for rec in records:
                        key = (rec.key or b"").decode()
                        out.first_seen.setdefault(key, now)
                        out.values.setdefault((tp.topic, key), []).append(comparable(rec.value))
                    if tp.topic == enriched and records:
                        out.enriched_at.setdefault(tp.partition, []).append(now)
    finally:
        await consumer.stop()


async def _where(settings: Settings, ids: set[str]) -> dict[str, list[str]]:
    """For each of ``ids``: the upstream records (topic partition@offset) that carry it."""
    names = ("raw-articles", "dedup-sequence", "unique-articles")
    consumer = await read_from_beginning(settings, names)
    found: dict[str, list[str]] = {i: [] for i in ids}
    try:
        while batches := await consumer.getmany(timeout_ms=1000):
            for tp, records in batches.items():
                for rec in records:
                    key = (rec.key or b"").decode()
                    if key in found:
                        found[key].append(
                            f"{tp.topic.rsplit('.', 1)[-1]} {tp.partition}@{rec.offset}"
                        )
    finally:
        await consumer.stop()
    return found


def _wait_idle(out: Outcomes, idle: float, timeout: float) -> None:
    """Return once no record has come out for ``idle`` seconds (or after ``timeout``)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with out.lock:
            quiet = time.monotonic() - out.last_record
        if quiet >= idle:
            return
        time.sleep(0.2)


def drill(
    n: int,
    *,
    workers: int = 1,
    kills: int = 2,
    kill_every: int = 40,
    restart: bool = True,
    timeout: float = 300.0,
    base: Settings | None = None,
    log_dir: Path | None = None,
    kill_at: Sequence[int] | None = None,
    stall: float = 180.0,
) -> dict[str, Any]:
    """One drill on a fresh embedded broker; returns the figures of the module docstring.

    ``kill_at`` (outcome counts, ascending) replaces ``kills`` and ``kill_every``; once every
    kill is done, ``stall`` seconds without an outcome end the drill early (a restart's cold
    start takes 20-40 s on a loaded machine)."""
    marks_at = (
        list(kill_at) if kill_at is not None else [kill_every * k for k in range(1, kills + 1)]
    )
    kills = len(marks_at)
    corpus = make_corpus(n, 0.1, 1)
    result: dict[str, Any] = {"articles": n, "workers": workers, "restart": restart, "kills": []}
    with tempfile.TemporaryDirectory(prefix="wirestream-crash-") as tmp, ExitStack() as stack:
        logs = log_dir or Path(tmp)
        broker = stack.enter_context(EmbeddedBroker(logs / "broker"))
        tag = uuid.uuid4().hex[:6]
        settings = (base or Settings()).model_copy(
            update={
                "broker": broker.url,
                "app_id": f"crash-{tag}",
                "topic_prefix": f"crash{tag}.",
                "data_dir": logs / "data",
            }
        )
        asyncio.run(ensure_topics(settings))
        procs = {}

        def launch(i: int, incarnation: int) -> None:
            own = settings.model_copy(update={"data_dir": settings.data_dir / f"w{i}"})
            procs[i] = start_worker(own, logs / f"worker-{i}-{incarnation}.log")
            stack.callback(stop_process, procs[i])

        for i in range(workers):
            launch(i, 0)
        for i, proc in procs.items():
            wait_for_log(proc, logs / f"worker-{i}-0.log", NLP_READY, 180)
        out, stop = Outcomes(), threading.Event()
        collector = threading.Thread(target=lambda: asyncio.run(_collect(settings, out, stop)))
        collector.start()
        stack.callback(collector.join)
        stack.callback(stop.set)
        asyncio.run(publish(settings, corpus, None))
        started = time.monotonic()
        marks: list[float] = []
        while out.count() < n and time.monotonic() - started < timeout:
            with out.lock:
                quiet = time.monotonic() - max(out.last_record, marks[-1] if marks else started)
            if len(marks) == kills and quiet > stall:
                break  # every kill done and nothing out for long: report instead of waiting
            if len(marks) < kills and out.count() >= marks_at[len(marks)]:
                at = out.count()
                kids = sigkill(procs[0])
                killed = time.monotonic()
                left = wait_gone(kids, timeout=1.0)
                if restart:
                    launch(0, len(marks) + 1)
                marks.append(time.monotonic() if restart else killed)
                result["kills"].append(
                    {"at_outcome": at, "children": len(kids), "children_left_after_1s": len(left)}
                )
            time.sleep(0.1)
        result["came_out"] = out.count()
        result["seconds"] = time.monotonic() - started
        if restart and marks:
            # A restarted worker redoes what its dead self had not committed, repeats
            # included, once its NLP processes are up: count them too.
            last = logs / f"worker-0-{len(marks)}.log"
            wait_for_log(procs[0], last, NLP_READY, 180)
        _wait_idle(out, SETTLE_S, timeout)
        result["repeated"], result["repeated_identical"] = out.repeats()
        result["repeats_differ_in"] = out.differences()
        result["both_verdicts"] = out.both_verdicts()
        result["per_article"] = out.per_article()
        with out.lock:
            result["missing"] = sorted({a["article_id"] for a in corpus} - set(out.first_seen))
        if result["missing"]:
            result["missing_seen_on"] = asyncio.run(_where(settings, set(result["missing"])))
        for mark, kill in zip(marks, result["kills"], strict=True):
            kill["stood_still_s"] = out.resumed_after(mark)
    return result


def random_kill_points(articles: int, kills: int, seed: int) -> list[int]:
    """``kills`` distinct outcome counts in the middle 80 % of a run, ascending."""
    rng = random.Random(seed)
    low, high = max(1, articles // 10), max(2, articles * 9 // 10)
    return sorted(rng.sample(range(low, high), min(kills, high - low)))


def format_result(r: dict[str, Any]) -> str:
    """Lines printed by ``wirestream bench crash``."""
    mode = "restarted" if r["restart"] else f"not restarted ({r['workers'] - 1} other worker(s))"
    lines = [f"{r['articles']} articles, {r['workers']} worker(s); worker 0 SIGKILLed, {mode}"]
    since = "restart" if r["restart"] else "kill"
    for i, k in enumerate(r["kills"], 1):
        still = k.get("stood_still_s")
        lines.append(
            f"kill {i} at {k['at_outcome']} outcomes: {k['children_left_after_1s']} of "
            f"{k['children']} child process(es) still running 1 s later; every partition moving "
            + (f"{still:.1f} s after the {since}" if still is not None else "NEVER")
        )
    lines.append(f"came out: {r['came_out']} of {r['articles']} in {r['seconds']:.1f} s")
    lines.append(
        f"lost: {r['articles'] - r['came_out']}; repeated records: {r['repeated']}, "
        f"of which identical upserts by key: {r['repeated_identical']}"
    )
    per = r.get("per_article")
    if per:
        lines.append(
            f"per input article: {per['once']} out once, {per['repeated_identical']} repeated "
            f"(identical upserts), {per['repeated_different']} repeated with a difference"
        )
    if r["both_verdicts"]:
        lines.append(f"enriched and also noticed as duplicates: {r['both_verdicts']}")
    if r["repeats_differ_in"]:
        lines.append(f"repeats differ in: {r['repeats_differ_in']}")
    if r["missing"]:
        lines.append("missing: " + " ".join(r["missing"][:20]))
        for article, places in r.get("missing_seen_on", {}).items():
            lines.append(f"  {article} upstream: {', '.join(places) or 'nowhere'}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """``wirestream bench crash [--articles N] [--workers W] [--kills K] [--no-restart]``."""
    p = argparse.ArgumentParser(prog="wirestream bench crash", description=__doc__.split("\n")[0])
    p.add_argument("--articles", type=int, default=300, help="corpus size (default 300)")
    p.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    p.add_argument("--kills", type=int, default=2, help="times worker 0 is killed (default 2)")
    p.add_argument("--kill-every", type=int, default=40, help="outcomes between kills")
    p.add_argument("--no-restart", action="store_true", help="leave the killed worker dead")
    p.add_argument(
        "--random-kills",
        type=int,
        metavar="SEED",
        help="kill at --kills random outcome counts drawn with this seed (not every N)",
    )
    p.add_argument("--timeout", type=float, default=300.0, help="give up after SECONDS")
    p.add_argument("--json", action="store_true", help="end with the figures as one JSON line")
    p.add_argument("--logs", type=Path, help="keep the broker and worker logs in this directory")
    args = p.parse_args(argv)
    kill_at = None
    if args.random_kills is not None:
        kill_at = random_kill_points(args.articles, args.kills, args.random_kills)
    result = drill(
        args.articles,
        workers=args.workers,
        kills=args.kills,
        kill_every=args.kill_every,
        restart=not args.no_restart,
        timeout=args.timeout,
        log_dir=args.logs,
        kill_at=kill_at,
    )
    print(format_result(result))
    if args.json:
        print(orjson.dumps(result).decode())
    return 0 if result["came_out"] == args.articles else 1
