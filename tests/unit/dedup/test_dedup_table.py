"""The compact key table behaves like a dict of lists, through growth and removals."""

from __future__ import annotations

import random
from collections import defaultdict

import numpy as np

from pipeline.dedup.table import KeyTable


def _lookup(table: KeyTable, key: int) -> list[int]:
    _, rows = table.lookup(np.array([key], dtype=np.uint64))
    return sorted(rows.tolist())


def test_a_key_maps_to_many_rows_and_removal_takes_one_pair() -> None:
    table = KeyTable()
    table.insert(np.array([7, 7, 9], dtype=np.uint64), np.array([1, 2, 3], dtype=np.int32))
    assert _lookup(table, 7) == [1, 2] and _lookup(table, 9) == [3] and _lookup(table, 8) == []
    assert table.remove(np.array([7], dtype=np.uint64), np.array([1], dtype=np.int32)) == 1
    assert _lookup(table, 7) == [2] and len(table) == 2 and table.tombstones == 1


def test_matches_a_dict_model_through_growth_and_removals() -> None:
    rng = random.Random(3)
    table = KeyTable()
    model: set[tuple[int, int]] = set()
    for step in range(30):
        n = rng.choice((1, 5, 300, 3000))  # single inserts and bulk inserts
        new = {
            (
                rng.getrandbits(64) if rng.random() < 0.7 else rng.randrange(50),
                rng.randrange(1 << 20),
            )
            for _ in range(n)
        } - model
        pairs = sorted(new)
        table.insert(
            np.array([k for k, _ in pairs], dtype=np.uint64),
            np.array([r for _, r in pairs], dtype=np.int32),
        )
        model |= new
        if step % 3 == 0:
            gone = rng.sample(sorted(model), min(500, len(model)))
            table.remove(
                np.array([k for k, _ in gone], dtype=np.uint64),
                np.array([r for _, r in gone], dtype=np.int32),
            )
            model -= set(gone)
    assert len(table) == len(model)
    assert table.capacity * 0.75 >= len(table) + table.tombstones
    # Keys are compared on their low 32 bits: every stored row comes back, and extra rows
    # only for keys that share those bits.
    by_tag: defaultdict[int, set[int]] = defaultdict(set)
    for k, r in model:
        by_tag[k & 0xFFFFFFFF].add(r)
    probe = sorted({k for k, _ in model})[:2000] + [rng.getrandbits(64) for _ in range(200)]
    idx, rows = table.lookup(np.array(probe, dtype=np.uint64))
    found: defaultdict[int, set[int]] = defaultdict(set)
    for i, r in zip(idx.tolist(), rows.tolist(), strict=True):
        found[probe[i]].add(r)
    for key in probe:
        assert found[key] == by_tag.get(key & 0xFFFFFFFF, set())
