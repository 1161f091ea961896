"""Coded examples for the event-type model, read from the formats the project meets.

* JSONL written by the project's coders (``pipeline/extract/data/training/``): one sentence each,
  its trigger, ACLED type and sub-type, CAMEO root and ``relevant`` (false for sports, business,
  entertainment text).
* The dev halves of the hand-coded gold (``tests/data/eval/events-gold*.jsonl``): ACLED types
  follow from each CAMEO code through ``cameo.yaml``. Test halves are never read here.
* An ACLED export (CSV with ``notes``, ``event_type``, ``sub_event_type``): only for users who hold
  an ACLED licence and fit their own model; the shipped model never sees one.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.errors import ConfigError
from pipeline.extract.lexicon import CodeTable, load_code_table
from pipeline.train.gold import GoldItem, read_gold, select

NONE = "none"
"""The root-head class of a candidate that is no event at all."""
# Actor-code suffixes (CAMEO) of state actors: their acts take ACLED's state sub-types.
_STATE_ROLES = ("GOV", "MIL", "COP", "JUD", "LEG", "SPY")


@dataclass(frozen=True)
class Example:
    """One coded candidate event (or a relevance-only text when every label but ``relevant`` is
    None)."""

    text: str
    trigger: str
    event_type: str | None
    sub_event_type: str | None
    cameo_root: str | None
    relevant: bool | None
    """False: no news of politics or conflict (sports, business, entertainment); None: does not
    train relevance (the gold's sentences: news of every kind, not what the gate learns)."""
    origin: str
    """Where it came from (file name and style): the unit cross-validation holds out."""
    story: str = ""

    def label(self, head: str) -> str | None:
        """The example's class for a model head (None: it does not train that head)."""
        if head == "relevant":
            return None if self.relevant is None else "yes" if self.relevant else "no"
        value: str | None = getattr(self, head)
        return value


def _text(where: str, raw: dict[str, Any], key: str) -> str | None:
    value = raw.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ConfigError(f"{where}: {key} must be a string or null")
    return value.strip()


def read_jsonl(path: Path) -> list[Example]:
    """The coders' examples of one JSONL file."""
    out: list[Example] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from exc
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{path}:{n}"
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ConfigError(f"{where}: not JSON: {exc}") from exc
        if not isinstance(raw, dict) or not isinstance(raw.get("text"), str):
            raise ConfigError(f"{where}: expected an object with a text")
        relevant: bool | None = raw.get("relevant", True) is not False
        if "relevant" in raw and raw["relevant"] is None:
            relevant = None
        root = _text(where, raw, "cameo_root")
        if root is not None and root != "" and not (len(root) == 2 and root.isdigit()):
            raise ConfigError(f"{where}: cameo_root {root!r} is not a two-digit root")
        # a rule candidate where nothing happened (``pipeline.train.negatives``): class NONE
        mined = raw.get("event") is False
        if mined:
            root = NONE
        # a text that is no news of politics or conflict trains relevance only
        coded = (relevant is not False or mined) and bool(root)
        out.append(
            Example(
                text=raw["text"],
                trigger=_text(where, raw, "trigger") or "",
                event_type=(_text(where, raw, "event_type") or "") if coded else None,
                sub_event_type=(_text(where, raw, "sub_event_type") or "") if coded else None,
                cameo_root=root if coded else None,
                relevant=relevant,
                origin=f"{path.stem}/{raw.get('style') or '-'}",
                story=str(raw.get("id") or f"{path.stem}:{n}"),
            )
        )
    return out


def _state(item: GoldItem) -> bool:
    code = item.source.code if item.source else ""
    return len(code) == 3 or any(code.endswith(r) or r in code[3:6] for r in _STATE_ROLES)


def gold_examples(paths: Iterable[Path], codes: CodeTable | None = None) -> list[Example]:
    """Every coded item (facts and non-factual mentions alike: the type does not depend on the
    modality) of the gold files' **dev** halves; sentences with no item train relevance only."""
    codes = codes or load_code_table()
    out: list[Example] = []
    for path in paths:
        for record in select(read_gold(path), "dev"):
            items = [*record.events, *record.nonfactual]
            if not items:
                out.append(
                    Example(record.text, "", None, None, None, None, "gold-dev", record.article)
                )
            for item in items:
                info = codes.info(item.code)
                sub = info.sub_event_type
                if info.nonstate_sub_event_type and not _state(item):
                    sub = info.nonstate_sub_event_type
                out.append(
                    Example(
                        record.text,
                        item.trigger,
                        info.event_type,
                        sub,
                        item.root,
                        None,
                        "gold-dev",
                        record.article,
                    )
                )
    return out


def read_acled(path: Path) -> Iterator[Example]:
    """An ACLED export's notes with their type and sub-type (no trigger, no CAMEO root).
    For a licence holder's own model only: never used for the shipped one."""
    csv.field_size_limit(sys.maxsize)
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = {"notes", "event_type", "sub_event_type"} - set(reader.fieldnames or ())
            if missing:
                raise ConfigError(f"{path}: not an ACLED export: no column(s) {sorted(missing)}")
            for n, row in enumerate(reader, 2):
                notes = (row.get("notes") or "").strip()
                if notes:
                    yield Example(
                        notes,
                        "",
                        row["event_type"].strip(),
                        row["sub_event_type"].strip(),
                        None,
                        True,
                        f"acled/{path.stem}",
                        row.get("event_id_cnty") or f"{path.stem}:{n}",
                    )
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from exc
