"""Linked events and their mentions: one real-world event, many reports (GDELT's Events/Mentions).

An extracted per-article :class:`~schemas.events.Event` is a *mention*; the link stage
(``pipeline/link/``) joins the mentions of one real-world event into a :class:`LinkedEvent`
(topic ``events``, compacted, key ``event_id``) and appends one :class:`Mention` per (linked
event, article) to topic ``mentions``.
"""

from __future__ import annotations

from datetime import datetime

from schemas.base import SCHEMA_VERSION, WireRecord
from schemas.events import Actor, Attribution, Event, Place, Span, When


class Alternative(WireRecord):
    """A value that a mention reported and that disagrees with the linked event's best value."""

    field: str
    """Which field: ``place``, ``when``, ``actor1``, ``actor2`` or ``sub_event_type``."""
    value: str
    """The disagreeing value in short form: a place name, ``2016-11-26 (day)``, an actor's
    normalised name or a sub-event type."""
    mention_id: str
    """The mention (extracted event id) that reported it."""
    confidence: float
    """The mention's confidence in this value."""
    actor: Actor | None = None
    """The full actor, for ``actor1``/``actor2``."""
    place: Place | None = None
    """The full place, for ``place``."""
    when: When | None = None
    """The full date, for ``when``."""


class LinkedEvent(WireRecord):
    """One real-world event merged from all its mentions. Topic ``events`` (compacted), key
    ``event_id``: every update carries the whole event, so the latest record per key is the
    event."""

    event_id: str
    """Stable id of the linked event: the extracted event id of its first mention."""
    event_type: str
    """ACLED event type (empty when ACLED has no equivalent; see the ``event`` schema)."""
    sub_event_type: str
    """ACLED sub-event type of the best mention; other mentions' sub-types are in
    ``alternatives``."""
    cameo_root: str
    """CAMEO root code, two digits."""
    cameo_code: str
    """Most specific CAMEO code among the mentions (the best mention's)."""
    plover: str
    """PLOVER event type."""
    trigger: Span
    """The trigger in the article of the mention named by ``field_sources["type"]``."""
    sentence: Span
    """The sentence of that mention (offsets refer to that mention's article text)."""
    modality: str
    """``asserted`` for factual events; a non-factual linked event (mentions that are all
    ``future``, ``negated``, ``hypothetical`` or ``conditional`` alike) keeps that modality."""
    factual: bool
    """True when every mention is factual. Factual and non-factual mentions never share a
    linked event, so counting events means counting linked events with ``factual`` true."""
    confidence: float
    """The highest confidence of any mention."""
    num_mentions: int
    """Extracted events linked here, counting several in one article (as GDELT's NumMentions)."""
    num_sources: int
    """Distinct publishing sources among the mentions (a mention without a source name counts
    as a source of its own)."""
    num_articles: int
    """Distinct articles among the mentions."""
    first_seen: datetime
    """Earliest publication time of a mention (its extraction time when it has none)."""
    last_seen: datetime
    """Latest publication time of a mention; the event expires a window after it."""
    version: int
    """1 for the first record of an event, then one more for every change; consumers keep the
    record with the highest version per ``event_id``."""
    updated: datetime
    """When this version was made: the extraction time of the mention that caused it (never
    earlier than the previous version's)."""
    actor1: Actor | None = None
    """Who acts: the best actor of the mentions (a named actor over a role, a role over
    unknown)."""
    actor2: Actor | None = None
    """Who or what is acted upon, chosen like ``actor1``."""
    place: Place | None = None
    """The most precise place of the mentions (a neighbourhood over its city, geo_precision 1
    over 3)."""
    when: When | None = None
    """The most precise date of the mentions (a day over a week, month or year; an explicit
    date over the publication day)."""
    attribution: Attribution | None = None
    """Who says so: the first explicit attribution among the mentions, else the article's."""
    field_sources: dict[str, str] = {}  # noqa: RUF012 - WireRecord copies list and dict defaults per instance
    """Which mention (extracted event id) each field group comes from: ``type`` (event and
    sub-event types, CAMEO and PLOVER codes, trigger, sentence), ``actor1``, ``actor2``,
    ``place``, ``when``, ``attribution``. Each nested record keeps that mention's evidence
    span (in that mention's article) and confidence."""
    alternatives: list[Alternative] = []  # noqa: RUF012
    """Disagreeing values reported by other mentions (another date, place, actor or sub-event
    type), each with its mention; bounded (the first 20)."""
    article_ids: list[str] = []  # noqa: RUF012
    """The first 50 articles that mention the event (``num_articles`` counts all)."""
    sources: list[str] = []  # noqa: RUF012
    """The first 50 distinct sources (``num_sources`` counts all)."""
    schema_version: int = SCHEMA_VERSION
    """Version of this record's schema."""


class Mention(WireRecord):
    """One article's report of a linked event. Topic ``mentions`` (append-only), key
    ``event_id``: one record per (linked event, article)."""

    event_id: str
    """The linked event this mention belongs to."""
    mention_id: str
    """The extracted event's id (``event.event_id``): the first one of this article that
    linked here; ``<report_id>.<n>`` for one incident of a report covering several (see
    ``report_id``). With the key, it identifies the mention record."""
    article_id: str
    """The article that reports it."""
    source: str
    """The publishing source (feed source name)."""
    published: datetime
    """Publication time of the article (UTC; its extraction time when the feed gave none)."""
    sentence: Span
    """The sentence that reports the event (offsets refer to the article text)."""
    confidence: float
    """The extracted event's overall confidence."""
    factual: bool
    """The extracted event's ``factual`` (always equal to the linked event's)."""
    new_event: bool
    """True when this mention started the linked event."""
    event: Event
    """The full extracted event: every field, span and confidence of this mention's evidence."""
    changed_fields: list[str] = []  # noqa: RUF012
    """The field groups of the linked event this mention set or made more precise (names as
    in ``LinkedEvent.field_sources``); empty when it only corroborated."""
    link_basis: str = ""
    """Why it was linked: ``new`` or the strongest agreement found (e.g. ``same place``,
    ``place contained``, ``place within 12 km``), for inspection."""
    version: int = 1
    """The linked event's ``version`` right after this mention was merged."""
    url: str | None = None
    """Link of the article."""
    report_id: str | None = None
    """For a report covering several incidents ("clashes in A and B", "attacked the villages of
    X, Y and Z"): the extracted event (its ``event_id`` on ``article-events``) whose sentence
    names them all. Each incident is its own linked event with its own mention, all carrying
    this id; ``mention_id`` (and ``event.event_id``) is then ``<report_id>.<n>``, n the
    incident's rank in the sentence, and ``event.place`` the incident's place. None for a report
    of one incident (``mention_id`` is then the extracted event's id)."""
    incidents: int = 1
    """How many incidents the report's sentence names: 1, or the number of mentions sharing
    ``report_id``."""
    schema_version: int = SCHEMA_VERSION
    """Version of this record's schema."""
