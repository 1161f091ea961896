"""Word shingles, MinHash signatures (datasketch) and the LSH band keys derived from them.

A signature is a b-bit MinHash (b=16): datasketch's 32-bit ``affine32`` MinHash with each
value cut to its low 16 bits, as in datasketch's ``bBitMinHash``. Two different minima then
agree by chance with probability 2^-16, which ``similarities`` corrects for; the index holds
half as many bytes per article. Everything here is deterministic across processes: SHA-1
shingle hashes and permutations drawn from a fixed seed, never Python's ``hash()``.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from functools import cache

import numpy as np
import numpy.typing as npt
from datasketch import MinHash

from pipeline.dedup.config import DedupConfig
from pipeline.normalise.text import clean_text, strip_boilerplate

#: A b-bit MinHash signature: ``num_perm`` uint16 values.
Signature = npt.NDArray[np.uint16]

SIGNATURE_BITS = 16
_CHANCE = 1.0 / (1 << SIGNATURE_BITS)
_WORD = re.compile(r"\w+")
_U64 = np.uint64


def words(text: str, max_words: int | None = None) -> list[str]:
    """The text's words: boilerplate lines dropped, NFKC, case-folded, punctuation removed."""
    return words_of_core(
        unicodedata.normalize("NFKC", strip_boilerplate(clean_text(text))), max_words
    )


def words_of_core(core: str, max_words: int | None = None) -> list[str]:
    """``words`` of a text already cleaned, stripped of boilerplate and NFKC-normalised
    (``salient.salient_core``: dedup normalises each text once)."""
    found = _WORD.findall(core.casefold())
    return found if max_words is None else found[:max_words]


def shingles_of(tokens: list[str], size: int) -> set[bytes]:
    """Distinct runs of ``size`` consecutive tokens (one shingle if there are fewer tokens)."""
    if len(tokens) <= size:
        return {" ".join(tokens).encode("utf-8")} if tokens else set()
    return {" ".join(tokens[i : i + size]).encode("utf-8") for i in range(len(tokens) - size + 1)}


def shingles(text: str, size: int, *, max_words: int | None = None) -> set[bytes]:
    """Word shingles of ``size`` words of the normalised text."""
    return shingles_of(words(text, max_words), size)


@cache
def _permutations(num_perm: int, seed: int) -> npt.NDArray[np.uint32]:
    # Drawing permutations is the slow part of creating a MinHash; share them.
    perms: npt.NDArray[np.uint32] = MinHash(
        num_perm=num_perm, seed=seed, scheme="affine32"
    ).permutations
    return perms


_U32 = np.uint32
#: MurmurHash3's 32-bit finaliser, as datasketch's ``affine32`` scheme pre-mixes each hash.
_FMIX32 = (_U32(16), _U32(0x85EBCA6B), _U32(13), _U32(0xC2B2AE35), _U32(16))


def _sha1_32(data: bytes) -> int:
    # datasketch's sha1_hash32: the first 4 bytes of SHA-1, little-endian
    return int.from_bytes(hashlib.sha1(data).digest()[:4], "little")


def _sha1_32_all(values: list[bytes]) -> npt.NDArray[np.uint32]:
    """``_sha1_32`` of every value, as one array: the digests' first 4 bytes joined and read
    as little-endian uint32 at once (no Python int per shingle)."""
    sha1 = hashlib.sha1
    joined = b"".join([sha1(v).digest()[:4] for v in values])
    return np.frombuffer(joined, dtype="<u4").astype(np.uint32)


def signature_of(shingle_set: Iterable[bytes], config: DedupConfig) -> Signature:
    """The b-bit MinHash of a set of shingles (all 0xFFFF for an empty set).

    Exactly datasketch's ``MinHash(scheme="affine32").update_batch`` (SHA-1 32-bit hashes,
    the fmix32 pre-mix, affine permutations mod 2^32; tested equal), without building a
    MinHash object per article: the per-shingle hashing is the cost, kept to one tight loop.
    """
    a, b = _permutations(config.num_perm, config.seed)
    values = list(shingle_set)
    if not values:
        sig: Signature = np.full(config.num_perm, 0xFFFF, dtype=np.uint16)
    else:
        hv = _sha1_32_all(values)
        s1, m1, s2, m2, s3 = _FMIX32
        hv = hv ^ (hv >> s1)
        hv = hv * m1
        hv = hv ^ (hv >> s2)
        hv = hv * m2
        hv = hv ^ (hv >> s3)
        sig = ((hv[:, None] * a + b).min(axis=0) & _U32(0xFFFF)).astype(np.uint16)
    sig.flags.writeable = False
    return sig


def signature(text: str, config: DedupConfig) -> Signature:
    """The b-bit MinHash signature of the text's word shingles."""
    return signature_of(shingles(text, config.shingle_size, max_words=config.max_words), config)


def similarities(matrix: npt.NDArray[np.uint16], sig: Signature) -> npt.NDArray[np.float64]:
    """Estimated Jaccard similarity of ``sig`` with each row of ``matrix``, in [0, 1]."""
    if matrix.shape[0] == 0:
        return np.zeros(0)
    raw = np.count_nonzero(matrix == sig, axis=1) / sig.shape[0]
    # b-bit estimator (Li & König, as datasketch's bBitMinHash.jaccard with r=0).
    est: npt.NDArray[np.float64] = np.clip((raw - _CHANCE) / (1.0 - _CHANCE), 0.0, 1.0)
    return est


def similarity(a: Signature, b: Signature) -> float:
    """Estimated Jaccard similarity of two signatures."""
    return float(similarities(a.reshape(1, -1), b)[0])


# --- band keys ---------------------------------------------------------------------------

_M1 = _U64(0xFF51AFD7ED558CCD)
_M2 = _U64(0xC4CEB9FE1A85EC53)
_GOLDEN = _U64(0x9E3779B97F4A7C15)


def fmix64(h: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """MurmurHash3's 64-bit finaliser, element-wise (uint64 arithmetic wraps on purpose)."""
    h = h ^ (h >> _U64(33))
    h = h * _M1
    h = h ^ (h >> _U64(33))
    h = h * _M2
    out: npt.NDArray[np.uint64] = h ^ (h >> _U64(33))
    return out


def band_keys(sigs: npt.NDArray[np.uint16], bands: int, rows: int) -> npt.NDArray[np.uint64]:
    """64-bit key of each LSH band of each signature: shape (n, bands) for (n, num_perm)."""
    n = sigs.shape[0]
    values = sigs[:, : bands * rows].astype(np.uint64).reshape(n, bands, rows)
    # Seed each band differently so that equal values in different bands never share a key.
    h = np.broadcast_to(fmix64(np.arange(1, bands + 1, dtype=np.uint64) * _GOLDEN), (n, bands))
    for j in range(rows):
        salt = _U64(((j + 1) * int(_GOLDEN)) & 0xFFFFFFFFFFFFFFFF)
        h = fmix64(h ^ (values[:, :, j] + salt))
    return np.ascontiguousarray(h)
