"""exactly_once across a clean restart: SIGTERM the worker mid-stream, start it again.

The embedded broker must keep the transactions and the offsets committed with them across the
worker's restart, and the worker must stop without an error (issue 19: ``IllegalOperation``
was raised at SIGTERM under exactly_once, a transaction ended while sends or a commit were
still under way). A ``read_committed`` reader then finds every article's outcome exactly once.
A drill (two model loads, about two minutes): ``pytest -m faults``.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from agents.tail import read_from_beginning
from agents.topics import ensure_topics
from benchmarks.dedup import make_corpus
from benchmarks.pipeline import publish
from tests.integration.helpers import wait_enriched
from wirestream.procs import NLP_READY, start_worker, stop_process, wait_for_log
from wirestream_core.settings import Settings

pytestmark = [pytest.mark.integration, pytest.mark.faults, pytest.mark.exactly_once_drill]

ARTICLES = 40
OUTCOMES = ("unique-articles", "duplicates", "enriched-articles")


async def committed_keys(settings: Settings, until: int, timeout: float) -> dict[str, Counter[str]]:
    """Records per key on the outcome topics, read_committed, until ``until`` articles have a
    verdict and 3 s pass without a new record (so repeats would be seen too)."""
    consumer = await read_from_beginning(settings, OUTCOMES, isolation_level="read_committed")
    keys: dict[str, Counter[str]] = {name: Counter() for name in OUTCOMES}
    loop = asyncio.get_running_loop()
    deadline, quiet = loop.time() + timeout, loop.time()
    prefix = len(settings.topic_prefix)
    try:
        while loop.time() < deadline:
            for tp, records in (await consumer.getmany(timeout_ms=300)).items():
                keys[tp.topic[prefix:]].update(r.key.decode() for r in records if r.key)
                quiet = loop.time()
            verdicts = len(keys["unique-articles"]) + len(keys["duplicates"])
            enriched = len(keys["enriched-articles"])
            done = verdicts >= until and enriched >= len(keys["unique-articles"])
            if done and loop.time() - quiet > 3.0:
                break
    finally:
        await consumer.stop()
    return keys


def test_sigterm_mid_stream_then_restart_delivers_each_outcome_once(
    settings: Settings, tmp_path: Path
) -> None:
    # A short interval, as recommended under exactly_once: many commits, so many chances to
    # split an extraction batch from its offsets (9 of 70 repeated before commits waited).
    settings = settings.model_copy(
        update={"processing_guarantee": "exactly_once", "commit_interval": 0.2}
    )
    asyncio.run(ensure_topics(settings))
    corpus = make_corpus(ARTICLES, 0.1, seed=3)
    first, second = tmp_path / "first.log", tmp_path / "second.log"

    worker = start_worker(settings, first)
    try:
        wait_for_log(worker, first, NLP_READY, 180)
        producer = threading.Thread(target=lambda: asyncio.run(publish(settings, corpus, 10.0)))
        producer.start()
        # Mid-stream: some articles enriched, more in flight (published over 4 s).
        wait_enriched(settings, 3, 120, first)
        started = time.monotonic()
    finally:
        stop_process(worker)
    stopped_in = time.monotonic() - started
    print(f"SIGTERM to exit: {stopped_in:.1f} s (returncode {worker.returncode})")
    producer.join()
    assert worker.returncode == 0, first.read_text()[-3000:]

    worker = start_worker(settings, second)
    try:
        wait_for_log(worker, second, NLP_READY, 180)
        keys = asyncio.run(committed_keys(settings, ARTICLES, timeout=180))
    finally:
        stop_process(worker)

    ids = {a["article_id"] for a in corpus}
    unique, duplicates, enriched = (keys[name] for name in OUTCOMES)
    assert set(unique) | set(duplicates) == ids, f"{len(ids - set(unique) - set(duplicates))} lost"
    assert not set(unique) & set(duplicates), "each article has one dedup verdict"
    assert set(enriched) == set(unique), "every unique article is enriched"
    # Exactly once: no record of a committed transaction repeats an earlier one's.
    repeats = {name: sum(n - 1 for n in keys[name].values()) for name in OUTCOMES}
    assert repeats == dict.fromkeys(OUTCOMES, 0), repeats
    for log in (first, second):
        text = log.read_text()
        assert "IllegalOperation" not in text and "Traceback" not in text, text[-4000:]
    assert stopped_in < 30, f"SIGTERM took {stopped_in:.1f} s"
