"""Evidence spans: the words of a record cut from the article's original text."""

from __future__ import annotations

from spacy.tokens import Doc

from schemas import Span as EvidenceSpan


def doc_text(doc: Doc) -> str:
    """The document's text, built once per document (``Doc.text`` joins every token each call)."""
    text = doc.user_data.get("wirestream_text")
    if text is None:
        text = doc.text
        doc.user_data["wirestream_text"] = text
    return str(text)


def evidence_span(doc: Doc, start: int, end: int) -> EvidenceSpan:
    """The evidence span of characters ``start:end`` of the document's original text."""
    return EvidenceSpan(text=doc_text(doc)[start:end], start=start, end=end)
