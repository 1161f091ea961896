"""Main-text extraction measured on article pages: sentences kept, furniture dropped, time.

Each page of ``tests/data/pages`` comes with sentences that belong to its article (``with``)
and page furniture that does not (``without``). An extractor scores the ``with`` it keeps and
the ``without`` it leaves out, and its median milliseconds a page (after one warm-up run).
Extractors: the shipped one (trafilatura, ``pipeline.pages.main_text``), the project's own
selectolax heuristic (``article_from_html``) and readability-lxml when it is installed.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from benchmarks import CHECKOUT
from pipeline.normalise.html import article_from_html, html_to_text
from pipeline.pages.extract import main_text

PAGES = CHECKOUT / "tests" / "data" / "pages"

Extractor = Callable[[bytes, str], str]


@dataclass(frozen=True)
class PageScore:
    """One extractor's score over the pages."""

    name: str
    kept: int
    wanted: int
    dropped: int
    unwanted: int
    median_ms: float


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _readability() -> Extractor | None:
    try:
        from readability import Document  # type: ignore[import-untyped, import-not-found, unused-ignore]
    except ImportError:
        return None

    def extract(page: bytes, url: str) -> str:
        return html_to_text(Document(page.decode("utf-8", "replace")).summary())

    return extract


def extractors() -> dict[str, Extractor]:
    """The extractors to compare, by name."""
    found: dict[str, Extractor] = {
        "trafilatura (shipped)": lambda page, url: main_text(page, url),
        "selectolax heuristic": lambda page, url: article_from_html(
            page.decode("utf-8", "replace")
        )[1],
    }
    readability = _readability()
    if readability is not None:
        found["readability-lxml"] = readability
    return found


def load_pages(folder: Path = PAGES) -> list[tuple[bytes, str, list[str], list[str]]]:
    """(page bytes, URL, with, without) for every page listed in ``expected.json``."""
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    return [
        (gzip.decompress((folder / name).read_bytes()), e["url"], e["with"], e["without"])
        for name, e in sorted(expected.items())
    ]


def score(
    name: str, extract: Extractor, pages: Sequence[tuple[bytes, str, list[str], list[str]]]
) -> PageScore:
    """Score one extractor over ``pages``."""
    kept = wanted = dropped = unwanted = 0
    times = []
    for page, url, with_, without in pages:
        extract(page, url)  # warm-up: imports and caches
        started = time.perf_counter()
        text = _norm(extract(page, url))
        times.append((time.perf_counter() - started) * 1000)
        kept += sum(_norm(s) in text for s in with_)
        wanted += len(with_)
        dropped += sum(_norm(s) not in text for s in without)
        unwanted += len(without)
    return PageScore(name, kept, wanted, dropped, unwanted, statistics.median(times))


def main(argv: Sequence[str] | None = None) -> int:
    """Print the table the README quotes."""
    parser = argparse.ArgumentParser(prog="wirestream bench pages", description=__doc__)
    parser.add_argument("--pages", type=Path, default=PAGES, help="folder with expected.json")
    args = parser.parse_args(argv)
    pages = load_pages(args.pages)
    print(f"{len(pages)} pages")
    print("| extractor | article sentences kept | furniture left out | median ms/page |")
    print("|---|---|---|---|")
    for name, extract in extractors().items():
        s = score(name, extract, pages)
        print(f"| {s.name} | {s.kept}/{s.wanted} | {s.dropped}/{s.unwanted} | {s.median_ms:.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
