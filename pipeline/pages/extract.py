"""The main text of a web page, with trafilatura (chosen and measured in the README)."""

from __future__ import annotations

import trafilatura

from pipeline.normalise.text import clean_text

#: Main text shorter than this is not an article (a cookie wall, a video page, an index).
MIN_MAIN_TEXT = 200


def main_text(markup: str | bytes, url: str | None = None) -> str:
    """The article text of a whole HTML page as clean paragraphs; "" when it has none.

    Bytes are decoded by trafilatura (meta charset, else detection).

    CPU work (about 10-40 ms a page): callers on an event loop run it in an executor.
    """
    text = trafilatura.extract(
        markup,
        url=url,
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=False,
        deduplicate=False,
        with_metadata=False,
        # No second opinion from jusText/readability: on the six fixture pages it changed
        # nothing, and jusText is quadratic in paragraphs (7 s for 64 KB of short comments).
        fast=True,
    )
    if not text:
        return ""
    # trafilatura separates paragraphs with one newline; the project's texts use a blank line.
    text = clean_text("\n\n".join(line for line in text.split("\n") if line.strip()))
    return text if len(text) >= MIN_MAIN_TEXT else ""
