"""A bulk load of the index gives the C heap's freed pages back (glibc's ``malloc_trim``)."""

from __future__ import annotations

import platform

from pipeline.dedup.heap import trim_heap


def test_trim_heap_says_whether_it_could() -> None:
    trimmed = trim_heap()
    if platform.system() == "Linux" and platform.libc_ver()[0] == "glibc":
        assert trimmed
    assert trim_heap() is trimmed  # idempotent, and safe to call again
