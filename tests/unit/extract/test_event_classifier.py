"""The learned event typer: the shipped model file, its predictions, how its decision combines
with the rules' code, and the relevance gate."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import spacy

from pipeline.errors import ConfigError
from pipeline.extract import Extraction
from pipeline.extract.event_features import candidate_features, locate, text_features
from pipeline.extract.event_model import (
    HEADS,
    SHIPPED_MODEL,
    EventModel,
    Head,
    load_model,
    save_model,
)
from pipeline.extract.event_typer import (
    EventTyper,
    load_acled_types,
    load_event_typer,
)
from pipeline.extract.lexicon import load_code_table

CODES = load_code_table()
ACLED = load_acled_types()
VIOLENT = {"Battles", "Explosions/Remote violence", "Violence against civilians"}
CRICKET = (
    "England clinched the series at Lord's on Sunday. The spinner took five wickets as the "
    "visitors collapsed to 142 all out, and the captain hit an unbeaten century to seal a "
    "seven-wicket win. It was a bruising clash, and England's bowlers tore through the batting."
)


def _top(probs: dict[str, float]) -> str:
    return max(probs, key=lambda k: probs[k])


def _candidate(sentence: str, trigger: str) -> list[str]:
    start, end = locate(sentence, trigger)
    return candidate_features(sentence, start, end)


@pytest.fixture(scope="module")
def model() -> EventModel:
    return load_model(SHIPPED_MODEL)


def test_shipped_model_loads_small_and_clean(model: EventModel) -> None:
    assert set(model.heads) == set(HEADS)
    # 5.1 MB since round 14: the article lead's words (``a:``) add 5,000 features
    assert SHIPPED_MODEL.stat().st_size < 5_500_000
    assert model.meta["acled"] is False  # never fitted on ACLED data
    assert not any(o.startswith("acled") for o in model.meta["origins"])
    assert set(model.heads["event_type"].classes) == {"", *ACLED.sub_types}


def test_predictions_are_distributions(model: EventModel) -> None:
    feats = _candidate("Rebels shelled the town on Monday.", "shelled")
    for head in HEADS:
        probs = model.predict(head, feats)
        assert set(probs) == set(model.heads[head].classes)
        assert abs(sum(probs.values()) - 1.0) < 1e-5
        assert all(0.0 <= p <= 1.0 for p in probs.values())
    assert model.vector([])[0].size == 0  # no known feature: the biases alone


@pytest.mark.parametrize(
    ("sentence", "trigger", "event_type", "root"),
    [
        ("Government troops clashed with rebels near the town.", "clashed", "Battles", "19"),
        (
            "Gunmen abducted 12 villagers overnight.",
            "abducted",
            "Violence against civilians",
            "18",
        ),
        ("The president met the visiting Japanese prime minister.", "met", "", "04"),
    ],
)
def test_shipped_model_types_clear_examples(
    model: EventModel, sentence: str, trigger: str, event_type: str, root: str
) -> None:
    feats = _candidate(sentence, trigger)
    assert _top(model.predict("event_type", feats)) == event_type
    assert _top(model.predict("cameo_root", feats)) == root


def test_cricket_report_is_not_relevant(model: EventModel) -> None:
    typer = EventTyper(model, CODES, ACLED)
    doc = spacy.blank("en")(CRICKET)
    assert typer.relevance(doc) < typer.thresholds["relevant"]
    news = spacy.blank("en")("Rebels attacked an army base in the north, killing 12 soldiers.")
    assert typer.relevance(news) > typer.thresholds["relevant"]


def _stub(
    path: Path,
    roots: dict[str, float],
    types: dict[str, float],
    thresholds: dict[str, float] | None = None,
) -> EventModel:
    """A model whose heads answer by their biases alone (one dummy feature)."""

    def head(scores: dict[str, float]) -> Head:
        classes = tuple(sorted(scores))
        return Head(
            classes,
            np.zeros((1, len(classes)), dtype=np.float32),
            np.log(np.array([scores[c] for c in classes], dtype=np.float32)),
        )

    subs = {s: 1.0 for subs in ACLED.sub_types.values() for s in subs}
    heads = {
        "cameo_root": head(roots),
        "event_type": head(types),
        "sub_event_type": head({**subs, "Armed clash": 5.0, "": 1.0}),
        "relevant": Head(
            ("no", "yes"), np.zeros((1, 1), dtype=np.float32), np.zeros(1, dtype=np.float32)
        ),
    }
    save_model(path, ["w:x"], np.ones(1, dtype=np.float32), heads, {"thresholds": thresholds or {}})
    return load_model(path)


def test_a_confident_model_recodes_the_root_and_plover_follows(tmp_path: Path) -> None:
    # the root head decides only when its threshold is switched on (the shipped one is above 1)
    model = _stub(
        tmp_path / "m.npz",
        {"14": 0.95, "19": 0.05},
        {"Protests": 0.9, "Battles": 0.1},
        {"cameo_root": 0.6},
    )
    typer = EventTyper(model, CODES, ACLED)
    rules = CODES.info("190")
    typed = typer.decide("Crowds clashed outside.", 7, 14, rules, "Battles", "Armed clash")
    assert typed.by_model
    assert typed.info.root == "14" and typed.info.code == "140"
    assert typed.info.plover == CODES.info("140").plover
    assert typed.event_type == "Protests"
    assert typed.sub_event_type in ACLED.sub_types["Protests"]


def test_an_unsure_model_leaves_the_rules(tmp_path: Path) -> None:
    model = _stub(tmp_path / "m.npz", {"14": 0.55, "19": 0.45}, {"Protests": 0.55, "Battles": 0.45})
    typer = EventTyper(model, CODES, ACLED)
    typed = typer.decide("x", 0, 1, CODES.info("190"), "Battles", "Armed clash")
    assert (typed.info.code, typed.event_type, typed.sub_event_type) == (
        "190",
        "Battles",
        "Armed clash",
    )
    assert not typed.by_model


def test_violence_against_armed_targets_is_no_violence_against_civilians(
    tmp_path: Path,
) -> None:
    model = _stub(
        tmp_path / "m.npz",
        {"18": 0.9, "19": 0.1},
        {"Violence against civilians": 0.7, "Battles": 0.3},
    )
    typer = EventTyper(model, CODES, ACLED)
    civilians = typer.decide("x", 0, 1, CODES.info("180"), "", "", frozenset({"civilians"}))
    assert civilians.event_type == "Violence against civilians"
    soldiers = typer.decide("x", 0, 1, CODES.info("180"), "", "", frozenset({"state_military"}))
    assert soldiers.event_type == "Battles"


def test_a_context_model_reads_the_article_lead(
    model: EventModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the shipped model is fitted with the lead's words (round 14); the typer must pass them
    assert model.uses_context
    seen: list[list[str]] = []
    vector = EventModel.vector

    def spy(self: EventModel, features: list[str]) -> Any:
        seen.append(features)
        return vector(self, features)

    monkeypatch.setattr(EventModel, "vector", spy)
    typer = EventTyper(model, CODES, ACLED)
    article = "Taliban fighters attacked a checkpoint in Nad Ali. Two soldiers were killed."
    sentence = "Two soldiers were killed."
    typer.decide(sentence, 18, 24, CODES.info("180"), "", "", frozenset(), article)
    assert "a:checkpoint" in seen[-1] and "w:checkpoint" not in seen[-1]


def test_no_model_means_the_rules_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WIRESTREAM_EVENT_MODEL", "off")
    typer = load_event_typer(CODES)
    assert typer.model is None
    typed = typer.decide("x", 0, 1, CODES.info("190"), "Battles", "Armed clash")
    assert (typed.info.code, typed.event_type) == ("190", "Battles")
    assert typer.relevance(spacy.blank("en")(CRICKET)) == 1.0


def test_model_file_errors_name_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a model")
    with pytest.raises(ConfigError, match=r"bad\.npz"):
        load_model(bad)


def test_acled_types_file_is_checked(tmp_path: Path) -> None:
    path = tmp_path / "acled_types.yaml"
    path.write_text("types:\n  Battles: {violent: true, sub_types: [Armed clash]}\n")
    with pytest.raises(ConfigError, match="unknown key"):
        load_acled_types(path)
    assert load_acled_types().violent == VIOLENT


def test_features_mark_the_trigger() -> None:
    feats = _candidate("Troops shelled the village at dawn.", "shelled")
    assert "t:shelled" in feats and "l:troops" in feats and "r:the" in feats
    assert "tc:shel" in feats
    assert not any(f.startswith("t:") for f in text_features("Troops shelled the village."))
    assert locate("Troops shelled it.", "Shelled") == (7, 14)
    assert locate("Rebels attacked it.", "attacks") == (7, 15)  # another inflection: its stem
    assert locate("Troops shelled it.", "bombed") == (-1, -1)


@pytest.mark.model
def test_extractor_types_a_battle_and_gates_a_cricket_report(
    extract: Callable[..., Extraction],
) -> None:
    battle = extract("Government troops clashed with rebels near Kandahar on Monday.").events
    assert [e.event_type for e in battle if e.factual] == ["Battles"]
    assert battle[0].plover == CODES.info(battle[0].cameo_code).plover
    cricket = extract(CRICKET).events
    assert not [e for e in cricket if e.factual and e.event_type in VIOLENT]
