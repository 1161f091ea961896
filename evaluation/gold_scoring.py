"""Scoring predicted events against one gold sentence: pairing, leakage, counts (no model).

A prediction is one (source, target, code) per pair of coordinated actor members, with the
trigger's character offsets, as the gold codes one event per actor whose codes differ. Within a
sentence, predictions pair one-to-one with gold events: same root and overlapping trigger first,
then same root (same source before any), then an overlapping trigger of another root. A factual
prediction that takes up a gold ``nonfactual`` item (its trigger, or an unpaired one of its root)
is a leak: counted against precision, and apart.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field

from pipeline.train.gold import GoldItem, GoldRecord

MISSING = "—"
LEAK = "nf"


@dataclass(frozen=True)
class Predicted:
    """One predicted (source, target, code) with the trigger's offsets in the sentence."""

    source: str
    """Normalised CAMEO actor code; empty when no actor or no code."""
    target: str
    code: str
    start: int
    end: int
    source_country: str = ""
    """First three letters of the code, else the actor's country (ISO alpha-3)."""
    target_country: str = ""
    places: tuple[str, ...] = ()
    """The event's place as the text names it and as the gazetteer does; empty when none."""
    confidence: float = 0.0
    """The event's confidence as the extractor gave it (0 when it gives none)."""
    source_confidence: float = 0.0
    """Actor 1's confidence; 0 when there is no actor 1."""
    target_confidence: float = 0.0
    place_confidence: float = 0.0

    @property
    def root(self) -> str:
        """First two digits of the event code."""
        return self.code[:2]


def norm(code: str | None) -> str:
    """Upper-case, with the unknown-country prefix ``---`` dropped (``---GOV`` is ``GOV``)."""
    code = (code or "").upper().strip()
    while code.startswith("---"):
        code = code[3:]
    return code


def country_key(code: str | None, country: str | None) -> str:
    """What the country-level comparison sees of a predicted actor."""
    return (norm(code) or norm(country))[:3]


def _place_words(text: str) -> str:
    words = re.findall(r"[\w'-]+", text.lower())
    return " ".join(w for w in words if w not in ("the", "a", "an"))


def same_place(gold: str, predicted: Sequence[str]) -> bool:
    """Whether a predicted place names the gold one: either contains the other, word for word
    ("Nablus" in "a suburb of Nablus", "Gaza Strip" and "the Gaza Strip")."""
    want = f" {_place_words(gold)} "
    for name in predicted:
        have = f" {_place_words(name)} "
        if have.strip() and want.strip() and (have in want or want in have):
            return True
    return False


def _overlaps(item: GoldItem, p: Predicted) -> bool:
    return item.start < p.end and p.start < item.end


def _same_source(item: GoldItem, p: Predicted) -> bool:
    return item.source is None or norm(item.source.code) == p.source


@dataclass
class SentenceResult:
    """How one sentence's predictions met its gold."""

    pairs: list[tuple[GoldItem, Predicted]] = field(default_factory=list)
    missed: list[GoldItem] = field(default_factory=list)
    extra: list[Predicted] = field(default_factory=list)
    leaks: list[tuple[GoldItem, Predicted]] = field(default_factory=list)
    """Non-factual gold items and the factual prediction that took each up."""


def _pair(gold: Sequence[GoldItem], predicted: list[Predicted]) -> SentenceResult:
    levels: tuple[Callable[[GoldItem, Predicted], bool], ...] = (
        lambda g, p: g.root == p.root and _overlaps(g, p) and _same_source(g, p),
        lambda g, p: g.root == p.root and _overlaps(g, p),
        lambda g, p: g.root == p.root and _same_source(g, p),
        lambda g, p: g.root == p.root,
        _overlaps,  # the same act coded with another root
    )
    result = SentenceResult()
    remaining, unpaired = list(predicted), list(gold)
    for accept in levels:
        for g in list(unpaired):
            hit = next((p for p in remaining if accept(g, p)), None)
            if hit is not None:
                result.pairs.append((g, hit))
                remaining.remove(hit)
                unpaired.remove(g)
    result.missed, result.extra = unpaired, remaining
    return result


def match_sentence(record: GoldRecord, predicted: Sequence[Predicted]) -> SentenceResult:
    """Pair factual predictions with the record's events and find leaked non-factual items."""
    leaks: list[tuple[GoldItem, Predicted]] = []
    pool: list[Predicted] = []
    open_items = list(record.nonfactual)
    for p in sorted(predicted, key=lambda x: (x.start, x.code, x.source, x.target)):
        # on a non-factual trigger and on no factual one: the extractor took a mention for a fact
        item = next((n for n in open_items if _overlaps(n, p)), None)
        if item is not None and not any(_overlaps(g, p) for g in record.events):
            leaks.append((item, p))
            open_items.remove(item)
        else:
            pool.append(p)
    result = _pair(record.events, pool)
    for p in list(result.extra):
        item = next((n for n in open_items if n.root == p.root), None)
        if item is not None:
            leaks.append((item, p))
            open_items.remove(item)
            result.extra.remove(p)
    result.leaks = leaks
    return result


@dataclass
class GoldScores:
    """Counts over a set of sentences, and the rates derived from them."""

    sentences: int = 0
    gold: int = 0
    predicted: int = 0
    """Factual predictions, leaks included."""
    detected: int = 0
    root_matched: int = 0
    code_matched: int = 0
    actor1_scored: int = 0
    """Detected pairs whose gold event names a source actor."""
    actor1_correct: int = 0
    actor1_country_correct: int = 0
    actor2_scored: int = 0
    actor2_correct: int = 0
    actor2_country_correct: int = 0
    nonfactual: int = 0
    leaked: int = 0
    place_scored: int = 0
    """Detected pairs whose gold event names a place."""
    place_correct: int = 0
    place_unasked: int = 0
    """Detected pairs given a place where the gold names none."""

    def add(
        self, record: GoldRecord, predicted: Sequence[Predicted], result: SentenceResult
    ) -> None:
        """Count one sentence."""
        self.sentences += 1
        self.gold += len(record.events)
        self.predicted += len(predicted)
        self.detected += len(result.pairs)
        self.nonfactual += len(record.nonfactual)
        self.leaked += len(result.leaks)
        for g, p in result.pairs:
            self.root_matched += g.root == p.root
            self.code_matched += g.code == p.code
            if g.source is not None:
                self.actor1_scored += 1
                self.actor1_correct += norm(g.source.code) == p.source
                self.actor1_country_correct += norm(g.source.code)[:3] == p.source_country
            if g.target is not None:
                self.actor2_scored += 1
                self.actor2_correct += norm(g.target.code) == p.target
                self.actor2_country_correct += norm(g.target.code)[:3] == p.target_country
            if g.place is not None:
                self.place_scored += 1
                self.place_correct += same_place(g.place, p.places)
            elif p.places:
                self.place_unasked += 1

    @staticmethod
    def _rate(part: int, whole: int) -> float:
        return part / whole if whole else 0.0

    @staticmethod
    def _f1(part: int, predicted: int, gold: int) -> float:
        return 2 * part / (predicted + gold) if predicted + gold else 0.0

    def rates(self) -> dict[str, float]:
        """Precision, recall and F1 of detection, root and full code; actor accuracies; leakage."""
        r = self._rate
        out: dict[str, float] = {}
        for name, part in (
            ("event", self.detected),
            ("root", self.root_matched),
            ("code", self.code_matched),
        ):
            out[f"{name}_precision"] = r(part, self.predicted)
            out[f"{name}_recall"] = r(part, self.gold)
            out[f"{name}_f1"] = self._f1(part, self.predicted, self.gold)
        out["actor1_accuracy"] = r(self.actor1_correct, self.actor1_scored)
        out["actor2_accuracy"] = r(self.actor2_correct, self.actor2_scored)
        out["actor1_country_accuracy"] = r(self.actor1_country_correct, self.actor1_scored)
        out["actor2_country_accuracy"] = r(self.actor2_country_correct, self.actor2_scored)
        out["nonfactual_leak_rate"] = r(self.leaked, self.nonfactual)
        out["place_accuracy"] = r(self.place_correct, self.place_scored)
        return out

    def to_dict(self) -> dict[str, float | int]:
        """Rounded rates, then the counts."""
        return {**{k: round(v, 4) for k, v in self.rates().items()}, **asdict(self)}


def calibration_items(
    predicted: Sequence[Predicted], result: SentenceResult
) -> Iterator[tuple[str, float, bool]]:
    """(field, confidence, correct) for every scored item, on the populations of the rates:
    ``event`` is every factual prediction (right when paired with a gold event of its root, so
    its accuracy is root precision); ``actor1``, ``actor2`` and ``place`` are the pairs whose gold
    names one (a missing value scores at confidence 0)."""
    right = {id(p) for g, p in result.pairs if g.root == p.root}
    for p in predicted:
        yield "event", p.confidence, id(p) in right
    for g, p in result.pairs:
        if g.source is not None:
            yield "actor1", p.source_confidence, norm(g.source.code) == p.source
        if g.target is not None:
            yield "actor2", p.target_confidence, norm(g.target.code) == p.target
        if g.place is not None:
            yield "place", p.place_confidence, same_place(g.place, p.places)


def add_confusion(table: dict[str, Counter[str]], result: SentenceResult) -> None:
    """Gold root → predicted root over pairs; ``—`` column: missed, ``—`` row: extra by
    predicted root, ``nf`` row: leaked non-factual items by predicted root."""
    for g, p in result.pairs:
        table[g.root][p.root] += 1
    for g in result.missed:
        table[g.root][MISSING] += 1
    for p in result.extra:
        table[MISSING][p.root] += 1
    for _, p in result.leaks:
        table[LEAK][p.root] += 1
