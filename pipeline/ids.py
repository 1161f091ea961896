"""Stable ids: canonical article URLs and the hashes every record is keyed by."""

from __future__ import annotations

import hashlib
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that identify a campaign or a click, never the article.
_TRACKING_EXACT = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "mc_cid",
        "mc_eid",
        "igshid",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "ocid",
        "cmpid",
        "ncid",
        "ref",
        "ref_src",
        "ref_url",
        "cmp",
        "spm",
        "__twitter_impression",
        "s_cid",
        "at_medium",
        "at_campaign",
        "rss",
        "rssfeed",
        "feed",
        "xtor",
        "guccounter",
        "guce_referrer",
        "guce_referrer_sig",
    }
)
_TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_", "at_", "oly_", "vero_")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def _is_tracking(param: str) -> bool:
    lowered = param.lower()
    return lowered in _TRACKING_EXACT or lowered.startswith(_TRACKING_PREFIXES)


def canonical_url(url: str) -> str | None:
    """Normalise an article link so that copies of one URL compare equal.

    Lower-cases scheme and host, drops default ports, fragments, tracking parameters
    (utm_*, fbclid, ...) and a trailing ``?``; keeps path case and the remaining query
    parameters in sorted order. Returns None for anything that is not an http(s) URL.
    """
    url = url.strip()
    if not url:
        return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.lower().rstrip(".")
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        host = f"{host}:{port}"
    path = parts.path or "/"
    query = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)
    ]
    query.sort()
    return urlunsplit((scheme, host, path, urlencode(query, doseq=True), ""))


def stable_hash(*parts: str, length: int = 20) -> str:
    """Hex digest (``length`` hex chars) of the parts joined unambiguously; stable across runs."""
    h = hashlib.blake2b(digest_size=max(8, (length + 1) // 2))
    for part in parts:
        data = part.encode("utf-8")
        h.update(len(data).to_bytes(4, "big"))
        h.update(data)
    return h.hexdigest()[:length]


def article_id(url: str | None, *, feed_id: str = "", guid: str | None = None) -> str:
    """Id of an article: from its canonical URL, else from the feed id and GUID.

    Raises ValueError when neither a usable link nor a GUID is given.
    """
    canonical = canonical_url(url) if url else None
    if canonical:
        return "a" + stable_hash("url", canonical)
    if guid and guid.strip():
        return "g" + stable_hash("guid", feed_id, guid.strip())
    raise ValueError("an article needs an http(s) link or a GUID to get a stable id")
