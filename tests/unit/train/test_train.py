"""`wirestream train`: examples read from each format, a model fitted on a tiny fixture, and the
guard that keeps ACLED data out of the shipped model."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.errors import ConfigError
from pipeline.extract.event_features import (
    CONTEXT_CHARS,
    candidate_features,
    context_features,
    locate,
)
from pipeline.extract.event_model import SHIPPED_MODEL, load_model
from pipeline.train.cli import main
from pipeline.train.examples import gold_examples, read_acled, read_jsonl
from pipeline.train.fit import cross_validate
from pipeline.train.gold import read_gold, shipped_gold

TINY = Path(__file__).resolve().parents[2] / "data" / "train" / "tiny.jsonl"


def test_reads_the_coders_jsonl() -> None:
    examples = read_jsonl(TINY)
    assert len(examples) == 16
    battle = examples[0]
    assert (battle.event_type, battle.sub_event_type, battle.cameo_root) == (
        "Battles",
        "Armed clash",
        "19",
    )
    assert battle.trigger == "clashed" and battle.relevant
    off = [e for e in examples if not e.relevant]
    assert len(off) == 4
    assert all(e.label("relevant") == "no" and e.label("event_type") is None for e in off)


def test_a_bad_root_names_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "x", "cameo_root": "190"}\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"bad.jsonl:1"):
        read_jsonl(bad)


def test_gold_examples_come_from_dev_halves_only() -> None:
    examples = gold_examples(shipped_gold())
    dev = {r.article for p in shipped_gold() for r in read_gold(p) if r.split == "dev"}
    test = {r.article for p in shipped_gold() for r in read_gold(p) if r.split == "test"}
    assert examples and {e.story for e in examples} <= dev
    assert not {e.story for e in examples} & test
    # ACLED types follow from the CAMEO code: a fight is a battle, a statement has no ACLED type
    by_root = {e.cameo_root: e.event_type for e in examples if e.cameo_root}
    assert by_root.get("19") == "Battles"
    assert by_root.get("01") == ""


def test_acled_export_is_read(tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    export.write_text(
        "event_id_cnty,event_type,sub_event_type,notes\n"
        "X1,Battles,Armed clash,Soldiers clashed with gunmen.\n"
        "X2,Protests,Peaceful protest,\n",
        encoding="utf-8",
    )
    examples = list(read_acled(export))
    assert [(e.event_type, e.story) for e in examples] == [("Battles", "X1")]
    assert examples[0].cameo_root is None


def test_train_writes_a_model_the_extractor_can_load(tmp_path: Path) -> None:
    out = tmp_path / "m.npz"
    assert main([str(TINY), "--no-gold", "--out", str(out), "--threshold", "cameo_root=0.7"]) == 0
    model = load_model(out)
    assert set(model.heads) == {"event_type", "sub_event_type", "cameo_root", "relevant"}
    assert model.threshold("cameo_root", 0.0) == 0.7
    assert model.meta["acled"] is False and model.meta["examples"] == 16
    text = "Rebels clashed with the army near the border."
    start, end = locate(text, "clashed")
    probs = model.predict("event_type", candidate_features(text, start, end))
    assert max(probs, key=lambda k: probs[k]) == "Battles"
    assert abs(sum(probs.values()) - 1.0) < 1e-5


def test_a_plain_refit_keeps_the_shipped_decision_thresholds(tmp_path: Path) -> None:
    # round 12: a refit without --threshold switched the root override and the "no event"
    # drop on (0.6 / 0.7) and lowered Afghanistan's DEV type 0.90 -> 0.80
    out = tmp_path / "m.npz"
    assert main([str(TINY), "--no-gold", "--out", str(out)]) == 0
    shipped = load_model(SHIPPED_MODEL).meta["thresholds"]
    assert load_model(out).meta["thresholds"] == shipped
    assert shipped["cameo_root"] > 1.0 and shipped["none"] > 1.0


def test_a_context_model_reads_the_article_lead(tmp_path: Path) -> None:
    out = tmp_path / "m.npz"
    assert main([str(TINY), "--no-gold", "--out", str(out), "--context"]) == 0
    model = load_model(out)
    assert model.uses_context and model.meta["context"] is True
    assert any(f.startswith("a:") for f in model.index)  # the lead's words are features
    plain = tmp_path / "plain.npz"
    assert main([str(TINY), "--no-gold", "--out", str(plain)]) == 0
    assert not load_model(plain).uses_context  # without --context: the sentence only


def test_context_features_are_the_lead_words_only() -> None:
    lead = "Taliban attacked a checkpoint. " + "x " * CONTEXT_CHARS + "late"
    feats = context_features(lead)
    assert feats[:3] == ["a:taliban", "a:attacked", "a:a"]
    assert "a:late" not in feats  # past the lead


def test_shipped_model_never_takes_acled(tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    export.write_text("event_type,sub_event_type,notes\nBattles,Armed clash,x\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="never be trained on ACLED"):
        main(["--shipped", "--acled", str(export)])


def test_cross_validation_holds_out_each_origin() -> None:
    examples = read_jsonl(TINY)
    scores = cross_validate(examples)
    assert set(scores) == {"tiny/local", "tiny/wire", "tiny/sports", "*"}
    assert scores["*"]["cameo_root"].total == 12
    assert 0.0 <= scores["*"]["cameo_root"].accuracy <= 1.0
