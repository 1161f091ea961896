"""Offline language detection with lingua (its models ship inside the package)."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

# The languages wire feeds commonly carry; fewer candidates make lingua faster and surer.
_LANGUAGES = (
    "ENGLISH",
    "FRENCH",
    "GERMAN",
    "SPANISH",
    "PORTUGUESE",
    "ITALIAN",
    "DUTCH",
    "ARABIC",
    "PERSIAN",
    "URDU",
    "TURKISH",
    "RUSSIAN",
    "UKRAINIAN",
    "POLISH",
    "CHINESE",
    "JAPANESE",
    "KOREAN",
    "INDONESIAN",
    "HINDI",
    "HEBREW",
    "SWAHILI",
    "SOMALI",
    "VIETNAMESE",
    "GREEK",
    "ROMANIAN",
    "SWEDISH",
)
_MIN_CHARS = 20
_SAMPLE_CHARS = 1000  # the opening of an article is enough; lingua's cost grows with length
_MIN_CONFIDENCE = 0.5
# Capitalised words: mostly names, which say where a story is, not what language it is told in
# ("Al Shabaab killed a civilian near Tarda village (Jalalaqsi, Hiraan)" reads as Somali whole).
_NAME = re.compile(r"\b[^\W\d_][\w'’-]*")


@cache
def _detector() -> Any:
    """The detector, built once per process on first use (immutable, so caching it is safe)."""
    from lingua import Language, LanguageDetectorBuilder

    languages = [getattr(Language, name) for name in _LANGUAGES]
    return (
        LanguageDetectorBuilder.from_languages(*languages)
        .with_minimum_relative_distance(0.1)
        .build()
    )


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of ``text``'s language, or None when the text is too short or unclear."""
    sample = text[:_SAMPLE_CHARS].strip()
    if sum(ch.isalpha() for ch in sample) < _MIN_CHARS:
        return None
    detector = _detector()
    values = detector.compute_language_confidence_values(_without_names(sample))
    if not values or values[0].value < _MIN_CONFIDENCE:
        return None
    code: str = values[0].language.iso_code_639_1.name.lower()
    return code


def _without_names(sample: str) -> str:
    """The sample without its capitalised words, when enough text is left to judge by; else the
    sample (a headline in title case, scripts without case are left as they are)."""
    words = _NAME.sub(lambda m: " " if m.group()[0].isupper() else m.group(), sample)
    return words if sum(ch.isalpha() for ch in words) >= _MIN_CHARS else sample
