"""Dedup agent: raw articles in; unique articles, duplicate notices or dead letters out."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from faust.types import EventT, StreamT

from agents.app import Wiring
from agents.deadletter import dead_letter
from pipeline.articles import to_duplicate, to_unique
from pipeline.dedup.exact import Verdict, exact_verdict, position
from schemas import RawArticle
from schemas.decode import RecordError, decode

log = logging.getLogger(__name__)

STAGE = "dedup"


def register(w: Wiring) -> None:
    """Register the dedup agent and its table on the app."""
    # article_id -> where it was first read; partitioned like raw-articles (same key).
    seen = w.app.Table(
        "seen-articles",
        default=None,
        partitions=w.settings.partitions,
        key_type=str,
        value_type=dict,
        help="Article ids already passed on, with their first position.",
    )
    topics, metrics = w.topics, w.metrics

    async def handle(event: EventT[Any]) -> str:
        message = event.message
        raw = decode(RawArticle, message.value)
        key = message.key.decode("utf-8", "replace") if message.key else None
        if key != raw.article_id:
            # The table is partitioned by article id; a message keyed otherwise would be
            # checked in the wrong partition. Re-publish it under its own id.
            await topics.raw_out.send(key=raw.article_id, value=raw)
            return "rekeyed"
        here = position(message.partition, message.offset)
        entry = seen.get(raw.article_id)
        verdict = exact_verdict(entry, here)
        if verdict is Verdict.DUPLICATE:
            await topics.duplicates.send(
                key=raw.article_id,
                value=to_duplicate(
                    raw, duplicate_of=raw.article_id, method="article_id", similarity=1.0
                ),
            )
            return "duplicate"
        if verdict is Verdict.NEW:
            seen[raw.article_id] = {"position": here, "first_seen": datetime.now(UTC).isoformat()}
        await topics.unique_out.send(key=raw.article_id, value=to_unique(raw))
        return "unique" if verdict is Verdict.NEW else "redelivered"

    async def dedup(stream: StreamT[bytes]) -> None:
        async for event in stream.events():
            metrics.messages_in.labels(STAGE).inc()
            try:
                outcome = await handle(event)
            except Exception as exc:
                # A bad record, or a bug, must not stop the stream: park the message.
                if isinstance(exc, RecordError):
                    log.warning("dead letter at %s: %s", event.message.tp, exc)
                else:
                    log.exception("dedup failed at %s", event.message.tp)
                await topics.dead_letters.send(
                    key=event.key,
                    value=dead_letter(
                        stage=STAGE,
                        error=exc,
                        key=event.message.key,
                        value=event.message.value,
                        topic=event.message.topic,
                        partition=event.message.partition,
                        offset=event.message.offset,
                    ),
                )
                outcome = "dead_letter"
            metrics.messages_out.labels(STAGE, outcome).inc()

    w.app.agent(topics.raw_in, name="dedup")(dedup)
