"""Fitting the event-type model from coded examples (``wirestream train``)."""

from pathlib import Path

DEFAULT_C = 10.0
"""Inverse regularisation strength of the logistic regressions (chosen by cross-validation)."""
TRAINING_DIR = Path(__file__).resolve().parents[1] / "extract" / "data" / "training"
"""The project's own coded examples (JSONL), what the shipped model is fitted on."""
