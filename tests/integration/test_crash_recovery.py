"""A worker killed with SIGKILL mid-stream: the pipeline carries on and nothing is lost.

The embedded broker never evicts a dead group member (agents/membership.py); these tests
kill real ``wirestream worker`` processes while articles flow and check that every article
still comes out of dedup and extraction, and that the killed worker's spaCy processes end.
"""

from __future__ import annotations

import asyncio
import time
from contextlib import ExitStack
from pathlib import Path

import pytest

from agents.topics import ensure_topics
from benchmarks.dedup import make_corpus
from benchmarks.pipeline import publish
from tests.integration.helpers import assert_every_article_came_out, outcomes, wait_enriched
from wirestream.procs import (
    NLP_READY,
    sigkill,
    start_worker,
    stop_process,
    wait_for_log,
    wait_gone,
)
from wirestream_core.settings import Settings

# Fault drills: `pytest -m faults` runs them, and `make test` (CI) since round 14. The stalls that
# once kept them out (a restarted worker that took its partitions and moved nothing) had causes
# fixed since: README, "When a worker crashes" and Development.
pytestmark = [pytest.mark.integration, pytest.mark.faults]

ARTICLES = 60


@pytest.fixture
def corpus(settings: Settings) -> list[dict[str, object]]:
    """Real news texts, a fifth of them syndicated copies; topics created."""
    asyncio.run(ensure_topics(settings))
    return make_corpus(ARTICLES, 0.2, seed=7)


def test_a_restarted_worker_takes_its_killed_self_s_place(
    settings: Settings, corpus: list[dict[str, object]], tmp_path: Path
) -> None:
    ids = {str(a["article_id"]) for a in corpus}
    with ExitStack() as stack:
        first = start_worker(settings, tmp_path / "worker-1.log")
        stack.callback(stop_process, first)
        wait_for_log(first, tmp_path / "worker-1.log", NLP_READY, 120)
        asyncio.run(publish(settings, corpus, None))
        done_before = wait_enriched(settings, 5, 90, tmp_path / "worker-1.log")
        orphans = sigkill(first)
        assert orphans, "the worker had its spaCy process"
        assert wait_gone(orphans) == [], "the killed worker's spaCy processes ended"

        restarted_at = time.monotonic()
        second = start_worker(settings, tmp_path / "worker-2.log")
        stack.callback(stop_process, second)
        # a bound on the wait, not on speed: a lost article never comes, a late one on a loaded
        # machine does
        keys = asyncio.run(outcomes(settings, ids, timeout=180))
        took = time.monotonic() - restarted_at

    assert done_before < len(ids) - len(keys["duplicates"]), "the kill came mid-stream"
    assert_every_article_came_out(keys, ids)
    assert took < 90
    log = (tmp_path / "worker-2.log").read_text()
    assert "removed stale member" in log, "the restarted worker removed its dead self"


def test_a_surviving_worker_takes_over_a_killed_worker_s_partitions(
    settings: Settings, corpus: list[dict[str, object]], tmp_path: Path
) -> None:
    ids = {str(a["article_id"]) for a in corpus}
    with ExitStack() as stack:
        workers = []
        for i in range(2):
            log_path = tmp_path / f"worker-{i}.log"
            own = settings.model_copy(update={"data_dir": settings.data_dir / f"w{i}"})
            proc = start_worker(own, log_path)
            stack.callback(stop_process, proc)
            workers.append((proc, log_path))
        for proc, log_path in workers:
            wait_for_log(proc, log_path, NLP_READY, 120)
        asyncio.run(publish(settings, corpus, None))
        done_before = wait_enriched(settings, 5, 90, *(log for _, log in workers))
        killed_at = time.monotonic()
        orphans = sigkill(workers[0][0])
        assert wait_gone(orphans) == [], "the killed worker's spaCy processes ended"
        keys = asyncio.run(outcomes(settings, ids, timeout=180))
        took = time.monotonic() - killed_at

    assert done_before < len(ids) - len(keys["duplicates"]), "the kill came mid-stream"
    assert_every_article_came_out(keys, ids)
    assert took < 75
    assert "removed stale member" in workers[1][1].read_text()
