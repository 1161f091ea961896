"""Event records: who did what to whom, where, when, according to whom, each with evidence."""

from __future__ import annotations

from datetime import datetime

from schemas.base import SCHEMA_VERSION, WireRecord


class Span(WireRecord):
    """Evidence: a stretch of the article ``text``."""

    text: str
    """The characters ``text[start:end]``."""
    start: int
    """Character offset of the first character in the article ``text``."""
    end: int
    """Character offset one past the last character."""


class Actor(WireRecord):
    """A participant in an event."""

    name: str
    """The actor as written (e.g. ``the Syrian army``)."""
    normalized: str
    """Canonical name from the actor dictionary (e.g. ``Syrian army``), else the head phrase."""
    type: str
    """Role/type: ``state_military``, ``rebels``, ``government``, ``civilians``, ``police``,
    ``protesters``, ``international_org``, ``media``, ``country``, ``unknown``..."""
    confidence: float
    """Confidence in [0, 1] that this actor fills this role, calibrated to the rate such actors were
    right on held-out gold (``pipeline/extract/data/calibration.yaml``)."""
    country: str | None = None
    """ISO 3166-1 alpha-3 country of the actor, when known."""
    cameo: str | None = None
    """CAMEO actor code (e.g. ``SYRMIL``), when the dictionary knows it."""
    span: Span | None = None
    """Where the actor is named in the text."""
    acled_class: int | None = None
    """ACLED actor class in this event (1 State forces, 2 Rebel groups, 3 Political militias,
    4 Identity militias, 5 Rioters, 6 Protesters, 7 Civilians, 8 External/Other forces), from the
    type, the role and the event (``pipeline/extract/data/actor_types.yaml``); None: none fits."""
    members: list[str] = []  # noqa: RUF012 - WireRecord copies list and dict defaults per instance
    """Normalised names of the coordinated actors this actor stands for (``Military forces and
    allied fighters`` → ``["Syrian army", "pro-government militia"]``); empty for a single actor.
    ``type``, ``country`` and ``cameo`` are those of the first member."""


class Place(WireRecord):
    """Where an event happened, geocoded offline."""

    name: str
    """The place as named in the text (e.g. ``Sakhour``)."""
    geo_precision: int
    """ACLED-style precision: 1 exact town/neighbourhood, 2 near or part of a city,
    3 region/province, 4 country."""
    confidence: float
    """Confidence in [0, 1] that the event happened here, calibrated to the rate such places were
    right on held-out gold (``pipeline/extract/data/calibration.yaml``)."""
    latitude: float | None = None
    """WGS84 latitude of the place, or of its containing place at lower precision; none for a
    country (the offline gazetteer has no country centroids)."""
    longitude: float | None = None
    """WGS84 longitude."""
    country_code: str | None = None
    """ISO 3166-1 alpha-2 country code."""
    admin1: str | None = None
    """First-level administrative division (province/governorate), when known."""
    parent: str | None = None
    """Containing place whose coordinates were used (e.g. ``Aleppo`` for ``Sakhour``)."""
    geonameid: int | None = None
    """GeoNames id of the place whose coordinates are given."""
    gazetteer: str = "none"
    """Where the coordinates came from: ``geonames``, ``project`` or ``none``."""
    span: Span | None = None
    """Where the place is named in the text."""


class When(WireRecord):
    """When an event happened, resolved against the article's publication time."""

    date: str
    """ISO 8601 date (``YYYY-MM-DD``) of the event, or the first day of its week/month."""
    time_precision: str
    """``day``, ``week``, ``month`` or ``year``."""
    confidence: float
    """Confidence in [0, 1]."""
    span: Span | None = None
    """The time expression, when one was found; none means the publication date was used."""


class Attribution(WireRecord):
    """Who says the event happened."""

    text: str
    """The source as written (e.g. ``a military source``)."""
    kind: str
    """``source``, ``official``, ``statement``, ``media``, ``witness`` or ``article`` (no explicit
    attribution: the article itself reports it)."""
    confidence: float
    """Confidence in [0, 1]."""
    span: Span | None = None
    """Where the attribution is in the text."""


class Event(WireRecord):
    """One event reported in one article. Topic ``events``, key ``event_id``."""

    event_id: str
    """Stable id: a hash of article id, trigger offset and event code; re-processing an article
    yields the same id."""
    article_id: str
    """The article that reports it."""
    event_type: str
    """ACLED event type (e.g. ``Battles``, ``Explosions/Remote violence``, ``Protests``,
    ``Strategic developments``); empty when ACLED has no equivalent (statements, appeals,
    diplomacy, aid: the CAMEO and PLOVER codes still classify the event)."""
    sub_event_type: str
    """ACLED sub-event type (e.g. ``Government regains territory``, ``Air/drone strike``); empty
    with ``event_type``."""
    cameo_root: str
    """CAMEO root code, two digits (e.g. ``19`` FIGHT)."""
    cameo_code: str
    """Most specific CAMEO code the lexicon knows (e.g. ``190``, ``195``)."""
    plover: str
    """PLOVER event type (e.g. ``ASSAULT``, ``COERCE``, ``PROTEST``); empty for plain commentary,
    which PLOVER does not code."""
    trigger: Span
    """The word or phrase that signals the event (e.g. ``recaptured``)."""
    sentence: Span
    """The whole sentence the event was found in."""
    modality: str
    """``asserted``, ``negated``, ``future``, ``hypothetical``, ``conditional`` or ``alleged``
    (the content of a claim or accusation: "claimed that X attacked", "accused Y of rigging")."""
    factual: bool
    """True only for asserted events; consumers counting events should filter on this."""
    confidence: float
    """Overall confidence in [0, 1] that this event happened as coded (on held-out gold, events at
    0.7 or more had the right CAMEO root about 80% of the time; see the README)."""
    extracted: datetime
    """When the event was extracted (UTC)."""
    actor1: Actor | None = None
    """Who acts."""
    actor2: Actor | None = None
    """Who or what is acted upon."""
    place: Place | None = None
    """Most specific place named for the event."""
    when: When | None = None
    """Event date and its precision."""
    attribution: Attribution | None = None
    """Who says so, within the article."""
    source: str = ""
    """The publishing source (feed source name)."""
    url: str | None = None
    """Link of the article."""
    published: datetime | None = None
    """Publication time of the article (UTC)."""
    extractor: str = ""
    """Extractor version and spaCy model."""
    text_source: str = ""
    """Which text of the article the event was read from: ``page``, ``content`` or
    ``summary`` (the article's ``text_source``)."""
    main: bool = False
    """True on the article's main event: the one factual event to report when one per article is
    wanted (ACLED codes a report as one event). "Hurled a grenade, injuring ten" is the grenade
    attack, not the injuring; at most one per article (``pipeline/extract/main_event.py``)."""
    incident_places: list[Place] = []  # noqa: RUF012 - WireRecord copies list defaults per instance
    """For a report whose sentence covers several incidents ("clashes in A and B"), the places it
    lists, in sentence order, each geocoded when the gazetteers know it (else no coordinates,
    ``gazetteer: none``); empty for a report of one place. Linking makes one incident of each."""
    schema_version: int = SCHEMA_VERSION
    """Version of this record's schema."""
