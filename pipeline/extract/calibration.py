"""Mapping the extractor's rule confidences to how often a field is right on new text.

The rules give each event, actor and place a confidence from how it was found (a named
organisation 0.9, a role word 0.6, a pronoun's antecedent times 0.75, ...). Those numbers rank
well but are not probabilities: on held-out gold a place given 0.85 names the right place about
two times in three. ``data/calibration.yaml`` holds one Platt scaling per field, ``p =
sigmoid(slope * logit(raw) + intercept)``, fitted by ``wirestream eval calibrate`` on gold the
rules were not tuned on; it keeps the rules' order and makes the number a rate. With no file,
every scaling is the identity.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import ConfigError
from pipeline.extract.datafiles import DATA_DIR, check_keys, read_yaml

#: The fields a confidence is calibrated for.
FIELDS = ("event", "actor1", "actor2", "place")
_EPS = 1e-4


def logit(p: float) -> float:
    """log(p / (1 - p)), with p kept inside (0, 1)."""
    p = min(max(p, _EPS), 1.0 - _EPS)
    return math.log(p / (1.0 - p))


@dataclass(frozen=True)
class Scaling:
    """One field's Platt scaling; the defaults are the identity."""

    slope: float = 1.0
    intercept: float = 0.0

    def __call__(self, raw: float) -> float:
        """The calibrated confidence of a raw rule confidence (0 stays 0: nothing found)."""
        if raw <= 0.0:
            return 0.0
        return 1.0 / (1.0 + math.exp(-(self.slope * logit(raw) + self.intercept)))


@dataclass(frozen=True)
class Calibration:
    """The scalings of the event's, actor 1's, actor 2's and the place's confidence."""

    event: Scaling = field(default_factory=Scaling)
    actor1: Scaling = field(default_factory=Scaling)
    actor2: Scaling = field(default_factory=Scaling)
    place: Scaling = field(default_factory=Scaling)

    @classmethod
    def identity(cls) -> Calibration:
        """Raw rule confidences, unchanged (what calibration is fitted on)."""
        return cls()


def load_calibration(path: Path | None = None) -> Calibration:
    """``data/calibration.yaml`` (or ``path``); a missing file is the identity, a bad one a
    ConfigError naming the field."""
    path = path or DATA_DIR / "calibration.yaml"
    if not path.exists():
        return Calibration.identity()
    data = read_yaml(path)
    check_keys(str(path), data, ("fields", "fitted_on"), ("fields",))
    fields = data["fields"]
    if not isinstance(fields, dict):
        raise ConfigError(f"{path}: fields: expected a mapping of field to slope and intercept")
    scalings: dict[str, Scaling] = {}
    for name, raw in fields.items():
        where = f"{path}: fields.{name}"
        if name not in FIELDS:
            raise ConfigError(f"{where}: unknown field; expected one of {list(FIELDS)}")
        if not isinstance(raw, dict):
            raise ConfigError(f"{where}: expected a mapping with slope and intercept")
        check_keys(where, raw, ("slope", "intercept", "n"), ("slope", "intercept"))
        slope, intercept = raw["slope"], raw["intercept"]
        if not all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in (slope, intercept)
        ):
            raise ConfigError(f"{where}: slope and intercept must be numbers")
        if slope <= 0:
            raise ConfigError(f"{where}: slope must be positive (a calibration keeps the order)")
        scalings[name] = Scaling(float(slope), float(intercept))
    return Calibration(**scalings)
