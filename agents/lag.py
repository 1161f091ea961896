"""Consumer lag per topic and partition, computed at each ``/metrics`` scrape."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import faust
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from wirestream_core.fetched_offsets import last_fetched


def records_behind(
    end: int, committed: int | None, position: int | None, last_fetched: int | None
) -> int:
    """Records of one partition not yet processed and committed: 0 once the consumer has
    fetched up to ``end`` and committed every record it fetched.

    ``end`` is the last stable offset under read_committed (the end offset otherwise),
    ``committed`` the committed offset (next to read), ``position`` the consumer's fetch
    position (next to fetch), ``last_fetched`` the offset of the last record fetched.
    """
    start = committed or 0
    behind = max(0, end - start)
    if not behind or position is None or position < end:
        # Not fetched to the end: the offsets between committed and end are the backlog (with
        # any transaction markers among them, one per transaction that wrote the partition).
        return behind
    if last_fetched is not None and last_fetched >= start:
        return behind  # fetched (queued for or taken by an agent), not committed yet
    # Fetched to the end and no record fetched at or past the commit: the offsets left are
    # commit or abort markers (the fetcher steps over them) or aborted records, none of them work.
    return 0


class ConsumerLag(Collector):
    """``wirestream_consumer_lag``: records of each input partition this worker holds not yet
    processed and committed (table changelogs excluded: recovery reads them, nothing commits
    them)."""

    def __init__(self, app: faust.App) -> None:
        self.app = app

    def collect(self) -> Iterator[GaugeMetricFamily]:
        """One sample per assigned input partition."""
        family = GaugeMetricFamily(
            "wirestream_consumer_lag",
            "Records on an assigned input partition not yet processed and committed (end offset, "
            "the last stable one under exactly_once, minus committed offset; 0 once caught up, "
            "transaction markers aside).",
            labels=["topic", "partition"],
        )
        for tp, lag in sorted(self.lags().items()):
            family.add_metric([tp.topic, str(tp.partition)], lag)
        yield family

    def lags(self) -> dict[Any, int]:
        """Lag by topic-partition; empty before the worker has partitions."""
        app = self.app
        try:
            consumer = app.consumer
            assigned = app.assignor.assigned_actives()
            changelogs = set(app.tables.changelog_topics)
        except Exception:
            return {}
        # Faust keeps the committed offsets (Kafka's "next offset to read") per partition.
        committed = getattr(consumer, "_committed_offset", {})
        fetched = last_fetched(consumer)
        out = {}
        for tp in assigned:
            if tp.topic in changelogs:
                continue
            try:
                # The last stable offset when the worker reads committed records (exactly_once).
                end = consumer.highwater(tp)
            except Exception:  # not started, or the partition was just revoked
                continue
            if end is None:
                continue
            out[tp] = records_behind(
                int(end), committed.get(tp), _fetch_position(consumer, tp), fetched.get(tp)
            )
        return out


def _fetch_position(consumer: Any, tp: Any) -> int | None:
    """aiokafka's fetch position of ``tp`` (it moves past transaction markers), or None.

    Read from the subscription state: ``AIOKafkaConsumer.position`` is a coroutine, and a
    scrape is not.
    """
    try:
        client = consumer._thread._ensure_consumer()
        state = client._subscription.subscription.assignment.state_value(tp)
    except Exception:  # not started, or the partition was just revoked
        return None
    if state is None or not state.has_valid_position:
        return None
    return int(state.position)
