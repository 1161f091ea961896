"""Direct tests of small helpers split out of the extractor (event_time, event_place, evidence)."""

from __future__ import annotations

from datetime import date

import spacy

from pipeline.extract.dates import DAY, MONTH, WEEK, Resolved
from pipeline.extract.event_place import round_confidence
from pipeline.extract.event_time import DURATION, vaguer
from pipeline.extract.evidence import doc_text, evidence_span


def test_a_day_seen_from_a_guessed_publication_day_becomes_its_week_at_half_confidence() -> None:
    thursday = Resolved(date(2025, 8, 21), DAY, 0.8)
    assert vaguer(thursday) == Resolved(date(2025, 8, 18), WEEK, 0.4)


def test_a_month_stays_a_month_at_half_confidence() -> None:
    august = Resolved(date(2025, 8, 1), MONTH, 0.6)
    assert vaguer(august) == Resolved(date(2025, 8, 1), MONTH, 0.3)


def test_durations_are_not_dates() -> None:
    assert DURATION.search("a 72-hour ceasefire")
    assert DURATION.search("three-day visit")
    assert not DURATION.search("on Sunday")


def test_confidences_are_clipped_and_rounded() -> None:
    assert round_confidence(1.2) == 1.0
    assert round_confidence(-0.1) == 0.0
    assert round_confidence(0.12345) == 0.123


def test_evidence_is_cut_from_the_original_text_not_the_parsed_one() -> None:
    doc = spacy.blank("en")("      : Army units entered the town.")
    doc.user_data["wirestream_text"] = "Aleppo: Army units entered the town."
    assert doc_text(doc).startswith("Aleppo")
    span = evidence_span(doc, 0, 6)
    assert (span.text, span.start, span.end) == ("Aleppo", 0, 6)
