"""Victims told as a headline's subject: "Soldier killed in an ambush", "MDC candidate
attacked" are passives without "was", which the parser reads as the subject doing the act. The
subject of one of ``victim_subject_verbs`` (actor_types.yaml) with no object, auxiliary or
complement is whom it was done to; the doer is the one the text does not name."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from spacy.tokens import Doc, Token

from pipeline.extract.one_sided import trigger_token
from schemas import Actor, Event

_OBJECT_DEPS = frozenset(
    {"dobj", "aux", "auxpass", "ccomp", "xcomp", "prt", "dative", "attr", "oprd", "nsubjpass"}
)

_PHRASE_START = frozenset({"DET", "NUM", "ADJ", "NOUN", "PROPN", "PRON"})
"""Tags that open a noun phrase: right after the verb, its object."""


def _head(doc: Doc, actor: Actor) -> Token | None:
    if actor.span is None:
        return None
    span = doc.char_span(actor.span.start, actor.span.end, alignment_mode="expand")
    return span.root if span is not None else None


def told_as_victim(verb: Token, subject: Token, verbs: frozenset[str]) -> bool:
    """True when ``subject`` is the subject of ``verb``, a verb of ``verbs`` (lemmas) that has no
    object, auxiliary or complement, nor a coordinated verb with an object ("Militants killed
    and wounded five" did it)."""
    return verb.lemma_.lower() in verbs and told_as_passive(verb, subject)


_HEADLINE_TOKENS = 12
"""Longest sentence read as a headline's passive when its subject is no actor: prose this short
with a subject and a bare act is a headline ("home torched", "Bus carrying agents stoned")."""


def told_as_headline_passive(verb: Token, subject: Token) -> bool:
    """:func:`told_as_passive` in a headline-short sentence, with no "with"/"against" (one side
    of a fight or dispute did it: "her spirit clashed with bureaucratic controls")."""
    if len(verb.sent) > _HEADLINE_TOKENS:
        return False
    if any(c.dep_ == "prep" and c.lower_ in ("with", "against") for c in verb.children):
        return False
    return told_as_passive(verb, subject)


def told_as_passive(verb: Token, subject: Token) -> bool:
    """True when ``subject`` is the subject of ``verb`` told as a headline's passive: no object,
    auxiliary or complement, nor a coordinated act with one ("home torched", "agent attacked")."""
    if verb.pos_ != "VERB":
        return False
    if subject.dep_ != "nsubj" or subject.head.i != verb.i:
        return False
    if any(c.dep_ in _OBJECT_DEPS for c in verb.children):
        return False
    if any(c.dep_ == "prep" and c.lower_ == "at" for c in verb.children):
        return False  # "soldiers shot at the crowd": they did
    after = verb.doc[verb.i + 1] if verb.i + 1 < len(verb.doc) else None
    if after is not None and after.pos_ in _PHRASE_START:
        return False  # "X abducted more than 40 elders": an object the parse misread
    doc = verb.doc
    if (
        after is not None
        and after.lower_ == "and"
        and verb.i + 3 < len(doc)
        and doc[verb.i + 2].is_lower
        and doc[verb.i + 3].pos_ in _PHRASE_START
        and doc[verb.i + 2].pos_ not in ("NUM", "DET")
    ):
        return False  # "Soldiers beat and rob villagers": two acts of one doer the parse misread
    # "Militants killed and wounded five", "Russian forces assaulted and were repulsed": a clause
    return not any(c.dep_ in _OBJECT_DEPS for conj in verb.conjuncts for c in conj.children)


def victims_first(
    events: Sequence[Event],
    doc: Doc,
    verbs: frozenset[str],
    doer_of: Callable[[Event, Actor], Actor | None],
) -> list[Event]:
    """The events, a factual act whose actor 1 is told as its victim ("Two soldiers killed in an
    ambush") with that actor as actor 2 and ``doer_of(event, victim)`` as actor 1; and a factual
    act with a target but no doer (an earlier step found it a victim) given that doer too."""
    out: list[Event] = []
    for event in events:
        if not event.factual or not event.event_type:
            out.append(event)
            continue
        victim: Actor | None = None
        if event.actor1 is None and event.actor2 is not None:
            victim = event.actor2
        elif event.actor1 is not None and event.actor2 is None:
            verb = trigger_token(doc, event)
            head = _head(doc, event.actor1)
            if verb is not None and head is not None and told_as_victim(verb, head, verbs):
                victim = event.actor1
        if victim is None:
            out.append(event)
            continue
        doer = doer_of(event, victim)
        if doer is None and event.actor1 is None:
            out.append(event)
            continue
        out.append(event.derive(actor1=doer, actor2=victim))
    return out
