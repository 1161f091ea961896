"""Extraction agent: unique articles in, batched through the NLP pool; events and enriched out."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Sequence
from typing import Any

from faust.types import EventT, StreamT

from agents.app import Wiring
from agents.batching import BatchDropped, give_back_to_consumer, run_batched
from agents.deadletter import park, set_current_event
from agents.nlp_pool import NlpPool, PoolStopping
from pipeline.articles import to_enriched
from pipeline.extract import ArticleText
from pipeline.link import partition_key
from schemas import UniqueArticle
from schemas.decode import RecordError, decode
from wirestream_core.commit_gate import COMMIT_GATE, SENT_NOT_ACKED
from wirestream_core.transactions import LOG_COMMITS

log = logging.getLogger(__name__)

STAGE = "extract"

#: A batch after extraction: the decoded articles, the refused events, the extraction results.
Prepared = tuple[
    list[tuple[EventT[Any], UniqueArticle]], list[tuple[EventT[Any], RecordError]], Sequence[Any]
]


def article_text(article: UniqueArticle) -> ArticleText:
    """What the extractor needs from a unique article."""
    return ArticleText(
        article_id=article.article_id,
        text=article.text,
        published=article.published,
        source=article.source,
        url=article.url,
        title=article.title,
        home_country=article.country,
    )


def register(w: Wiring) -> None:
    """Register the extraction agent and the lifecycle of its NLP pool."""
    settings, topics, metrics = w.settings, w.topics, w.metrics
    limit = settings.max_message_bytes
    pool = NlpPool(
        settings.spacy_model,
        processes=settings.extract_processes,
        max_chars=settings.max_text_chars,
    )

    w.health.add("nlp_processes", lambda: pool.ready)

    async def handle(batch: Sequence[EventT[Any]]) -> Prepared:
        """Decode and extract a batch: what ``emit`` sends once it is the batch's turn."""
        metrics.messages_in.labels(STAGE).inc(len(batch))
        good: list[tuple[EventT[Any], UniqueArticle]] = []
        refused: list[tuple[EventT[Any], RecordError]] = []
        for event in batch:
            try:
                good.append((event, decode(UniqueArticle, event.message.value, max_bytes=limit)))
            except RecordError as exc:
                refused.append((event, exc))
        started = time.perf_counter()
        try:
            results = await pool.run([article_text(a) for _, a in good], batch_size=len(good) or 1)
        except PoolStopping as exc:
            raise BatchDropped(str(exc)) from exc
        metrics.batch_seconds.observe(time.perf_counter() - started)
        return good, refused, results

    async def emit(batch: Sequence[EventT[Any]], prepared: Prepared) -> None:
        """Send a batch's records (its dead letters too) and wait for the broker's acks."""
        # A send only hands the record to the producer's buffer. The batch is acked (and its
        # offsets may be committed) once this returns, so it waits for the broker's ack of
        # each: a failed delivery then fails the batch instead of committing past it.
        good, refused, results = prepared
        # From the first send until the batch is acknowledged, its records may be in a
        # transaction its offsets are not in: no send begins during a commit, and a commit
        # waits for the batches sending (wirestream_core.commit_gate). Nothing may yield
        # between the passage and the hold.
        await COMMIT_GATE.passage()
        SENT_NOT_ACKED.hold(len(batch))
        try:
            sent = [await park(w, STAGE, event, exc, current=True) for event, exc in refused]
            await send_results(good, results, sent)
            if LOG_COMMITS:
                log.info(
                    "extraction batch sent: %s",
                    [f"{e.message.partition}@{e.message.offset}" for e in batch],
                )
        except BaseException:
            SENT_NOT_ACKED.release(len(batch))
            raise

    async def send_results(
        good: list[tuple[EventT[Any], UniqueArticle]],
        results: Sequence[Any],
        sent: list[Awaitable[Any]],
    ) -> None:
        """Send each article's events and enriched record; wait for the broker's acks."""
        for (event, article), result in zip(good, results, strict=True):
            if result.extraction is None:
                error = f"{result.error_type}: {result.error}"
                sent.append(await park(w, STAGE, event, error, current=True))
                continue
            # Sends inside a batch must belong to their own source event: under
            # exactly_once that selects the transaction of the event's partition.
            set_current_event(event)
            for record in result.extraction.events:
                record.text_source = article.text_source
                # Keyed so that every event this one may link to is in the same partition.
                sent.append(
                    await topics.article_events_out.send(key=partition_key(record), value=record)
                )
                metrics.events_out.labels(record.modality).inc()
            enriched = to_enriched(article, result.extraction, extractor=pool.version)
            if result.extraction.language not in (None, "en"):
                # The English model would code noise from it: its own topic, counted.
                sent.append(await topics.non_english.send(key=article.article_id, value=enriched))
                metrics.messages_out.labels(STAGE, "non_english").inc()
                metrics.observe_stage(STAGE, event.message.timestamp)
                continue
            sent.append(await topics.enriched.send(key=article.article_id, value=enriched))
            metrics.messages_out.labels(STAGE, "enriched").inc()
            metrics.observe_stage(STAGE, event.message.timestamp)
            metrics.fetch_to_emit.observe(max(0.0, time.time() - article.fetched.timestamp()))
        await asyncio.gather(*sent)

    async def stopping() -> None:
        # The worker is stopping (SIGTERM): Faust now waits for every event handed to the
        # agents; batches waiting for spaCy are given back instead of run (batching.py).
        await w.app.wait_until_stopped()
        pool.stop_starting()

    async def extract(stream: StreamT[bytes]) -> None:
        await pool.start()
        await run_batched(
            stream,
            handle,
            size=settings.extract_batch_size,
            within=settings.extract_batch_seconds,
            lanes=settings.extract_processes + 1,
            on_ack=lambda event: SENT_NOT_ACKED.release(),
            # Sent in read order, each batch right before its acknowledgement (batching.py).
            emit=emit,
            stopping=stopping,
            forget=give_back_to_consumer,
        )

    async def stop_pool(sender: Any, /, *args: Any, signal: Any, **kwargs: Any) -> None:
        await pool.stop()

    w.app.agent(topics.unique_in, name="extract")(extract)
    w.app.on_before_shutdown.connect(stop_pool)
