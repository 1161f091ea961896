"""The ``wirestream`` command line; ``parse_args(argv)`` takes its arguments, never sys.argv."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
from pydantic import ValidationError

from pipeline.errors import WirestreamError
from pipeline.train.cli import add_train_arguments
from wirestream import __version__
from wirestream_core.settings import TOPIC_NAMES, Settings

#: ``wirestream eval`` and ``wirestream bench``: packages of a checkout, not of the wheel.
CHECKOUT_PACKAGES = {"eval": "evaluation", "bench": "benchmarks"}
#: Where those packages are when this file runs from a checkout (an editable install).
CHECKOUT = Path(__file__).resolve().parents[1]

LOG_LEVELS = {
    "crit": logging.CRITICAL,
    "error": logging.ERROR,
    "warn": logging.WARNING,
    "info": logging.INFO,
    "debug": logging.DEBUG,
}


def _env_help(field: str) -> str:
    info = Settings.model_fields[field]
    return f"{info.description} [env WIRESTREAM_{field.upper()}]"


def _add_common(p: argparse.ArgumentParser, *, feeds: bool = False) -> None:
    p.add_argument("--broker", help=_env_help("broker"))
    p.add_argument("--topic-prefix", help=_env_help("topic_prefix"))
    p.add_argument("--partitions", type=int, help=_env_help("partitions"))
    if feeds:
        p.add_argument("--feeds", type=Path, help=_env_help("feeds"))
    p.add_argument("--log-level", choices=sorted(LOG_LEVELS), help="Log level (stderr).")
    p.add_argument("-v", "--verbose", action="store_true", help="Same as --log-level info.")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with one sub-command per job."""
    parser = argparse.ArgumentParser(
        prog="wirestream",
        description="Wire-news feeds in; deduplicated articles and coded events out, over Kafka.",
    )
    parser.add_argument("--version", action="version", version=f"wirestream {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser(
        "run", help="Broker (embedded by default), worker and poller in one process; prints events."
    )
    _add_common(p, feeds=True)
    p.add_argument(
        "--until-idle",
        type=float,
        metavar="SECONDS",
        help="Exit once the feeds are drained and nothing moved for SECONDS.",
    )
    p.add_argument("--json", action="store_true", help="Print events as JSON lines.")
    p.add_argument(
        "--data-dir",
        type=Path,
        help="Keep the embedded broker's data here (default: a temporary directory).",
    )
    p.add_argument("--poll-interval", type=float, help=_env_help("poll_interval"))

    p = sub.add_parser(
        "worker", help="A Faust worker (intake, dedup, extract and link agents); needs --broker."
    )
    _add_common(p)
    p.add_argument("--web-port", type=int, help=_env_help("web_port"))
    p.add_argument("--processes", type=int, help=_env_help("extract_processes"))

    p = sub.add_parser("poll", help="The feed poller alone; needs --broker.")
    _add_common(p, feeds=True)
    p.add_argument("--once", action="store_true", help="Poll every feed once, then exit.")

    p = sub.add_parser("tail", help="Print the records of a topic (JSON lines).")
    _add_common(p)
    p.add_argument(
        "topic", metavar="TOPIC", help=f"Short name ({', '.join(TOPIC_NAMES)}) or full topic name."
    )
    p.add_argument("--from-beginning", action="store_true", help="Start at the oldest record.")
    p.add_argument("--pretty", action="store_true", help="One readable line per record.")
    p.add_argument("--max", type=int, metavar="N", help="Stop after N records.")
    p.add_argument(
        "--idle-timeout", type=float, metavar="SECONDS", help="Stop after SECONDS without a record."
    )

    p = sub.add_parser(
        "process", help="Normalise and extract events from text/HTML files, no broker."
    )
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument("--json", action="store_true", help="One JSON object per event per line.")
    p.add_argument(
        "--published",
        help="Publication time (ISO 8601) relative dates resolve against; default: file mtime.",
    )
    p.add_argument("--source", default="", help="Source name to record on the events.")
    p.add_argument(
        "--country",
        help="The outlet's country (ISO alpha-3, e.g. AUS): the story's country when the text "
        "names none.",
    )
    p.add_argument("--model", help=_env_help("spacy_model"))

    p = sub.add_parser("broker", help="Run the embedded Kafka-protocol broker in the foreground.")
    p.add_argument("--port", type=int, default=9092, help="Kafka port on 127.0.0.1 (default 9092).")
    p.add_argument(
        "--data-dir", type=Path, default=Path(".wirestream/broker"), help="Where data lives."
    )

    p = sub.add_parser("topics", help="Create the project's topics (and check partition counts).")
    _add_common(p)

    p = sub.add_parser(
        "eval",
        help="Score a stage on gold data: `eval dedup [PATH] [--json]`, `eval events [PATH]`, "
        "`eval clusters`, `eval agreement FILE`, `eval calibrate [--write]`, "
        "`eval acled EXPORT.csv [--limit N] [--json]`, `eval snippets FILE.tsv`.",
    )
    p.add_argument(
        "stage",
        help="What to score: dedup, events, clusters, agreement, calibrate, offtopic, acled, "
        "acled-identity, snippets.",
    )
    p.add_argument("args", nargs=argparse.REMAINDER, help="Options of that evaluation (--help).")

    p = sub.add_parser(
        "bench", help="Benchmarks: `bench dedup [--sizes N ...] [--json]` (see --help of each)."
    )
    p.add_argument(
        "target", help="What to measure: dedup, extract, link, pages, pipeline, crash, soak."
    )
    p.add_argument("args", nargs=argparse.REMAINDER, help="Options of that benchmark (--help).")

    p = sub.add_parser(
        "deadletters",
        help="Dead letters: `deadletters list` shows them, `deadletters replay` re-submits them "
        "to their original topic after a fix (each at most once).",
    )
    p.add_argument("action", choices=("list", "replay"), help="What to do.")
    _add_common(p)
    p.add_argument("--stage", help="Only dead letters of this stage (intake, dedup, extract...).")
    p.add_argument(
        "--since",
        metavar="T",
        help="Only those that failed at or after T: ISO 8601 (UTC by default) or 30m, 6h, 2d.",
    )
    p.add_argument(
        "--dry-run", action="store_true", help="replay: show what would be re-submitted, send none."
    )
    p.add_argument("--json", action="store_true", help="list: one JSON object per dead letter.")

    p = sub.add_parser(
        "train",
        help="Fit the event-type model from coded JSONL (and your own ACLED export): "
        "`train [FILE ...] [--acled CSV] [--out PATH] [--cv] [--verbal]` (see --help).",
    )
    add_train_arguments(p)

    p = sub.add_parser("schema", help="Check or regenerate the JSON Schema files in schemas/json/.")
    p.add_argument(
        "--write", action="store_true", help="Rewrite files that drifted from the records."
    )
    p.add_argument(
        "--check-compat",
        action="store_true",
        help="Fail if schemas/json would break a subscriber of the last release "
        "(schemas/json/released/) without a schema_version bump and a Changelog entry.",
    )
    p.add_argument(
        "--release",
        metavar="VERSION",
        help="At release time: make the current files the released ones (schemas/json/released/).",
    )
    return parser


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse ``argv`` (default: sys.argv[1:])."""
    return build_parser().parse_args(argv)


_SETTING_FLAGS = {
    "broker": "broker",
    "topic_prefix": "topic_prefix",
    "partitions": "partitions",
    "feeds": "feeds",
    "poll_interval": "poll_interval",
    "web_port": "web_port",
    "processes": "extract_processes",
    "model": "spacy_model",
}


def settings_from_args(args: argparse.Namespace) -> Settings:
    """Settings from defaults, then the environment, then the flags given."""
    overrides: dict[str, Any] = {
        field: getattr(args, flag)
        for flag, field in _SETTING_FLAGS.items()
        if getattr(args, flag, None) is not None
    }
    if overrides.get("web_port"):
        overrides["web_enabled"] = True
    return Settings(**overrides)


def _loglevel(args: argparse.Namespace, default: str) -> str:
    level: str = getattr(args, "log_level", None) or (
        "info" if getattr(args, "verbose", False) else default
    )
    return level


def _need_broker(settings: Settings, command: str) -> None:
    if not settings.broker:
        raise WirestreamError(
            f"`wirestream {command}` needs a broker: pass --broker kafka://HOST:PORT or set "
            "WIRESTREAM_BROKER (or use `wirestream run`, which starts an embedded one)"
        )


def _published_of(path: Path, given: str | None) -> datetime:
    if given:
        value = datetime.fromisoformat(given.replace("Z", "+00:00"))
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.fromtimestamp(path.stat().st_mtime, UTC)


def cmd_process(args: argparse.Namespace) -> int:
    """Run normalise + extract on files and print the events."""
    from pipeline.extract import ArticleText, Extractor
    from pipeline.ids import stable_hash
    from pipeline.normalise.html import article_from_html
    from pipeline.normalise.text import clean_text
    from wirestream.display import format_event

    settings = Settings(**({"spacy_model": args.model} if args.model else {}))
    extractor = Extractor(settings.spacy_model, max_chars=settings.max_text_chars)
    articles = []
    for path in args.files:
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise WirestreamError(f"cannot read {path}: {exc.strerror}") from exc
        text = raw.decode("utf-8", errors="replace")
        title = ""
        if path.suffix.lower() in (".html", ".htm") or text.lstrip()[:1] == "<":
            title, text = article_from_html(text)
        articles.append(
            ArticleText(
                article_id="f" + stable_hash("file", str(path.resolve())),
                text=clean_text(text),
                published=_published_of(path, args.published),
                source=args.source,
                url=path.resolve().as_uri(),
                title=title,
                home_country=args.country.upper() if args.country else None,
            )
        )
    for path, extraction in zip(args.files, extractor.extract_many(articles), strict=True):
        if not args.json:
            print(
                f"# {path}: {len(extraction.events)} event(s), {extraction.sentences} sentence(s)"
            )
        for event in extraction.events:
            if args.json:
                sys.stdout.write(event.to_json_bytes().decode() + "\n")
            else:
                print(format_event(event.to_dict()))
    return 0


def cmd_schema_compat(args: argparse.Namespace) -> int:
    """``schema --check-compat`` and ``schema --release VERSION``."""
    from schemas import compat

    if args.release:
        count = compat.snapshot(args.release)
        print(f"released {count} schema file(s) as {args.release} in {compat.RELEASED_DIR}")
        return 0
    report = compat.check()
    for change in report.changes:
        print(change)
    for problem in report.problems:
        print(f"error: {problem}", file=sys.stderr)
    if report.ok:
        print(
            f"compatible with release {report.release} (schema_version "
            f"{report.released_version} -> {report.current_version}; "
            f"{len(report.breaking)} breaking, "
            f"{len(report.changes) - len(report.breaking)} additive change(s))"
        )
    return 0 if report.ok else 1


async def _deadletters(args: argparse.Namespace, settings: Settings) -> int:
    from agents import replay
    from agents.topics import ensure_topics

    await ensure_topics(settings)
    since = replay.parse_since(args.since) if args.since else None
    letters = await replay.read_letters(settings)
    replays = await replay.read_replays(settings)
    chosen = replay.select(letters, replays, stage=args.stage, since=since)
    if args.action == "list":
        marks = {item.id: marker for item, marker in chosen.already}
        shown = sorted(
            [*chosen.to_replay, *marks_of(chosen.already), *marks_of(chosen.unreplayable)],
            key=lambda item: item.letter.failed_at,
        )
        for item in shown:
            if args.json:
                row = {"id": item.id, **item.letter.to_dict()}
                row["replayed"] = marks[item.id].to_dict() if item.id in marks else None
                print(orjson.dumps(row).decode())
            else:
                print(replay.describe(item, marks.get(item.id)))
        print(
            f"{len(shown)} dead letter(s): {len(chosen.to_replay)} to replay, "
            f"{len(chosen.already)} replayed, {len(chosen.unreplayable)} not replayable",
            file=sys.stderr,
        )
        return 0
    verb = "would replay" if args.dry_run else "replayed"
    done = [] if args.dry_run else await replay.replay(settings, chosen.to_replay)
    for item in chosen.to_replay:
        print(f"{verb} {item.id} -> {item.letter.topic} key={item.letter.key}")
    for item, reason in chosen.unreplayable:
        print(f"cannot replay {item.id}: {reason}", file=sys.stderr)
    print(
        f"{verb} {len(chosen.to_replay if args.dry_run else done)} dead letter(s); "
        f"{len(chosen.already)} already replayed before, {len(chosen.unreplayable)} not replayable",
        file=sys.stderr,
    )
    return 0


def marks_of(pairs: Sequence[tuple[Any, Any]]) -> list[Any]:
    """The first items of pairs (the dead letters of a selection's split)."""
    return [item for item, _ in pairs]


async def _tail(args: argparse.Namespace, settings: Settings) -> int:
    from agents.tail import resolve_topic, tail
    from wirestream.display import format_record

    topic = resolve_topic(settings, args.topic)
    count = 0
    async for _key, value in tail(
        settings,
        topic,
        start="beginning" if args.from_beginning else "end",
        idle_timeout=args.idle_timeout,
    ):
        if args.pretty:
            print(format_record(args.topic, value), flush=True)
        else:
            print(
                orjson.dumps(value).decode()
                if not isinstance(value, bytes)
                else value.decode("utf-8", "replace"),
                flush=True,
            )
        count += 1
        if args.max is not None and count >= args.max:
            break
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``wirestream`` console script."""
    args = parse_args(argv)
    level = _loglevel(args, "warn")
    logging.basicConfig(
        level=LOG_LEVELS[level],
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    try:
        return _dispatch(args, level)
    except (WirestreamError, ValidationError, LookupError) as exc:
        print(f"wirestream {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `wirestream tail events | head`: the reader left; that is not an error.
        sys.stderr.close()
        return 0


def checkout_commands(
    command: str, *, checkout: Path = CHECKOUT
) -> Mapping[str, Callable[[Sequence[str]], int]]:
    """The sub-commands of ``wirestream eval`` or ``bench``, from the checkout's ``evaluation/``
    or ``benchmarks/`` package; an installed wheel has neither, and says so."""
    package = CHECKOUT_PACKAGES[command]
    if (checkout / package / "commands.py").is_file() and str(checkout) not in sys.path:
        # The console script does not put the checkout on sys.path; its editable install
        # maps only the runtime packages.
        sys.path.insert(0, str(checkout))
    try:
        if command == "eval":
            from evaluation.commands import COMMANDS
        else:
            from benchmarks.commands import COMMANDS
    except ModuleNotFoundError as exc:
        if exc.name not in (package, f"{package}.commands"):
            raise
        raise WirestreamError(
            f"`wirestream {command}` runs from a checkout of wirestream: its `{package}/` "
            "package is not installed with the wheel (clone the repository, `make "
            f".venv/bin/.installed`, then `.venv/bin/wirestream {command} ...` there)"
        ) from None
    return COMMANDS


def _dispatch(args: argparse.Namespace, level: str) -> int:
    from wirestream import runner
    from wirestream_core.kafka_compat import install_fetch_backoff, install_stale_abort_guard

    install_fetch_backoff(Settings().fetch_idle_backoff)
    install_stale_abort_guard()

    if args.command == "process":
        return cmd_process(args)
    if args.command in ("eval", "bench"):
        commands = checkout_commands(args.command)
        name = args.stage if args.command == "eval" else args.target
        if name not in commands:
            raise WirestreamError(f"no such {args.command}: {name} (one of {', '.join(commands)})")
        return commands[name](args.args)
    if args.command == "train":
        from pipeline.train.cli import run as train

        return train(args)
    if args.command == "schema":
        from schemas.jsonschema import expected_files, write_files

        if args.check_compat or args.release:
            return cmd_schema_compat(args)
        if args.write:
            for path in write_files():
                print(f"wrote {path}")
            return 0
        stale = [
            str(p)
            for p, content in expected_files().items()
            if not p.exists() or p.read_bytes() != content
        ]
        if stale:
            print(
                "out of date (run `wirestream schema --write`): " + ", ".join(stale),
                file=sys.stderr,
            )
            return 1
        print("schemas/json is up to date")
        return 0
    if args.command == "broker":
        import signal

        from wirestream.broker import EmbeddedBroker

        def stop(signum: int, frame: object) -> None:
            raise KeyboardInterrupt  # run the context manager's exit: stop the broker cleanly

        signal.signal(signal.SIGTERM, stop)
        with EmbeddedBroker(args.data_dir, port=args.port) as broker:
            print(
                f"embedded broker ready: {broker.url} (data in {broker.data_dir}); Ctrl-C stops it",
                flush=True,
            )
            try:
                while broker.running:
                    import time

                    time.sleep(1)
            except KeyboardInterrupt:
                pass
        return 0
    settings = settings_from_args(args)
    if args.command == "run":
        return runner.run_all(
            settings,
            until_idle=args.until_idle,
            as_json=args.json,
            persist=args.data_dir,
            loglevel=level,
        )
    _need_broker(settings, args.command)
    if args.command == "worker":
        return runner.run_worker(settings, loglevel=_loglevel(args, "info"))
    if args.command == "poll":
        return asyncio.run(runner.poll_forever(settings, once=args.once))
    if args.command == "tail":
        return asyncio.run(_tail(args, settings))
    if args.command == "deadletters":
        return asyncio.run(_deadletters(args, settings))
    if args.command == "topics":
        from agents.topics import ensure_topics, topic_specs

        asyncio.run(ensure_topics(settings))
        for spec in topic_specs(settings):
            print(
                f"{spec.name}\t{spec.partitions} partitions\t"
                + ("compact" if spec.compacted else "delete")
            )
        return 0
    raise AssertionError(args.command)


if __name__ == "__main__":
    sys.exit(main())
