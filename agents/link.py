"""Link agent: extracted events in; merged events (compacted) and mentions (append-only) out.

``article-events`` is keyed by ``pipeline.link.partition_key`` (event type and country), so
every event an extracted event may belong to lives in the same partition, and the link
state — a changelog-backed table co-partitioned with that topic — is written only from its
own partition. The stage (``pipeline.link.LinkStage``) decides; this agent only decodes,
publishes and counts.
"""

from __future__ import annotations

from datetime import timedelta

from faust.types import StreamT

from agents.app import Wiring
from agents.deadletter import park
from pipeline.link import LinkConfig, LinkStage
from schemas import Event
from schemas.decode import decode
from wirestream_core.commit_gate import held

STAGE = "link"


def link_config(w: Wiring) -> LinkConfig:
    """The linking configuration from the settings."""
    return LinkConfig(
        max_km=w.settings.link_max_km, window=timedelta(days=w.settings.link_window_days)
    )


def register(w: Wiring) -> None:
    """Register the link agent and its table."""
    topics, metrics = w.topics, w.metrics
    limit = w.settings.max_message_bytes
    table = w.app.Table(
        "link-state",
        default=None,
        partitions=w.settings.partitions,
        key_type=str,
        value_type=bytes,
        help="Linked events, their blocks and mentions, per partition key.",
    )
    stage = LinkStage(link_config(w), table)

    async def link(stream: StreamT[bytes]) -> None:
        async for event in held(stream.events()):
            metrics.messages_in.labels(STAGE).inc()
            try:
                extracted = decode(Event, event.message.value, max_bytes=limit)
                outcome = stage.process(extracted)
                # A repeat is a redelivery or a re-extraction: publish its records again, as
                # a crash may have come between the state update and the sends (subscribers
                # upsert events by id and can drop a mention seen before by mention_id).
                # A report covering several incidents publishes each incident's records.
                for one in outcome.every():
                    await topics.events.send(key=one.linked.event_id, value=one.linked)
                    metrics.linked_out.labels(one.kind).inc()
                    for listener in w.on_linked:
                        listener(one.linked)
                    if one.mention is not None:
                        await topics.mentions.send(key=one.linked.event_id, value=one.mention)
            except Exception as exc:
                await park(w, STAGE, event, exc)
                continue
            metrics.messages_out.labels(STAGE, outcome.kind).inc()
            metrics.observe_stage(STAGE, event.message.timestamp)

    w.app.agent(topics.article_events_in, name="link")(link)
