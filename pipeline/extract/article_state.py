"""What the extractor knows of one article while it codes it: the parsed document with its named
actors and places (``Analysis``), what earlier sentences settled (``Context``), and the coded events
with the coordinated members behind their actors (``CodedEvent``)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from spacy.tokens import Doc, Span

from pipeline.extract.actors import ActorMention, Member
from pipeline.extract.attribution import Source
from pipeline.extract.dateline import Dateline
from pipeline.extract.dates import Resolved
from pipeline.extract.names import SecondMentions
from pipeline.extract.places import PlaceMention
from schemas import Event


@dataclass(frozen=True)
class CodedEvent:
    """An event record with the coordinated actor members behind its actor fields."""

    event: Event
    actor1_members: tuple[Member, ...] = ()
    actor2_members: tuple[Member, ...] = ()


@dataclass(frozen=True)
class Analysis:
    """One parsed document with its named actors and places."""

    doc: Doc
    named: dict[int, Any]
    countries: list[str]
    """ISO2 codes of the countries its named actors belong to."""
    places: list[PlaceMention]
    dateline: Dateline | None = None
    filed_at: PlaceMention | None = None
    """The dateline's city: where the story was filed, a weak fallback for the event place."""
    groups: list[tuple[Span, tuple[str, ...]]] = field(default_factory=list)
    """Armed groups named, with the countries they operate in (``actor_areas``)."""
    not_places: frozenset[int] = frozenset()
    """Tokens of words that name no place: persons' titled names ("Mr Anand"), a people
    qualifying a settlement ("the Tuareg village of Tezguene")."""


@dataclass
class Context:
    """What the extractor knows of the article so far, sentence by sentence."""

    base: date
    base_known: bool
    country: str | None
    anchor: Resolved | None = None
    last_date: date | None = None
    events: list[CodedEvent] = field(default_factory=list)
    places_used: Counter[tuple[str, str]] = field(default_factory=Counter)
    actor_types: Counter[str] = field(default_factory=Counter)
    actors_by_type: dict[str, ActorMention] = field(default_factory=dict)
    place_at: dict[int, PlaceMention] = field(default_factory=dict)
    last_source: Source | None = None
    antecedents: dict[int, ActorMention] = field(default_factory=dict)
    """Pronoun token → the actor it stands for (``pronouns``)."""
    names: SecondMentions | None = None
    """Coded actors named in full, for later mentions by surname (``names``)."""
    main_place: PlaceMention | None = None
    filed_at: PlaceMention | None = None
    story_place: Callable[[], PlaceMention | None] = field(default=lambda: None)
    """The story's country (or its one named province): where an event no place names is
    (worked out on first use: most events name their place)."""
    dateline: Dateline | None = None
    sides: list[tuple[int, str, str]] = field(default_factory=list)
    """(token, type, country) of each armed actor named with its country, in text order: "the
    tanks" after "Israeli forces" are Israel's, whatever country the story is mostly about."""
