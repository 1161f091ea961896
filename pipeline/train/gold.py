"""The hand-coded CAMEO gold set (``tests/data/eval/events-gold.jsonl``): records, groups, halves.

Format and coding conventions: ``tests/data/eval/README.md``. The dev/test halves are fixed by a
hash of each sentence's article (its URL for web news, else its id), so the sentences of one
article never straddle the halves and every checkout splits alike. A story the corpus holds twice
(one BBC article under two URLs, a syndicated copy) is one article: an article sharing a sentence
with an earlier one of the shipped batches takes that article's half.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from pipeline.errors import ConfigError

REPO = Path(__file__).resolve().parents[2]
#: The first batch of the shipped gold (211 sentences); later batches sit beside it.
GOLD = REPO / "tests" / "data" / "eval" / "events-gold.jsonl"
#: Chosen for equal halves only (see evaluation/README.md), before any score was computed.
SPLIT_SALT = "wirestream-events-split-0:"
SPLITS = ("dev", "test")
WEB = "web-news"
#: Batch 5: ABC (Australia) online news of 2001-02, the Lee corpus as shipped in gensim's test data;
#: a record's ``source`` is ``gensim-lee:<file>:<line>``, one article per line.
LEE = "lee-abc-news"
LEE_PREFIX = "gensim-lee:"
#: Batch 10: BBC News politics articles of 2004-05 (Greene and Cunningham's BBC dataset, the cased
#: original of ``../shared/eval/news/bbc-text.csv``); ``source`` is ``bbc-greene:politics/<file>``.
BBC = "bbc-news"
BBC_PREFIX = "bbc-greene:"
REAL_NEWS = "real-news"
CONSTRUCTED = "petrarch2-dev-constructed"
OUTLET_COUNTRY = {LEE: "AUS", BBC: "GBR"}
"""The outlet's country of a gold group, as a feed list's ``country`` gives it to the pipeline:
the Lee corpus is ABC (Australia) online news, batch 10 BBC News (UK). The web batches mix outlets
of many countries."""


@dataclass(frozen=True)
class GoldActor:
    """An actor as the gold codes it: the words of the sentence and a CAMEO actor code."""

    text: str
    code: str


@dataclass(frozen=True)
class GoldItem:
    """A coded event (or a non-factual mention of one) with its trigger's place in the text."""

    code: str
    trigger: str
    start: int
    end: int
    """Character offsets of the trigger's first occurrence in the sentence."""
    source: GoldActor | None = None
    target: GoldActor | None = None
    modality: str | None = None
    """None for a fact; else future, negated, hypothetical, alleged, disputed, ..."""
    place: str | None = None
    """The most specific place the sentence gives for the event, as written; None if none."""

    @property
    def root(self) -> str:
        """First two digits of the event code."""
        return self.code[:2]


@dataclass(frozen=True)
class GoldRecord:
    """One sentence of the gold set."""

    id: str
    source: str
    text: str
    published: date | None
    events: tuple[GoldItem, ...]
    nonfactual: tuple[GoldItem, ...]

    @property
    def article(self) -> str:
        """What the split hashes: the article (its URL, its Lee corpus line or its BBC file), else
        the sentence id."""
        names_article = self.source.startswith(("http://", "https://", LEE_PREFIX, BBC_PREFIX))
        return self.source if names_article else self.id

    @property
    def group(self) -> str:
        """``web-news`` for the URL sources, ``lee-abc-news`` for the Lee corpus, ``bbc-news`` for
        the BBC files, else the ``source`` value."""
        if self.source.startswith(LEE_PREFIX):
            return LEE
        if self.source.startswith(BBC_PREFIX):
            return BBC
        return WEB if self.article == self.source else self.source

    @property
    def home_country(self) -> str | None:
        """The outlet's country (ISO alpha-3), when the group has one outlet."""
        return OUTLET_COUNTRY.get(self.group)

    @property
    def split(self) -> str:
        """``dev`` or ``test``: even or odd first byte of SHA-256(salt + article), the article
        being its first appearance when the shipped batches hold it twice."""
        article = _twins().get(self.article, self.article)
        digest = hashlib.sha256((SPLIT_SALT + article).encode("utf-8")).digest()
        return SPLITS[digest[0] % 2]


def groups_of(record: GoldRecord) -> tuple[str, ...]:
    """The report groups a record counts in: its own, and ``real-news`` unless constructed."""
    return (record.group,) if record.group == CONSTRUCTED else (record.group, REAL_NEWS)


def _actor(where: str, raw: Any) -> GoldActor | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping) or not isinstance(raw.get("code"), str):
        raise ConfigError(f"{where}: an actor needs 'text' and 'code', got {raw!r}")
    return GoldActor(str(raw.get("text", "")), raw["code"])


def _item(where: str, raw: Any, text: str, *, factual: bool) -> GoldItem:
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{where}: expected an object, got {raw!r}")
    code, trigger = raw.get("code"), raw.get("trigger")
    if not isinstance(code, str) or not isinstance(trigger, str):
        raise ConfigError(f"{where}: 'code' and 'trigger' must be strings")
    start = text.find(trigger)
    if start < 0:
        raise ConfigError(f"{where}: trigger {trigger!r} is not in the sentence")
    modality = None if factual else raw.get("modality")
    if not factual and not isinstance(modality, str):
        raise ConfigError(f"{where}: a non-factual item needs a 'modality'")
    return GoldItem(
        code=code,
        trigger=trigger,
        start=start,
        end=start + len(trigger),
        source=_actor(f"{where}.source_actor", raw.get("source_actor")),
        target=_actor(f"{where}.target_actor", raw.get("target_actor")),
        modality=modality,
        place=raw.get("place") if isinstance(raw.get("place"), str) and raw.get("place") else None,
    )


def parse_record(where: str, raw: Any) -> GoldRecord:
    """One JSON line as a :class:`GoldRecord` (``ConfigError`` naming ``where`` if malformed)."""
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{where}: expected a JSON object")
    for key in ("id", "source", "text"):
        if not isinstance(raw.get(key), str) or not raw[key]:
            raise ConfigError(f"{where}: {key!r} must be a non-empty string")
    text = raw["text"]
    published = raw.get("published")
    try:
        day = date.fromisoformat(published) if published else None
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{where}: published {published!r} is not an ISO date") from exc
    events, nonfactual = raw.get("events", []), raw.get("nonfactual", [])
    if not isinstance(events, list) or not isinstance(nonfactual, list):
        raise ConfigError(f"{where}: 'events' and 'nonfactual' must be lists")
    return GoldRecord(
        id=raw["id"],
        source=raw["source"],
        text=text,
        published=day,
        events=tuple(
            _item(f"{where} events[{i}]", e, text, factual=True) for i, e in enumerate(events)
        ),
        nonfactual=tuple(
            _item(f"{where} nonfactual[{i}]", n, text, factual=False)
            for i, n in enumerate(nonfactual)
        ),
    )


def read_gold(path: Path) -> list[GoldRecord]:
    """Every record of a gold JSONL file."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the gold set: {exc}") from exc
    records: list[GoldRecord] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ConfigError(f"{path}:{number}: not JSON: {exc}") from exc
        records.append(parse_record(f"{path}:{number}", raw))
    if not records:
        raise ConfigError(f"{path}: no gold records")
    return records


def shipped_gold() -> tuple[Path, ...]:
    """Every batch of the shipped gold (``events-gold*.jsonl``): the default of ``eval events``."""
    later = sorted(p for p in GOLD.parent.glob("events-gold-*.jsonl"))
    return (GOLD, *later)


def twins(batches: Iterable[Iterable[GoldRecord]]) -> dict[str, str]:
    """Article → the earlier article it repeats (they share a sentence, spaces aside), in the
    order given; articles that repeat nothing are left out."""
    first_seen: dict[str, str] = {}
    out: dict[str, str] = {}
    for records in batches:
        by_article: dict[str, list[GoldRecord]] = {}
        for r in records:
            by_article.setdefault(r.article, []).append(r)
        for article, members in by_article.items():
            texts = [" ".join(r.text.split()) for r in members]
            earlier = next(
                (first_seen[t] for t in texts if first_seen.get(t, article) != article), None
            )
            if earlier is not None and article not in out:
                out[article] = out.get(earlier, earlier)
            for t in texts:
                first_seen.setdefault(t, article)
    return out


@functools.cache
def _twins() -> dict[str, str]:
    batches = []
    for path in shipped_gold():
        try:
            batches.append(read_gold(path))
        except ConfigError:
            continue  # a broken shipped file is reported where it is read
    return twins(batches)


def select(records: Iterable[GoldRecord], split: str | None) -> list[GoldRecord]:
    """The records of one half (``dev``/``test``), or all of them (None)."""
    if split is not None and split not in SPLITS:
        raise ConfigError(f"unknown split {split!r}; expected one of {list(SPLITS)}")
    return [r for r in records if split is None or r.split == split]
