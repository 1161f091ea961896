"""The places of a report that covers several incidents ("clashes in A and B"), geocoded.

Linking makes one incident of each place a sentence lists (``pipeline/link/incidents.py`` reads
the list, so the two stages agree on what is listed). Where each is, is the extractor's to say:
a listed name is the place mention the gazetteers found at it (in the event's country), else the
one record of the village-level gazetteer in the event's country (in its province when several)
that the name may mean, else a name without coordinates (``gazetteer: none``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from spacy.tokens import Doc

from pipeline.extract.places import PlaceMention
from pipeline.extract.toponym_resolution import ToponymResolver
from schemas import Event, Place, Span


def _overlap(mention: PlaceMention, start: int, end: int) -> int:
    return min(mention.end_char, end) - max(mention.start_char, start)


def incident_places(
    event: Event,
    doc: Doc,
    mentions: Sequence[PlaceMention],
    record: Callable[[PlaceMention], Place],
    resolver: ToponymResolver | None,
) -> list[Place]:
    """The places ``event``'s sentence lists as separate incidents, in sentence order, each as
    ``record`` makes a place of a mention; empty when it lists fewer than two."""
    from pipeline.link.incidents import listed_places  # link imports extract's data at load

    place = event.place
    if place is None:
        return []
    listed = listed_places(event)
    if len(listed) < 2:
        return []
    country = place.country_code
    base = event.sentence.start
    out: list[Place] = []
    for item in listed:
        start, end = base + item.start, base + item.end
        found = [
            m
            for m in mentions
            if _overlap(m, start, end) > 0
            and m.kind != "country"
            and m.latitude is not None
            and (country is None or m.country == country)
        ]
        best = max(found, key=lambda m: _overlap(m, start, end)) if found else None
        if best is None and resolver is not None and country is not None:
            span = doc.char_span(start, end, alignment_mode="expand")
            at = (span.start, span.end) if span is not None else (0, 0)
            best = resolver.one_in(item.name, country, place.admin1, (*at, start, end))
        written = Span(text=event.sentence.text[item.start : item.end], start=start, end=end)
        if best is None:
            out.append(
                Place(name=item.name, geo_precision=1, confidence=place.confidence,
                      country_code=country, span=written)
            )  # fmt: skip
            continue
        out.append(record(best).derive(span=written))
    return out
