"""Stale aborted-transaction listings (wirestream_core/stale_aborts.py), on hand-built batches."""

from __future__ import annotations

import struct

from wirestream_core.stale_aborts import BatchHead, batch_heads, settle_listing

A, B = 1002, 1003  # producer ids


def _zigzag(value: int) -> bytes:
    n = (value << 1) ^ (value >> 63)
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def batch(
    base: int, producer_id: int, *, count: int = 1, txn: bool = True, marker: int | None = None
) -> bytes:
    """A record batch v2 (CRC left 0: the guard does not check it); ``marker`` 0/1 makes it an
    ABORT/COMMIT control batch."""
    attributes = (0x10 if txn else 0) | (0x20 if marker is not None else 0)
    if marker is not None:
        key = struct.pack(">hh", 0, marker)
        body = b"\x00" + _zigzag(0) + _zigzag(0) + _zigzag(len(key)) + key + _zigzag(6)
        body += b"\x00" * 6 + _zigzag(0)
        records = _zigzag(len(body)) + body
    else:
        records = b""
        for i in range(count):
            body = b"\x00" + _zigzag(0) + _zigzag(i) + _zigzag(-1) + _zigzag(1) + b"x" + _zigzag(0)
            records += _zigzag(len(body)) + body
    header = struct.pack(
        ">ibIhiqqqhii", 0, 2, 0, attributes, count - 1, 0, 0, producer_id, 0, 0, count
    )
    payload = header + records
    return struct.pack(">qi", base, len(payload)) + payload


def heads(data: bytes) -> list[BatchHead]:
    return list(batch_heads(data))


def test_batch_heads_read_offsets_producers_and_marker_types() -> None:
    data = batch(31, A, count=3) + batch(34, B, txn=False) + batch(35, A, marker=1)
    data += batch(36, B, marker=0)
    found = heads(data)
    assert [(h.base_offset, h.producer_id, h.transactional, h.commit) for h in found] == [
        (31, A, True, None),
        (34, B, False, None),
        (35, A, True, True),
        (36, B, True, False),
    ]
    assert found[0].start == 0 and found[1].start == len(batch(31, A, count=3))


def test_a_partial_batch_at_the_end_is_left_out() -> None:
    data = batch(4, A, count=2) + batch(6, A, marker=1)
    assert [h.base_offset for h in heads(data[:-3])] == [4]


def test_an_abort_whose_marker_precedes_a_commit_is_dropped_and_remembered() -> None:
    # The drill's case: aborted at 16..26, marker 27; the same producer id commits from 31.
    data = batch(31, A, count=4) + batch(35, A, marker=1) + batch(36, A, count=2)
    memory: dict[tuple[int, int], int] = {}
    kept, cut = settle_listing([(A, 16)], 31, heads(data), memory)
    assert (kept, cut) == ([], None)
    # Later fetches drop it without looking, even with no control batch in sight.
    assert settle_listing([(A, 16)], 36, heads(batch(36, A, count=2)), memory) == ([], None)


def test_an_abort_still_running_at_the_fetch_offset_is_kept() -> None:
    # A transaction from 10 spans the fetch offset 12 and is aborted at 14.
    data = batch(12, A, count=2) + batch(14, A, marker=0) + batch(15, A, count=1)
    memory: dict[tuple[int, int], int] = {}
    kept, cut = settle_listing([(A, 10)], 12, heads(data), memory)
    assert (kept, cut) == ([(A, 10)], None)
    # Past its marker it is stale.
    assert settle_listing([(A, 10)], 15, heads(batch(15, A, count=1)), memory)[0] == []


def test_older_entries_of_a_producer_are_stale_and_later_ones_kept() -> None:
    data = batch(40, B, txn=False) + batch(41, A, marker=1) + batch(42, A, count=1)
    data += batch(45, A, marker=0)
    kept, cut = settle_listing([(A, 3), (A, 20), (A, 42)], 40, heads(data), {})
    assert (sorted(kept), cut) == ([(A, 42)], None)


def test_records_are_cut_where_the_fate_of_a_transaction_is_not_yet_known() -> None:
    # Producer A's batch at 52 belongs to a transaction whose control batch lies past the last
    # stable offset; the records of other producers before it are delivered.
    first = batch(50, B, txn=False, count=2)
    data = first + batch(52, A, count=2) + batch(54, B, txn=False)
    kept, cut = settle_listing([(A, 16)], 50, heads(data), {})
    assert cut == len(first)
    assert kept == [(A, 16)]


def test_entries_without_batches_of_their_producer_change_nothing() -> None:
    data = batch(60, B, txn=False, count=3)
    kept, cut = settle_listing([(A, 16), (B, 70)], 60, heads(data), {})
    assert (sorted(kept), cut) == ([(A, 16), (B, 70)], None)
