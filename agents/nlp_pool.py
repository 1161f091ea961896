"""A process pool that runs the extractor off the event loop, one loaded model per process.

spaCy is CPU-bound and holds the GIL; inside the worker's event loop it would starve
heartbeats and rebalances. Each pool process loads the model once (initializer) and then
parses whole batches with ``nlp.pipe``.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import signal
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from agents.parent_watch import exit_with_parent
from pipeline.extract import ArticleText, Extraction, Extractor

log = logging.getLogger(__name__)

# The extractor of *this* pool process, set by the initializer; never used in the parent.
_extractor: Extractor | None = None


class PoolStopping(Exception):
    """A batch not started because the worker is stopping (``NlpPool.stop_starting``)."""


@dataclass(frozen=True)
class JobResult:
    """Outcome for one article: an extraction, or the reason it failed."""

    article_id: str
    extraction: Extraction | None = None
    error_type: str | None = None
    error: str | None = None


def _init_process(model: str, max_chars: int, parent_pid: int) -> None:
    global _extractor
    # A worker killed with SIGKILL cannot stop its pool: each process ends itself instead.
    exit_with_parent(parent_pid)
    # Ctrl-C reaches the whole process group; the worker shuts the pool down itself, so the
    # spaCy processes must not die mid-batch with a traceback of their own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _extractor = Extractor(model, max_chars=max_chars)


def _version() -> str:
    assert _extractor is not None
    return str(_extractor.version)


def _run_batch(articles: Sequence[ArticleText], batch_size: int) -> list[JobResult]:
    assert _extractor is not None, "pool process not initialised"
    try:
        extractions = _extractor.extract_many(articles, batch_size=batch_size)
        return [
            JobResult(a.article_id, extraction=x)
            for a, x in zip(articles, extractions, strict=True)
        ]
    except Exception:
        # One bad article must not fail its batch-mates: retry one by one to isolate it.
        results = []
        for article in articles:
            try:
                results.append(
                    JobResult(article.article_id, extraction=_extractor.extract(article))
                )
            except Exception as exc:
                results.append(
                    JobResult(article.article_id, error_type=type(exc).__name__, error=str(exc))
                )
        return results


def _join(pool: ProcessPoolExecutor, processes: list[multiprocessing.process.BaseProcess]) -> None:
    pool.shutdown(wait=True)
    for process in processes:
        process.join(10)


#: How long a batch already in a process may run once the worker is stopping; then it is
#: cancelled (its process ended) and given back unacknowledged. One batch took 10 s and more
#: under load; the test's bound on a whole SIGTERM stop is 30 s.
STOP_GRACE = 5.0


class NlpPool:
    """Runs ``Extractor.extract_many`` in ``processes`` spawned processes."""

    def __init__(
        self,
        model: str,
        *,
        processes: int = 1,
        max_chars: int = 100_000,
        stop_grace: float = STOP_GRACE,
    ) -> None:
        self.model = model
        self.processes = processes
        self.max_chars = max_chars
        self.stop_grace = stop_grace
        self.version = ""
        # What runs in a process: a parameter only for the tests.
        self._job = _run_batch
        self._running = 0
        self._canceller: asyncio.TimerHandle | None = None
        self._pool: ProcessPoolExecutor | None = None
        # At most one batch per process in the executor: the others wait here, where they
        # can still be given back at shutdown (the executor's own queue runs what it holds).
        self._slots: asyncio.Semaphore | None = None
        self._stopping = False

    def _new_pool(self) -> ProcessPoolExecutor:
        # spawn, not fork: the parent runs threads (Kafka consumer, producer) and an event loop.
        return ProcessPoolExecutor(
            max_workers=self.processes,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_process,
            initargs=(self.model, self.max_chars, os.getpid()),
        )

    async def start(self) -> None:
        """Start the processes and wait until every one has loaded the model."""
        self._pool = self._new_pool()
        loop = asyncio.get_running_loop()
        versions = await asyncio.gather(
            *(loop.run_in_executor(self._pool, _version) for _ in range(self.processes))
        )
        self.version = versions[0]
        log.info("NLP pool ready: %d process(es), %s", self.processes, self.version)

    @property
    def ready(self) -> bool:
        """Started, the model loaded, and no process has died since."""
        pool = self._pool
        if pool is None or not self.version:
            return False
        processes = getattr(pool, "_processes", None) or {}
        return all(p.is_alive() for p in processes.values())

    def stop_starting(self) -> None:
        """From now on ``run`` starts no batch (``PoolStopping``); a batch still running
        after ``stop_grace`` seconds is cancelled (``PoolStopping`` too)."""
        self._stopping = True
        if self._canceller is None:
            loop = asyncio.get_running_loop()
            self._canceller = loop.call_later(self.stop_grace, self._cancel_running)

    def _cancel_running(self) -> None:
        pool = self._pool
        if pool is None or not self._running:
            return
        log.info(
            "stopping: %d batch(es) still in the NLP processes after %.1f s: cancelled",
            self._running,
            self.stop_grace,
        )
        # The pool breaks: ``_run`` turns that into ``PoolStopping`` while stopping.
        for process in list((getattr(pool, "_processes", None) or {}).values()):
            process.terminate()

    async def stop(self) -> None:
        """End the processes: a batch still in one is lost with it (it was not acknowledged)."""
        self._stopping = True
        if self._canceller is not None:
            self._canceller.cancel()
        pool, self._pool = self._pool, None
        if pool is None:
            return
        processes = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        # Terminated, not left to exit: a process tearing its model down took 1.3 s idle and
        # 23 s with spaCy at a tenth of a core, most of a SIGTERM's stop (issue 19, round 16).
        for process in processes:
            process.terminate()
        await asyncio.to_thread(_join, pool, processes)

    async def run(
        self, articles: Sequence[ArticleText], *, batch_size: int = 16
    ) -> list[JobResult]:
        """Extract from ``articles`` in one pool process; results in input order.

        Callers keep several batches in flight (agents/batching.py) to use every process.
        """
        if not articles:
            return []
        if self._stopping:
            raise PoolStopping(f"{len(articles)} article(s) not started: stopping")
        if self._pool is None:
            raise RuntimeError("NlpPool.run before start()")
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.processes)
        async with self._slots:
            if self._stopping:
                raise PoolStopping(f"{len(articles)} article(s) not started: stopping")
            self._running += 1
            try:
                return await self._run(articles, batch_size)
            finally:
                self._running -= 1

    async def _run(self, articles: Sequence[ArticleText], batch_size: int) -> list[JobResult]:
        loop = asyncio.get_running_loop()
        for attempt in (1, 2):
            pool = self._pool
            if pool is None:
                raise PoolStopping(f"{len(articles)} article(s) not started: pool stopped")
            try:
                return await loop.run_in_executor(pool, self._job, list(articles), batch_size)
            except BrokenProcessPool as exc:
                if self._stopping:
                    raise PoolStopping(f"{len(articles)} article(s) cancelled: stopping") from exc
                # A process died (OOM, segfault in a C extension): replace the pool once.
                log.error("NLP pool broke (%s); restarting it (attempt %d)", exc, attempt)
                if self._pool is pool:
                    await asyncio.to_thread(pool.shutdown, wait=False, cancel_futures=True)
                    self._pool = self._new_pool()
        return [
            JobResult(a.article_id, error_type="BrokenProcessPool", error="NLP process died twice")
            for a in articles
        ]
