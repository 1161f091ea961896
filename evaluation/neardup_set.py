"""Seeded generator of the near-duplicate evaluation set: syndicated copies and hard negatives.

Input: real news text, either ``bbc-text.csv`` and ``web-news-with-text.csv`` (columns
``category,[url,]text``, from ``../shared/eval/news/``) or the originals of a set this module
wrote before (``tests/data/neardup-sample.jsonl``). Steps, all driven by one
``random.Random(seed)``:

1. **Clean** (CSV only): texts are cut at 10,000 characters on a sentence end. Web pages
   carry site furniture (rotating "related stories" lists, comment widgets) that makes
   different stories look alike: a text is cut at the first sentence whose words are mostly
   covered by 6-word runs found in 3+ other pages. Texts under 60 words are dropped.
2. **Natural groups**: pairs of corpus texts with shingle Jaccard >= 0.5 (3-word shingles)
   are joined. The corpus has real re-headlined copies (Jaccard >= 0.9): they become
   ``copy`` with edit ``natural``; trimmed or extended versions of one story (0.5-0.9) become
   ``version`` (same story, not scored as copies either way).
3. **Hard negatives**: same-category pairs of different stories with the highest word
   overlap (every pair with shingle Jaccard 0.1-0.5, then by word-set Jaccard), the second
   published 10 minutes to 6 hours after the first. They must never be merged.
4. **Syndicated copies**: ``copy_fraction`` of the originals get 1 to ``max_copies`` copies,
   published 5 minutes to 36 hours later. Each copy applies a random non-empty subset of
   ``EDITS`` (each with probability 1/2): ``headline`` (a new headline line on top),
   ``dateline`` ("LONDON, Mar 3 (Reuters) - "), ``trim_end`` (last 1-3 sentences, at most
   12% of the words), ``add_paragraph`` (1-2 sentences from another story of the category,
   at most 10%), ``source_line`` ("Source: Xinhua", "(With inputs from PTI)", ...),
   ``typos`` (1-3 words misspelt or fixed), ``reorder`` (1-2 adjacent sentence pairs
   swapped), ``reformat`` (paragraph breaks, curly quotes, spacing). Only ``reformat`` and
   ``source_line`` with a stripped boilerplate line leave the body fingerprint unchanged.

Output: one JSON object per line with ``article_id``, ``title``, ``text``, ``published``
(ISO 8601, UTC), ``group`` (gold: the original's id for copies, own id otherwise),
``story`` (the original's id for copies and versions), ``kind`` (original, copy, version,
negative), ``edits``, ``negative_of``, ``category``, ``corpus``, ``source_id``.
Run ``python -m evaluation.neardup_set --help``; evaluation/README.md has the commands.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import random
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from evaluation import CHECKOUT
from pipeline.dedup.minhash import shingles_of, words
from pipeline.normalise.text import strip_boilerplate

REPO = CHECKOUT
SHARED_NEWS = REPO.parent / "shared" / "eval" / "news"
"""Where the news corpus sits beside a developer's checkout."""
SAMPLE = REPO / "tests" / "data" / "neardup-sample.jsonl"
"""The committed sample: runs on a fresh clone."""
CSV_FILES = ("bbc-text.csv", "web-news-with-text.csv")

EDITS = (
    "headline",
    "dateline",
    "trim_end",
    "add_paragraph",
    "source_line",
    "typos",
    "reorder",
    "reformat",
)
KINDS = ("original", "copy", "version", "negative")
START = datetime(2025, 3, 3, tzinfo=UTC)
MAX_CHARS = 10_000
MIN_WORDS = 60
GOLD_SHINGLE = 3
NATURAL_COPY = 0.9
NATURAL_GROUP = 0.5

_SENTENCE_END = re.compile(r"(?<=[.!?\"”’])\s+(?=\S)")
_BLOCK = re.compile(r"\s{3,}|\n")
_DATELINES = (
    ("LONDON", "Reuters"),
    ("NEW DELHI", "PTI"),
    ("DAMASCUS", "NNN"),
    ("PARIS", "AFP"),
    ("WASHINGTON", "AP"),
    ("KUALA LUMPUR", "Bernama"),
    ("BEIJING", "Xinhua"),
    ("SYDNEY", "AAP"),
    ("DUBLIN", "PA"),
    ("BERLIN", "dpa"),
)
_SOURCE_LINES = (
    "Source: Xinhua",
    "Source: Nam News Network",
    "(Reporting by Sarah Mills; Editing by Toby Chopra)",
    "Copyright 2025 Agence France-Presse. All rights reserved.",
    "(With inputs from PTI)",
    "This story has been published from a wire agency feed without modifications to the text.",
)
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_DATE_WORDS = frozenset(_MONTH_NAMES + _WEEKDAYS)
_BLOCK_HEADS = ("Related stories", "More from this site", "Most read", "Top stories")
_BLOCK_TAILS = (
    "Sign up for our daily newsletter to get the top stories in your inbox.",
    "Follow us on Twitter and Facebook for the latest news.",
    "We use cookies to improve your experience on our site.",
)
HARD_EDITS = (
    "template",
    "template_number",
    "template_name",
    "template_date",
    "trim_25",
    "trim_50",
    "boilerplate",
)
"""Edits of the hard cases (``hard_cases=True``): templated reports and their one-detail
variants, copies cut by 25% or 50%, different articles ending in one boilerplate block."""
TRIMS = (0.25, 0.5)
"""Shares of the words cut from the end by the ``trim_25`` and ``trim_50`` copies."""
_TEMPLATE_WORDS = (25, 70)
_TOKEN = re.compile(r"[A-Za-z]+|\d+")
_BREAK = re.compile(r"[^\w\s,'’()-]")
"""Anything but a comma, apostrophe, bracket or hyphen between two words ends a sentence as far
as a template's names go (a name must sit mid-sentence)."""


@dataclass(frozen=True)
class Source:
    """One corpus article."""

    source_id: str
    corpus: str
    category: str
    text: str


# --- loading -------------------------------------------------------------------------------


def _cap(text: str, limit: int = MAX_CHARS) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit]
    end = max(cut.rfind(". "), cut.rfind("? "), cut.rfind("! "))
    return cut[: end + 1] if end > limit // 2 else cut


def _sentences(text: str) -> list[str]:
    return [
        s.strip() for block in _BLOCK.split(text) for s in _SENTENCE_END.split(block) if s.strip()
    ]


def _strip_furniture(texts: Sequence[str], gram: int = 6, min_docs: int = 3) -> list[str]:
    """Cut each text at its first sentence made mostly of runs shared with other pages."""
    sentences = [_sentences(t) for t in texts]
    tokens = [[words(s) for s in doc] for doc in sentences]
    df: Counter[tuple[str, ...]] = Counter()
    for doc in tokens:
        df.update({tuple(w[i : i + gram]) for w in doc for i in range(len(w) - gram + 1)})
    out = []
    for doc_s, doc_w in zip(sentences, tokens, strict=True):
        kept: list[str] = []
        for sentence, w in zip(doc_s, doc_w, strict=True):
            covered = [False] * len(w)
            for i in range(len(w) - gram + 1):
                if df[tuple(w[i : i + gram])] >= min_docs:
                    covered[i : i + gram] = [True] * gram
            if w and sum(covered) * 2 >= len(w):
                if kept:
                    break
                continue  # furniture before the story starts (menus, tickers)
            kept.append(sentence)
        out.append(" ".join(kept))
    return out


def load_corpus(news_dir: Path = SHARED_NEWS) -> list[Source]:
    """Corpus articles from the two CSV files, capped, cleaned of site furniture."""
    csv.field_size_limit(sys.maxsize)  # a few web pages exceed csv's default field limit
    sources: list[Source] = []
    for name in CSV_FILES:
        corpus = name.split("-")[0]
        with (news_dir / name).open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        texts = [_cap(r["text"]) for r in rows]
        if corpus == "web":
            texts = _strip_furniture(texts)
        for n, (row, text) in enumerate(zip(rows, texts, strict=True)):
            if len(words(text)) >= MIN_WORDS:
                sources.append(Source(f"{corpus}-{n:04d}", corpus, row["category"], text))
    return sources


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """Records of a JSONL file."""
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def write_jsonl(records: Iterable[dict[str, Any]], path: Path) -> int:
    """Write records one per line; returns how many."""
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with path.open("w", encoding="utf-8") as f:
        for record in records:
            f.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
            n += 1
    return n


def sources_from_jsonl(path: Path) -> list[Source]:
    """The originals (and negatives, which are originals too) of a generated set."""
    return [
        Source(r["source_id"], r["corpus"], r["category"], r["text"])
        for r in read_jsonl(path)
        # Hard cases are made from a source (its lead, or with a block appended): not sources.
        if r["kind"] in ("original", "negative") and not set(r["edits"]) & set(HARD_EDITS)
    ]


# --- pairs ---------------------------------------------------------------------------------


def _jaccard(a: set[Any], b: set[Any]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def shingle_pairs(sets: Sequence[set[bytes]], floor: float) -> dict[tuple[int, int], float]:
    """Jaccard of every pair of sets that reaches ``floor`` (via an inverted index)."""
    postings: defaultdict[bytes, list[int]] = defaultdict(list)
    for i, s in enumerate(sets):
        for x in s:
            postings[x].append(i)
    shared: Counter[tuple[int, int]] = Counter()
    for ids in postings.values():
        if 1 < len(ids) <= 200:  # shingles in 200+ texts are furniture, not evidence
            shared.update(itertools.combinations(ids, 2))
    out = {}
    for (a, b), n in shared.items():
        j = n / (len(sets[a]) + len(sets[b]) - n)
        if j >= floor:
            out[(a, b)] = j
    return out


def _groups(n: int, pairs: Iterable[tuple[int, int]]) -> list[int]:
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return [find(i) for i in range(n)]


def hard_negatives(
    sources: Sequence[Source], sets: Sequence[set[bytes]], groups: Sequence[int], count: int
) -> list[tuple[int, int]]:
    """Same-category pairs of different stories with the most overlap, at most ``count``."""
    close = shingle_pairs(sets, 0.1)
    vocab = [set(words(s.text)) for s in sources]
    scored = []
    roots = [i for i in range(len(sources)) if groups[i] == i]
    for a, b in itertools.combinations(roots, 2):
        if sources[a].category != sources[b].category:
            continue
        j = close.get((a, b), 0.0)
        if j >= NATURAL_GROUP:
            continue
        scored.append((j >= 0.1, j if j >= 0.1 else _jaccard(vocab[a], vocab[b]), a, b))
    scored.sort(reverse=True)
    return [(a, b) for _, _, a, b in scored[:count]]


# --- edits ---------------------------------------------------------------------------------


def _nwords(sentences: Sequence[str]) -> int:
    return sum(len(s.split()) for s in sentences)


def _headline(sentences: Sequence[str], rng: random.Random) -> str:
    first = re.sub(r"[^\w\s'-]", "", sentences[0]).split()
    start = rng.randint(0, max(0, min(4, len(first) - 6)))
    head = first[start : start + rng.randint(5, 9)]
    return " ".join(head).capitalize() if head else "Update"


def _typo(word: str, rng: random.Random) -> str:
    i = rng.randint(1, len(word) - 3)
    how = rng.choice(("swap", "drop", "double"))
    if how == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if how == "drop":
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i] + word[i:]


def _apply_typos(sentences: list[str], rng: random.Random) -> bool:
    spots = [
        (i, j)
        for i, s in enumerate(sentences)
        for j, w in enumerate(s.split(" "))
        if len(w) >= 5 and w.isalpha()
    ]
    if not spots:
        return False
    for i, j in rng.sample(spots, min(len(spots), rng.randint(1, 3))):
        parts = sentences[i].split(" ")
        parts[j] = _typo(parts[j], rng)
        sentences[i] = " ".join(parts)
    return True


def _reformat(text: str, rng: random.Random) -> str:
    sentences = _sentences(text)
    paragraphs, i = [], 0
    while i < len(sentences):
        k = rng.randint(1, 3)
        paragraphs.append("  ".join(sentences[i : i + k]))
        i += k
    out = "\n\n".join(paragraphs)
    out = re.sub(r'"([^"\n]{1,200})"', "“\\1”", out).replace("'", "’")
    return out


def make_copy(
    source: Source, donor: Source, edits: Sequence[str], rng: random.Random, when: datetime
) -> tuple[str, str, list[str]]:
    """A syndicated copy of ``source``: (title, text, edits actually applied)."""
    # The syndicator drops the original's attribution lines (and may add its own).
    sentences = _sentences(strip_boilerplate(source.text))
    joiner = "\n\n" if "\n" in source.text.strip() else " "
    total = _nwords(sentences)
    applied = []
    if "reorder" in edits and len(sentences) >= 4:
        for _ in range(rng.randint(1, 2)):
            i = rng.randint(1, len(sentences) - 2)
            sentences[i], sentences[i + 1] = sentences[i + 1], sentences[i]
        applied.append("reorder")
    if "typos" in edits and _apply_typos(sentences, rng):
        applied.append("typos")
    if "trim_end" in edits:
        for k in rng.sample((1, 2, 3), 3):
            if len(sentences) > k + 2 and _nwords(sentences[-k:]) <= 0.12 * total:
                del sentences[-k:]
                applied.append("trim_end")
                break
    if "add_paragraph" in edits:
        extra = [s for s in _sentences(donor.text)[1:] if len(s.split()) >= 6]
        rng.shuffle(extra)
        for k in (2, 1):
            if len(extra) >= k and _nwords(extra[:k]) <= 0.10 * total:
                sentences.extend(extra[:k])
                applied.append("add_paragraph")
                break
    text = joiner.join(sentences)
    if "reformat" in edits:
        text = _reformat(text, rng)
        applied.append("reformat")
    if "dateline" in edits:
        city, agency = rng.choice(_DATELINES)
        text = f"{city}, {_MONTHS[when.month - 1]} {when.day} ({agency}) - {text}"
        applied.append("dateline")
    title = _headline(_sentences(source.text), rng)
    if "headline" in edits:
        title = _headline(sentences, rng)
        text = f"{title}\n\n{text}"
        applied.append("headline")
    if "source_line" in edits:
        text = f"{text}\n\n{rng.choice(_SOURCE_LINES)}"
        applied.append("source_line")
    return title, text, applied


def trimmed(source: Source, share: float) -> str:
    """The source with about ``share`` of its words cut from the end, at a sentence end."""
    sentences = _sentences(strip_boilerplate(source.text))
    total = _nwords(sentences)
    kept: list[str] = []
    for sentence in sentences:
        if kept and _nwords(kept) + len(sentence.split()) / 2 > (1 - share) * total:
            break
        kept.append(sentence)
    joiner = "\n\n" if "\n" in source.text.strip() else " "
    return joiner.join(kept)


def lead(source: Source) -> str | None:
    """A short report: the source's first sentences, 25-70 words (None if none fits)."""
    kept: list[str] = []
    for sentence in _sentences(strip_boilerplate(source.text)):
        if _nwords([*kept, sentence]) > _TEMPLATE_WORDS[1]:
            break
        kept.append(sentence)
    return " ".join(kept) if _nwords(kept) >= _TEMPLATE_WORDS[0] else None


def _salient_spots(text: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of words a template varies: numbers, dates, mid-sentence names."""
    spots = []
    prev_end = -1
    for m in _TOKEN.finditer(text):
        word = m.group()
        mid_sentence = prev_end >= 0 and not _BREAK.search(text, prev_end, m.start())
        prev_end = m.end()
        if word.isdigit():
            spots.append((m.start(), m.end(), "number"))
        elif word in _DATE_WORDS:
            spots.append((m.start(), m.end(), "date"))
        elif word[0].isupper() and len(word) >= 4 and mid_sentence:
            spots.append((m.start(), m.end(), "name"))
    return spots


def templated(text: str, names: Sequence[str], rng: random.Random) -> tuple[str, str] | None:
    """``text`` with one number, date or name changed: (new text, which kind was changed)."""
    spots = _salient_spots(text)
    if not spots:
        return None
    kind = rng.choice(sorted({k for _, _, k in spots}))
    start, end, _ = rng.choice([spot for spot in spots if spot[2] == kind])
    old = text[start:end]
    if kind == "number":
        new = str(int(old) + rng.randint(1, 9))
    elif kind == "date":
        pool = _MONTH_NAMES if old in _MONTH_NAMES else _WEEKDAYS
        new = rng.choice([w for w in pool if w != old])
    else:
        candidates = [n for n in names if n != old and n[0] != old[0]]
        if not candidates:
            return None
        new = rng.choice(candidates)
    return text[:start] + new + text[end:], kind


def boilerplate_block(titles: Sequence[str], rng: random.Random) -> str:
    """A site's furniture: a heading, 8-15 headlines of other articles, a newsletter line."""
    lines = [
        rng.choice(_BLOCK_HEADS),
        *rng.sample(list(titles), min(len(titles), rng.randint(8, 15))),
    ]
    return "\n".join([*lines, rng.choice(_BLOCK_TAILS)])


# --- the set -------------------------------------------------------------------------------


def _record(
    article_id: str,
    source: Source,
    title: str,
    text: str,
    when: datetime,
    kind: str,
    group: str,
    story: str,
    edits: Sequence[str] = (),
    negative_of: str | None = None,
) -> dict[str, Any]:
    return {
        "article_id": article_id,
        "title": title,
        "text": text,
        "published": when.isoformat().replace("+00:00", "Z"),
        "group": group,
        "story": story,
        "kind": kind,
        "edits": list(edits),
        "negative_of": negative_of,
        "category": source.category,
        "corpus": source.corpus,
        "source_id": source.source_id,
    }


def build_neardup_set(
    sources: Sequence[Source],
    *,
    seed: int = 20250303,
    copy_fraction: float = 0.6,
    max_copies: int = 3,
    negatives: int = 200,
    days: int = 10,
    hard_cases: bool = True,
    templates: int = 150,
    trim_fraction: float = 0.25,
    boilerplate_pairs: int = 60,
) -> list[dict[str, Any]]:
    """The evaluation set for ``sources``, in publication order (see the module docstring).

    ``hard_cases=False`` gives the set as it was before templated negatives, long trims and
    shared boilerplate blocks were added (same seed, same records).
    """
    rng = random.Random(seed)
    sources = sorted(sources, key=lambda s: s.source_id)
    sets = [shingles_of(words(s.text), GOLD_SHINGLE) for s in sources]
    natural = shingle_pairs(sets, NATURAL_GROUP)
    groups = _groups(len(sources), natural)
    when = {i: START + timedelta(seconds=rng.randrange(days * 86400)) for i in range(len(sources))}
    extra = random.Random(seed + 1)
    reserved: dict[int, str] = {}
    if hard_cases:
        reserved = _reserve(sources, groups, templates, boilerplate_pairs, extra)
    records = []
    negative_of: dict[int, int] = {}
    anchors: set[int] = set()
    for pair in hard_negatives(sources, sets, groups, 10 * negatives):
        if len(negative_of) >= negatives:
            break
        if pair[0] in reserved or pair[1] in reserved:
            continue
        # An anchor may have several negatives, but is never re-timed as one itself.
        for a, b in (pair, pair[::-1]):
            if a not in negative_of and b not in negative_of and b not in anchors:
                negative_of[b] = a
                anchors.add(a)
                when[b] = when[a] + timedelta(seconds=rng.randint(600, 6 * 3600))
                break
    by_category: defaultdict[str, list[int]] = defaultdict(list)
    for i, s in enumerate(sources):
        by_category[s.category].append(i)
    for i, source in enumerate(sources):
        if i in reserved:
            continue
        root = groups[i]
        sid, rid = source.source_id, sources[root].source_id
        title = _headline(_sentences(source.text), rng)
        if root != i:
            j = natural.get((root, i), _jaccard(sets[root], sets[i]))
            when[i] = max(when[i], when[root] + timedelta(seconds=rng.randint(600, 86400)))
            kind = "copy" if j >= NATURAL_COPY else "version"
            records.append(
                _record(
                    sid,
                    source,
                    title,
                    source.text,
                    when[i],
                    kind,
                    rid if kind == "copy" else sid,
                    rid,
                    ["natural"] if kind == "copy" else [],
                )
            )
            continue
        kind = "negative" if i in negative_of else "original"
        neg = sources[negative_of[i]].source_id if i in negative_of else None
        records.append(_record(sid, source, title, source.text, when[i], kind, sid, sid, (), neg))
        if hard_cases and extra.random() < trim_fraction:
            records.extend(_trim_copies(source, when[i], extra))
        if rng.random() >= copy_fraction:
            continue
        for n in range(1, rng.randint(1, max_copies) + 1):
            chosen = [e for e in EDITS if rng.random() < 0.5] or [rng.choice(EDITS)]
            donors = [d for d in by_category[source.category] if groups[d] != root]
            donor = sources[rng.choice(donors)] if donors else source
            at = when[i] + timedelta(seconds=rng.randint(300, 36 * 3600))
            ctitle, ctext, applied = make_copy(source, donor, chosen, rng, at)
            if not applied:
                continue
            records.append(
                _record(f"{sid}-c{n}", source, ctitle, ctext, at, "copy", sid, sid, applied)
            )
    if hard_cases:
        records.extend(_template_pairs(sources, reserved, when, extra))
        records.extend(_boilerplate_pairs(sources, reserved, when, records, extra))
    records.sort(key=lambda r: (r["published"], r["article_id"]))
    return records


def _reserve(
    sources: Sequence[Source],
    groups: Sequence[int],
    templates: int,
    boilerplate_pairs: int,
    rng: random.Random,
) -> dict[int, str]:
    """Sources set aside for templated reports and boilerplate pairs (never copied otherwise)."""
    size = Counter(groups)
    alone = [i for i in range(len(sources)) if size[groups[i]] == 1]
    rng.shuffle(alone)
    out: dict[int, str] = {}
    kinds = {i: {k for _, _, k in _salient_spots(lead(sources[i]) or "")} for i in alone}
    # Half the templates from reports with names (cased text: the BBC corpus is lower case).
    named = [i for i in alone if "name" in kinds[i]]
    for i in named[: templates // 2] + [i for i in alone if kinds[i] and i not in named]:
        if len(out) >= templates:
            break
        out[i] = "template"
    short = [i for i in alone if i not in out and len(sources[i].text.split()) <= 250]
    for i in short[: 2 * boilerplate_pairs]:
        out[i] = "boilerplate"
    return out


def _trim_copies(source: Source, when: datetime, rng: random.Random) -> list[dict[str, Any]]:
    """Copies cut by 25% or 50% from the end (one or both), some with a new headline."""
    out = []
    for share in TRIMS:
        if rng.random() < 0.6:
            edit = f"trim_{int(share * 100)}"
            text, edits = trimmed(source, share), [edit]
            title = _headline(_sentences(source.text), rng)
            if rng.random() < 0.5:
                text, edits = f"{title}\n\n{text}", [edit, "headline"]
            at = when + timedelta(seconds=rng.randint(300, 36 * 3600))
            sid = source.source_id
            out.append(_record(f"{sid}-{edit}", source, title, text, at, "copy", sid, sid, edits))
    return out


def _template_pairs(
    sources: Sequence[Source],
    reserved: dict[int, str],
    when: dict[int, datetime],
    rng: random.Random,
) -> list[dict[str, Any]]:
    """Short reports (a source's lead) and the same report with one name, number or date changed."""
    names = sorted(
        {
            sources[i].text[a:b]
            for i in reserved
            for a, b, kind in _salient_spots(lead(sources[i]) or "")
            if kind == "name"
        }
    )
    out = []
    for i, purpose in sorted(reserved.items()):
        text = lead(sources[i]) if purpose == "template" else None
        variant = templated(text, names, rng) if text else None
        if text is None or variant is None:
            continue
        source, sid = sources[i], sources[i].source_id
        title = _headline(_sentences(text), rng)
        out.append(_record(sid, source, title, text, when[i], "original", sid, sid, ["template"]))
        vid = f"{sid}-t"
        at = when[i] + timedelta(seconds=rng.randint(600, 6 * 3600))
        vtext, changed = variant
        out.append(
            _record(
                vid, source, title, vtext, at, "negative", vid, vid, [f"template_{changed}"], sid
            )
        )
    return out


def _boilerplate_pairs(
    sources: Sequence[Source],
    reserved: dict[int, str],
    when: dict[int, datetime],
    records: Sequence[dict[str, Any]],
    rng: random.Random,
) -> list[dict[str, Any]]:
    """Pairs of different short articles ending in one site's block of related headlines."""
    titles = sorted({r["title"] for r in records if r["kind"] == "original"})
    by_category: defaultdict[str, list[int]] = defaultdict(list)
    for i, purpose in sorted(reserved.items()):
        if purpose == "boilerplate":
            by_category[sources[i].category].append(i)
    pairs = [p for c in sorted(by_category) for p in zip(*[iter(by_category[c])] * 2, strict=False)]
    out = []
    for a, b in pairs:
        block = boilerplate_block(titles, rng)
        at_b = when[a] + timedelta(seconds=rng.randint(600, 6 * 3600))
        for i, at, partner in ((a, when[a], None), (b, at_b, sources[a].source_id)):
            source, sid = sources[i], sources[i].source_id
            title = _headline(_sentences(source.text), rng)
            text = f"{source.text}\n\n{block}"
            kind = "original" if partner is None else "negative"
            out.append(
                _record(sid, source, title, text, at, kind, sid, sid, ["boilerplate"], partner)
            )
    return out


def sample(
    records: Sequence[dict[str, Any]], *, pairs: int, groups: int, seed: int, max_chars: int = 2500
) -> list[dict[str, Any]]:
    """A small subset for the repository: ``pairs`` negative pairs and ``groups`` more stories
    (each with its copies), preferring short texts."""
    rng = random.Random(seed)
    by_story: defaultdict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in records:
        by_story[r["story"]].append(r)
    short = {s for s, rs in by_story.items() if all(len(r["text"]) <= max_chars for r in rs)}
    chosen: set[str] = set()
    neg = sorted((r["story"], r["negative_of"]) for r in records if r["kind"] == "negative")
    neg = [p for p in neg if p[0] in short and p[1] in short]
    for a, b in rng.sample(neg, min(pairs, len(neg))):
        chosen |= {a, b}
    with_copies = sorted(s for s in short - chosen if len(by_story[s]) > 1)
    chosen |= set(rng.sample(with_copies, min(groups, len(with_copies))))
    out = [r for s in sorted(chosen) for r in by_story[s]]
    return sorted(out, key=lambda r: (r["published"], r["article_id"]))


def summary(records: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Counts by kind and by edit, for a quick look at a generated set."""
    kinds = Counter(r["kind"] for r in records)
    edits = Counter(e for r in records for e in r["edits"])
    return {"articles": len(records), "kinds": dict(kinds), "edits": dict(edits)}


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Command-line options (``argv`` without the program name)."""
    p = argparse.ArgumentParser(
        prog="python -m evaluation.neardup_set", description=__doc__.split("\n")[0]
    )
    p.add_argument(
        "--news-dir",
        type=Path,
        default=SHARED_NEWS,
        help="directory of the two CSV files (default: %(default)s)",
    )
    p.add_argument(
        "--from-jsonl",
        type=Path,
        help="build from the originals of a generated set instead of the CSV files",
    )
    p.add_argument("--out", type=Path, required=True, help="JSONL file to write")
    p.add_argument("--seed", type=int, default=20250303)
    p.add_argument(
        "--no-hard-cases",
        action="store_true",
        help="the set as before templated negatives, 25%%/50%% trims and boilerplate pairs",
    )
    p.add_argument(
        "--sample",
        type=int,
        nargs=2,
        metavar=("PAIRS", "GROUPS"),
        help="write only a small sample: PAIRS negative pairs and GROUPS stories with copies",
    )
    return p.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Generate a set and print its summary."""
    args = parse_args(argv)
    sources = sources_from_jsonl(args.from_jsonl) if args.from_jsonl else load_corpus(args.news_dir)
    records = build_neardup_set(sources, seed=args.seed, hard_cases=not args.no_hard_cases)
    if args.sample:
        records = sample(records, pairs=args.sample[0], groups=args.sample[1], seed=args.seed)
    write_jsonl(records, args.out)
    print(json.dumps(summary(records)))
    return 0


def iter_articles(path: Path) -> Iterator[dict[str, Any]]:
    """Records of a set, in publication order."""
    yield from sorted(read_jsonl(path), key=lambda r: (r["published"], r["article_id"]))


if __name__ == "__main__":
    raise SystemExit(main())
