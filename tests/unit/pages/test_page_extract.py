"""main_text on the project's article pages (tests/data/pages) and on pages with no article."""

from __future__ import annotations

import pytest

from benchmarks.pages import load_pages
from pipeline.pages import main_text

PAGES = load_pages()


@pytest.mark.parametrize(("page", "url", "with_", "without"), PAGES, ids=[p[1] for p in PAGES])
def test_article_page_keeps_the_article(
    page: bytes, url: str, with_: list[str], without: list[str]
) -> None:
    text = " ".join(main_text(page, url).split())
    assert all(" ".join(s.split()) in text for s in with_)
    assert "\n\n" in main_text(page, url), "paragraphs are separated by a blank line"


def test_most_page_furniture_is_left_out() -> None:
    left_out = wanted = 0
    for page, url, _, without in PAGES:
        text = " ".join(main_text(page, url).split())
        left_out += sum(" ".join(s.split()) not in text for s in without)
        wanted += len(without)
    # 22 of 24 when measured; the two kept sit inside the article markup (a "Read more:" link, a
    # newsletter promo), like the lines every page of a real site repeats, which the per-feed
    # boilerplate learner strips (tests/unit/normalise/test_boilerplate.py).
    assert left_out / wanted >= 0.75


@pytest.mark.parametrize(
    "markup",
    [
        "",
        "<html><body><nav><a href='/'>Home</a></nav><p>Watch the video.</p></body></html>",
        "<html><body><p>Please accept cookies to continue.</p></body></html>",
        b"\x00\x01\x02 not html at all",
    ],
)
def test_no_article_gives_empty_text(markup: str | bytes) -> None:
    assert main_text(markup) == ""
