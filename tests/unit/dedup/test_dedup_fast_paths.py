"""The cheaper code paths of dedup give exactly what the straightforward ones gave."""

from __future__ import annotations

import unicodedata

import numpy as np
import pytest
from datasketch import MinHash

from pipeline.dedup import table as key_table
from pipeline.dedup.config import DedupConfig
from pipeline.dedup.minhash import _permutations, shingles, signature_of, words, words_of_core
from pipeline.dedup.salient import salient_core, salient_of
from pipeline.ids import stable_hash
from pipeline.normalise.text import _fingerprint_char, fingerprint, strip_boilerplate

TEXTS = [
    "",
    "Turkish forces shelled Maraanaz and surrounding areas on 3 May 2020, killing two civilians.",
    "Protesters gathered outside the Fransabank building in Beirut.\n\nSource: Reuters",
    "« Les manifestants » — 1,013.00 dinars; ٣ عشرة ½ देवनागरी 中文 e\u0301 x_y",
]


def test_signature_is_datasketch_affine32_minhash() -> None:
    config = DedupConfig()
    for text in TEXTS:
        shingle_set = shingles(text, config.shingle_size)
        mh = MinHash(
            num_perm=config.num_perm,
            seed=config.seed,
            permutations=_permutations(config.num_perm, config.seed),
            scheme="affine32",
        )
        mh.update_batch(list(shingle_set))
        expected = (mh.hashvalues & 0xFFFF).astype(np.uint16)
        assert np.array_equal(signature_of(shingle_set, config), expected)


def test_fingerprint_keeps_letters_digits_and_marks_exactly() -> None:
    chars = "".join(chr(c) for c in range(0, 0x3100) if not 0xD800 <= c < 0xE000)
    for text in [*TEXTS, chars]:
        core = unicodedata.normalize("NFKC", strip_boilerplate(text)).casefold()
        letters = "".join(c for c in core if _fingerprint_char(c))
        assert fingerprint(text) == (stable_hash("fingerprint", letters) if letters else "")


def test_text_normalised_once_gives_the_same_words_and_salient_rows() -> None:
    for text in TEXTS:
        core = salient_core(text)
        assert words_of_core(core, 50) == words(text, 50)
        assert np.array_equal(salient_of(text, 50, core=core), salient_of(text, 50))


def test_one_articles_keys_go_in_and_out_as_a_batch_does(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(3)
    keys = rng.integers(0, 1 << 63, 40, dtype=np.uint64)
    keys[5] = keys[6]  # one key with two rows
    rows = np.arange(40, dtype=np.int32)
    tiny, bulk = key_table.KeyTable(64), key_table.KeyTable(64)
    tiny.insert(keys, rows)
    tiny.insert(keys[:3], rows[:3])  # the same pairs again: stored twice, as documented
    bulk._place_chunk((keys & key_table._LOW32).astype(np.uint32), rows)  # the batch path
    bulk._place_chunk((keys[:3] & key_table._LOW32).astype(np.uint32), rows[:3])
    assert len(tiny) == len(bulk)

    def pairs(table: key_table.KeyTable) -> list[tuple[int, int]]:
        idx, found = table.lookup(keys)
        return sorted(zip(idx.tolist(), found.tolist(), strict=True))

    assert pairs(tiny) == pairs(bulk)
    with monkeypatch.context() as patch:
        patch.setattr(key_table, "_TINY", 0)  # the batch lookup
        assert pairs(tiny) == pairs(bulk)
    assert tiny.remove(keys[:10], rows[:10]) == bulk.remove(keys[:10], rows[:10])
    assert pairs(tiny) == pairs(bulk)


def _sample_texts() -> list[str]:
    import json
    from pathlib import Path

    path = Path(__file__).parents[2] / "data" / "neardup-sample.jsonl"
    with path.open(encoding="utf-8") as f:
        return [str(json.loads(line)["text"]) for line in f][:60]


def test_signatures_from_joined_digests_equal_one_digest_at_a_time() -> None:
    from pipeline.dedup.minhash import _sha1_32, _sha1_32_all

    config = DedupConfig()
    for text in [*TEXTS, *_sample_texts()]:
        values = list(shingles(text, config.shingle_size))
        expected = np.array([_sha1_32(v) for v in values], dtype=np.uint32)
        assert np.array_equal(_sha1_32_all(values), expected)
