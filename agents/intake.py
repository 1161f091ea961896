"""Intake agent: validates raw articles and puts them in one order for dedup.

Stateless and partitioned like ``raw-articles``, so it scales with the workers. A message
that is not a valid RawArticle goes to ``dead-letters`` with the reason; a valid one is
forwarded byte for byte to the single-partition ``dedup-sequence`` topic.
"""

from __future__ import annotations

from faust.types import StreamT

from agents.app import Wiring
from agents.deadletter import park
from schemas import RawArticle
from schemas.decode import decode
from wirestream_core.commit_gate import held

STAGE = "intake"


def register(w: Wiring) -> None:
    """Register the intake agent."""
    topics, metrics = w.topics, w.metrics
    limit = w.settings.max_message_bytes

    async def intake(stream: StreamT[bytes]) -> None:
        async for event in held(stream.events()):
            metrics.messages_in.labels(STAGE).inc()
            try:
                raw = decode(RawArticle, event.message.value, max_bytes=limit)
                await topics.sequence.send(
                    key=raw.article_id.encode(),
                    value=event.message.value,
                    # A replayed message stays one: its count follows it into dedup.
                    headers=event.message.headers,
                )
            except Exception as exc:
                # A bad record, or a bug, must not stop the stream: park the message.
                await park(w, STAGE, event, exc)
                continue
            metrics.messages_out.labels(STAGE, "sequenced").inc()
            metrics.observe_stage(STAGE, event.message.timestamp)

    w.app.agent(topics.raw_in, name="intake")(intake)
