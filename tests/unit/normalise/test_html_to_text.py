"""HTML fragments and pages to clean text."""

from __future__ import annotations

import pytest

from pipeline.normalise.html import article_from_html, html_to_text


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("<p>One.</p><p>Two.</p>", "One.\n\nTwo."),
        ("<p>Line one<br>line two<br/>line three</p>", "Line one\nline two\nline three"),
        ("First<br><br>Second", "First\n\nSecond"),
        ("<div><p>Nested</p>blocks<h2>Heading</h2>after</div>",
         "Nested\n\nblocks\n\nHeading\n\nafter"),
        ("<p>a <b>bold</b> <i>word</i>, <a href='/x'>a link</a></p>", "a bold word, a link"),
        ("<p>  lots \n\t of   <span> space </span> </p>", "lots of space"),
        ("<p>Tom &amp; Jerry &lt;3 &eacute;t&eacute; &#8220;hi&#x201D; &nbsp;x</p>",
         "Tom & Jerry <3 été “hi” x"),
        ("<p>Kept</p><script>alert('x')</script><style>p {color: red}</style>", "Kept"),
        ("<nav><a href='/'>Home</a> | <a href='/news'>News</a></nav><p>Story</p>", "Story"),
        ("<noscript>Enable JS</noscript><template><p>t</p></template><p>Story</p>", "Story"),
        ("<!-- comment --><p>Story</p>", "Story"),
        ("<ul><li>One</li><li>Two<ul><li>Two-a</li><li>Two-b</li></ul></li><li>Three</li></ul>",
         "One\n\nTwo\n\nTwo-a\n\nTwo-b\n\nThree"),
        ("<ol><li><p>Para in item</p></li></ol>", "Para in item"),
        ("<table><tr><th>City</th><th>Toll</th></tr><tr><td>Aleppo</td><td>12</td></tr></table>",
         "City Toll\n\nAleppo 12"),
        ("<pre>keep\nlines</pre>", "keep\nlines"),
        ("<p>Unclosed <b>bold<p>next", "Unclosed bold\n\nnext"),
        ("<html><head><title>T</title></head><body><p>Body</p></body></html>", "Body"),
        ("<p>Cafe\u0301\u200b</p>", "Café"),
        ("", ""),
    ],
)  # fmt: skip
def test_html_to_text(markup: str, expected: str) -> None:
    assert html_to_text(markup) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Plain text.\n\nSecond paragraph.", "Plain text.\n\nSecond paragraph."),
        ("Line one\nline two", "Line one\nline two"),
        ("AT&T profits < expected, a<b", "AT&T profits < expected, a<b"),
        ("Tom &amp; Jerry &#8217;s", "Tom & Jerry ’s"),
        ("  padded   words  ", "padded words"),
    ],
)
def test_plain_text_passes_through_cleaned(text: str, expected: str) -> None:
    assert html_to_text(text) == expected


def test_deeply_nested_markup_does_not_recurse() -> None:
    assert html_to_text("<div>" * 20_000 + "deep" + "</div>" * 20_000) == "deep"


PAGE = """<!doctype html>
<html><head>
  <title>Syrian army recaptures Sakhour | Nam News Network</title>
  <meta property="og:title" content="Syrian army recaptures Sakhour">
  <style>body {font-family: serif}</style>
</head><body>
  <header><a href="/">NNN</a>
    <nav><a href="/world">World</a> <a href="/sport">Sport</a></nav></header>
  <main>
    <article>
      <h1>Syrian army recaptures Sakhour</h1>
      <p class="byline">28 November 2016</p>
      <p>DAMASCUS, Syria- The Syrian army successfully recaptured, on Sunday, the
         neighbourhood of Sakhour, a military source said.</p>
      <aside><h3>Related</h3><ul><li>Earlier story</li></ul></aside>
      <p>With Sakhour under control, the rebel-held areas are divided.</p>
      <form><input name="q"><button>Search</button></form>
    </article>
  </main>
  <footer>Copyright 2016 NNN</footer>
  <script>track()</script>
</body></html>"""


def test_article_from_html_takes_the_article_and_drops_the_chrome() -> None:
    title, body = article_from_html(PAGE)
    assert title == "Syrian army recaptures Sakhour"
    assert body == (
        "28 November 2016\n\n"
        "DAMASCUS, Syria- The Syrian army successfully recaptured, on Sunday, the "
        "neighbourhood of Sakhour, a military source said.\n\n"
        "With Sakhour under control, the rebel-held areas are divided."
    )


def test_article_from_html_without_semantic_markup() -> None:
    page = """<html><head><title>Plain page</title></head><body>
      <div class="menu"><p>Home</p><p>About</p></div>
      <div class="content"><h1>Headline here</h1>
        <p>The first paragraph of the story is long enough to matter.</p>
        <p>The second paragraph carries on with the story.</p></div>
      <div class="ads"><p>Buy now</p></div>
    </body></html>"""
    title, body = article_from_html(page)
    assert title == "Headline here"
    assert body == (
        "The first paragraph of the story is long enough to matter.\n\n"
        "The second paragraph carries on with the story."
    )


def test_article_from_html_falls_back_to_the_title_element() -> None:
    title, body = article_from_html("<title>Only &amp; title</title><p>Text</p>")
    assert (title, body) == ("Only & title", "Text")
    assert article_from_html("") == ("", "")
