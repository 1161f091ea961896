"""The near-duplicate and story-cluster index: exact fingerprints, MinHash LSH, a time window.

An article is compared with every indexed article whose body fingerprint equals its own
(a copy differing only in whitespace, quotes or boilerplate lines) or that shares an LSH
band with it; each LSH candidate is scored on its full signature. The best candidate at or
above ``threshold`` makes the article a duplicate of that candidate's first-seen article;
at or above ``cluster_threshold`` the article joins the candidate's story cluster.

Memory: signatures live in one preallocated uint16 matrix (256 bytes an article at 128
permutations) and the fingerprint, id and band keys in one ``KeyTable`` (8 bytes a slot),
so a million articles take about 1 GB; datasketch's own ``MinHashLSH`` keeps a bytes key
per band per article in Python dicts and sets, several times more (evaluation/README.md).

State is rebuilt from entries: ``Entry.to_bytes`` is what a changelog-backed table stores,
and ``rebuild`` gives the same answers as the index that was built article by article.
"""

from __future__ import annotations

import hashlib
import logging
import struct
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Literal

import numpy as np
import numpy.typing as npt

from pipeline.dedup.config import DedupConfig
from pipeline.dedup.heap import trim_heap
from pipeline.dedup.minhash import (
    Signature,
    band_keys,
    shingles_of,
    signature_of,
    similarities,
    words_of_core,
)
from pipeline.dedup.salient import (
    SLOTS,
    Salient,
    salient_core,
    salient_of,
    starts_apart,
    substitutes,
)
from pipeline.dedup.salient import empty as no_salient
from pipeline.dedup.table import TARGET_LOAD, KeyTable
from pipeline.normalise.text import fingerprint as text_fingerprint

log = logging.getLogger(__name__)

Verdict = Literal["new", "duplicate"]
Method = Literal["fingerprint", "minhash", "containment", "substitution"]

#: ``containment``: the shorter text is (estimated) contained in the longer one (a trimmed or
#: extended copy). ``substitution``: a near-duplicate that changes a place, number, date or name
#: (``salient``), so not a copy; the article joins that candidate's story cluster.
_METHODS: tuple[Method | None, ...] = (
    None,
    "fingerprint",
    "minhash",
    "containment",
    "substitution",
)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_NO_SIGNATURE: Signature = np.zeros(0, dtype=np.uint16)
_NO_SIGNATURE.flags.writeable = False
_GROWTH = 1.5
_BATCH = 1 << 16
_MAX_TIME = np.iinfo(np.int64).max


def _micros(when: datetime) -> int:
    if when.tzinfo is None:
        raise ValueError(f"dedup needs timezone-aware datetimes, got {when!r}")
    return (when - _EPOCH) // timedelta(microseconds=1)


def _key64(person: bytes, value: str) -> int:
    digest = hashlib.blake2b(value.encode("utf-8"), digest_size=8, person=person).digest()
    return int.from_bytes(digest, "little")


def _id_key(article_id: str) -> int:
    return _key64(b"ws-dedup-id", article_id)


def _fp_key(fingerprint: str) -> int:
    return _key64(b"ws-dedup-fp", fingerprint) if fingerprint else 0


# --- entries -----------------------------------------------------------------------------

_FORMAT = 2
_FORMATS = (1, 2)
"""Format 1 (before copy verification) has no shingle count and no salient words; it still
reads, and such entries are compared by similarity alone."""
_HEAD = struct.Struct("<BBIqfBH")
_SHINGLES = struct.Struct("<I")
_F_SAME_CLUSTER = 1
_F_DUPLICATE = 2
_F_MATCHED = 4
_F_SALIENT = 8
_SALIENT_BYTES = SLOTS * 3 * 4


def _put(out: bytearray, text: str) -> None:
    data = text.encode("utf-8")
    out += struct.pack("<H", len(data))
    out += data


def _get(view: memoryview, at: int) -> tuple[str, int]:
    (size,) = struct.unpack_from("<H", view, at)
    at += 2
    return bytes(view[at : at + size]).decode("utf-8"), at + size


@dataclass(frozen=True, eq=False, slots=True)
class Entry:
    """What the index keeps for one article, and what a durable table stores to rebuild it."""

    article_id: str
    fingerprint: str
    """Body fingerprint (``pipeline.normalise.text.fingerprint``); empty for empty bodies."""
    signature: Signature = field(repr=False)
    """b-bit MinHash; empty for texts too short to compare by shingles."""
    published: datetime
    """Publication time (timezone-aware); the entry expires ``window`` after it."""
    cluster_id: str
    """Story cluster: the id of the cluster's first article."""
    duplicate_of: str | None = None
    """First-seen article this one copies, if it is a duplicate."""
    method: Method | None = None
    """How the duplicate or cluster neighbour was found."""
    similarity: float = 0.0
    """Similarity to that article (1.0 for a fingerprint match)."""
    matched: str | None = None
    """The article compared with (see ``Match.matched``)."""
    sketch_id: int = 0
    """``DedupConfig.sketch_id`` of the signature; entries of other configs are not comparable."""
    shingles: int = 0
    """Distinct shingles of the text (for containment); 0 when unknown (format 1)."""
    salient: Salient = field(default_factory=no_salient, repr=False)
    """Salient words and their contexts (``pipeline.dedup.salient``); empty when unknown."""

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Entry):
            return NotImplemented
        return (
            self.article_id == other.article_id
            and self.fingerprint == other.fingerprint
            and np.array_equal(self.signature, other.signature)
            and self.published == other.published
            and self.cluster_id == other.cluster_id
            and self.duplicate_of == other.duplicate_of
            and self.method == other.method
            and np.float32(self.similarity) == np.float32(other.similarity)
            and self.matched == other.matched
            and self.sketch_id == other.sketch_id
            and self.shingles == other.shingles
            and np.array_equal(self.salient, other.salient)
        )

    def to_bytes(self) -> bytes:
        """Compact binary form (~320 bytes at 128 permutations, 384 more with salient words)."""
        has_salient = bool(self.salient[0, 0])
        flags = (
            (_F_SAME_CLUSTER if self.cluster_id == self.article_id else 0)
            | (_F_DUPLICATE if self.duplicate_of is not None else 0)
            | (_F_MATCHED if self.matched is not None else 0)
            | (_F_SALIENT if has_salient else 0)
        )
        out = bytearray(
            _HEAD.pack(
                _FORMAT,
                flags,
                self.sketch_id,
                _micros(self.published),
                self.similarity,
                _METHODS.index(self.method),
                self.signature.size,
            )
        )
        out += _SHINGLES.pack(self.shingles)
        _put(out, self.article_id)
        _put(out, self.fingerprint)
        if not flags & _F_SAME_CLUSTER:
            _put(out, self.cluster_id)
        if self.duplicate_of is not None:
            _put(out, self.duplicate_of)
        if self.matched is not None:
            _put(out, self.matched)
        out += self.signature.astype("<u2").tobytes()
        if has_salient:
            out += self.salient.astype("<u4").tobytes()
        return bytes(out)

    @classmethod
    def from_bytes(cls, data: bytes) -> Entry:
        """Inverse of ``to_bytes``; raises ValueError for anything else."""
        view = memoryview(data)
        try:
            version, flags, sketch, micros, sim, method, size = _HEAD.unpack_from(view, 0)
            if version not in _FORMATS:
                raise ValueError(f"unknown dedup entry format {version}")
            at = _HEAD.size
            shingles = 0
            if version >= 2:
                (shingles,) = _SHINGLES.unpack_from(view, at)
                at += _SHINGLES.size
            article_id, at = _get(view, at)
            fp, at = _get(view, at)
            cluster_id = article_id
            if not flags & _F_SAME_CLUSTER:
                cluster_id, at = _get(view, at)
            duplicate_of = None
            if flags & _F_DUPLICATE:
                duplicate_of, at = _get(view, at)
            matched = None
            if flags & _F_MATCHED:
                matched, at = _get(view, at)
            extra = _SALIENT_BYTES if flags & _F_SALIENT else 0
            if len(view) - at != 2 * size + extra:
                raise ValueError("dedup entry has the wrong length")
            sig = np.frombuffer(data, dtype="<u2", count=size, offset=at).astype(np.uint16)
            salient = no_salient()
            if extra:
                flat = np.frombuffer(data, dtype="<u4", count=SLOTS * 3, offset=at + 2 * size)
                salient = flat.astype(np.uint32).reshape(SLOTS, 3)
                salient.flags.writeable = False
        except (struct.error, UnicodeDecodeError, IndexError) as exc:
            raise ValueError(f"not a dedup entry: {exc}") from exc
        sig.flags.writeable = False
        return cls(
            article_id=article_id,
            fingerprint=fp,
            signature=sig,
            published=_EPOCH + timedelta(microseconds=micros),
            cluster_id=cluster_id,
            duplicate_of=duplicate_of,
            method=_METHODS[method],
            similarity=float(sim),
            matched=matched,
            sketch_id=sketch,
            shingles=shingles,
            salient=salient,
        )


@dataclass(frozen=True)
class Match:
    """The index's answer for one article."""

    verdict: Verdict
    method: Method | None
    """``fingerprint`` or ``minhash`` for a duplicate, or how the cluster neighbour was found."""
    duplicate_of: str | None
    """First-seen article of the copy chain, for a duplicate."""
    similarity: float
    """Estimated Jaccard similarity to ``matched`` (1.0 for a fingerprint match, else 0.0)."""
    cluster_id: str
    """Story cluster: own id, or the first article of the cluster of a similar article."""
    matched: str | None = None
    """The indexed article compared with: the copy's nearest entry (``duplicate_of`` may be
    further up its chain), or the cluster neighbour."""


def containment(
    sims: npt.NDArray[np.float64], sizes: npt.NDArray[np.uint32], size: int
) -> npt.NDArray[np.float64]:
    """Estimated share of the smaller shingle set found in the larger, from Jaccard and sizes.

    |A ∩ B| = J (|A| + |B|) / (1 + J); 0 where a size is unknown (entries of format 1).
    """
    other = sizes.astype(np.float64)
    smaller = np.minimum(other, float(size))
    common = sims * (other + size) / (1.0 + sims)
    out = np.zeros_like(sims)
    known = smaller > 0
    out[known] = np.minimum(1.0, common[known] / smaller[known])
    return out


def _f32(value: float) -> float:
    # Similarities are stored as float32; answer with that precision from the start, so a
    # recorded answer and a fresh one are equal.
    return float(np.float32(value))


# --- index -------------------------------------------------------------------------------

_ARRAYS = ("_sig", "_pub", "_fp", "_alive", "_banded", "_sim", "_method", "_size", "_sal")


class NearDupIndex:
    """Exact-fingerprint and MinHash-LSH index of recent articles. Not thread-safe."""

    def __init__(self, config: DedupConfig | None = None) -> None:
        self.config = config or DedupConfig()
        self._bands, self._rows_per_band = self.config.lsh
        self._reset(0)

    def _reset(self, capacity: int) -> None:
        cap = max(16, capacity)
        self._sig = np.zeros((cap, self.config.num_perm), dtype=np.uint16)
        self._pub = np.zeros(cap, dtype=np.int64)
        self._fp = np.zeros(cap, dtype=np.uint64)
        self._alive = np.zeros(cap, dtype=bool)
        self._banded = np.zeros(cap, dtype=bool)
        self._sim = np.zeros(cap, dtype=np.float32)
        self._method = np.zeros(cap, dtype=np.int8)
        self._size = np.zeros(cap, dtype=np.uint32)
        self._sal = np.zeros((cap, SLOTS, 3), dtype=np.uint32)
        self._ids: list[str | None] = []
        self._clusters: list[str] = []
        self._roots: list[str | None] = []
        self._matched: list[str | None] = []
        self._free: list[int] = []
        self._count = 0
        self._str_bytes = 0
        self._oldest = _MAX_TIME
        self._table = KeyTable(int(capacity * (self._bands + 2) / TARGET_LOAD))

    def __len__(self) -> int:
        return self._count

    def __contains__(self, article_id: object) -> bool:
        return isinstance(article_id, str) and self._row_of(article_id) is not None

    # --- lookups

    def _row_of(self, article_id: str) -> int | None:
        _, rows = self._table.lookup(np.array([_id_key(article_id)], dtype=np.uint64))
        for row in rows.tolist():
            if self._ids[row] == article_id:
                return int(row)
        return None

    def _order(self, row: int) -> tuple[int, str]:
        # Ties go to the earliest article; the id breaks ties of time, so the choice does
        # not depend on the order entries were added or rebuilt in.
        return int(self._pub[row]), self._ids[row] or ""

    def _first(self, rows: Iterable[int]) -> int:
        return min(rows, key=self._order)

    def _root(self, row: int) -> str:
        return self._roots[row] or self._ids[row] or ""

    def _answer(self, row: int, method: Method, sim: float) -> Match:
        return Match(
            "duplicate", method, self._root(row), _f32(sim), self._clusters[row], self._ids[row]
        )

    def _match(
        self, article_id: str, fp: str, sig: Signature | None, size: int, salient: Salient
    ) -> Match:
        keys = []
        fp_key = _fp_key(fp)
        if fp_key:
            keys.append(fp_key)
        if sig is not None:
            keys.extend(band_keys(sig.reshape(1, -1), self._bands, self._rows_per_band)[0])
        if not keys:
            return Match("new", None, None, 0.0, article_id)
        idx, rows = self._table.lookup(np.array(keys, dtype=np.uint64))
        if fp_key:
            same = rows[(idx == 0) & (self._fp[rows] == np.uint64(fp_key))]
            if same.size:
                return self._answer(self._first(same.tolist()), "fingerprint", 1.0)
            idx, rows = idx[idx > 0], rows[idx > 0]
        if sig is None or rows.size == 0:
            return Match("new", None, None, 0.0, article_id)
        cand = np.unique(rows)
        cand = cand[self._banded[cand]]
        sims = similarities(self._sig[cand], sig)
        if sims.size == 0:
            return Match("new", None, None, 0.0, article_id)
        cfg = self.config
        contained = containment(sims, self._size[cand], size)
        by_sim = sims >= cfg.threshold
        by_containment = (
            (contained >= cfg.containment_threshold)
            & (sims >= cfg.containment_floor)
            & (np.minimum(self._size[cand], size) >= cfg.containment_min_shingles)
        )
        copies = np.flatnonzero(by_sim | by_containment)
        # Best first: the highest similarity, then the earliest article.
        order = sorted(copies.tolist(), key=lambda i: (-sims[i], self._order(int(cand[i]))))
        rejected: int | None = None
        for i in order:
            row = int(cand[i])
            if cfg.verify and substitutes(self._sal[row], salient):
                rejected = i if rejected is None else rejected
                continue
            # Containment alone: two different articles ending in one shared block look
            # contained too; a trimmed or extended copy also begins like the original.
            if not by_sim[i] and cfg.verify and starts_apart(self._sal[row], salient):
                continue
            method: Method = "minhash" if by_sim[i] else "containment"
            return self._answer(row, method, float(sims[i]))
        if rejected is not None:
            row = int(cand[rejected])
            sim = _f32(float(sims[rejected]))
            return Match("new", "substitution", None, sim, self._clusters[row], self._ids[row])
        if sims.max() < cfg.cluster_threshold:
            return Match("new", None, None, 0.0, article_id)
        best_sim = float(sims.max())
        best = self._first(cand[sims == sims.max()].tolist())
        return Match("new", "minhash", None, _f32(best_sim), self._clusters[best], self._ids[best])

    def check(
        self, article_id: str, text: str, published: datetime, *, fingerprint: str | None = None
    ) -> tuple[Match, Entry]:
        """Compare an article with the index, without changing it.

        Returns the answer and the entry to ``add`` (add it whatever the verdict: a later
        copy of this copy then resolves to the same first-seen article). ``fingerprint`` may
        be passed when already computed. An id already in the index gets its recorded answer.
        """
        _micros(published)  # validate early: naive datetimes are a bug upstream
        fp = text_fingerprint(text) if fingerprint is None else fingerprint
        core = salient_core(text)  # normalised once for the shingles and the salient words
        tokens = words_of_core(core, self.config.max_words)
        shingle_set = shingles_of(tokens, self.config.shingle_size)
        comparable = len(shingle_set) >= self.config.min_shingles
        sig = signature_of(shingle_set, self.config) if comparable else _NO_SIGNATURE
        salient = salient_of(text, self.config.max_words, core=core) if comparable else no_salient()
        row = self._row_of(article_id)
        if row is not None:
            method = _METHODS[int(self._method[row])]
            sim = float(self._sim[row])
            root = self._roots[row]
            match = Match(
                "new" if root is None else "duplicate",
                method,
                root,
                sim,
                self._clusters[row],
                self._matched[row],
            )
        else:
            match = self._match(
                article_id, fp, sig if comparable else None, len(shingle_set), salient
            )
        entry = Entry(
            article_id=article_id,
            fingerprint=fp,
            signature=sig,
            published=published,
            cluster_id=match.cluster_id,
            duplicate_of=match.duplicate_of,
            method=match.method,
            similarity=match.similarity,
            matched=match.matched,
            sketch_id=self.config.sketch_id,
            shingles=len(shingle_set),
            salient=salient,
        )
        return match, entry

    # --- changes

    def _keys_of(
        self, rows: npt.NDArray[np.int64]
    ) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.int32]]:
        """Every table key of the given rows, with the row each belongs to."""
        key_parts = [
            np.array([_id_key(self._ids[r] or "") for r in rows.tolist()], dtype=np.uint64)
        ]
        row_parts = [rows]
        fps = self._fp[rows]
        has_fp = fps != 0
        key_parts.append(fps[has_fp])
        row_parts.append(rows[has_fp])
        banded = rows[self._banded[rows]]
        for start in range(0, banded.size, 65536):
            chunk = banded[start : start + 65536]
            bk = band_keys(self._sig[chunk], self._bands, self._rows_per_band)
            key_parts.append(bk.reshape(-1))
            row_parts.append(np.repeat(chunk, self._bands))
        return np.concatenate(key_parts), np.concatenate(row_parts).astype(np.int32)

    def _grow(self, needed: int) -> None:
        cap = self._pub.size
        if needed <= cap:
            return
        new = max(needed, int(cap * _GROWTH) + 1)
        for name in _ARRAYS:
            old = getattr(self, name)
            arr = np.zeros((new, *old.shape[1:]), dtype=old.dtype)
            arr[:cap] = old
            setattr(self, name, arr)

    def _store(self, rows: list[int], entries: list[Entry]) -> None:
        """Write entries into rows (new rows are exactly the ones past the lists' end)."""
        grow = max(rows) + 1 - len(self._ids)
        if grow > 0:
            self._ids.extend([None] * grow)
            self._clusters.extend([""] * grow)
            self._roots.extend([None] * grow)
            self._matched.extend([None] * grow)
        for row, e in zip(rows, entries, strict=True):
            self._ids[row] = e.article_id
            # Share the string object when the cluster is the article itself (most articles).
            self._clusters[row] = e.article_id if e.cluster_id == e.article_id else e.cluster_id
            self._roots[row] = e.duplicate_of
            self._matched[row] = e.matched
            self._str_bytes += sys.getsizeof(e.article_id)
        at = np.array(rows, dtype=np.int64)
        n = len(entries)
        banded = np.fromiter((e.signature.size > 0 for e in entries), dtype=bool, count=n)
        if banded.any():
            self._sig[at[banded]] = np.stack([e.signature for e in entries if e.signature.size])
        pub = np.fromiter((_micros(e.published) for e in entries), dtype=np.int64, count=n)
        self._banded[at] = banded
        self._pub[at] = pub
        self._fp[at] = np.fromiter(
            (_fp_key(e.fingerprint) for e in entries), dtype=np.uint64, count=n
        )
        self._sim[at] = np.fromiter((e.similarity for e in entries), dtype=np.float32, count=n)
        self._method[at] = np.fromiter(
            (_METHODS.index(e.method) for e in entries), dtype=np.int8, count=n
        )
        self._size[at] = np.fromiter((e.shingles for e in entries), dtype=np.uint32, count=n)
        self._sal[at] = np.stack([e.salient for e in entries])
        self._alive[at] = True
        self._count += n
        self._oldest = min(self._oldest, int(pub.min()))

    def _compatible(self, entry: Entry) -> bool:
        return entry.sketch_id == self.config.sketch_id and entry.signature.size in (
            0,
            self.config.num_perm,
        )

    def add(self, entry: Entry) -> None:
        """Index an entry from ``check``; adding an id that is already indexed does nothing.

        Raises ValueError for an entry made with another config (see ``Entry.sketch_id``).
        """
        self._add_batch([entry])

    def add_many(self, entries: Iterable[Entry]) -> int:
        """``add`` for many entries at once, vectorised; returns how many were new."""
        added = 0
        chunk: list[Entry] = []
        for entry in entries:
            chunk.append(entry)
            if len(chunk) == _BATCH:
                added += self._add_batch(chunk)
                chunk = []
        return added + self._add_batch(chunk)

    def _add_batch(self, batch: list[Entry]) -> int:
        fresh: dict[str, Entry] = {}
        for entry in batch:
            if not self._compatible(entry):
                raise ValueError(
                    f"entry {entry.article_id!r} was made with another dedup config "
                    f"(sketch {entry.sketch_id}, {entry.signature.size} values)"
                )
            fresh.setdefault(entry.article_id, entry)
        if self._count and fresh:
            ids = list(fresh)
            idx, rows = self._table.lookup(np.array([_id_key(i) for i in ids], dtype=np.uint64))
            for i, row in zip(idx.tolist(), rows.tolist(), strict=True):
                if self._ids[row] == ids[i]:
                    fresh.pop(ids[i], None)
        if not fresh:
            return 0
        reuse = [self._free.pop() for _ in range(min(len(self._free), len(fresh)))]
        top = len(self._ids)
        rows_list = reuse + list(range(top, top + len(fresh) - len(reuse)))
        self._grow(top + len(fresh) - len(reuse))
        self._store(rows_list, list(fresh.values()))
        keys, key_rows = self._keys_of(np.array(rows_list, dtype=np.int64))
        self._table.insert(keys, key_rows)
        return len(fresh)

    def _remove_rows(self, rows: npt.NDArray[np.int64]) -> list[str]:
        removed = sorted(rows.tolist(), key=self._order)
        keys, key_rows = self._keys_of(rows)
        self._table.remove(keys, key_rows)
        ids = []
        for row in removed:
            article_id = self._ids[row] or ""
            ids.append(article_id)
            self._str_bytes -= sys.getsizeof(article_id)
            self._ids[row] = None
            self._roots[row] = None
            self._matched[row] = None
            self._clusters[row] = ""
        self._alive[rows] = False
        self._banded[rows] = False
        self._free.extend(sorted(rows.tolist(), reverse=True))
        self._count -= len(removed)
        n = len(self._ids)
        alive_pub = self._pub[:n][self._alive[:n]]
        self._oldest = int(alive_pub.min()) if alive_pub.size else _MAX_TIME
        return ids

    def expire(self, now: datetime) -> list[str]:
        """Remove entries published more than ``window`` before ``now``; returns their ids."""
        cutoff = _micros(now - self.config.window)
        if self._oldest >= cutoff:
            return []  # the common case costs one comparison
        n = len(self._ids)
        return self._remove_rows(np.flatnonzero(self._alive[:n] & (self._pub[:n] < cutoff)))

    def remove(self, article_ids: Iterable[str]) -> list[str]:
        """Remove the given articles (those not indexed are ignored); returns the ids removed."""
        rows = {row for a in article_ids if (row := self._row_of(a)) is not None}
        return self._remove_rows(np.array(sorted(rows), dtype=np.int64)) if rows else []

    def rebuild(self, entries: Iterable[Entry], *, expected: int | None = None) -> int:
        """Replace the contents with ``entries`` (any order); returns how many were indexed.

        Streams: entries are indexed in batches as they come, never all held at once.
        ``expected`` (say, the table's length) sizes the arrays up front. Entries of another
        dedup config are skipped with a warning: their signatures cannot be compared, so
        the articles they stand for are forgotten. Of an id given twice the first is kept.
        """
        self._reset(int((expected or 0) * 1.05))
        if expected:
            self._table.reserve(expected * (self._bands + 2))
        skipped = 0

        def compatible() -> Iterator[Entry]:
            nonlocal skipped
            for entry in entries:
                if self._compatible(entry):
                    yield entry
                else:
                    skipped += 1

        indexed = self.add_many(compatible())
        trim_heap()  # the batches' freed objects: ~100 MiB resident at 1M entries otherwise
        if skipped:
            log.warning("dedup rebuild skipped %d entries made with another config", skipped)
        return indexed

    def reserve(self, n: int) -> None:
        """Preallocate room for ``n`` more articles (avoids copying arrays while growing)."""
        self._grow(len(self._ids) + n)
        self._table.reserve(n * (self._bands + 2))

    def memory_bytes(self) -> int:
        """Approximate bytes held: arrays, key table, id lists and id strings."""
        arrays = [getattr(self, name) for name in _ARRAYS]
        lists = sum(
            sys.getsizeof(x)
            for x in (self._ids, self._clusters, self._roots, self._matched, self._free)
        )
        array_bytes = sum(int(a.nbytes) for a in arrays)
        return array_bytes + self._table.nbytes + lists + self._str_bytes

    def stats(self) -> dict[str, int | float]:
        """Sizes for metrics: entries, rows, key-table slots, load and memory."""
        return {
            "entries": self._count,
            "rows": len(self._ids),
            "free_rows": len(self._free),
            "table_slots": self._table.capacity,
            "table_keys": len(self._table),
            "table_load": (len(self._table) + self._table.tombstones) / self._table.capacity,
            "memory_bytes": self.memory_bytes(),
        }
