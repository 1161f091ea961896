"""Attribution: who, within the article, says an event happened ("a military source said")."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from spacy.tokens import Span, Token

from pipeline.extract.actors import NamedActor, phrase_tokens
from pipeline.extract.cues import Cues

_SUBJECT_DEPS = ("nsubj", "nsubjpass")
_REPORTED_DEPS = frozenset(
    {
        "ccomp",
        "xcomp",
        "parataxis",
        "advcl",
        "conj",
        "dep",
        "acl",
        "relcl",
        "pcomp",
        "prep",
        "pobj",
        "dobj",
    }
)


@dataclass(frozen=True)
class Source:
    """A source phrase: its text and character offsets, kind and confidence."""

    text: str
    start: int
    end: int
    kind: str
    confidence: float
    pronoun: bool = False
    """True when the speaker is a pronoun ("it said", "we have stressed"): its antecedent is
    elsewhere."""


def _speaker(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ in _SUBJECT_DEPS:
            return child
    for child in verb.children:  # "it was reported by the agency"
        if child.dep_ == "agent":
            return next((c for c in child.children if c.dep_ == "pobj"), None)
    return None


def _source(
    speaker: Token,
    via: Token | None,
    cues: Cues,
    named: Mapping[int, tuple[Span, NamedActor]],
    confidence: float,
) -> Source:
    tokens = [t for t in phrase_tokens(speaker) if t.dep_ != "case" or t.head.i != speaker.i]
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
    lemmas = [t.lemma_.lower() for t in tokens]
    kind = cues.attribution_kind(lemmas)
    types = {named[t.i][1].type for t in tokens if t.i in named}
    if "media" in types:
        kind = "media"
    elif kind == "source" and types & {"government", "state_military", "police"}:
        kind = "official"
    if (
        via is not None
        and kind in ("source", "official")
        and any(
            c.dep_ == "prep"
            and any(
                p.lemma_.lower() in cues.attribution_kinds.get("statement", ()) for p in c.children
            )
            for c in via.children
        )
    ):
        kind = "statement"  # "said in a statement"
    text = speaker.doc[tokens[0].i : tokens[-1].i + 1].text
    return Source(text, start, end, kind, confidence, pronoun=speaker.pos_ == "PRON")


def _according_to(sentence: Span, cues: Cues) -> Token | None:
    for token in sentence:
        lower = token.lower_
        if lower == "according":
            to = next((c for c in token.children if c.lower_ == "to"), None)
            if to is not None:
                return next((c for c in to.children if c.dep_ == "pobj"), None)
        if lower in cues.according_to and token.pos_ == "VERB":  # "citing the army"
            obj = next((c for c in token.children if c.dep_ == "dobj"), None)
            if obj is not None:
                return obj
    return None


def find_source(
    verb: Token, cues: Cues, named: Mapping[int, tuple[Span, NamedActor]]
) -> Source | None:
    """The source of the event clause headed by ``verb``, from the parse; None when unattributed.

    The speaker is the subject of the nearest reporting verb that governs the clause (also when the
    parse hangs "..., the source said" below the event verb); else an "according to X" phrase.
    """
    token = verb
    steps = 0
    pronoun: Source | None = None
    while token.head.i != token.i and steps < 8:
        steps += 1
        child, token = token, token.head
        if (
            token.lemma_.lower() in cues.reporting_verbs
            and token.pos_ in ("VERB", "AUX")
            and child.dep_ in _REPORTED_DEPS
        ):
            speaker = _speaker(token)
            if speaker is None:
                continue  # "..., adding that": the speaker is the subject of a higher verb
            found = _source(speaker, token, cues, named, 0.9)
            if not found.pronoun:
                return found
            pronoun = pronoun or found  # "We have stressed that", inside "the statement added"
    if pronoun is not None:
        return pronoun
    # "X recaptured Y, the source said" parsed with "said" under the event verb
    root = verb
    while root.head.i != root.i and root.dep_ in ("conj", "xcomp", "advcl"):
        root = root.head
    for child in root.children:
        if (
            child.lemma_.lower() in cues.reporting_verbs
            and child.pos_ == "VERB"
            and child.i > verb.i
        ):
            speaker = _speaker(child)
            if speaker is not None and speaker.lower_ not in ("it", "this", "he", "she", "they"):
                return _source(speaker, child, cues, named, 0.75)
    pobj = _according_to(verb.sent, cues)
    if pobj is not None:
        return _source(pobj, None, cues, named, 0.85)
    return None
