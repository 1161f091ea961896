"""Settings of the near-duplicate index: thresholds, MinHash size, shingles, LSH bands, window."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache

from pipeline.errors import ConfigError
from pipeline.ids import stable_hash

#: Bumped whenever text normalisation or signature computation changes, so that entries
#: stored by an older version are recognised as incomparable (see ``DedupConfig.sketch_id``).
SIGNATURE_VERSION = 1


@dataclass(frozen=True)
class DedupConfig:
    """How articles are compared. Every field that changes signatures changes ``sketch_id``."""

    threshold: float = 0.8
    """Estimated Jaccard similarity of word shingles at or above which an article is a copy."""
    cluster_threshold: float = 0.5
    """Similarity at or above which (and below ``threshold``) an article joins a story cluster.
    Measured on the eval corpus: different stories reach 0.44 (two pages sharing site
    furniture), rewrites of one story 0.35-0.47, trimmed or extended versions 0.49-0.84;
    0.5 stays above every different-story pair (evaluation/README.md)."""
    containment_threshold: float = 0.85
    """Estimated share of the shorter text's shingles found in the longer one at or above which
    (with ``containment_floor``) the shorter is a trimmed copy, or the longer an extended one.
    Below the issue's 0.9 because the estimate (from two MinHash Jaccards and set sizes) has
    a spread of ~0.08 at a 50% trim; copies verified as in ``verify`` (evaluation/README.md)."""
    containment_floor: float = 0.3
    """Least similarity for a containment match: below it the size estimate is too noisy."""
    containment_min_shingles: int = 60
    """Containment is only tested when the shorter text has this many distinct shingles
    (about as many words): on short texts (two-sentence reports) the estimate is too coarse,
    and two templated reports of different events pass it (evaluation/README.md)."""
    candidate_threshold: float = 0.25
    """Similarity the LSH is tuned for (datasketch's choice: 42 bands of 3 rows at 128
    permutations): a copy trimmed by half (similarity about 0.5, less after edits) becomes a
    candidate with probability 0.99; with 25 bands of 5 (tuned for 0.5) only 0.55."""
    verify: bool = True
    """Reject a near-duplicate candidate that changes a place, number, date or name
    (``pipeline.dedup.salient``): a templated report of another event, not a copy."""
    num_perm: int = 128
    """MinHash permutations. 128 rather than 64: the estimate's spread at J=0.8 is 0.035
    instead of 0.05; recall on copies at J 0.8-0.9 is 0.95 against 0.93 with 64."""
    shingle_size: int = 2
    """Words per shingle, on case-folded, punctuation-free text without boilerplate lines.
    Measured: 2 and 3 separate copies from different stories equally well (the 1% quantile of
    copies minus the closest different stories is 0.33 for both), but with 2 an edit touches
    fewer shingles, so recall at threshold 0.8 is 0.97 instead of 0.93."""
    window: timedelta = timedelta(days=7)
    """Entries expire this long after their publication time."""
    min_shingles: int = 20
    """Texts with fewer distinct shingles (a headline, a one-line summary) are matched by
    exact fingerprint only: one changed word moves a 10-shingle set's Jaccard by ~0.3."""
    max_words: int = 10_000
    """Only the first this many words are shingled; bounds the cost of pathological pages."""
    seed: int = 1
    """Seed of the MinHash permutations. Every process must use the same one."""
    lsh_weights: tuple[float, float] = (0.5, 0.5)
    """(false positive, false negative) weights for datasketch's choice of bands and rows."""
    bands: int | None = None
    """LSH bands; with ``rows``, overrides the choice made for ``candidate_threshold``."""
    rows: int | None = None
    """Signature values per LSH band; see ``bands``."""
    _params: tuple[int, int] = field(init=False, repr=False, compare=False)
    _sketch: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not 0.0 < self.cluster_threshold <= self.threshold <= 1.0:
            raise ConfigError(
                "dedup: need 0 < cluster_threshold <= threshold <= 1, got "
                f"{self.cluster_threshold} and {self.threshold}"
            )
        if not 0.0 < self.candidate_threshold <= 1.0 or not 0.0 < self.containment_floor <= 1.0:
            raise ConfigError("dedup: candidate_threshold and containment_floor must be in (0, 1]")
        if not 0.5 <= self.containment_threshold <= 1.0:
            raise ConfigError(
                f"dedup: containment_threshold must be in 0.5..1, got {self.containment_threshold}"
            )
        if not 16 <= self.num_perm <= 1024:
            raise ConfigError(f"dedup: num_perm must be in 16..1024, got {self.num_perm}")
        if not 1 <= self.shingle_size <= 10:
            raise ConfigError(f"dedup: shingle_size must be in 1..10, got {self.shingle_size}")
        if self.min_shingles < 1 or self.max_words < self.shingle_size:
            raise ConfigError("dedup: min_shingles must be >= 1 and max_words >= shingle_size")
        if self.window <= timedelta(0):
            raise ConfigError(f"dedup: window must be positive, got {self.window}")
        if (self.bands is None) != (self.rows is None):
            raise ConfigError("dedup: give both bands and rows, or neither")
        if self.bands is not None and self.rows is not None:
            if self.bands < 1 or self.rows < 1 or self.bands * self.rows > self.num_perm:
                raise ConfigError(
                    f"dedup: bands*rows must be in 1..num_perm, got {self.bands}*{self.rows}"
                )
            params = (self.bands, self.rows)
        else:
            tuned = min(self.cluster_threshold, self.candidate_threshold)
            params = lsh_params(tuned, self.num_perm, self.lsh_weights)
        object.__setattr__(self, "_params", params)
        parts = (SIGNATURE_VERSION, self.num_perm, self.seed, self.shingle_size, self.max_words)
        object.__setattr__(
            self, "_sketch", int(stable_hash("sketch", *map(str, parts), length=8), 16)
        )

    @property
    def lsh(self) -> tuple[int, int]:
        """(bands, rows) of the LSH index."""
        return self._params

    @property
    def sketch_id(self) -> int:
        """32-bit id of everything that determines a signature; entries must share it to compare."""
        return self._sketch


@cache
def lsh_params(threshold: float, num_perm: int, weights: tuple[float, float]) -> tuple[int, int]:
    """Bands and rows that datasketch's optimiser picks for ``threshold`` and ``num_perm``.

    The LSH is tuned for the cluster threshold, not the duplicate one: datasketch's choice for
    0.8 (9 bands of 13 rows at 128 permutations) finds a pair at J=0.8 only 40% of the time,
    while the choice for 0.5 (25 bands of 5) finds it with probability 0.9999; every
    candidate is then scored on its full signature.
    """
    from datasketch import MinHashLSH  # scipy import is slow; pay it only when tuning

    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm, weights=weights)
    return int(lsh.b), int(lsh.r)
