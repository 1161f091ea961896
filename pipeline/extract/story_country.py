"""The story's country when no place of an event resolves: an event in an unknown village is still
in the country the text names (a country or province it places, the nationality of its actors,
the dateline, the feed's country), given at country precision, or at the one province the text
names in that country."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from pipeline.extract.gazetteer import Gazetteer
from pipeline.extract.places import PlaceMention, at_border

COUNTRY_PRECISION = 4
"""ACLED's precision of an event known only to its country."""
_UNIT_KINDS = frozenset({"district", "region", "admin1"})
# a place says where; a nationality says who ("Russian forces shelled Vodyane, Donetsk")
_PLACE_VOTE = 2.0
_LOCATED_VOTE = 3.0
_ACTOR_VOTE = 1.0
_DATELINE_VOTE = 1.0
_HOME_VOTE = 0.5
"""The feed's country is the outlet's: a Kenyan paper reports on Somalia, so it only breaks ties."""
_UNIT_CONFIDENCE = 0.3
_COUNTRY_CONFIDENCE = 0.3


@dataclass(frozen=True)
class Evidence:
    """One thing the text says of the story's country, and where it says it."""

    country: str
    """ISO 3166-1 alpha-2."""
    weight: float
    start: int
    """Token span of the words that say it (``start == end``: no words, the feed's country)."""
    end: int
    start_char: int
    end_char: int
    text: str


def place_evidence(
    doc: Doc,
    places: Iterable[PlaceMention],
    locatives: frozenset[str] = frozenset(),
    not_where: frozenset[str] = frozenset(),
    went: Callable[[int], bool] = lambda _: False,
) -> list[Evidence]:
    """Each place the text names votes for its country; twice after a locative word ("in
    Burkina Faso": where, not whose); a country people went to (``went``, by its first
    token: "fled to neighbouring Uganda") does not vote."""
    out: list[Evidence] = []
    for m in places:
        if not m.country or at_border(doc, m.start, m.end, not_where):
            continue
        if m.kind == "country" and went(m.start):
            continue
        located = m.start > 0 and doc[m.start - 1].lower_ in locatives
        weight = _LOCATED_VOTE if located else _PLACE_VOTE
        out.append(Evidence(m.country, weight, m.start, m.end, m.start_char, m.end_char, m.text))
    return out


def name_evidence(doc: Doc, names: Iterable[tuple[Span, str]]) -> list[Evidence]:
    """Names framed as places that no gazetteer entry settled, each with the one country whose
    records are written so, vote as places do."""
    return [
        Evidence(iso2, _PLACE_VOTE, s.start, s.end, s.start_char, s.end_char, s.text)
        for s, iso2 in names
        if not at_border(doc, s.start, s.end)
    ]


def actor_evidence(
    doc: Doc,
    spans: Iterable[tuple[Span, str]],
    places: Sequence[PlaceMention] = (),
    not_where: frozenset[str] = frozenset(),
) -> list[Evidence]:
    """Each actor named with a nationality ("Burkinabe soldiers", "Somali police") votes for it
    (``spans``: the actor's words and its country, ISO2); a country already counted as a place
    is not counted again."""
    taken = {i for m in places for i in range(m.start, m.end)}
    return [
        Evidence(iso2, _ACTOR_VOTE, s.start, s.end, s.start_char, s.end_char, s.text)
        for s, iso2 in spans
        if s.start not in taken and not at_border(doc, s.start, s.end, not_where)
    ]


def dateline_evidence(filed_at: PlaceMention | None) -> list[Evidence]:
    """The dateline's city votes for its country."""
    m = filed_at
    if m is None or not m.country:
        return []
    return [Evidence(m.country, _DATELINE_VOTE, m.start, m.end, m.start_char, m.end_char, m.text)]


def home_evidence(home: str | None) -> list[Evidence]:
    """The feed's country (ISO2) half-votes for itself."""
    return [Evidence(home, _HOME_VOTE, 0, 0, 0, 0, "")] if home else []


def story_country(evidence: Sequence[Evidence]) -> str | None:
    """The country with most votes (ISO2); on a tie the one the text names first."""
    totals: dict[str, float] = {}
    first: dict[str, int] = {}
    for e in evidence:
        totals[e.country] = totals.get(e.country, 0.0) + e.weight
        # the feed's country (no words) counts as named last
        position = e.start_char if e.end_char > e.start_char else 1 << 30
        first[e.country] = min(first.get(e.country, position), position)
    if not totals:
        return None
    return max(totals, key=lambda c: (totals[c], -first[c]))


def story_place(
    evidence: Sequence[Evidence],
    places: Sequence[PlaceMention],
    gazetteer: Gazetteer,
    written: Sequence[PlaceMention] = (),
) -> PlaceMention | None:
    """Where an event no place resolves for is: the first name framed as a place whose one
    record in the story's country is written as the text writes it (``written``: "shelled
    Orikhiv, Zaporizhia" is Orikhiv), else the one province or district the text names in
    that country (at its precision), else the country itself (precision 4, no point)."""
    country = story_country(evidence)
    if country is None or country not in gazetteer.countries:
        return None
    named = sorted((m for m in written if m.country == country), key=lambda m: m.start)
    if named:
        return named[0]
    units = [
        m
        for m in places
        if m.country == country and m.kind in _UNIT_KINDS and m.latitude is not None
    ]
    if len({(m.geonameid, m.parent) for m in units}) == 1:
        unit = units[0]
        return PlaceMention(
            start=unit.start,
            end=unit.end,
            text=unit.text,
            start_char=unit.start_char,
            end_char=unit.end_char,
            kind=unit.kind,
            latitude=unit.latitude,
            longitude=unit.longitude,
            geo_precision=max(unit.geo_precision, 2),
            country=unit.country,
            admin1=unit.admin1,
            parent=unit.parent,
            geonameid=unit.geonameid,
            gazetteer=unit.gazetteer,
            confidence=_UNIT_CONFIDENCE,
            from_gazetteer=False,
        )
    name, _ = gazetteer.countries[country]
    said = next((e for e in evidence if e.country == country and e.end_char > e.start_char), None)
    record = gazetteer.find(name, country=country, kinds=("country",))
    return PlaceMention(
        start=said.start if said else 0,
        end=said.end if said else 0,
        text=said.text if said else name,
        start_char=said.start_char if said else 0,
        end_char=said.end_char if said else 0,
        kind="country",
        latitude=None,
        longitude=None,
        geo_precision=COUNTRY_PRECISION,
        country=country,
        admin1=None,
        parent=None,
        geonameid=record.geonameid if record else None,
        gazetteer=record.source if record else "none",
        confidence=_COUNTRY_CONFIDENCE,
        from_gazetteer=False,
    )
