"""Fetch a feed's bytes over HTTP (conditional GET, bounded in time and size) or from a file."""

from __future__ import annotations

import asyncio
import os
import stat
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import formatdate, parsedate_to_datetime
from itertools import pairwise
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import aiohttp

from pipeline.errors import FeedError

_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5"
)
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class FetchLimits:
    """Bounds on one fetch, so a broken or hostile server cannot stall or flood the poller."""

    connect_timeout: float = 10.0
    """Seconds to establish the connection (DNS, TCP, TLS)."""
    read_timeout: float = 30.0
    """Deadline in seconds for the whole exchange, last body byte included: defeats slow-loris."""
    max_body_bytes: int = 10 * 1024 * 1024
    """Largest body accepted, counted after decompression: defeats gzip bombs."""
    user_agent: str = "wirestream/0.1"
    """User-Agent header sent to feed servers."""
    max_redirects: int = 5
    """Redirects followed before giving up."""


DEFAULT_LIMITS = FetchLimits()


@dataclass(frozen=True)
class FetchResult:
    """What a fetch brought back: the body, or word that it has not changed."""

    url: str
    """Final URL after redirects (base for relative links in the feed)."""
    status: int | None
    """HTTP status; None for file: URLs."""
    body: bytes | None
    """The body, decompressed; None when not modified."""
    not_modified: bool
    """True when the validators sent still match (HTTP 304, or an unchanged file)."""
    etag: str | None
    """Validator to send as If-None-Match next time."""
    last_modified: str | None
    """Validator to send as If-Modified-Since next time (for files, the mtime as an HTTP date)."""
    content_type: str | None
    """Content-Type header, charset included; None for files."""
    moved_to: str | None = None
    """The URL the feed permanently moved to (301/308 redirects from the start), if any."""


async def fetch_feed(
    session: aiohttp.ClientSession | None,
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    limits: FetchLimits = DEFAULT_LIMITS,
) -> FetchResult:
    """Fetch ``url`` (http, https or file) with a conditional GET; raise FeedError on failure.

    ``session`` may be None: file URLs need none, and an HTTP fetch then uses a session of
    its own (a poller should pass one session for all its fetches).
    """
    scheme = urlsplit(url).scheme.lower()
    if scheme == "file":
        return await asyncio.to_thread(_read_file, url, etag, last_modified, limits.max_body_bytes)
    if scheme not in ("http", "https"):
        raise FeedError(f"{url}: unsupported URL scheme {scheme!r}", retry=False)
    if session is None:
        async with aiohttp.ClientSession() as own_session:
            return await _fetch_http(own_session, url, etag, last_modified, limits)
    return await _fetch_http(session, url, etag, last_modified, limits)


async def _fetch_http(
    session: aiohttp.ClientSession,
    url: str,
    etag: str | None,
    last_modified: str | None,
    limits: FetchLimits,
) -> FetchResult:
    headers = {"User-Agent": limits.user_agent, "Accept": _ACCEPT}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    timeout = aiohttp.ClientTimeout(
        total=None, connect=limits.connect_timeout, sock_connect=limits.connect_timeout
    )
    try:
        # One deadline over connect, headers and body: a server dribbling a byte a second
        # never trips a per-read timeout, but it cannot outlast this.
        async with asyncio.timeout(limits.read_timeout):
            async with session.get(
                url,
                headers=headers,
                timeout=timeout,
                max_redirects=limits.max_redirects,
                auto_decompress=True,
            ) as response:
                return await _read_response(response, url, etag, last_modified, limits)
    except aiohttp.ConnectionTimeoutError as exc:
        raise FeedError(
            f"{url}: could not connect within {limits.connect_timeout:g}s", retry=True
        ) from exc
    except TimeoutError as exc:
        raise FeedError(
            f"{url}: no complete response within {limits.read_timeout:g}s", retry=True
        ) from exc
    except aiohttp.TooManyRedirects as exc:
        raise FeedError(
            f"{url}: too many redirects (more than {limits.max_redirects})",
            retry=True,
            status=exc.status,
        ) from exc
    except aiohttp.ClientConnectorDNSError as exc:
        raise FeedError(f"{url}: cannot resolve host {exc.host!r}", retry=True) from exc
    except aiohttp.ClientConnectorError as exc:
        reason = exc.os_error.strerror or str(exc.os_error)
        raise FeedError(f"{url}: cannot connect to {exc.host}:{exc.port}: {reason}") from exc
    except aiohttp.InvalidURL as exc:
        raise FeedError(f"{url}: invalid URL: {exc}", retry=False) from exc
    except aiohttp.ClientPayloadError as exc:
        raise FeedError(f"{url}: broken response body: {exc}", retry=True) from exc
    except aiohttp.ServerDisconnectedError as exc:
        raise FeedError(f"{url}: the server closed the connection early", retry=True) from exc
    except (aiohttp.ClientError, OSError) as exc:
        raise FeedError(f"{url}: request failed: {type(exc).__name__}: {exc}") from exc


async def _read_response(
    response: aiohttp.ClientResponse,
    url: str,
    etag: str | None,
    last_modified: str | None,
    limits: FetchLimits,
) -> FetchResult:
    final_url = str(response.url)
    moved_to = permanent_target(response)
    status = response.status
    content_type = response.headers.get("Content-Type")
    new_etag = response.headers.get("ETag")
    new_last_modified = response.headers.get("Last-Modified")
    if status == 304:
        # A 304 need not repeat the validators: the ones sent are still current.
        return FetchResult(
            url=final_url,
            status=status,
            body=None,
            not_modified=True,
            etag=new_etag or etag,
            last_modified=new_last_modified or last_modified,
            content_type=content_type,
            moved_to=moved_to,
        )
    if not 200 <= status < 300:
        raise _status_error(url, response)
    limit = limits.max_body_bytes
    if response.content_length is not None and response.content_length > limit:
        raise FeedError(
            f"{url}: body of {response.content_length} bytes is over the {limit}-byte limit",
            retry=True,
            status=status,
        )
    body = bytearray()
    # Chunks arrive already decompressed (and aiohttp inflates in bounded steps), so this
    # count stops a gzip bomb after at most one chunk past the limit.
    async for chunk in response.content.iter_chunked(_CHUNK):
        body += chunk
        if len(body) > limit:
            raise FeedError(
                f"{url}: body is over the {limit}-byte limit (after decompression)",
                retry=True,
                status=status,
            )
    return FetchResult(
        url=final_url,
        status=status,
        body=bytes(body),
        not_modified=False,
        etag=new_etag,
        last_modified=new_last_modified,
        content_type=content_type,
        moved_to=moved_to,
    )


#: Redirects that say the resource moved for good: the poller remembers their target.
PERMANENT_REDIRECTS = frozenset({301, 308})


def permanent_target(response: aiohttp.ClientResponse) -> str | None:
    """The URL reached by the permanent redirects at the start of the chain, if any.

    ``A -301-> B -302-> C``: B (the feed lives at B, which lends it out to C for now).
    """
    hops = [*response.history, response]
    target = None
    for hop, after in pairwise(hops):
        if hop.status not in PERMANENT_REDIRECTS:
            break
        target = str(after.url)
    return target


def _status_error(url: str, response: aiohttp.ClientResponse) -> FeedError:
    status = response.status
    reason = f"HTTP {status} {response.reason or ''}".rstrip()
    retry_after = parse_retry_after(response.headers.get("Retry-After"))
    wait = f"; the server asks to wait {retry_after:g}s" if retry_after is not None else ""
    if status == 429 or status >= 500:
        kind = "rate limited" if status == 429 else "server error"
        message = f"{url}: {reason} ({kind}, will retry{wait})"
    elif 400 <= status < 500:
        message = f"{url}: {reason}: this looks permanent, check the feed URL{wait}"
    else:
        message = f"{url}: {reason}: unexpected status (a redirect without a usable Location?)"
    return FeedError(message, retry=True, status=status, retry_after=retry_after)


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date); None if unusable."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _file_validators(info: os.stat_result) -> tuple[str, str]:
    """(ETag, Last-Modified) of a file: mtime in nanoseconds and size, and mtime as an HTTP date."""
    return f'"{info.st_mtime_ns:x}-{info.st_size:x}"', formatdate(info.st_mtime, usegmt=True)


def _read_file(url: str, etag: str | None, last_modified: str | None, limit: int) -> FetchResult:
    """Read a file: URL; the file's mtime and size act as validators. Runs in a thread."""
    parts = urlsplit(url)
    if parts.netloc not in ("", "localhost"):
        raise FeedError(f"{url}: file URLs must be local, not on {parts.netloc!r}", retry=False)
    path = Path(url2pathname(parts.path))
    body: bytes | None = None
    try:
        # stat before open: opening a FIFO or device would block or never end.
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise FeedError(f"{url}: not a regular file")
        file_etag, file_modified = _file_validators(info)
        # As in HTTP the ETag wins over the date, which has only one-second resolution.
        unchanged = etag == file_etag if etag else last_modified == file_modified
        if not unchanged:
            if info.st_size > limit:
                raise FeedError(
                    f"{url}: file of {info.st_size} bytes is over the {limit}-byte limit"
                )
            with path.open("rb") as handle:
                body = handle.read(limit + 1)
    except FileNotFoundError as exc:
        raise FeedError(f"{url}: no such file: this looks permanent, check the path") from exc
    except OSError as exc:
        raise FeedError(f"{url}: cannot read the file: {exc.strerror or exc}") from exc
    if body is not None and len(body) > limit:  # the file grew after stat
        raise FeedError(f"{url}: file is over the {limit}-byte limit")
    # Validators are taken before reading: a file changed meanwhile is read again next time.
    return FetchResult(
        url=url,
        status=None,
        body=body,
        not_modified=unchanged,
        etag=file_etag,
        last_modified=file_modified,
        content_type=None,
    )
