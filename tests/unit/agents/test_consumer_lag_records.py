"""``wirestream_consumer_lag`` counts records, not offsets: transaction markers are no backlog."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from faust.types import TP

from agents.lag import ConsumerLag, records_behind

# A partition under exactly_once: data records at 0..9, then the commit marker of their
# transaction at 10, so the end (last stable offset) is 11 once the transaction committed.
END_AFTER_MARKER = 11


def test_caught_up_behind_a_commit_marker_is_zero() -> None:
    # Every record processed and committed (next to read: 10); the fetcher stepped over the marker.
    assert records_behind(END_AFTER_MARKER, 10, END_AFTER_MARKER, 9) == 0


def test_several_trailing_markers_are_no_backlog_either() -> None:
    # Three producers' transactions ended on the partition after its last record.
    assert records_behind(13, 10, 13, 9) == 0


def test_at_least_once_without_markers_is_end_minus_committed() -> None:
    assert records_behind(10, 10, 10, 9) == 0
    assert records_behind(100, 40, 60, 59) == 60


def test_a_backlog_not_fetched_yet_counts() -> None:
    assert records_behind(50, 10, 20, 19) == 40
    # Fetch position unknown (partition just assigned): offsets are all there is to go by.
    assert records_behind(END_AFTER_MARKER, 10, None, 9) == 1


def test_records_fetched_but_not_committed_count() -> None:
    # Fetched up to the end, the last record (9) queued for or taken by an agent, the commit at 5.
    assert records_behind(END_AFTER_MARKER, 5, END_AFTER_MARKER, 9) == 6
    # The last record alone in flight: the marker is not told apart, but 1 is not 0.
    assert records_behind(END_AFTER_MARKER, 9, END_AFTER_MARKER, 9) == 2


def test_nothing_committed_yet() -> None:
    assert records_behind(10, None, 0, None) == 10
    assert records_behind(0, None, None, None) == 0
    # Only a marker (an empty transaction's abort, say) in the partition, fetched past.
    assert records_behind(1, None, 1, None) == 0


def test_an_end_before_the_committed_offset_is_zero_not_negative() -> None:
    # A stale end offset (the fetch response that carries it is older than the commit).
    assert records_behind(8, 10, 10, 9) == 0


# --- the collector, on a stand-in for Faust's app ---------------------------------------------


@dataclass
class FakeState:
    position: int | None

    @property
    def has_valid_position(self) -> bool:
        return self.position is not None


@dataclass
class FakeConsumer:
    """Faust's consumer as the collector reads it: committed offsets, the end offset, and on
    its thread aiokafka's positions and the last fetched offsets (``fetched_offsets``)."""

    ends: dict[TP, int]
    positions: dict[TP, int | None]
    fetched: dict[TP, int]
    _committed_offset: dict[TP, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        states = {tp: FakeState(p) for tp, p in self.positions.items()}
        assignment = SimpleNamespace(state_value=states.get)
        client = SimpleNamespace(
            _subscription=SimpleNamespace(subscription=SimpleNamespace(assignment=assignment))
        )
        self._thread = SimpleNamespace(
            _ensure_consumer=lambda: client, _wirestream_last_fetched=self.fetched
        )

    def highwater(self, tp: TP) -> int:
        return self.ends[tp]


def _app(consumer: FakeConsumer, changelogs: set[str]) -> Any:
    return SimpleNamespace(
        consumer=consumer,
        assignor=SimpleNamespace(assigned_actives=lambda: set(consumer.ends)),
        tables=SimpleNamespace(changelog_topics=changelogs),
    )


def test_collector_reads_committed_position_and_last_fetched_of_each_partition() -> None:
    caught_up = TP("unique-articles", 0)
    behind = TP("unique-articles", 1)
    changelog = TP("link-state-changelog", 0)
    consumer = FakeConsumer(
        ends={caught_up: END_AFTER_MARKER, behind: 30, changelog: 99},
        positions={caught_up: END_AFTER_MARKER, behind: 12, changelog: 0},
        fetched={caught_up: 9, behind: 11},
        _committed_offset={caught_up: 10, behind: 12},
    )
    app = _app(consumer, {"link-state-changelog"})
    assert ConsumerLag(app).lags() == {caught_up: 0, behind: 18}
    samples = [s for family in ConsumerLag(app).collect() for s in family.samples]
    assert [(s.labels["partition"], s.value) for s in samples] == [("0", 0.0), ("1", 18.0)]


def test_collector_without_a_fetch_position_falls_back_to_offsets() -> None:
    tp = TP("raw-articles", 0)
    consumer = FakeConsumer(ends={tp: END_AFTER_MARKER}, positions={tp: None}, fetched={tp: 9})
    consumer._committed_offset[tp] = 10
    assert ConsumerLag(_app(consumer, set())).lags() == {tp: 1}


def test_a_record_waiting_in_an_agents_queue_is_lag() -> None:
    # Fetched to the end (record 0, marker 1) while the agent has not taken it yet (its spaCy
    # processes still load): nothing committed, so the record is behind.
    tp = TP("unique-articles", 1)
    consumer = FakeConsumer(ends={tp: 2}, positions={tp: 2}, fetched={tp: 0})
    assert ConsumerLag(_app(consumer, set())).lags() == {tp: 2}


async def test_the_fetch_patch_records_the_last_offset_handed_over_per_partition() -> None:
    from faust.transport.drivers.aiokafka import AIOKafkaConsumerThread

    from wirestream_core.fetched_offsets import install_fetched_offsets, last_fetched

    a, b = TP("raw-articles", 0), TP("raw-articles", 1)
    answers = [
        {a: [SimpleNamespace(offset=3), SimpleNamespace(offset=4)], b: []},
        {a: [SimpleNamespace(offset=1)]},  # after a seek back
        {},
    ]

    async def fetch(self: Any, *args: Any, **kwargs: Any) -> Any:
        return answers.pop(0)

    saved = AIOKafkaConsumerThread._fetch_records
    AIOKafkaConsumerThread._fetch_records = fetch  # type: ignore[method-assign]
    try:
        install_fetched_offsets()
        install_fetched_offsets()  # once only
        thread: Any = object.__new__(AIOKafkaConsumerThread)
        consumer = SimpleNamespace(_thread=thread)
        assert last_fetched(consumer) == {}
        await AIOKafkaConsumerThread._fetch_records(thread, None, set())
        assert last_fetched(consumer) == {a: 4}
        await AIOKafkaConsumerThread._fetch_records(thread, None, set())
        await AIOKafkaConsumerThread._fetch_records(thread, None, set())
        assert last_fetched(consumer) == {a: 1}
        assert not answers
    finally:
        AIOKafkaConsumerThread._fetch_records = saved  # type: ignore[method-assign]
