"""The offset of the last record aiokafka handed to Faust, per partition (for the lag metric).

Under exactly_once each transaction leaves a commit marker on every partition it wrote: a
marker takes an offset but is no record, and the fetcher steps over it. So "end offset minus
committed offset" stays above 0 on a partition that is caught up. Whether anything is left to
do cannot be read from offsets alone; it can from the records fetched: once the fetch position
has reached the end and no record at or past the committed offset was handed over, what lies
between them are markers. Faust's own bookkeeping does not tell: its monitor sees a record only
when an agent takes it from its queue, and its read offset is set to the committed offset by a
seek, whether or not that record was read.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

_ATTRIBUTE = "_wirestream_last_fetched"


def install_fetched_offsets() -> None:
    """Record, on Faust's consumer thread, the offset of the last record of each partition that
    aiokafka handed over (once)."""
    from faust.transport.drivers.aiokafka import AIOKafkaConsumerThread

    # Its own marker: other patches of the same method copy theirs along (functools.wraps).
    if getattr(AIOKafkaConsumerThread._fetch_records, "_wirestream_fetched", False):
        return
    original = AIOKafkaConsumerThread._fetch_records

    @functools.wraps(original)
    async def _fetch_records(self: Any, *args: Any, **kwargs: Any) -> Any:
        records = await original(self, *args, **kwargs)
        if records:
            last = self.__dict__.setdefault(_ATTRIBUTE, {})
            for tp, batch in records.items():
                if batch:
                    # The last, not the highest: after a seek back it is the re-read one.
                    last[tp] = int(batch[-1].offset)
        return records

    _fetch_records._wirestream_fetched = True  # type: ignore[attr-defined]
    AIOKafkaConsumerThread._fetch_records = _fetch_records  # type: ignore[method-assign]


def last_fetched(consumer: Any) -> Mapping[Any, int]:
    """Offset of the last record handed over per partition by Faust ``consumer``'s fetcher
    (empty when the patch is not installed or nothing was fetched yet)."""
    thread = getattr(consumer, "_thread", None)
    found: Mapping[Any, int] = getattr(thread, _ATTRIBUTE, None) or {}
    return found
