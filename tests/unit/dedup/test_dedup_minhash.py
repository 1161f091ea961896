"""Shingles and signatures: normalised input, deterministic output, sound estimates."""

from __future__ import annotations

import subprocess
import sys

import numpy as np

from pipeline.dedup.config import DedupConfig
from pipeline.dedup.minhash import band_keys, shingles, signature, similarity, words

FIXED_TEXT = (
    "The quick brown fox jumps over the lazy dog near the river bank while the farmer "
    "watches from the old wooden fence and the children play in the field"
)
#: The first values of FIXED_TEXT's signature under the default config. If this changes,
#: every stored entry is incomparable: bump SIGNATURE_VERSION in pipeline/dedup/config.py.
FIXED_PREFIX = [31021, 13618, 56300, 55628, 17186, 25642, 49720, 60844]


def test_words_are_case_folded_without_punctuation_or_boilerplate_lines() -> None:
    text = "BEIRUT — The army “retook” Sakhour.\n\nSource: Nam News Network"
    assert words(text) == ["beirut", "the", "army", "retook", "sakhour"]
    assert words("one two three four", max_words=2) == ["one", "two"]


def test_shingles_are_runs_of_words() -> None:
    assert shingles("A b, C d!", 2) == {b"a b", b"b c", b"c d"}
    assert shingles("Two words", 3) == {b"two words"}
    assert shingles(" ... ", 2) == set()


def test_signature_is_compact_and_fixed() -> None:
    sig = signature(FIXED_TEXT, DedupConfig())
    assert sig.dtype == np.uint16 and sig.shape == (128,)
    assert sig[:8].tolist() == FIXED_PREFIX
    assert not sig.flags.writeable


def test_signature_is_the_same_in_another_process() -> None:
    code = (
        "from pipeline.dedup.config import DedupConfig\n"
        "from pipeline.dedup.minhash import signature\n"
        f"print(signature({FIXED_TEXT!r}, DedupConfig()).tolist())\n"
    )
    # A different hash seed would expose any use of Python's salted hash().
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True,
        env={"PYTHONHASHSEED": "12345", "PATH": ""},
    )  # fmt: skip
    assert out.stdout.strip() == str(signature(FIXED_TEXT, DedupConfig()).tolist())


def test_similarity_estimates_jaccard() -> None:
    config = DedupConfig()
    base = [f"w{i}" for i in range(400)]
    for changed in (0, 40, 120):
        other = base[: 400 - changed] + [f"x{i}" for i in range(changed)]
        a, b = shingles(" ".join(base), 2), shingles(" ".join(other), 2)
        true = len(a & b) / len(a | b)
        estimate = similarity(signature(" ".join(base), config), signature(" ".join(other), config))
        assert abs(estimate - true) < 0.12
    assert similarity(signature(FIXED_TEXT, config), signature(FIXED_TEXT, config)) == 1.0


def test_band_keys_differ_by_band_and_are_stable() -> None:
    sig = np.zeros((1, 128), dtype=np.uint16)  # every band holds the same values
    keys = band_keys(sig, 25, 5)
    assert keys.shape == (1, 25)
    assert len(set(keys[0].tolist())) == 25
    assert band_keys(sig, 25, 5).tolist() == keys.tolist()
