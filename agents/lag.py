"""Consumer lag per topic and partition, computed at each ``/metrics`` scrape."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import faust
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector


class ConsumerLag(Collector):
    """``wirestream_consumer_lag``: end offset minus committed offset of each input partition
    this worker holds (table changelogs excluded: recovery reads them, nothing commits them)."""

    def __init__(self, app: faust.App) -> None:
        self.app = app

    def collect(self) -> Iterator[GaugeMetricFamily]:
        """One sample per assigned input partition."""
        family = GaugeMetricFamily(
            "wirestream_consumer_lag",
            "Messages on an assigned input partition not yet processed and committed "
            "(end offset minus committed offset).",
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
        out = {}
        for tp in assigned:
            if tp.topic in changelogs:
                continue
            try:
                end = consumer.highwater(tp)
            except Exception:  # not started, or the partition was just revoked
                continue
            if end is not None:
                out[tp] = max(0, int(end) - int(committed.get(tp) or 0))
        return out
