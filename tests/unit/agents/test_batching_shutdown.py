"""At shutdown the extraction batching starts no queued batch: they are given back unacked."""

from __future__ import annotations

import asyncio
import multiprocessing
import signal
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import pytest

from agents.batching import BatchDropped, run_batched
from agents.nlp_pool import NlpPool, PoolStopping
from pipeline.extract import ArticleText
from tests.unit.agents.test_batching import FakeStream


class OneProcess:
    """A handler shaped like the NLP pool: one batch at a time "in spaCy", the others queued."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.slot = asyncio.Semaphore(1)
        self.stopping = False
        self.started: list[list[int]] = []
        self.first = asyncio.Event()

    async def handle(self, batch: Sequence[Any]) -> list[int]:
        async with self.slot:
            if self.stopping:
                raise BatchDropped("stopping")
            self.started.append([e.offset for e in batch])
            self.first.set()
            await asyncio.sleep(self.seconds)
            return [e.offset for e in batch]


async def test_queued_batches_are_not_started_after_shutdown_begins_and_stay_unacked() -> None:
    stream = FakeStream(40)
    nlp = OneProcess(0.3)
    emitted: list[list[int]] = []
    forgotten: list[int] = []
    shutdown, sent = asyncio.Event(), asyncio.Event()

    async def stopping() -> None:
        await shutdown.wait()
        nlp.stopping = True

    async def emit(batch: Sequence[Any], prepared: list[int]) -> None:
        emitted.append(prepared)
        sent.set()

    task = asyncio.ensure_future(
        run_batched(
            stream,  # type: ignore[arg-type]
            nlp.handle,
            size=4,
            within=0.01,
            lanes=3,
            emit=emit,
            stopping=stopping,
            forget=lambda event: forgotten.append(event.offset),
        )
    )
    await asyncio.wait_for(nlp.first.wait(), 2)  # in spaCy; the next batches wait for it
    await asyncio.sleep(0.05)
    shutdown.set()
    await asyncio.wait_for(sent.wait(), 2)
    await asyncio.sleep(0.5)  # long enough for a second batch, had one started
    assert not task.done(), "the agent runs until Faust cancels it"
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task

    first = nlp.started[0]
    assert nlp.started == [first], "no queued batch started once shutdown began"
    assert emitted == [first] and stream.acked == first, "the batch in spaCy finished"
    # Every other event read was given back, never acknowledged: read again after restart.
    assert forgotten and not set(forgotten) & set(stream.acked)
    assert sorted(stream.acked + forgotten) == list(range(len(stream.acked) + len(forgotten)))


async def test_a_batch_after_one_given_back_is_given_back_too_even_if_its_handler_ran() -> None:
    stream = FakeStream(8)
    emitted: list[int] = []
    forgotten: list[int] = []
    shutdown = asyncio.Event()

    async def handle(batch: Sequence[Any]) -> int:
        # The first batch is refused, the second finishes: acking it would commit past the first.
        if batch[0].offset == 0:
            await asyncio.sleep(0.05)
            raise BatchDropped("stopping")
        return int(batch[0].offset)

    async def emit(batch: Sequence[Any], prepared: int) -> None:
        emitted.append(prepared)

    task = asyncio.ensure_future(
        run_batched(
            stream,  # type: ignore[arg-type]
            handle,
            size=4,
            within=0.01,
            lanes=2,
            emit=emit,
            stopping=shutdown.wait,
            forget=lambda event: forgotten.append(event.offset),
        )
    )
    await asyncio.sleep(0.01)
    shutdown.set()
    await asyncio.sleep(0.3)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert emitted == [] and stream.acked == []
    assert sorted(forgotten) == list(range(8))


async def test_pool_runs_the_batch_in_its_process_and_refuses_the_queued_one_once_stopping(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pool = NlpPool("none", processes=1)
    pool._pool = object()  # type: ignore[assignment]  # started, as far as run can tell
    release = asyncio.Event()
    ran: list[str] = []

    async def in_process(articles: Sequence[ArticleText], batch_size: int) -> list[Any]:
        ran.append(articles[0].article_id)
        await release.wait()
        return []

    monkeypatch.setattr(pool, "_run", in_process)
    article = ArticleText(article_id="a", text="x")
    first = asyncio.ensure_future(pool.run([article]))
    queued = asyncio.ensure_future(pool.run([ArticleText(article_id="b", text="y")]))
    await asyncio.sleep(0.01)
    pool.stop_starting()
    release.set()
    assert await first == []
    with pytest.raises(PoolStopping):
        await queued
    assert ran == ["a"], "the queued batch never reached a process"


async def test_stop_ends_the_processes_without_waiting_for_them_to_tear_down() -> None:
    executor = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
    assert await asyncio.get_running_loop().run_in_executor(executor, abs, -2) == 2
    processes = list(executor._processes.values())  # type: ignore[attr-defined]
    pool = NlpPool("none", processes=1)
    pool._pool = executor
    await pool.stop()
    assert [p.exitcode for p in processes] == [-signal.SIGTERM]
    with pytest.raises(PoolStopping):
        await pool.run([ArticleText(article_id="a", text="x")])


def _in_spacy_for_long(articles: list[ArticleText], batch_size: int) -> list[Any]:
    time.sleep(60)
    return []


async def test_a_batch_still_in_its_process_after_the_grace_is_cancelled_once_stopping() -> None:
    executor = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
    loop = asyncio.get_running_loop()
    assert await loop.run_in_executor(executor, abs, -2) == 2  # the process is up
    pool = NlpPool("none", processes=1, stop_grace=0.5)
    pool._pool = executor
    pool._job = _in_spacy_for_long
    running = asyncio.ensure_future(pool.run([ArticleText(article_id="a", text="x")]))
    await asyncio.sleep(0.2)
    began = loop.time()
    pool.stop_starting()
    with pytest.raises(PoolStopping, match="cancelled"):
        await asyncio.wait_for(running, 10)
    assert loop.time() - began < 5, "cancelled after the grace, not after the batch's 60 s"
    await pool.stop()
