"""The evaluation baseline: named actors + the verb lexicon, without the dependency parse.

For each verb whose lemma the lexicon knows (a particle or preposition right after it selects a
phrasal entry), the code is the entry's default, or that of the first pattern whose object word
appears in the next six tokens. Actor 1 is the nearest actor mention before the verb, actor 2 the
nearest after it; an actor mention is a run of tokens that are dictionary names or role words.
It uses the same lexicon, actor dictionary and tokens/lemmas/POS as the extractor, so the
difference between the two measures what the parse (subjects, objects, passives, coordination,
clause structure) is worth.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from pipeline.extract import Extractor
from pipeline.extract.actors import ActorDictionary, Member, NamedActor, Role

_WINDOW = 6


@dataclass(frozen=True)
class BaselineEvent:
    """A coded verb with the nearest actor on each side."""

    code: str
    actor1: tuple[Member, ...]
    actor2: tuple[Member, ...]
    start: int = 0
    """Character offsets of the verb in the document."""
    end: int = 0


def _role_at(tokens: list[Token], i: int, roles: tuple[Role, ...]) -> int:
    """Length of the longest role phrase starting at ``tokens[i]`` (0: none)."""
    best = 0
    for role in roles:
        for phrase in role.phrases:
            n = len(phrase)
            if n <= best or i + n > len(tokens):
                continue
            if all(
                tokens[i + k].lower_ in phrase[k] or tokens[i + k].lemma_.lower() in phrase[k]
                for k in range(n)
            ):
                best = n
    return best


def _role_of(tokens: list[Token], roles: tuple[Role, ...]) -> Role | None:
    for role in roles:
        for phrase in role.phrases:
            n = len(phrase)
            for i in range(len(tokens) - n + 1):
                if all(
                    tokens[i + k].lower_ in phrase[k] or tokens[i + k].lemma_.lower() in phrase[k]
                    for k in range(n)
                ):
                    return role
    return None


def _mentions(
    doc: Doc, named: Mapping[int, tuple[Span, NamedActor]], dictionary: ActorDictionary
) -> list[tuple[int, int, tuple[Member, ...]]]:
    tokens = list(doc)
    marked = [False] * len(tokens)
    i = 0
    while i < len(tokens):
        if i in named:
            span = named[i][0]
            for k in range(span.start, span.end):
                marked[k] = True
            i = span.end
            continue
        if tokens[i].pos_ in ("NOUN", "PROPN", "ADJ"):
            n = _role_at(tokens, i, dictionary.roles)
            for k in range(i, i + n):
                marked[k] = True
            if n:
                i += n
                continue
        i += 1
    out: list[tuple[int, int, tuple[Member, ...]]] = []
    i = 0
    while i < len(tokens):
        if not marked[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(tokens) and (
            marked[j + 1]
            or (tokens[j + 1].lower_ in ("'s", "’s") and j + 2 < len(tokens) and marked[j + 2])
        ):
            j += 1
        run = tokens[i : j + 1]
        countries = [named[t.i][1] for t in run if t.i in named]
        role = _role_of(run, dictionary.roles)
        members: list[Member] = []
        seen: set[str | None] = set()
        for actor in countries:
            if actor.code in seen:
                continue
            seen.add(actor.code)
            code = actor.code
            if role is not None and actor.country_like and actor.code:
                code = role.code + actor.code if role.prefix else actor.code + role.code
            members.append(Member(actor.normalized, actor.type, actor.country, code, 0.5, run[0].i))
        if not members and role is not None:
            members.append(Member(role.label, role.type, None, role.code, 0.4, run[0].i))
        if members:
            out.append((i, j + 1, tuple(members)))
        i = j + 1
    return out


def baseline_events(extractor: Extractor, doc: Doc) -> list[BaselineEvent]:
    """Events of ``doc`` coded by the no-parse baseline."""
    lexicon = extractor.lexicon
    named = extractor.actor_matcher.find(doc)
    mentions = _mentions(doc, named, extractor.actor_dictionary)
    out: list[BaselineEvent] = []
    for token in doc:
        if token.pos_ != "VERB":
            continue
        lemma = token.lemma_.lower()
        following = doc[token.i + 1].lower_ if token.i + 1 < len(doc) else ""
        entry = lexicon.lookup(lemma, following) or lexicon.lookup(lemma, None)
        if entry is None:
            continue
        window = {t.lemma_.lower() for t in doc[token.i + 1 : token.i + 1 + _WINDOW]}
        window |= {t.lower_ for t in doc[token.i + 1 : token.i + 1 + _WINDOW]}
        code = entry.code
        for pattern in entry.patterns:
            if pattern.object and window & pattern.object:
                code = pattern.code
                break
        if code is None:
            continue
        left = [m for m in mentions if m[1] <= token.i]
        right = [m for m in mentions if m[0] > token.i]
        actor1 = left[-1][2] if left else ()
        actor2 = right[0][2] if right else ()
        if actor1 or actor2:
            out.append(BaselineEvent(code, actor1, actor2, token.idx, token.idx + len(token.text)))
    return out
