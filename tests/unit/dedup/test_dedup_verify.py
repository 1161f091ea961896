"""Copy verification and containment: templated reports stay apart, trimmed copies are found."""

from __future__ import annotations

import struct
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from pipeline.dedup.config import DedupConfig
from pipeline.dedup.index import Entry, Match, NearDupIndex
from pipeline.dedup.salient import salient_of, starts_apart, substitutes

DATA = Path(__file__).resolve().parents[2] / "data"
SEED_STORY = (DATA / "aleppo-sakhour.txt").read_text(encoding="utf-8")
DAY = datetime(2020, 5, 4, 9, tzinfo=UTC)

#: An ACLED-style templated report (written for these tests); variants change one detail.
REPORT = (
    "On 3 May 2020, Turkish forces shelled Maraanaz and the surrounding areas in the Tal "
    "Rifaat district of the Aleppo governorate with artillery and heavy machine guns. The "
    "shelling damaged several houses and a school, local sources said. No fatalities were "
    "reported. Kurdish forces said they returned fire at the Turkish positions near the town."
)


def run(index: NearDupIndex, article_id: str, text: str, when: datetime = DAY) -> Match:
    match, entry = index.check(article_id, text, when)
    index.add(entry)
    return match


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Maraanaz", "Menagh"),  # a place
        ("3 May", "4 May"),  # a number (the day)
        ("May 2020", "June 2020"),  # a date
        ("Turkish forces shelled", "Russian forces shelled"),  # a named actor
        ("several houses", "two houses"),  # a count in words
    ],
)
def test_a_templated_report_of_another_event_is_not_a_copy(old: str, new: str) -> None:
    index = NearDupIndex(DedupConfig())
    run(index, "a", REPORT)
    variant = REPORT.replace(old, new)
    assert variant != REPORT
    match = run(index, "b", variant, DAY + timedelta(hours=1))
    # Not a copy, but the same story cluster: the candidate is named and the test that decided.
    assert (match.verdict, match.method, match.matched, match.cluster_id) == (
        "new",
        "substitution",
        "a",
        "a",
    )
    assert match.similarity >= 0.8


def test_typos_and_datelines_do_not_count_as_substitutions() -> None:
    index = NearDupIndex(DedupConfig())
    run(index, "a", REPORT)
    copy = "BEIRUT (Reuters) - " + REPORT.replace("Maraanaz", "Maraanz")
    assert substitutes(salient_of(REPORT), salient_of(copy)) is False
    match = run(index, "b", copy, DAY + timedelta(hours=1))
    assert (match.verdict, match.duplicate_of) == ("duplicate", "a")


def test_verification_can_be_switched_off() -> None:
    index = NearDupIndex(DedupConfig(verify=False))
    run(index, "a", REPORT)
    assert run(index, "b", REPORT.replace("Maraanaz", "Menagh")).verdict == "duplicate"


def test_substitution_counts_a_repeated_name_changed_once() -> None:
    text = (
        "Prime Minister Narendra Modi and US leaders met. "
        "Later Prime Minister Narendra Modi and US officials spoke."
    )
    changed = text.replace("Narendra Modi and US leaders", "Narendra Kalyan and US leaders")
    assert substitutes(salient_of(text), salient_of(changed))
    assert not substitutes(salient_of(text), salient_of(text))


def test_a_copy_cut_by_half_is_found_by_containment() -> None:
    index = NearDupIndex(DedupConfig())
    run(index, "a", SEED_STORY)
    words = SEED_STORY.split(" ")
    half = " ".join(words[: len(words) // 2])
    match = run(index, "b", half, DAY + timedelta(hours=2))
    assert (match.verdict, match.method, match.duplicate_of) == ("duplicate", "containment", "a")
    assert match.similarity < DedupConfig().threshold


def test_an_extended_copy_is_found_by_containment() -> None:
    index = NearDupIndex(DedupConfig())
    words = SEED_STORY.split(" ")
    run(index, "a", " ".join(words[: len(words) // 2]))
    match = run(index, "b", SEED_STORY, DAY + timedelta(hours=2))
    assert (match.verdict, match.method) == ("duplicate", "containment")


def test_entries_of_format_1_still_read_and_compare_by_similarity() -> None:
    index = NearDupIndex(DedupConfig())
    _, entry = index.check("a", REPORT, DAY)
    data = entry.to_bytes()
    # Format 1: no shingle count after the head, no salient words (flag 8 cleared).
    head = struct.Struct("<BBIqfBH")
    fields = list(head.unpack_from(data, 0))
    fields[0], fields[1] = 1, fields[1] & ~8
    old = head.pack(*fields) + data[head.size + 4 : len(data) - 32 * 12]
    back = Entry.from_bytes(old)
    assert back.shingles == 0 and not back.salient.any()
    assert back.article_id == "a" and (back.signature == entry.signature).all()
    index.add(back)
    # Unknown salient words: no verification; unknown size: no containment.
    assert run(index, "b", REPORT.replace("Maraanaz", "Menagh")).verdict == "duplicate"


def test_starts_apart_reads_the_beginnings() -> None:
    # A trimmed copy begins like its original; another article does not. (Two different
    # articles ending in one shared block: tests/unit/normalise/test_boilerplate.py.)
    copy = salient_of(REPORT)
    trimmed = salient_of(REPORT[: len(REPORT) // 2])
    assert not starts_apart(copy, trimmed)
    assert starts_apart(salient_of(SEED_STORY), copy)
