"""Agreement of a second coder with the training data's coders, on a blind sample.

    python -m pipeline.train.agreement [SECOND.jsonl] [--json]
    python -m pipeline.train.agreement --sample 60 --seed 15 writer-h.jsonl writer-i.jsonl

The second coder saw only the sampled texts (``agreement/coder2.jsonl`` codes 180 lines drawn
with a fixed seed from the three writers' files), never the first coding. ``--sample`` draws
such a sample and prints each line's id and text only, so a coder can code it blind.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from pipeline.train import TRAINING_DIR

SECOND_CODER = TRAINING_DIR / "agreement" / "coder2.jsonl"
FIELDS = ("event_type", "sub_event_type", "cameo_root", "factual", "relevant")
ACTORS = ("actor1", "actor2")


def _read(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _class(actor: Mapping[str, Any] | None) -> str | None:
    if actor is None:
        return None
    # writer-h spells some ACLED classes in the plural ("Rebel groups"): one class, two spellings
    name = str(actor.get("class"))
    return name[:-1] if name in _PLURALS else name


_PLURALS = frozenset({"Rebel groups", "Political militias", "Identity militias"})


def agreement(
    first: Mapping[str, Mapping[str, Any]], second: Iterable[Mapping[str, Any]]
) -> dict[str, Any]:
    """Share of sampled lines on which both codings agree, per field (actors: ACLED class)."""
    lines = list(second)
    missing = [r["id"] for r in lines if r["id"] not in first]
    if missing:
        raise KeyError(f"second coding names lines the first does not have: {missing[:5]}")
    out: dict[str, Any] = {"lines": len(lines)}
    for name in FIELDS:
        out[name] = sum(first[r["id"]][name] == r[name] for r in lines) / max(len(lines), 1)
    for name in ACTORS:
        same = sum(_class(first[r["id"]][name]) == _class(r[name]) for r in lines)
        out[f"{name}_class"] = same / max(len(lines), 1)
    acled = [r for r in lines if first[r["id"]]["event_type"] or r["event_type"]]
    out["acled_lines"] = len(acled)
    out["event_type_on_acled_lines"] = sum(
        first[r["id"]]["event_type"] == r["event_type"] for r in acled
    ) / max(len(acled), 1)
    return out


def first_coding(directory: Path = TRAINING_DIR) -> dict[str, dict[str, Any]]:
    """Every coded line of the writers' files, by id."""
    return {r["id"]: r for p in sorted(directory.glob("writer-*.jsonl")) for r in _read(p)}


def blind_sample(paths: Sequence[Path], size: int, seed: int) -> list[dict[str, str]]:
    """A seeded sample of the files' lines with their id and text only (nothing of the coding)."""
    lines = [r for p in paths for r in _read(p)]
    picked = random.Random(seed).sample(lines, min(size, len(lines)))
    return [{"id": str(r["id"]), "text": str(r["text"])} for r in picked]


def main(argv: Sequence[str] | None = None) -> int:
    """Print the agreement table (or JSON)."""
    p = argparse.ArgumentParser(prog="python -m pipeline.train.agreement", description=__doc__)
    p.add_argument("second", nargs="?", type=Path, default=SECOND_CODER)
    p.add_argument("--json", action="store_true")
    p.add_argument("--sample", type=int, metavar="N", help="print N ids and texts only")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("files", nargs="*", type=Path, help="more files to sample")
    args = p.parse_args(argv)
    if args.sample:
        paths = [f if f.exists() else TRAINING_DIR / f for f in [args.second, *args.files]]
        for row in blind_sample(paths, args.sample, args.seed):
            print(json.dumps(row, ensure_ascii=False))
        return 0
    result = agreement(first_coding(), _read(args.second))
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:28} {value:.3f}" if isinstance(value, float) else f"{key:28} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
