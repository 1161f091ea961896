"""Plain-text clean-up, the body text NLP runs on, and exact-copy fingerprints."""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

from pipeline.errors import ConfigError
from pipeline.ids import stable_hash

#: Syndication boilerplate line patterns; the guide is in the file's header.
BOILERPLATE_FILE = Path(__file__).resolve().parent / "boilerplate.txt"

# Line and paragraph separators other than "\n" that text from feeds and pages carries.
_NEWLINES = str.maketrans({"\r": "\n", "\x0b": "\n", "\x0c": "\n", "\x85": "\n", "\u2028": "\n"})
# Control characters, and invisible characters that only get in the way of matching and
# tokenising (soft hyphen, zero-width space, BOM, bidi marks). Zero-width (non-)joiners are
# kept: Persian, Indic scripts and emoji need them.
_INVISIBLE = re.compile(
    r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f"
    r"\u00ad\u200b\u200e\u200f\u2060\ufeff\u202a-\u202e\u2066-\u2069]"
)
# Any run of whitespace except the newline: tabs, no-break, thin and ideographic spaces.
_SPACES = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def clean_text(text: str) -> str:
    """Unicode NFC, control characters removed, spaces collapsed, paragraphs split by "\\n\\n"."""
    text = text.replace("\r\n", "\n").replace("\u2029", "\n\n").translate(_NEWLINES)
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text))
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def body_text(title: str, summary: str, content: str) -> str:
    """The text NLP runs on: the content when it is longer than the summary, else the summary.

    The title is never used: headlines are written in their own compressed style.
    """
    return content if len(content) > len(summary) else summary


def chosen_text(summary: str, content: str, page_text: str = "") -> tuple[str, str]:
    """(text NLP runs on, its source): the page's main text when it is the longest, else as
    ``body_text`` picks; the source is ``page``, ``content`` or ``summary``."""
    body = body_text("", summary, content)
    if len(page_text) > len(body):
        return page_text, "page"
    return body, "content" if body is content and content else "summary"


@cache
def load_boilerplate(path: Path = BOILERPLATE_FILE) -> tuple[re.Pattern[str], ...]:
    """Compile the boilerplate patterns in ``path`` (one regular expression per line)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read boilerplate patterns: {exc}") from exc
    patterns = []
    for number, line in enumerate(lines, start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            patterns.append(re.compile(line, re.IGNORECASE))
        except re.error as exc:
            raise ConfigError(f"{path}:{number}: bad pattern {line!r}: {exc}") from exc
    return tuple(patterns)


def strip_boilerplate(text: str, *, patterns: tuple[re.Pattern[str], ...] | None = None) -> str:
    """Drop whole lines that are syndication boilerplate ("Source: ...", "(Reporting by ...)")."""
    if patterns is None:
        patterns = load_boilerplate()
    kept = [line for line in text.split("\n") if not _matches_any(line.strip(), patterns)]
    return _BLANK_LINES.sub("\n\n", "\n".join(kept)).strip()


def _matches_any(line: str, patterns: tuple[re.Pattern[str], ...]) -> bool:
    return bool(line) and any(p.fullmatch(line) for p in patterns)


def _fingerprint_char(char: str) -> bool:
    # Letters, digits and combining marks carry the words; punctuation, quotes, dashes and
    # whitespace are exactly what copies of one story differ in.
    return unicodedata.category(char)[0] in "LNM"


class _KeepTable(dict[int, int | None]):
    """``str.translate`` table keeping the characters ``_fingerprint_char`` keeps: each
    character's verdict is computed once, then translate runs at C speed."""

    def __missing__(self, code: int) -> int | None:
        verdict = code if _fingerprint_char(chr(code)) else None
        if len(self) < _KEEP_TABLE_MAX:
            self[code] = verdict
        return verdict


_KEEP_TABLE_MAX = 1 << 16
_KEEP = _KeepTable()


def fingerprint(text: str) -> str:
    """Hash of the text without boilerplate lines, case, punctuation, quotes or whitespace.

    Two copies that differ only in those share it. Empty when the text has no letters or
    digits, so that empty bodies never count as copies of each other.
    """
    core = unicodedata.normalize("NFKC", strip_boilerplate(text)).casefold()
    letters = core.translate(_KEEP)
    return stable_hash("fingerprint", letters) if letters else ""
