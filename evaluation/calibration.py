"""Whether a confidence means what it says: reliability bins, calibration error, thresholds.

A consumer filters events by ``confidence`` (and actors and places by theirs), so the number must
track how often the field is right. Each scored item is a (confidence, correct) pair; bins of
confidence give the observed accuracy beside the mean confidence, the expected calibration error
(ECE) is their weighted gap, and each threshold gives what a consumer keeping only items at or
above it would get: how many are kept and how many of those are right.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

#: Bin edges of the reliability table; the last bin holds 0.9 up to and including 1.0.
EDGES: tuple[float, ...] = (0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)
#: The confidence floors a consumer is likely to filter on.
THRESHOLDS: tuple[float, ...] = (0.5, 0.6, 0.7, 0.8)


@dataclass
class Reliability:
    """(confidence, correct) pairs of one field, and what they say about its calibration."""

    items: list[tuple[float, bool]] = field(default_factory=list)

    def add(self, confidence: float, correct: bool) -> None:
        """Record one scored item."""
        self.items.append((min(max(confidence, 0.0), 1.0), correct))

    def bins(self, edges: Sequence[float] = EDGES) -> list[dict[str, float | int]]:
        """Non-empty bins: their edges, size, mean confidence and observed accuracy."""
        out: list[dict[str, float | int]] = []
        for i, (low, high) in enumerate(pairwise(edges)):
            last = i == len(edges) - 2
            inside = [(c, ok) for c, ok in self.items if low <= c < high or (last and c == high)]
            if inside:
                out.append(
                    {
                        "low": low,
                        "high": high,
                        "n": len(inside),
                        "mean_confidence": sum(c for c, _ in inside) / len(inside),
                        "accuracy": sum(ok for _, ok in inside) / len(inside),
                    }
                )
        return out

    def ece(self, edges: Sequence[float] = EDGES) -> float:
        """Expected calibration error: the bins' |accuracy - mean confidence|, weighted by size."""
        total = len(self.items)
        if not total:
            return 0.0
        return sum(
            int(b["n"]) / total * abs(float(b["accuracy"]) - float(b["mean_confidence"]))
            for b in self.bins(edges)
        )

    def at(self, threshold: float) -> dict[str, float | int]:
        """Items with confidence >= threshold: how many, their share of all, and their accuracy."""
        kept = [ok for c, ok in self.items if c >= threshold]
        total = len(self.items)
        return {
            "threshold": threshold,
            "kept": len(kept),
            "kept_share": len(kept) / total if total else 0.0,
            "correct": sum(kept),
            "accuracy": sum(kept) / len(kept) if kept else 0.0,
        }

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: size, accuracy, ECE, bins and thresholds, rates rounded to 4 places."""
        n = len(self.items)

        def rounded(row: dict[str, float | int]) -> dict[str, float | int]:
            return {k: round(v, 4) if isinstance(v, float) else v for k, v in row.items()}

        return {
            "n": n,
            "accuracy": round(sum(ok for _, ok in self.items) / n, 4) if n else 0.0,
            "ece": round(self.ece(), 4),
            "bins": [rounded(b) for b in self.bins()],
            "thresholds": [rounded(self.at(t)) for t in THRESHOLDS],
        }


def format_calibration(fields: dict[str, Reliability], what: dict[str, str]) -> list[str]:
    """One block per field: the reliability bins, then what each threshold keeps."""
    lines = ["Confidence calibration (bins: n, mean confidence → observed accuracy)"]
    for name, rel in fields.items():
        d = rel.to_dict()
        head = f"{name}: n={d['n']}, accuracy {d['accuracy']:.3f}, ECE {d['ece']:.3f}"
        lines.append(f"{head} ({what[name]})" if name in what else head)
        for b in d["bins"]:
            lines.append(
                f"  [{b['low']:.1f}, {b['high']:.1f}{']' if b['high'] == 1.0 else ')'}"
                f"{b['n']:>6}  {b['mean_confidence']:.3f} → {b['accuracy']:.3f}"
            )
        kept = ", ".join(
            f">= {t['threshold']:.1f}: {t['kept']} kept, {t['accuracy']:.3f} right"
            for t in d["thresholds"]
        )
        lines.append(f"  {kept}")
    return lines
