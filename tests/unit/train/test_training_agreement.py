"""The second coder's blind sample of the training data, and the agreement arithmetic."""

from __future__ import annotations

from pipeline.train import TRAINING_DIR
from pipeline.train.agreement import SECOND_CODER, _read, agreement, blind_sample, first_coding


def _line(id_: str, event_type: str, actor_class: str | None) -> dict[str, object]:
    actor = None if actor_class is None else {"text": "x", "class": actor_class}
    return {
        "id": id_,
        "event_type": event_type,
        "sub_event_type": "",
        "cameo_root": "19" if event_type else "",
        "factual": True,
        "relevant": bool(event_type),
        "actor1": actor,
        "actor2": None,
    }


def test_agreement_counts_each_field() -> None:
    first = {"a": _line("a", "Battles", "State forces"), "b": _line("b", "", None)}
    second = [_line("a", "Riots", "State forces"), _line("b", "", None)]
    result = agreement(first, second)
    assert result["lines"] == 2
    assert result["event_type"] == 0.5
    assert result["actor1_class"] == 1.0
    assert result["acled_lines"] == 1 and result["event_type_on_acled_lines"] == 0.0


def test_the_shipped_sample_codes_lines_of_the_shipped_data() -> None:
    second = _read(SECOND_CODER)
    result = agreement(first_coding(), second)
    assert result["lines"] == len({r["id"] for r in second}) == 180
    # two coders of one convention agree far above chance on the type
    assert result["event_type"] > 0.8


def test_the_writer_g_recoding_codes_lines_of_writer_g() -> None:
    second = _read(SECOND_CODER.parent / "coder2-g.jsonl")
    assert len(second) == 80 and all(str(r["id"]).startswith("wg-") for r in second)
    result = agreement(first_coding(), second)
    # a re-coding by the writer is a consistency check: anything lower flags a coding slip
    assert result["event_type"] > 0.9 and result["sub_event_type"] > 0.9


def test_the_blind_sample_carries_texts_only_and_is_seeded() -> None:
    files = [TRAINING_DIR / "writer-h.jsonl", TRAINING_DIR / "writer-i.jsonl"]
    sample = blind_sample(files, 60, seed=15)
    assert len(sample) == 60 and all(set(r) == {"id", "text"} for r in sample)
    assert sample == blind_sample(files, 60, seed=15)
    assert sample != blind_sample(files, 60, seed=16)


def test_the_writer_h_i_second_coding_is_the_seeded_sample() -> None:
    second = _read(SECOND_CODER.parent / "coder2-hi.jsonl")
    files = [TRAINING_DIR / "writer-h.jsonl", TRAINING_DIR / "writer-i.jsonl"]
    assert [r["id"] for r in second] == [r["id"] for r in blind_sample(files, 60, seed=15)]
    result = agreement(first_coding(), second)
    assert result["event_type"] > 0.8


def test_plural_spellings_of_a_class_agree() -> None:
    first = {"a": _line("a", "Battles", "Rebel groups")}
    assert agreement(first, [_line("a", "Battles", "Rebel group")])["actor1_class"] == 1.0
