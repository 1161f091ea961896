"""Fixtures for the extraction tests: one loaded extractor per session (model load ~1 s, gazetteer
~2 s)."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from pipeline.extract import ArticleText, Extraction, Extractor

PUBLISHED = datetime(2016, 11, 28, 6, 0, tzinfo=UTC)

# the tests read the shipped data: a small-place layer built locally (data/README.md) would
# change which places resolve; test_village_layer.py gives the resolver one of its own
os.environ["WIRESTREAM_VILLAGE_GAZETTEER"] = "off"


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    """The extractor with the packaged model and data files."""
    return Extractor()


@pytest.fixture(scope="session")
def extract(extractor: Extractor) -> Callable[..., Extraction]:
    """Extract one text: ``extract("Troops shelled Homs on Sunday.")``, published 2016-11-28 06:00
    UTC."""

    def run(
        text: str, *, published: datetime | None = PUBLISHED, source: str = "Test Wire"
    ) -> Extraction:
        return extractor.extract(ArticleText("t1", text, published=published, source=source))

    return run
