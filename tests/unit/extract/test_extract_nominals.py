"""Events told by nouns: coded only where the sentence reports them as having happened."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline.errors import ConfigError
from pipeline.extract import Extraction
from pipeline.extract.lexicon import load_code_table
from pipeline.extract.nominals import load_nominals
from schemas import Event

Extract = Callable[..., Extraction]


def _facts(x: Extraction) -> list[Event]:
    return [e for e in x.events if e.factual]


def _one(x: Extraction, trigger: str) -> Event:
    found = [e for e in x.events if trigger in e.trigger.text]
    assert len(found) == 1, [(e.trigger.text, e.cameo_code) for e in x.events]
    return found[0]


def test_the_shipped_lexicon_loads() -> None:
    lexicon = load_nominals(load_code_table())
    assert lexicon.entries["strike"].code is None  # a bare strike may be a labour strike
    assert lexicon.nonfactual_modifiers["planned"] == "future"


def test_a_bad_code_names_the_entry(tmp_path: Path) -> None:
    path = tmp_path / "nominals.yaml"
    path.write_text(
        "licensing: {subject_of: [], light_verbs: [], causing_verbs: [], during_preps: [],"
        " harm_verbs: []}\nnominals:\n  - {noun: [visit], code: 42}\n"
    )
    with pytest.raises(ConfigError, match=r"nominals\[0\].*quoted string"):
        load_nominals(load_code_table(), path)


@pytest.mark.model
def test_nouns_the_sentence_reports_are_events(extract: Extract) -> None:
    x = extract("The envoy held talks with the president during a surprise visit to Beirut.")
    visit = _one(x, "visit")
    assert visit.factual and visit.cameo_code == "042"
    assert visit.actor2 is not None and visit.actor2.cameo == "LBN"  # the host country
    x = extract("The minister dropped the sanctions, prompting outcry from the United Nations.")
    outcry = _one(x, "outcry")
    assert outcry.cameo_root == "11" and outcry.confidence < 0.7
    assert outcry.actor1 is not None and outcry.actor1.cameo == "IGOUNO"
    x = extract("Five people died in an air strike by government forces in Aleppo.")
    strike = _one(x, "air strike")
    assert strike.event_type == "Explosions/Remote violence"
    assert strike.actor1 is not None and strike.actor1.type == "state_military"


@pytest.mark.model
def test_generic_and_planned_nouns_are_not_facts(extract: Extract) -> None:
    assert _facts(extract("The threat of attacks on Aleppo remains high.")) == []
    assert _facts(extract("Talks with the rebels are expected to take place in Geneva.")) == []
    x = extract("The rebels carried out a planned attack on Aleppo.")
    assert all(e.cameo_root != "19" or e.trigger.text.startswith("carried") for e in _facts(x))
    x = extract("A general strike paralysed Lagos on Monday.")  # a labour strike, not an air one
    assert [e.cameo_code for e in _facts(x)] in ([], ["143"])


@pytest.mark.model
def test_the_noun_names_who_acted_for_its_verb(extract: Extract) -> None:
    x = extract("Russian strikes hit a hospital in Idlib on Tuesday.")
    hit = _one(x, "hit")
    assert hit.actor1 is not None and hit.actor1.cameo == "RUSMIL"
    assert hit.event_type == "Explosions/Remote violence"
    x = extract("Clashes erupted between police and protesters in Cairo on Friday.")
    clash = _one(x, "erupted")
    assert clash.actor1 is not None and clash.actor1.type == "police"
    assert clash.actor2 is not None and clash.actor2.type == "protesters"


@pytest.mark.model
def test_one_persons_attacks_are_words(extract: Extract) -> None:
    x = extract("Yadav has continued his attacks against the election body in Bihar.")
    assert all(e.cameo_root not in ("18", "19") for e in _facts(x))


@pytest.mark.model
def test_a_verb_that_codes_the_same_act_keeps_it(extract: Extract) -> None:
    x = extract("Activists staged a protest in Beijing on Wednesday.")
    assert [e.cameo_code for e in _facts(x)] == ["141"]
    x = extract("Police carried out raids and arrests in Lagos on Monday.")
    assert sorted(e.cameo_root for e in _facts(x)) == ["17", "19"]
