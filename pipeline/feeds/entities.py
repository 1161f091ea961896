"""Defusing entity declarations in a feed's DOCTYPE before any XML parser sees them.

A feed of 2 KB declaring ten nested entities ("billion laughs") would expand to 10**9 words.
Python's expat (2.4+) stops the expansion at a fixed amplification factor, but only after it
has built megabytes of text: one such feed cost the poller 74 MB. Real feeds declare, at
most, entities for single characters (``<!ENTITY nbsp "&#160;">``), so only short literal
declarations are kept; anything that refers to other entities, is a parameter entity, or
names an external resource is dropped. Entities it declared then stay unexpanded (the
document becomes ill-formed, and feedparser's lenient parser takes over).
"""

from __future__ import annotations

import re

#: The longest replacement text kept (a character, a short word, an abbreviation).
MAX_KEPT_TEXT = 64

_FIRST_ELEMENT = re.compile(rb"<[A-Za-z_]")
_DECLARATION = re.compile(rb"<!ENTITY\b[^>]*>?")
_SAFE = re.compile(
    rb'<!ENTITY\s+[\w.:-]+\s+(?:"(?:&#x?[0-9A-Fa-f]+;|[^&%%"<]{0,%d})"|'
    rb"'(?:&#x?[0-9A-Fa-f]+;|[^&%%'<]{0,%d})')\s*>" % (MAX_KEPT_TEXT, MAX_KEPT_TEXT)
)


def defuse_entities(body: bytes) -> tuple[bytes, int]:
    """``body`` with unsafe entity declarations removed from its prolog, and how many were.

    Line breaks inside a removed declaration are kept, so parser line numbers still match.
    """
    first = _FIRST_ELEMENT.search(body)
    end = first.start() if first else len(body)
    prolog = body[:end]
    if b"<!ENTITY" not in prolog:
        return body, 0
    dropped = 0

    def drop(match: re.Match[bytes]) -> bytes:
        nonlocal dropped
        if _SAFE.fullmatch(match.group()):
            return match.group()
        dropped += 1
        return b"\n" * match.group().count(b"\n")

    return _DECLARATION.sub(drop, prolog) + body[end:], dropped
