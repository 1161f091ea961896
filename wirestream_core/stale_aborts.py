"""Aborted-transaction listings a read_committed fetch has already passed: found and dropped.

A Kafka broker lists, in a read_committed fetch response, the aborted transactions whose range
overlaps the records returned, as (producer id, first offset); the client skips a listed
producer's transactional batches from that first offset until the producer's abort marker.
The embedded broker (noida-db 0.2.3) lists every aborted transaction of the partition, also
those whose abort marker lies *before* the fetch offset. A client (aiokafka, like the Java
one) then takes the producer for aborted and, meeting no abort marker of it any more, skips
every later batch of that producer id, committed ones included; a worker restarted after a
crash keeps its producer id (only the epoch is bumped), so all its later output was hidden.

The listing only gives each transaction's first offset, so which entries are stale is found
from the log itself, exactly (a producer has at most one transaction open per partition, and
the control batch ending it is the producer's first after its start):

- an entry starting at or past the fetch offset ends past it: kept;
- of one producer's entries starting before the fetch offset, all but the latest ended before
  the next began, so before the fetch offset: stale;
- the latest ends at the producer's first control batch at or past the fetch offset, if any:
  a COMMIT there means the aborted one ended earlier (stale, and the batches up to the commit
  are the committed transaction's); an ABORT means it may be the one (kept: the batches up to
  the marker are skipped either way, and the marker clears the producer);
- when the records returned hold the producer's transactional batches but not its next
  control batch (the broker stops at the last stable offset), their fate is not known yet:
  the records are cut before the first of them, and a later fetch, once the control batch
  is stable, tells.

Staleness, once known, holds for every later fetch offset and is remembered per partition.
"""

from __future__ import annotations

import struct
from collections import defaultdict
from collections.abc import Iterator, MutableMapping, Sequence
from dataclasses import dataclass

#: Record batch v2 header: base offset, batch length, ..., magic at 16, attributes at 21,
#: producer id at 43; the records start at 61.
_LOG_OVERHEAD = 12
_MAGIC_AT = 16
_ATTRIBUTES_AT = 21
_PRODUCER_ID_AT = 43
_RECORDS_AT = 61
_TRANSACTIONAL = 0x10
_CONTROL = 0x20
_COMMIT_MARKER = 1

#: (producer id, first offset) -> the fetch offset from which the entry is known stale.
StaleEntries = MutableMapping[tuple[int, int], int]


@dataclass(frozen=True)
class BatchHead:
    """What the guard needs of one record batch: where it lies and whose it is."""

    start: int  # byte offset in the records buffer
    base_offset: int
    producer_id: int  # -1 for none (and for message formats before v2)
    transactional: bool
    commit: bool | None  # a control batch: True for COMMIT, False for ABORT; None otherwise


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    """A zigzag varint at ``pos``: (value, position after it)."""
    shift = result = 0
    while True:
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return (result >> 1) ^ -(result & 1), pos
        shift += 7


def _marker_is_commit(data: bytes, records_at: int) -> bool:
    """The type of the control record at ``records_at`` (length, attributes, timestamp
    delta, offset delta, key length, then the key: version int16, type int16)."""
    _, pos = _varint(data, records_at)  # record length
    pos += 1  # attributes
    _, pos = _varint(data, pos)  # timestamp delta
    _, pos = _varint(data, pos)  # offset delta
    _, pos = _varint(data, pos)  # key length
    (kind,) = struct.unpack_from(">h", data, pos + 2)
    return bool(kind == _COMMIT_MARKER)


def batch_heads(data: bytes) -> Iterator[BatchHead]:
    """The complete record batches in a fetch response's records, in order."""
    pos, size = 0, len(data)
    while size - pos >= _LOG_OVERHEAD:
        base_offset, length = struct.unpack_from(">qi", data, pos)
        end = pos + _LOG_OVERHEAD + length
        if end > size or length < _RECORDS_AT - _LOG_OVERHEAD:
            return  # a partial batch at the end: the client fetches it again
        if data[pos + _MAGIC_AT] != 2:
            yield BatchHead(pos, base_offset, -1, False, None)
        else:
            (attributes,) = struct.unpack_from(">h", data, pos + _ATTRIBUTES_AT)
            (producer_id,) = struct.unpack_from(">q", data, pos + _PRODUCER_ID_AT)
            commit = _marker_is_commit(data, pos + _RECORDS_AT) if attributes & _CONTROL else None
            yield BatchHead(
                pos, base_offset, producer_id, bool(attributes & _TRANSACTIONAL), commit
            )
        pos = end


def settle_listing(
    aborted: Sequence[tuple[int, int]],
    fetch_offset: int,
    heads: Sequence[BatchHead],
    stale: StaleEntries,
) -> tuple[list[tuple[int, int]], int | None]:
    """The aborted transactions of one partition's fetch response that may still apply, and
    the byte length to keep of its records (None: all of them); see the module docstring.

    ``stale`` is the partition's memory of stale entries, updated here.
    """
    kept: list[tuple[int, int]] = []
    early: dict[int, list[int]] = defaultdict(list)
    for producer_id, first_offset in aborted:
        known = stale.get((producer_id, first_offset))
        if known is not None and fetch_offset >= known:
            continue
        if first_offset >= fetch_offset:
            kept.append((producer_id, first_offset))
        else:
            early[producer_id].append(first_offset)
    cut: int | None = None
    for producer_id, firsts in early.items():
        firsts.sort()
        for first_offset in firsts[:-1]:
            stale[(producer_id, first_offset)] = fetch_offset
        latest = firsts[-1]
        pending: BatchHead | None = None
        for head in heads:
            if head.producer_id != producer_id:
                continue
            if head.commit is True:
                stale[(producer_id, latest)] = fetch_offset
                break
            if head.commit is False:
                # It ended at this marker or before: stale for any fetch past the marker.
                stale[(producer_id, latest)] = head.base_offset + 1
                kept.append((producer_id, latest))
                break
            if head.transactional and pending is None:
                pending = head
        else:
            kept.append((producer_id, latest))
            if pending is not None:
                cut = pending.start if cut is None else min(cut, pending.start)
    return kept, cut
