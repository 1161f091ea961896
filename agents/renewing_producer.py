"""An idempotent producer that renews itself when the broker has forgotten its sequence numbers.

An idempotent producer numbers its batches per partition, and the broker refuses a batch whose
number does not follow the last one it holds. The embedded broker acknowledges writes before
they reach its disk, so after a SIGKILL it may have lost the last batches it acknowledged and,
with them, their sequence numbers: every later batch of that producer to that partition is then
refused with ``OutOfOrderSequenceNumber``, for good (aiokafka 0.14 does not reset its producer
id as the Java client does since KIP-360). Seen as a poller that never saved a feed's state
again after a broker SIGKILL, and re-published entries when its lease came back (issue 19).

A refused batch was not written, so a fresh producer (a new producer id, sequences from 0)
sending it again neither loses nor repeats a record.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence

from aiokafka import AIOKafkaProducer
from aiokafka.errors import OutOfOrderSequenceNumber, UnknownProducerId

log = logging.getLogger(__name__)

#: Errors that mean the broker no longer knows this producer's state; the batch was refused.
STATE_LOST: tuple[type[Exception], ...] = (OutOfOrderSequenceNumber, UnknownProducerId)


class RenewingProducer:
    """Sends keyed records and waits for the broker's acks, renewing a producer the broker
    has forgotten; one producer shared by concurrent callers."""

    def __init__(self, make: Callable[[], AIOKafkaProducer]) -> None:
        self._make = make
        self._producer: AIOKafkaProducer | None = None
        self._lock = asyncio.Lock()
        self.renewals = 0

    async def start(self) -> None:
        """Start the first producer."""
        producer = self._make()
        await producer.start()
        self._producer = producer

    async def stop(self) -> None:
        """Flush and stop the current producer."""
        producer, self._producer = self._producer, None
        if producer is not None:
            await producer.stop()

    async def send_all(self, topic: str, records: Sequence[tuple[str, bytes]]) -> None:
        """Send every ``(key, value)`` and return once the broker has acknowledged them all.

        Records refused because the broker lost this producer's state go out once more from a
        renewed producer; any other failure is raised (what was acknowledged stays written).
        """
        pending = list(records)
        for attempt in (1, 2):
            producer = self._producer
            if producer is None:
                raise RuntimeError("RenewingProducer.send_all before start()")
            futures = [await producer.send(topic, key=key, value=value) for key, value in pending]
            results = await asyncio.gather(*futures, return_exceptions=True)
            refused = [
                (record, result)
                for record, result in zip(pending, results, strict=True)
                if isinstance(result, BaseException)
            ]
            if not refused:
                return
            lost = [record for record, result in refused if isinstance(result, STATE_LOST)]
            if lost:
                await self._renew(producer, refused[0][1])
            other = [result for _, result in refused if not isinstance(result, STATE_LOST)]
            if other or attempt == 2:
                raise (other or [result for _, result in refused])[0]
            pending = lost

    async def _renew(self, failed: AIOKafkaProducer, reason: BaseException) -> None:
        async with self._lock:
            if id(self._producer) != id(failed):  # (not `is`: mypy would narrow `failed`)
                return  # another caller renewed it already
            log.warning(
                "the broker has lost this producer's sequence numbers (%r): sending from a "
                "new producer",
                reason,
            )
            fresh = self._make()
            await fresh.start()
            self._producer = fresh
            self.renewals += 1
        # Batches still in flight on the old producer finish (or fail and are retried by
        # their own caller) before it closes.
        try:
            await failed.stop()
        except Exception as exc:  # the old producer is gone either way
            log.debug("stopping the forgotten producer: %r", exc)
