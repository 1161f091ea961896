"""Text normalisation: HTML to text, clean Unicode text, boilerplate lines and fingerprints."""

from pipeline.normalise.html import article_from_html, html_to_text
from pipeline.normalise.text import body_text, clean_text, fingerprint, strip_boilerplate

__all__ = [
    "article_from_html",
    "body_text",
    "clean_text",
    "fingerprint",
    "html_to_text",
    "strip_boilerplate",
]
