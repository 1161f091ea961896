"""Event records for tests of the article-level typing steps (demonstrations, side rules)."""

from __future__ import annotations

from datetime import UTC, datetime

from schemas import Actor, Event, Place, Span


def event(
    start: int,
    event_type: str,
    sub: str,
    actor1: Actor | None = None,
    actor2: Actor | None = None,
    *,
    factual: bool = True,
    confidence: float = 0.7,
    place: str | None = None,
    cameo: tuple[str, str, str] = ("19", "190", "ASSAULT"),
) -> Event:
    """An event with a one-character trigger at ``start``; ``cameo``: root, code, PLOVER."""
    span = Span(text="x", start=start, end=start + 1)
    root, code, plover = cameo
    return Event(
        event_id=f"e{start}",
        article_id="a",
        event_type=event_type,
        sub_event_type=sub,
        cameo_root=root,
        cameo_code=code,
        plover=plover,
        trigger=span,
        sentence=span,
        modality="asserted" if factual else "future",
        factual=factual,
        confidence=confidence,
        extracted=datetime(2021, 1, 1, tzinfo=UTC),
        actor1=actor1,
        actor2=actor2,
        place=Place(name=place, geo_precision=1, confidence=0.8) if place else None,
    )
