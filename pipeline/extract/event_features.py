"""The words a candidate event is typed by: its sentence, its trigger and the trigger's neighbours.

One function serves training (``pipeline.train``) and the extractor, so a model never sees features
built differently from those it was fitted on. Feature names carry a prefix saying where they come
from: ``w:`` sentence word, ``b:`` sentence bigram, ``t:`` trigger word, ``tc:`` character n-gram of
a trigger word (inflections: "shelled", "shelling"), ``l:``/``r:`` words just left/right of the
trigger, ``c:`` character n-grams of that window (names never seen whole: "Kandahar", "al-Shabaab");
``a:`` words of the article's lead, read only by a model fitted with them (``meta.context``).
"""

from __future__ import annotations

import re
from itertools import pairwise

FEATURE_VERSION = 1
"""Bumped whenever the features change: a model file records the version it was fitted with."""

CONTEXT_CHARS = 400
"""How much of the article's start a context model reads beside the candidate's sentence (the
lead; an ACLED note or a training line whole)."""

_WORD = re.compile(r"\w+")
_WINDOW = 4
_CHAR_SIZES = (3, 4, 5)


def _char_ngrams(prefix: str, word: str, out: list[str]) -> None:
    padded = f" {word} "
    for n in _CHAR_SIZES:
        for i in range(len(padded) - n + 1):
            out.append(prefix + padded[i : i + n])


def text_features(text: str) -> list[str]:
    """Words and bigrams of a text (what relevance is judged by)."""
    words = [m.group().lower() for m in _WORD.finditer(text)]
    out = ["w:" + w for w in words]
    out.extend(f"b:{a} {b}" for a, b in pairwise(words))
    return out


def context_features(article: str) -> list[str]:
    """Words of the article's lead, ``a:``-prefixed: what a context model (``meta.context``)
    reads beside the sentence ("Taliban attacked a checkpoint. Two soldiers were killed.")."""
    return ["a:" + m.group().lower() for m in _WORD.finditer(article[:CONTEXT_CHARS])]


def candidate_features(sentence: str, start: int, end: int) -> list[str]:
    """Features of the event whose trigger spans ``sentence[start:end]`` (no trigger: start < 0)."""
    spans = [(m.start(), m.end(), m.group().lower()) for m in _WORD.finditer(sentence)]
    words = [w for _, _, w in spans]
    out = ["w:" + w for w in words]
    out.extend(f"b:{a} {b}" for a, b in pairwise(words))
    inside = [i for i, (s, e, _) in enumerate(spans) if start >= 0 and s < end and e > start]
    if not inside:
        return out
    first, last = inside[0], inside[-1]
    for i in inside:
        out.append("t:" + words[i])
        _char_ngrams("tc:", words[i], out)
    if len(inside) > 1:
        out.append("tp:" + " ".join(words[first : last + 1]))
    lo, hi = max(0, first - _WINDOW), min(len(words), last + 1 + _WINDOW)
    out.extend("l:" + w for w in words[lo:first])
    out.extend("r:" + w for w in words[last + 1 : hi])
    for w in words[lo:first] + words[last + 1 : hi]:
        _char_ngrams("c:", w, out)
    return out


def locate(sentence: str, trigger: str) -> tuple[int, int]:
    """Where a trigger written as text sits in its sentence (first occurrence, any case);
    (-1, -1) when it is not there."""
    if not trigger:
        return -1, -1
    at = sentence.lower().find(trigger.lower())
    if at < 0:
        # a trigger given by its lemma ("clash" for "clashed"): its first word's stem
        head = trigger.split()[0].lower()[:5]
        match = re.search(r"\b" + re.escape(head) + r"\w*", sentence, re.IGNORECASE)
        if match is None:
            return -1, -1
        return match.start(), match.end()
    return at, at + len(trigger)
