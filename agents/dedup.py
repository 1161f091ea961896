"""Dedup agent: articles in one order in; unique articles or duplicate notices out.

Near-duplicates arrive under different keys, so an index split by partition would miss
them. Every article therefore passes through the single-partition ``dedup-sequence``
topic, and one worker at a time owns the index. Its state is a changelog-backed table
(article id → index entry); the in-memory LSH index is rebuilt from that table whenever
the partition is (re)assigned, so a restarted or replacement worker carries on with every
article it has not yet forgotten. Dedup costs well under a millisecond an article, so one
partition keeps up with far more than any set of feeds publishes; extraction, the
expensive stage, stays spread over all partitions.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from faust.types import StreamT

from agents.app import Wiring
from agents.deadletter import park
from pipeline.dedup.config import DedupConfig
from pipeline.dedup.stage import DedupStage
from schemas import RawArticle
from schemas.decode import decode
from wirestream_core.commit_gate import held

log = logging.getLogger(__name__)

STAGE = "dedup"


def dedup_config(w: Wiring) -> DedupConfig:
    """The index configuration from the settings."""
    s = w.settings
    return DedupConfig(
        threshold=s.dedup_threshold,
        cluster_threshold=s.dedup_cluster_threshold,
        window=timedelta(hours=s.dedup_window_hours),
    )


def register(w: Wiring) -> None:
    """Register the dedup agent, its table, and the index rebuild on recovery."""
    topics, metrics = w.topics, w.metrics
    limit = w.settings.max_message_bytes
    table = w.app.Table(
        "dedup-index",
        default=None,
        partitions=1,
        key_type=str,
        value_type=bytes,
        help="Article id -> first offset and near-duplicate index entry.",
    )
    stage = DedupStage(dedup_config(w), table)
    stale = True

    async def on_recover() -> None:
        nonlocal stale
        stale = True  # rebuilt lazily, inside the stream, after recovery finished

    table.on_recover(on_recover)

    async def dedup(stream: StreamT[bytes]) -> None:
        nonlocal stale
        async for event in held(stream.events()):
            if stale:
                count = stage.rebuild()
                stale = False
                log.info("dedup index rebuilt from its table: %d entries", count)
            metrics.messages_in.labels(STAGE).inc()
            try:
                raw = decode(RawArticle, event.message.value, max_bytes=limit)
                outcome = stage.process(raw, event.message.offset)
                if outcome.unique is not None:
                    await topics.unique_out.send(key=raw.article_id, value=outcome.unique)
                if outcome.duplicate is not None:
                    await topics.duplicates.send(key=raw.article_id, value=outcome.duplicate)
            except Exception as exc:
                await park(w, STAGE, event, exc)
                continue
            metrics.messages_out.labels(STAGE, outcome.kind).inc()
            metrics.observe_stage(STAGE, event.message.timestamp)
            metrics.dedup_index_size.set(len(stage.index))

    w.app.agent(topics.sequence, name="dedup")(dedup)
