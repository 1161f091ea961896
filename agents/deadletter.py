"""Building dead-letter records: the original bytes, where they came from, and why they failed."""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import socket
import weakref
from collections.abc import Awaitable, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from faust.types import EventT

from schemas import DeadLetter
from schemas.decode import RecordError

if TYPE_CHECKING:
    from agents.app import Wiring

log = logging.getLogger(__name__)

_WORKER = f"{socket.gethostname()}:{os.getpid()}"

#: Value bytes a dead letter keeps. The letter goes through the same producer as any record
#: (1,000,000-byte requests) to a broker that takes batches of at most 1 MiB uncompressed, so
#: a poison message of 10 MB keeps its first 64 KiB, its size and its SHA-256 (issue 19).
MAX_KEPT_VALUE_BYTES = 64 * 1024
#: Key bytes a dead letter keeps (keys are ids: anything longer is itself the fault).
MAX_KEPT_KEY_BYTES = 1024

#: Headers a replayed message carries (set by ``wirestream deadletters replay``).
REPLAY_COUNT_HEADER = "wirestream-replay-count"
REPLAY_OF_HEADER = "wirestream-replay-of"


def replay_headers(headers: Any) -> tuple[int, str | None]:
    """(replay count, dead letter id) from a message's headers; (0, None) if not a replay."""
    if not headers:
        return 0, None
    items = headers.items() if isinstance(headers, Mapping) else headers
    found = {k: v for k, v in items if k in (REPLAY_COUNT_HEADER, REPLAY_OF_HEADER)}
    raw_count, raw_of = found.get(REPLAY_COUNT_HEADER), found.get(REPLAY_OF_HEADER)
    try:
        count = int(raw_count.decode() if isinstance(raw_count, bytes) else raw_count or 0)
    except ValueError:
        count = 0
    of = raw_of.decode("utf-8", "replace") if isinstance(raw_of, bytes) else raw_of
    return count, of


def dead_letter(
    *,
    stage: str,
    error: BaseException | str,
    key: bytes | str | None = None,
    value: bytes | str | None = None,
    topic: str | None = None,
    partition: int | None = None,
    offset: int | None = None,
    headers: Any = None,
) -> DeadLetter:
    """A DeadLetter for a message; non-UTF-8 values are kept verbatim as base64, values over
    MAX_KEPT_VALUE_BYTES only in part (``value_truncated``, with their size and SHA-256).

    ``headers``: the message's Kafka headers, which say whether it was a replay.
    """
    if isinstance(error, BaseException):
        error_type, reason = type(error).__name__, str(error) or repr(error)
    else:
        error_type, reason = "Rejected", error
    raw = value.encode("utf-8", "surrogatepass") if isinstance(value, str) else value
    text, encoding, truncated = _kept_value(raw)
    replay_count, replayed_from = replay_headers(headers)
    return DeadLetter(
        stage=stage,
        error_type=error_type,
        error=reason[:2000],
        failed_at=datetime.now(UTC),
        topic=topic,
        partition=partition,
        offset=offset,
        key=_kept_key(key),
        value=text,
        value_encoding=encoding,
        value_bytes=len(raw) if raw is not None else None,
        value_truncated=truncated,
        value_sha256=hashlib.sha256(raw).hexdigest() if raw is not None else None,
        worker=_WORKER,
        replay_count=replay_count,
        replayed_from=replayed_from,
    )


def _kept_value(raw: bytes | None) -> tuple[str | None, str, bool]:
    """(text, encoding, truncated): UTF-8 text when the whole value is UTF-8, else base64,
    of at most MAX_KEPT_VALUE_BYTES of it."""
    if raw is None:
        return None, "utf-8", False
    kept, truncated = raw[:MAX_KEPT_VALUE_BYTES], len(raw) > MAX_KEPT_VALUE_BYTES
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return base64.b64encode(kept).decode("ascii"), "base64", truncated
    # The whole value is UTF-8, so "ignore" can only drop a character the cut split in two.
    return kept.decode("utf-8", "ignore"), "utf-8", truncated


def _kept_key(key: bytes | str | None) -> str | None:
    if key is None:
        return None
    raw = key.encode("utf-8", "surrogateescape") if isinstance(key, str) else key
    return raw[:MAX_KEPT_KEY_BYTES].decode("utf-8", "replace")


def original_value(letter: DeadLetter) -> bytes | None:
    """The failed message's value bytes, for replay."""
    if letter.value is None:
        return None
    if letter.value_encoding == "base64":
        return base64.b64decode(letter.value)
    return letter.value.encode("utf-8")


async def park(
    w: Wiring,
    stage: str,
    event: EventT[Any],
    error: BaseException | str,
    *,
    current: bool = False,
) -> Awaitable[Any]:
    """Send the message behind ``event`` to the dead-letter topic with the reason.

    ``current``: make ``event`` the current event first (needed when handling batches).
    Returns the send's delivery future (done when the broker has the dead letter).
    """
    if current:
        set_current_event(event)
    m = event.message
    if isinstance(error, RecordError | str):
        log.warning("dead letter from %s at %s offset %s: %s", stage, m.tp, m.offset, error)
    else:
        log.error("dead letter from %s at %s offset %s: %r", stage, m.tp, m.offset, error)
    key = m.key[:MAX_KEPT_KEY_BYTES] if isinstance(m.key, bytes) else m.key
    sent = await w.topics.dead_letters.send(
        key=key,
        value=dead_letter(
            stage=stage,
            error=error,
            key=m.key,
            value=m.value,
            topic=m.topic,
            partition=m.partition,
            offset=m.offset,
            headers=m.headers,
        ),
    )
    w.metrics.messages_out.labels(stage, "dead_letter").inc()
    return sent


def set_current_event(event: EventT[Any]) -> None:
    """Make ``event`` Faust's current event in this task.

    Sends and table writes use the current event to pick their partition (and, under
    exactly_once, their transaction); in a batch Faust's own notion is the last event read.
    """
    from faust.streams import _current_event

    _current_event.set(weakref.ref(event))
