"""Dead-letter replay without a broker: selection, --since, and the replay headers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from agents.deadletter import dead_letter, replay_headers
from agents.replay import Letter, parse_since, select
from schemas import DeadLetterReplay

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def _letter(offset: int, stage: str, hours_ago: float, topic: str | None = "t.raw") -> Letter:
    letter = dead_letter(stage=stage, error="bad", key=b"k", value=b"{}", topic=topic)
    letter.failed_at = NOW - timedelta(hours=hours_ago)
    return Letter(f"t.dead-letters/0/{offset}", letter)


def test_select_filters_by_stage_and_time_and_skips_replayed_ones() -> None:
    letters = [
        _letter(0, "intake", 5),
        _letter(1, "intake", 1),
        _letter(2, "link", 1),
        _letter(3, "intake", 0.5, topic=None),
    ]
    marker = DeadLetterReplay(
        dead_letter=letters[1].id, topic="t.raw", replayed_at=NOW, replay_count=1
    )
    chosen = select(
        letters, {letters[1].id: marker}, stage="intake", since=NOW - timedelta(hours=2)
    )
    assert [i.id for i in chosen.to_replay] == []
    assert [i.id for i, _ in chosen.already] == [letters[1].id]
    assert [(i.id, why) for i, why in chosen.unreplayable] == [(letters[3].id, "no original topic")]
    everything = select(letters, {})
    assert [i.id for i in everything.to_replay] == [x.id for x in letters[:3]]


def test_parse_since_takes_iso_times_dates_and_durations() -> None:
    assert parse_since("6h", NOW) == NOW - timedelta(hours=6)
    assert parse_since("2d", NOW) == NOW - timedelta(days=2)
    assert parse_since("2026-11-30") == datetime(2026, 11, 30, tzinfo=UTC)
    assert parse_since("2026-11-30T10:00:00+01:00") == datetime(2026, 11, 30, 9, tzinfo=UTC)
    with pytest.raises(ValueError, match="30m"):
        parse_since("yesterday")


def test_a_replayed_message_that_fails_again_says_so() -> None:
    headers = [("wirestream-replay-count", b"2"), ("wirestream-replay-of", b"t.dl/1/7")]
    assert replay_headers(headers) == (2, "t.dl/1/7")
    assert replay_headers(dict(headers)) == (2, "t.dl/1/7")
    assert replay_headers(None) == (0, None)
    letter = dead_letter(stage="intake", error="bad", value=b"x", headers=headers)
    assert (letter.replay_count, letter.replayed_from) == (2, "t.dl/1/7")
