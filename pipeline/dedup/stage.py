"""The dedup stage: exact id, exact body and near-duplicate checks over one durable store.

The store is any mutable mapping of article id → bytes: a Faust table (changelog-backed)
in the worker, a dict in tests. The in-memory index is derived from it and rebuilt from it
after a restart, so the store is the only state.

Time is the time carried in the records, never the wall clock, so replaying a stream
deduplicates it exactly as it did live. An entry's time is its publication time, or its
fetch time when it was fetched later than that (a backfill, an archive item, a feed that
dates entries in the past); it expires ``window`` after that, measured against the latest
entry time seen (the watermark). So an old story and its copies fetched together still meet,
and the index never holds more than a window's worth of fetched articles.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from pipeline.articles import to_duplicate, to_unique
from pipeline.dedup.config import DedupConfig
from pipeline.dedup.index import Entry, NearDupIndex
from schemas import Duplicate, RawArticle, UniqueArticle

_OFFSET = struct.Struct(">q")
#: Expire at most this often (in event time): expiry scans the index.
EXPIRE_EVERY = timedelta(hours=1)
#: A publication time this far after the fetch time is a feed's mistake, not the future.
MAX_CLOCK_SKEW = timedelta(days=1)

Kind = Literal["unique", "duplicate", "redelivered_unique", "redelivered_duplicate"]


@dataclass(frozen=True)
class Outcome:
    """What the stage decided for one article, and the record to publish."""

    kind: Kind
    unique: UniqueArticle | None = None
    duplicate: Duplicate | None = None


def event_time(raw: RawArticle) -> datetime:
    """The article's time for the window: published or fetched, whichever is later.

    A publication time more than a day after the fetch is a feed's mistake and is capped.
    """
    if raw.published is None:
        return raw.fetched
    return max(raw.fetched, min(raw.published, raw.fetched + MAX_CLOCK_SKEW))


def pack(offset: int, entry: Entry) -> bytes:
    """Store value: where the article was first read, then its index entry."""
    return _OFFSET.pack(offset) + entry.to_bytes()


def unpack(value: bytes) -> tuple[int, Entry]:
    """Inverse of ``pack``."""
    (offset,) = _OFFSET.unpack_from(value)
    return offset, Entry.from_bytes(value[_OFFSET.size :])


class DedupStage:
    """Decides unique vs duplicate for articles read in one total order."""

    def __init__(self, config: DedupConfig, store: MutableMapping[str, bytes]) -> None:
        self.config = config
        self.store = store
        self.index = NearDupIndex(config)
        self.watermark: datetime | None = None
        self._last_expiry: datetime | None = None

    def rebuild(self) -> int:
        """Rebuild the index (and the watermark) from the store; returns entries indexed."""
        newest: datetime | None = None

        def entries() -> Iterator[Entry]:
            nonlocal newest
            for value in self.store.values():
                _, entry = unpack(value)
                if newest is None or entry.published > newest:
                    newest = entry.published
                yield entry

        count = self.index.rebuild(entries(), expected=len(self.store))
        self.watermark = self._last_expiry = newest
        return count

    def process(self, raw: RawArticle, offset: int) -> Outcome:
        """Check one article read at ``offset``; update the store and index; say what to emit."""
        stored = self.store.get(raw.article_id)
        if stored is not None:
            first_offset, entry = unpack(stored)
            # The same record again: redelivered here (same offset), or forwarded twice by intake
            # after a crash before its commit (same fetch time and body, a later offset). A feed
            # that publishes the id again is fetched at another time.
            same = first_offset == offset or (
                entry.published == event_time(raw)
                and entry.fingerprint == to_unique(raw).fingerprint
            )
            return self._repeat(raw, entry, redelivered=same)
        when = event_time(raw)
        unique = to_unique(raw)
        match, entry = self.index.check(
            raw.article_id, unique.text, when, fingerprint=unique.fingerprint
        )
        # Duplicates are indexed too: a copy of this copy then resolves to the same original.
        self.index.add(entry)
        self.store[raw.article_id] = pack(offset, entry)
        self._advance(when)
        if match.verdict == "duplicate":
            assert match.duplicate_of is not None and match.method is not None
            return Outcome(
                "duplicate",
                duplicate=to_duplicate(
                    raw,
                    duplicate_of=match.duplicate_of,
                    method=match.method,
                    similarity=match.similarity,
                ),
            )
        unique.cluster_id = match.cluster_id
        unique.dedup_method = match.method
        return Outcome("unique", unique=unique)

    def _repeat(self, raw: RawArticle, entry: Entry, *, redelivered: bool) -> Outcome:
        if redelivered:
            # The same record again (a crash before a commit): repeat the first answer.
            if entry.duplicate_of is None:
                unique = to_unique(raw, cluster_id=entry.cluster_id)
                unique.dedup_method = entry.method
                return Outcome("redelivered_unique", unique=unique)
            return Outcome(
                "redelivered_duplicate",
                duplicate=to_duplicate(
                    raw,
                    duplicate_of=entry.duplicate_of,
                    method=entry.method or "minhash",
                    similarity=entry.similarity,
                ),
            )
        # The same id published again (another feed, a re-sent entry): a copy of itself.
        return Outcome(
            "duplicate",
            duplicate=to_duplicate(
                raw,
                duplicate_of=entry.duplicate_of or raw.article_id,
                method="article_id",
                similarity=1.0,
            ),
        )

    def _advance(self, when: datetime) -> None:
        if self.watermark is None or when > self.watermark:
            self.watermark = when
        if self._last_expiry is None:
            self._last_expiry = self.watermark
        if self.watermark - self._last_expiry >= EXPIRE_EVERY:
            self.expire()

    def expire(self) -> list[str]:
        """Forget entries published more than ``window`` before the watermark."""
        if self.watermark is None:
            return []
        self._last_expiry = self.watermark
        removed = self.index.expire(self.watermark)
        for article_id in removed:
            self.store.pop(article_id, None)
        return removed
