"""The ACLED class of an actor the rules leave without one, from a fitted linear model.

The rules (``actor_types.yaml``) give a class to every actor whose type they know; a name the
dictionary does not know ("the Gran Grif gang", "men in a van without plates") has the type of
what NER said of it (person, organization) and no class. This model reads the actor's words, their
character n-grams, its head noun, the event's ACLED type and the actor's role (1: the doer, 2:
the target) and gives each class a probability (a logistic regression, checked for calibration on
held-out writers' files: ``python -m pipeline.train.actor_class --cv``). The file is the same kind
as the event model's (``.npz``, no pickled objects); ``pipeline.train.actor_class`` writes it from
the project's own coded lines, never from ACLED data. ``WIRESTREAM_ACTOR_MODEL`` names another
file; ``off`` turns it off.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any

from pipeline.errors import ConfigError
from pipeline.extract.datafiles import DATA_DIR
from pipeline.extract.event_model import EventModel, Floats, Head, read_model_file, save_model
from schemas.events import Actor, Event

SHIPPED_ACTOR_MODEL = DATA_DIR / "actor_class_model.npz"
ENV_VAR = "WIRESTREAM_ACTOR_MODEL"
HEAD = "acled_class"
FEATURE_VERSION = 1
#: Below this probability the actor keeps no class (the record says "none fits" rather than a
#: guess); the fitting command's ``--threshold`` records another in the file.
DEFAULT_THRESHOLD = 0.5
#: A target (actor 2) whose rule class has a confidence below ``OVERRIDE_BELOW`` takes the
#: model's class when the model gives it at least ``OVERRIDE_P``: measured better on the ACLED DEV
#: notes (a victim the rules call police or a militia, "criminals" or "an NGO staff member",
#: whom ACLED codes as civilians). Actor 1 never: there the rules beat the model at every
#: confidence (training README, "Actor classes").
OVERRIDE_P = 0.8
OVERRIDE_BELOW = 0.7

_WORD = re.compile(r"[a-z0-9]+(?:['’-][a-z0-9]+)*")
# words after which a phrase no longer names its head ("supporters OF the party", "men WHO")
_HEAD_ENDS = frozenset(
    {
        "of", "from", "in", "at", "on", "who", "which", "that", "with", "without", "belonging",
        "loyal", "aligned", "associated", "allied", "linked", "affiliated", "near", "under", "by",
        "for", "to", "as", "during", "after", "armed",
    }
)  # fmt: skip


def words_of(text: str) -> list[str]:
    """The phrase's words, lower case."""
    return _WORD.findall(text.lower())


def stem(word: str) -> str:
    """A crude singular ("militias" → "militia", "men" → "man"): heads of plural phrases."""
    if word.endswith("men") and len(word) > 3:
        return word[:-3] + "man"
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def head_word(words: Sequence[str]) -> str:
    """The head noun of a phrase: its last word before a preposition or relative clause."""
    head = ""
    for i, word in enumerate(words):
        if word in _HEAD_ENDS and i > 0:
            break
        head = word
    return stem(head)


def actor_features(text: str, event_type: str, role: int) -> list[str]:
    """What the model reads of an actor: words, bigrams, character 3–5-grams of each word, the
    head noun, the event type, the role and their conjunctions with the head."""
    words = words_of(text)
    head = head_word(words)
    kind = event_type or "-"
    feats = [f"w:{w}" for w in words]
    feats += [f"b:{a}_{b}" for a, b in pairwise(words)]
    for word in words:
        padded = f"<{word}>"
        feats += [f"c:{padded[i : i + n]}" for n in (3, 4, 5) for i in range(len(padded) - n + 1)]
    feats += [
        f"h:{head}",
        f"e:{kind}",
        f"r:{role}",
        f"er:{kind}|{role}",
        f"hr:{head}|{role}",
        f"her:{head}|{kind}|{role}",
    ]
    if text[:1].isupper() and any(w[:1].isupper() for w in text.split()[1:]):
        feats.append("shape:Name")  # a proper name ("Gran Grif gang"), not a description
    return feats


@dataclass(frozen=True)
class ActorClassModel:
    """The fitted vocabulary, IDF weights and class head; ``threshold``: least probability
    for a class to be written."""

    model: EventModel
    threshold: float
    override_p: float = OVERRIDE_P
    override_below: float = OVERRIDE_BELOW

    def probabilities(self, text: str, event_type: str, role: int) -> dict[int, float]:
        """ACLED class → probability for the actor ``text`` in ``role`` of an event."""
        probs = self.model.predict(HEAD, actor_features(text, event_type, role))
        return {int(c): p for c, p in probs.items()}

    def best(self, text: str, event_type: str, role: int) -> tuple[int, float] | None:
        """The likeliest class and its probability, None below the threshold."""
        probs = self.probabilities(text, event_type, role)
        code = max(probs, key=lambda c: probs[c])
        return (code, probs[code]) if probs[code] >= self.threshold else None

    def fill(self, events: Sequence[Event]) -> list[Event]:
        """The events with the model's class for each actor named in the text that the rules
        gave none, and for a target whose rule class is of low confidence (others unchanged)."""
        return [self._filled(e) for e in events]

    def _filled(self, event: Event) -> Event:
        changes: dict[str, Actor] = {}
        for role, name in ((1, "actor1"), (2, "actor2")):
            actor: Actor | None = getattr(event, name)
            if actor is None or actor.span is None:
                continue  # no words name it: its class is its role's (actor_types.yaml)
            if actor.acled_class is None:
                found = self.best(actor.name, event.event_type, role)
            elif role == 2 and actor.confidence < self.override_below:
                probs = self.probabilities(actor.name, event.event_type, role)
                code = max(probs, key=lambda c: probs[c])
                found = (code, probs[code]) if probs[code] >= self.override_p else None
            else:
                continue
            if found is not None and found[0] != actor.acled_class:
                changes[name] = actor.derive(acled_class=found[0])
        return event.derive(**changes) if changes else event


def save_actor_model(
    path: Path,
    vocabulary: list[str],
    idf: Floats,
    head: Head,
    meta: dict[str, Any],
) -> None:
    """Write a model file (weights as float16, as the event model's)."""
    save_model(path, vocabulary, idf, {HEAD: head}, meta, feature_version=FEATURE_VERSION)


def load_actor_model(path: Path) -> ActorClassModel:
    """The model file at ``path`` (a ConfigError when it is not one)."""
    try:
        vocabulary, idf, heads, meta = read_model_file(path, (HEAD,))
        head = heads[HEAD]
    except (OSError, KeyError, ValueError) as exc:
        raise ConfigError(f"{path}: not a readable actor-class model: {exc}") from exc
    if meta.get("feature_version") != FEATURE_VERSION:
        raise ConfigError(
            f"{path}: fitted with actor features v{meta.get('feature_version')}, these are "
            f"v{FEATURE_VERSION}: refit it with `python -m pipeline.train.actor_class`"
        )
    model = EventModel({f: i for i, f in enumerate(vocabulary)}, idf, {HEAD: head}, meta)
    return ActorClassModel(
        model,
        float(meta.get("threshold", DEFAULT_THRESHOLD)),
        float(meta.get("override_p", OVERRIDE_P)),
        float(meta.get("override_below", OVERRIDE_BELOW)),
    )


@cache
def actor_class_model() -> ActorClassModel | None:
    """The model ``$WIRESTREAM_ACTOR_MODEL`` names, else the shipped one; None when the variable
    says ``off`` or no file ships. Read once per process."""
    setting = os.environ.get(ENV_VAR, "")
    if setting.lower() == "off":
        return None
    path = Path(setting) if setting else SHIPPED_ACTOR_MODEL
    if not setting and not path.exists():
        return None
    return load_actor_model(path)
