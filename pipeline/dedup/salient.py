"""Copy verification: does a near-duplicate candidate change a place, number, date or name?

Templated reports (security briefings, agency protest round-ups, ACLED-style notes) share
most of their shingles and differ in one place name, number or date: they are different
articles. For each *salient* word of a text (a word with a digit, a number word, or a
capitalised word that does not start a sentence: places, actors; a month or weekday) the index keeps
the hash of its context (two words either side), the hash of the word and its shape (length
and letter set). Two texts *substitute* a salient word when one context holds different
salient words in the two texts and the pair is not a typo (same length ±1, letter sets
differing by at most one letter; numbers are never typos). Additions and cuts (datelines,
source lines, trimmed ends) change contexts on one side only and never count.

Only the first ``SLOTS`` salient words are kept (a fixed-size row per article, 384 bytes):
a changed name late in a long article goes unseen. Number and date words: ``data/salient.yaml``.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
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

# Numbers keep their inner points and commas (1,013.00 is one word, not three slots).
_WORD_RE = re.compile(r"\d+(?:[.,:]\d+)*|\w+")
_SPLIT_RE = re.compile(r"(\d+(?:[.,:]\d+)*|\w+)")
_SENTENCE_BREAK = re.compile(r"[.!?\n:;\"“”]")
_SIDE = 2
_MASK_BITS = 22
_SHORT_STARTER = 3
"""A capitalised word starting a sentence is salient when longer than this (not On, The, He)."""
_EMPTY: Salient = np.zeros((SLOTS, 3), dtype=np.uint32)
_EMPTY.flags.writeable = False


@cache
def _lists() -> dict[str, frozenset[str]]:
    import yaml

    with DATA_FILE.open(encoding="utf-8") as f:
        data = yaml.safe_load(f)
    return {key: frozenset(str(w).casefold() for w in data[key]) for key in data}


def number_words() -> frozenset[str]:
    """Spelt-out numbers (``two``, ``dozens``): a changed count is a different report."""
    return _lists()["number_words"]


def date_words() -> frozenset[str]:
    """Months and weekdays: salient even at the start of a sentence or a page."""
    return _lists()["date_words"]


def empty() -> Salient:
    """A row with no salient words (texts from before verification existed)."""
    return _EMPTY


def _h32(text: str) -> int:
    digest = hashlib.blake2b(text.encode("utf-8"), digest_size=4, person=b"ws-salient").digest()
    return int.from_bytes(digest, "little") | 1  # never 0: 0 marks an empty slot


def _shape(word: str) -> int:
    """First letter (5 bits), length (5 bits) and letter set (22 bits) of a folded word."""
    if not word.isalpha():
        return 0
    mask = 0
    for char in word:
        mask |= 1 << (ord(char) % _MASK_BITS)
    return ((ord(word[0]) % 26) << 27) | (min(len(word), 31) << _MASK_BITS) | mask


def salient_core(text: str) -> str:
    """The text salient words are read from (also what ``minhash.words`` reads, before case
    folding): boilerplate lines dropped, NFKC."""
    return unicodedata.normalize("NFKC", strip_boilerplate(clean_text(text)))


def salient_of(text: str, max_words: int | None = None, *, core: str | None = None) -> Salient:
    """The salient words of ``text`` with their contexts, as a (SLOTS, 3) uint32 array
    (``core``: ``salient_core(text)`` when already computed)."""
    if core is None:
        core = salient_core(text)
    numbers, dates = number_words(), date_words()
    # One split gives the words and the gaps between them: parts[2i] is the gap before word i.
    parts = _SPLIT_RE.split(core)
    raws = parts[1::2]
    if max_words is not None:
        del raws[max_words:]
    n = len(raws)
    gaps = parts[0 : 2 * n : 2]
    # A word starts a sentence when the gap before it holds a sentence break ("" and " " never
    # do: most gaps), so contexts stop at sentence ends.
    initial = [g != " " and g != "" and _SENTENCE_BREAK.search(g) is not None for g in gaps]
    if n:
        initial[0] = True
    folded = [w.casefold() for w in raws]
    rows: list[tuple[int, int, int]] = []
    for i in range(n):
        raw, word = raws[i], folded[i]
        # cheap tests first: most words are lower-case words that are no number or date
        is_number = (not raw.isalpha() and any(c.isdigit() for c in raw)) or word in numbers
        capital = raw[0].isupper() and (not initial[i] or len(raw) > _SHORT_STARTER)
        if not (is_number or capital or word in dates):
            continue
        # The words before it in its sentence, else (a sentence's first word) the words after
        # it: one side only, so a place replaced with its district ("Mirpur (Pallabi)" by
        # "Badda (Badda)") still shares a context with it.
        if initial[i]:
            r1 = folded[i + 1] if i + 1 < n and not initial[i + 1] else "$"
            r2 = folded[i + 2] if r1 != "$" and i + 2 < n and not initial[i + 2] else "$"
            context = f"R {r1} {r2}"
        else:
            l1 = folded[i - 1]  # not initial: word i-1 is in its sentence
            l2 = folded[i - 2] if i >= 2 and not initial[i - 1] else "^"
            context = f"L {l2} {l1}"
        never_typo = is_number or word in dates
        rows.append((_h32(context), _h32(word), 0 if never_typo else _shape(word)))
        if len(rows) == SLOTS:
            break  # long articles cost little more than their start
    out = np.zeros((SLOTS, 3), dtype=np.uint32)
    if rows:
        out[: len(rows)] = np.array(rows, dtype=np.uint32)
    out.flags.writeable = False
    return out


def _typo(a: int, b: int) -> bool:
    """Shapes close enough to be one word misspelt: same first letter, length ±1, letter sets
    differing by at most one letter (swapped, dropped or doubled letters)."""
    if not a or not b or a >> 27 != b >> 27:
        return False
    length = (1 << 5) - 1
    if abs(((a >> _MASK_BITS) & length) - ((b >> _MASK_BITS) & length)) > 1:
        return False
    return ((a ^ b) & ((1 << _MASK_BITS) - 1)).bit_count() <= 1


def substitutes(a: Salient, b: Salient) -> bool:
    """Whether the two texts put different salient words in one context (not a typo).

    Per shared context, the words only one text has there (counted: a name repeated in a
    context and changed once is a substitution); a substitution needs words on both sides,
    and one of them with no look-alike (a misspelling) on the other side.
    """
    if not a[0, CONTEXT] or not b[0, CONTEXT]:
        return False
    a = a[a[:, CONTEXT] != 0]
    b = b[b[:, CONTEXT] != 0]
    shared = np.intersect1d(a[:, CONTEXT], b[:, CONTEXT])
    for ctx in shared.tolist():
        in_a = a[a[:, CONTEXT] == ctx]
        in_b = b[b[:, CONTEXT] == ctx]
        only_a = _minus(in_a, in_b)
        only_b = _minus(in_b, in_a)
        if not only_a or not only_b:
            continue
        for mine, theirs in ((only_a, only_b), (only_b, only_a)):
            if any(not any(_typo(x, y) for y in theirs) for x in mine):
                return True
    return False


def starts_apart(a: Salient, b: Salient, *, min_rows: int = 3, min_share: float = 0.5) -> bool:
    """Whether two texts begin differently: of the salient words (with their contexts) of the
    one with fewer, under ``min_share`` are in the other.

    A trimmed or extended copy keeps its beginning, so its first salient words are the
    original's; two different articles that end in one shared block (related headlines) are
    alike only at their ends. Texts with fewer than ``min_rows`` salient words give no verdict.
    """
    a = a[a[:, CONTEXT] != 0]
    b = b[b[:, CONTEXT] != 0]
    if min(len(a), len(b)) < min_rows:
        return False
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    known = Counter(zip(large[:, CONTEXT].tolist(), large[:, WORD].tolist(), strict=True))
    shared = 0
    for key in zip(small[:, CONTEXT].tolist(), small[:, WORD].tolist(), strict=True):
        if known[key]:
            known[key] -= 1
            shared += 1
    return shared < min_share * len(small)


def _minus(rows: Salient, other: Salient) -> list[int]:
    """Shapes of the words of ``rows`` left after removing ``other``'s, one for one."""
    left = Counter(other[:, WORD].tolist())
    out = []
    for word, shape in zip(rows[:, WORD].tolist(), rows[:, SHAPE].tolist(), strict=True):
        if left[word]:
            left[word] -= 1
        else:
            out.append(int(shape))
    return out
