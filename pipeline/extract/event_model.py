"""A fitted event-type model read from its file, predicting with numpy alone.

The file (``.npz``, no pickled objects) holds a TF-IDF vocabulary with its IDF weights and one
linear layer per *head*: ``event_type`` and ``sub_event_type`` (ACLED), ``cameo_root`` and
``relevant`` (is the text conflict/political news at all). ``pipeline.train`` writes it; reading it
needs no scikit-learn, and a file from elsewhere (``WIRESTREAM_EVENT_MODEL``) cannot run code.
"""

from __future__ import annotations

import json
import math
import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from pipeline.errors import ConfigError
from pipeline.extract.datafiles import DATA_DIR
from pipeline.extract.event_features import FEATURE_VERSION

#: The model shipped with the package (trained on the project's own data only; see its README).
SHIPPED_MODEL = DATA_DIR / "event_model.npz"
ENV_VAR = "WIRESTREAM_EVENT_MODEL"
HEADS = ("event_type", "sub_event_type", "cameo_root", "relevant")
#: Thresholds used when a model file records none, and the ones ``wirestream train`` records
#: unless ``--threshold`` says otherwise: they must equal the shipped model's, or a plain refit
#: changes the decisions as well as the weights (round 12: root and ``none`` at 0.6/0.7 lowered
#: Afghanistan's DEV type 0.90 -> 0.80, "soldier killed by a sniper" left with no ACLED type).
DEFAULT_THRESHOLDS = {
    # above 1: the root head never overrides the rules' root (README, "Event types")
    "cameo_root": 1.01,
    "event_type": 0.6,
    "sub_event_type": 0.5,
    "relevant": 0.1,
    # above 1: the mined "no event" class drops nothing (at 0.7 it dropped real grenade blasts)
    "none": 1.01,
    # an event the model proposes where the lexicon has no trigger (``event_proposals``)
    "propose_type": 0.35,
    "propose_none": 0.3,
}

Floats = npt.NDArray[np.float32]


@dataclass(frozen=True)
class Head:
    """One linear classifier over the shared features."""

    classes: tuple[str, ...]
    weights: Floats
    """(n_features, n_outputs): one column per class, or one column for a two-class head."""
    bias: Floats

    def probabilities(self, rows: npt.NDArray[np.int64], values: Floats) -> dict[str, float]:
        """Class → probability for one feature vector given as (indices, values)."""
        scores = values @ self.weights[rows] + self.bias if len(rows) else self.bias.copy()
        if len(self.classes) == 2 and scores.shape[0] == 1:
            p = 1.0 / (1.0 + math.exp(-float(scores[0])))
            return {self.classes[0]: 1.0 - p, self.classes[1]: p}
        scores = scores - scores.max()
        exp = np.exp(scores)
        probs = exp / exp.sum()
        return {c: float(p) for c, p in zip(self.classes, probs, strict=True)}


@dataclass(frozen=True)
class EventModel:
    """The vocabulary, its IDF weights and the heads; ``meta`` says what it was trained on."""

    index: dict[str, int]
    idf: Floats
    heads: dict[str, Head]
    meta: dict[str, Any]

    def vector(self, features: list[str]) -> tuple[npt.NDArray[np.int64], Floats]:
        """Sublinear TF × IDF, L2-normalised, as sklearn's TfidfVectorizer makes it."""
        counts = Counter(self.index[f] for f in features if f in self.index)
        if not counts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        rows = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        tf = np.fromiter(counts.values(), dtype=np.float32, count=len(counts))
        values = (1.0 + np.log(tf)) * self.idf[rows]
        norm = float(np.sqrt(values @ values))
        return rows, (values / norm if norm else values).astype(np.float32)

    def predict(self, head: str, features: list[str]) -> dict[str, float]:
        """Class → probability of ``head`` for one candidate's features."""
        rows, values = self.vector(features)
        return self.heads[head].probabilities(rows, values)

    @property
    def uses_context(self) -> bool:
        """True when fitted with the article lead's words too (``wirestream train --context``)."""
        return bool(self.meta.get("context"))

    def threshold(self, name: str, default: float) -> float:
        """A decision threshold recorded in the model file (``meta.thresholds``)."""
        value = self.meta.get("thresholds", {}).get(name, default)
        return float(value)


def save_model(
    path: Path,
    vocabulary: list[str],
    idf: Floats,
    heads: dict[str, Head],
    meta: dict[str, Any],
    feature_version: int = FEATURE_VERSION,
) -> None:
    """Write a model file (weights as float16: half the size, no change in the decisions)."""
    arrays: dict[str, Any] = {
        "vocabulary": np.array(vocabulary, dtype=str),
        "idf": idf.astype(np.float16),
        "meta": np.array(json.dumps({**meta, "feature_version": feature_version}, sort_keys=True)),
    }
    for name, head in heads.items():
        arrays[f"{name}.classes"] = np.array(head.classes, dtype=str)
        arrays[f"{name}.weights"] = head.weights.astype(np.float16)
        arrays[f"{name}.bias"] = head.bias.astype(np.float32)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        np.savez_compressed(fh, **arrays)


def read_model_file(
    path: Path, names: Sequence[str]
) -> tuple[list[str], Floats, dict[str, Head], dict[str, Any]]:
    """Vocabulary, idf, the named heads present and meta of a model file (numpy's errors pass)."""
    with np.load(path, allow_pickle=False) as data:
        vocabulary = [str(v) for v in data["vocabulary"]]
        meta = json.loads(str(data["meta"]))
        heads = {
            name: Head(
                tuple(str(c) for c in data[f"{name}.classes"]),
                data[f"{name}.weights"].astype(np.float32),
                data[f"{name}.bias"].astype(np.float32),
            )
            for name in names
            if f"{name}.classes" in data
        }
        idf = data["idf"].astype(np.float32)
    return vocabulary, idf, heads, meta


def load_model(path: Path | None = None) -> EventModel:
    """The model at ``path``, else ``$WIRESTREAM_EVENT_MODEL``, else the shipped file."""
    path = path or Path(os.environ.get(ENV_VAR) or SHIPPED_MODEL)
    try:
        vocabulary, idf, heads, meta = read_model_file(path, HEADS)
    except (OSError, KeyError, ValueError) as exc:
        raise ConfigError(f"{path}: not a readable event model: {exc}") from exc
    if meta.get("feature_version") != FEATURE_VERSION:
        raise ConfigError(
            f"{path}: fitted with features v{meta.get('feature_version')}, these are "
            f"v{FEATURE_VERSION}: refit it with `wirestream train`"
        )
    return EventModel({f: i for i, f in enumerate(vocabulary)}, idf, heads, meta)
