"""A store that keeps the order of its writes, like a Faust table's changelog, and the store a
restarted worker restores from a prefix of those writes (a crash cuts the changelog there)."""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping


class Journal(MutableMapping[str, bytes]):
    """A dict store that keeps the order of its writes, like a table's changelog."""

    def __init__(self) -> None:
        self.data: dict[str, bytes] = {}
        self.writes: list[tuple[str, bytes | None]] = []

    def __getitem__(self, key: str) -> bytes:
        return self.data[key]

    def __setitem__(self, key: str, value: bytes) -> None:
        self.data[key] = value
        self.writes.append((key, value))

    def __delitem__(self, key: str) -> None:
        del self.data[key]
        self.writes.append((key, None))

    def __iter__(self) -> Iterator[str]:
        return iter(self.data)

    def __len__(self) -> int:
        return len(self.data)


def restored(writes: list[tuple[str, bytes | None]]) -> dict[str, bytes]:
    """The store a restarted worker restores from a prefix of the changelog."""
    store: dict[str, bytes] = {}
    for key, value in writes:
        if value is None:
            store.pop(key, None)
        else:
            store[key] = value
    return store
