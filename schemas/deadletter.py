"""Dead letters: messages a stage could not process, with the reason, ready to replay."""

from __future__ import annotations

from datetime import datetime

from schemas.base import SCHEMA_VERSION, WireRecord


class DeadLetter(WireRecord):
    """A message that failed a stage. Topic ``dead-letters``, key is the original key."""

    stage: str
    """Stage that failed: ``decode``, ``dedup``, ``extract``, ``poll``..."""
    error_type: str
    """Exception class or error kind (e.g. ``ValidationError``)."""
    error: str
    """Human-readable reason."""
    failed_at: datetime
    """When it failed (UTC)."""
    topic: str | None = None
    """Topic the message was read from."""
    partition: int | None = None
    """Partition it was read from."""
    offset: int | None = None
    """Offset it was read from."""
    key: str | None = None
    """Original key, decoded as UTF-8 (with replacement characters if it was not UTF-8)."""
    value: str | None = None
    """Original value: UTF-8 text, or base64 when ``value_encoding`` says so."""
    value_encoding: str = "utf-8"
    """``utf-8`` or ``base64``."""
    worker: str = ""
    """Host and pid of the worker that gave up."""
    schema_version: int = SCHEMA_VERSION
    """Version of this record's schema."""
    replay_count: int = 0
    """How many times the message had been replayed from dead letters when it failed here
    (0: it failed the first time; ``wirestream deadletters replay``)."""
    replayed_from: str | None = None
    """The dead letter it was replayed from (``topic/partition/offset``), when it was a replay."""
    value_bytes: int | None = None
    """Size in bytes of the original value (None for a tombstone)."""
    value_truncated: bool = False
    """True when ``value`` holds only the first bytes of an oversized original (not replayable)."""
    value_sha256: str | None = None
    """SHA-256 (hex) of the whole original value, so a truncated one can still be identified."""


class DeadLetterReplay(WireRecord):
    """A dead letter re-submitted to its original topic. Topic ``dead-letter-replays``
    (compacted), key is the dead letter's id: a dead letter with a record here is never
    re-submitted again."""

    dead_letter: str
    """Id of the dead letter: ``topic/partition/offset`` on the dead-letters topic."""
    topic: str
    """Topic the original message was re-submitted to."""
    replayed_at: datetime
    """When it was re-submitted (UTC)."""
    replay_count: int
    """Replays of this message so far, this one included (the header it was sent with)."""
    key: str | None = None
    """Key it was re-submitted with."""
    schema_version: int = SCHEMA_VERSION
    """Version of this record's schema."""
