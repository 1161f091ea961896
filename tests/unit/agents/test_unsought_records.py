"""Stream records fetched between an assignment and its seek never reach the agents
(``wirestream_core/unsought.py``): they are read again from the offsets sought, once."""

from __future__ import annotations

import asyncio
from typing import Any

from aiokafka.structs import TopicPartition

from wirestream_core.kafka_compat import seek_with_streams_held
from wirestream_core.unsought import SoughtPartitions, install_unsought_drop, sought_partitions

STREAM = TopicPartition("app.unique-articles", 0)
OTHER = TopicPartition("app.unique-articles", 1)
CHANGELOG = TopicPartition("app-link-state-changelog", 0)


def is_changelog(tp: Any) -> bool:
    return bool(tp.topic.endswith("-changelog"))


def test_records_of_a_partition_not_sought_are_dropped_and_counted() -> None:
    state = SoughtPartitions()
    fetched = {STREAM: [10, 11], CHANGELOG: [3]}
    assert state.filter(fetched, is_changelog) == {CHANGELOG: [3]}, "table recovery reads on"
    assert state.mark_sought([STREAM]) == {STREAM: 2}
    assert state.filter(fetched, is_changelog) == fetched
    assert state.mark_sought([STREAM]) == {}, "counted once"


def test_an_assignment_or_revocation_makes_a_partition_wait_for_its_next_seek() -> None:
    state = SoughtPartitions()
    state.mark_sought([STREAM, OTHER])
    state.forget([STREAM])
    assert state.filter({STREAM: [5], OTHER: [7]}, is_changelog) == {OTHER: [7]}


class Consumer:
    """Faust's consumer as the held seek and the drain loop see it, fetching from aiokafka
    positions that start at the committed offsets as soon as a partition is assigned."""

    def __init__(self, committed: dict[Any, int], log_end: int) -> None:
        self.committed = committed
        self.position = dict(committed)
        self.log_end = log_end
        self._paused_partitions: set[Any] = set()
        self._read_offset: dict[Any, int | None] = {}
        self._gap: dict[Any, Any] = {}
        self.processed: list[tuple[Any, int]] = []

    def assignment(self) -> set[Any]:
        return set(self.committed)

    def _is_changelog_tp(self, tp: Any) -> bool:
        return is_changelog(tp)

    def pause_partitions(self, tps: set[Any]) -> None:
        self._paused_partitions |= tps

    def resume_partitions(self, tps: set[Any]) -> None:
        self._paused_partitions -= tps

    def drain_once(self) -> None:
        """One fetch of the active partitions, through the filter, to the agents."""
        fetched = {
            tp: list(range(self.position[tp], self.log_end))
            for tp in self.assignment()
            if tp not in self._paused_partitions
        }
        for tp in fetched:
            self.position[tp] = self.log_end
        for tp, records in sought_partitions(self).filter(fetched, is_changelog).items():
            for offset in records:
                self.processed.append((tp, offset))
                self._read_offset[tp] = offset

    async def perform_seek(self) -> None:
        self.position.update(self.committed)
        self._read_offset.update(self.committed)


def test_records_fetched_before_the_seek_are_processed_once() -> None:
    # issue 19: a restarted worker's drain loop got records fetched from the committed
    # offsets before its assignment's seek; the seek read them again and under exactly_once
    # both runs' records were committed (6 articles repeated).
    consumer = Consumer({STREAM: 20, OTHER: 7}, log_end=23)

    async def assignment() -> None:
        sought_partitions(consumer).forget(consumer.assignment())
        consumer.drain_once()  # the race: before the seek
        await seek_with_streams_held(consumer, consumer.perform_seek)
        consumer.drain_once()
        consumer.drain_once()

    asyncio.run(assignment())
    assert sorted(consumer.processed) == [(STREAM, 20), (STREAM, 21), (STREAM, 22)] + [
        (OTHER, offset) for offset in range(7, 23)
    ]


def test_faust_consumer_fetch_is_filtered() -> None:
    install_unsought_drop()
    install_unsought_drop()  # once per process
    from faust.transport.consumer import ThreadDelegateConsumer

    class Thread:
        async def getmany(self, active: Any, timeout: float) -> dict[Any, list[int]]:
            return {STREAM: [1], CHANGELOG: [2]}

    class Fake:
        _thread = Thread()

        def _is_changelog_tp(self, tp: Any) -> bool:
            return is_changelog(tp)

    fake = Fake()
    got = asyncio.run(ThreadDelegateConsumer._getmany(fake, None, 1.0))  # type: ignore[arg-type]
    assert got == {CHANGELOG: [2]}
    sought_partitions(fake).mark_sought([STREAM])
    got = asyncio.run(ThreadDelegateConsumer._getmany(fake, None, 1.0))  # type: ignore[arg-type]
    assert got == {STREAM: [1], CHANGELOG: [2]}


def test_a_seek_with_the_flow_stopped_does_not_let_records_through() -> None:
    # Faust's drain loop seeks to the committed offsets when its flow stopped mid-fetch (a
    # rebalance): that may come after the assignment and before its own seek.
    consumer = Consumer({STREAM: 20}, log_end=22)
    consumer.flow_active = False  # type: ignore[attr-defined]

    async def drain_loop_seek() -> None:
        await seek_with_streams_held(consumer, consumer.perform_seek)

    asyncio.run(drain_loop_seek())
    consumer.drain_once()
    assert consumer.processed == []
    consumer.flow_active = True  # type: ignore[attr-defined]
    asyncio.run(drain_loop_seek())
    consumer.drain_once()
    assert consumer.processed == [(STREAM, 20), (STREAM, 21)]
