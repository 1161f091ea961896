"""Feed state: what the poller remembers about each feed, kept on a compacted topic."""

from __future__ import annotations

from datetime import datetime

from schemas.base import SCHEMA_VERSION, WireRecord


class BoilerplateLine(WireRecord):
    """One line the poller has seen in a feed's articles (see ``FeedState.boilerplate_lines``)."""

    key: str
    """Hash of the line's letters and digits, case-folded."""
    count: int
    """Different articles of the feed the line appeared in."""
    seen: int
    """Article number (of ``boilerplate_articles``) when it was last seen."""


class FeedState(WireRecord):
    """Poller state of one feed. Topic ``feed-state`` (compacted), key ``feed_id``."""

    feed_id: str
    """Id of the feed in the feed list."""
    url: str
    """The feed's URL."""
    etag: str | None = None
    """Last ETag the server sent, for conditional GET."""
    last_modified: str | None = None
    """Last Last-Modified header the server sent, for conditional GET."""
    last_attempt: datetime | None = None
    """When the poller last tried this feed (UTC)."""
    last_success: datetime | None = None
    """When the feed was last fetched and parsed without error (UTC)."""
    failures: int = 0
    """Consecutive failures; reset to 0 on success. Drives the backoff."""
    last_error: str | None = None
    """Reason of the most recent failure or parse problem, if any."""
    last_status: int | None = None
    """HTTP status of the last response (200, 304, 500...); none for file: feeds or when no
    response came."""
    next_poll: datetime | None = None
    """When the poller will try again (UTC)."""
    entries_seen: int = 0
    """Entries published from this feed since the state was created."""
    recent_ids: list[str] = []  # noqa: RUF012 - WireRecord copies list and dict defaults per instance
    """Article ids of the most recent entries published (bounded), so a changed feed only
    re-publishes entries that are new."""
    boilerplate_articles: int = 0
    """Articles of this feed the boilerplate learner has observed."""
    boilerplate_lines: list[BoilerplateLine] = []  # noqa: RUF012
    """Lines counted across the feed's articles (bounded); those seen in enough different
    articles are stripped as boilerplate. Saved here so a restarted poller keeps them."""
    schema_version: int = SCHEMA_VERSION
    """Version of this record's schema."""
    moved_to: str | None = None
    """Where the feed permanently moved (HTTP 301/308): polled instead of ``url`` from then on,
    until the configured URL changes."""
    disabled: str | None = None
    """Why the poller stopped polling the feed (HTTP 410 Gone), or None while it polls it;
    cleared when the configured URL changes."""
