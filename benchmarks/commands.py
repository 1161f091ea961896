"""``wirestream bench TARGET [options]``: every benchmark, imported explicitly."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from benchmarks import crash, dedup, extract, link, pages, pipeline, soak

#: Target name → the benchmark's ``main(argv)``.
COMMANDS: dict[str, Callable[[Sequence[str]], int]] = {
    "dedup": dedup.main,
    "extract": lambda argv: extract.main(list(argv)),
    "link": link.main,
    "pages": pages.main,
    "pipeline": pipeline.main,
    "crash": crash.main,
    "soak": soak.main,
}
