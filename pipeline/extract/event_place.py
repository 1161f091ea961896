"""Where an event happened (the place of its clause, its sentence, the article or the story's
country), and the place records the extractor writes."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from spacy.tokens import Doc, Span, Token

from pipeline.extract import story_country
from pipeline.extract.actor_areas import ActorAreas
from pipeline.extract.actor_types import actor_types
from pipeline.extract.actors import (
    DOMESTIC_TYPES,
    STATE_TYPES,
    ActorDictionary,
    resolve_actor,
)
from pipeline.extract.article_state import Analysis, Context
from pipeline.extract.calibration import Calibration
from pipeline.extract.cameo_roots import VIOLENT_ROOTS
from pipeline.extract.cues import Cues
from pipeline.extract.dateline import Dateline
from pipeline.extract.evidence import doc_text, evidence_span
from pipeline.extract.gazetteer import Gazetteer
from pipeline.extract.places import PlaceMention, at_border, went_to
from pipeline.extract.toponym_resolution import ToponymResolver
from pipeline.extract.triggers import Trigger
from schemas import Place
from schemas import Span as EvidenceSpan

NONSTATE_ARMED = actor_types().armed - STATE_TYPES
# Actor types whose nationality says nothing of where they act: armies fight abroad.
ABROAD_TYPES = frozenset({"state_military"})
PLACE_NOUN_ENTITY_LABELS = frozenset({"GPE", "LOC", "FAC"})
DISTANCE_UNITS = frozenset({"mile", "km", "kilometre", "kilometer", "kms"})


@dataclass(frozen=True)
class PlaceResources:
    """What choosing a place reads: the cue lists, the village-level resolver and its host verbs,
    the gazetteer, where armed groups operate, and ISO3 → ISO2 country codes."""

    cues: Cues
    resolver: ToponymResolver | None
    gazetteer: Gazetteer
    actor_areas: ActorAreas
    iso2: dict[str, str]
    host_verbs: frozenset[str]


def round_confidence(x: float) -> float:
    """A confidence clipped to [0, 1] and rounded to 3 places, as records carry it."""
    return round(max(0.0, min(1.0, x)), 3)


def far_from(token: Token) -> bool:
    """The place is measured from: "330 miles south *of Baghdad*", "20 km from Aleppo"."""
    if token.dep_ != "pobj" or token.head.lower_ not in ("of", "from"):
        return False
    anchor = token.head.head
    return any(
        c.lemma_.lower() in DISTANCE_UNITS or c.lower_ in DISTANCE_UNITS
        for c in (anchor, *anchor.children)
    )


def clauses_between(verb: Token, token: Token) -> int:
    """How many verbs stand between a token and the verb it depends on (0: the verb's own
    phrase; none when it does not depend on it)."""
    count = 0
    for ancestor in token.ancestors:
        if ancestor.i == verb.i:
            return count
        count += ancestor.pos_ in ("VERB", "AUX") and ancestor.dep_ != "aux"
    return 0


def event_place(
    trigger: Trigger,
    scope: list[Token],
    actor_tokens: set[int],
    place_at: dict[int, PlaceMention],
    context: Context,
    root: str,
    res: PlaceResources,
) -> tuple[PlaceMention, float] | None:
    """Where the act of ``trigger`` happened, with the confidence of the choice: a place of its
    clause, else of its sentence, else the article's, the dateline's or the story's country."""
    in_scope = {
        place_at[t.i]
        for t in scope
        if t.i in place_at
        and t.i not in actor_tokens
        and not in_source(t, res.cues.reporting_verbs, trigger.verb)
        and not modifier_country(t, place_at, res.cues.place_nouns)
        and not neighbour(t.doc, place_at[t.i], res.resolver)
    }
    # "areas in Basra province, 330 miles south of Baghdad": a distance from a place says
    # where the event is not; it is the place only when nothing else is named
    far = {
        place_at[t.i]
        for t in scope
        if t.i in place_at and (far_from(t) or reference_point(t, res.resolver))
    }
    if in_scope - far:
        in_scope -= far
    sentence = trigger.verb.sent
    in_sentence = {
        place_at[i]
        for i in range(sentence.start, sentence.end)
        if i in place_at
        and i not in actor_tokens
        and not in_source(sentence.doc[i], res.cues.reporting_verbs, trigger.verb)
        and not modifier_country(sentence.doc[i], place_at, res.cues.place_nouns)
        and not neighbour(sentence.doc, place_at[i], res.resolver)
    }
    # "Milan was arrested in Kathmandu": of two places as specific, the one after a
    # locative preposition is where; the other is the subject, a name
    located = {
        place_at[t.i]
        for t in scope
        if t.i in place_at and after_locative(t, res.cues.locative_cues)
    }
    for tier, candidates, confidence in ((1, in_scope, 0.85), (2, in_sentence, 0.6)):
        if not candidates:
            continue
        best = max(
            candidates,
            key=lambda m: (
                # the place of the event's own clause, not of one it embeds ("made his
                # remarks in Doha ... a trip aimed at pushing for a ceasefire in Gaza")
                -clauses_between(trigger.verb, sentence.doc[m.start]),
                # "Students of Harvard University protested in Boston": Boston
                not m.in_name,
                m.specificity,
                -context.places_used[(root, m.text)],
                m in located,
                m.from_gazetteer,
                -m.start,
            ),
        )
        if tier == 1 and len({m.text for m in candidates if m.specificity == best.specificity}) > 1:
            confidence -= 0.1  # several equally specific places: the choice is less sure
        return best, confidence * best.confidence / 0.9
    if any(unknown_place(t, place_at, res.cues.locative_cues) for t in scope):
        # "at a market in Madagali": a place named, but not one we know; only its country,
        # or the dateline's city in it ("Kathmandu, August 18: ... at the Ministry")
        story, filed = context.story_place(), context.filed_at
        if filed is not None and (story is None or story.country == filed.country):
            # a venue the sentence names in the story's country: likelier there than a
            # story with no place at all (0.2 below), as likely as the article's main place
            return filed, 0.35
        return (story, story.confidence) if story is not None else None
    visit = trigger.verb.lemma_.lower() in res.host_verbs
    if root in VIOLENT_ROOTS or visit:
        # "entered Somalia", "bombed Afghanistan": violence done to a country is done in it;
        # "visited Israel": so is a visit (the host is also whom it was paid to)
        targets = [
            place_at[t.i]
            for t in scope
            if t.i in place_at
            and t.i in actor_tokens
            and (visit or place_at[t.i].kind == "country")
        ]
        if targets:
            return targets[0], 0.5
    if context.main_place is not None:  # no place in the sentence: where the article is
        return context.main_place, 0.35
    if context.filed_at is not None:  # where the story was filed, the weakest hint
        return context.filed_at, 0.2
    story = context.story_place()
    if story is not None:  # no place at all: the country the text names
        return story, story.confidence
    return None


def reference_point(token: Token, resolver: ToponymResolver | None) -> bool:
    """A place that locates another named place: "Sirwah district *west of Marib city*"
    (the air raids hit Sirwah); "attacked west of Marib" keeps Marib (it modifies the
    verb, not a place)."""
    if resolver is None:
        return False
    head = token
    while head.dep_ in ("compound", "amod") and head.head.i != head.i:
        head = head.head
    of = head.head
    if head.dep_ != "pobj" or of.lower_ != "of":
        return False
    direction = of.head
    # the direction word belongs to a noun phrase ("Sirwah district west": its compound;
    # "the village west of X": its head), not to the verb
    return direction.lower_ in resolver.cues.direction_words and (
        any(c.i < direction.i and c.dep_ in ("compound", "amod") for c in direction.children)
        or (direction.head.i != direction.i and direction.head.pos_ in ("NOUN", "PROPN"))
    )


def neighbour(doc: Doc, place: PlaceMention, resolver: ToponymResolver | None) -> bool:
    """A country named as a border ("near the border with Benin"), a neighbour or where
    people went ("fled to neighbouring Uganda"): where the event is not."""
    if place.kind != "country":
        return False
    return at_border(doc, place.start, place.end) or (
        resolver is not None
        and went_to(doc, place.start, resolver.cues.neighbour_words, resolver.cues.flight_verbs)
    )


def story_place(
    analysis: Analysis,
    home_country: str | None,
    res: PlaceResources,
    actor_dictionary: ActorDictionary,
) -> PlaceMention | None:
    """The story's country from what the text says (places, actors' nationalities, the
    dateline, the feed's country), or its one named province: see ``story_country``."""
    doc, resolver = analysis.doc, res.resolver
    not_where = resolver.cues.not_where_words if resolver is not None else frozenset()
    areas = {c for _, area in analysis.groups for c in area}
    # only armed groups bound a nationality: "Somali nationals beat a Zambian man" (a people of
    # several countries) leaves the Zambian man's country its say
    armed_areas = {
        c for span, area in analysis.groups if res.actor_areas.is_armed(span) for c in area
    }
    actor_words = {
        i
        for span, _ in (*analysis.named.values(), *analysis.groups)
        for i in range(span.start, span.end)
    }
    place_at = {i: m for m in analysis.places for i in range(m.start, m.end)}
    persons = analysis.not_places  # "according to Mr Anand": no place, no country
    places, actors = [], {}
    # "Russian forces shelled Vodyane": armies strike abroad, so their nationality says
    # nothing of where; police, officials and crowds act at home
    abroad: set[int] = set()
    for span, actor in analysis.named.values():
        root = span.root
        while root.dep_ == "conj" and root.head.i != root.i:
            root = root.head  # "Malian and French forces": French forces too
        head = root.head
        if actor.type not in ABROAD_TYPES and head.pos_ in ("NOUN", "PROPN") and head != span.root:
            # "Russian forces": the country names whose army it is
            phrase = resolve_actor(head, analysis.named, actor_dictionary, None)
            if phrase is None or phrase.primary.type not in ABROAD_TYPES:
                continue
        elif actor.type not in ABROAD_TYPES:
            continue
        abroad.update(range(span.start, span.end))
    for m in analysis.places:
        if (
            in_source(doc[m.start], res.cues.reporting_verbs)
            or {m.start, doc[m.start].head.i} & abroad
        ):
            continue
        if modifier_country(doc[m.start], place_at, res.cues.place_nouns) and m.country:
            # "US peace envoy Anthony Zinni": a nationality, not where
            actors[m.start] = (doc[m.start : m.end], m.country)
        else:
            places.append(m)
    # a people of several countries ("Somalis", actor_areas.yaml peoples) says none of them
    shared = {
        i for span, area in analysis.groups if len(area) > 1 for i in range(span.start, span.end)
    }
    for span, actor in analysis.named.values():
        if span.start in abroad or (actor.people and span.start in shared):
            continue
        if named_abroad(span, res.resolver):
            continue  # "Rwandan refugees protested in Nakivale": not Rwanda
        domestic = actor.type in DOMESTIC_TYPES and actor.type not in NONSTATE_ARMED
        iso2 = res.iso2.get(actor.country or "")
        said = actor.country_like or actor.people or domestic
        # where the armed groups named operate bounds a nationality's say ("French Barkhane
        # forces ... against ISGS militants": not France), as it bounds a namesake's
        if armed_areas and iso2 not in armed_areas and actor.country_like:
            continue
        if iso2 and said and not in_source(doc[span.start], res.cues.reporting_verbs):
            actors[span.start] = (span, iso2)
    evidence = [
        *story_country.place_evidence(
            doc,
            places,
            res.cues.locative_cues,
            not_where,
            went=lambda i: (
                resolver is not None
                and went_to(doc, i, resolver.cues.neighbour_words, resolver.cues.flight_verbs)
            ),
        ),
        *story_country.name_evidence(
            doc,
            [
                (span, iso2)
                for span, iso2 in (
                    resolver.written_countries(doc, analysis.places, persons) if resolver else ()
                )
                # "JNIM militants attacked Solhan": not Turkey's, whatever else it names
                if (not areas or iso2 in areas)
                # "members of al Shabaab in Milimani": an actor's name is no place (Shabaab,
                # Iran)
                and not any(i in actor_words for i in range(span.start, span.end))
            ],
        ),
        *story_country.actor_evidence(doc, actors.values(), places, not_where),
        # a group of one country says it ("Koglweogo militiamen"); JNIM's three do not; a
        # name the actor dictionary also knows ("ZANU-PF") has voted once already
        *story_country.actor_evidence(
            doc,
            [
                (span, area[0])
                for span, area in analysis.groups
                if len(area) == 1
                and not any(s.start < span.end and span.start < s.end for s, _ in actors.values())
            ],
        ),
        *story_country.dateline_evidence(analysis.filed_at),
        *story_country.home_evidence(res.iso2.get(home_country or "")),
    ]
    written = [
        m
        for m in (resolver.written_places(doc, analysis.places, persons) if resolver else ())
        if (not areas or m.country in areas)
        and not any(i in actor_words for i in range(m.start, m.end))
    ]
    return story_country.story_place(evidence, places, res.gazetteer, written)


def after_locative(token: Token, locative_cues: frozenset[str]) -> bool:
    """The place name (or the noun it modifies) follows a locative preposition: "in
    Kathmandu", "in Basra province"."""
    noun = token.head if token.dep_ == "compound" else token
    return noun.dep_ == "pobj" and noun.head.lower_ in locative_cues


def modifier_country(
    token: Token, place_at: dict[int, PlaceMention], place_nouns: frozenset[str]
) -> bool:
    """A country named as a modifier of a person or thing is a nationality, not where: "US
    peace envoy Anthony Zinni"; "US soil", "a US base" stay places."""
    mention = place_at[token.i]
    head = token.head
    return (
        mention.kind == "country"
        and token.dep_ in ("compound", "amod", "nmod")
        and head.i != token.i
        and head.i not in place_at
        and head.lemma_.lower() not in place_nouns
    )


def in_source(token: Token, reporting_verbs: frozenset[str], verb: Token | None = None) -> bool:
    """The token is in who says so, not in what is said: "reports *from London* say US
    officers entered Somalia", "a source in Damascus told"; but where the saying itself
    happened when the event is that ``verb`` ("a report released in Kigali alleged")."""
    for ancestor in token.ancestors:
        if (
            ancestor.dep_ in ("nsubj", "nsubjpass")
            and ancestor.head.lemma_.lower() in reporting_verbs
            and (verb is None or ancestor.head.i != verb.i)
        ):
            return True
    return False


def unknown_place(
    token: Token, place_at: dict[int, PlaceMention], locative_cues: frozenset[str]
) -> bool:
    """A proper name after a locative preposition that the gazetteer does not know ("in
    Madagali", "in neighbouring Adamawa state")."""
    if token.dep_ != "pobj" or token.head.lower_ not in locative_cues:
        return False
    names = [token, *(c for c in token.children if c.dep_ == "compound")]
    return any(
        n.i not in place_at
        and (n.ent_type_ in PLACE_NOUN_ENTITY_LABELS or (n.pos_ == "PROPN" and not n.ent_type_))
        for n in names
    ) and not any(n.i in place_at for n in names)


def dateline_place(
    doc: Doc, dateline: Dateline, countries: list[str], gazetteer: Gazetteer
) -> PlaceMention | None:
    """The dateline's city, geocoded (in the country the story is about when ambiguous)."""
    start, end = dateline.city
    # the parser's text has the dateline blanked: the city as the dateline wrote it
    name = dateline.city_text or doc_text(doc)[start:end]
    wanted = Counter(countries).most_common(1)
    place = None
    if wanted:
        place = gazetteer.find(name, country=wanted[0][0], kinds=("city", "town"))
    place = place or gazetteer.find(name, kinds=("city", "town"))
    if place is None:
        return None
    return PlaceMention(
        start=0,
        end=0,  # no tokens: the parser never saw it
        text=name,
        start_char=start,
        end_char=end,
        kind=place.kind,
        latitude=place.latitude,
        longitude=place.longitude,
        geo_precision=place.geo_precision,
        country=place.country,
        admin1=place.admin1,
        parent=place.parent,
        geonameid=place.geonameid,
        gazetteer=place.source,
        confidence=0.5,
    )


def named_abroad(span: Span, resolver: ToponymResolver | None) -> bool:
    """The words name people away from their country ("Rwandan refugees", "a Congolese
    national"; ``abroad_words`` of toponyms.yaml): their nationality is not where."""
    if resolver is None:
        return False
    words = resolver.cues.abroad_words
    root = span.root
    return root.lemma_.lower() in words or (
        root.head.i != root.i
        and root.dep_ in ("amod", "compound", "nmod")
        and root.head.lemma_.lower() in words
    )


def doc_countries(named: dict[int, Any], res: PlaceResources) -> list[str]:
    """ISO2 codes of the countries the named actors belong to (not agencies' or armed groups'
    home countries, nor people named abroad)."""
    out: list[str] = []
    seen: set[int] = set()
    for span, actor in named.values():
        domestic = actor.type in DOMESTIC_TYPES and actor.type not in NONSTATE_ARMED
        if span.start in seen or not (actor.country_like or actor.people or domestic):
            continue  # an agency's or a group's home country is not the story's country
        if named_abroad(span, res.resolver):
            continue  # "Rwandan refugees in Nakivale": not Rwanda
        seen.add(span.start)
        iso2 = res.iso2.get(actor.country or "")
        if iso2:
            out.append(iso2)
    return out


def place_span(doc: Doc, mention: PlaceMention) -> EvidenceSpan | None:
    """Where the text names the place: none for the feed's country (no words say it); the
    dateline's city as written (the parser saw it blanked)."""
    if mention.end_char <= mention.start_char:
        return None
    if mention.end <= mention.start:
        return EvidenceSpan(text=mention.text, start=mention.start_char, end=mention.end_char)
    return evidence_span(doc, mention.start_char, mention.end_char)


def place_record(
    doc: Doc, mention: PlaceMention, confidence: float, calibration: Calibration
) -> Place:
    """The place record of ``mention`` with its calibrated confidence."""
    return Place(
        name=mention.text,
        geo_precision=mention.geo_precision,
        confidence=round_confidence(calibration.place(confidence)),
        latitude=mention.latitude,
        longitude=mention.longitude,
        country_code=mention.country,
        admin1=mention.admin1,
        parent=mention.parent,
        geonameid=mention.geonameid,
        gazetteer=mention.gazetteer if mention.latitude is not None else "none",
        span=place_span(doc, mention),
    )
