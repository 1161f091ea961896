"""The offset committed for a partition written in transactions covers every handled record
(wirestream_core/commit_offsets.py), replayed with Faust's own gap bookkeeping."""

from __future__ import annotations

from collections import defaultdict

import pytest
from faust.transport.consumer import Consumer
from faust.types import TP
from intervaltree import IntervalTree

from wirestream_core.commit_offsets import ReadOffsets, new_offset

TP_ = TP("unique-articles", 0)
#: What issue 19's drill read of unique-articles 0: transaction markers at 21, 24, 27, 29.
DELIVERED = [18, 19, 20, 22, 23, 25, 26, 28, 30]


class FaustReader:
    """Faust's consumer bookkeeping for one partition: reads (with its gap arithmetic from
    ``_drain_messages``), acks and commits."""

    def __init__(self, committed: int | None) -> None:
        self._acked: defaultdict[TP, list[int]] = defaultdict(list)
        self._acked_index: defaultdict[TP, set[int]] = defaultdict(set)
        self._gap: defaultdict[TP, IntervalTree] = defaultdict(IntervalTree)
        self._committed_offset: defaultdict[TP, int | None] = defaultdict(lambda: committed)
        self.read_offset: int | None = None

    async def read(self, offset: int) -> None:
        r_offset = self.read_offset
        if r_offset and offset - r_offset > 1:
            await Consumer._add_gap(self, TP_, r_offset + 1, offset)  # type: ignore[arg-type]
        self.read_offset = offset

    def ack(self, offset: int) -> None:
        self._acked[TP_].append(offset)
        self._acked_index[TP_].add(offset)

    def commit(self, compute: object) -> int | None:
        new = compute(self, TP_)  # type: ignore[operator]
        if new is not None and Consumer._should_commit(self, TP_, new):  # type: ignore[arg-type]
            self._committed_offset[TP_] = new
        return self._committed_offset[TP_]


async def handled(committed: int) -> FaustReader:
    reader = FaustReader(committed)
    reader.read_offset = committed - 1  # as the held seek leaves it (kafka_compat)
    for offset in DELIVERED:
        await reader.read(offset)
    for offset in DELIVERED:
        reader.ack(offset)
    return reader


async def test_faust_commits_only_up_to_the_first_marker_of_a_handled_batch() -> None:
    # Why the patch: every record 18..30 is handled, yet Faust commits 23 (issue 19).
    reader = await handled(18)
    assert reader.commit(Consumer._new_offset) == 23


async def test_the_commit_covers_every_handled_record_across_transaction_markers() -> None:
    reader = await handled(18)
    assert reader.commit(new_offset) == 31
    assert reader._acked[TP_] == [] and reader._acked_index[TP_] == set()


@pytest.mark.parametrize("unhandled", [22, 25, 30])
async def test_no_commit_passes_a_record_not_yet_handled(unhandled: int) -> None:
    reader = FaustReader(18)
    reader.read_offset = 17
    for offset in DELIVERED:
        await reader.read(offset)
    for offset in DELIVERED:
        if offset < unhandled:  # acknowledged in read order, up to the one still in hand
            reader.ack(offset)
    committed = reader.commit(new_offset)
    assert committed is not None and committed <= unhandled


async def test_a_fresh_partition_with_nothing_acknowledged_commits_nothing() -> None:
    reader = FaustReader(None)
    assert reader.commit(new_offset) is None


async def test_the_markers_after_a_partitions_first_record_are_filled_in() -> None:
    # Round 15's drill, unique-articles 3: records 0, 2, 3, 4 handled (a marker at 1); with
    # Faust's read offsets the commit stopped at 1, and the transaction ending with it held the
    # records of 2-4 without their offsets.
    for read_offsets, expected in ((defaultdict(lambda: None), 1), (ReadOffsets(lambda: None), 5)):
        reader = FaustReader(None)
        for offset in (0, 2, 3, 4):
            r_offset = read_offsets[TP_]  # Faust's drain loop, as in _drain_messages
            if r_offset is None or offset >= r_offset:
                if offset - (r_offset or 0) > 1 and r_offset:
                    await Consumer._add_gap(reader, TP_, r_offset + 1, offset)  # type: ignore[arg-type]
                read_offsets[TP_] = offset
            reader.ack(offset)
        assert reader.commit(new_offset) == expected, type(read_offsets).__name__


def test_read_offsets_keep_none_and_every_other_offset() -> None:
    read_offsets = ReadOffsets(lambda: None, {TP_: 0})
    assert read_offsets[TP_] == 0 and read_offsets[TP_]
    assert read_offsets[TP("unique-articles", 1)] is None
    read_offsets[TP_] = 7
    assert read_offsets[TP_] == 7 and read_offsets.get(TP_) == 7
