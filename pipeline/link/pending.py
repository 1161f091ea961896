"""The store writes of one linked mention, held back so that they reach the store as a unit.

A Faust table sends each write as its own changelog record, and a crash keeps a prefix of them
(issue 19). The link stage decides over a :class:`PendingWrites` view of its store, then writes
the mention's memo (``m:``) first with every other write inside it, the writes themselves, and
the memo again without them: a restored store either has no memo (nothing of the mention was
written: it is processed afresh) or a memo from which the cut writes are finished.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, MutableMapping
from typing import Any

import orjson

Writes = list[tuple[str, bytes | None]]
"""The final value of each key written (None: deleted), in the order first written."""


class PendingWrites(MutableMapping[str, bytes]):
    """A store's view with writes held in memory: reads see them, the store does not yet."""

    def __init__(self, base: Mapping[str, bytes]) -> None:
        self.base = base
        self.held: dict[str, bytes | None] = {}

    def __getitem__(self, key: str) -> bytes:
        if key in self.held:
            value = self.held[key]
            if value is None:
                raise KeyError(key)
            return value
        return self.base[key]

    def __setitem__(self, key: str, value: bytes) -> None:
        self.held[key] = value

    def __delitem__(self, key: str) -> None:
        if key not in self:
            raise KeyError(key)
        if key in self.base:
            self.held[key] = None
        else:  # written here only: the store never has to hear of it
            del self.held[key]

    def __iter__(self) -> Iterator[str]:
        for key in self.base:
            if self.held.get(key, b"") is not None:
                yield key
        for key, value in self.held.items():
            if value is not None and key not in self.base:
                yield key

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def take(self, key: str) -> bytes:
        """Remove one held write (the memo, written apart) and return its value."""
        value = self.held.pop(key)
        if value is None:
            raise KeyError(key)
        return value

    def writes(self) -> Writes:
        """The held writes, to be written to the store in this order."""
        return list(self.held.items())


def carried(writes: Writes) -> list[list[Any]]:
    """Writes as a JSON value inside a memo. The link stage stores compact orjson JSON only,
    so each value goes in as it is (not escaped into a string: half the size)."""
    return [[key, None if value is None else orjson.Fragment(value)] for key, value in writes]


def uncarried(value: list[list[Any]]) -> Writes:
    """The writes a memo carried, each value as the exact bytes it had (orjson round-trips
    its own compact output byte for byte)."""
    return [(key, None if one is None else orjson.dumps(one)) for key, one in value]


def apply(store: MutableMapping[str, bytes], writes: Writes) -> None:
    """Write held writes to the store; again after a crash writes the same (idempotent)."""
    for key, value in writes:
        if value is None:
            store.pop(key, None)
        else:
            store[key] = value
