"""Candidates the rules find where nothing happened: the model's ``none`` class.

Two sources, both the project's own: the texts the coders marked ``relevant: false`` (sports,
business, entertainment, disasters: "crushed her opponent", "struck in the final bout"), and the
gold's **dev** halves, where a candidate whose trigger overlaps no coded item (fact or not) is a
false alarm of the rules. Regenerate after changing the rules or the data:

    python -m pipeline.train.negatives [--out pipeline/extract/data/training/mined-none.jsonl]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from pipeline.train import TRAINING_DIR
from pipeline.train.gold import read_gold, select, shipped_gold

OUT = TRAINING_DIR / "mined-none.jsonl"


def _candidates(texts: list[str]) -> list[list[tuple[int, int, str]]]:
    """The rules' candidates of each text alone: (start, end, trigger) — the rules, not a model,
    so mining never feeds on its own output."""
    os.environ["WIRESTREAM_EVENT_MODEL"] = "off"
    from pipeline.extract import ArticleText, Extractor

    extractor = Extractor()
    found = extractor.extract_many([ArticleText(f"m{i}", t) for i, t in enumerate(texts)])
    return [
        sorted({(e.trigger.start, e.trigger.end, e.trigger.text) for e in x.events}) for x in found
    ]


def mine(training: Sequence[Path]) -> list[dict[str, object]]:
    """The mined records, in the training JSONL format with ``"event": false``."""
    rows: list[tuple[str, str, bool, list[tuple[int, int]]]] = []  # id, text, relevant, coded
    for path in training:
        for line in path.read_text(encoding="utf-8").splitlines():
            raw = json.loads(line) if line.strip() else None
            if raw and raw.get("relevant") is False:
                rows.append((str(raw["id"]), str(raw["text"]), False, []))
    for gold in shipped_gold():
        for record in select(read_gold(gold), "dev"):
            coded = [(i.start, i.end) for i in (*record.events, *record.nonfactual)]
            rows.append((f"gold-dev:{record.id}", record.text, True, coded))
    out: list[dict[str, object]] = []
    for (rid, text, relevant, coded), cands in zip(
        rows, _candidates([r[1] for r in rows]), strict=True
    ):
        for start, end, trigger in cands:
            if any(start < e and end > s for s, e in coded):
                continue
            out.append(
                {
                    "id": f"{rid}@{start}",
                    "text": text,
                    "trigger": trigger,
                    "event": False,
                    "event_type": "",
                    "sub_event_type": "",
                    "cameo_root": "",
                    # the gold's sentences do not train relevance (``examples.Example``)
                    "relevant": None if relevant else False,
                    "style": "mined-gold-dev" if relevant else "mined-offtopic",
                }
            )
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Write the mined file."""
    parser = argparse.ArgumentParser(prog="python -m pipeline.train.negatives", description=__doc__)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    sources = sorted(p for p in TRAINING_DIR.glob("*.jsonl") if p.resolve() != args.out.resolve())
    records = mine(sources)
    with args.out.open("w", encoding="utf-8") as fh:
        for record in records:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"wrote {len(records)} candidates to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
