"""Dead-letter replay without a broker: selection, --since, and the replay headers."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest

from agents.deadletter import (
    MAX_KEPT_KEY_BYTES,
    MAX_KEPT_VALUE_BYTES,
    dead_letter,
    original_value,
    replay_headers,
)
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


def test_an_oversized_value_is_kept_in_part_with_its_size_and_hash() -> None:
    value = b'{"text": "' + "é".encode() * (MAX_KEPT_VALUE_BYTES) + b'"}'
    letter = dead_letter(
        stage="intake", error="too big", key=b"k" * 5000, value=value, topic="t.raw"
    )
    kept = original_value(letter)
    assert letter.value_truncated and letter.value_bytes == len(value)
    assert letter.value_sha256 == hashlib.sha256(value).hexdigest()
    assert letter.value_encoding == "utf-8"
    # Cut on a character boundary: the kept text is the value's start, at most the limit.
    assert kept is not None and value.startswith(kept)
    assert MAX_KEPT_VALUE_BYTES - 2 < len(kept) <= MAX_KEPT_VALUE_BYTES
    assert letter.key == "k" * MAX_KEPT_KEY_BYTES
    item = Letter("t.dead-letters/0/9", letter)
    assert [why for _, why in select([item], {}).unreplayable] == [
        f"value truncated ({len(value)} bytes; only its start was kept)"
    ]


def test_bad_utf8_is_kept_verbatim_as_base64_and_replayable() -> None:
    value = b'{"title": "\xff\xfe"}'
    letter = dead_letter(stage="intake", error="bad", value=value, topic="t.raw")
    assert letter.value_encoding == "base64" and not letter.value_truncated
    assert original_value(letter) == value and letter.value_bytes == len(value)
    assert select([Letter("t.dl/0/1", letter)], {}).to_replay
    big = dead_letter(stage="intake", error="bad", value=b"\xff" * (MAX_KEPT_VALUE_BYTES + 1))
    assert big.value_truncated and original_value(big) == b"\xff" * MAX_KEPT_VALUE_BYTES
