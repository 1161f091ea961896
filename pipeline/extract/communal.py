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


def _victims(events: Sequence[Event]) -> list[tuple[int, int]]:
    """Character spans of the events' targets (actor 2)."""
    return [
        (e.actor2.span.start, e.actor2.span.end)
        for e in events
        if e.actor2 is not None and e.actor2.span is not None
    ]


def _outside(tokens: Iterable[Token], spans: Sequence[tuple[int, int]]) -> list[Token]:
    """The tokens that lie in none of ``spans``, nor qualify a noun that lies in one."""
    return [t for t in tokens if not any(a <= t.idx < b or a <= t.head.idx < b for a, b in spans)]


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
    if not events:
        return list(events)
    seen = list(tokens)
    if not any(is_cue(t, rule) for t in seen) and not (
        # a community named only for the victims ("gunmen abducted two Fulani men") tells who
        # was harmed, not who harmed them: ACLED keeps the unidentified armed group
        communities is not None and communities.named_in(_outside(seen, _victims(events)))
    ):
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
