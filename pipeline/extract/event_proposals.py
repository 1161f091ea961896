"""Events the lexicon has no trigger for, proposed by the learned typer.

When the rules find no factual event in an article ("rioters hurled a Molotov cocktail",
"reinforcements arrived on the front", "Clashes between rival groups over cattle"), each sentence's
verbs and headline nouns are read by the model as candidate triggers; the one it is surest names an
ACLED event (type probability high, the ``none`` class low) becomes a candidate the extractor then
treats like any other: actors, modality, place and date from the parse.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from pipeline.extract.event_features import candidate_features, context_features
from pipeline.extract.event_model import EventModel
from pipeline.extract.event_typer import NONE

#: The parts of speech and (for nouns) dependencies a proposed trigger may have: a clause's verb,
#: or a noun heading a headline ("Clashes between rival groups over cattle").
_NOUN_DEPS = frozenset({"ROOT"})


PROPOSED_CONFIDENCE = 0.8
"""A proposed trigger's confidence per unit of the model's probability: below a lexicon trigger's
(0.85), so an event the rules found is reported first."""


@dataclass(frozen=True)
class Proposal:
    """A candidate trigger the model proposes, with what it predicts for it."""

    token: Token
    code: str
    """The model's CAMEO root's unspecified code ("190"); the typer then sets the ACLED type."""
    event_type: str
    probability: float
    """The model's probability of ``event_type`` times that the candidate is an event at all."""


def candidates(sentence: Span) -> list[Token]:
    """The tokens of a sentence that may name its act: verbs and headline or subject nouns."""
    return [
        t
        for t in sentence
        if (
            t.pos_ == "VERB"
            and t.dep_ not in ("aux", "auxpass", "amod")
            # "expected to take place", "said that": the complement is the act, or no act is
            and not any(c.dep_ in ("xcomp", "ccomp") for c in t.children)
        )
        or (t.pos_ == "NOUN" and t.dep_ in _NOUN_DEPS)
    ]


def propose(
    model: EventModel,
    sentence: Span,
    text: str,
    min_type: float,
    max_none: float,
    known: frozenset[str] = frozenset(),
    article: str = "",
) -> list[Proposal]:
    """The sentence's candidate triggers, surest first, that the model gives an ACLED type with
    probability ≥ ``min_type`` and a no-event probability < ``max_none``; ``text``: the
    sentence. The type is the likeliest ACLED one: "no ACLED type" cannot propose an event.
    Verbs whose lemma is in ``known`` (the lexicon's) are the rules' to decide, never proposed:
    "a fireworks cache exploded" is no bombing because the rules say so."""
    found: list[Proposal] = []
    offset = sentence.start_char
    lead = context_features(article) if model.uses_context else []
    for token in candidates(sentence):
        if token.pos_ == "VERB" and token.lemma_.lower() in known:
            continue
        start = token.idx - offset
        feats = candidate_features(text, start, start + len(token.text)) + lead
        rows, values = model.vector(feats)
        types = model.heads["event_type"].probabilities(rows, values)
        types.pop("", None)
        if not types:
            continue
        event_type = max(types, key=lambda k: types[k])
        if types[event_type] < min_type:
            continue
        roots = model.heads["cameo_root"].probabilities(rows, values)
        none = roots.pop(NONE, 0.0)
        if none >= max_none or not roots:
            continue
        root = max(roots, key=lambda k: roots[k])
        found.append(Proposal(token, root + "0", event_type, types[event_type] * (1.0 - none)))
    return sorted(found, key=lambda p: -p.probability)
