"""Fetch article pages politely and extract their main text; every outcome is named."""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlsplit

import aiohttp
from multidict import CIMultiDict

from pipeline.pages.extract import main_text
from pipeline.pages.hosts import HostGate
from pipeline.pages.robots import RobotsRules

log = logging.getLogger(__name__)

_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1"
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_CHUNK = 64 * 1024
_ROBOTS_MAX_BYTES = 512 * 1024
_UNREACHABLE_TTL = 300.0

#: Outcomes of ``PageFetcher.fetch``; all but ``ok``, ``cut`` and ``not_modified`` mean the
#: article keeps its feed text only (the fallback the README's counters name).
OUTCOMES = (
    "ok",
    "cut",
    "not_modified",
    "robots_disallowed",
    "timeout",
    "http_error",
    "not_html",
    "no_main_text",
    "error",
)


@dataclass(frozen=True)
class PageLimits:
    """How the poller fetches pages: the poller's timeouts, a size cut and per-host manners."""

    connect_timeout: float = 10.0
    """Seconds to establish the connection."""
    read_timeout: float = 30.0
    """Deadline in seconds for the whole exchange, last body byte included."""
    max_bytes: int = 1024 * 1024
    """Bytes of a page read at most; a longer page is cut there and extracted as far as read."""
    user_agent: str = "wirestream/0.1"
    """User-Agent header sent to sites."""
    robots_agent: str = "wirestream"
    """Name matched against robots.txt ``User-agent`` lines."""
    host_interval: float = 1.0
    """Seconds between two requests to one host (longer when robots.txt sets a Crawl-delay)."""
    robots_ttl: float = 3600.0
    """Seconds a host's robots.txt is trusted before it is read again."""
    max_redirects: int = 5
    """Redirects followed before giving up."""
    cache_size: int = 2000
    """Pages whose validators and text are kept for conditional GETs."""


@dataclass(frozen=True)
class PageText:
    """The main text of one page, or why there is none."""

    url: str
    """The URL asked for."""
    text: str
    """Main text as clean paragraphs (of the part read, when ``cut``); "" on a failure."""
    outcome: str
    """One of ``OUTCOMES``."""

    @property
    def usable(self) -> bool:
        """True when ``text`` holds the page's main text."""
        return bool(self.text)


@dataclass
class _Cached:
    etag: str | None
    last_modified: str | None
    text: str


class _Cut(Exception):
    """Raised inside a read to stop at the size cut (not an error)."""


class PageFetcher:
    """Fetches article pages: robots.txt honoured, one connection and a rate per host.

    Never raises for a page's failure: ``fetch`` returns a ``PageText`` whose ``outcome``
    says what happened. Extraction runs in ``executor`` so the event loop stays free.
    """

    def __init__(
        self,
        limits: PageLimits | None = None,
        *,
        session: aiohttp.ClientSession | None = None,
        executor: Executor | None = None,
    ) -> None:
        self.limits = limits or PageLimits()
        self.gate = HostGate(self.limits.host_interval)
        self._session = session
        self._own_session = session is None
        self._executor = executor
        self._own_executor = executor is None
        self._robots: dict[str, tuple[float, RobotsRules]] = {}
        self._robots_locks: dict[str, asyncio.Lock] = {}
        self._cache: OrderedDict[str, _Cached] = OrderedDict()

    async def start(self) -> None:
        """Open the HTTP session (one connection per host) and the extraction thread."""
        if self._session is None:
            connector = aiohttp.TCPConnector(limit_per_host=1)
            self._session = aiohttp.ClientSession(
                connector=connector, headers={"User-Agent": self.limits.user_agent}
            )
        if self._executor is None:
            # One thread: extraction is CPU work that must not hold the loop; more threads
            # would only contend for the GIL with the poller itself.
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="page-text")

    async def close(self) -> None:
        """Close what ``start`` opened."""
        if self._own_session and self._session is not None:
            await self._session.close()
            self._session = None
        if self._own_executor and self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None

    async def fetch(self, url: str) -> PageText:
        """The main text of the page at ``url`` (http or https), or the reason there is none."""
        if self._session is None:
            await self.start()
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return PageText(url, "", "error")
        host = parts.netloc.lower()
        try:
            rules = await self._rules(parts.scheme, host)
            if not rules.allows(self.limits.robots_agent, url):
                return PageText(url, "", "robots_disallowed")
            return await self._fetch_allowed(url, host)
        except TimeoutError:
            return PageText(url, "", "timeout")
        except (aiohttp.ClientError, OSError, ValueError) as exc:
            log.info("page %s: %s: %s", url, type(exc).__name__, exc)
            return PageText(url, "", "error")

    async def _fetch_allowed(self, url: str, host: str) -> PageText:
        cached = self._cache.get(url)
        headers = {"Accept": _ACCEPT, "User-Agent": self.limits.user_agent}
        if cached is not None:
            if cached.etag:
                headers["If-None-Match"] = cached.etag
            if cached.last_modified:
                headers["If-Modified-Since"] = cached.last_modified
        async with self.gate.slot(host):
            status, response_headers, body, cut = await self._get(
                url, headers, self.limits.max_bytes
            )
        if status == 304 and cached is not None:
            self._cache.move_to_end(url)
            return PageText(url, cached.text, "not_modified" if cached.text else "no_main_text")
        if not 200 <= status < 300:
            return PageText(url, "", "http_error")
        content_type = response_headers.get("Content-Type", "").split(";")[0].strip().lower()
        if content_type and content_type not in _HTML_TYPES:
            return PageText(url, "", "not_html")
        loop = asyncio.get_running_loop()
        try:
            text = await loop.run_in_executor(self._executor, main_text, body, url)
        except Exception:
            # A page that breaks the extractor must not fail its feed's poll.
            log.exception("page %s: main-text extraction failed", url)
            return PageText(url, "", "error")
        self._remember(url, response_headers, text)
        if not text:
            return PageText(url, "", "no_main_text")
        return PageText(url, text, "cut" if cut else "ok")

    def _remember(self, url: str, headers: CIMultiDict[str], text: str) -> None:
        etag, modified = headers.get("ETag"), headers.get("Last-Modified")
        if not (etag or modified):
            return
        self._cache[url] = _Cached(etag, modified, text)
        self._cache.move_to_end(url)
        while len(self._cache) > self.limits.cache_size:
            self._cache.popitem(last=False)

    async def _get(
        self, url: str, headers: dict[str, str], max_bytes: int
    ) -> tuple[int, CIMultiDict[str], bytes, bool]:
        """(status, headers, body up to ``max_bytes``, whether the body was cut)."""
        assert self._session is not None
        timeout = aiohttp.ClientTimeout(
            total=None,
            connect=self.limits.connect_timeout,
            sock_connect=self.limits.connect_timeout,
        )
        # One deadline over connect, headers and body, as for feeds: a server dribbling a
        # byte a second cannot outlast it.
        async with (
            asyncio.timeout(self.limits.read_timeout),
            self._session.get(
                url,
                headers=headers,
                timeout=timeout,
                max_redirects=self.limits.max_redirects,
            ) as response,
        ):
            response_headers = CIMultiDict(response.headers)
            if not 200 <= response.status < 300:
                return response.status, response_headers, b"", False
            body = bytearray()
            cut = False
            async for chunk in response.content.iter_chunked(_CHUNK):
                room = max_bytes - len(body)
                if len(chunk) >= room:
                    body += chunk[:room]
                    cut = len(chunk) > room or not response.content.at_eof()
                    break
                body += chunk
            if cut:
                # Leaving the context unread closes this connection; the next request to the
                # host opens a fresh one (still one at a time).
                response.close()
            return response.status, response_headers, bytes(body), cut

    async def _rules(self, scheme: str, host: str) -> RobotsRules:
        key = f"{scheme}://{host}"
        lock = self._robots_locks.setdefault(key, asyncio.Lock())
        async with lock:  # one robots.txt fetch per host, however many pages wait for it
            loop = asyncio.get_running_loop()
            known = self._robots.get(key)
            if known is not None and loop.time() < known[0]:
                return known[1]
            try:
                async with self.gate.slot(host):
                    status, _, body, _ = await self._get(
                        f"{key}/robots.txt",
                        {"User-Agent": self.limits.user_agent},
                        _ROBOTS_MAX_BYTES,
                    )
                rules = RobotsRules.from_response(status, body.decode("utf-8", "replace"))
                ttl = self.limits.robots_ttl
            except (TimeoutError, aiohttp.ClientError, OSError) as exc:
                log.info("robots.txt of %s unreadable: %s", key, exc)
                rules = RobotsRules.from_response(None, "")
                # An unreachable host is asked again sooner than a readable file is re-read.
                ttl = min(self.limits.robots_ttl, _UNREACHABLE_TTL)
            self._robots[key] = (loop.time() + ttl, rules)
            self.gate.set_delay(host, rules.crawl_delay(self.limits.robots_agent))
            return rules
