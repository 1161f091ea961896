"""The dedup stage over a plain dict store: unique, copies, repeats, redelivery, expiry, rebuild."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from pipeline.dedup.config import DedupConfig
from pipeline.dedup.stage import DedupStage, event_time, pack, unpack
from schemas import RawArticle

DATA = Path(__file__).resolve().parents[2] / "data"
SEED = (DATA / "aleppo-sakhour.txt").read_text()
OTHER = (DATA / "aleppo-civilians.txt").read_text()
T0 = datetime(2016, 11, 28, 6, tzinfo=UTC)


def raw(
    article_id: str, text: str, published: datetime = T0, fetched: datetime | None = None
) -> RawArticle:
    return RawArticle(
        article_id=article_id,
        feed_id="f",
        source="S",
        fetched=fetched or published - timedelta(minutes=5),
        published=published,
        content=text,
    )


def syndicated(text: str) -> str:
    paragraphs = text.split("\n\n")
    body = "\n\n".join(paragraphs[:-2])  # trimmed last paragraph and the Source line
    return "BEIRUT (Levant Wire) - " + body + "\n\nSource: Levant Wire Digest"


def stage(store: dict[str, bytes] | None = None) -> DedupStage:
    return DedupStage(DedupConfig(), {} if store is None else store)


def test_first_copy_is_unique_and_a_syndicated_copy_is_a_duplicate() -> None:
    s = stage()
    first = s.process(raw("a1", SEED), offset=0)
    assert first.kind == "unique" and first.unique is not None
    assert first.unique.text and first.unique.fingerprint and first.unique.cluster_id == "a1"
    copy = s.process(raw("a2", syndicated(SEED), T0 + timedelta(hours=2)), offset=1)
    assert copy.kind == "duplicate" and copy.duplicate is not None
    assert copy.duplicate.duplicate_of == "a1" and copy.duplicate.method == "minhash"
    assert copy.duplicate.similarity >= 0.8


def test_a_different_story_of_the_same_day_is_not_a_duplicate() -> None:
    s = stage()
    s.process(raw("a1", SEED), offset=0)
    other = s.process(raw("b1", OTHER), offset=1)
    assert other.kind == "unique"


def test_exact_body_copy_matches_by_fingerprint_and_chains_to_the_first() -> None:
    s = stage()
    s.process(raw("a1", SEED), offset=0)
    s.process(raw("a2", syndicated(SEED)), offset=1)
    again = s.process(raw("a3", "  " + syndicated(SEED).replace("\n\n", "\n\n\n")), offset=2)
    assert again.duplicate is not None
    assert again.duplicate.duplicate_of == "a1"
    assert again.duplicate.method == "fingerprint"


def test_same_id_again_is_a_copy_of_itself_but_redelivery_repeats_the_answer() -> None:
    s = stage()
    s.process(raw("a1", SEED), offset=7)
    redelivered = s.process(raw("a1", SEED), offset=7)
    assert redelivered.kind == "redelivered_unique" and redelivered.unique is not None
    # intake forwarded the same record twice (a crash before its commit): a later offset
    forwarded = s.process(raw("a1", SEED), offset=9)
    assert forwarded.kind == "redelivered_unique" and forwarded.duplicate is None
    # the feed published the id again: fetched at another time
    later = T0 + timedelta(hours=1)
    repeat = s.process(raw("a1", SEED, fetched=later), offset=10)
    assert repeat.kind == "duplicate" and repeat.duplicate is not None
    assert repeat.duplicate.method == "article_id" and repeat.duplicate.duplicate_of == "a1"


def test_a_copy_forwarded_twice_repeats_its_duplicate_answer() -> None:
    s = stage()
    s.process(raw("a1", SEED), offset=0)
    copy = raw("a2", syndicated(SEED), T0 + timedelta(hours=2))
    assert s.process(copy, offset=1).kind == "duplicate"
    again = s.process(copy, offset=5)
    assert again.kind == "redelivered_duplicate" and again.duplicate is not None
    assert again.duplicate.duplicate_of == "a1"


def test_entries_expire_after_the_window_of_publication_time() -> None:
    s = DedupStage(DedupConfig(window=timedelta(days=7)), {})
    s.process(raw("a1", SEED), offset=0)
    s.process(raw("x1", OTHER, T0 + timedelta(days=8)), offset=1)  # moves the watermark
    assert "a1" not in s.store
    late_copy = s.process(raw("a2", syndicated(SEED), T0 + timedelta(days=8)), offset=2)
    assert late_copy.kind == "unique"


def test_an_old_story_and_its_copy_fetched_later_still_meet() -> None:
    s = DedupStage(DedupConfig(window=timedelta(days=7)), {})
    now = T0 + timedelta(days=3000)
    s.process(raw("a1", SEED, fetched=now), offset=0)  # published eight years before
    s.process(raw("x1", OTHER, now + timedelta(days=3)), offset=1)
    copy = s.process(raw("a2", syndicated(SEED), fetched=now + timedelta(days=3)), offset=2)
    assert copy.duplicate is not None and copy.duplicate.duplicate_of == "a1"
    s.process(raw("y1", OTHER + " More.", now + timedelta(days=8)), offset=3)
    assert "a1" not in s.store, "expired a window after it was fetched"


def test_a_new_stage_rebuilt_from_the_store_gives_the_same_answers() -> None:
    store: dict[str, bytes] = {}
    s = stage(store)
    s.process(raw("a1", SEED), offset=0)
    s.process(raw("b1", OTHER), offset=1)
    restarted = stage(store)
    assert restarted.rebuild() == 2
    assert restarted.watermark == T0
    copy = restarted.process(raw("a2", syndicated(SEED)), offset=2)
    assert copy.duplicate is not None and copy.duplicate.duplicate_of == "a1"


def test_store_values_round_trip_and_event_time_is_clamped() -> None:
    s = stage()
    s.process(raw("a1", SEED), offset=42)
    offset, entry = unpack(s.store["a1"])
    assert offset == 42 and entry.article_id == "a1"
    assert unpack(pack(offset, entry))[1] == entry
    assert event_time(raw("f1", SEED, T0 + timedelta(days=30), fetched=T0)) == T0 + timedelta(
        days=1
    )
    assert event_time(raw("o1", SEED, T0 - timedelta(days=30), fetched=T0)) == T0
