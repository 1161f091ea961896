"""Give the C heap's freed memory back to the OS after a bulk load of the index.

Filling the near-duplicate index with a million entries (a rebuild after a restart, the
benchmark's fill) makes and frees batches of Python objects; glibc keeps the freed pages
resident, about 100 MiB at 1M entries, which then counts against the worker's RSS although
nothing uses it. ``malloc_trim(0)`` returns them. Elsewhere than glibc it does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
from functools import cache
from typing import Any


@cache
def _libc() -> Any:
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
    except OSError:
        return None
    return libc if libc is not None and hasattr(libc, "malloc_trim") else None


def trim_heap() -> bool:
    """Collect garbage and return freed C-heap pages to the OS; False where that is not
    possible (not glibc)."""
    gc.collect()
    libc = _libc()
    if libc is None:
        return False
    libc.malloc_trim(0)
    return True
