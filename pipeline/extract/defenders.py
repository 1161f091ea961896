"""Who started a fight: ACLED codes the attacker of a battle as actor 1. When the extracted
agent is the side that repelled the attack ("Afghan forces repulsed their attack", "were repelled
by Ukrainian forces"), the two armed sides change places."""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc, Token

from pipeline.extract.actor_types import DefenderRule
from schemas import Actor, Event


def _head(doc: Doc, actor: Actor) -> Token | None:
    if actor.span is None:
        return None
    span = doc.char_span(actor.span.start, actor.span.end, alignment_mode="expand")
    return span.root if span is not None else None


def defends(token: Token, verbs: frozenset[str]) -> bool:
    """True when ``token`` is the one who repels: subject of a defensive verb ("X repelled"),
    its "by" agent ("were repelled by X"), or coordinated with either ("X and Y repulsed")."""
    while token.dep_ == "conj" and token.head.pos_ in ("NOUN", "PROPN", "PRON"):
        token = token.head
    if token.dep_ == "nsubj":
        return token.head.lemma_.lower() in verbs
    if token.dep_ == "pobj" and token.head.dep_ == "agent":
        return token.head.head.lemma_.lower() in verbs
    return False


def attackers_first(events: Sequence[Event], doc: Doc, rule: DefenderRule) -> list[Event]:
    """The events, a battle's two armed sides swapped when actor 1 is the defender."""
    out: list[Event] = []
    for event in events:
        a1, a2 = event.actor1, event.actor2
        if (
            event.event_type in rule.types
            and a1 is not None
            and a2 is not None
            and a1.acled_class in rule.classes
            and a2.acled_class in rule.classes
            and a1.normalized != a2.normalized
        ):
            head = _head(doc, a1)
            if head is not None and defends(head, rule.verbs):
                event = event.derive(actor1=a2, actor2=a1)
        out.append(event)
    return out
