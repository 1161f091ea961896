"""Integration helpers: real worker processes and topic readers against the embedded broker."""

from __future__ import annotations

import asyncio
import contextlib
import time
from pathlib import Path
from typing import Any

import pytest

from agents.tail import read_from_beginning, tail
from wirestream.procs import worker_process
from wirestream_core.settings import Settings

__all__ = [
    "OUTCOMES",
    "assert_every_article_came_out",
    "count_records",
    "enriched_so_far",
    "outcomes",
    "pipeline_report",
    "read_topic",
    "read_topic_sync",
    "wait_enriched",
    "worker_process",
    "write_aborted_then_committed",
]

pytestmark = pytest.mark.integration


async def read_topic(
    settings: Settings,
    name: str,
    *,
    until: int = 0,
    timeout: float = 60.0,
    idle: float = 2.0,
) -> list[tuple[str, Any]]:
    """All records of a topic: waits (up to ``timeout``) for at least ``until`` of them, then
    keeps reading until ``idle`` seconds pass without a new one, so extras are seen too."""
    records: list[tuple[str, Any]] = []

    async def collect() -> None:
        async for key, value in tail(settings, settings.topic(name), start="beginning"):
            records.append((key.decode() if key else "", value))

    task = asyncio.create_task(collect())
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    seen, quiet_since = 0, loop.time()
    try:
        while loop.time() < deadline and not task.done():
            await asyncio.sleep(0.1)
            if len(records) != seen:
                seen, quiet_since = len(records), loop.time()
            elif seen >= until and loop.time() - quiet_since >= idle:
                break
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    if task.done() and not task.cancelled() and task.exception():
        raise task.exception()  # type: ignore[misc]
    return records


def read_topic_sync(settings: Settings, name: str, **kwargs: Any) -> list[tuple[str, Any]]:
    """``read_topic`` for synchronous tests."""
    return asyncio.run(read_topic(settings, name, **kwargs))


#: Worker log lines a failed test shows beside the log's tail: rebalances, stalls, errors.
_NOTABLE = (
    "WARNING",
    "ERROR",
    "Revoking",
    "Joined group",
    "revocation",
    "handed over",
    "dropped and read again",
)


def log_digest(path: Path, lines: int = 60, tail: int = 3000) -> str:
    """The notable lines of a worker log (its last ``lines`` of them), then its raw tail."""
    text = path.read_text(errors="replace")
    notable = [line[:300] for line in text.splitlines() if any(m in line for m in _NOTABLE)]
    return (
        f"--- {path.name}: {len(notable)} notable line(s), the last {lines}\n"
        + "\n".join(notable[-lines:])
        + f"\n--- {path.name}: last {tail} characters\n{text[-tail:]}"
    )


def pipeline_report(settings: Settings, *logs: Path) -> str:
    """What a test shows when an article went missing: the keys on each stage's topics in
    order, every duplicate notice (its original and method), and the workers' logs."""
    lines = []
    for name in ("dedup-sequence", "unique-articles", "duplicates", "enriched-articles"):
        records = read_topic_sync(settings, name, timeout=10, idle=1)
        if name == "duplicates":
            notes = [(k, v.get("duplicate_of"), v.get("method")) for k, v in records]
            lines.append(f"{name} (key, duplicate_of, method): {notes}")
        else:
            lines.append(f"{name}: {[k for k, _ in records]}")
    return "\n".join([*lines, *(log_digest(p) for p in logs)])


# --- worker crash and scale-out drills (test_crash_recovery.py, test_scale_out.py) ---

#: Outcomes read by key: every raw article must reach one of the first two, and every unique
#: article the third.
OUTCOMES = ("unique-articles", "duplicates", "enriched-articles")


async def count_records(settings: Settings, *names: str) -> int:
    """Committed records on the named topics now, counted by reading them: under exactly_once
    every transaction leaves a commit marker that takes an offset, so end offsets overcount."""
    consumer = await read_from_beginning(settings, names, isolation_level="read_committed")
    try:
        tps = list(consumer.assignment())
        ends = await consumer.end_offsets(tps) if tps else {}  # last stable offsets
        n = 0
        while [tp for tp, end in ends.items() if await consumer.position(tp) < end]:
            for batch in (await consumer.getmany(timeout_ms=200)).values():
                n += len(batch)
        return n
    finally:
        await consumer.stop()


def enriched_so_far(settings: Settings) -> int:
    """Records on enriched-articles now."""
    return asyncio.run(count_records(settings, "enriched-articles"))


def wait_enriched(settings: Settings, at_least: int, timeout: float, *logs: Path) -> int:
    """Block until ``at_least`` articles are enriched; on timeout, fail with the workers' logs."""
    deadline = time.monotonic() + timeout
    while (n := enriched_so_far(settings)) < at_least:
        if time.monotonic() > deadline:
            tails = "\n".join(f"--- {p.name}\n{p.read_text()[-4000:]}" for p in logs)
            pytest.fail(f"only {n} enriched article(s) after {timeout}s\n{tails}")
        time.sleep(0.1)
    return n


async def outcomes(settings: Settings, ids: set[str], timeout: float) -> dict[str, set[str]]:
    """Keys per outcome topic, read until every article is accounted for (or ``timeout``)."""
    consumer = await read_from_beginning(settings, OUTCOMES)
    keys: dict[str, set[str]] = {name: set() for name in OUTCOMES}
    try:
        prefix = len(settings.topic_prefix)
        deadline = asyncio.get_running_loop().time() + timeout
        while asyncio.get_running_loop().time() < deadline:
            for tp, records in (await consumer.getmany(timeout_ms=200)).items():
                keys[tp.topic[prefix:]].update(r.key.decode() for r in records if r.key)
            unique = keys["unique-articles"]
            if unique | keys["duplicates"] == ids and unique <= keys["enriched-articles"]:
                break
    finally:
        await consumer.stop()
    return keys


def assert_every_article_came_out(keys: dict[str, set[str]], ids: set[str]) -> None:
    unique, duplicates, enriched = (keys[name] for name in OUTCOMES)
    assert unique | duplicates == ids, f"{len(ids - unique - duplicates)} article(s) lost"
    assert not unique & duplicates, "each article has one dedup verdict"
    assert enriched == unique, f"{len(unique - enriched)} unique article(s) never enriched"


async def write_aborted_then_committed(bootstrap: str, topic: str) -> list[bytes]:
    """A crashed worker's open transaction (3 records on partition 0) that its successor (same
    transactional id: same producer id, epoch bumped) aborts, then two committed transactions of
    5 records: offsets 0-2 aborted, 3 the abort marker, 4-8 and 10-14 committed. Returns the
    committed values in order."""
    from aiokafka import AIOKafkaProducer

    tid = f"tx-{topic}"
    crashed = AIOKafkaProducer(bootstrap_servers=bootstrap, transactional_id=tid)
    await crashed.start()
    await crashed.begin_transaction()
    for i in range(3):
        await crashed.send_and_wait(topic, f"aborted-{i}".encode(), partition=0)
    successor = AIOKafkaProducer(bootstrap_servers=bootstrap, transactional_id=tid)
    await successor.start()
    committed: list[bytes] = []
    try:
        for txn in range(2):
            async with successor.transaction():
                for i in range(5):
                    value = f"committed-{txn}-{i}".encode()
                    await successor.send_and_wait(topic, value, partition=0)
                    committed.append(value)
    finally:
        await successor.stop()
        await crashed.stop()
    return committed
