"""The eval tests share the extraction tests' session extractor."""

from __future__ import annotations

import pytest

from pipeline.extract import Extractor


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    """The extractor with the packaged model and data files."""
    return Extractor()
