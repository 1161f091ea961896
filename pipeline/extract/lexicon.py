"""The trigger lexicon and the CAMEO code table, loaded from data files and validated on load."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.errors import ConfigError
from pipeline.extract.datafiles import DATA_DIR, check_keys, number, read_yaml, word_forms, words

_CODE = re.compile(r"^(0[1-9]|1[0-9]|20)\d{1,2}$")
_LEMMA = re.compile(r"^[a-z][a-z'-]*( [a-z][a-z'-]*)*$")
_PATTERN_KEYS = (
    "code",
    "object",
    "modifier",
    "prep",
    "pobj",
    "complement",
    "subject",
    "xcomp",
    "clause",
    "clause_words",
    "clause_modal",
    "object_kind",
)
_ENTRY_KEYS = ("lemma", "particle", "code", "patterns", "confidence")
_OBJECT_KINDS = ("place", "actor", "thing", "none")
_CODE_FIELDS = ("name", "plover", "event_type", "sub_event_type", "nonstate_sub_event_type")


@dataclass(frozen=True)
class Pattern:
    """A refinement of a trigger: when every given constraint holds, ``code`` applies (None: no
    event)."""

    code: str | None
    object: frozenset[str] = frozenset()
    modifier: frozenset[str] = frozenset()
    prep: str | None = None
    pobj: frozenset[str] = frozenset()
    complement: frozenset[str] = frozenset()
    subject: frozenset[str] = frozenset()
    xcomp: frozenset[str] = frozenset()
    clause: frozenset[str] = frozenset()
    """Subjects of a complement clause ("claimed *they* attacked"); ``any``: any clause."""
    clause_words: frozenset[str] = frozenset()
    """Words of a complement clause about an actor: its verb or that verb's object or complement
    ("said the commission *stole* the election", "says the police *torture* detainees")."""
    object_kind: str | None = None
    clause_modal: frozenset[str] = frozenset()
    """Modal verbs of a complement clause about another actor ("said the Governor-General
    *must* clarify": a demand on the clause's subject)."""


@dataclass(frozen=True)
class TriggerEntry:
    """One verb (or verb + particle) of the lexicon."""

    lemma: str
    particle: str | None
    code: str | None
    patterns: tuple[Pattern, ...]
    confidence: float
    source: str


@dataclass(frozen=True)
class CodeInfo:
    """What a CAMEO code means in CAMEO, PLOVER and ACLED terms."""

    code: str
    root: str
    name: str
    plover: str
    event_type: str
    sub_event_type: str
    nonstate_sub_event_type: str | None = None


@dataclass(frozen=True)
class Refinement:
    """A context rule that specialises an event's code or ACLED type (see triggers.yaml)."""

    name: str
    when_roots: frozenset[str] = frozenset()
    when_event_types: frozenset[str] = frozenset()
    except_codes: frozenset[str] = frozenset()
    """Codes the rule leaves alone: a blockade or an occupation with tanks is no shelling."""
    instruments: frozenset[str] = frozenset()
    actor1_types: frozenset[str] = frozenset()
    actor2_types: frozenset[str] = frozenset()
    code: str | None = None
    event_type: str | None = None
    sub_event_type: str | None = None
    actor1_role: str | None = None
    """Label of an actors.yaml role actor 1 becomes: civilians who set off bombs are attackers."""


@dataclass(frozen=True)
class CodeTable:
    """CAMEO codes → :class:`CodeInfo`, falling back from a 4-digit code to its parent and root."""

    roots: Mapping[str, Mapping[str, str]]
    codes: Mapping[str, Mapping[str, str]]
    reciprocal_roots: frozenset[str] = frozenset()
    """Roots of acts coordinated actors do to each other ("X and Y met")."""
    announced: Mapping[str, str] = field(default_factory=dict)
    """Code (prefix) of an act an actor announces it will do → code of the announcement."""

    def announcement(self, code: str) -> str | None:
        """The intent (03) or threat (13) code of announcing ``code``; None when not listed."""
        for end in range(len(code), 1, -1):
            found = self.announced.get(code[:end])
            if found is not None:
                return found
        return None

    def info(self, code: str) -> CodeInfo:
        """The merged fields of ``code``, its 3-digit parent and its root."""
        root = code[:2]
        merged: dict[str, str] = dict(self.roots.get(root, {}))
        if len(code) == 4 and code[:3] in self.codes:
            merged.update(self.codes[code[:3]])
        merged.update(self.codes.get(code, {}))
        return CodeInfo(
            code=code,
            root=root,
            name=merged.get("name", ""),
            plover=merged.get("plover", ""),
            event_type=merged.get("event_type", ""),
            sub_event_type=merged.get("sub_event_type", ""),
            nonstate_sub_event_type=merged.get("nonstate_sub_event_type"),
        )


@dataclass(frozen=True)
class Lexicon:
    """Trigger entries keyed by (lemma, particle), the code table and the refinement rules."""

    entries: Mapping[tuple[str, str | None], TriggerEntry]
    codes: CodeTable
    refinements: tuple[Refinement, ...] = ()
    lemmas: frozenset[str] = field(default=frozenset())
    aliases: Mapping[str, str] = field(default_factory=dict)
    """Lemmas the tagger makes of rare verbs → the lexicon's lemma (``lambast`` → ``lambaste``)."""

    def lookup(self, lemma: str, particle: str | None) -> TriggerEntry | None:
        """The entry for a verb and its particle (None: no particle)."""
        found = self.entries.get((lemma, particle))
        if found is None and lemma in self.aliases:
            found = self.entries.get((self.aliases[lemma], particle))
        return found


def lemma_aliases(lemmas: frozenset[str]) -> dict[str, str]:
    """Misread lemmas of the lexicon's verbs: spaCy's rule lemmatizer strips "-ed"/"-ing" of a
    verb it does not know to either stem ("lambasted" → "lambast"), so each lemma answers to the
    stem with and without a final "e" unless that stem is a lemma of its own."""
    out: dict[str, str] = {}
    for lemma in sorted(lemmas):
        if " " in lemma or len(lemma) < 5:
            continue
        other = lemma[:-1] if lemma.endswith("e") else lemma + "e"
        if other not in lemmas:
            out.setdefault(other, lemma)
    return out


def _code(where: str, value: Any, *, nullable: bool = True) -> str | None:
    if value is None and nullable:
        return None
    if not isinstance(value, str):
        raise ConfigError(
            f'{where}: CAMEO code {value!r} must be a quoted string such as "190" '
            "(unquoted, YAML reads 0874 as a number)"
        )
    if not _CODE.match(value):
        raise ConfigError(
            f"{where}: {value!r} is not a CAMEO event code (3 or 4 digits, root 01-20)"
        )
    return value


def validate_code(where: str, value: Any, codes: CodeTable) -> str | None:
    """A quoted CAMEO code (or null) whose root ``codes`` knows; ``ConfigError`` otherwise."""
    code = _code(where, value)
    if code is not None and code[:2] not in codes.roots:
        raise ConfigError(f"{where}: code {code} has no root in cameo.yaml")
    return code


def _pattern(where: str, raw: Any) -> Pattern:
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: expected a mapping, got {raw!r}")
    check_keys(where, raw, _PATTERN_KEYS, required=("code",))
    kind = raw.get("object_kind")
    if kind is not None and kind not in _OBJECT_KINDS:
        raise ConfigError(
            f"{where}: object_kind must be one of {list(_OBJECT_KINDS)}, got {kind!r}"
        )
    prep = words(f"{where}.prep", raw.get("prep"))
    if len(prep) > 1:
        raise ConfigError(f"{where}: prep takes one preposition, got {list(prep)}")
    pattern = Pattern(
        code=_code(f"{where}.code", raw.get("code")),
        object=word_forms(words(f"{where}.object", raw.get("object"))),
        modifier=word_forms(words(f"{where}.modifier", raw.get("modifier"))),
        prep=prep[0] if prep else None,
        pobj=word_forms(words(f"{where}.pobj", raw.get("pobj"))),
        complement=word_forms(words(f"{where}.complement", raw.get("complement"))),
        subject=word_forms(words(f"{where}.subject", raw.get("subject"))),
        xcomp=word_forms(words(f"{where}.xcomp", raw.get("xcomp"))),
        clause=frozenset(words(f"{where}.clause", raw.get("clause"))),
        clause_words=word_forms(words(f"{where}.clause_words", raw.get("clause_words"))),
        object_kind=kind,
        clause_modal=frozenset(words(f"{where}.clause_modal", raw.get("clause_modal"))),
    )
    if pattern.pobj and pattern.prep is None:
        raise ConfigError(f"{where}: pobj needs a prep")
    if pattern.modifier and not pattern.object:
        raise ConfigError(f"{where}: modifier needs an object")
    return pattern


def _entries(path: Path, data: dict[str, Any], default_confidence: float) -> list[TriggerEntry]:
    raw_entries = data.get("triggers")
    if not isinstance(raw_entries, list):
        raise ConfigError(f"{path}: expected a list under 'triggers'")
    out: list[TriggerEntry] = []
    seen: dict[tuple[str, str | None], int] = {}
    for index, raw in enumerate(raw_entries):
        where = f"{path}: triggers[{index}]"
        if not isinstance(raw, dict):
            raise ConfigError(f"{where}: expected a mapping, got {raw!r}")
        lemmas = words(f"{where}.lemma", raw.get("lemma"))
        if lemmas:
            where = f"{where} (lemma {lemmas[0]!r})"
        check_keys(where, raw, _ENTRY_KEYS, required=("lemma", "code"))
        if not lemmas:
            raise ConfigError(f"{where}: lemma is empty")
        for lemma in lemmas:
            if not _LEMMA.match(lemma):
                raise ConfigError(f"{where}: {lemma!r} is not a lower-case lemma")
        particle_words = words(f"{where}.particle", raw.get("particle"))
        if len(particle_words) > 1:
            raise ConfigError(f"{where}: particle takes one word, got {list(particle_words)}")
        particle = particle_words[0] if particle_words else None
        code = _code(f"{where}.code", raw.get("code"))
        raw_patterns = raw.get("patterns") or []
        if not isinstance(raw_patterns, list):
            raise ConfigError(f"{where}: patterns must be a list")
        patterns = tuple(_pattern(f"{where}: patterns[{i}]", p) for i, p in enumerate(raw_patterns))
        if code is None and not patterns:
            raise ConfigError(f"{where}: an entry with code null needs patterns")
        confidence = number(f"{where}.confidence", raw.get("confidence", default_confidence))
        for lemma in lemmas:
            key = (lemma, particle)
            if key in seen:
                raise ConfigError(
                    f"{where}: duplicate entry for {lemma!r}"
                    + (f" + {particle!r}" if particle else "")
                    + f" (also triggers[{seen[key]}])"
                )
            seen[key] = index
            out.append(TriggerEntry(lemma, particle, code, patterns, confidence, path.name))
    return out


def _refinements(path: Path, data: dict[str, Any]) -> tuple[Refinement, ...]:
    raw_rules = data.get("refinements") or []
    if not isinstance(raw_rules, list):
        raise ConfigError(f"{path}: 'refinements' must be a list")
    rules: list[Refinement] = []
    allowed = (
        "name",
        "when_roots",
        "when_event_types",
        "except_codes",
        "instruments",
        "actor1_types",
        "actor2_types",
        "code",
        "event_type",
        "sub_event_type",
        "actor1_role",
    )
    for index, raw in enumerate(raw_rules):
        where = f"{path}: refinements[{index}]"
        if not isinstance(raw, dict):
            raise ConfigError(f"{where}: expected a mapping")
        check_keys(where, raw, allowed, required=("name",))
        roots = words(f"{where}.when_roots", raw.get("when_roots"))
        for root in roots:
            if not re.fullmatch(r"0[1-9]|1[0-9]|20", root):
                raise ConfigError(f'{where}: {root!r} is not a CAMEO root code (quote it: "19")')
        rule = Refinement(
            name=str(raw["name"]),
            when_roots=frozenset(roots),
            when_event_types=frozenset(
                words(f"{where}.when_event_types", raw.get("when_event_types"), lower=False)
            ),
            except_codes=frozenset(
                _code(f"{where}.except_codes", c) or ""
                for c in words(f"{where}.except_codes", raw.get("except_codes"))
            ),
            instruments=word_forms(words(f"{where}.instruments", raw.get("instruments"))),
            actor1_types=frozenset(words(f"{where}.actor1_types", raw.get("actor1_types"))),
            actor2_types=frozenset(words(f"{where}.actor2_types", raw.get("actor2_types"))),
            code=_code(f"{where}.code", raw.get("code")),
            event_type=raw.get("event_type"),
            sub_event_type=raw.get("sub_event_type"),
            actor1_role=raw.get("actor1_role"),
        )
        if (
            rule.code is None
            and rule.event_type is None
            and rule.sub_event_type is None
            and rule.actor1_role is None
        ):
            raise ConfigError(
                f"{where}: a refinement must set code, event_type, sub_event_type or actor1_role"
            )
        if not (rule.instruments or rule.actor1_types or rule.actor2_types):
            raise ConfigError(
                f"{where}: a refinement needs instruments, actor1_types or actor2_types"
            )
        rules.append(rule)
    return tuple(rules)


def load_code_table(path: Path | None = None) -> CodeTable:
    """Load ``cameo.yaml``: roots, codes, reciprocal roots and announcements."""
    path = path or DATA_DIR / "cameo.yaml"
    data = read_yaml(path)
    check_keys(
        str(path),
        data,
        ("roots", "codes", "reciprocal_roots", "announced"),
        required=("roots", "codes"),
    )
    tables: dict[str, dict[str, dict[str, str]]] = {}
    for section in ("roots", "codes"):
        raw = data[section]
        if not isinstance(raw, dict):
            raise ConfigError(f"{path}: '{section}' must be a mapping of code to fields")
        table: dict[str, dict[str, str]] = {}
        for code, fields in raw.items():
            where = f"{path}: {section}[{code!r}]"
            if not isinstance(code, str):
                raise ConfigError(f"{where}: quote the code (YAML reads {code!r} as a number)")
            pattern = r"0[1-9]|1[0-9]|20" if section == "roots" else _CODE.pattern
            if not re.fullmatch(pattern, code):
                raise ConfigError(f"{where}: not a CAMEO {section[:-1]} code")
            if not isinstance(fields, dict):
                raise ConfigError(f"{where}: expected a mapping of fields")
            check_keys(where, fields, _CODE_FIELDS, required=("name",))
            table[code] = {k: str(v) for k, v in fields.items()}
        tables[section] = table
    missing_roots = sorted({code[:2] for code in tables["codes"]} - set(tables["roots"]))
    if missing_roots:
        raise ConfigError(f"{path}: codes use roots that 'roots' lacks: {missing_roots}")
    reciprocal = words(f"{path}: reciprocal_roots", data.get("reciprocal_roots"))
    for root in reciprocal:
        if root not in tables["roots"]:
            raise ConfigError(f'{path}: reciprocal_roots: {root!r} is not a root (quote it: "04")')
    raw_announced = data.get("announced") or {}
    if not isinstance(raw_announced, dict):
        raise ConfigError(f"{path}: 'announced' must map a code prefix to a code")
    announced: dict[str, str] = {}
    for prefix, code in raw_announced.items():
        where = f"{path}: announced[{prefix!r}]"
        if not isinstance(prefix, str) or not re.fullmatch(r"(0[1-9]|1[0-9]|20)\d{0,2}", prefix):
            raise ConfigError(f'{where}: quote the code prefix ("19", "084")')
        checked = _code(where, code, nullable=False)
        assert checked is not None
        announced[prefix] = checked
    return CodeTable(
        roots=tables["roots"],
        codes=tables["codes"],
        reciprocal_roots=frozenset(reciprocal),
        announced=announced,
    )


def load_lexicon(data_dir: Path | None = None, *, seed: bool = True) -> Lexicon:
    """Load ``triggers.yaml`` (hand-written) over ``cameo_verbs.yaml`` (generated), and codes.

    A lemma with any entry in triggers.yaml is coded by triggers.yaml alone; lemmas listed in
    ``seed_exclude`` are never coded from the generated file. ``seed=False`` skips that file.
    """
    data_dir = data_dir or DATA_DIR
    codes = load_code_table(data_dir / "cameo.yaml")
    curated_path = data_dir / "triggers.yaml"
    curated = read_yaml(curated_path)
    check_keys(
        str(curated_path),
        curated,
        ("confidence", "seed_exclude", "refinements", "triggers"),
        required=("triggers",),
    )
    curated_conf = number(f"{curated_path}: confidence", curated.get("confidence", 0.85))
    entries: dict[tuple[str, str | None], TriggerEntry] = {}
    for entry in _entries(curated_path, curated, curated_conf):
        entries[(entry.lemma, entry.particle)] = entry
    curated_lemmas = {lemma for lemma, _ in entries}
    excluded = set(words(f"{curated_path}: seed_exclude", curated.get("seed_exclude")))
    if seed:
        seed_path = data_dir / "cameo_verbs.yaml"
        seeded = read_yaml(seed_path)
        check_keys(
            str(seed_path), seeded, ("source", "confidence", "triggers"), required=("triggers",)
        )
        seed_conf = number(f"{seed_path}: confidence", seeded.get("confidence", 0.6))
        for entry in _entries(seed_path, seeded, seed_conf):
            if entry.lemma not in curated_lemmas and entry.lemma not in excluded:
                entries.setdefault((entry.lemma, entry.particle), entry)
    for entry in entries.values():
        for code in [entry.code, *(p.code for p in entry.patterns)]:
            if code is not None and code[:2] not in codes.roots:
                raise ConfigError(
                    f"{entry.source}: lemma {entry.lemma!r}: code {code} has no root in cameo.yaml"
                )
    lemmas = frozenset(lemma for lemma, _ in entries)
    return Lexicon(
        entries=entries,
        codes=codes,
        refinements=_refinements(curated_path, curated),
        lemmas=lemmas,
        aliases=lemma_aliases(lemmas),
    )
