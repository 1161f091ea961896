"""A report covering several incidents: "clashes in A and B", "attacked the villages of X, Y and Z".

ACLED's unit is one place a day: a sentence that lists places after a place cue (``in``, ``of``,
``near``..., or the event's own trigger), joined by commas and a final "and", reports one incident
at each. Linking then links each incident on its own (``LinkStage``): one linked event per place
named, each with its own mention of the report. A list needs the final "and" ("in Sakhour,
Aleppo" is a place and its city), at least two places that are not the event's country, province
or city, and none may be an actor the dictionary knows; "between A and B" names one incident
(``pair_cues`` in ``data/place_cues.yaml``); a region word after the list ("in Kabul and Kandahar
provinces") keeps it whole. ACLED's parts stay with their place ("Dih Bala (Hasakamina)",
"Dhaka - Paltan").

Each incident is the extracted event with another id (``<event id>.<n>``, n in sentence order)
and the incident's place: the event's own place for the listed place it was resolved to; for the
others, the listed name in the event's country (in the resolved province when the list is of
places in it), without coordinates (``gazetteer: none``): the gazetteer is the extractor's.
Not split: parts of one city ("the Fardous and Bustan al-Qasr neighbourhoods": ACLED places them
at the city), and lists that do not name the town the event was resolved to in its sentence
(where they are is unsure); a town from the dateline or another sentence gives way to the list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from pipeline.link.facts import (
    _POSSESSIVE,
    _TOKENS,
    COUNTRY_PRECISION,
    _country_names,
    _cues,
    _run,
    _spot_key,
    name_key,
    spots_overlap,
)
from schemas import Event, Place, Span

#: At most this many incidents are made of one report (a longer list is rare and costly).
MAX_INCIDENTS = 12
_PART_MARKS = frozenset({"(", "-", "–"})
_CLOSE = ")"
#: An aside in brackets after a listed place is skipped when it closes within this many tokens.
_ASIDE = 16
_TOKEN = re.compile(_TOKENS.pattern)
_REGION = 3
"""ACLED's precision of a place located at its province."""


@dataclass(frozen=True, slots=True)
class Listed:
    """One place of a sentence's list, with the parts ACLED writes after it."""

    name: str
    """The place as written."""
    start: int
    """Offset in the sentence text."""
    end: int
    key: str
    """Its spot key (``facts.spots_of``'s form)."""
    parts: frozenset[str]
    """Spot keys of the parts written after it ("Dih Bala (Hasakamina)"), its own key too."""
    region: bool = False
    """One of a list of regions ("in Kandahar and Zabul provinces")."""


@dataclass(frozen=True, slots=True)
class Incident:
    """One incident of a report that covers several."""

    event: Event
    """The extracted event with this incident's id and place."""
    others: frozenset[str]
    """Spot keys of the other incidents' places: not this incident's places."""
    primary: bool = False
    """The incident at the event's resolved place."""


def _key(words: list[str]) -> str:
    return " ".join(k for k in (_spot_key(_POSSESSIVE.sub("", w)) for w in words) if k)


def name_words_key(name: str) -> str:
    """A place name in the form of a spot key (one name key per word), for comparing a listed
    place with a name written elsewhere."""
    return _key(name.split())


def _tokens(event: Event) -> list[tuple[str, int, int]]:
    """The sentence's tokens with their offsets; the trigger is followed by a cue ("shelled
    Kansafra and Sfuhen"), as in ``spots_of``, or by one of ``after_trigger`` and a cue
    ("continued its assault on Diffa and Bosso")."""
    text = event.sentence.text
    tokens = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
    at = event.trigger.end - event.sentence.start
    if 0 < at <= len(text):
        where = next((i for i, t in enumerate(tokens) if t[1] >= at), len(tokens))
        if where < len(tokens) and tokens[where][0] in _cues().after_trigger:
            where, at = where + 1, tokens[where][2]
        tokens.insert(where, ("in", at, at))
    return tokens


def _list_at(tokens: list[tuple[str, int, int]], j: int) -> list[Listed]:
    """The places listed from token ``j`` on; empty unless the list ends with "and" X."""
    table = _cues()
    words = [t[0] for t in tokens]
    items: list[Listed] = []
    closed = soft = False
    while True:
        run, end = _run(words, j, table, regions=True)
        if not run:
            break
        region = end < len(words) and words[end].casefold() in table.region_words
        first = end - len(run)
        parts = {_key(run)}
        stop = end
        # ACLED's finer part after a place: "Dih Bala (Hasakamina)", "Dhaka - Paltan"
        while stop < len(words) and words[stop] in _PART_MARKS:
            part, after = _run(words, stop + 1, table)
            if part:
                parts.add(_key(part))
                stop = after + 1 if after < len(words) and words[after] == _CLOSE else after
                continue
            if words[stop] != "(" or _CLOSE not in words[stop : stop + _ASIDE]:
                break
            stop = words.index(_CLOSE, stop) + 1  # an aside: "Kongadi (described as near X)"
        if stop < len(words) and (
            words[stop] in table.list_kinds or words[stop].casefold() in table.region_words
        ):
            stop += 1  # "Tarinkot city, Khas Urozgan and ...", "Kandahar province, Zabul and"
        start_char, end_char = tokens[first][1], tokens[end - 1][2]
        name = " ".join(_POSSESSIVE.sub("", w) for w in run)
        items.append(Listed(name, start_char, end_char, _key(run), frozenset(parts) - {""}))
        if closed:
            if region:  # "in Kandahar and Zabul provinces": a list of regions
                return [replace(item, region=True) for item in items]
            return items
        j = stop
        if j < len(words) and words[j] == ",":
            j += 1
        joiner = _joiner(words, j, table.list_joiners)
        if j < len(words) and words[j] == "and":
            closed, j = True, j + 1
        elif joiner:
            # "Gwarsha as well as Suq Al-Hout and Sabri": the list may go on after it
            soft, j = True, j + joiner
            continue
        elif j >= len(words) or words[j - 1] != ",":
            if soft:
                return items  # "Gwarsha as well as Sabri": the joiner was the last
            break
    return []


def _joiner(words: list[str], j: int, joiners: tuple[tuple[str, ...], ...]) -> int:
    """Length of the list joiner ("as well as") at ``words[j]``, 0 when there is none."""
    for phrase in joiners:
        if tuple(w.casefold() for w in words[j : j + len(phrase)]) == phrase:
            return len(phrase)
    return 0


def listed_places(event: Event) -> list[Listed]:
    """The places the event's sentence lists as separate incidents (module docstring), without
    its country, its province and city, and actors' names; empty when fewer than two remain."""
    table = _cues()
    tokens = _tokens(event)
    known: set[str] = set()
    place = event.place
    if place is not None:
        known.update(name_key(n) for n in (place.parent, place.admin1) if n)
    actor_words: set[str] = set()
    for actor in (event.actor1, event.actor2):
        if actor is not None and actor.cameo:
            actor_words.update(_key([w]) for w in actor.name.split())
    # the resolved place is a place, whatever the parse made of its name ("like West Singhbhum,
    # Lohardaga, Dhanbad and Bokaro" with "Lohardaga" read as the target)
    actor_words -= set(_key(place.name.split()).split()) if place is not None else set()
    countries = _country_names()
    i = 0
    while i < len(tokens):
        word = tokens[i][0]
        if (word in table.cues or word in table.list_cues) and word not in table.pair_cues:
            items = _list_at(tokens, i + 1)
            kept: dict[str, Listed] = {}
            for item in items:
                if (
                    item.key
                    # the event's province is one of a list of regions, not their container
                    and (item.region or item.key.replace(" ", "") not in known)
                    and item.name.casefold() not in countries
                    and not set(item.key.split()) <= actor_words
                ):
                    kept.setdefault(item.key, item)
            if len(kept) >= 2:
                return list(kept.values())[:MAX_INCIDENTS]
        i += 1
    return []


def _sibling(resolved: Place, item: Listed, span: Span, *, container: bool) -> Place:
    """The place of a listed incident other than the resolved one."""
    if item.region:  # one of a list of regions ("in Kandahar and Zabul provinces")
        return Place(
            name=item.name, geo_precision=3, confidence=resolved.confidence,
            country_code=resolved.country_code, admin1=item.name, span=span,
        )  # fmt: skip
    if container and resolved.geo_precision < COUNTRY_PRECISION:
        # places listed in the resolved province ("shelled A and B in Idlib province")
        return Place(
            name=item.name, geo_precision=1, confidence=resolved.confidence,
            country_code=resolved.country_code, admin1=resolved.admin1, span=span,
        )  # fmt: skip
    # a place like the resolved one (a town, a region, a place known only to its country)
    return Place(
        name=item.name, geo_precision=resolved.geo_precision, confidence=resolved.confidence,
        country_code=resolved.country_code, span=span,
    )  # fmt: skip


def _geocoded(event: Event, items: list[Listed]) -> dict[int, Place]:
    """The extractor's geocoded place of each listed item (``Event.incident_places``, matched by
    where the sentence names it), by the item's rank."""
    base = event.sentence.start
    out: dict[int, Place] = {}
    for k, item in enumerate(items):
        start, end = base + item.start, base + item.end
        for where in event.incident_places:
            if where.latitude is None or where.span is None:
                continue
            if where.geo_precision >= _REGION and not item.region:
                continue  # a village at its province's point: no surer than its name alone
            if where.span.start < end and start < where.span.end:
                out[k] = where
                break
    return out


def incidents_of(event: Event) -> list[Incident]:
    """The incidents of a report covering several (module docstring); empty for one."""
    place = event.place
    if place is None:
        return []
    items = listed_places(event)
    if not items:
        return []
    geocoded = _geocoded(event, items)
    located = len(geocoded) == len(items)
    regions = all(item.region for item in items)
    if (
        place.parent
        and place.geo_precision <= 2
        and not regions  # "in Hakurk region of Erbil, Zap and Haftanin regions": no city's parts
        and (not located or all(p.parent == place.parent for p in geocoded.values()))
    ):
        # parts of one city ("the Fardous and Bustan al-Qasr neighbourhoods"); a village at its
        # town's point is no part of a city when the extractor located the others elsewhere
        return []
    resolved = frozenset({_key(place.name.split())})
    matching = [k for k, item in enumerate(items) if spots_overlap(resolved, item.parts)]
    sentence = event.sentence
    elsewhere = place.span is not None and not sentence.start <= place.span.start < sentence.end
    if len(matching) == 1:
        primary: int | None = matching[0]
    elif place.geo_precision >= 3 or located:
        # the resolved place contains the listed ones, or the extractor located each of them
        primary = None
    elif elsewhere and not matching:
        # placed by a dateline or the article's main place: the list says where
        place = Place(name=place.country_code or "", geo_precision=COUNTRY_PRECISION,
                      confidence=place.confidence, country_code=place.country_code)  # fmt: skip
        primary = None
    else:
        # resolved to a town the list does not name (or names twice: its parts): where the
        # list is, or whether its places are the town's parts, is unsure
        return []
    out: list[Incident] = []
    base = event.sentence.start
    for k, item in enumerate(items):
        text = event.sentence.text[item.start : item.end]
        span = Span(text=text, start=base + item.start, end=base + item.end)
        if k == primary:
            where = place
        elif k in geocoded:
            where = geocoded[k]
        else:
            where = _sibling(place, item, span, container=primary is None)
        others = frozenset(key for j, other in enumerate(items) if j != k for key in other.parts)
        copy = event.derive(event_id=f"{event.event_id}.{k + 1}", place=where)
        out.append(Incident(copy, others - item.parts, primary=k == primary))
    return out
