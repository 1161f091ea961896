"""One incident, one ACLED type, decided by who is on each side (ACLED's codebook).

The typer reads each trigger in its sentence; ACLED's types also depend on the actors: a battle
is fought between organised armed groups ("supporters of two candidates clashed" is a riot), an
unarmed crowd that kills is mob violence, not violence against civilians, and the casualties a
note reports ("six people were injured in the clash") are the clash's, not a second event by
somebody unnamed. The rules are data (``data/acled_sides.yaml``); the actor types' armed and
state flags come from ``actor_types.yaml``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pipeline.errors import ConfigError
from pipeline.extract.actor_types import ActorTypes
from pipeline.extract.datafiles import DATA_DIR, check_keys, read_yaml, words
from schemas import Actor, Event

_NAMES = ("battles", "armed_clash", "riots", "protests", "violent_demonstration", "mob_violence")
_ARMED = "<armed class>"
# An acronym: an unknown group's name as reports write it ("TMF", "AAS"); a word NER alone calls an
# organisation ("supporters", "the youth wing") may be anybody
_ACRONYM = re.compile(r"\b[A-Z]{2,6}\b")
_LISTS = (
    "armed_doer_only",
    "unarmed_types",
    "casualty_types",
    "incident_types",
    "unclassed_names",
    "force_types",
    "crowd_acts",
    "unknown_doer_words",
)

_OPTIONAL_LISTS = ("crowd_acts", "unknown_doer_words")


@dataclass(frozen=True)
class SideRules:
    """The table of ``acled_sides.yaml``."""

    battles: str
    armed_clash: str
    """The battles' sub-type of a fight that neither takes nor retakes territory."""
    riots: str
    protests: str
    violent_demonstration: str
    mob_violence: str
    armed_doer_only: frozenset[str]
    unarmed_types: frozenset[str]
    casualty_types: frozenset[str]
    incident_types: frozenset[str]
    unclassed_names: frozenset[str] = frozenset()
    unclassed_armed_class: int | None = None
    force_types: frozenset[str] = frozenset()
    crowd_acts: frozenset[str] = frozenset()
    """Sub-types of acts that are a riot when a crowd does them ("rioters burned the office")."""
    unknown_doer_words: frozenset[str] = frozenset()
    """Words that make a doer somebody unknown, not a crowd ("unknown people killed a man")."""
    against_civilians: tuple[str, str] | None = None
    """The ACLED type and sub-type of an armed doer's act against civilians."""
    civilian_classes: frozenset[int] = frozenset()


def load_side_rules(path: Path | None = None) -> SideRules:
    """Read and check ``acled_sides.yaml``."""
    path = path or DATA_DIR / "acled_sides.yaml"
    data = read_yaml(path)
    check_keys(
        str(path),
        data,
        (*_NAMES, *_LISTS, "unclassed_armed_class", "against_civilians"),
        (*_NAMES, *(k for k in _LISTS if k not in _OPTIONAL_LISTS)),
    )
    names: dict[str, str] = {}
    for key in _NAMES:
        value = data[key]
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"{path}: {key} must be an ACLED type or sub-type name")
        names[key] = value.strip()
    lists = {
        key: frozenset(words(f"{path}: {key}", data.get(key) or [], lower=False)) for key in _LISTS
    }
    armed_class = data.get("unclassed_armed_class")
    if armed_class is not None and (
        isinstance(armed_class, bool) or not isinstance(armed_class, int)
    ):
        raise ConfigError(f"{path}: unclassed_armed_class must be an ACLED class number")
    against, civilian_classes = _against_civilians(path, data.get("against_civilians"))
    return SideRules(
        battles=names["battles"],
        armed_clash=names["armed_clash"],
        riots=names["riots"],
        protests=names["protests"],
        violent_demonstration=names["violent_demonstration"],
        mob_violence=names["mob_violence"],
        armed_doer_only=lists["armed_doer_only"],
        unarmed_types=lists["unarmed_types"],
        casualty_types=lists["casualty_types"],
        incident_types=lists["incident_types"],
        unclassed_names=lists["unclassed_names"],
        unclassed_armed_class=armed_class,
        force_types=lists["force_types"],
        crowd_acts=lists["crowd_acts"],
        unknown_doer_words=frozenset(w.lower() for w in lists["unknown_doer_words"]),
        against_civilians=against,
        civilian_classes=civilian_classes,
    )


def _against_civilians(path: Path, raw: object) -> tuple[tuple[str, str] | None, frozenset[int]]:
    """The optional ``against_civilians`` entry: type, sub-type and the target classes."""
    if raw is None:
        return None, frozenset()
    where = f"{path}: against_civilians"
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: expected a mapping")
    keys = ("event_type", "sub_event_type", "target_classes")
    check_keys(where, raw, keys, keys)
    classes = raw["target_classes"]
    if not isinstance(classes, list) or not all(
        isinstance(c, int) and not isinstance(c, bool) for c in classes
    ):
        raise ConfigError(f"{where}: target_classes must be a list of ACLED class numbers")
    return (str(raw["event_type"]), str(raw["sub_event_type"])), frozenset(classes)


@cache
def side_rules() -> SideRules:
    """The shipped table, read once per process."""
    return load_side_rules()


def _type(actor: Actor | None) -> str | None:
    return actor.type if actor is not None else None


class IncidentTyper:
    """Applies the side rules to the events of one article."""

    def __init__(self, rules: SideRules, types: ActorTypes) -> None:
        self.rules = rules
        self.types = types
        self.armed = types.armed | types.state
        # Classes of armed and state types, plus external forces: an actor classed so fights,
        # whatever its own type says ("farmers attacked a herders' camp": a communal militia).
        self.armed_classes = frozenset(
            c for t, c in types.acled.items() if c is not None and t in self.armed
        ) | {types.state_class, types.external_class, *types.community_classes.values()}

    def _side(self, actor: Actor | None) -> str | None:
        """The actor's type for the side rules; ``armed`` for an actor of an armed class."""
        if actor is not None and actor.acled_class in self.armed_classes:
            return _ARMED
        return _type(actor)

    def armed_side(self, actor: Actor | None) -> bool:
        """True when the actor is an armed or state side (its type or its ACLED class)."""
        return actor is not None and self._side(actor) in self.armed | {_ARMED}

    def _riot(self, event: Event, demonstration: bool) -> Event:
        """The event as a riot; its doer a rioter whatever the words called it."""
        rules = self.rules
        protesting = demonstration or _type(event.actor1) == "protesters"
        sub = rules.violent_demonstration if protesting else rules.mob_violence
        actor1, actor2 = event.actor1, event.actor2
        rule = self.types.agents_of.get(rules.riots)
        if actor1 is not None and rule is not None and actor1.type not in self.armed:
            actor1 = _with_class(actor1, rule.acled_class)
        if actor2 is not None and actor2.acled_class == 6 and rules.riots in self.types.rioters_of:
            actor2 = _with_class(actor2, 5)  # protesters of a riot are rioters
        return _retyped(event, rules.riots, sub, actor1, actor2)

    def violent_demonstration(self, events: Sequence[Event]) -> list[Event]:
        """The events with the article's first factual protest by a crowd (else its first
        factual protest) made a violent demonstration, when it tells no riot yet; the other
        protests follow it (``demonstrations.as_one_demonstration``)."""
        rules = self.rules
        factual = [e for e in events if e.factual]
        if any(e.event_type == rules.riots for e in factual):
            return list(events)
        protests = [e for e in factual if e.event_type == rules.protests]
        if not protests:
            return list(events)
        chosen = next(
            (e for e in protests if e.actor1 is None or e.actor1.type not in self.armed),
            protests[0],
        )
        return [self._riot(e, True) if e is chosen else e for e in events]

    def _unclassed_armed(self, event: Event) -> Event:
        """Acronyms nobody classed that fight are armed: actor 1 of an act of force, either side
        of a battle ("AAS and the army clashed")."""
        rules = self.rules
        armed_class = rules.unclassed_armed_class
        if armed_class is None or event.event_type not in rules.force_types:
            return event

        def armed(actor: Actor | None, side: bool) -> Actor | None:
            if (
                side
                and actor is not None
                and actor.acled_class is None
                and actor.type in rules.unclassed_names
                and _ACRONYM.search(actor.name)
            ):
                return _with_class(actor, armed_class)
            return actor

        actor1 = armed(event.actor1, True)
        actor2 = armed(event.actor2, event.event_type == rules.battles)
        return _retyped(event, event.event_type, event.sub_event_type, actor1, actor2)

    def by_sides(
        self, event: Event, demonstration: bool, mutual: bool = False, victim_first: bool = False
    ) -> Event:
        """The event's type given its sides: no battle without armed or state actors on both
        sides, no violence against civilians by an unarmed doer; ``mutual``: the trigger tells a
        fight both sides fought ("clashed", "a gunfight"); ``victim_first``: actor 1 may be the
        victim of a passive told without "was" ("Post newspaper vendors attacked")."""
        if not event.factual or event.actor1 is None:
            return event
        event = self._unclassed_armed(event)
        rules = self.rules
        doer, target = self._side(event.actor1), self._side(event.actor2)
        unarmed = rules.unarmed_types
        armed = self.armed | {_ARMED}
        target_class = event.actor2.acled_class if event.actor2 is not None else None
        civilian_attack = rules.against_civilians[0] if rules.against_civilians else None
        if (
            mutual
            and event.event_type in (rules.battles, civilian_attack)
            and doer in armed
            and event.actor1 is not None
            and event.actor1.acled_class != self.types.state_class
            and target_class in rules.civilian_classes
        ):
            # "Bul Nuer militia clashed with local youths", "Fulani herders clashed with youth from
            # a farming community": a militia's clash is fought by both sides, whoever the words
            # call the other (state forces clashing with civilians stay a riot or an attack)
            if event.event_type == rules.battles:
                return event
            return _retyped(event, rules.battles, rules.armed_clash, event.actor1, event.actor2)
        unknown_doer = self._unknown_doer(event.actor1)
        if (
            unknown_doer
            and not mutual
            and rules.against_civilians is not None
            and (
                (event.event_type, event.sub_event_type) == (rules.riots, rules.mob_violence)
                # an armed unknown doer's battle is the armed side rules' to decide
                or (event.event_type == rules.battles and doer not in armed)
            )
            and (event.actor2 is None or target_class in rules.civilian_classes)
        ):
            # "unknown people have killed the village chairman", "unidentified persons shot
            # dead a businessman": an attack on a civilian by somebody nobody names (ACLED's
            # unidentified armed group), neither a battle nor a mob's violence
            event_type, sub = rules.against_civilians
            return _retyped(event, event_type, sub, event.actor1, event.actor2)
        if (
            event.event_type == rules.battles
            and rules.against_civilians is not None
            and doer in armed
            and target_class in rules.civilian_classes
        ):
            # "police assaulted a journalist", "gunmen attacked a vehicle, killing a woman": a
            # battle is fought between armed groups; an armed doer's act on civilians is not one
            event_type, sub = rules.against_civilians
            return _retyped(event, event_type, sub, event.actor1, event.actor2)
        if (
            victim_first
            and event.actor2 is None
            and doer not in armed
            and event.event_type in (rules.battles, *rules.armed_doer_only)
            and rules.against_civilians is not None
        ):
            # "Taxi driver murdered in suspected ritual killing", "Post newspaper vendors
            # attacked", "Victim murdered by unknown persons": a headline's passive; the unarmed
            # subject is whom it was done to, by a doer the text does not name
            event_type, sub = rules.against_civilians
            if event.event_type in rules.armed_doer_only:
                event_type, sub = event.event_type, event.sub_event_type
            victim = event.actor1
            if (
                victim is not None
                and rules.civilian_classes
                and victim.acled_class not in rules.civilian_classes
            ):
                # classed as the doer it seemed to be (a rioter): the victim is a civilian
                victim = _with_class(victim, min(rules.civilian_classes))
            return _retyped(event, event_type, sub, None, victim)
        if event.event_type == rules.battles and (
            (doer not in armed and target not in armed) or doer in unarmed or target in unarmed
        ):
            # "students clashed with police": a riot; a battle needs armed groups on both sides
            return self._riot(event, demonstration)
        if (
            event.event_type in rules.armed_doer_only
            and doer in rules.unarmed_types
            and not unknown_doer
        ):
            return self._riot(event, demonstration)
        if (
            event.event_type == rules.riots
            and event.sub_event_type == rules.mob_violence
            and not demonstration
            and rules.against_civilians is not None
            and (doer in armed or unknown_doer)
            and (event.actor2 is None or target_class in rules.civilian_classes)
        ):
            # "soldiers beat a suspected thief to death", "unknown people shot dead a resident":
            # a mob is a crowd; an armed or unknown doer's act on civilians is an attack on them
            event_type, sub = rules.against_civilians
            return _retyped(event, event_type, sub, event.actor1, event.actor2)
        if event.sub_event_type in rules.crowd_acts and self._crowd(event.actor1):
            # "rioters burned CCM meeting places", "a mob burnt down a farm": a crowd's
            # destruction is a riot; a gang's or an army's stays a strategic development
            return self._riot(event, demonstration)
        return event

    def _unknown_doer(self, actor: Actor | None) -> bool:
        """The actor is somebody the text does not know ("unknown people", "unidentified
        persons"): an attacker nobody named, not a crowd."""
        if actor is None:
            return False
        first = actor.name.lower().split()[:2]
        return bool(set(first) & self.rules.unknown_doer_words)

    def _crowd(self, actor: Actor | None) -> bool:
        """The actor is an unarmed crowd: an unarmed type, or classed rioters or protesters."""
        if actor is None or self.armed_side(actor):
            return False
        crowd_classes = {
            rule.acled_class
            for name in (self.rules.riots, self.rules.protests)
            if (rule := self.types.agents_of.get(name)) is not None
        }
        return actor.type in self.rules.unarmed_types or actor.acled_class in crowd_classes

    def types_of(
        self,
        events: Sequence[Event],
        mutual: Callable[[Event], bool] | None = None,
        victim_first: Callable[[Event], bool] | None = None,
    ) -> list[Event]:
        """The article's events, each typed by its sides; then harm by an unnamed doer typed as
        the article's named act (ACLED codes casualties with the act that caused them).
        ``mutual`` says whether an event's trigger tells a fight both sides fought,
        ``victim_first`` whether its subject may be its victim (``by_sides``)."""
        rules = self.rules
        demonstration = any(e.factual and e.event_type == rules.protests for e in events)
        out = [
            self.by_sides(
                e,
                demonstration,
                mutual is not None and mutual(e),
                victim_first is not None and victim_first(e),
            )
            for e in events
        ]
        named = [
            e
            for e in out
            if e.factual
            and e.event_type in rules.incident_types
            and e.actor1 is not None
            and e.actor1.span is not None
        ]
        if not named:
            return out
        incident = max(named, key=lambda e: (e.confidence, -e.trigger.start))
        place = incident.place.name if incident.place else None
        return [
            _retyped(e, incident.event_type, incident.sub_event_type, incident.actor1, e.actor2)
            if e.factual
            and e is not incident
            and e.event_type in rules.casualty_types
            and (e.actor1 is None or e.actor1.span is None)
            and (e.place is None or e.place.name == place)
            else e
            for e in out
        ]


def _with_class(actor: Actor, acled_class: int) -> Actor:
    if actor.acled_class == acled_class:
        return actor
    return actor.derive(acled_class=acled_class)


def _retyped(
    event: Event, event_type: str, sub: str, actor1: Actor | None, actor2: Actor | None
) -> Event:
    if (event_type, sub, actor1, actor2) == (
        event.event_type,
        event.sub_event_type,
        event.actor1,
        event.actor2,
    ):
        return event
    fields = {
        **event.asdict(),
        "event_type": event_type,
        "sub_event_type": sub,
        "actor1": actor1,
        "actor2": actor2,
    }
    return Event(**fields)
