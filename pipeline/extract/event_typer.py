"""The event type of each candidate the rules found: the learned model's when it is sure, the
rules' otherwise; and the relevance gate that keeps sports, business and entertainment text from
reporting violence as fact.

The rules keep what they are good at (trigger spans, modality, attribution, actors); the model
reads the trigger in its sentence and says what kind of act it is. Thresholds are recorded in the
model file (``meta.thresholds``), fitted with it by ``wirestream train``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spacy.tokens import Doc

from pipeline.errors import ConfigError
from pipeline.extract.datafiles import DATA_DIR, check_keys, read_yaml
from pipeline.extract.event_features import candidate_features, context_features, text_features
from pipeline.extract.event_model import DEFAULT_THRESHOLDS, ENV_VAR, EventModel, load_model
from pipeline.extract.lexicon import CodeInfo, CodeTable

OFF = ("off", "none", "rules")
"""``WIRESTREAM_EVENT_MODEL=off``: the rules alone type events (for comparison)."""
_LEAD_CHARS = 3000
"""What of an article its relevance is judged on: the lead says what the story is."""
NONE = "none"
"""The root-head class of a rule candidate that is no event (``pipeline.train.negatives``)."""


@dataclass(frozen=True)
class AcledTypes:
    """ACLED's event types, the sub-types under each, and which are violent."""

    sub_types: dict[str, tuple[str, ...]]
    violent: frozenset[str]
    not_against: dict[str, frozenset[str]]
    """Type → actor types its target cannot have."""


def load_acled_types(path: Path | None = None) -> AcledTypes:
    """Read ``acled_types.yaml``."""
    path = path or DATA_DIR / "acled_types.yaml"
    data = read_yaml(path)
    check_keys(str(path), data, ("types",), ("types",))
    sub_types: dict[str, tuple[str, ...]] = {}
    violent: set[str] = set()
    not_against: dict[str, frozenset[str]] = {}
    for name, raw in (data["types"] or {}).items():
        where = f"{path}: types.{name}"
        if not isinstance(raw, dict):
            raise ConfigError(f"{where}: expected a mapping")
        check_keys(
            where,
            raw,
            ("violent", "sub_event_types", "not_against"),
            ("violent", "sub_event_types"),
        )
        for key in ("sub_event_types", "not_against"):
            items = raw.get(key) or []
            if not isinstance(items, list) or not all(isinstance(s, str) for s in items):
                raise ConfigError(f"{where}: {key} must be a list of strings")
        sub_types[str(name)] = tuple(raw["sub_event_types"])
        not_against[str(name)] = frozenset(raw.get("not_against") or ())
        if raw["violent"] is True:
            violent.add(str(name))
    return AcledTypes(sub_types, frozenset(violent), not_against)


@dataclass(frozen=True)
class Typing:
    """What the typer decided for one candidate."""

    info: CodeInfo
    event_type: str
    sub_event_type: str
    by_model: bool
    """True when the model changed the rules' root or type."""
    none: float = 0.0
    """The model's probability that the candidate is no event at all."""


class EventTyper:
    """Types candidates with a model (None: rules only) and gates off-topic articles."""

    def __init__(self, model: EventModel | None, codes: CodeTable, acled: AcledTypes) -> None:
        self.model = model
        self.codes = codes
        self.acled = acled
        self.thresholds = {
            name: model.threshold(name, default) if model else default
            for name, default in DEFAULT_THRESHOLDS.items()
        }

    def decide(
        self,
        sentence: str,
        start: int,
        end: int,
        info: CodeInfo,
        event_type: str,
        sub_event_type: str,
        targets: frozenset[str] = frozenset(),
        article: str = "",
    ) -> Typing:
        """The candidate's code and ACLED type; ``start``/``end``: the trigger in ``sentence``,
        ``targets`` the actor types of actor 2 (what the parse found), ``article`` the text it
        is in (read by a context model only)."""
        model = self.model
        if model is None:
            return Typing(info, event_type, sub_event_type, False)
        feats = candidate_features(sentence, start, end)
        if model.uses_context:
            feats += context_features(article)
        rows, values = model.vector(feats)
        changed = False
        roots = model.heads["cameo_root"].probabilities(rows, values)
        none = roots.pop(NONE, 0.0)
        root = max(roots, key=lambda k: roots[k])
        if root != info.root and roots[root] >= self.thresholds["cameo_root"]:
            # the root's unspecified code ("190"): the model knows the kind of act, not the detail
            info = self.codes.info(root + "0")
            event_type, sub_event_type = info.event_type, info.sub_event_type
            changed = True
        types = model.heads["event_type"].probabilities(rows, values)
        excluded = [n for n in types if targets & self.acled.not_against.get(n, frozenset())]
        if excluded:
            # "attacked an army checkpoint": no violence against civilians; the rest, renormalised
            kept = {n: p for n, p in types.items() if n not in excluded}
            total = sum(kept.values()) or 1.0
            types = {n: p / total for n, p in kept.items()}
            if event_type in excluded:
                event_type = ""  # the rules' type is excluded as well: the model's must do
        best = max(types, key=lambda k: types[k])
        subs = model.heads["sub_event_type"].probabilities(rows, values)
        # "no ACLED type" never blanks a code that has one: every root-19 fight is an ACLED event
        blanks = best == "" and bool(info.event_type)
        if types[best] >= self.thresholds["event_type"] and best != event_type and not blanks:
            event_type, sub_event_type, changed = best, "", True
        allowed = self.acled.sub_types.get(event_type, ())
        if allowed and (sub_event_type not in allowed or changed):
            sub_event_type = max(allowed, key=lambda s: subs.get(s, 0.0))
        elif allowed:
            sub = max(allowed, key=lambda s: subs.get(s, 0.0))
            if subs.get(sub, 0.0) >= self.thresholds["sub_event_type"] and sub != sub_event_type:
                sub_event_type, changed = sub, True
        if not event_type:
            sub_event_type = ""
        return Typing(info, event_type, sub_event_type, changed, none)

    def relevance(self, doc: Doc) -> float:
        """How likely the article is news of politics or conflict at all (1.0 with no model),
        judged on its lead as one text; computed once per document."""
        cached = doc.user_data.get("wirestream_relevance")
        if cached is not None:
            return float(cached)
        score = 1.0
        model = self.model
        if model is not None and "relevant" in model.heads:
            text = str(doc.user_data.get("wirestream_text") or doc.text)[:_LEAD_CHARS]
            score = model.predict("relevant", text_features(text)).get("yes", 1.0)
        doc.user_data["wirestream_relevance"] = score
        return score

    def off_topic(self, doc: Doc, typed: Typing, *, factual: bool) -> bool:
        """No event to report: a candidate the model takes for no event at all, or a violent act
        told as fact in an article that is no conflict news (a cricket "clash", a striker who
        "shot")."""
        if typed.none >= self.thresholds["none"]:
            return True
        return (
            factual
            and typed.event_type in self.acled.violent
            and self.relevance(doc) < self.thresholds["relevant"]
        )


def load_event_typer(
    codes: CodeTable, data_dir: Path | None = None, model_path: Path | None = None
) -> EventTyper:
    """The typer with the model of ``model_path``, ``$WIRESTREAM_EVENT_MODEL`` or the shipped
    file (``off``: rules only)."""
    setting = str(model_path) if model_path else os.environ.get(ENV_VAR, "")
    model: Any = None if setting.lower() in OFF else load_model(Path(setting) if setting else None)
    acled = load_acled_types(data_dir / "acled_types.yaml" if data_dir else None)
    return EventTyper(model, codes, acled)
