"""A compact multimap from 32-bit key tags to int32 row numbers, in two numpy arrays.

Open addressing with linear probing. Callers pass 64-bit keys; the table keeps their low
32 bits (the *tag*) and derives the home slot from the tag, so it can rehash itself
without the original keys. A key may map to many rows (an LSH bucket), and a lookup also
returns rows of other keys that share the tag (about one in 150 lookups at 27 million
keys), so callers verify what they get; the near-duplicate index does anyway. Removal
leaves a tombstone so probe runs stay intact; inserts reuse tombstones and rehashing drops
them. 8 bytes per slot, against 100+ for a Python dict entry with its key object: this is
what lets 27 keys per article fit for a million articles. Operations are vectorised over
a batch of keys.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

EMPTY = -1
TOMBSTONE = -2
MAX_LOAD = 0.75
"""Fraction of slots in use (live or tombstone) that triggers a rehash."""
TARGET_LOAD = 0.6
"""Fraction of slots in use right after a rehash: short probe runs, and room to grow. 0.6 (0.45
before round 15) takes the table at 1M articles' 44M keys from 746 to 559 MiB; a lookup of a
missing key reads ~3.6 slots on average instead of ~2.2 (linear probing), which a check's 44
keys do not notice (``wirestream bench dedup``, README)."""
MIN_CAPACITY = 64
_CHUNK = 1 << 20
_SMALL = 4096
_TINY = 64
"""Up to this many keys (one article's: its id, fingerprint and bands) go through plain loops."""
_LOW32 = np.uint64(0xFFFFFFFF)
_SHIFT32 = np.uint64(32)

Keys = npt.NDArray[np.uint64]
Rows = npt.NDArray[np.int32]
Index = npt.NDArray[np.int64]


class KeyTable:
    """Multimap of uint64 keys (compared on their low 32 bits) to non-negative int32 rows."""

    def __init__(self, capacity: int = MIN_CAPACITY) -> None:
        self._cap = max(MIN_CAPACITY, int(capacity))
        self._tags = np.zeros(self._cap, dtype=np.uint32)
        self._rows = np.full(self._cap, EMPTY, dtype=np.int32)
        self._live = 0
        self._dead = 0

    def __len__(self) -> int:
        return self._live

    @property
    def capacity(self) -> int:
        """Number of slots."""
        return self._cap

    @property
    def tombstones(self) -> int:
        """Slots freed by ``remove`` and not yet reused."""
        return self._dead

    @property
    def nbytes(self) -> int:
        """Bytes held by the slot arrays."""
        return int(self._tags.nbytes + self._rows.nbytes)

    def reserve(self, n: int) -> None:
        """Make room for ``n`` more pairs without another rehash."""
        if self._live + self._dead + n > MAX_LOAD * self._cap:
            self._rehash(self._live + n)

    def _home(self, tags: npt.NDArray[np.uint32]) -> Index:
        # Lemire's multiply-shift maps a 32-bit tag onto [0, capacity) without a modulo.
        home = (tags.astype(np.uint64) * np.uint64(self._cap)) >> _SHIFT32
        return home.astype(np.int64)

    def insert(self, keys: Keys, rows: Rows) -> None:
        """Add a (key, row) pair for each element (adding a pair twice stores it twice)."""
        if keys.size == 0:
            return
        self.reserve(int(keys.size))
        self._place((keys & _LOW32).astype(np.uint32), rows.astype(np.int32, copy=False))

    def _place(self, tags: npt.NDArray[np.uint32], rows: Rows) -> None:
        if tags.size <= _TINY:
            self._place_tiny(tags, rows)
            return
        # Bounded chunks keep the temporaries small when a million articles are re-indexed.
        for start in range(0, tags.size, _CHUNK):
            self._place_chunk(tags[start : start + _CHUNK], rows[start : start + _CHUNK])

    def _place_chunk(self, tags: npt.NDArray[np.uint32], rows: Rows) -> None:
        cap, home = self._cap, self._home(tags)
        pending = np.arange(tags.size)
        offset = np.zeros(tags.size, dtype=np.int64)
        written: list[Index] = []
        while pending.size:
            slot = (home[pending] + offset[pending]) % cap
            free = self._rows[slot] < 0
            cand, cslot = pending[free], slot[free]
            if tags.size <= _SMALL:
                written.append(cslot)
                before = self._rows[cslot]
                self._dead -= int(
                    np.count_nonzero(before[np.unique(cslot, return_index=True)[1]] == TOMBSTONE)
                )
            # Several keys may aim at one free slot in the same round: write them all, read
            # back, and the pairs that stuck are placed (equal pairs share one slot).
            self._rows[cslot] = rows[cand]
            self._tags[cslot] = tags[cand]
            won = (self._rows[cslot] == rows[cand]) & (self._tags[cslot] == tags[cand])
            placed = np.zeros(tags.size, dtype=bool)
            placed[cand[won]] = True
            pending = pending[~placed[pending]]
            offset[pending] += 1
        if tags.size <= _SMALL:
            self._live += int(np.unique(np.concatenate(written)).size) if written else 0
        else:
            self._live = int(np.count_nonzero(self._rows >= 0))
            self._dead = int(np.count_nonzero(self._rows == TOMBSTONE))

    def _place_tiny(self, tags: npt.NDArray[np.uint32], rows: Rows) -> None:
        """``_place_chunk`` for one article's keys: a plain loop, as numpy's per-call overhead
        costs more than the work on a few dozen keys (equal pairs again share one slot)."""
        cap, slot_rows, slot_tags = self._cap, self._rows, self._tags
        placed: set[tuple[int, int]] = set()
        for tag, row, home in zip(
            tags.tolist(), rows.tolist(), self._home(tags).tolist(), strict=True
        ):
            if (tag, row) in placed:
                continue
            slot = home
            while (held := slot_rows.item(slot)) >= 0:
                slot = slot + 1 if slot + 1 < cap else 0
            if held == TOMBSTONE:
                self._dead -= 1
            slot_rows[slot] = row
            slot_tags[slot] = tag
            placed.add((tag, row))
            self._live += 1

    def _probe_tiny(self, keys: Keys) -> tuple[Index, Index]:
        """``_probe`` for a few dozen keys, as a plain loop (see ``_place_tiny``)."""
        cap, slot_rows, slot_tags = self._cap, self._rows, self._tags
        tags = (keys & _LOW32).astype(np.uint32)
        found_i: list[int] = []
        found_s: list[int] = []
        for i, (tag, home) in enumerate(zip(tags.tolist(), self._home(tags).tolist(), strict=True)):
            slot = home
            for _ in range(cap):
                held = slot_rows.item(slot)
                if held == EMPTY:
                    break
                if held >= 0 and slot_tags.item(slot) == tag:
                    found_i.append(i)
                    found_s.append(slot)
                slot = slot + 1 if slot + 1 < cap else 0
        return np.array(found_i, dtype=np.int64), np.array(found_s, dtype=np.int64)

    def _probe(self, keys: Keys) -> tuple[Index, Index]:
        """Every live slot whose tag matches a key, as (key index, slot) arrays."""
        if keys.size <= _TINY:
            return self._probe_tiny(keys)
        tags = (keys & _LOW32).astype(np.uint32)
        home = self._home(tags)
        active = np.arange(keys.size)
        offset = 0
        found_i: list[Index] = []
        found_s: list[Index] = []
        while active.size and offset < self._cap:
            slot = (home[active] + offset) % self._cap
            rows = self._rows[slot]
            hit = (rows >= 0) & (self._tags[slot] == tags[active])
            if hit.any():
                found_i.append(active[hit])
                found_s.append(slot[hit])
            active = active[rows != EMPTY]
            offset += 1
        if not found_i:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty
        return np.concatenate(found_i), np.concatenate(found_s)

    def lookup(self, keys: Keys) -> tuple[Index, Rows]:
        """Rows stored under each key, as parallel (index into ``keys``, row) arrays."""
        idx, slots = self._probe(keys)
        return idx, self._rows[slots]

    def remove(self, keys: Keys, rows: Rows) -> int:
        """Remove the (key, row) pairs; returns how many slots were freed."""
        if keys.size == 0:
            return 0
        idx, slots = self._probe(keys)
        slots = np.unique(slots[self._rows[slots] == rows.astype(np.int32, copy=False)[idx]])
        self._rows[slots] = TOMBSTONE
        self._live -= int(slots.size)
        self._dead += int(slots.size)
        return int(slots.size)

    def _rehash(self, expected: int) -> None:
        keep = np.flatnonzero(self._rows >= 0)
        tags, rows = self._tags[keep], self._rows[keep]
        self._cap = max(MIN_CAPACITY, int(expected / TARGET_LOAD) + 1)
        self._tags = np.zeros(self._cap, dtype=np.uint32)
        self._rows = np.full(self._cap, EMPTY, dtype=np.int32)
        self._live = self._dead = 0
        self._place(tags, rows)
