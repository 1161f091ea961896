"""Article records: what the poller publishes, what survives dedup, and what extraction adds."""

from __future__ import annotations

from datetime import datetime

from schemas.base import SCHEMA_VERSION, WireRecord


class RawArticle(WireRecord):
    """One feed entry as the poller saw it. Topic ``raw-articles``, key ``article_id``."""

    article_id: str
    """Stable id: a hash of the canonical URL, or of feed id and GUID when the entry has no link."""
    feed_id: str
    """Id of the feed in the feed list."""
    source: str
    """Human name of the source (feed list ``name``, else the feed's own title)."""
    fetched: datetime
    """When the poller fetched the feed (UTC)."""
    title: str = ""
    """Headline as clean text."""
    summary: str = ""
    """The entry's summary/description as clean text (HTML removed)."""
    content: str = ""
    """The entry's full content as clean text, when the feed carries it."""
    guid: str | None = None
    """The feed's GUID / Atom id for the entry."""
    url: str | None = None
    """The entry's link as published."""
    canonical_url: str | None = None
    """The link normalised: lower-cased host, no fragment, no utm_* or other tracking parameters."""
    published: datetime | None = None
    """Publication time (UTC) from the feed, if given."""
    language: str | None = None
    """Language the feed or entry declares (e.g. ``en``), if any."""
    feed_url: str | None = None
    """URL the entry was fetched from."""
    country: str | None = None
    """The outlet's country from the feed list (ISO 3166 alpha-3), if given: event coding takes
    it as the story's country when the text names none."""
    page_text: str = ""
    """Main text of the article's web page, fetched by the poller when the feed asks for it
    (``full_text``), as clean paragraphs; "" when not fetched or when the fetch failed."""
    page_outcome: str | None = None
    """How the page fetch went (``ok``, ``cut``, ``not_modified``, ``robots_disallowed``,
    ``timeout``, ``http_error``, ``not_html``, ``no_main_text``, ``error``); None: not tried."""
    boilerplate_removed: int = 0
    """Lines the poller stripped from summary, content and page text as the feed's learned
    boilerplate (lines repeated across its different articles)."""
    schema_version: int = SCHEMA_VERSION
    """Version of this record's schema."""


class UniqueArticle(RawArticle):
    """An article seen for the first time, normalised for NLP. Topic ``unique-articles``."""

    text: str = ""
    """Body text used for extraction: the longest of page text, content and summary. Every
    character offset in the records derived from this article refers to it."""
    text_source: str = ""
    """Which text ``text`` is: ``page`` (the fetched page), ``content`` or ``summary``."""
    fingerprint: str = ""
    """Hash of the normalised body text (whitespace, quotes and boilerplate lines removed)."""
    cluster_id: str | None = None
    """Id of the story cluster this article belongs to (see dedup), if any."""
    dedup_method: str | None = None
    """Which test made dedup keep it: ``substitution`` (a near-duplicate candidate names another
    place, number, date or actor: a separate article of the candidate's story cluster),
    ``minhash`` (similar enough to join a story cluster, not a copy), or none (nothing similar)."""


class Duplicate(WireRecord):
    """A copy of an article already seen. Topic ``duplicates``, key is the copy's ``article_id``."""

    article_id: str
    """Id of this copy."""
    duplicate_of: str
    """Id of the first-seen article it copies."""
    method: str
    """How it was matched: ``article_id`` (same canonical URL/GUID), ``fingerprint`` (same
    body text), ``minhash`` (near-duplicate text) or ``containment`` (a trimmed or extended
    copy: the shorter text found in the longer)."""
    similarity: float
    """Estimated Jaccard similarity of the two texts' shingles (1.0 for exact matches)."""
    detected: datetime
    """When the duplicate was detected (UTC)."""
    feed_id: str = ""
    """Feed the copy came from."""
    source: str = ""
    """Source name of the copy."""
    url: str | None = None
    """Link of the copy."""
    title: str = ""
    """Headline of the copy."""
    published: datetime | None = None
    """Publication time of the copy (UTC)."""
    schema_version: int = SCHEMA_VERSION
    """Version of this record's schema."""


class Entity(WireRecord):
    """A named entity mention in the article text."""

    text: str
    """The mention as written."""
    label: str
    """spaCy label (GPE, LOC, ORG, NORP, PERSON, DATE, ...) or ``PLACE`` for gazetteer matches."""
    start: int
    """Character offset of the first character in the article ``text``."""
    end: int
    """Character offset one past the last character."""


class EnrichedArticle(UniqueArticle):
    """A unique article after extraction. Topic ``enriched-articles``, key ``article_id``."""

    detected_language: str | None = None
    """Language detected from the text (ISO 639-1)."""
    sentences: int = 0
    """Number of sentences in ``text``."""
    entities: list[Entity] = []  # noqa: RUF012 - WireRecord copies list and dict defaults per instance
    """Named entities found in ``text``, in order."""
    event_ids: list[str] = []  # noqa: RUF012
    """Ids of the events extracted from this article (records on the ``events`` topic)."""
    processed: datetime | None = None
    """When extraction finished (UTC)."""
    extractor: str = ""
    """Extractor version and spaCy model that produced this record."""
