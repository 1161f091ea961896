"""Examples and fitting of the verbal-act root model (``wirestream train --verbal``).

Every candidate verb (``pipeline.extract.verbal_acts.candidates``) of a coded sentence is one
example: the CAMEO root of the coded act whose trigger it lies in, else ``none``. The sentences are
the coders' (``data/training/*.jsonl``: one coded act each, or none in non-news text) and the
gold's dev halves (every act of a sentence coded); the parse is the extractor's own model, so the
features are built as at run time. No ACLED data.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.errors import ConfigError
from pipeline.extract.event_features import locate
from pipeline.extract.verbal_acts import NONE, PARSE_FEATURES_VERSION, candidates, features
from pipeline.train.examples import Example
from pipeline.train.gold import read_gold, select


@dataclass(frozen=True)
class Coded:
    """A sentence and the trigger spans of its coded acts (root each)."""

    text: str
    acts: tuple[tuple[int, int, str], ...]
    origin: str
    article: str


def coded_jsonl(path: Path) -> list[Coded]:
    """The coders' sentences of one JSONL file (mined non-events: their candidate is ``none``)."""
    out: list[Coded] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ConfigError(f"{path}:{n}: not JSON: {exc}") from exc
        text, root = str(raw.get("text") or ""), str(raw.get("cameo_root") or "")
        if raw.get("event") is False or raw.get("relevant") is None:
            continue  # mined candidates: their sentences' other verbs are uncoded, not no-events
        acts: tuple[tuple[int, int, str], ...] = ()
        if root:
            start, end = locate(text, str(raw.get("trigger") or ""))
            if start < 0:
                continue  # a trigger not found in its text labels no verb
            acts = ((start, end, root),)
        out.append(Coded(text, acts, path.stem, str(raw.get("id") or f"{path.stem}:{n}")))
    return out


def coded_gold(paths: Iterable[Path], keep: Callable[[str], bool] = lambda _: True) -> list[Coded]:
    """The gold's dev-half sentences of the articles ``keep`` accepts; facts and non-factual
    mentions alike (the root does not depend on the modality)."""
    out: list[Coded] = []
    for path in paths:
        for record in select(read_gold(path), "dev"):
            if not keep(record.article):
                continue
            items = [*record.events, *record.nonfactual]
            acts = tuple((i.start, i.end, i.root) for i in items if i.start >= 0)
            out.append(Coded(record.text, acts, "gold-dev", record.article))
    return out


def examples(
    nlp: Any, sentences: Sequence[Coded], docs: Sequence[Any] | None = None
) -> tuple[list[Example], list[list[str]]]:
    """One example per candidate verb, with its features (``docs``: the sentences parsed)."""
    rows: list[Example] = []
    feats: list[list[str]] = []
    parsed = docs if docs is not None else nlp.pipe([c.text for c in sentences], batch_size=64)
    for coded, doc in zip(sentences, parsed, strict=True):
        for sentence in doc.sents:
            text = coded.text[sentence.start_char : sentence.end_char]
            for token in candidates(sentence, frozenset()):
                end = token.idx + len(token.text)
                root = next((r for s, e, r in coded.acts if s < end and token.idx < e), NONE)
                start = token.idx - sentence.start_char
                feats.append(features(text, start, start + len(token.text), token))
                rows.append(
                    Example(text, token.text, None, None, root, None, coded.origin, coded.article)
                )
    return rows, feats


def fit_verbal(
    nlp: Any,
    sentences: Sequence[Coded],
    *,
    c: float,
    threshold: float,
    out: Path,
    docs: Sequence[Any] | None = None,
) -> dict[str, Any]:
    """Fit the root head on the candidates of ``sentences`` and write the model file."""
    from pipeline.extract.event_model import save_model
    from pipeline.train.fit import describe, fit

    rows, feats = examples(nlp, sentences, docs)
    vocabulary, idf, heads = fit(rows, c=c, features=feats)
    meta = {
        **describe(rows),
        "c": c,
        "thresholds": {"verbal_act": threshold},
        "parse_features_version": PARSE_FEATURES_VERSION,
        "acled": False,
    }
    save_model(out, vocabulary, idf, {"cameo_root": heads["cameo_root"]}, meta)
    return {"model": str(out), "examples": len(rows), "features": len(vocabulary)}
