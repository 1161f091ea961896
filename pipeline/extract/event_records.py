"""The records of an event's parts: its actors (with their ACLED class), who says so, and where its
sentence's evidence starts."""

from __future__ import annotations

from datetime import date

from spacy.tokens import Doc, Span

from pipeline.extract.actor_types import actor_types
from pipeline.extract.actors import ActorMention
from pipeline.extract.article_state import Context
from pipeline.extract.attribution import Source
from pipeline.extract.calibration import Scaling
from pipeline.extract.dateline import Dateline
from pipeline.extract.event_place import round_confidence
from pipeline.extract.evidence import doc_text, evidence_span
from schemas import Actor, Attribution
from schemas import Span as EvidenceSpan


def actor_record(
    doc: Doc,
    mention: ActorMention,
    factor: float,
    scale: Scaling,
    *,
    acled: tuple[str, str | None, bool] = ("", None, False),
    story_country: str | None = None,
    day: date | None = None,
) -> Actor:
    """The record of an actor; ``acled``: the event's ACLED type, its country (ISO alpha-3)
    and whether the actor is the agent (actor 1), for its ACLED class. Forces whose country
    is only the story's (``story_country``: "regime forces", "police") are the event
    country's own there, not foreign forces."""
    event_type, event_country, agent = acled
    members = mention.members
    names = list(dict.fromkeys(m.normalized for m in members))
    normalized = " and ".join(names)
    primary = members[0]
    confidence = sum(m.confidence for m in members) / len(members) * factor
    return Actor(
        name=mention.text or normalized,  # an unknown doer is called by its role
        normalized=normalized,
        type=primary.type,
        confidence=round_confidence(scale(confidence)),
        country=primary.country,
        cameo=primary.code,
        acled_class=actor_types().acled_class(
            primary.type,
            event_country
            if primary.country_inherited and primary.country == story_country
            else primary.country,
            event_country,
            event_type,
            role_class=primary.acled_class,
            agent=agent,
            agent_class=primary.agent_class,
            day=day,
        ),
        members=names if len(names) > 1 else [],
        span=evidence_span(doc, mention.start, mention.end)
        if mention.text and doc_text(doc)[mention.start : mention.end] == mention.text
        else None,
    )


def sentence_start(sentence: Span, context: Context) -> int:
    """Where the sentence's evidence starts: after the dateline, which is not its text."""
    if context.dateline is not None and sentence.start_char < context.dateline.end:
        return max(sentence.start_char, context.dateline.end)
    return int(sentence.start_char)


def attribution(
    article_source: str,
    source: Source | None,
    doc: Doc,
    dateline: Dateline | None,
) -> Attribution:
    """Who says so: the sentence's source, else the dateline's agency, else the article's
    publisher."""
    if source is None and dateline is not None and dateline.agency is not None:
        # nobody in the sentence says so: the agency of the dateline does
        start, end = dateline.agency
        return Attribution(
            text=doc_text(doc)[start:end],
            kind="media",
            confidence=0.7,
            span=evidence_span(doc, start, end),
        )
    if source is None:
        return Attribution(text=article_source or "article", kind="article", confidence=0.6)
    return Attribution(
        text=source.text,
        kind=source.kind,
        confidence=round_confidence(source.confidence),
        span=EvidenceSpan(text=source.text, start=source.start, end=source.end),
    )
