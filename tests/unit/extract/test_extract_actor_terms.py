"""Office-holders by term: the article's date picks who a name stands for (no model needed)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
import spacy

from pipeline.errors import ConfigError
from pipeline.extract.actors import ActorMatcher, NamedActor, load_actor_dictionary, pick
from pipeline.extract.datafiles import DATA_DIR
from pipeline.extract.gazetteer import load_gazetteer

OBAMA = NamedActor(
    "US government",
    "government",
    "USA",
    "USAGOV",
    valid_from=date(2009, 1, 20),
    valid_until=date(2017, 1, 20),
)
KHAN_PM = NamedActor(
    "Pakistani government",
    "government",
    "PAK",
    "PAKGOV",
    valid_from=date(2018, 8, 18),
    valid_until=date(2022, 4, 10),
)
KHAN = NamedActor("PTI", "opposition", "PAK", "PAKOPP")


def test_the_term_that_holds_on_the_day_wins() -> None:
    assert pick([OBAMA], date(2015, 6, 1)) is OBAMA
    assert pick([KHAN_PM, KHAN], date(2020, 1, 1)) is KHAN_PM
    assert pick([KHAN_PM, KHAN], date(2024, 1, 1)) is KHAN  # an undated entry outside the term


def test_out_of_office_is_a_former_office_holder() -> None:
    former = pick([OBAMA], date(2020, 1, 1))
    assert former.code == "USAELI" and former.type == "elite"


def test_without_a_date_the_latest_term() -> None:
    assert pick([OBAMA], None) is OBAMA
    assert pick([KHAN_PM, KHAN], None) is KHAN  # no term running: what the person is otherwise


def test_the_matcher_reads_the_shipped_terms() -> None:
    nlp = spacy.blank("en")
    gazetteer = load_gazetteer()
    matcher = ActorMatcher(nlp.vocab, nlp.tokenizer, load_actor_dictionary(gazetteer=gazetteer))
    doc = nlp("Obama met Netanyahu.")
    assert matcher.find(doc, date(2015, 1, 1))[0][1].code == "USAGOV"
    assert matcher.find(doc, date(2024, 1, 1))[0][1].code == "USAELI"
    assert matcher.find(doc, date(2020, 1, 1))[2][1].code == "ISRGOV"


def test_a_bad_date_names_the_entry(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    path = data / "actors.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "named:\n", "named:\n  - {names: [Xy], normalized: Xy, type: government, from: soon}\n"
    )
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"named\[0\]\.from"):
        load_actor_dictionary(path, gazetteer=load_gazetteer())
    path.write_text(text.replace("from: soon", "from: 2020-13-01"), encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_actor_dictionary(path, gazetteer=load_gazetteer())
