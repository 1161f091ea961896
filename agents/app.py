"""Composition root: builds the Faust app, its topics and agents from one Settings object."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import faust
from faust.transport.producer import ProducerBuffer
from faust.types import TopicT

from agents.codec import CODEC_NAME, register_codec
from agents.health import Health
from agents.membership import this_process
from agents.metrics import Metrics
from schemas import (
    DeadLetter,
    Duplicate,
    EnrichedArticle,
    Event,
    LinkedEvent,
    Mention,
    UniqueArticle,
)
from schemas.topics import partitions_of
from wirestream_core.commit_gate import install_commit_gate
from wirestream_core.commit_offsets import install_whole_commit_offsets
from wirestream_core.connection import faust_credentials
from wirestream_core.fetched_offsets import install_fetched_offsets
from wirestream_core.kafka_compat import (
    install_empty_assignment_rejoin,
    install_held_seek,
    install_live_partition_view,
    install_source_partition_transactions,
    install_stale_abort_guard,
    install_truncation_guard,
)
from wirestream_core.settings import Settings
from wirestream_core.transactions import install_transaction_guards
from wirestream_core.unsought import install_unsought_drop


@dataclass
class AppTopics:
    """Faust handles on the project's topics.

    Inputs are read as raw bytes and decoded by ``schemas.decode`` inside the agent, so a
    malformed message becomes a dead letter with its reason instead of crashing the agent.
    """

    raw_in: TopicT
    sequence: TopicT
    unique_in: TopicT
    unique_out: TopicT
    duplicates: TopicT
    article_events_in: TopicT
    article_events_out: TopicT
    events: TopicT
    mentions: TopicT
    enriched: TopicT
    non_english: TopicT
    dead_letters: TopicT


@dataclass
class Wiring:
    """Everything an agent needs: the app, the settings, topics and counters."""

    app: faust.App
    settings: Settings
    topics: AppTopics
    metrics: Metrics
    health: Health = field(default_factory=Health)
    on_linked: list[Callable[[LinkedEvent], None]] = field(default_factory=list)
    """Called with every linked event the link agent publishes (the events page keeps them)."""


def _topics(app: faust.App, settings: Settings) -> AppTopics:
    n = settings.partitions

    def raw_bytes(name: str) -> TopicT:
        return app.topic(
            settings.topic(name),
            key_type=bytes,
            value_type=bytes,
            key_serializer="raw",
            value_serializer="raw",
            partitions=partitions_of(name, n),
        )

    def records_out(name: str, record: type) -> TopicT:
        return app.topic(
            settings.topic(name),
            key_type=str,
            value_type=record,
            key_serializer="raw",
            value_serializer=CODEC_NAME,
            partitions=partitions_of(name, n),
        )

    return AppTopics(
        raw_in=raw_bytes("raw-articles"),
        sequence=raw_bytes("dedup-sequence"),
        unique_in=raw_bytes("unique-articles"),
        unique_out=records_out("unique-articles", UniqueArticle),
        duplicates=records_out("duplicates", Duplicate),
        article_events_in=raw_bytes("article-events"),
        article_events_out=records_out("article-events", Event),
        events=records_out("events", LinkedEvent),
        mentions=records_out("mentions", Mention),
        enriched=records_out("enriched-articles", EnrichedArticle),
        non_english=records_out("non-english-articles", EnrichedArticle),
        dead_letters=records_out("dead-letters", DeadLetter),
    )


def create_app(settings: Settings, *, metrics: Metrics | None = None) -> Wiring:
    """Build the Faust app with all agents registered; nothing connects until it starts."""
    if not settings.broker:
        raise ValueError("settings.broker must be set before the app is created")
    (settings.data_dir / "worker").parent.mkdir(parents=True, exist_ok=True)
    # Table writes queue changelog records in Faust's producer buffer, which pauses the
    # stream at 100 and warns; one extraction batch links dozens of events, each writing a
    # handful of link-state keys, so bursts of a few hundred are normal, not a problem.
    ProducerBuffer.max_messages = 2000
    # Every topic value and the app's default serializer name this codec.
    register_codec()
    if settings.processing_guarantee == "exactly_once":
        install_source_partition_transactions()
        install_transaction_guards()
        install_commit_gate()
    install_truncation_guard()
    install_stale_abort_guard()
    install_whole_commit_offsets()
    install_held_seek()
    install_unsought_drop()
    install_live_partition_view()
    install_empty_assignment_rejoin()
    install_fetched_offsets()  # for the lag metric (agents/lag.py)
    # The client id names this process, so that a worker can tell a dead member from a live one.
    client: dict[str, Any] = {}
    if settings.evict_dead_members:
        client["broker_client_id"] = this_process().client_id()
    credentials = faust_credentials(settings)
    if credentials is not None:
        client["broker_credentials"] = credentials
    app = faust.App(
        settings.app_id,
        broker=settings.broker,
        store=settings.store,
        topic_partitions=settings.partitions,
        topic_replication_factor=settings.replication_factor,
        processing_guarantee=settings.processing_guarantee,
        broker_commit_interval=settings.commit_interval,
        broker_session_timeout=settings.session_timeout,
        broker_heartbeat_interval=settings.heartbeat_interval,
        consumer_auto_offset_reset="earliest",
        producer_acks=-1,
        key_serializer="raw",
        value_serializer=CODEC_NAME,
        web_enabled=settings.web_enabled,
        web_port=settings.web_port,
        web_bind=settings.web_bind,
        datadir=str(settings.data_dir / "worker"),
        autodiscover=False,
        **client,
    )
    wiring = Wiring(app, settings, _topics(app, settings), metrics or Metrics())

    # Imported here so that building an app is the only way agents get registered.
    from agents import dedup, events_page, extract, intake, link, web

    intake.register(wiring)
    dedup.register(wiring)
    extract.register(wiring)
    link.register(wiring)
    web.register(wiring)
    events_page.register(wiring)
    return wiring
