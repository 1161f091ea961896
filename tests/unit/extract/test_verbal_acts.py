"""The verbal-act step: candidate verbs, their parse features, a model fitted on a tiny fixture
coding a verb the lexicon lacks, and the guards (allowed roots, verbs already taken, off)."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from pipeline.errors import ConfigError
from pipeline.extract import ArticleText, Extractor
from pipeline.extract.event_model import load_model
from pipeline.extract.verbal_acts import (
    VerbalActFinder,
    candidates,
    load_verbal_act_finder,
    load_verbal_act_roots,
    parse_features,
)
from pipeline.train.cli import main
from pipeline.train.verbal import coded_jsonl, examples, fit_verbal

TINY = Path(__file__).resolve().parents[2] / "data" / "train" / "verbal-tiny.jsonl"


@pytest.fixture(scope="module")
def tiny_model(extractor: Extractor, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("verbal") / "verbal.npz"
    fit_verbal(extractor.nlp, coded_jsonl(TINY), c=10.0, threshold=0.3, out=path)
    return path


def _finder(path: Path) -> VerbalActFinder:
    return VerbalActFinder(load_model(path), load_verbal_act_roots())


def test_parse_features_name_what_the_verb_governs(extractor: Extractor) -> None:
    doc = extractor.nlp("The minister urged the rebels to lay down their arms.")
    verb = next(t for t in doc if t.lower_ == "urged")
    feats = parse_features(verb)
    assert "pl:urge" in feats
    assert "po:rebel" in feats and "pvo:urge rebel" in feats
    assert "pc:xcomp lay" in feats


def test_candidates_are_clause_verbs_no_trigger_took(extractor: Extractor) -> None:
    doc = extractor.nlp("The minister insulted the mayor and said the city was dirty.")
    sentence = next(doc.sents)
    found = {t.lower_ for t in candidates(sentence, frozenset())}
    assert {"insulted", "said"} <= found
    taken = frozenset(t.i for t in doc if t.lower_ == "insulted")
    assert "insulted" not in {t.lower_ for t in candidates(sentence, taken)}


def test_training_labels_each_candidate_by_the_coded_trigger(extractor: Extractor) -> None:
    rows, feats = examples(extractor.nlp, coded_jsonl(TINY))
    labels = {(r.trigger, r.cameo_root) for r in rows}
    assert ("insulted", "11") in labels and ("clashed", "19") in labels
    assert ("said", "none") in labels and ("scored", "none") in labels
    assert len(rows) == len(feats)


def test_a_fitted_model_codes_a_verb_the_lexicon_lacks(
    extractor: Extractor, tiny_model: Path
) -> None:
    finder = _finder(tiny_model)
    doc = extractor.nlp("The governor insulted the mayor of the city.")
    sentence = next(doc.sents)
    acts = finder.find(sentence, sentence.text, frozenset())
    assert [(a.token.lower_, a.root) for a in acts] == [("insulted", "11")]
    # a fight is never the step's to code, however sure the model is
    doc = extractor.nlp("Rebels clashed with soldiers near the city.")
    sentence = next(doc.sents)
    assert finder.find(sentence, sentence.text, frozenset()) == []


def test_the_extractor_builds_the_act_as_for_any_trigger(
    extractor: Extractor, tiny_model: Path
) -> None:
    text = "Indian Prime Minister Narendra Modi insulted Pakistan's army chief on Monday."
    assert not [e for e in extractor.extract(ArticleText("a", text)).events if e.cameo_root == "11"]
    with_step = copy.copy(extractor)
    with_step.verbal_acts = _finder(tiny_model)
    events = with_step.extract(ArticleText("a", text)).events
    insult = next(e for e in events if e.trigger.text == "insulted")
    assert insult.cameo_code == "110" and insult.factual
    assert insult.actor1 is not None and insult.actor1.cameo == "INDGOV"


def test_off_and_an_unreadable_threshold(tiny_model: Path, tmp_path: Path) -> None:
    assert load_verbal_act_finder(model_path=Path("off")).model is None
    finder = load_verbal_act_finder(model_path=tiny_model)
    assert finder.model is not None and finder.threshold == pytest.approx(0.3)
    bad = tmp_path / "verbal_acts.yaml"
    bad.write_text("roots: ['190']\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="two-digit"):
        load_verbal_act_roots(bad)


def test_train_verbal_writes_a_model_and_refuses_acled(tmp_path: Path) -> None:
    out = tmp_path / "v.npz"
    assert main([str(TINY), "--verbal", "--no-gold", "--out", str(out), "--json"]) == 0
    assert load_verbal_act_finder(model_path=out).threshold > 1.0  # off unless a threshold is set
    with pytest.raises(ConfigError, match="ACLED"):
        main([str(TINY), "--verbal", "--acled", str(TINY), "--out", str(out)])
