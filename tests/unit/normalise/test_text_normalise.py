"""clean_text, body_text, strip_boilerplate and fingerprint."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.errors import ConfigError
from pipeline.normalise.text import (
    body_text,
    clean_text,
    fingerprint,
    load_boilerplate,
    strip_boilerplate,
)

REPO = Path(__file__).resolve().parents[3]
PERSIAN = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"  # "I want", needs its ZWNJ
SAKHOUR = (REPO / "tests" / "data" / "aleppo-sakhour.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Cafe\u0301", "Café"),  # NFC
        ("a\x00b\x07c\x1bd", "abcd"),
        ("soft\u00adhyphen zero\u200bwidth \ufeffbom", "softhyphen zerowidth bom"),
        (PERSIAN, PERSIAN),
        ("tabs\tand\u00a0no-break\u2009thin\u3000spaces", "tabs and no-break thin spaces"),
        ("  many     spaces  ", "many spaces"),
        ("windows\r\nlines\rold mac", "windows\nlines\nold mac"),
        ("para one\n\n\n\n  para two  ", "para one\n\npara two"),
        ("line\n   \n\t\nnext", "line\n\nnext"),
        ("sep\u2028line\u2029para", "sep\nline\n\npara"),
        ("\n\n  text  \n\n", "text"),
    ],
)  # fmt: skip
def test_clean_text(text: str, expected: str) -> None:
    assert clean_text(text) == expected


def test_clean_text_is_idempotent_on_the_sample_story() -> None:
    cleaned = clean_text(SAKHOUR)
    assert clean_text(cleaned) == cleaned
    assert cleaned.count("\n\n") == 14  # 15 paragraphs


def test_body_text_prefers_substantial_content() -> None:
    assert body_text("Title", "Short summary.", "A much longer full content text.") == (
        "A much longer full content text."
    )
    # Content shorter than the summary is a teaser ("Read more"): the summary is the text.
    assert body_text("Title", "A full paragraph of summary text.", "Read more") == (
        "A full paragraph of summary text."
    )
    assert body_text("Title", "Same", "Same") == "Same"
    assert body_text("Only a title", "", "") == ""


@pytest.mark.parametrize(
    "line",
    [
        "Source: Nam News Network",
        "SOURCE: Xinhua",
        "Sources - AFP, Reuters.",
        "(Reporting by Kanishka Singh in WashingtonEditing by Rod Nickel)",
        "(Reporting by Tom Perry; Editing by Angus MacSwan)",
        "(Additional reporting by Laila Bassam in Beirut)",
        "Reporting by Tom Perry; Editing by Angus MacSwan",
        "Copyright 2016 Nam News Network. All rights reserved.",
        "© 2025 The Economic Times",
        "All Rights Reserved.",
        "Click here to subscribe to our newsletter",
        "Follow us on Twitter and Facebook",
        "Like us on Facebook!",
        "Sign up for our daily newsletter",
        "Read more: Aleppo offensive enters third week",
        "Also read: What we know about the ceasefire",
        "Advertisement",
        "Story continues below advertisement",
        "(Catch all the Business News and Latest News Updates on The Economic Times.)",
        "This article was originally published on The Conversation.",
        "(END)",
        "-- ENDS --",
        "###",
    ],
)
def test_boilerplate_lines_are_dropped(line: str) -> None:
    assert strip_boilerplate(f"First paragraph.\n\n{line}\n\nLast paragraph.") == (
        "First paragraph.\n\nLast paragraph."
    )


@pytest.mark.parametrize(
    "line",
    [
        "The source said, the Syrian army's rapid advance left rebels in a state of confusion.",
        "Sources close to the talks said a deal was near: both sides had agreed on maps.",
        "Copyright law changed in 2019 after years of lobbying.",
        "Reporting by the BBC found that the ministry had ignored warnings.",
        "Click the link in the statement, the ministry said.",
        "Follow-up talks are expected next week.",
        "Readers responded with more than 2,000 letters.",
        "The end of the siege came on Sunday.",
    ],
)
def test_news_sentences_are_kept(line: str) -> None:
    text = f"First paragraph.\n\n{line}"
    assert strip_boilerplate(text) == text


def test_strip_boilerplate_on_the_sample_story() -> None:
    stripped = strip_boilerplate(clean_text(SAKHOUR))
    assert not stripped.endswith("Source: Nam News Network")
    assert stripped.endswith("which led to intensified violence.-")
    assert stripped.count("\n\n") == 13


def test_a_bad_pattern_names_the_file_and_line(tmp_path: Path) -> None:
    patterns = tmp_path / "patterns.txt"
    patterns.write_text("# guide\n\nsource:.*\n(unclosed\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"patterns\.txt:4: bad pattern '\(unclosed'"):
        load_boilerplate(patterns)


def test_custom_patterns(tmp_path: Path) -> None:
    patterns = tmp_path / "patterns.txt"
    patterns.write_text("# only this\ndrop me\n", encoding="utf-8")
    text = "keep\nDROP ME\nSource: kept here"
    assert strip_boilerplate(text, patterns=load_boilerplate(patterns)) == "keep\nSource: kept here"


def variant(text: str) -> str:
    """A copy that differs only in ways the fingerprint ignores."""
    text = text.replace('"', "\u201c").replace("'", "\u2019").replace("-", "\u2013")
    text = text.replace(", ", " ,  ").replace("\n\n", "\n\n\n").upper()
    return "(Reporting by A. Reporter; Editing by B. Editor)\n\n" + text + "\n\nClick here to share"


def test_fingerprint_ignores_boilerplate_quotes_dashes_case_and_spacing() -> None:
    original = clean_text(SAKHOUR)
    assert fingerprint(original) == fingerprint(variant(original))
    without_source = original.removesuffix("Source: Nam News Network")
    assert fingerprint(original) == fingerprint(without_source)
    assert fingerprint("Hello, world!") == fingerprint("hello world")
    assert len(fingerprint(original)) == 20


def test_fingerprint_differs_for_different_text() -> None:
    original = clean_text(SAKHOUR)
    edited = original.replace("Babdien", "Baedeen")
    dateline = original.replace("DAMASCUS, Syria-", "BEIRUT (Agency) -")
    trimmed = original.replace("However, the rebels turned down all offers", "")
    prints = {fingerprint(t) for t in (original, edited, dateline, trimmed)}
    assert len(prints) == 4
    assert fingerprint("The army advanced.") != fingerprint("The army retreated.")


def test_fingerprint_of_empty_text_is_empty() -> None:
    assert fingerprint("") == ""
    assert fingerprint(" -- ... ") == ""
    assert fingerprint("Source: Nam News Network") == ""
