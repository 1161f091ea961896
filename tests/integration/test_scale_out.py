"""Scale-out: three workers in one group over 8 partitions; one stops mid-stream.

Real ``wirestream worker`` processes on the embedded broker. The worker that holds the
single ``dedup-sequence`` partition is the one stopped, while extraction of the first half
of the articles is still under way; the second half (with syndicated copies of the first
half) is published after the stop. Checked: its partitions move to the two others, no
article is lost, and dedup's verdicts are exactly those of one uninterrupted index run over
the same sequence, so the copies of articles the stopped worker indexed are still caught
(its table moved through the changelog). SIGTERM runs by default; SIGKILL is a fault drill
(``pytest -m faults``).
"""

from __future__ import annotations

import asyncio
import re
import time
from contextlib import ExitStack
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.coordinator.protocol import ConsumerProtocolMemberAssignment

from agents.tail import end_offsets, read_from_beginning
from agents.topics import ensure_topics
from benchmarks.dedup import make_corpus
from benchmarks.pipeline import publish
from pipeline.dedup.config import DedupConfig
from pipeline.dedup.stage import DedupStage
from schemas import RawArticle
from schemas.decode import decode
from tests.integration.helpers import (
    assert_every_article_came_out,
    count_records,
    enriched_so_far,
    outcomes,
)
from wirestream.procs import NLP_READY, sigkill, start_worker, stop_process, wait_for_log
from wirestream_core.settings import Settings

pytestmark = pytest.mark.integration

WORKERS = 3
PARTITIONS = 8
#: 30 originals and 10 syndicated copies; the first 20 originals go before the stop.
ARTICLES, COPIES, BEFORE = 40, 0.25, 20
REBUILT = re.compile(r"dedup index rebuilt from its table: (\d+) entries")


def count(settings: Settings, *names: str) -> int:
    """Records on the named topics now."""
    return asyncio.run(count_records(settings, *names))


def wait_until(what: str, check: Any, timeout: float, logs: list[Path]) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            tails = "\n".join(f"--- {p.name}\n{p.read_text()[-3000:]}" for p in logs)
            pytest.fail(f"{what}: not after {timeout}s\n{tails}")
        time.sleep(0.1)


async def assignment(settings: Settings) -> dict[str, set[int]]:
    """raw-articles partitions per group member (by client id), from DescribeGroups."""
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.bootstrap_servers())
    await admin.start()
    try:
        coordinator = await admin.find_coordinator(settings.app_id)
        (response,) = await admin.describe_consumer_groups([settings.app_id], coordinator)
    finally:
        await admin.close()
    out: dict[str, set[int]] = {}
    for group in response.to_object()["groups"]:
        for member in group["members"]:
            raw = member["member_assignment"]
            held = ConsumerProtocolMemberAssignment.decode(raw) if raw else None
            out[member["client_id"]] = {
                p
                for topic, partitions in (held.assignment if held else [])
                if topic == settings.topic("raw-articles")
                for p in partitions
            }
    return out


def wait_assigned(settings: Settings, members: int, timeout: float, logs: list[Path]) -> None:
    """Until the group has ``members`` members that share every raw-articles partition."""

    def settled() -> bool:
        held = asyncio.run(assignment(settings))
        partitions = [p for ps in held.values() for p in ps]
        return len(held) == members and sorted(partitions) == list(range(PARTITIONS))

    wait_until(f"{members} members holding all partitions", settled, timeout, logs)


async def sequence(settings: Settings) -> list[tuple[int, bytes]]:
    """(offset, value) of every record on the single dedup-sequence partition, in order."""
    consumer = await read_from_beginning(settings, ["dedup-sequence"])
    records: list[tuple[int, bytes]] = []
    try:
        (tp,) = consumer.assignment()
        # Read to the end offset, not to as many records: commit markers take offsets.
        end = (await end_offsets(settings, tp.topic))[tp.partition]
        while await consumer.position(tp) < end:
            for batch in (await consumer.getmany(timeout_ms=500)).values():
                records.extend((r.offset, r.value) for r in batch if r.value is not None)
    finally:
        await consumer.stop()
    return records


def uninterrupted_verdicts(settings: Settings, records: list[tuple[int, bytes]]) -> set[str]:
    """Duplicates one dedup index finds over the same sequence, never stopped or moved."""
    stage = DedupStage(
        DedupConfig(
            threshold=settings.dedup_threshold,
            cluster_threshold=settings.dedup_cluster_threshold,
            window=timedelta(hours=settings.dedup_window_hours),
        ),
        {},
    )
    duplicates = set()
    for offset, value in records:
        raw = decode(RawArticle, value)
        if stage.process(raw, offset).duplicate is not None:
            duplicates.add(raw.article_id)
    return duplicates


@pytest.mark.parametrize("signal", ["SIGTERM", pytest.param("SIGKILL", marks=pytest.mark.faults)])
def test_a_stopped_worker_s_partitions_and_dedup_state_move_to_the_others(
    settings: Settings, tmp_path: Path, signal: str
) -> None:
    started = time.monotonic()
    settings = settings.model_copy(update={"partitions": PARTITIONS})
    asyncio.run(ensure_topics(settings))
    corpus = make_corpus(ARTICLES, COPIES, seed=23)
    originals = [a for a in corpus if a["feed_id"] == "wire"]
    copies = [a for a in corpus if a["feed_id"] != "wire"]
    first = originals[:BEFORE]
    second = originals[BEFORE:] + copies
    ids = {str(a["article_id"]) for a in corpus}
    logs = [tmp_path / f"worker-{i}.log" for i in range(WORKERS)]

    with ExitStack() as stack:
        workers = []
        for i, log in enumerate(logs):
            own = settings.model_copy(update={"data_dir": settings.data_dir / f"w{i}"})
            proc = start_worker(own, log)
            stack.callback(stop_process, proc)
            workers.append(proc)
        # A worker's event loop waits for its spaCy process to load the model; three loads
        # share the cores, so this is the slow part on a busy machine (a bound, not a speed).
        for proc, log in zip(workers, logs, strict=True):
            wait_for_log(proc, log, NLP_READY, 240)
        wait_assigned(settings, WORKERS, 120, logs)
        print(f"assigned {time.monotonic() - started:.1f}")

        asyncio.run(publish(settings, first, None))
        # Dedup (fast) has judged the first half; extraction (slow) is still at work.
        wait_until(
            "dedup of the first half",
            lambda: count(settings, "unique-articles", "duplicates") >= len(first),
            60,
            logs,
        )
        print(f"deduped {time.monotonic() - started:.1f}")
        (owner,) = [i for i, log in enumerate(logs) if REBUILT.search(log.read_text())]
        enriched_before = enriched_so_far(settings)
        if signal == "SIGTERM":
            stop_process(workers[owner])
        else:
            sigkill(workers[owner])
        stopped_at = time.monotonic()
        asyncio.run(publish(settings, second, None))
        survivors = [log for i, log in enumerate(logs) if i != owner]
        wait_assigned(settings, WORKERS - 1, 60, logs)
        print(f"reassigned {time.monotonic() - started:.1f}")
        # a bound on the wait, not on speed: a lost article never comes, a late one does
        keys = asyncio.run(outcomes(settings, ids, timeout=180))
        recovered_in = time.monotonic() - stopped_at
        records = asyncio.run(sequence(settings))

    assert enriched_before < len(first), "the stop came while articles were in flight"
    assert_every_article_came_out(keys, ids)
    # The dedup partition moved with its state: the new owner rebuilt its index from the
    # changelog (every article the stopped worker had indexed) ...
    rebuilt = [int(m.group(1)) for log in survivors for m in REBUILT.finditer(log.read_text())]
    assert rebuilt and max(rebuilt) >= len(first), rebuilt
    # ... and judged exactly as one index that never stopped would have.
    expected = uninterrupted_verdicts(settings, records)
    assert expected, "the second half holds copies the index must catch"
    assert keys["duplicates"] == expected
    print(
        f"{signal}: worker {owner} (dedup owner) stopped with {enriched_before}/{len(first)} "
        f"enriched; all {len(ids)} articles out {recovered_in:.1f} s later; "
        f"{len(expected)} duplicates as one uninterrupted index; "
        f"test {time.monotonic() - started:.0f} s"
    )
