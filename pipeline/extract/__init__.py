"""Event extraction: who did what to whom, where, when, according to whom — with evidence.

Pure Python over spaCy; no Kafka. Rules and lexicons are data files in ``data/`` (see its README).
"""

from pipeline.extract.extractor import ArticleText, CodedEvent, Extraction, Extractor
from pipeline.extract.language import detect_language
from pipeline.extract.nlp import load_nlp

__all__ = ["ArticleText", "CodedEvent", "Extraction", "Extractor", "detect_language", "load_nlp"]
