"""Under exactly_once, keep a commit and the extraction agent's sends out of each other's way.

``transactions.SENT_NOT_ACKED`` makes a commit wait (one interval at most) for sent but not
yet acknowledged extraction batches; but a batch may begin its sends *after* the commit has
looked (and found none) and before it has taken its producers' locks, so the batch's records
land in the transaction being committed while the offsets committed with it are older. A
SIGKILL before the next commit then repeats those records (issue 19's counting drill: 15
enriched records of 264, with their events and mentions, over 3 kills, no commit logged as
waiting). Here a commit closes a gate first: a batch does not begin its sends while a commit
is under way, and the commit waits (up to ``SEND_WAIT``) for the batches already sending.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from wirestream_core.transactions import SENT_NOT_ACKED, SentNotAcked

log = logging.getLogger(__name__)

#: Longest wait of a commit for batches already sending (their broker round trip and ack).
SEND_WAIT = 10.0


class CommitGate:
    """Closed while a commit is under way; sends that must share their events' transaction
    pass it first, and may start only while it is open."""

    def __init__(self) -> None:
        self._commits = 0
        self._open: asyncio.Event | None = None

    def _event(self) -> asyncio.Event:
        if self._open is None:
            self._open = asyncio.Event()
            self._open.set()
        return self._open

    @property
    def closed(self) -> bool:
        """True while a commit is under way."""
        return self._commits > 0

    async def passage(self) -> None:
        """Wait until no commit is under way (return at once when none is)."""
        while self._commits:
            await self._event().wait()

    @contextlib.asynccontextmanager
    async def committing(self) -> AsyncIterator[None]:
        """Close the gate for the length of a commit."""
        self._commits += 1
        self._event().clear()
        try:
            yield
        finally:
            self._commits -= 1
            if not self._commits:
                self._event().set()


#: The worker's gate (one Faust app per process).
COMMIT_GATE = CommitGate()


async def gated_commit(
    commit: Callable[[], Awaitable[bool]],
    gate: CommitGate = COMMIT_GATE,
    sending: SentNotAcked = SENT_NOT_ACKED,
    wait: float = SEND_WAIT,
) -> bool:
    """Run ``commit`` with the gate closed, once the batches already sending are acknowledged
    (or ``wait`` seconds have passed: then it commits anyway and says so)."""
    async with gate.committing():
        # No batch begins its sends from here on; those already sending finish them.
        if not await sending.settled(wait):
            log.warning(
                "committing with %d sent event(s) not acknowledged after %.1f s",
                sending.count,
                wait,
            )
        return await commit()


def install_commit_gate() -> None:
    """Wrap Faust's commits under exactly_once in ``COMMIT_GATE`` (once; install it after
    ``transactions.install_commit_after_acks``, so that it is the outer wrapper)."""
    from faust.transport.consumer import Consumer

    inner = Consumer.force_commit
    if getattr(inner, "_wirestream_gate", False):
        return

    @functools.wraps(inner)
    async def force_commit(
        self: Any, topics: Any = None, start_new_transaction: bool = True
    ) -> bool:
        async def commit() -> bool:
            return bool(await inner(self, topics, start_new_transaction=start_new_transaction))

        if not self.in_transaction:
            return await commit()
        return await gated_commit(commit)

    force_commit._wirestream_gate = True  # type: ignore[attr-defined]
    Consumer.force_commit = force_commit  # type: ignore[method-assign]
