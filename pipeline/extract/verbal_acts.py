"""Verbal and diplomatic acts the lexicon's patterns do not code, found by a learned root head.

Most missed events of the gold are told with verbs the lexicon knows but whose patterns did not
match ("termed the move a reflection of insecurity", "claimed the party was only working to",
"has rejected a possible merger") or verbs it lacks ("insulted our martyrs", "implied"). Every verb
with a subject that no trigger took is a candidate; a linear model reads it in its sentence (the
event model's words) *and* in its parse (lemma, particle, object, preposition, complement verb,
negation, the speaker's dependency) and gives a CAMEO root or ``none``. A candidate becomes a
trigger when the root is one of the verbal/diplomatic roots of ``data/verbal_acts.yaml`` with a
probability at or above the model's ``verbal_act`` threshold; the parse then builds the event as
for any trigger. The model (``data/verbal_act_model.npz``) is fitted by ``wirestream train
--verbal`` on the coders' sentences and the gold's dev halves (no ACLED data).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Span, Token

from pipeline.errors import ConfigError
from pipeline.extract.datafiles import DATA_DIR, check_keys, read_yaml
from pipeline.extract.event_features import candidate_features
from pipeline.extract.event_model import EventModel, load_model

SHIPPED_VERBAL_MODEL = DATA_DIR / "verbal_act_model.npz"
ENV_VAR = "WIRESTREAM_VERBAL_MODEL"
OFF = ("off", "none", "rules")
PARSE_FEATURES_VERSION = 1
"""Bumped whenever :func:`parse_features` changes: the model file records the version."""
NONE = "none"
THRESHOLD = "verbal_act"
DEFAULT_THRESHOLD = 1.01
"""A model file that records no threshold proposes nothing."""

_SKIP_DEPS = frozenset({"aux", "auxpass", "amod", "compound", "nmod", "poss", "case", "det"})
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj"})
_OBJECT_DEPS = frozenset({"dobj", "obj", "attr", "oprd", "dative"})
_CLAUSE_DEPS = frozenset({"ccomp", "xcomp"})
_SENTENCE_PREFIXES = ("w:", "b:")


@dataclass(frozen=True)
class VerbalActRoots:
    """The CAMEO roots the step may code (statements to threats: no material or violent act)."""

    roots: frozenset[str]


def load_verbal_act_roots(path: Path | None = None) -> VerbalActRoots:
    """Read ``verbal_acts.yaml``."""
    path = path or DATA_DIR / "verbal_acts.yaml"
    data = read_yaml(path)
    check_keys(str(path), data, ("roots",), ("roots",))
    roots = data["roots"]
    if not isinstance(roots, list) or not all(
        isinstance(r, str) and len(r) == 2 and r.isdigit() for r in roots
    ):
        raise ConfigError(f"{path}: roots must be a list of two-digit strings")
    return VerbalActRoots(frozenset(roots))


def _lemma(token: Token) -> str:
    return token.lemma_.lower()


def parse_features(verb: Token) -> list[str]:
    """What the parse says of a candidate verb: its lemma (with particle), what it governs
    (object, preposition and its object, complement verb), negation and how it hangs in the
    sentence. Prefix ``p*:`` so they never collide with the event model's word features."""
    lemma = _lemma(verb)
    out = [f"pl:{lemma}", f"pd:{verb.dep_}", f"pt:{verb.tag_}"]
    for child in verb.children:
        dep = child.dep_
        if dep == "prt":
            out.append(f"pp:{lemma} {child.lower_}")
        elif dep in _OBJECT_DEPS:
            out.append(f"po:{_lemma(child)}")
            out.append(f"pvo:{lemma} {_lemma(child)}")
        elif dep == "prep":
            out.append(f"pq:{lemma} {child.lower_}")
            pobj = next((c for c in child.children if c.dep_ in ("pobj", "pcomp")), None)
            if pobj is not None:
                out.append(f"pqo:{child.lower_} {_lemma(pobj)}")
        elif dep in _CLAUSE_DEPS:
            out.append(f"pc:{dep} {_lemma(child)}")
            out.append(f"pvc:{lemma} {dep}")
            if any(c.dep_ == "neg" for c in child.children):
                out.append("pcn:neg")
            if any(
                c.dep_ == "aux" and c.lower_ in ("will", "would", "'ll") for c in child.children
            ):
                out.append("pcf:future")
            if any(c.dep_ == "aux" and c.lower_ in ("must", "should") for c in child.children):
                out.append("pcm:must")
        elif dep == "neg":
            out.append("pn:neg")
        elif dep in _SUBJECT_DEPS:
            out.append(f"ps:{dep} {child.ent_type_ or child.pos_}")
    if verb.dep_ in _CLAUSE_DEPS or verb.dep_ in ("advcl", "conj", "relcl"):
        out.append(f"ph:{verb.dep_} {_lemma(verb.head)}")
    return out


def candidates(sentence: Span, taken: frozenset[int]) -> list[Token]:
    """The verbs of a sentence that may tell an act: a clause's verb with a subject of its own or
    a governing clause's (coordination, "saying"), that no trigger took (``taken``: token
    indices)."""
    return [
        t
        for t in sentence
        if t.pos_ == "VERB"
        and t.i not in taken
        and t.dep_ not in _SKIP_DEPS
        and (
            any(c.dep_ in _SUBJECT_DEPS for c in t.children) or t.dep_ in ("conj", "advcl", "xcomp")
        )
    ]


def features(sentence_text: str, start: int, end: int, verb: Token) -> list[str]:
    """The model's features of one candidate: the event model's trigger words and window (not
    the sentence's bag of words, the same for every verb of it) plus the parse."""
    words = candidate_features(sentence_text, start, end)
    return [f for f in words if not f.startswith(_SENTENCE_PREFIXES)] + parse_features(verb)


@dataclass(frozen=True)
class VerbalAct:
    """A candidate the model codes as a verbal or diplomatic act."""

    token: Token
    root: str
    probability: float
    """The model's probability of ``root``."""
    none: float = 0.0
    """Its probability that the verb tells no act at all."""


class VerbalActFinder:
    """Proposes verbal acts with a fitted root model (None: never)."""

    def __init__(self, model: EventModel | None, roots: VerbalActRoots) -> None:
        self.model = model
        self.roots = roots.roots
        self.threshold = model.threshold(THRESHOLD, DEFAULT_THRESHOLD) if model else 2.0

    def find(self, sentence: Span, text: str, taken: frozenset[int]) -> list[VerbalAct]:
        """The sentence's acts, in text order (``text``: the sentence as the article has it)."""
        model = self.model
        if model is None or self.threshold > 1.0:
            return []
        found: list[VerbalAct] = []
        offset = sentence.start_char
        head = model.heads["cameo_root"]
        for token in candidates(sentence, taken):
            start = token.idx - offset
            rows, values = model.vector(features(text, start, start + len(token.text), token))
            probs = head.probabilities(rows, values)
            none = probs.pop(NONE, 0.0)
            root = max(probs, key=lambda k: probs[k])
            if root in self.roots and probs[root] >= self.threshold:
                found.append(VerbalAct(token, root, probs[root], none))
        return found


def load_verbal_act_finder(
    data_dir: Path | None = None, model_path: Path | None = None
) -> VerbalActFinder:
    """The finder with the model of ``model_path``, ``$WIRESTREAM_VERBAL_MODEL`` or the shipped
    file (``off``: none; no shipped file: none)."""
    setting = str(model_path) if model_path else os.environ.get(ENV_VAR, "")
    roots = load_verbal_act_roots(data_dir / "verbal_acts.yaml" if data_dir else None)
    if setting.lower() in OFF:
        return VerbalActFinder(None, roots)
    path = Path(setting) if setting else SHIPPED_VERBAL_MODEL
    if not setting and not path.exists():
        return VerbalActFinder(None, roots)
    model = load_model(path)
    if model.meta.get("parse_features_version") != PARSE_FEATURES_VERSION:
        raise ConfigError(
            f"{path}: fitted with parse features v{model.meta.get('parse_features_version')}, "
            f"these are v{PARSE_FEATURES_VERSION}: refit it with `wirestream train --verbal`"
        )
    if "cameo_root" not in model.heads:
        raise ConfigError(f"{path}: no cameo_root head: not a verbal-act model")
    return VerbalActFinder(model, roots)
