"""Held writes over a store: reads see them, the store does not until they are applied."""

from __future__ import annotations

import orjson

from pipeline.link.pending import PendingWrites, apply, carried, uncarried


def test_reads_see_held_writes_and_the_store_sees_nothing() -> None:
    base = {"a": b"1", "b": b"2"}
    held = PendingWrites(base)
    held["c"] = b"3"
    held["a"] = b"4"
    del held["b"]
    assert dict(held) == {"a": b"4", "c": b"3"} and len(held) == 2
    assert "b" not in held and held.get("b") is None
    assert base == {"a": b"1", "b": b"2"}
    apply(base, held.writes())
    assert base == {"a": b"4", "c": b"3"}


def test_a_key_written_and_deleted_while_held_never_reaches_the_store() -> None:
    held = PendingWrites({})
    held["x"] = b"1"
    del held["x"]
    assert held.writes() == []


def test_writes_carried_in_a_memo_come_back_byte_for_byte() -> None:
    writes = [("e:1", orjson.dumps({"r": {"v": 2, "s": ["é", 0.1]}})), ("p:1|a", b"1"), ("k", None)]
    memo = orjson.dumps({"e": "1", "w": carried(writes)})
    assert uncarried(orjson.loads(memo)["w"]) == writes
