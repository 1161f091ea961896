"""Counters that prove nothing vanished: every message in a stage leaves by exactly one outcome.

Built per app on its own registry (never at import), exposed at ``/metrics`` when the
worker's web server is enabled.
"""

from __future__ import annotations

import time

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

#: Seconds: from sub-second stage hops to a backlog of minutes.
LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300)


class Metrics:
    """Prometheus counters for the worker and the poller."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry()
        self.messages_in = Counter(
            "wirestream_messages_in_total",
            "Messages a stage read from its input topic.",
            ["stage"],
            registry=self.registry,
        )
        self.messages_out = Counter(
            "wirestream_messages_out_total",
            "Messages a stage finished with, by outcome (unique, duplicate, dead_letter, "
            "enriched, rekeyed...). Per stage, in == sum of outcomes once idle.",
            ["stage", "outcome"],
            registry=self.registry,
        )
        self.events_out = Counter(
            "wirestream_events_total",
            "Events extracted from articles (sent to article-events), by modality.",
            ["modality"],
            registry=self.registry,
        )
        self.linked_out = Counter(
            "wirestream_linked_events_total",
            "Linked-event records published, by outcome (new, linked, repeat).",
            ["outcome"],
            registry=self.registry,
        )
        self.polls = Counter(
            "wirestream_polls_total",
            "Feed polls by outcome (ok, not_modified, error).",
            ["outcome"],
            registry=self.registry,
        )
        self.articles_published = Counter(
            "wirestream_articles_published_total",
            "Raw articles the poller published.",
            registry=self.registry,
        )
        self.page_fetches = Counter(
            "wirestream_page_fetches_total",
            "Article pages the poller fetched for their full text, by outcome (ok, cut, "
            "not_modified; the others fall back to the feed's text).",
            ["outcome"],
            registry=self.registry,
        )
        self.boilerplate_lines = Counter(
            "wirestream_boilerplate_lines_removed_total",
            "Lines the poller stripped from articles as their feed's learned boilerplate.",
            registry=self.registry,
        )
        self.dedup_index_size = Gauge(
            "wirestream_dedup_index_articles",
            "Articles in this worker's near-duplicate index (0 where it does not own it).",
            registry=self.registry,
        )
        self.batch_seconds = Histogram(
            "wirestream_extract_batch_seconds",
            "Wall time of one extraction batch in the NLP pool.",
            registry=self.registry,
            buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30),
        )

        self.stage_latency = Histogram(
            "wirestream_stage_latency_seconds",
            "From a message's publish time on a stage's input topic (broker timestamp) to the "
            "stage sending its outputs.",
            ["stage"],
            registry=self.registry,
            buckets=LATENCY_BUCKETS,
        )
        self.fetch_to_emit = Histogram(
            "wirestream_fetch_to_emit_seconds",
            "From the poller fetching an article to its enriched record being sent.",
            registry=self.registry,
            buckets=LATENCY_BUCKETS,
        )
        self.feed_up = Gauge(
            "wirestream_feed_up",
            "1 if the feed's last poll succeeded (ok or not modified), 0 if it failed.",
            ["feed"],
            registry=self.registry,
        )
        self.feed_failures = Gauge(
            "wirestream_feed_consecutive_failures",
            "Failed polls of the feed in a row.",
            ["feed"],
            registry=self.registry,
        )
        self.feed_last_success = Gauge(
            "wirestream_feed_last_success_timestamp_seconds",
            "Unix time of the feed's last successful poll.",
            ["feed"],
            registry=self.registry,
        )

    def observe_stage(self, stage: str, published: float | None) -> None:
        """Record a stage's latency for a message published at ``published`` (Unix seconds)."""
        if published:
            self.stage_latency.labels(stage).observe(max(0.0, time.time() - published))

    def total(self, counter: Counter, **labels: str) -> float:
        """Sum of a counter's samples whose labels include ``labels`` (0 if none)."""
        return float(
            sum(
                sample.value
                for metric in counter.collect()
                for sample in metric.samples
                if sample.name.endswith("_total")
                and all(sample.labels.get(k) == v for k, v in labels.items())
            )
        )
