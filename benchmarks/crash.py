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
import contextlib
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
from aiokafka.admin import AIOKafkaAdminClient

from agents.tail import read_from_beginning
from agents.topics import ensure_topics
from benchmarks.dedup import make_corpus
from benchmarks.pipeline import publish
from wirestream.broker import EmbeddedBroker
from wirestream.procs import NLP_READY, sigkill, start_worker, stop_process, wait_for_log, wait_gone
from wirestream_core.connection import client_options
from wirestream_core.settings import Settings

#: Topics whose records say an article came out: its verdict or its dead letter.
OUTPUTS = ("enriched-articles", "duplicates", "dead-letters")
#: Every topic counted, per input article (``events``: per linked event and version).
COUNTED = (*OUTPUTS, "unique-articles", "article-events", "mentions", "events")
#: Seconds without a new output record after which a drill's repeats are counted.
SETTLE_S = 5.0
#: Seconds to wait, once every article has its verdict, for the events and mentions its
#: enriched record implies (after that they count as missing).
LATE_S = 120.0
#: Fields that say when (and by which process) a record was made: a redelivery changes them.
#: ``extracted`` and ``updated`` are the extraction time an event (and its linked version)
#: carries, at any depth (a mention holds its event).
VOLATILE = ("processed", "detected", "failed_at", "worker", "extracted", "updated")


def _strip(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


def comparable(value: bytes | None) -> bytes:
    """A record's value without the fields that only say when it was made."""
    try:
        record = orjson.loads(value or b"null")
    except orjson.JSONDecodeError:
        return value or b""
    return orjson.dumps(_strip(record), option=orjson.OPT_SORT_KEYS)


def identity(topic: str, key: str, value: bytes | None) -> tuple[str, str]:
    """(what a record is about, the input article it belongs to, or "") for a counted topic.

    A record repeats another when both have the same identity: the key for the article topics,
    the extracted event's id on ``article-events`` (keyed by type and country), the linked
    event and article on ``mentions``, the linked event and its version on ``events``."""
    if topic in ("article-events", "mentions", "events"):
        try:
            record = orjson.loads(value or b"null")
        except orjson.JSONDecodeError:
            return key, ""
        if not isinstance(record, dict):
            return key, ""
        if topic == "article-events":
            return str(record.get("event_id")), str(record.get("article_id", ""))
        if topic == "mentions":
            article = str(record.get("article_id", ""))
            return f"{record.get('event_id')}|{article}", article
        return f"{key}@v{record.get('version')}", ""
    return key, key


@dataclass
class Outcomes:
    """Article ids that came out, and when each partition of enriched-articles got a record."""

    first_seen: dict[str, float] = field(default_factory=dict)
    last_record: float = 0.0
    enriched_at: dict[int, list[float]] = field(default_factory=dict)
    #: (topic, identity) -> the comparable value of every record that came out for it.
    values: dict[tuple[str, str], list[bytes]] = field(default_factory=dict)
    #: (topic, identity) -> the input article it belongs to ("" for linked events).
    article_of: dict[tuple[str, str], str] = field(default_factory=dict)
    #: Event ids the enriched records list: what ``article-events`` must carry.
    event_ids: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, topic: str, key: str, value: bytes | None, now: float) -> None:
        """Count one record of a counted topic (short name); the caller holds the lock."""
        ident, article = identity(topic, key, value)
        if topic in OUTPUTS:
            self.first_seen.setdefault(key, now)
        if topic == "enriched-articles":
            with contextlib.suppress(orjson.JSONDecodeError, AttributeError, TypeError):
                self.event_ids.update(orjson.loads(value or b"{}").get("event_ids") or ())
        self.article_of[(topic, ident)] = article
        self.values.setdefault((topic, ident), []).append(comparable(value))

    def repeats(self) -> tuple[int, int]:
        """(records beyond the first for their topic and key, how many of them identical)."""
        with self.lock:
            lists = list(self.values.values())
        extra = sum(len(v) - 1 for v in lists)
        identical = sum(sum(1 for x in v[1:] if x == v[0]) for v in lists)
        return extra, identical

    def by_topic(self) -> dict[str, dict[str, int]]:
        """Per counted topic: records, distinct identities, repeats and identical repeats."""
        with self.lock:
            items = list(self.values.items())
        out = {t: {"records": 0, "distinct": 0, "repeated": 0, "identical": 0} for t in COUNTED}
        for (topic, _), values in items:
            row = out[topic]
            row["records"] += len(values)
            row["distinct"] += 1
            row["repeated"] += len(values) - 1
            row["identical"] += sum(1 for x in values[1:] if x == values[0])
        return out

    def keys_of(self, topic: str) -> set[str]:
        """Identities seen on ``topic``."""
        with self.lock:
            return {ident for t, ident in self.values if t == topic}

    def both_verdicts(self) -> int:
        """Articles both judged unique (or enriched) and noticed as duplicates."""
        unique = self.keys_of("enriched-articles") | self.keys_of("unique-articles")
        return len(unique & self.keys_of("duplicates"))

    def lost_downstream(self) -> dict[str, list[str]]:
        """What the verdicts imply but did not come out: unique articles never enriched,
        events an enriched record lists but ``article-events`` lacks, and articles with an
        extracted event but no mention."""
        with self.lock:
            expected_events = set(self.event_ids)
            event_articles = {
                self.article_of[(t, i)] for t, i in self.values if t == "article-events"
            }
            mentioned = {self.article_of[(t, i)] for t, i in self.values if t == "mentions"}
        return {
            "unique-articles": sorted(
                self.keys_of("unique-articles") - self.keys_of("enriched-articles")
            ),
            "article-events": sorted(expected_events - self.keys_of("article-events")),
            "mentions": sorted(event_articles - mentioned),
        }

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
                        label = f"{topic}.{name}"
                        counts[label] = counts.get(label, 0) + 1
        return counts

    def count(self) -> int:
        with self.lock:
            return len(self.first_seen)

    def per_article(self) -> dict[str, int]:
        """Input articles by how they came out: once, repeated (every repeat an identical
        upsert), or repeated with a difference; each article counted once over all topics
        (its verdicts, enriched record, events and mentions)."""
        with self.lock:
            items = [(self.article_of[k], v) for k, v in self.values.items()]
        worst: dict[str, str] = {}
        rank = {"once": 0, "repeated_identical": 1, "repeated_different": 2}
        for key, values in items:
            if not key:
                continue  # a linked event belongs to no one article
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
    consumer = await read_from_beginning(settings, COUNTED, isolation_level="read_committed")
    prefix = len(settings.topic_prefix)
    try:
        while not stop.is_set():
            for tp, records in (await consumer.getmany(timeout_ms=200)).items():
                now = time.monotonic()
                topic = tp.topic[prefix:]
                with out.lock:
                    out.last_record = now
                    for rec in records:
                        out.add(topic, (rec.key or b"").decode(), rec.value, now)
                    if topic == "enriched-articles" and records:
                        out.enriched_at.setdefault(tp.partition, []).append(now)
    finally:
        await consumer.stop()


async def _fresh_view(settings: Settings) -> Outcomes:
    """What a new read_committed reader sees now, from the beginning until 3 s bring nothing.

    Told beside the drill's own long-lived reader, it says whether records missing from that
    reader's view are missing on the broker or only from a reader that has followed the
    stream since before the kills."""
    fresh = Outcomes()
    consumer = await read_from_beginning(settings, COUNTED, isolation_level="read_committed")
    prefix = len(settings.topic_prefix)
    try:
        while batches := await consumer.getmany(timeout_ms=3000):
            now = time.monotonic()
            for tp, records in batches.items():
                with fresh.lock:
                    for rec in records:
                        fresh.add(tp.topic[prefix:], (rec.key or b"").decode(), rec.value, now)
    finally:
        await consumer.stop()
    return fresh


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


async def _committed(settings: Settings) -> dict[str, int]:
    """The group's committed offsets now, as ``topic partition`` -> offset (short names)."""
    admin = AIOKafkaAdminClient(**client_options(settings))
    await admin.start()
    try:
        offsets = await admin.list_consumer_group_offsets(settings.app_id)
    finally:
        await admin.close()
    prefix = len(settings.topic_prefix)
    return {
        f"{tp.topic[prefix:]} {tp.partition}": meta.offset
        for tp, meta in sorted(offsets.items())
        if tp.topic.startswith(settings.topic_prefix) and meta.offset >= 0
    }


def _log_of(logs: Path, incarnation: int) -> Path:
    """The log of worker 0's ``incarnation``-th life (0: the first)."""
    return logs / f"worker-0-{incarnation}.log"


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
    nlp_wait: float = 300.0,
) -> dict[str, Any]:
    """One drill on a fresh embedded broker; returns the figures of the module docstring.

    ``kill_at`` (outcome counts, ascending) replaces ``kills`` and ``kill_every``; once every
    kill is done, ``stall`` seconds without an outcome end the drill early, counted from the
    moment the restarted worker's spaCy pool is ready (or ``nlp_wait`` after the restart): its
    cold start took 20-40 s on a loaded machine, 115 s at load 14."""
    marks_at = (
        list(kill_at) if kill_at is not None else [kill_every * k for k in range(1, kills + 1)]
    )
    kills = len(marks_at)
    corpus = make_corpus(n, 0.1, 1)
    result: dict[str, Any] = {"articles": n, "workers": workers, "restart": restart, "kills": []}
    result["guarantee"] = (base or Settings()).processing_guarantee
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
            wait_for_log(proc, logs / f"worker-{i}-0.log", NLP_READY, nlp_wait)
        out, stop = Outcomes(), threading.Event()
        collector = threading.Thread(target=lambda: asyncio.run(_collect(settings, out, stop)))
        collector.start()
        stack.callback(collector.join)
        stack.callback(stop.set)
        asyncio.run(publish(settings, corpus, None))
        started = time.monotonic()
        marks: list[float] = []
        ready_at: float | None = None  # when the last restarted worker's spaCy pool was up
        while out.count() < n and time.monotonic() - started < timeout:
            since = marks[-1] if marks else started
            if restart and marks:
                if ready_at is None and NLP_READY in _log_of(logs, len(marks)).read_text(
                    errors="replace"
                ):
                    ready_at = time.monotonic()
                # The stall clock starts once the restarted worker can extract at all.
                since = ready_at or min(time.monotonic(), marks[-1] + nlp_wait)
            with out.lock:
                quiet = time.monotonic() - max(out.last_record, since)
            if len(marks) == kills and quiet > stall:
                break  # every kill done and nothing out for long: report instead of waiting
            if len(marks) < kills and out.count() >= marks_at[len(marks)]:
                at = out.count()
                kids = sigkill(procs[0])
                killed = time.monotonic()
                left = wait_gone(kids, timeout=1.0)
                # On a loaded machine a child's parent watch can be starved past 1 s (round 15,
                # load 13: 2 of 2 still running after 1 s, gone later): a second, longer look.
                later = wait_gone(left, timeout=4.0) if left else []
                # Where the dead worker's committed offsets stand: what its successor reads from.
                committed = asyncio.run(_committed(settings))
                if restart:
                    launch(0, len(marks) + 1)
                marks.append(time.monotonic() if restart else killed)
                ready_at = None
                result["kills"].append(
                    {
                        "at_outcome": at,
                        "children": len(kids),
                        "children_left_after_1s": len(left),
                        "children_left_after_5s": len(later),
                        "committed": committed,
                    }
                )
            time.sleep(0.1)
        result["came_out"] = out.count()
        result["seconds"] = time.monotonic() - started
        if restart and marks:
            # A restarted worker redoes what its dead self had not committed, repeats
            # included, once its NLP processes are up: count them too.
            wait_for_log(procs[0], _log_of(logs, len(marks)), NLP_READY, nlp_wait)
        _wait_idle(out, SETTLE_S, timeout)
        # Linking runs behind extraction: wait (bounded) for what the verdicts imply.
        late_until = time.monotonic() + LATE_S
        while any(out.lost_downstream().values()) and time.monotonic() < late_until:
            time.sleep(1.0)
        _wait_idle(out, SETTLE_S, timeout)
        result["late_downstream"] = {}
        if any(out.lost_downstream().values()):
            # Still not visible: lost, or held back in a transaction left open (a clean stop
            # commits the workers' open transactions). Told apart here.
            behind = out.lost_downstream()
            fresh = asyncio.run(_fresh_view(settings)).lost_downstream()
            result["fresh_reader_missing"] = {t: len(ids) for t, ids in fresh.items()}
            for proc in procs.values():
                stop_process(proc)
            until = time.monotonic() + 60.0
            while any(out.lost_downstream().values()) and time.monotonic() < until:
                time.sleep(1.0)
            still = out.lost_downstream()
            result["late_downstream"] = {
                topic: sorted(set(ids) - set(still[topic])) for topic, ids in behind.items()
            }
        result["repeated"], result["repeated_identical"] = out.repeats()
        result["repeats_differ_in"] = out.differences()
        result["both_verdicts"] = out.both_verdicts()
        result["per_article"] = out.per_article()
        result["by_topic"] = out.by_topic()
        result["lost_downstream"] = out.lost_downstream()
        with out.lock:
            result["missing"] = sorted({a["article_id"] for a in corpus} - set(out.first_seen))
        if result["missing"]:
            result["missing_seen_on"] = asyncio.run(_where(settings, set(result["missing"])))
        for mark, kill in zip(marks, result["kills"], strict=True):
            kill["stood_still_s"] = out.resumed_after(mark)
        if log_dir is not None:
            # Beside the broker data and worker logs it describes (committed offsets at each
            # kill included), for a look at a failed run afterwards.
            (log_dir / "drill-result.json").write_bytes(orjson.dumps(result))
    return result


def random_kill_points(articles: int, kills: int, seed: int, *, last: float = 0.9) -> list[int]:
    """``kills`` distinct outcome counts from 10 % to ``last`` of a run, ascending."""
    rng = random.Random(seed)
    low, high = max(1, articles // 10), max(2, int(articles * last))
    return sorted(rng.sample(range(low, high), min(kills, high - low)))


def format_result(r: dict[str, Any]) -> str:
    """Lines printed by ``wirestream bench crash``."""
    mode = "restarted" if r["restart"] else f"not restarted ({r['workers'] - 1} other worker(s))"
    lines = [
        f"{r['articles']} articles, {r['workers']} worker(s), {r.get('guarantee', '?')}; "
        f"worker 0 SIGKILLed, {mode}"
    ]
    since = "restart" if r["restart"] else "kill"
    for i, k in enumerate(r["kills"], 1):
        still = k.get("stood_still_s")
        lines.append(
            f"kill {i} at {k['at_outcome']} outcomes: {k['children_left_after_1s']} of "
            f"{k['children']} child process(es) still running 1 s later "
            f"({k.get('children_left_after_5s', 0)} 5 s later); every partition moving "
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
    for topic, row in r.get("by_topic", {}).items():
        lines.append(
            f"  {topic}: {row['records']} records, {row['distinct']} distinct, "
            f"{row['repeated']} repeated ({row['identical']} identical)"
        )
    for topic, late in r.get("late_downstream", {}).items():
        if late:
            lines.append(
                f"only visible once the workers stopped, on {topic}: {len(late)}: "
                + " ".join(late[:10])
            )
    for topic, lost in r.get("lost_downstream", {}).items():
        if lost:
            lines.append(f"missing on {topic}: {len(lost)}: " + " ".join(lost[:10]))
    fresh = r.get("fresh_reader_missing")
    if fresh is not None:
        lines.append(
            "a new read_committed reader, before the workers stopped, missed: "
            + ", ".join(f"{t} {n}" for t, n in fresh.items())
        )
    if r["both_verdicts"]:
        lines.append(f"judged unique and also noticed as duplicates: {r['both_verdicts']}")
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
    p.add_argument(
        "--guarantee",
        choices=("at_least_once", "exactly_once"),
        help="the workers' processing guarantee (default: the setting's)",
    )
    p.add_argument(
        "--commit-interval", type=float, help="the workers' commit interval (default: setting)"
    )
    p.add_argument("--timeout", type=float, default=300.0, help="give up after SECONDS")
    p.add_argument("--json", action="store_true", help="end with the figures as one JSON line")
    p.add_argument("--logs", type=Path, help="keep the broker and worker logs in this directory")
    args = p.parse_args(argv)
    kill_at = None
    if args.random_kills is not None:
        kill_at = random_kill_points(args.articles, args.kills, args.random_kills)
    base = Settings()
    if args.guarantee:
        base = base.model_copy(update={"processing_guarantee": args.guarantee})
    if args.commit_interval:
        base = base.model_copy(update={"commit_interval": args.commit_interval})
    result = drill(
        args.articles,
        base=base,
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
    return 0 if holds(result) else 1


def holds(r: dict[str, Any]) -> bool:
    """The drill's target: nothing lost anywhere; under exactly_once nothing repeated either,
    under at_least_once every repeat an identical upsert."""
    lost = r["came_out"] != r["articles"] or any(r.get("lost_downstream", {}).values())
    if lost or r["both_verdicts"]:
        return False
    if r.get("guarantee") == "exactly_once":
        return bool(r["repeated"] == 0)
    return bool(r["per_article"]["repeated_different"] == 0)
