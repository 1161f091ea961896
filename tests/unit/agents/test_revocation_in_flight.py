"""Under exactly_once a revocation with an extraction batch in flight commits that batch with
every offset it covers (wirestream_core/commit_gate.py, ``settle_before_revoke``), replayed on
Faust's own revocation, acks, gap bookkeeping and commit serialisation, with the seek its drain
loop makes once the flow stops (issue 19, round 15 run 8: the survivor of the two-worker drill
repeated 5 enriched records sent during a revocation)."""

from __future__ import annotations

import asyncio
import inspect
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from faust.transport.consumer import Consumer
from faust.types import TP
from intervaltree import IntervalTree

from wirestream_core.commit_gate import commit_before_revoke
from wirestream_core.commit_offsets import new_offset
from wirestream_core.kafka_compat import seek_with_streams_held

#: Faust's own revocation, without the wrappers other tests may have installed in this process.
FAUST_REVOKE = inspect.unwrap(Consumer.on_partitions_revoked)
TP_ = TP("unique-articles", 3)
COMMITTED = 30
#: Records of ``unique-articles`` 3 as the survivor read them: transaction markers (no record
#: delivered) at 35, 38 and 40, as dedup commits a transaction every 0.2 s under load.
HANDLED = [30, 31, 32, 33, 34]  # sent and acknowledged before the revocation
IN_FLIGHT = [36, 37, 39, 41, 42]  # one extraction batch, in the spaCy process at the revocation


@dataclass(eq=False)
class Message:
    """What ``Consumer.ack`` reads of a message."""

    offset: int
    tp: TP = TP_
    topic: str = TP_.topic
    acked: bool = False


class Flow:
    """Faust's flow control, recorded."""

    def __init__(self, steps: list[str]) -> None:
        self.steps = steps

    def suspend(self) -> None:
        self.steps.append("flow suspended")

    def clear(self) -> None:
        self.steps.append("queues cleared")


@dataclass
class App:
    steps: list[str]
    should_stop: bool = False
    client_only: bool = False
    conf: Any = field(default_factory=lambda: type("Conf", (), {"stream_wait_empty": True})())
    topics: Any = field(
        default_factory=lambda: type("Topics", (), {"acks_enabled_for": lambda self, t: True})()
    )

    def __post_init__(self) -> None:
        self.flow_control = Flow(self.steps)

    def _start_span_from_rebalancing(self, name: str) -> Any:
        return _NoSpan()


class _NoSpan:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


class Worker:
    """Faust's consumer bookkeeping for one partition (its own ``ack``, ``commit``, ack wait and
    ``on_partitions_revoked``, which forgets acks and gaps), one open transaction at a time, and
    an extraction batch that the revocation's wait lets finish, as in Faust."""

    ack = Consumer.ack
    commit = Consumer.commit
    maybe_wait_for_commit_to_finish = Consumer.maybe_wait_for_commit_to_finish
    _wait_for_ack = Consumer._wait_for_ack
    _clean_unacked_messages = Consumer._clean_unacked_messages

    def __init__(self) -> None:
        self.steps: list[str] = []
        self.app = App(self.steps)
        self.loop = asyncio.get_running_loop()
        self.in_transaction = True
        self.flow_active = True
        self.seek: asyncio.Future[None] | None = None
        self.should_stop = False
        self._acked: defaultdict[TP, list[int]] = defaultdict(list)
        self._acked_index: defaultdict[TP, set[int]] = defaultdict(set)
        self._gap: defaultdict[TP, IntervalTree] = defaultdict(IntervalTree)
        self._committed_offset: defaultdict[TP, int | None] = defaultdict(lambda: None)
        self._committed_offset[TP_] = COMMITTED
        self._read_offset: defaultdict[TP, int | None] = defaultdict(lambda: None)
        self._read_offset[TP_] = COMMITTED - 1  # as the held seek leaves it
        self._active_partitions: set[TP] | None = {TP_}
        self._paused_partitions: set[TP] = set()
        self._unacked_messages: set[Message] = set()
        self._n_acked = 0
        self._waiting_for_ack: asyncio.Future[Any] | None = None
        self._commit_fut: asyncio.Future[Any] | None = None
        #: Records sent into the open transaction (by source offset), and each ended
        #: transaction: its records and the offset committed with them.
        self.open_records: list[int] = []
        self.ended: list[tuple[list[int], int | None]] = []
        self.batch: asyncio.Task[None] | None = None

    # -- reading and processing --------------------------------------------------------

    async def read(self, offsets: list[int]) -> list[Message]:
        """The drain loop's reads, with its gap arithmetic; each message handed to an agent."""
        messages = []
        for offset in offsets:
            r_offset = self._read_offset[TP_]
            if r_offset is not None and offset - r_offset > 1:
                await Consumer._add_gap(self, TP_, r_offset + 1, offset)  # type: ignore[arg-type]
            self._read_offset[TP_] = offset
            message = Message(offset)
            self._unacked_messages.add(message)
            messages.append(message)
        return messages

    def send_and_ack(self, messages: list[Message]) -> None:
        self.open_records.extend(m.offset for m in messages)
        for message in messages:
            self.ack(message)  # type: ignore[arg-type]

    def start_batch(self, messages: list[Message]) -> None:
        async def in_spacy() -> None:
            await asyncio.sleep(0.05)
            self.send_and_ack(messages)

        self.batch = asyncio.ensure_future(in_spacy())

    # -- Faust's commit (one transaction), its revocation and the consumer's parts ----------

    async def force_commit(self, topics: Any = None, start_new_transaction: bool = True) -> bool:
        offset = new_offset(self, TP_) if self._acked[TP_] else None
        if offset is None:
            return False
        await asyncio.sleep(0)  # the broker's round trips
        self._committed_offset[TP_] = offset
        self.ended.append((self.open_records, offset))
        self.open_records = []
        self.steps.append(f"commit {offset}")
        return True

    async def _on_partitions_revoked(self, revoked: set[TP]) -> None:
        """What Faust's app does after forgetting the bookkeeping (``_on_partitions_revoked``):
        stop the flow, wait for the events in flight (``wait_empty``: a commit while it waits,
        then one ending the transactions)."""
        self.steps.append("faust waits for events in flight")
        if self.batch is not None:
            await self.batch
        await self.commit()
        await self.commit(start_new_transaction=False)

    def stop_flow(self) -> None:
        """Faust's, and its drain loop's answer: a seek to the committed offsets (held,
        ``kafka_compat``), which resets the read offsets while the batch is in flight."""
        self.steps.append("flow stopped")
        self.flow_active = False
        self.seek = asyncio.ensure_future(seek_with_streams_held(self, self.perform_seek))

    async def perform_seek(self) -> None:
        await asyncio.sleep(0)
        self._read_offset[TP_] = self._committed_offset[TP_]

    def _is_changelog_tp(self, tp: TP) -> bool:
        return False

    def pause_partitions(self, tps: Any) -> None:
        self.steps.append("paused")

    def resume_partitions(self, tps: Any) -> None:
        return None

    def assignment(self) -> set[TP]:
        return {TP_}

    def repeated(self) -> list[int]:
        """Source offsets of committed records at or past the committed offset: whoever
        reads the partition next processes them again."""
        final = self.ended[-1][1]  # the broker's: Faust forgets its own at the revocation
        assert final is not None
        return [o for records, _ in self.ended for o in records if o >= final]


async def revocation(wrap: bool) -> Worker:
    worker = Worker()
    worker.send_and_ack(await worker.read(HANDLED))
    worker.start_batch(await worker.read(IN_FLIGHT))
    revoke = FAUST_REVOKE
    if wrap:
        revoke = commit_before_revoke(revoke)
    await revoke(worker, {TP_})  # type: ignore[arg-type]
    return worker


def test_faust_alone_commits_the_batch_without_its_offsets() -> None:
    # Why the fix: the acks and gaps are forgotten before the batch finishes, so each commit
    # stops at the next marker and the transaction ends with records past the last one.
    worker = asyncio.run(revocation(wrap=False))
    assert worker.repeated() == [41, 42]


def test_a_revocation_finishes_and_commits_the_batch_before_faust_forgets() -> None:
    worker = asyncio.run(revocation(wrap=True))
    assert worker.repeated() == []
    assert worker._committed_offset[TP_] is None, "Faust forgot the partition afterwards"
    committed = [offset for _, offset in worker.ended]
    assert committed[-1] == IN_FLIGHT[-1] + 1, worker.steps
    # The flow stopped before the wait, and Faust's own wait found nothing left to do.
    assert worker.steps.index("flow stopped") < worker.steps.index("commit 43")
    assert worker.steps[-1] == "faust waits for events in flight"


def test_a_stopping_worker_only_commits() -> None:
    async def run() -> Worker:
        worker = Worker()
        worker.app.should_stop = True
        worker.send_and_ack(await worker.read(HANDLED))
        await commit_before_revoke(FAUST_REVOKE)(worker, {TP_})  # type: ignore[arg-type]
        return worker

    worker = asyncio.run(run())
    assert "flow stopped" not in worker.steps
    assert worker.steps[0] == "commit 35"


def test_nothing_revoked_or_no_transaction_is_left_to_faust() -> None:
    async def run(in_transaction: bool, revoked: set[TP]) -> list[str]:
        worker = Worker()
        worker.in_transaction = in_transaction
        await commit_before_revoke(FAUST_REVOKE)(worker, revoked)  # type: ignore[arg-type]
        return worker.steps

    assert asyncio.run(run(False, {TP_})) == ["faust waits for events in flight"]
    assert asyncio.run(run(True, set())) == ["faust waits for events in flight"]
