"""Fit the event-type model (TF-IDF + logistic regression per head) and check it by holding out
whole sources.

Why this model: on 2 cores it types a candidate in well under a millisecond with numpy alone,
its probabilities come from a proper likelihood (no separate calibration step, unlike a linear
SVM), and it is refitted in seconds by anyone holding their own coded data. Measured against the
int8 MiniLM encoder in ``evaluation/README.md``.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from pipeline.extract.event_features import (
    candidate_features,
    context_features,
    locate,
    text_features,
)
from pipeline.extract.event_model import HEADS, EventModel, Head
from pipeline.train import DEFAULT_C
from pipeline.train.examples import Example

MIN_DF = 2


def features_of(example: Example, *, context: bool = False) -> list[str]:
    """What the model reads of an example: relevance-only texts by their words, candidates with
    their trigger (and, for a context model, the example's text as its article's lead)."""
    if example.trigger:
        start, end = locate(example.text, example.trigger)
        feats = candidate_features(example.text, start, end)
        return feats + context_features(example.text) if context else feats
    return text_features(example.text)


def fit(
    examples: Sequence[Example],
    *,
    c: float = DEFAULT_C,
    min_df: int = MIN_DF,
    features: Sequence[list[str]] | None = None,
    context: bool = False,
) -> tuple[list[str], Any, dict[str, Head]]:
    """Vocabulary, IDF weights and one fitted head per label (sklearn imported here only);
    ``features``: each example's features when not :func:`features_of` (the verbal-act model);
    ``context``: with the article lead's words (:func:`features_of`)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_limits

    vectorizer = TfidfVectorizer(
        analyzer=lambda feats: feats, min_df=min_df, sublinear_tf=True, dtype=np.float32
    )
    rows_in = (
        features if features is not None else [features_of(e, context=context) for e in examples]
    )
    matrix = vectorizer.fit_transform(rows_in)
    vocabulary = [str(f) for f in vectorizer.get_feature_names_out()]
    heads: dict[str, Head] = {}
    for head in HEADS:
        rows = [i for i, e in enumerate(examples) if e.label(head) is not None]
        labels = [str(examples[i].label(head)) for i in rows]
        if len(set(labels)) < 2:
            continue
        model = LogisticRegression(C=c, max_iter=3000)
        with threadpool_limits(1):  # BLAS threads on a small sparse problem: ten times slower
            model.fit(matrix[rows], labels)
        heads[head] = Head(
            tuple(str(x) for x in model.classes_),
            np.ascontiguousarray(model.coef_.T, dtype=np.float32),
            np.asarray(model.intercept_, dtype=np.float32),
        )
    return vocabulary, vectorizer.idf_.astype(np.float32), heads


def as_model(
    vocabulary: list[str], idf: Any, heads: dict[str, Head], meta: dict[str, Any]
) -> EventModel:
    """An in-memory model, as the file would load (for cross-validation)."""
    return EventModel({f: i for i, f in enumerate(vocabulary)}, idf, heads, meta)


@dataclass
class HeadScore:
    """Held-out accuracy of one head and how its confidence compares with it."""

    right: int = 0
    total: int = 0
    confident_right: int = 0
    confident: int = 0
    bins: dict[int, list[float]] = field(default_factory=lambda: defaultdict(list))

    def add(self, gold: str, probs: dict[str, float], threshold: float) -> None:
        """Score one prediction."""
        guess = max(probs, key=lambda k: probs[k])
        ok = guess == gold
        self.right += ok
        self.total += 1
        p = probs[guess]
        self.bins[min(int(p * 10), 9)].append(float(ok) - p)
        if p >= threshold:
            self.confident += 1
            self.confident_right += ok

    @property
    def accuracy(self) -> float:
        """Share right."""
        return self.right / self.total if self.total else 0.0

    @property
    def ece(self) -> float:
        """Expected calibration error over ten confidence bins."""
        gaps = sum(abs(sum(b)) for b in self.bins.values())
        return gaps / self.total if self.total else 0.0

    def line(self) -> str:
        """One row of the report."""
        conf = (
            f"{self.confident_right / self.confident:.3f} of {self.confident}"
            if self.confident
            else "—"
        )
        return f"acc {self.accuracy:.3f} ({self.right}/{self.total}), ECE {self.ece:.3f}, " + (
            f"right when confident: {conf}"
        )


def cross_validate(
    examples: Sequence[Example],
    *,
    c: float = DEFAULT_C,
    thresholds: dict[str, float] | None = None,
    by: str = "origin",
    context: bool = False,
) -> dict[str, dict[str, HeadScore]]:
    """Hold out each origin (file/style) in turn, fit on the rest, score the held-out part:
    origin → head → score, with ``*`` the sum over origins."""
    thresholds = thresholds or {}
    groups = sorted({getattr(e, by) for e in examples})
    out: dict[str, dict[str, HeadScore]] = {}
    total = {h: HeadScore() for h in HEADS}
    for group in groups:
        train = [e for e in examples if getattr(e, by) != group]
        test = [e for e in examples if getattr(e, by) == group]
        if not train:
            continue
        vocabulary, idf, heads = fit(train, c=c, context=context)
        model = as_model(vocabulary, idf, heads, {})
        scores = {h: HeadScore() for h in HEADS}
        for example in test:
            feats = features_of(example, context=context)
            for head in HEADS:
                gold = example.label(head)
                if gold is None or head not in heads:
                    continue
                if head != "relevant" and not example.trigger and example.origin != "acled":
                    continue
                probs = model.predict(head, feats)
                if gold not in probs:
                    probs = {**probs, gold: 0.0}
                for s in (scores[head], total[head]):
                    s.add(gold, probs, thresholds.get(head, 0.6))
        out[group] = scores
    out["*"] = total
    return out


def describe(examples: Sequence[Example]) -> dict[str, Any]:
    """Counts of the training data by origin and label (recorded in the model's meta)."""
    by_head: dict[str, dict[str, int]] = {}
    for head in HEADS:
        counter = Counter(str(e.label(head)) for e in examples if e.label(head) is not None)
        by_head[head] = dict(sorted(counter.items()))
    return {
        "examples": len(examples),
        "origins": dict(sorted(Counter(e.origin.split("/")[0] for e in examples).items())),
        "labels": by_head,
        "fitted": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
