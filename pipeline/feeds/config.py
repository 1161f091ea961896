"""The feed list: which feeds to poll, from a TOML, YAML or OPML file."""

from __future__ import annotations

import math
import re
import tomllib
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

import yaml

from pipeline.errors import ConfigError

FEED_ID = re.compile(r"[a-z0-9._-]+")
_FEED_KEYS = frozenset(
    {"id", "url", "name", "interval", "language", "country", "enabled", "full_text"}
)
_DEFAULT_KEYS = frozenset({"interval", "language", "country", "enabled", "full_text"})
#: Values of a feed's ``full_text``: fetch article pages when the entry has only a summary
#: (``auto``), for every entry (``always``), or never.
FULL_TEXT_MODES = ("auto", "always", "never")
_COUNTRY = re.compile(r"[A-Z]{3}")
_TOP_KEYS = {".toml": frozenset({"feed", "defaults"}), ".yaml": frozenset({"feeds", "defaults"})}


@dataclass(frozen=True)
class FeedSpec:
    """One feed to poll, as the feed list gives it."""

    feed_id: str
    """Unique id in the list, ``[a-z0-9._-]+``; keys the feed's state and its articles."""
    url: str
    """``http(s)://`` URL, or an absolute ``file://`` URL (relative paths are resolved on load)."""
    name: str | None = None
    """Source name given to its articles; None: the feed's own title."""
    interval: float | None = None
    """Seconds between polls; None: the ``poll_interval`` setting."""
    language: str | None = None
    """Language of the feed's articles; overrides what the feed itself declares."""
    country: str | None = None
    """The outlet's country (ISO 3166 alpha-3, e.g. ``AUS``): the story's country for event
    coding when the article names none ("the Government", "unions" in domestic news)."""
    enabled: bool = True
    """False keeps the feed in the list without polling it."""
    full_text: str = "auto"
    """Fetch each entry's web page for its main text: ``auto`` when the entry carries only a
    summary (no content longer than it), ``always``, or ``never`` (true/false also accepted)."""

    def wants_page(self, summary: str, content: str) -> bool:
        """True when an entry with this summary and content should have its page fetched."""
        if self.full_text == "always":
            return True
        return self.full_text == "auto" and len(content) <= len(summary)


def load_feed_list(path: Path) -> list[FeedSpec]:
    """Read a feed list; the format follows the extension (.toml, .yaml/.yml, .opml/.xml).

    Raises ConfigError naming the file and the entry for anything wrong or unknown.
    """
    loaders: dict[str, Callable[[Path, bytes], list[FeedSpec]]] = {
        ".toml": _load_toml,
        ".yaml": _load_yaml,
        ".yml": _load_yaml,
        ".opml": _load_opml,
        ".xml": _load_opml,
    }
    loader = loaders.get(path.suffix.lower())
    if loader is None:
        raise ConfigError(
            f"{path}: unknown feed list format {path.suffix!r}; use .toml, .yaml, .yml or .opml"
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the feed list: {exc.strerror or exc}") from exc
    feeds = loader(path, data)
    if not feeds:
        raise ConfigError(f"{path}: the feed list has no feeds")
    return feeds


def slugify(text: str) -> str:
    """A feed id from a title or URL: ASCII lower case, other characters runs of ``-``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9._]+", "-", ascii_text.lower()).strip("-._")


def _load_toml(path: Path, data: bytes) -> list[FeedSpec]:
    try:
        document = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    return _from_mapping(path, document, list_key="feed", top_keys=_TOP_KEYS[".toml"])


def _load_yaml(path: Path, data: bytes) -> list[FeedSpec]:
    try:
        document = yaml.safe_load(data)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(document, dict):
        raise ConfigError(f"{path}: expected a mapping with a 'feeds:' list at the top")
    return _from_mapping(path, document, list_key="feeds", top_keys=_TOP_KEYS[".yaml"])


def _from_mapping(
    path: Path, document: Mapping[str, Any], *, list_key: str, top_keys: frozenset[str]
) -> list[FeedSpec]:
    _reject_unknown(path, "the top level", document, top_keys)
    defaults = document.get("defaults", {})
    if not isinstance(defaults, dict):
        raise ConfigError(f"{path}: 'defaults' must be a table of {sorted(_DEFAULT_KEYS)}")
    _reject_unknown(path, "'defaults'", defaults, _DEFAULT_KEYS)
    entries = document.get(list_key, [])
    if not isinstance(entries, list):
        raise ConfigError(f"{path}: '{list_key}' must be a list of feeds")
    feeds: list[FeedSpec] = []
    seen: dict[str, int] = {}
    for number, entry in enumerate(entries, start=1):
        where = f"feed #{number}"
        if not isinstance(entry, dict):
            raise ConfigError(f"{path}: {where}: expected a table of {sorted(_FEED_KEYS)}")
        if isinstance(entry.get("id"), str):
            where = f"feed #{number} (id {entry['id']!r})"
        _reject_unknown(path, where, entry, _FEED_KEYS)
        spec = _spec(path, where, {**defaults, **entry})
        if spec.feed_id in seen:
            raise ConfigError(
                f"{path}: {where}: duplicate id {spec.feed_id!r} (also feed #{seen[spec.feed_id]})"
            )
        seen[spec.feed_id] = number
        feeds.append(spec)
    return feeds


def _reject_unknown(
    path: Path, where: str, table: Mapping[Any, Any], known: frozenset[str]
) -> None:
    unknown = sorted(str(key) for key in table if key not in known)
    if unknown:
        raise ConfigError(
            f"{path}: {where}: unknown key(s) {', '.join(map(repr, unknown))}; "
            f"known keys: {', '.join(sorted(known))}"
        )


def _spec(path: Path, where: str, entry: Mapping[str, Any]) -> FeedSpec:
    def fail(problem: str) -> ConfigError:
        return ConfigError(f"{path}: {where}: {problem}")

    url = entry.get("url")
    if not isinstance(url, str) or not url.strip():
        raise fail("missing 'url'")
    url = _resolve_url(path, url.strip(), fail)
    name = _optional_str(entry, "name", fail)
    feed_id = entry.get("id")
    if feed_id is None:
        feed_id = slugify(name or _url_slug(url))
        if not feed_id:
            raise fail("no 'id', and none can be derived from the name or URL")
    if not isinstance(feed_id, str) or not FEED_ID.fullmatch(feed_id):
        raise fail(f"id {feed_id!r} must be lower-case letters, digits, '.', '_' or '-'")
    interval = entry.get("interval")
    if interval is not None:
        if isinstance(interval, bool) or not isinstance(interval, int | float):
            raise fail(f"'interval' must be a number of seconds, not {interval!r}")
        if not math.isfinite(interval) or interval <= 0:
            raise fail(f"'interval' must be positive, not {interval!r}")
        interval = float(interval)
    enabled = entry.get("enabled", True)
    if not isinstance(enabled, bool):
        raise fail(f"'enabled' must be true or false, not {enabled!r}")
    country = _optional_str(entry, "country", fail)
    if country is not None:
        country = country.strip().upper()
        if not _COUNTRY.fullmatch(country):
            raise fail(f"'country' must be an ISO 3166 alpha-3 code such as AUS, not {country!r}")
    full_text = entry.get("full_text", "auto")
    if isinstance(full_text, bool):
        full_text = "always" if full_text else "never"
    if full_text not in FULL_TEXT_MODES:
        raise fail(f"'full_text' must be auto, always, never, true or false, not {full_text!r}")
    return FeedSpec(
        feed_id=feed_id,
        url=url,
        name=name,
        interval=interval,
        language=_optional_str(entry, "language", fail),
        country=country,
        enabled=enabled,
        full_text=full_text,
    )


def _optional_str(
    entry: Mapping[str, Any], key: str, fail: Callable[[str], ConfigError]
) -> str | None:
    value = entry.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise fail(f"{key!r} must be a string, not {value!r}")
    return value.strip() or None


def _resolve_url(path: Path, url: str, fail: Callable[[str], ConfigError]) -> str:
    """Check the scheme; turn ``file:`` paths into absolute ``file://`` URLs."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        if not parts.hostname:
            raise fail(f"url {url!r} has no host")
        return url
    if scheme != "file":
        raise fail(f"url {url!r} must start with http://, https:// or file:")
    if parts.netloc not in ("", "localhost"):
        raise fail(
            f"url {url!r} names host {parts.netloc!r}; write file:relative/path.xml "
            "or file:///absolute/path.xml"
        )
    if not parts.path:
        raise fail(f"url {url!r} has no path")
    local = Path(url2pathname(parts.path))
    # Relative paths are relative to the list file, so a list and its feeds move together.
    return (path.parent.resolve() / local.expanduser()).resolve().as_uri()


def _url_slug(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme == "file":
        return Path(url2pathname(parts.path)).stem
    host = (parts.hostname or "").removeprefix("www.")
    return f"{host}{parts.path}".rstrip("/")


def _load_opml(path: Path, data: bytes) -> list[FeedSpec]:
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise ConfigError(f"{path}: not valid OPML (XML): {exc}") from exc
    if root.tag.lower() != "opml":
        raise ConfigError(f"{path}: not OPML: the root element is <{root.tag}>, not <opml>")
    feeds: list[FeedSpec] = []
    used: set[str] = set()
    for number, outline in enumerate(root.iter("outline"), start=1):
        attributes = {key.lower(): value for key, value in outline.attrib.items()}
        url = attributes.get("xmlurl")
        if url is None:
            continue  # a folder of outlines, or a link that is not a feed
        title = (attributes.get("title") or attributes.get("text") or "").strip() or None
        where = f"outline #{number}" + (f" ({title!r})" if title else "")
        base = slugify(title or _url_slug(url)) or "feed"
        # Titles repeat in real OPML exports ("News"); number them instead of failing.
        feed_id, suffix = base, 2
        while feed_id in used:
            feed_id, suffix = f"{base}-{suffix}", suffix + 1
        used.add(feed_id)
        entry: dict[str, Any] = {"id": feed_id, "url": url, "name": title}
        if attributes.get("language"):
            entry["language"] = attributes["language"]
        feeds.append(_spec(path, where, entry))
    return feeds
