"""Actor resolution (event_actors.py) reads the dictionary the extractor was given last: a clone
made by ``with_actors`` resolves names with its own, and leaves the original's alone."""

from __future__ import annotations

import shutil
from pathlib import Path

from pipeline.extract import ArticleText, Extractor
from pipeline.extract.actors import load_actor_dictionary
from pipeline.extract.datafiles import DATA_DIR

TEXT = "Hezbollah fighters attacked Israeli troops near the border on Monday."


def _cameo(extractor: Extractor) -> set[str | None]:
    events = extractor.extract(ArticleText("t1", TEXT)).events
    return {e.actor1.cameo for e in events if e.actor1 is not None}


def test_with_actors_resolves_names_with_the_new_dictionary(
    extractor: Extractor, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    actors = data / "actors.yaml"
    text = actors.read_text(encoding="utf-8")
    assert "code: LBNMILHZB}" in text
    actors.write_text(text.replace("code: LBNMILHZB}", "code: LBNREBHZB}"), encoding="utf-8")
    assert "LBNMILHZB" in _cameo(extractor)
    renamed = load_actor_dictionary(actors, gazetteer=extractor.gazetteer)
    clone = extractor.with_actors(renamed)
    assert "LBNREBHZB" in _cameo(clone)
    assert "LBNREBHZB" not in _cameo(extractor)  # the original keeps its own dictionary
