"""The offset Faust commits for a partition: every record below it handled, no further back.

Faust (faust-streaming 0.15.3, ``Consumer._new_offset``) commits the end of the first run of
consecutive offsets among the acknowledged ones, filling in the gaps it saw while reading
(offsets no record was delivered for: transaction markers, compacted records). A gap it
records reaches up to *and including* the offset of the record read after it, which is
acknowledged as well, so that offset is in the list twice, and the run ends there. On a topic
written in transactions (``unique-articles`` under exactly_once: a marker after every
transaction) a commit then covers only the records up to the first marker, however many after
it are handled, and catches up one marker per commit. Under exactly_once the records of those
handled events are in the transaction being committed, their offsets not: a SIGKILL before the
offsets catch up repeats them (issue 19's counting drill: the batch emitted for
``unique-articles`` 0 offsets 18-30, markers at 21, 24, 27 and 29, was committed with offset
23; the worker killed 0.2 s later, the 9 articles from 23 on came out twice). Here the list is
taken without repeats, so the commit covers every handled record; nothing else changes.

Faust's drain loop records a gap only ``if gap > 1 and r_offset``: after the record at offset 0
the read offset 0 is false, so the markers between it and the next record delivered are never
filled in, and the commit stops at 1 while the records after them are handled and sent (issue
19, round 15, with ``WIRESTREAM_LOG_COMMITS=1``: an extraction batch sent ``unique-articles`` 3
offsets 0, 2, 3, 4 — a marker at 1 — and its transaction ended with offset 1: the records of
2-4 committed without their offsets until the next commit). ``ReadOffsets`` makes a read offset
of 0 true to that test, so the gap after the first record is filled like any other.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any


class FirstOffset(int):
    """Offset 0 as a read offset: true to a truth test (Faust tests ``r_offset`` for None)."""

    def __bool__(self) -> bool:
        return True


FIRST = FirstOffset(0)


class ReadOffsets(defaultdict[Any, Any]):
    """Faust's read offsets (partition -> last offset handed over, or None), 0 read as ``FIRST``."""

    def __getitem__(self, tp: Any) -> Any:
        offset = super().__getitem__(tp)
        return FIRST if offset == 0 and offset is not None else offset


def new_offset(consumer: Any, tp: Any) -> int | None:
    """Faust's ``Consumer._new_offset`` with each acknowledged or gap offset counted once."""
    from faust.utils.functional import consecutive_numbers

    acked: list[int] = consumer._acked[tp]
    if not acked:
        return None
    max_offset = max(acked)
    gaps = consumer._gap[tp]
    if gaps:
        # Gaps up to the highest acknowledged offset count as handled (as in Faust).
        candidates = sorted(gaps.overlap(0, max_offset), key=lambda gap: gap.begin)
        if candidates:
            filled = [o for gap in candidates for o in range(gap.begin, gap.end)]
            acked.extend(filled)
            gaps.chop(0, max(filled[-1], max_offset + 1))
    acked[:] = sorted(set(acked))
    committed = consumer._committed_offset[tp]
    if committed and acked[0] - committed > 1:
        return None  # a record at the head is not handled yet (as in Faust)
    run = next(consecutive_numbers(acked))
    del acked[: len(run)]
    consumer._acked_index[tp].difference_update(run)
    return int(run[-1]) + 1


def install_whole_commit_offsets() -> None:
    """Make Faust's consumers commit with ``new_offset`` and keep ``ReadOffsets`` (once)."""
    from faust.transport.consumer import Consumer

    if getattr(Consumer._new_offset, "_wirestream", False):
        return
    init = Consumer.__init__

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        init(self, *args, **kwargs)
        self._read_offset = ReadOffsets(lambda: None, self._read_offset)

    Consumer.__init__ = __init__  # type: ignore[method-assign]

    def _new_offset(self: Any, tp: Any) -> int | None:
        return new_offset(self, tp)

    _new_offset._wirestream = True  # type: ignore[attr-defined]
    Consumer._new_offset = _new_offset  # type: ignore[method-assign]
