"""The near-duplicate index: exact and near copies, chains, clusters, window, restart."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from pipeline.dedup.config import DedupConfig
from pipeline.dedup.index import Entry, Match, NearDupIndex
from pipeline.dedup.minhash import shingles

DATA = Path(__file__).resolve().parents[2] / "data"
SEED_STORY = (DATA / "aleppo-sakhour.txt").read_text(encoding="utf-8")
#: Another Aleppo story of the same day (written for these tests): same place, same war,
#: different news. It must never be taken for a copy.
OTHER_STORY = (DATA / "aleppo-civilians.txt").read_text(encoding="utf-8")
DAY = datetime(2016, 11, 27, 9, tzinfo=UTC)


def syndicated(text: str) -> str:
    """A wire copy as another site runs it: new headline, dateline, last paragraph cut,
    one word changed, an attribution line."""
    paragraphs = text.split("\n\n")
    body = "\n\n".join(paragraphs[:-2]).replace("confusion", "disarray")
    return (
        "Syrian army retakes Sakhour, splits rebel-held east Aleppo\n\n"
        f"BEIRUT, Nov 27 (Xinhua) -- {body}\n\nSource: Xinhua"
    )


def whitespace_copy(text: str) -> str:
    """The same body with other spacing, quotes and a boilerplate line."""
    lines = ["  ".join(line.replace('"', "“").split()) for line in text.split("\n")]
    return "\r\n".join(lines) + "\n\n(Reporting by Ann Ray; Editing by Tom Lee)"


def run(index: NearDupIndex, article_id: str, text: str, when: datetime) -> Match:
    match, entry = index.check(article_id, text, when)
    index.add(entry)
    return match


@pytest.fixture
def index() -> NearDupIndex:
    return NearDupIndex(DedupConfig())


def test_first_article_is_new_and_its_own_cluster(index: NearDupIndex) -> None:
    match = run(index, "A", SEED_STORY, DAY)
    assert match == Match("new", None, None, 0.0, "A")
    assert len(index) == 1 and "A" in index


def test_copy_differing_in_whitespace_quotes_and_boilerplate_is_a_fingerprint_duplicate(
    index: NearDupIndex,
) -> None:
    run(index, "A", SEED_STORY, DAY)
    match = run(index, "B", whitespace_copy(SEED_STORY), DAY + timedelta(hours=1))
    assert (match.verdict, match.method, match.duplicate_of) == ("duplicate", "fingerprint", "A")
    assert match.similarity == 1.0


def test_syndicated_copy_of_the_seed_story_is_a_near_duplicate(index: NearDupIndex) -> None:
    copy = syndicated(SEED_STORY)
    a, b = shingles(SEED_STORY, 2), shingles(copy, 2)
    assert 0.8 <= len(a & b) / len(a | b) < 1.0  # a real near-copy, not an exact one
    run(index, "orig", SEED_STORY, DAY)
    match = run(index, "copy", copy, DAY + timedelta(hours=3))
    assert (match.verdict, match.method, match.duplicate_of) == ("duplicate", "minhash", "orig")
    assert match.similarity >= index.config.threshold
    assert match.cluster_id == "orig"


def test_another_aleppo_story_of_the_same_day_is_not_a_duplicate(index: NearDupIndex) -> None:
    run(index, "sakhour", SEED_STORY, DAY)
    run(index, "sakhour-copy", syndicated(SEED_STORY), DAY + timedelta(hours=1))
    match = run(index, "civilians", OTHER_STORY, DAY + timedelta(hours=2))
    assert match.verdict == "new"
    assert match.duplicate_of is None
    assert match.cluster_id == "civilians"  # a different story, not a write-through


def test_copy_of_a_copy_points_at_the_first_seen_article(index: NearDupIndex) -> None:
    first = SEED_STORY
    second = syndicated(first)
    # Drifts further from the first than from the second.
    third = second.replace("Source: Xinhua", "") + "\n\nThe army did not give casualty figures."
    run(index, "A", first, DAY)
    assert run(index, "B", second, DAY + timedelta(hours=1)).duplicate_of == "A"
    match = run(index, "C", third, DAY + timedelta(hours=2))
    assert match.verdict == "duplicate"
    assert match.duplicate_of == "A"
    assert match.matched in {"A", "B"}


def test_ties_go_to_the_earliest_article(index: NearDupIndex) -> None:
    # Two identical earlier copies added out of publication order.
    _, late = index.check("late", SEED_STORY, DAY + timedelta(hours=1))
    _, early = index.check("early", SEED_STORY, DAY)
    index.add(late)
    index.add(early)
    match, _ = index.check("new", syndicated(SEED_STORY), DAY + timedelta(hours=2))
    assert match.matched == "early"


def test_checking_twice_gives_the_same_answer_and_adding_twice_is_a_no_op(
    index: NearDupIndex,
) -> None:
    run(index, "A", SEED_STORY, DAY)
    copy = syndicated(SEED_STORY)
    first, entry = index.check("B", copy, DAY)
    assert index.check("B", copy, DAY)[0] == first  # check does not change the index
    index.add(entry)
    index.add(entry)
    assert len(index) == 2
    again, again_entry = index.check("B", copy, DAY)
    assert again == first  # the recorded answer, not "duplicate of itself"
    assert again_entry == entry
    # The original stays new even though a copy of it is now indexed.
    assert index.check("A", SEED_STORY, DAY)[0].verdict == "new"


def test_short_texts_are_matched_by_fingerprint_only(index: NearDupIndex) -> None:
    headline = "Syrian army recaptures Sakhour district in eastern Aleppo, military source says"
    _, entry = index.check("h1", headline, DAY)
    assert entry.signature.size == 0
    index.add(entry)
    # Same words but one: would be a near-duplicate by shingles, but far too few of them.
    near = headline.replace("recaptures", "retakes")
    assert run(index, "h2", near, DAY).verdict == "new"
    assert run(index, "h3", headline.upper() + ".", DAY).method == "fingerprint"


def test_empty_texts_are_never_duplicates(index: NearDupIndex) -> None:
    assert run(index, "e1", "", DAY).verdict == "new"
    assert run(index, "e2", "  \n", DAY).verdict == "new"


def test_a_rewrite_of_the_story_joins_its_cluster_without_being_a_duplicate(
    index: NearDupIndex,
) -> None:
    paragraphs = SEED_STORY.split("\n\n")
    # An update: the last paragraphs replaced by new ones.
    update = "\n\n".join(paragraphs[:10] + OTHER_STORY.split("\n\n")[:2])
    a, b = shingles(SEED_STORY, 2), shingles(update, 2)
    assert 0.55 < len(a & b) / len(a | b) < 0.7
    run(index, "story", SEED_STORY, DAY)
    match = run(index, "update", update, DAY + timedelta(hours=5))
    assert match.verdict == "new"
    assert match.cluster_id == "story"
    assert index.config.cluster_threshold <= match.similarity < index.config.threshold
    # A copy of the update belongs to the same cluster and points at the update.
    later = run(index, "update-copy", whitespace_copy(update), DAY + timedelta(hours=6))
    assert (later.duplicate_of, later.cluster_id) == ("update", "story")


def test_entries_expire_a_window_after_publication(index: NearDupIndex) -> None:
    run(index, "old", SEED_STORY, DAY)
    run(index, "other", OTHER_STORY, DAY + timedelta(days=2))
    assert index.expire(DAY + timedelta(days=7)) == []
    assert index.expire(DAY + timedelta(days=7, seconds=1)) == ["old"]
    assert len(index) == 1 and "old" not in index
    # After expiry a copy of the old story is new again, and its slot is reused.
    assert run(index, "copy", syndicated(SEED_STORY), DAY + timedelta(days=8)).verdict == "new"
    assert index.stats()["rows"] == 2


def test_remove_forgets_articles(index: NearDupIndex) -> None:
    run(index, "A", SEED_STORY, DAY)
    assert index.remove(["A", "missing"]) == ["A"]
    assert run(index, "B", SEED_STORY, DAY).verdict == "new"


def test_entries_round_trip_through_bytes(index: NearDupIndex) -> None:
    run(index, "A", SEED_STORY, DAY)
    _, entry = index.check("B", syndicated(SEED_STORY), DAY + timedelta(minutes=5))
    data = entry.to_bytes()
    assert len(data) < 400 + 32 * 12  # signature, ids, then 32 salient words of 12 bytes
    back = Entry.from_bytes(data)
    assert back == entry
    assert back.published == entry.published and back.published.tzinfo is not None
    assert (back.duplicate_of, back.method, back.matched) == ("A", "minhash", "A")
    short = index.check("h", "Aleppo headline", DAY)[1]
    assert Entry.from_bytes(short.to_bytes()) == short
    with pytest.raises(ValueError):
        Entry.from_bytes(data[:-3])
    with pytest.raises(ValueError):
        Entry.from_bytes(b"\x09" + data[1:])


def test_rebuild_from_entries_gives_identical_answers() -> None:
    config = DedupConfig()
    live = NearDupIndex(config)
    texts = {
        "a": SEED_STORY,
        "b": syndicated(SEED_STORY),
        "c": OTHER_STORY,
        "d": whitespace_copy(OTHER_STORY),
        "h": "A headline only",
    }
    stored: dict[str, bytes] = {}
    for n, (aid, text) in enumerate(texts.items()):
        _, entry = live.check(aid, text, DAY + timedelta(hours=n))
        live.add(entry)
        stored[aid] = entry.to_bytes()  # what the changelog-backed table keeps
    restarted = NearDupIndex(config)
    entries = [Entry.from_bytes(stored[k]) for k in sorted(stored, reverse=True)]
    assert restarted.rebuild(entries, expected=len(entries)) == len(texts)
    probes = {
        "a": SEED_STORY,
        "x": syndicated(OTHER_STORY),
        "y": whitespace_copy(SEED_STORY),
        "z": "Unrelated text about a cricket match at Lord's that went on until late.",
    }
    for aid, text in probes.items():
        assert live.check(aid, text, DAY + timedelta(days=1)) == restarted.check(
            aid, text, DAY + timedelta(days=1)
        )
    assert live.memory_bytes() > 0 and len(restarted) == len(live)


def test_rebuild_skips_entries_made_with_another_config(caplog: pytest.LogCaptureFixture) -> None:
    other = NearDupIndex(DedupConfig(shingle_size=3))
    _, foreign = other.check("f", SEED_STORY, DAY)
    index = NearDupIndex(DedupConfig())
    _, own = index.check("o", OTHER_STORY, DAY)
    assert index.rebuild([foreign, own]) == 1
    assert "another config" in caplog.text
    with pytest.raises(ValueError, match="another dedup config"):
        index.add(foreign)


def test_naive_datetimes_are_refused(index: NearDupIndex) -> None:
    with pytest.raises(ValueError, match="timezone"):
        index.check("A", SEED_STORY, datetime(2016, 11, 27))


def test_index_grows_past_its_initial_capacity() -> None:
    index = NearDupIndex(DedupConfig())
    rng = np.random.default_rng(0)
    vocab = [f"w{i}" for i in range(5000)]
    texts = [" ".join(rng.choice(vocab, 80)) for _ in range(300)]
    for i, text in enumerate(texts):
        assert run(index, f"t{i}", text, DAY).verdict == "new"
    assert len(index) == 300
    for i, text in enumerate(texts):
        assert index.check(f"copy{i}", text + " extra", DAY)[0].duplicate_of == f"t{i}"
