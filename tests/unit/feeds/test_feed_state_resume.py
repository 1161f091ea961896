"""Resuming a feed after its lease is handed (back): the newer state, and every seen id."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pipeline.feeds.state_merge import resume_state
from schemas import FeedState

T0 = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)


def state(at: datetime | None, ids: list[str], etag: str) -> FeedState:
    return FeedState(
        feed_id="wire", url="http://x/wire.xml", last_attempt=at, recent_ids=ids, etag=etag
    )


def test_a_held_state_newer_than_the_saved_one_is_kept_with_the_ids_it_published() -> None:
    # The broker lost the last save: the saved state lacks the entries published since.
    saved = state(T0, ["a", "b"], "old")
    held = state(T0 + timedelta(seconds=2), ["a", "b", "c", "d"], "new")
    out = resume_state(held, ["a", "b", "c", "d"], saved, 1000)
    assert out.etag == "new"
    assert out.recent_ids == ["a", "b", "c", "d"]


def test_a_saved_state_newer_than_the_held_one_wins_and_keeps_the_held_ids() -> None:
    # The lease went to another poller that polled since; ids published here stay known.
    held = state(T0, ["a", "x"], "mine")
    saved = state(T0 + timedelta(seconds=5), ["a", "b"], "theirs")
    out = resume_state(held, ["a", "x"], saved, 1000)
    assert out.etag == "theirs"
    assert out.recent_ids == ["x", "a", "b"]


def test_without_a_held_state_the_saved_one_is_taken_as_is() -> None:
    saved = state(T0, ["a"], "e")
    assert resume_state(None, [], saved, 1000) == saved


def test_the_cut_keeps_the_newest_ids() -> None:
    saved = state(T0, ["s1", "s2"], "e")
    held = state(T0 + timedelta(seconds=1), ["h1", "h2", "h3"], "f")
    out = resume_state(held, ["h1", "h2", "h3"], saved, 3)
    assert out.recent_ids == ["h1", "h2", "h3"]


def test_the_live_id_list_counts_not_the_snapshot_in_the_held_state() -> None:
    # Entries acknowledged after the held state was built are in the live list only.
    saved = state(T0, ["a"], "e")
    held = state(T0 + timedelta(seconds=1), ["a"], "f")
    assert resume_state(held, ["a", "b"], saved, 1000).recent_ids == ["a", "b"]
