"""Actor types: the one table of what each project actor type is (state, domestic, armed) and
its ACLED actor class, read from ``data/actor_types.yaml``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

from pipeline.errors import ConfigError
from pipeline.extract.datafiles import DATA_DIR, check_keys, read_yaml, yaml_date

_FLAGS = ("acled", "state", "domestic", "armed")


@dataclass(frozen=True)
class AgentRule:
    """Actor 1 of an event type takes ``acled_class`` when its own class is in ``replaces``."""

    acled_class: int
    replaces: frozenset[int | None]
    role: str | None = None
    """Label of the actors.yaml role a subject the dictionary does not know takes ("medical
    interns protested": protesters)."""
    armed: bool = False
    """An act of force: an agent whose role or name has an ``agent_class`` takes that instead
    (farmers who fight are a communal militia, not a mob)."""
    from_types: frozenset[str] = frozenset()
    """Actor types that take ``acled_class`` whatever their class (judges or mayors who protest
    are protesters; police who disperse a protest are not listed)."""


@dataclass(frozen=True)
class UnknownAgent:
    """Who did an act the text names no doer for: an actors.yaml role; ``needs_target``: only
    when the act was done to somebody; ``untold_only``: only when the text names nobody on
    either side (with a victim named, the doer is the article's to tell)."""

    role: str
    needs_target: bool
    untold_only: bool = False


@dataclass(frozen=True)
class CommunalContext:
    """An article that tells of communal conflict (one of ``words``): its unnamed armed groups
    of ``types`` whose class is in ``replaces`` take ``acled_class`` (identity militias)."""

    words: frozenset[str]
    conflict_words: frozenset[str]
    """Nouns (lemmas) a cue word must qualify when it is a modifier ("clan revenge", not "a
    tribal elder")."""
    replaces: frozenset[int]
    types: frozenset[str]
    acled_class: int


@dataclass(frozen=True)
class DefenderRule:
    """Events of ``types`` whose actor 1 is the subject or "by" agent of one of ``verbs`` (lemmas:
    it repelled the attack) swap their actors when both have a class of ``classes``."""

    types: frozenset[str]
    verbs: frozenset[str]
    classes: frozenset[int]


@dataclass(frozen=True)
class LocalClass:
    """ACLED's class of actors of ``types`` in events of ``country`` (ISO alpha-3) from ``start``
    (first day) until ``end`` (first day it no longer holds; None: open)."""

    country: str
    types: frozenset[str]
    acled_class: int
    start: date | None = None
    end: date | None = None

    def holds(self, actor_type: str, country: str | None, day: date | None) -> bool:
        """True when an actor of ``actor_type`` in an event of ``country`` on ``day`` takes it
        (an undated event only when the entry has no dates)."""
        if actor_type not in self.types or country != self.country:
            return False
        if day is None:
            return self.start is None and self.end is None
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)


@dataclass(frozen=True)
class ImpliedTarget:
    """Events of ``event_type`` whose actor 1 has one of ``actor1_classes`` (any when empty) and
    whose target the text does not name are done to the actors.yaml ``role``."""

    event_type: str
    role: str
    actor1_classes: frozenset[int] = frozenset()
    confidence: float | None = None
    """How often such a target was right (its written confidence); None: the calibrated raw
    confidence of an actor no words name."""


@dataclass(frozen=True)
class VictimClass:
    """The target of an event of this type whose class is in ``replaces`` takes ``acled_class``
    (a protester beaten in violence against civilians is a civilian)."""

    acled_class: int
    replaces: frozenset[int]


@dataclass(frozen=True)
class CreedMilitias:
    """An unnamed armed group of ``types`` that one of ``words`` (lower case) qualifies or names
    takes ``acled_class``."""

    types: frozenset[str]
    words: frozenset[str]
    acled_class: int
    not_heads: frozenset[str] = frozenset()
    """Words (lemmas) of the phrase that keep its class ("Islamist rebels": a group ACLED names)."""


@dataclass(frozen=True)
class ActorTypes:
    """The table of ``actor_types.yaml``."""

    acled_names: Mapping[int, str]
    acled: Mapping[str, int | None]
    state: frozenset[str]
    domestic: frozenset[str]
    armed: frozenset[str]
    state_class: int
    external_class: int
    agents_of: Mapping[str, AgentRule]
    rioters_of: frozenset[str]
    community_classes: Mapping[str, int] = field(default_factory=dict)
    """Type → the class of an armed group of that type a community's name qualifies."""
    unknown_agents: Mapping[str, UnknownAgent] = field(default_factory=dict)
    """ACLED event type → the role of a doer the text does not name."""
    unknown_agent_verbs: Mapping[str, str] = field(default_factory=dict)
    """Verb lemma → the role of its unnamed doer, whatever the event type ("lynched": a mob)."""
    planter_verbs: frozenset[str] = frozenset()
    """Participles naming who placed a device ("a Taliban-planted IED", "a mine laid by X")."""
    passive_agents: frozenset[str] = frozenset()
    """Verb lemmas whose passive subject is the doer ("were deployed", "were sighted")."""
    earlier_agent_types: frozenset[str] = frozenset()
    """ACLED types (or CAMEO roots) of an act just told whose named agent is the doer of an
    unnamed one."""
    communal_context: CommunalContext | None = None
    """Cues of a communal conflict and the class its unnamed armed groups take."""
    defenders: DefenderRule | None = None
    """Battles told from the defender's side: the attacker is actor 1."""
    local_classes: tuple[LocalClass, ...] = ()
    """ACLED's class of a type in one country and period (Cabo Delgado's insurgents before 2021:
    a political militia)."""
    ideologies: frozenset[str] = frozenset()
    """Capitalised words of a creed or ideology that are no community ("an Islamist militia")."""
    opponent_verbs: frozenset[str] = frozenset()
    """Verbs (lemmas) of a fight whose "with"/"against" object is a battle's other side."""
    implied_targets: tuple[ImpliedTarget, ...] = ()
    """The target an event's type implies where the text names none, first fitting rule wins."""
    victim_classes: Mapping[str, VictimClass] = field(default_factory=dict)
    """ACLED event type → the class its targets take."""
    creed_militias: CreedMilitias | None = None
    """Unnamed armed groups called by a creed ("Islamist militants"): ACLED's Islamist militias."""
    victim_subject_verbs: frozenset[str] = frozenset()
    """Verbs (lemmas) whose subject, with no object or auxiliary, is the victim of a headline's
    passive ("Soldier killed in an ambush")."""

    def type_class(
        self, actor_type: str, event_country: str | None = None, day: date | None = None
    ) -> int | None:
        """The ACLED class of ``actor_type``: a ``local_classes`` entry's for the event's
        country and day, else the type's."""
        for local in self.local_classes:
            if local.holds(actor_type, event_country, day):
                return local.acled_class
        return self.acled.get(actor_type)

    def acled_class(
        self,
        actor_type: str | None,
        actor_country: str | None = None,
        event_country: str | None = None,
        event_type: str = "",
        *,
        role_class: int | None = None,
        agent: bool = False,
        agent_class: int | None = None,
        day: date | None = None,
    ) -> int | None:
        """ACLED class of an actor: its role's class, else its type's; state forces of another
        country than the event's are external; the agent (``agent``: actor 1) of a protest or
        riot is a protester or rioter; protesters of a riot are rioters; with ``agent_class`` (the
        role's class as the agent of force), the agent of an ``armed`` rule's act takes it; a
        type's class may depend on the event's country and ``day`` (``local_classes``).
        Countries ISO alpha-3."""
        if actor_type is None:
            return None
        # an event placed nowhere is in the actor's own country ("ASWJ attacked the village")
        code = (
            role_class
            if role_class is not None
            else self.type_class(actor_type, event_country or actor_country, day)
        )
        if (
            code == self.state_class
            and actor_country
            and event_country
            and actor_country != event_country
        ):
            return self.external_class
        rule = self.agents_of.get(event_type)
        if agent and rule is not None and (code in rule.replaces or actor_type in rule.from_types):
            return agent_class if rule.armed and agent_class is not None else rule.acled_class
        if code == 6 and event_type in self.rioters_of:
            return 5
        return code


def _class(where: str, value: object, names: Mapping[int, str]) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value not in names:
        raise ConfigError(f"{where}: {value!r} is no ACLED class of acled_classes")
    return value


def load_actor_types(path: Path | None = None) -> ActorTypes:
    """Read and check ``actor_types.yaml`` (a ConfigError names a bad entry)."""
    path = path or DATA_DIR / "actor_types.yaml"
    data = read_yaml(path)
    keys = ("acled_classes", "types", "state_class", "external_class", "agents_of", "rioters_of")
    optional = (
        "unknown_agents",
        "community_classes",
        "earlier_agent_types",
        "unknown_agent_verbs",
        "passive_agents",
        "planter_verbs",
        "communal_context",
        "defenders",
        "local_classes",
        "ideologies",
        "opponent_verbs",
        "implied_targets",
        "victim_classes",
        "victim_subject_verbs",
        "creed_militias",
    )
    check_keys(str(path), data, (*keys, *optional), required=keys)
    raw_names = data["acled_classes"]
    if not isinstance(raw_names, dict) or not all(isinstance(k, int) for k in raw_names):
        raise ConfigError(f"{path}: acled_classes must map a class number to its name")
    names = {int(k): str(v) for k, v in raw_names.items()}
    acled: dict[str, int | None] = {}
    flags: dict[str, set[str]] = {"state": set(), "domestic": set(), "armed": set()}
    types = data["types"]
    if not isinstance(types, dict):
        raise ConfigError(f"{path}: types must map a type to its fields")
    for name, fields in types.items():
        where = f"{path}: types[{name!r}]"
        if not isinstance(fields, dict):
            raise ConfigError(f"{where}: expected a mapping of {', '.join(_FLAGS)}")
        check_keys(where, fields, _FLAGS, required=("acled",))
        acled[str(name)] = _class(f"{where}.acled", fields["acled"], names)
        for flag, members in flags.items():
            value = fields.get(flag, False)
            if not isinstance(value, bool):
                raise ConfigError(f"{where}.{flag}: expected true or false, got {value!r}")
            if value:
                members.add(str(name))
    agents: dict[str, AgentRule] = {}
    for event_type, rule in (data["agents_of"] or {}).items():
        where = f"{path}: agents_of[{event_type!r}]"
        if not isinstance(rule, dict):
            raise ConfigError(f"{where}: expected {{class: N, from: [...]}}")
        check_keys(
            where,
            rule,
            ("class", "from", "role", "armed", "from_types"),
            required=("class", "from"),
        )
        target = _class(f"{where}.class", rule["class"], names)
        if target is None or not isinstance(rule["from"], list):
            raise ConfigError(f"{where}: class must be a class, from a list of classes or null")
        replaces = frozenset(_class(f"{where}.from", v, names) for v in rule["from"])
        role = rule.get("role")
        armed = rule.get("armed", False)
        if not isinstance(armed, bool):
            raise ConfigError(f"{where}.armed: expected true or false, got {armed!r}")
        from_types = rule.get("from_types") or []
        if not isinstance(from_types, list) or any(t not in acled for t in from_types):
            raise ConfigError(f"{where}.from_types: expected a list of types of types")
        agents[str(event_type)] = AgentRule(
            target,
            replaces,
            str(role) if role else None,
            armed,
            frozenset(str(t) for t in from_types),
        )
    state_class = _class(f"{path}: state_class", data["state_class"], names)
    external_class = _class(f"{path}: external_class", data["external_class"], names)
    if state_class is None or external_class is None:
        raise ConfigError(f"{path}: state_class and external_class must be classes")
    raw_unknown = data.get("unknown_agents") or {}
    if not isinstance(raw_unknown, dict):
        raise ConfigError(f"{path}: unknown_agents must map an ACLED event type to a role label")
    unknown: dict[str, UnknownAgent] = {}
    for event_type, raw in raw_unknown.items():
        where = f"{path}: unknown_agents[{event_type!r}]"
        if not isinstance(raw, dict):
            raise ConfigError(f"{where}: expected {{role: LABEL, needs_target: BOOL}}")
        check_keys(
            where, raw, ("role", "needs_target", "untold_only"), required=("role", "needs_target")
        )
        for key in ("needs_target", "untold_only"):
            if not isinstance(raw.get(key, False), bool):
                raise ConfigError(f"{where}.{key}: expected true or false")
        unknown[str(event_type)] = UnknownAgent(
            str(raw["role"]), raw["needs_target"], bool(raw.get("untold_only", False))
        )
    raw_community = data.get("community_classes") or {}
    if not isinstance(raw_community, dict):
        raise ConfigError(f"{path}: community_classes must map a type to an ACLED class")
    community: dict[str, int] = {}
    for name, value in raw_community.items():
        where = f"{path}: community_classes[{name!r}]"
        if name not in acled:
            raise ConfigError(f"{where}: {name!r} is no type of types")
        checked = _class(where, value, names)
        if checked is None:
            raise ConfigError(f"{where}: expected an ACLED class")
        community[str(name)] = checked
    rioters = data["rioters_of"]
    if not isinstance(rioters, list):
        raise ConfigError(f"{path}: rioters_of must be a list of ACLED event types")
    verbs = data.get("unknown_agent_verbs") or {}
    if not isinstance(verbs, dict):
        raise ConfigError(f"{path}: unknown_agent_verbs must map a verb lemma to a role label")
    planters = data.get("planter_verbs") or []
    if not isinstance(planters, list):
        raise ConfigError(f"{path}: planter_verbs must be a list of verb lemmas")
    passive = data.get("passive_agents") or []
    if not isinstance(passive, list):
        raise ConfigError(f"{path}: passive_agents must be a list of verb lemmas")
    earlier = data.get("earlier_agent_types") or []
    if not isinstance(earlier, list):
        raise ConfigError(f"{path}: earlier_agent_types must list ACLED event types, CAMEO roots")
    communal = _communal(str(path), data.get("communal_context"), names, acled)
    return ActorTypes(
        acled_names=names,
        acled=acled,
        state=frozenset(flags["state"]),
        domestic=frozenset(flags["domestic"]),
        armed=frozenset(flags["armed"]),
        state_class=state_class,
        external_class=external_class,
        agents_of=agents,
        rioters_of=frozenset(str(t) for t in rioters),
        unknown_agents=unknown,
        community_classes=community,
        earlier_agent_types=frozenset(str(t) for t in earlier),
        unknown_agent_verbs={str(k).lower(): str(v) for k, v in verbs.items()},
        passive_agents=frozenset(str(v).lower() for v in passive),
        planter_verbs=frozenset(str(v).lower() for v in planters),
        communal_context=communal,
        defenders=_defenders(str(path), data.get("defenders"), names),
        local_classes=_local_classes(str(path), data.get("local_classes"), names, acled),
        ideologies=frozenset(
            str(w) for w in _word_list(str(path), "ideologies", data.get("ideologies"))
        ),
        opponent_verbs=frozenset(
            w.lower() for w in _word_list(str(path), "opponent_verbs", data.get("opponent_verbs"))
        ),
        implied_targets=_implied_targets(str(path), data.get("implied_targets"), names),
        victim_classes=_victim_classes(str(path), data.get("victim_classes"), names),
        creed_militias=_creed_militias(str(path), data.get("creed_militias"), names, acled),
        victim_subject_verbs=frozenset(
            w.lower()
            for w in _word_list(str(path), "victim_subject_verbs", data.get("victim_subject_verbs"))
        ),
    )


def _implied_targets(path: str, raw: object, names: Mapping[int, str]) -> tuple[ImpliedTarget, ...]:
    """The ``implied_targets`` entries, checked (empty when left out; the role labels are
    checked against actors.yaml by the extractor)."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise ConfigError(f"{path}: implied_targets must be a list of entries")
    out: list[ImpliedTarget] = []
    for i, entry in enumerate(raw):
        where = f"{path}: implied_targets[{i}]"
        if not isinstance(entry, dict):
            raise ConfigError(f"{where}: expected {{event_type: TYPE, role: LABEL}}")
        check_keys(
            where,
            entry,
            ("event_type", "role", "actor1_classes", "confidence"),
            required=("event_type", "role"),
        )
        confidence = entry.get("confidence")
        if confidence is not None and (
            isinstance(confidence, bool)
            or not isinstance(confidence, int | float)
            or not 0.0 <= confidence <= 1.0
        ):
            raise ConfigError(f"{where}.confidence: expected a number from 0 to 1")
        for key in ("event_type", "role"):
            if not isinstance(entry[key], str) or not entry[key].strip():
                raise ConfigError(f"{where}.{key}: expected a non-empty string")
        classes = entry.get("actor1_classes") or []
        if not isinstance(classes, list):
            raise ConfigError(f"{where}.actor1_classes: expected a list of ACLED classes")
        checked = {_class(f"{where}.actor1_classes", v, names) for v in classes}
        if None in checked:
            raise ConfigError(f"{where}.actor1_classes: null is no ACLED class")
        out.append(
            ImpliedTarget(
                entry["event_type"].strip(),
                entry["role"].strip(),
                frozenset(c for c in checked if c is not None),
                float(confidence) if confidence is not None else None,
            )
        )
    return tuple(out)


def _creed_militias(
    path: str, raw: object, names: Mapping[int, str], acled: Mapping[str, int | None]
) -> CreedMilitias | None:
    """The ``creed_militias`` entry, checked (None when left out)."""
    if raw is None:
        return None
    where = f"{path}: creed_militias"
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: expected {{types: [...], words: [...], class: N}}")
    check_keys(
        where, raw, ("types", "words", "class", "not_heads"), required=("types", "words", "class")
    )
    types = raw["types"]
    if not isinstance(types, list) or not types or any(t not in acled for t in types):
        raise ConfigError(f"{where}.types: expected a list of types of types")
    target = _class(f"{where}.class", raw["class"], names)
    if target is None:
        raise ConfigError(f"{where}.class: expected an ACLED class")
    return CreedMilitias(
        frozenset(str(t) for t in types),
        frozenset(w.lower() for w in _word_list(where, "words", raw["words"])),
        target,
        frozenset(w.lower() for w in _word_list(where, "not_heads", raw.get("not_heads"))),
    )


def _victim_classes(path: str, raw: object, names: Mapping[int, str]) -> dict[str, VictimClass]:
    """The ``victim_classes`` entries, checked (empty when left out)."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: victim_classes must map an ACLED event type to a rule")
    out: dict[str, VictimClass] = {}
    for event_type, rule in raw.items():
        where = f"{path}: victim_classes[{event_type!r}]"
        if not isinstance(rule, dict):
            raise ConfigError(f"{where}: expected {{class: N, from: [...]}}")
        check_keys(where, rule, ("class", "from"), required=("class", "from"))
        target = _class(f"{where}.class", rule["class"], names)
        if target is None or not isinstance(rule["from"], list) or not rule["from"]:
            raise ConfigError(f"{where}: class must be a class, from a non-empty list of classes")
        replaces = {_class(f"{where}.from", v, names) for v in rule["from"]}
        if None in replaces:
            raise ConfigError(f"{where}.from: null is no ACLED class")
        out[str(event_type)] = VictimClass(target, frozenset(c for c in replaces if c is not None))
    return out


def _word_list(path: str, key: str, raw: object) -> list[str]:
    """An optional list of words, checked."""
    if raw is None:
        return []
    if not isinstance(raw, list) or not all(isinstance(w, str) and w.strip() for w in raw):
        raise ConfigError(f"{path}: {key} must be a list of words")
    return [w.strip() for w in raw]


def _local_classes(
    path: str, raw: object, names: Mapping[int, str], acled: Mapping[str, int | None]
) -> tuple[LocalClass, ...]:
    """The ``local_classes`` entries, checked (empty when left out)."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise ConfigError(f"{path}: local_classes must be a list of entries")
    out: list[LocalClass] = []
    for i, entry in enumerate(raw):
        where = f"{path}: local_classes[{i}]"
        if not isinstance(entry, dict):
            raise ConfigError(f"{where}: expected {{country: ISO3, types: [...], class: N}}")
        check_keys(
            where,
            entry,
            ("country", "types", "class", "from", "until"),
            required=("country", "types", "class"),
        )
        country = entry["country"]
        if not isinstance(country, str) or len(country) != 3 or not country.isupper():
            raise ConfigError(f"{where}.country: expected an ISO alpha-3 code, got {country!r}")
        types = entry["types"]
        if not isinstance(types, list) or not types or any(t not in acled for t in types):
            raise ConfigError(f"{where}.types: expected a list of types of types")
        target = _class(f"{where}.class", entry["class"], names)
        if target is None:
            raise ConfigError(f"{where}.class: expected an ACLED class")
        start = yaml_date(f"{where}.from", entry.get("from"))
        end = yaml_date(f"{where}.until", entry.get("until"))
        if start and end and end <= start:
            raise ConfigError(f"{where}: 'until' must come after 'from'")
        out.append(LocalClass(country, frozenset(str(t) for t in types), target, start, end))
    return tuple(out)


def _defenders(path: str, raw: object, names: Mapping[int, str]) -> DefenderRule | None:
    """The ``defenders`` entry, checked (None when left out)."""
    if raw is None:
        return None
    where = f"{path}: defenders"
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: expected {{types: [...], verbs: [...], classes: [...]}}")
    check_keys(where, raw, ("types", "verbs", "classes"), required=("types", "verbs", "classes"))
    for key in ("types", "verbs", "classes"):
        if not isinstance(raw[key], list) or not raw[key]:
            raise ConfigError(f"{where}.{key}: expected a non-empty list")
    classes = {_class(f"{where}.classes", v, names) for v in raw["classes"]}
    return DefenderRule(
        types=frozenset(str(t) for t in raw["types"]),
        verbs=frozenset(str(v).lower() for v in raw["verbs"]),
        classes=frozenset(c for c in classes if c is not None),
    )


def _communal(
    path: str, raw: object, names: Mapping[int, str], acled: Mapping[str, int | None]
) -> CommunalContext | None:
    """The ``communal_context`` entry, checked (None when left out)."""
    if raw is None:
        return None
    where = f"{path}: communal_context"
    if not isinstance(raw, dict):
        raise ConfigError(
            f"{where}: expected {{words: [...], from: [...], types: [...], class: N}}"
        )
    keys = ("words", "conflict_words", "from", "types", "class")
    check_keys(where, raw, keys, required=keys)
    for key in ("words", "conflict_words", "from", "types"):
        if not isinstance(raw[key], list) or not raw[key]:
            raise ConfigError(f"{where}.{key}: expected a non-empty list")
    target = _class(f"{where}.class", raw["class"], names)
    replaces = {_class(f"{where}.from", v, names) for v in raw["from"]}
    if target is None or None in replaces:
        raise ConfigError(f"{where}: class and from must be ACLED classes")
    unknown = [t for t in raw["types"] if t not in acled]
    if unknown:
        raise ConfigError(f"{where}.types: {unknown!r} are no types of types")
    return CommunalContext(
        words=frozenset(str(w).lower() for w in raw["words"]),
        conflict_words=frozenset(str(w).lower() for w in raw["conflict_words"]),
        replaces=frozenset(c for c in replaces if c is not None),
        types=frozenset(str(t) for t in raw["types"]),
        acled_class=target,
    )


@cache
def actor_types() -> ActorTypes:
    """The shipped table, read once per process."""
    return load_actor_types()
