"""HTML fragments and pages to clean text, with selectolax (the lexbor HTML5 parser)."""

from __future__ import annotations

import html
import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from pipeline.normalise.text import clean_text

# Elements whose text is never article text.
_DROP = frozenset(
    {
        "script", "style", "noscript", "template", "nav", "iframe", "object", "embed", "svg",
        "canvas", "head", "title", "select", "button", "textarea", "audio", "video", "map",
    }
)  # fmt: skip
# Page chrome dropped as well when extracting the article of a whole page.
_PAGE_CHROME = ("nav", "header", "footer", "aside", "form", "menu", "dialog")
# Elements that start a new paragraph.
_BLOCKS = frozenset(
    {
        "address", "article", "aside", "blockquote", "caption", "center", "dd", "details",
        "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form",
        "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "li", "main", "menu",
        "ol", "p", "pre", "section", "summary", "table", "tr", "ul",
    }
)  # fmt: skip
_CELLS = frozenset({"td", "th"})
_PARAGRAPH = "\n\n"
# Markup is a tag, a closing tag or a comment; "a < b" and "AT&T" are plain text.
_LOOKS_LIKE_MARKUP = re.compile(r"<(?:[A-Za-z][A-Za-z0-9-]*[\s/>]|/[A-Za-z]|!--)")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_HTML_WHITESPACE = re.compile(r"[ \t\n\r\f]+")


def html_to_text(markup: str) -> str:
    """HTML fragment or page → clean text; blocks become paragraphs, ``<br>`` a line break.

    Scripts, styles and navigation are dropped and entities decoded. Text without markup
    only has its entities decoded and is cleaned, keeping its own line breaks.
    """
    if not _LOOKS_LIKE_MARKUP.search(markup):
        return clean_text(_ENTITY.sub(lambda m: html.unescape(m.group()), markup))
    tree = _parse(markup)
    root = tree.body or tree.root
    return _node_text(root) if root is not None else ""


def _parse(markup: str) -> LexborHTMLParser:
    # Parse as a browser with scripting on does: <noscript> content stays inside the
    # element (and is dropped with it) instead of leaking into the body as text.
    return LexborHTMLParser(markup, scripting=True)


def _children(node: LexborNode) -> list[LexborNode]:
    children = []
    child = node.child
    while child is not None:
        children.append(child)
        child = child.next
    return children


def _node_text(root: LexborNode) -> str:
    """Render the text of ``root`` the way a browser lays out blocks, without recursion.

    An explicit stack keeps absurdly deep markup (a feed can nest 100,000 ``<div>``s) from
    hitting Python's recursion limit.
    """
    parts: list[str] = []
    in_pre = 0
    # (node, leaving): a block is visited twice, to open and to close its paragraph.
    stack: list[tuple[LexborNode, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        tag = node.tag or ""
        if leaving:
            if tag == "pre":
                in_pre -= 1
            parts.append(" " if tag in _CELLS else _PARAGRAPH)
            continue
        if node.is_text_node:
            text = node.text_content or ""
            parts.append(text if in_pre else _HTML_WHITESPACE.sub(" ", text))
            continue
        if not node.is_element_node or tag in _DROP:
            continue  # comments, doctypes, scripts...
        if tag == "br":
            parts.append("\n")
            continue
        if tag in _BLOCKS:
            parts.append(_PARAGRAPH)
            stack.append((node, True))
        elif tag in _CELLS:
            stack.append((node, True))
        if tag == "pre":
            in_pre += 1
        stack.extend((child, False) for child in reversed(_children(node)))
    return clean_text("".join(parts))


def _meta_content(tree: LexborHTMLParser, selector: str) -> str:
    node = tree.css_first(selector)
    return clean_text(node.attributes.get("content") or "") if node is not None else ""


def _main_container(body: LexborNode) -> LexborNode:
    """The element holding the article: ``<article>``, ``<main>``, else the paragraphs' parent."""
    for selector in ("article", "main", "[role=main]"):
        candidates = body.css(selector)
        if candidates:
            return max(candidates, key=lambda n: len(n.text(deep=True)))
    # No semantic markup: the element whose own <p> children hold most of the page's
    # paragraph text is the article; otherwise keep the whole body.
    credit: dict[int, tuple[LexborNode, int]] = {}
    total = 0
    for paragraph in body.css("p"):
        size = len(paragraph.text(deep=True).strip())
        total += size
        parent = paragraph.parent
        if parent is not None:
            _, so_far = credit.get(parent.mem_id, (parent, 0))
            credit[parent.mem_id] = (parent, so_far + size)
    if credit:
        best, size = max(credit.values(), key=lambda pair: pair[1])
        if size >= total / 2:
            return best
    return body


def article_from_html(markup: str) -> tuple[str, str]:
    """(title, body text) of a whole web page: og:title, ``<h1>`` or ``<title>``, and main text.

    The main text comes from ``<article>``/``<main>`` (else the element holding most
    paragraphs), without navigation, header, footer, asides, forms, scripts or styles.
    """
    tree = _parse(markup)
    body = tree.body
    if body is None:
        return "", ""
    for node in body.css(", ".join(_PAGE_CHROME)):
        node.decompose()
    container = _main_container(body)
    heading = container.css_first("h1") or body.css_first("h1")
    heading_text = clean_text(heading.text(deep=True)) if heading is not None else ""
    title_node = tree.css_first("title")
    title = (
        _meta_content(tree, 'meta[property="og:title"]')
        or _meta_content(tree, 'meta[name="twitter:title"]')
        or heading_text
        or (clean_text(title_node.text(deep=True)) if title_node is not None else "")
    )
    if heading is not None and heading_text == title:
        heading.decompose()  # the headline is returned as the title, not repeated in the body
    return title, _node_text(container)
