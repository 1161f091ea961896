"""Armed groups of a communal conflict: when an article tells of clan, ethnic or communal
violence ("the motive was clan revenge", "clashes between two communities"), the armed groups it
does not name are identity militias (ACLED class 4), not an unidentified armed group (3)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from spacy.tokens import Token

from pipeline.extract.actor_types import CommunalContext
from pipeline.extract.communities import Communities
from schemas import Actor, Event


def is_cue(token: Token, rule: CommunalContext) -> bool:
    """True when ``token`` tells of communal conflict: a cue word on its own ("clashes between
    two clans") or qualifying a word of conflict ("clan revenge", "ethnic militia"); not a
    person's title ("a tribal elder").
    """
    if token.lower_ not in rule.words:
        return False
    if token.dep_ in ("amod", "compound") and token.head.pos_ in ("NOUN", "PROPN"):
        return token.head.lemma_.lower() in rule.conflict_words
    return True


def is_communal(
    tokens: Iterable[Token], rule: CommunalContext, communities: Communities | None = None
) -> bool:
    """True when one of the article's tokens is a cue of communal conflict, or the article names
    one of ``communities`` ("presumed to be Gok Dinka", "Konkomba and Bimoba fought")."""
    seen = list(tokens)
    if any(is_cue(t, rule) for t in seen):
        return True
    return communities is not None and communities.named_in(seen)


def _reclassed(actor: Actor | None, rule: CommunalContext, named: frozenset[str]) -> Actor | None:
    if (
        actor is None
        or actor.acled_class not in rule.replaces
        or actor.type not in rule.types
        or actor.normalized in named  # a named group keeps its class ("Hezbollah", "Wagner")
    ):
        return actor
    return actor.derive(acled_class=rule.acled_class)


def identity_militias(
    events: Sequence[Event],
    tokens: Iterable[Token],
    rule: CommunalContext,
    named: frozenset[str],
    communities: Communities | None = None,
) -> list[Event]:
    """The events, their unnamed armed groups (actor 1 or 2) identity militias when the article's
    ``tokens`` tell of a communal conflict or name one of ``communities``; ``named``: normalised
    names of the dictionary's named actors, which keep their class."""
    if not events or not is_communal(tokens, rule, communities):
        return list(events)
    out: list[Event] = []
    for event in events:
        actor1 = _reclassed(event.actor1, rule, named)
        actor2 = _reclassed(event.actor2, rule, named)
        if actor1 is event.actor1 and actor2 is event.actor2:
            out.append(event)
        else:
            out.append(event.derive(actor1=actor1, actor2=actor2))
    return out
