"""Copy verification: does a near-duplicate candidate change a place, number, date or name?

Templated reports (security briefings, agency protest round-ups, ACLED-style notes) share
most of their shingles and differ in one place name, number or date: they are different
articles. For each *salient* word of a text (a word with a digit, a number word, or a
capitalised word that does not start a sentence: places, actors, months) the index keeps
the hash of its context (two words either side), the hash of the word and its shape (length
and letter set). Two texts *substitute* a salient word when one context holds different
salient words in the two texts and the pair is not a typo (same length ±1, letter sets
differing by at most one letter; numbers are never typos). Additions and cuts (datelines,
source lines, trimmed ends) change contexts on one side only and never count.

Only the first ``SLOTS`` salient words are kept (a fixed-size row per article, 384 bytes):
a changed name late in a long article goes unseen. Number words: ``data/salient.yaml``.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

from pipeline.normalise.text import clean_text, strip_boilerplate

DATA_FILE = Path(__file__).parent / "data" / "salient.yaml"
#: Salient words kept per article.
SLOTS = 32
#: Columns of a row: context hash, word hash, shape (0 for numbers: never a typo).
CONTEXT, WORD, SHAPE = 0, 1, 2

#: (SLOTS, 3) uint32; rows with context 0 are empty.
Salient = npt.NDArray[np.uint32]

_WORD_RE = re.compile(r"\w+")
_SENTENCE_BREAK = re.compile(r"[.!?\n:;\"“”]")
_SIDE = 2
_EMPTY: Salient = np.zeros((SLOTS, 3), dtype=np.uint32)
_EMPTY.flags.writeable = False


@cache
def number_words() -> frozenset[str]:
    """Spelt-out numbers (``two``, ``dozens``): a changed count is a different report."""
    import yaml

    with DATA_FILE.open(encoding="utf-8") as f:
        data = yaml.safe_load(f)
    return frozenset(str(w).casefold() for w in data["number_words"])


def empty() -> Salient:
    """A row with no salient words (texts from before verification existed)."""
    return _EMPTY


def _h32(text: str) -> int:
    digest = hashlib.blake2b(text.encode("utf-8"), digest_size=4, person=b"ws-salient").digest()
    return int.from_bytes(digest, "little") | 1  # never 0: 0 marks an empty slot


def _shape(word: str) -> int:
    if not word.isalpha():
        return 0
    mask = 0
    for char in word:
        mask |= 1 << (ord(char) % 26)
    return (min(len(word), 63) << 26) | mask


def salient_of(text: str, max_words: int | None = None) -> Salient:
    """The salient words of ``text`` with their contexts, as a (SLOTS, 3) uint32 array."""
    core = unicodedata.normalize("NFKC", strip_boilerplate(clean_text(text)))
    matches = list(_WORD_RE.finditer(core))
    if max_words is not None:
        matches = matches[:max_words]
    folded = [m.group().casefold() for m in matches]
    # Sentence number of each word: contexts stop at sentence ends, so reordered sentences
    # do not put a word in a new context.
    sentence: list[int] = []
    prev_end = 0
    for i, m in enumerate(matches):
        initial = i == 0 or _SENTENCE_BREAK.search(core, prev_end, m.start()) is not None
        sentence.append((sentence[-1] if sentence else 0) + (1 if initial else 0))
        prev_end = m.end()
    numbers = number_words()
    rows: list[tuple[int, int, int]] = []
    for i, m in enumerate(matches):
        raw, word = m.group(), folded[i]
        initial = i == 0 or sentence[i] != sentence[i - 1]
        is_number = any(c.isdigit() for c in raw) or word in numbers
        if not (is_number or (raw[0].isupper() and not initial)):
            continue
        left = [
            folded[k] if sentence[k] == sentence[i] else "^" for k in range(i - _SIDE, i) if k >= 0
        ]
        right = [
            folded[k] if sentence[k] == sentence[i] else "$"
            for k in range(i + 1, min(len(folded), i + 1 + _SIDE))
        ]
        left = ["^"] * (_SIDE - len(left)) + left
        right = right + ["$"] * (_SIDE - len(right))
        context = " ".join([*left, "_", *right])
        rows.append((_h32(context), _h32(word), 0 if is_number else _shape(word)))
        if len(rows) == SLOTS:
            break
    out = np.zeros((SLOTS, 3), dtype=np.uint32)
    if rows:
        out[: len(rows)] = np.array(rows, dtype=np.uint32)
    out.flags.writeable = False
    return out


def _typo(a: npt.NDArray[np.uint32], b: npt.NDArray[np.uint32]) -> npt.NDArray[np.bool_]:
    """Element-wise: shapes close enough to be a misspelling of one word."""
    len_a, len_b = a >> np.uint32(26), b >> np.uint32(26)
    diff = (a ^ b) & np.uint32((1 << 26) - 1)
    bits = np.zeros(diff.shape, dtype=np.uint32)
    for k in range(26):
        bits += (diff >> np.uint32(k)) & np.uint32(1)
    close = np.abs(len_a.astype(np.int64) - len_b.astype(np.int64)) <= 1
    return (a != 0) & (b != 0) & close & (bits <= 1)


def substitutes(a: Salient, b: Salient) -> bool:
    """Whether the two texts put different salient words in one context (not a typo)."""
    if not a[0, CONTEXT] or not b[0, CONTEXT]:
        return False
    a = a[a[:, CONTEXT] != 0]
    b = b[b[:, CONTEXT] != 0]
    same = a[:, None, CONTEXT] == b[None, :, CONTEXT]
    if not same.any():
        return False
    ia, ib = np.nonzero(same & (a[:, None, WORD] != b[None, :, WORD]))
    for i, j in zip(ia.tolist(), ib.tolist(), strict=True):
        ctx = a[i, CONTEXT]
        # The word may sit in this context elsewhere in the other text too (a list).
        if (b[(b[:, CONTEXT] == ctx), WORD] == a[i, WORD]).any():
            continue
        if (a[(a[:, CONTEXT] == ctx), WORD] == b[j, WORD]).any():
            continue
        if not _typo(a[i : i + 1, SHAPE], b[j : j + 1, SHAPE])[0]:
            return True
    return False
