"""Article record transitions: raw → unique (normalised) → enriched, and duplicate notices."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from pipeline.normalise.text import chosen_text, fingerprint
from schemas import Duplicate, EnrichedArticle, RawArticle, UniqueArticle
from schemas.base import field_names

if TYPE_CHECKING:
    from pipeline.extract import Extraction


def _fields(record: RawArticle) -> dict[str, Any]:
    return {name: getattr(record, name) for name in field_names(RawArticle)}


def to_unique(raw: RawArticle, *, cluster_id: str | None = None) -> UniqueArticle:
    """Normalise a raw article: the body text NLP runs on and its exact-copy fingerprint."""
    text, source = chosen_text(raw.summary, raw.content, raw.page_text)
    return UniqueArticle(
        **_fields(raw),
        text=text,
        text_source=source,
        fingerprint=fingerprint(text),
        cluster_id=cluster_id,
    )


def to_enriched(
    article: UniqueArticle, extraction: Extraction, *, extractor: str
) -> EnrichedArticle:
    """The enriched record: the article plus what extraction found in it."""
    return EnrichedArticle(
        **_fields(article),
        text=article.text,
        text_source=article.text_source,
        fingerprint=article.fingerprint,
        cluster_id=article.cluster_id,
        detected_language=extraction.language,
        sentences=extraction.sentences,
        entities=list(extraction.entities),
        event_ids=[event.event_id for event in extraction.events],
        processed=datetime.now(UTC),
        extractor=extractor,
    )


def to_duplicate(
    copy: RawArticle, *, duplicate_of: str, method: str, similarity: float
) -> Duplicate:
    """A notice that ``copy`` repeats ``duplicate_of``."""
    return Duplicate(
        article_id=copy.article_id,
        duplicate_of=duplicate_of,
        method=method,
        similarity=similarity,
        detected=datetime.now(UTC),
        feed_id=copy.feed_id,
        source=copy.source,
        url=copy.url,
        title=copy.title,
        published=copy.published,
    )
