"""Evaluation: score pipeline stages against gold data sets."""
