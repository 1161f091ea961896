"""A ``wirestream worker`` with a simulated bug: every stage rejects values containing ``POISON``.

Run as ``python -m tests.integration.faulty_worker`` with the worker's usual arguments; the
dead-letter replay test runs it before "the fix" (a normal worker) is deployed.
"""

from __future__ import annotations

import sys
from typing import Any

MARKER = b"POISON"


def _install_bug() -> None:
    from agents import dedup, extract, intake, link
    from schemas.decode import RecordError, decode

    def buggy_decode(cls: type[Any], data: Any, **kwargs: Any) -> Any:
        if isinstance(data, bytes) and MARKER in data:
            raise RecordError(f"simulated bug: {cls.__name__} values with {MARKER!r} fail")
        return decode(cls, data, **kwargs)

    for module in (intake, dedup, extract, link):
        module.decode = buggy_decode  # type: ignore[attr-defined]


if __name__ == "__main__":
    # Spawned spaCy processes import this module as __mp_main__: only the worker is patched.
    from wirestream.cli import main

    _install_bug()
    sys.exit(main(["worker", *sys.argv[1:]]))
