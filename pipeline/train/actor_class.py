"""Fit the actor-class model (``actor_class_model.npz``) from the coders' actor fields.

    python -m pipeline.train.actor_class [FILE.jsonl ...] [--out PATH | --shipped] [--cv]

Each coded line's ``actor1`` and ``actor2`` (text and ACLED ``class``) is one example, with the
line's ACLED event type and the role. Only the project's own files
(``pipeline/extract/data/training/writer-*.jsonl``) by default; ACLED exports are refused: their
terms forbid a shipped model built on them.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.errors import ConfigError
from pipeline.extract.actor_class_model import (
    DEFAULT_THRESHOLD,
    HEAD,
    OVERRIDE_BELOW,
    OVERRIDE_P,
    SHIPPED_ACTOR_MODEL,
    ActorClassModel,
    actor_features,
    save_actor_model,
)
from pipeline.extract.actor_types import actor_types
from pipeline.extract.event_model import EventModel, Head
from pipeline.train import TRAINING_DIR

#: Inverse regularisation strength: the event model's (not tuned for actors; ``--cv`` scores it).
ACTOR_C = 10.0
MIN_DF = 2


@dataclass(frozen=True)
class ActorExample:
    """One coded actor: its words, the event's ACLED type, its role (1 or 2) and class."""

    text: str
    event_type: str
    role: int
    acled_class: int
    origin: str
    """The file it came from: what cross-validation holds out."""


def class_number(name: str, names: Mapping[int, str]) -> int:
    """The number of an ACLED class name, singular or plural ("Rebel group", "Rebel groups")."""
    key = name.strip().lower().rstrip("s")
    for code, known in names.items():
        if known.lower().rstrip("s") == key:
            return code
    raise ConfigError(f"{name!r} is no ACLED actor class")


def read_actor_examples(path: Path) -> list[ActorExample]:
    """The coded actors of one JSONL file of the coders (lines without a class are skipped)."""
    names = actor_types().acled_names
    out: list[ActorExample] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        raw = json.loads(line)
        if raw.get("origin") == "acled" or "notes" in raw:
            raise ConfigError(f"{path}:{n}: ACLED data cannot train the shipped actor model")
        for role, key in ((1, "actor1"), (2, "actor2")):
            actor = raw.get(key)
            if not isinstance(actor, dict) or not actor.get("class") or not actor.get("text"):
                continue
            out.append(
                ActorExample(
                    str(actor["text"]),
                    str(raw.get("event_type") or ""),
                    role,
                    class_number(str(actor["class"]), names),
                    path.stem,
                )
            )
    return out


def fit_actor_model(
    examples: Sequence[ActorExample], *, c: float = ACTOR_C
) -> tuple[list[str], Any, Head]:
    """Vocabulary, IDF weights and the class head (sklearn imported here only)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_limits

    vectorizer = TfidfVectorizer(
        analyzer=lambda feats: feats, min_df=MIN_DF, sublinear_tf=True, dtype=np.float32
    )
    matrix = vectorizer.fit_transform(
        [actor_features(e.text, e.event_type, e.role) for e in examples]
    )
    model = LogisticRegression(C=c, max_iter=3000)
    with threadpool_limits(1):
        model.fit(matrix, [str(e.acled_class) for e in examples])
    head = Head(
        tuple(str(x) for x in model.classes_),
        np.ascontiguousarray(model.coef_.T, dtype=np.float32),
        np.asarray(model.intercept_, dtype=np.float32),
    )
    vocabulary = [str(f) for f in vectorizer.get_feature_names_out()]
    return vocabulary, vectorizer.idf_.astype(np.float32), head


def as_actor_model(
    vocabulary: list[str], idf: Any, head: Head, threshold: float = DEFAULT_THRESHOLD
) -> ActorClassModel:
    """An in-memory model, as the file would load."""
    index = {f: i for i, f in enumerate(vocabulary)}
    return ActorClassModel(EventModel(index, idf, {HEAD: head}, {}), threshold)


def cross_validate(
    examples: Sequence[ActorExample], *, c: float = ACTOR_C
) -> dict[str, dict[str, float]]:
    """Hold out each file in turn: accuracy, expected calibration error (ten bins) and the share
    right among predictions at or above the default threshold, per file and ``*`` over all."""
    bins: dict[str, dict[int, list[float]]] = defaultdict(lambda: defaultdict(list))
    tallies: dict[str, Counter[str]] = defaultdict(Counter)
    for origin in sorted({e.origin for e in examples}):
        train = [e for e in examples if e.origin != origin]
        test = [e for e in examples if e.origin == origin]
        model = as_actor_model(*fit_actor_model(train, c=c))
        for e in test:
            probs = model.probabilities(e.text, e.event_type, e.role)
            guess = max(probs, key=lambda k: probs[k])
            ok = guess == e.acled_class
            for key in (origin, "*"):
                t = tallies[key]
                t["n"] += 1
                t["right"] += ok
                if probs[guess] >= DEFAULT_THRESHOLD:
                    t["confident"] += 1
                    t["confident_right"] += ok
                bins[key][min(int(probs[guess] * 10), 9)].append(float(ok) - probs[guess])
    out: dict[str, dict[str, float]] = {}
    for key, t in tallies.items():
        out[key] = {
            "n": t["n"],
            "accuracy": round(t["right"] / t["n"], 3),
            "ece": round(sum(abs(sum(b)) for b in bins[key].values()) / t["n"], 3),
            "confident": t["confident"],
            "right_when_confident": round(t["confident_right"] / max(t["confident"], 1), 3),
        }
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Fit, write and (``--cv``) cross-validate the actor-class model."""
    p = argparse.ArgumentParser(prog="python -m pipeline.train.actor_class", description=__doc__)
    p.add_argument("files", nargs="*", type=Path, metavar="FILE.jsonl")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--out", type=Path, default=Path("actor_class_model.npz"))
    out.add_argument("--shipped", action="store_true", help=f"write {SHIPPED_ACTOR_MODEL.name}")
    p.add_argument("--c", type=float, default=ACTOR_C)
    p.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD, help="least p to fill")
    p.add_argument("--override-p", type=float, default=OVERRIDE_P, help="least p to replace")
    p.add_argument(
        "--override-below", type=float, default=OVERRIDE_BELOW, help="rule confidence replaced"
    )
    p.add_argument("--cv", action="store_true", help="hold out each file in turn and score it")
    args = p.parse_args(argv)
    files = args.files or sorted(TRAINING_DIR.glob("writer-*.jsonl"))
    if any(f.suffix.lower() == ".csv" for f in files):
        raise ConfigError("ACLED exports cannot train the shipped actor model")
    examples = [e for f in files for e in read_actor_examples(f)]
    if not examples:
        raise ConfigError("no coded actors in the given files")
    vocabulary, idf, head = fit_actor_model(examples, c=args.c)
    meta = {
        "examples": len(examples),
        "origins": dict(sorted(Counter(e.origin for e in examples).items())),
        "classes": dict(sorted(Counter(str(e.acled_class) for e in examples).items())),
        "c": args.c,
        "threshold": args.threshold,
        "override_p": args.override_p,
        "override_below": args.override_below,
        "fitted": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    path = SHIPPED_ACTOR_MODEL if args.shipped else args.out
    save_actor_model(path, vocabulary, idf, head, meta)
    print(
        f"wrote {path} ({path.stat().st_size:,} bytes, {len(vocabulary):,} features, "
        f"{len(examples):,} actors)"
    )
    if args.cv:
        for origin, s in cross_validate(examples, c=args.c).items():
            print(f"held out {origin:10} {json.dumps(s)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
