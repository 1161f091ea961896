"""An article's main event: the one event ACLED would code for the report, marked on its record.

An article tells several acts, and the most confident one is often not what the report is about:
"unknown men hurled a grenade at pedestrians, injuring ten" is a grenade attack, though
"injuring" is the surer trigger; "25 youths were arrested after they stormed a farm" reports the
storming. The events are ranked by a principled order (``data/main_event.yaml``): an ACLED type;
not the outcome (harm) of a cause the article tells; violence; confidence; first in the text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pipeline.errors import ConfigError
from pipeline.extract.datafiles import DATA_DIR, check_keys, read_yaml, words
from pipeline.extract.event_typer import load_acled_types
from schemas import Event

_KEYS = ("outcome_lemmas", "cause_types", "violent_types")


@dataclass(frozen=True)
class MainEventRules:
    """The table of ``main_event.yaml``."""

    outcome_lemmas: frozenset[str]
    cause_types: frozenset[str]
    violent_types: frozenset[str]


def load_main_event_rules(path: Path | None = None) -> MainEventRules:
    """Read ``main_event.yaml``; type names must be ACLED's (``acled_types.yaml``)."""
    path = path or DATA_DIR / "main_event.yaml"
    data = read_yaml(path)
    check_keys(str(path), data, _KEYS, _KEYS)
    known = set(load_acled_types().sub_types)
    lists: dict[str, frozenset[str]] = {}
    for key in _KEYS:
        items = words(f"{path}: {key}", data[key], lower=key == "outcome_lemmas")
        if key != "outcome_lemmas":
            unknown = sorted(set(items) - known)
            if unknown:
                raise ConfigError(f"{path}: {key}: not ACLED event types: {unknown}")
        lists[key] = frozenset(items)
    return MainEventRules(**lists)


@cache
def main_event_rules() -> MainEventRules:
    """The shipped table, read once per process."""
    return load_main_event_rules()


def main_event(
    events: Sequence[Event], is_outcome: Callable[[Event], bool], rules: MainEventRules
) -> Event | None:
    """The article's main event among its factual ones (None without one); ``is_outcome`` says
    whether an event's trigger tells harm done ("killed", "injuring") rather than an act."""
    factual = [e for e in events if e.factual]
    if not factual:
        return None
    outcomes = {id(e) for e in factual if is_outcome(e)}
    # harm is reported as its cause only when the article tells a cause that is no harm itself
    has_cause = any(e.event_type in rules.cause_types and id(e) not in outcomes for e in factual)

    def rank(event: Event) -> tuple[bool, bool, bool, float, int]:
        outcome_of_cause = (
            has_cause and id(event) in outcomes and event.event_type not in rules.cause_types
        )
        return (
            bool(event.event_type),
            not outcome_of_cause,
            event.event_type in rules.violent_types,
            event.confidence,
            -event.trigger.start,
        )

    return max(factual, key=rank)


def marked(
    events: Sequence[Event], is_outcome: Callable[[Event], bool], rules: MainEventRules
) -> list[Event]:
    """The events with ``main`` set on the article's main event only."""
    chosen = main_event(events, is_outcome, rules)
    out: list[Event] = []
    for event in events:
        main = event is chosen
        out.append(event if event.main == main else event.derive(main=main))
    return out
