"""Feed bytes → RawArticle records, with feedparser; whatever the bytes, only FeedError escapes."""

from __future__ import annotations

import calendar
import io
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import feedparser

from pipeline.errors import FeedError
from pipeline.feeds.config import FeedSpec
from pipeline.feeds.entities import defuse_entities
from pipeline.ids import article_id, canonical_url, stable_hash
from pipeline.normalise.html import html_to_text
from pipeline.normalise.text import clean_text
from schemas.articles import RawArticle

_LANGUAGE = re.compile(r"[a-z]{2,3}")
_MAX_PROBLEMS = 20  # a feed with 5,000 broken entries needs a sample, not 5,000 lines


@dataclass(frozen=True)
class ParsedFeed:
    """A parsed feed: its title and language, its entries as articles, and what was wrong."""

    title: str | None
    language: str | None
    articles: list[RawArticle]
    problems: list[str] = field(default_factory=list)
    """Parse problems worth recording: malformed XML, wrong media type, skipped entries."""


def parse_feed(
    body: bytes,
    *,
    spec: FeedSpec,
    fetched: datetime,
    feed_url: str,
    content_type: str | None = None,
) -> ParsedFeed:
    """Parse RSS/Atom/RDF bytes into articles; raise FeedError if the bytes are not a feed.

    A malformed feed that still yields entries gives its articles plus problem notes.
    """
    try:
        return _parse(
            body, spec=spec, fetched=fetched, feed_url=feed_url, content_type=content_type
        )
    except FeedError:
        raise
    except Exception as exc:
        # The poller relies on FeedError being the only failure; the type name keeps a
        # bug here recognisable in the feed's state and the logs.
        raise FeedError(
            f"{feed_url} could not be parsed: {type(exc).__name__}: {exc}", retry=True
        ) from exc


def _parse(
    body: bytes, *, spec: FeedSpec, fetched: datetime, feed_url: str, content_type: str | None
) -> ParsedFeed:
    body, dropped = defuse_entities(body)
    result = _feedparser_parse(body, feed_url, content_type)
    entries = result.get("entries") or []
    version = result.get("version") or ""
    if not version and not entries:
        raise FeedError(
            f"{feed_url} is not an RSS/Atom feed: {_not_a_feed_reason(body, result)}", retry=True
        )
    problems = _document_problems(result, content_type, version, _added_lines(body))
    if dropped:
        problems.insert(
            0,
            f"{dropped} entity declaration(s) dropped unexpanded: they refer to other entities "
            "or external resources, or are long (an entity-expansion bomb?)",
        )
    feed = result.get("feed") or {}
    title = _text(feed, "title") or None
    feed_language = _declared_language(feed)
    source = spec.name or title or spec.feed_id
    articles: list[RawArticle] = []
    for number, entry in enumerate(entries, start=1):
        try:
            article = _article(
                entry,
                number=number,
                spec=spec,
                source=source,
                fetched=fetched,
                feed_url=feed_url,
                feed_language=feed_language,
                problems=problems,
            )
        except Exception as exc:  # one odd entry must not cost the others
            problems.append(f"entry {number} skipped: {type(exc).__name__}: {exc}")
            continue
        if article is not None:
            articles.append(article)
    if len(problems) > _MAX_PROBLEMS:
        problems[_MAX_PROBLEMS:] = [f"... and {len(problems) - _MAX_PROBLEMS} more problems"]
    return ParsedFeed(
        title=title,
        language=_language(spec.language) or feed_language,
        articles=articles,
        problems=problems,
    )


def _feedparser_parse(body: bytes, feed_url: str, content_type: str | None) -> Any:
    # A stream, never a string: given a string feedparser may treat it as a URL or a file
    # name and fetch it. The headers give it the base URL and the declared charset; without
    # a Content-Type it would assume ISO-8859-1 for XML, so say what a file feed is.
    headers = {
        "content-location": feed_url,
        "content-type": content_type or "application/xml",
    }
    return feedparser.parse(io.BytesIO(body), response_headers=headers)


def _not_a_feed_reason(body: bytes, result: Mapping[str, Any]) -> str:
    head = body[:512].lstrip().lower()
    if not body.strip():
        return "the body is empty"
    if head.startswith((b"<!doctype html", b"<html")) or b"<body" in body[:4096].lower():
        return "it is an HTML page"
    if head[:1] in (b"{", b"["):
        return "it looks like JSON (JSON Feed is not supported)"
    if b"\x00" in body[:512] and not head.startswith((b"<", b"\xff\xfe", b"\xfe\xff")):
        return "it is binary data"
    problem = result.get("bozo_exception")
    if problem is None:
        return "no RSS, Atom or RDF root element found"
    return f"no RSS, Atom or RDF root element found ({_describe(problem, _added_lines(body))})"


def _describe(problem: Any, line_offset: int = 0) -> str:
    """A parser exception as "message at line N" (SAX errors carry a locator)."""
    try:
        return f"{problem.getMessage()} at line {problem.getLineNumber() - line_offset}"
    except Exception:  # not a SAX error, or its locator is gone
        return str(problem) or type(problem).__name__


def _added_lines(body: bytes) -> int:
    """Lines feedparser put in front of the document before parsing it (0 or 1).

    It prepends an XML declaration line when the document has none, which would shift
    every line number it reports by one.
    """
    head = body[:64].replace(b"\x00", b"").removeprefix(b"\xef\xbb\xbf")
    head = head.removeprefix(b"\xff\xfe").removeprefix(b"\xfe\xff")
    return 0 if head.startswith(b"<?xml") else 1


def _document_problems(
    result: Mapping[str, Any], content_type: str | None, version: str, line_offset: int
) -> list[str]:
    problems: list[str] = []
    if not version:
        problems.append("feed format not recognised; entries read anyway")
    problem = result.get("bozo_exception")
    if result.get("bozo") and problem is not None:
        kind = type(problem).__name__
        if kind == "NonXMLContentType":
            problems.append(f"served as {content_type!r}, which is not an XML media type")
        elif kind in ("CharacterEncodingOverride", "CharacterEncodingUnknown"):
            problems.append(f"character encoding: {problem}")
        else:
            problems.append(f"not well-formed XML: {_describe(problem, line_offset)}")
    return problems


def _article(
    entry: Mapping[str, Any],
    *,
    number: int,
    spec: FeedSpec,
    source: str,
    fetched: datetime,
    feed_url: str,
    feed_language: str | None,
    problems: list[str],
) -> RawArticle | None:
    title = _text(entry, "title")
    summary = _text(entry, "summary")
    content = _content(entry)
    link = _link(entry)
    guid = _string(entry.get("id")) or None
    published = _datetime(entry.get("published_parsed")) or _datetime(entry.get("updated_parsed"))
    try:
        the_id = article_id(link, feed_id=spec.feed_id, guid=guid)
    except ValueError:
        if not (title or summary):
            problems.append(f"entry {number} skipped: no link, guid, title or text")
            return None
        # Without a link or GUID the title and date are all that identify the entry
        # from one poll to the next; the summary stands in for a missing title.
        stamp = published.isoformat() if published else ""
        the_id = "t" + stable_hash("title", spec.feed_id, title or summary, stamp)
        problems.append(f"entry {number} has no link or guid; id derived from title and date")
    # The feed list's language is the operator's word and wins over what the feed claims.
    language = _language(spec.language) or _declared_language(entry) or feed_language
    return RawArticle(
        article_id=the_id,
        feed_id=spec.feed_id,
        source=source,
        fetched=fetched,
        title=title,
        summary=summary,
        content=content,
        guid=guid,
        url=link,
        canonical_url=canonical_url(link) if link else None,
        published=published,
        language=language,
        feed_url=feed_url,
        country=spec.country,
    )


def _string(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _as_text(value: str, content_type: str) -> str:
    # feedparser tells HTML from plain text; plain text must not go through an HTML parser,
    # where "a <b and c" would lose characters.
    if "html" in content_type:
        return html_to_text(value)
    return clean_text(value)


def _text(item: Mapping[str, Any], key: str) -> str:
    value = _string(item.get(key))
    if not value:
        return ""
    detail = item.get(f"{key}_detail") or {}
    return _as_text(value, _string(detail.get("type")) or "text/html")


def _content(entry: Mapping[str, Any]) -> str:
    texts: list[str] = []
    for part in entry.get("content") or []:
        text = _as_text(_string(part.get("value")), _string(part.get("type")) or "text/html")
        if text and text not in texts:
            texts.append(text)
    return "\n\n".join(texts)


def _link(entry: Mapping[str, Any]) -> str | None:
    link = _string(entry.get("link"))
    if link:
        return link
    # Atom entries may have only rel="alternate" links under "links", or none at all.
    for candidate in entry.get("links") or []:
        if _string(candidate.get("rel")) in ("", "alternate") and _string(candidate.get("href")):
            return _string(candidate.get("href"))
    return None


def _declared_language(item: Mapping[str, Any]) -> str | None:
    """Language an entry or feed declares: its own tag, else the xml:lang of its parts."""
    contents = item.get("content") or []
    details = [item, contents[0] if contents else {}]
    details += [item.get(key) or {} for key in ("summary_detail", "title_detail")]
    for detail in details:
        language = _language(detail.get("language"))
        if language:
            return language
    return None


def _language(tag: Any) -> str | None:
    """Primary subtag of a language tag, lower case: "en-GB" → "en"; None if not a language."""
    primary = re.split(r"[-_]", _string(tag).lower(), maxsplit=1)[0]
    return primary if _LANGUAGE.fullmatch(primary) else None


def _datetime(value: Any) -> datetime | None:
    """feedparser's UTC struct_time → aware datetime; None for missing or impossible dates."""
    if not isinstance(value, time.struct_time):
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None
