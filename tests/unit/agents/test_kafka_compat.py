"""Consumer-group patches for the embedded broker: truncated partitions, empty assignments."""

from __future__ import annotations

import asyncio
from typing import Any

from aiokafka.structs import TopicPartition

from wirestream_core.kafka_compat import (
    LivePartitions,
    install_empty_assignment_rejoin,
    rejoin_on_empty_assignment,
    seek_past_truncation,
    seek_with_streams_held,
)

A, B, C = (TopicPartition("raw", p) for p in range(3))


class FakeConsumer:
    """The three aiokafka calls the guard makes, over fixed committed and end offsets."""

    def __init__(self, committed: dict[Any, int | None], ends: dict[Any, int]) -> None:
        self.committed, self.ends = committed, ends
        self.position: dict[Any, int] = {}
        self.asked_ends: list[Any] = []

    async def seek_to_committed(self) -> dict[Any, int | None]:
        # aiokafka seeks only where an offset above 0 was committed
        self.position.update({tp: o for tp, o in self.committed.items() if o})
        return dict(self.committed)

    async def end_offsets(self, partitions: list[Any]) -> dict[Any, int]:
        self.asked_ends.extend(partitions)
        return {tp: self.ends[tp] for tp in partitions}

    def seek(self, tp: Any, offset: int) -> None:
        self.position[tp] = offset

    async def seek_to_beginning(self, *partitions: Any) -> bool:
        self.position.update(dict.fromkeys(partitions, 0))
        return True


def test_a_committed_offset_past_the_end_resumes_at_the_end() -> None:
    consumer = FakeConsumer({A: 109, B: 5, C: None}, {A: 100, B: 20, C: 0})
    sought = asyncio.run(seek_past_truncation(consumer))
    # A: the broker lost 100..108; new records will be written from 100, so read from there.
    assert sought == {A: 100, B: 5, C: None}
    # no committed offset: nothing to compare; C is read from its beginning
    assert consumer.position == {A: 100, B: 5, C: 0}
    assert C not in consumer.asked_ends


def test_offsets_within_the_partition_are_left_alone() -> None:
    consumer = FakeConsumer({A: 100, B: 0}, {A: 100, B: 7})
    assert asyncio.run(seek_past_truncation(consumer)) == {A: 100, B: 0}
    # B: aiokafka does not seek to a committed 0; it is the beginning anyway
    assert consumer.position == {A: 100, B: 0}


def test_a_partition_without_a_committed_offset_is_read_again_from_its_beginning() -> None:
    # What Faust leaves behind at an assignment: its fetcher got records 0..4 of A (nobody
    # committed A yet) and dropped them because A was paused for table recovery; aiokafka's
    # position is past them, and its seek to committed offsets does not move it.
    consumer = FakeConsumer({A: None, B: 3}, {B: 9})
    consumer.position = {A: 5, B: 7}
    assert asyncio.run(seek_past_truncation(consumer)) == {A: None, B: 3}
    assert consumer.position == {A: 0, B: 3}


def test_partitions_the_caller_excludes_are_not_rewound() -> None:
    # changelog partitions: Faust's recovery seeks them itself
    consumer = FakeConsumer({A: None, B: None}, {})
    consumer.position = {A: 5, B: 5}
    asyncio.run(seek_past_truncation(consumer, rewind=lambda tp: tp == A))
    assert consumer.position == {A: 0, B: 5}


def test_no_end_offsets_asked_when_nothing_was_committed() -> None:
    consumer = FakeConsumer({A: None, B: None}, {})
    assert asyncio.run(seek_past_truncation(consumer)) == {A: None, B: None}
    assert consumer.asked_ends == []


class FakeCoordinator:
    generation = 7

    def __init__(self) -> None:
        self.rejoins = 0

    def request_rejoin(self) -> None:
        self.rejoins += 1


class FakeRebalance:
    group_id = "g"

    def __init__(self) -> None:
        self._coordinator = FakeCoordinator()


def test_an_empty_assignment_is_a_failed_round_and_the_member_joins_again() -> None:
    rebalance = FakeRebalance()
    # aiokafka would decode b"" unchecked and its coordination task would die for good
    assert rejoin_on_empty_assignment(rebalance, ("faust", b"")) is None
    assert rebalance._coordinator.rejoins == 1


def test_a_real_assignment_or_a_failed_round_passes_through() -> None:
    rebalance = FakeRebalance()
    joined = ("faust", b"\x00\x00\x00\x00\x00\x00")
    assert rejoin_on_empty_assignment(rebalance, joined) is joined
    assert rejoin_on_empty_assignment(rebalance, None) is None
    assert rebalance._coordinator.rejoins == 0


def test_the_installed_join_hands_the_round_to_the_check() -> None:
    from aiokafka.consumer.group_coordinator import CoordinatorGroupRebalance

    install_empty_assignment_rejoin()
    install_empty_assignment_rejoin()  # once per process
    join = CoordinatorGroupRebalance.perform_group_join
    assert getattr(join, "_wirestream", False)
    assert not getattr(join.__wrapped__, "_wirestream", False)


def test_without_end_offsets_the_committed_ones_stand() -> None:
    from aiokafka.errors import KafkaTimeoutError

    class NoEnds(FakeConsumer):
        async def end_offsets(self, partitions: list[Any]) -> dict[Any, int]:
            raise KafkaTimeoutError()

    consumer = NoEnds({A: 109}, {})
    assert asyncio.run(seek_past_truncation(consumer)) == {A: 109}
    assert consumer.position == {A: 109}


def test_the_installed_guard_rewinds_stream_partitions_only() -> None:
    from faust.transport.drivers.aiokafka import AIOKafkaConsumerThread

    from wirestream_core.kafka_compat import install_truncation_guard

    install_truncation_guard()
    changelog = TopicPartition("app-table-changelog", 0)
    fake = FakeConsumer({A: None, changelog: None}, {})
    fake.position = {A: 5, changelog: 5}

    class Thread:
        class consumer:
            @staticmethod
            def _is_changelog_tp(tp: TopicPartition) -> bool:
                return str(tp.topic).endswith("-changelog")

        class app:
            class conf:
                consumer_auto_offset_reset = "earliest"

        async def call_thread(self, fun: Any, *args: Any, **kwargs: Any) -> Any:
            return await fun(*args, **kwargs)

        def _ensure_consumer(self) -> FakeConsumer:
            return fake

    asyncio.run(AIOKafkaConsumerThread.seek_to_committed(Thread()))  # type: ignore[arg-type]
    assert fake.position == {A: 0, changelog: 5}


class FakeFaustConsumer:
    """The parts of Faust's consumer the held seek touches, with a drain loop's hand-over."""

    def __init__(self) -> None:
        self.tps = {A, B, TopicPartition("app-table-changelog", 0)}
        self._paused_partitions: set[Any] = set()
        self.active: set[Any] = set(self.tps)
        self._read_offset: dict[Any, int | None] = {A: 7, B: None}
        self._gap: dict[Any, str] = {A: "gap seen before the seek"}
        self.handed: list[tuple[Any, int]] = []

    def assignment(self) -> set[Any]:
        return set(self.tps)

    def _is_changelog_tp(self, tp: Any) -> bool:
        return bool(tp.topic.endswith("-changelog"))

    def pause_partitions(self, tps: set[Any]) -> None:
        self.active -= tps
        self._paused_partitions |= tps

    def resume_partitions(self, tps: set[Any]) -> None:
        self.active |= tps
        self._paused_partitions -= tps

    def hand_over(self, tp: Any, offset: int) -> None:
        """The drain loop: a record of an active partition goes to the agents."""
        if tp in self.active:
            self.handed.append((tp, offset))
        self._read_offset[tp] = offset  # set either way, as Faust's loop does


def test_no_stream_record_is_handed_over_while_the_seek_runs_and_read_offsets_stay_sought() -> None:
    consumer = FakeFaustConsumer()
    committed = {A: 10, B: 3}

    async def faust_seek() -> None:
        # Faust's perform_seek: the seek's round trips, during which the drain loop runs
        # with records fetched from the committed offsets before the seek...
        consumer.hand_over(A, 10)
        await asyncio.sleep(0)
        consumer._read_offset.update(committed)

    async def late() -> None:
        # ...and a hand-over under way since before the hold that ends after the seek
        for _ in range(5):
            await asyncio.sleep(0)
        consumer._read_offset[A] = 30

    async def both() -> None:
        pending = asyncio.ensure_future(late())
        await seek_with_streams_held(consumer, faust_seek)
        await pending

    asyncio.run(both())
    assert consumer.handed == [], "stream partitions were held back during the seek"
    assert consumer._read_offset[A] == 10 and consumer._read_offset[B] == 3
    assert A not in consumer._gap
    assert consumer.active == consumer.tps, "every partition resumed"


def test_a_seek_with_the_flow_stopped_keeps_the_gaps_of_events_in_flight() -> None:
    # Faust's drain loop seeks when a revocation stops its flow, while a batch read before is
    # still in the spaCy process; its gaps let the commit before the revocation cover it
    # (round 16: without them the drill's survivor committed one transaction marker at a time).
    consumer = FakeFaustConsumer()
    consumer.flow_active = False  # type: ignore[attr-defined]

    async def faust_seek() -> None:
        consumer._read_offset.update({A: 5, B: 3})

    asyncio.run(seek_with_streams_held(consumer, faust_seek))
    assert consumer._gap == {A: "gap seen before the seek"}
    assert consumer._read_offset[A] == 5


def test_partitions_paused_before_the_seek_stay_paused() -> None:
    consumer = FakeFaustConsumer()
    consumer.pause_partitions({B})

    async def faust_seek() -> None:
        await asyncio.sleep(0)

    asyncio.run(seek_with_streams_held(consumer, faust_seek))
    assert B not in consumer.active and A in consumer.active


def test_aiokafka_reads_an_emptied_live_set_as_no_partition() -> None:
    # aiokafka's Fetcher.fetched_records skips a buffered partition only if
    # `partitions and tp not in partitions`: an emptied plain set would let every one through.
    active: set[Any] = {A}
    view = LivePartitions(active)
    active.clear()  # Faust paused every partition while the fetch waited

    def handed(partitions: Any) -> list[Any]:
        return [tp for tp in (A, B) if not (partitions and tp not in partitions)]

    assert handed(active) == [A, B], "the plain set: all partitions"
    assert handed(view) == []
    active.add(B)
    assert handed(view) == [B]
