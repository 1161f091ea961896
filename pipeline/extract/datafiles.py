"""Reading the extractor's data files, with errors that name the file and the entry."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from pipeline.errors import ConfigError

#: The data files shipped with the package.
DATA_DIR = Path(__file__).parent / "data"

# The C loader is several times faster on the large generated lexicon.
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path) -> dict[str, Any]:
    """Parse a YAML mapping; a missing file, a syntax error or a non-mapping is a ConfigError."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read data file: {exc}") from exc
    try:
        data = yaml.load(text, Loader=_Loader)
    except (yaml.YAMLError, ValueError) as exc:  # ValueError: an impossible date (2020-13-01)
        raise ConfigError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping at the top level, got {type(data).__name__}")
    return data


def entries(
    path: Path | str,
    data: Mapping[str, Any],
    key: str,
    allowed: Iterable[str],
    required: Iterable[str] = (),
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Each mapping of the list under ``key``, with its location, its keys checked."""
    for index, raw in enumerate(data.get(key) or []):
        where = f"{path}: {key}[{index}]"
        if not isinstance(raw, dict):
            raise ConfigError(f"{where}: expected a mapping")
        check_keys(where, raw, allowed, required)
        yield where, raw


def check_keys(
    where: str, item: Mapping[str, Any], allowed: Iterable[str], required: Iterable[str] = ()
) -> None:
    """Fail on unknown or missing keys: a misspelt field must not be silently ignored."""
    allowed_set = set(allowed)
    unknown = sorted(set(item) - allowed_set)
    if unknown:
        raise ConfigError(
            f"{where}: unknown key(s) {unknown}; expected some of {sorted(allowed_set)}"
        )
    missing = [key for key in required if key not in item]
    if missing:
        raise ConfigError(f"{where}: missing required key(s) {missing}")


def words(where: str, value: Any, *, lower: bool = True) -> tuple[str, ...]:
    """A string or a list of strings, stripped (and lower-cased)."""
    if value is None:
        return ()
    items: Sequence[Any] = [value] if isinstance(value, str | bool) else value
    if not isinstance(items, list | tuple):
        raise ConfigError(
            f"{where}: expected a word or a list of words, got {type(value).__name__}"
        )
    out: list[str] = []
    for item in items:
        if isinstance(item, bool):
            raise ConfigError(
                f"{where}: got {item!r}: quote the word (YAML reads on/off/yes/no as true/false)"
            )
        if not isinstance(item, str) or not item.strip():
            raise ConfigError(f"{where}: expected non-empty strings, got {item!r}")
        out.append(item.strip().lower() if lower else item.strip())
    return tuple(out)


def number(where: str, value: Any, *, low: float = 0.0, high: float = 1.0) -> float:
    """A number within [low, high]."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise ConfigError(f"{where}: expected a number in [{low}, {high}], got {value!r}")
    return float(value)


def word_forms(items: Iterable[str]) -> frozenset[str]:
    """The words plus naive singulars, so a list may say ``ties`` or ``tie`` and match either."""
    forms: set[str] = set()
    for item in items:
        forms.add(item)
        if " " in item:
            continue
        if item.endswith("ies") and len(item) > 4:
            forms.add(item[:-3] + "y")
        elif item.endswith(("ches", "shes", "sses", "xes")):
            forms.add(item[:-2])
        elif item.endswith("s") and not item.endswith("ss") and len(item) > 3:
            forms.add(item[:-1])
    return frozenset(forms)


def yaml_date(where: str, value: object) -> date | None:
    """A date from YAML (unquoted ``2011-09-16`` is already one) or None."""
    if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise ConfigError(f"{where}: {value!r} is not a date (YYYY-MM-DD)") from exc
