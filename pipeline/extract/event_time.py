"""When an event happened: the date expression its clause governs, else its when-clause, the
date that opens its sentence, its governing act's date, the report's date, the article's anchor,
and last the publication day."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta

from spacy.tokens import Doc, Span, Token

from pipeline.extract.article_state import Context
from pipeline.extract.dates import DAY, WEEK, DateResolver, Resolved, is_month
from pipeline.extract.evidence import evidence_span
from pipeline.extract.triggers import Trigger
from schemas import Span as EvidenceSpan

DURATION = re.compile(
    r"\d+[- ](?:hour|day|week|month|year)s?\b"
    r"|\b(?:hour|day|week|month|year)s?-long\b|-(?:hour|day|week|month|year)\b"
)


def vaguer(resolved: Resolved) -> Resolved:
    """A date resolved against a guessed publication day: a week at most, at lower confidence."""
    value, precision = resolved.date, resolved.precision
    if precision == DAY:
        value, precision = value - timedelta(days=value.weekday()), WEEK
    return replace(resolved, date=value, precision=precision, confidence=resolved.confidence * 0.5)


def event_when(
    trigger: Trigger,
    trigger_at: dict[int, Trigger],
    doc: Doc,
    context: Context,
    dates: dict[int, tuple[Resolved, EvidenceSpan | None]],
    resolver: DateResolver,
    reporting_verbs: frozenset[str],
) -> tuple[Resolved, EvidenceSpan | None]:
    """When the act of ``trigger`` happened, with the words that say so (``dates`` caches the
    answer per trigger verb; ``context`` carries the article's anchor and last date)."""
    verb = trigger.verb
    if verb.i in dates:
        return dates[verb.i]
    governing = governing_trigger(verb, trigger_at)
    previous = None
    if governing is not None:
        previous = event_when(
            governing, trigger_at, doc, context, dates, resolver, reporting_verbs
        )[0].date
    elif context.last_date is not None:
        previous = context.last_date
    own = time_expressions(verb)
    result: tuple[Resolved, EvidenceSpan | None] | None = None
    for ent in own:
        resolved = resolver.resolve(ent.text, context.base, previous)
        if resolved is not None:
            if not context.base_known and not resolved.absolute:
                # "on Sunday" seen from an unknown publication day: only the week is known
                resolved = vaguer(resolved)
            result = (resolved, evidence_span(doc, ent.start_char, ent.end_char))
            if resolved.anchor and context.base_known:
                context.anchor = resolved
            break
    if result is None:
        # "were killed when a car bomb exploded on Tuesday": the date of a when-clause
        for child in verb.children:
            if child.dep_ == "advcl" and any(
                c.dep_ in ("mark", "advmod") and c.lower_ in ("when", "as", "while")
                for c in child.children
            ):
                for ent in time_expressions(child):
                    resolved = resolver.resolve(ent.text, context.base, previous)
                    if resolved is not None:
                        result = (
                            Resolved(resolved.date, resolved.precision, resolved.confidence * 0.9),
                            evidence_span(doc, ent.start_char, ent.end_char),
                        )
                        break
    if result is None and verb.dep_ == "conj":
        # "On 3 March, a sniper shot and killed a policeman": coordinated acts share the
        # date that opens them
        for ent in time_expressions(verb.head):
            resolved = resolver.resolve(ent.text, context.base, previous)
            if resolved is not None:
                result = (resolved, evidence_span(doc, ent.start_char, ent.end_char))
                break
    if result is None:
        # "On 8 May 2020, forces led by X (coded as Y) clashed": a date that opens the
        # sentence dates its acts, wherever the parse hung it
        opening = opening_date(verb.sent)
        resolved = resolver.resolve(opening.text, context.base, previous) if opening else None
        if opening is not None and resolved is not None:
            result = (resolved, evidence_span(doc, opening.start_char, opening.end_char))
    if result is None and governing is not None:
        parent, span = dates.get(governing.verb.i, (None, None))
        if parent is not None:
            result = (Resolved(parent.date, parent.precision, parent.confidence * 0.85), span)
    if result is None:
        said = report_time(verb, reporting_verbs)
        if said is not None:
            resolved = resolver.resolve(said.text, context.base, previous)
            if resolved is not None:
                result = (
                    Resolved(resolved.date, resolved.precision, resolved.confidence * 0.65),
                    evidence_span(doc, said.start_char, said.end_char),
                )
    if result is None and context.anchor is not None:
        result = (Resolved(context.anchor.date, context.anchor.precision, 0.55), None)
    if result is None:
        fallback = Resolved(context.base, DAY, 0.45)
        result = (fallback if context.base_known else vaguer(fallback), None)
    dates[verb.i] = result
    context.last_date = result[0].date
    return result


def governing_trigger(verb: Token, trigger_at: dict[int, Trigger]) -> Trigger | None:
    token = verb
    for _ in range(8):
        if token.head.i == token.i:
            return None
        token = token.head
        if token.i in trigger_at:
            return trigger_at[token.i]
    return None


def time_expressions(verb: Token) -> list[Span]:
    """DATE/TIME entities whose nearest governing verb is ``verb``."""
    out: list[Span] = []
    for ent in verb.sent.ents:
        if ent.label_ not in ("DATE", "TIME") or DURATION.search(ent.text.lower()):
            continue  # "a 72-hour ceasefire", "three-day visit": how long, not when
        token = ent.root
        for _ in range(8):
            if token.head.i == token.i:
                break
            token = token.head
            if token.pos_ in ("VERB", "AUX") and token.i not in range(ent.start, ent.end):
                break
        if token.i == verb.i:
            out.append(with_day(ent))
    return out


def report_time(verb: Token, reporting_verbs: frozenset[str]) -> Span | None:
    token = verb
    for _ in range(8):
        if token.head.i == token.i:
            return None
        token = token.head
        if token.lemma_.lower() in reporting_verbs:
            found = time_expressions(token)
            return found[0] if found else None
    return None


_OPENING_WORDS = 4
"""A date this close to a sentence's start, and followed by a comma, opens it."""


def opening_date(sentence: Span) -> Span | None:
    """The date that opens a sentence ("On 8 May 2020, ...", "Around 7 May 2020 (as
    reported), ...", "As reported on 19 March 2020, ..."), if one does."""
    for ent in sentence.ents:
        if ent.start - sentence.start >= _OPENING_WORDS:
            return None
        if ent.label_ != "DATE" or DURATION.search(ent.text.lower()):
            continue
        ent = with_day(ent)
        after = ent.end
        if after < sentence.end and sentence.doc[after].text == "(":
            closing = next((t.i for t in sentence.doc[after : sentence.end] if t.text == ")"), None)
            after = closing + 1 if closing is not None else after
        if after < sentence.end and sentence.doc[after].text == ",":
            return ent
        return None
    return None


def with_day(ent: Span) -> Span:
    """A date entity with the day number NER left out: "Around 7 May 2020" is tagged "May
    2020", which would read as the whole month."""
    if ent.start == 0:
        return ent
    day = ent.doc[ent.start - 1]
    if (
        day.text.isdigit()
        and 1 <= int(day.text) <= 31
        and ent.start <= day.head.i < ent.end
        and is_month(ent[0].text)
    ):
        return ent.doc[ent.start - 1 : ent.end]
    return ent
