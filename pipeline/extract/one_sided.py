"""An armed doer's attack that nobody fought back is violence against civilians, not a battle.

"Attacked" codes a fight (CAMEO 190, ACLED Battles) and the side rules (``incident_types.py``)
retype it only when the parse found a civilian target on the same event. ACLED codes by who was
attacked in the whole report: "Boko Haram attacked the village of Barakesse, killing two
civilians", "gunmen opened fire on a bar, killing a councillor" are attacks on civilians. So a
battle becomes violence against civilians when its doer is armed, its target is a civilians' place
(or, for a doer that is not a state's force, a name the parse found no actor in: "Islamist
militants attacked Muatide", a village) or the article tells harm to civilians, and nothing in
the article says an armed side fought back: no armed target on any event, no fight or defence
word ("engaged in a firefight", "were repelled by vigilantes"). A killing or wounding
(``one_sided_acts``) in such an article is one whoever its victim: "2 killed at Garapa",
"murdered by an unidentified gunman". Cue words: ``civilian_places``, ``one_sided_acts`` and
``fought_back`` in ``cues.yaml``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from spacy.tokens import Doc, Span, Token

from pipeline.errors import ConfigError
from pipeline.extract.actor_types import actor_types
from pipeline.extract.cues import Cues
from pipeline.extract.event_typer import AcledTypes
from pipeline.extract.incident_types import SideRules
from schemas import Actor, Event

_TARGET_DEPS = frozenset({"dobj", "nsubjpass"})
_TARGET_PREPS = frozenset({"on", "against", "at", "into"})
_ACRONYM = re.compile(r"[A-Z][A-Z0-9-]{1,7}")


def trigger_token(doc: Doc, event: Event) -> Token | None:
    """The first word of the event's trigger in ``doc``."""
    span = doc.char_span(event.trigger.start, event.trigger.end, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


def targets(token: Token) -> list[Token]:
    """What the act at ``token`` was done to: its object, its passive subject, the object of
    "on"/"against" ("opened fire on a bar", "an attack on the market")."""
    out = [c for c in token.children if c.dep_ in _TARGET_DEPS]
    for prep in token.children:
        if prep.dep_ == "prep" and prep.lower_ in _TARGET_PREPS:
            out.extend(c for c in prep.children if c.dep_ == "pobj")
    if token.dep_ == "compound" or (token.dep_ == "amod" and token.head.pos_ == "NOUN"):
        # "Village attacked by LRA rebels" parsed with the verb inside the noun phrase
        out.append(token.head)
    return out


def victim_first(token: Token | None, fights: frozenset[str]) -> bool:
    """The act's subject may be its victim: a verb with a subject and no object or auxiliary,
    told as a headline's passive ("Post newspaper vendors attacked", "Victim murdered by unknown
    persons"); not a fight, which both sides do."""
    if token is None or token.pos_ != "VERB" or token.lemma_.lower() in fights:
        return False
    deps = {c.dep_ for c in token.children}
    if "agent" in deps:
        return True
    if any(c.dep_ == "conj" and any(g.dep_ == "dobj" for g in c.children) for c in token.children):
        return False  # "assaulted and injured the defeated candidate": the object is shared
    return "nsubj" in deps and not deps & {"dobj", "aux", "auxpass", "ccomp", "xcomp", "prt"}


def fight_words(cues: Cues) -> frozenset[str]:
    """Lemmas that tell a fight both sides fought, or a defence ("clash", "firefight",
    "repel")."""
    return cues.fought_back | cues.fight_nouns | cues.reciprocal_verbs


def fought_back(doc: Doc | Span, cues: Cues) -> bool:
    """The article tells a fight or a defence: an armed side was on each end."""
    words = fight_words(cues)
    return any(t.lemma_.lower() in words or t.lower_ in words for t in doc)


def one_sided_attacks(
    events: Sequence[Event],
    doc: Doc,
    cues: Cues,
    rules: SideRules,
    armed: Callable[[Actor | None], bool],
    *,
    acts: bool = False,
) -> list[Event]:
    """The article's events with its one-sided battles made violence against civilians;
    ``armed`` says whether an actor is an armed or state side (``IncidentTyper.armed_side``).
    ``acts``: decide by the act alone (``one_sided_acts``), once the victims of headline passives
    are actor 2 ("One soldier wounded" is a battle's casualty, not a civilian's)."""
    if rules.against_civilians is None:
        return list(events)
    factual = [e for e in events if e.factual]
    # only a generic fight changes: taking or retaking territory is a battle whoever held it
    candidates = [
        e
        for e in factual
        if e.event_type == rules.battles
        and e.sub_event_type == rules.armed_clash
        and armed(e.actor1)
    ]
    if not candidates or any(armed(e.actor2) for e in factual) or fought_back(doc, cues):
        return list(events)
    harmed = any(
        e.actor2 is not None and e.actor2.acled_class in rules.civilian_classes for e in factual
    )
    event_type, sub = rules.against_civilians
    out: list[Event] = []
    for event in events:
        if any(event is c for c in candidates):
            token = trigger_token(doc, event)
            place = token is not None and any(
                t.lemma_.lower() in cues.civilian_places
                or (
                    _place_name(t, token, cues)
                    and event.actor2 is None
                    and _non_state(event.actor1)
                )
                for t in targets(token)
            )
            # "2 killed at Garapa", "murdered by an unidentified gunman": a killing nobody fought
            # is done to whoever it was done to, named or not
            act = token is not None and _unnamed_victims_killed(token, event, cues, rules)
            if act if acts else harmed or place:
                event = event.derive(event_type=event_type, sub_event_type=sub)
        out.append(event)
    return out


def _place_name(target: Token, act: Token, cues: Cues) -> bool:
    """The object of an attack is a name that is no acronym ("attacked Muatide", not "attacked
    SSPDF": an acronym nobody listed is a group's); "at Ombasi" tells where, not whom, and whom
    a killing names ("1 Arbaki was killed") is a person or a group."""
    return (
        target.pos_ == "PROPN"
        and target.dep_ == "dobj"
        and act.lemma_.lower() not in cues.one_sided_acts
        and not _ACRONYM.fullmatch(target.text)
    )


def _non_state(actor: Actor | None) -> bool:
    """An armed doer that is neither the state's forces nor a foreign state's."""
    types = actor_types()
    return actor is not None and actor.acled_class not in (types.state_class, types.external_class)


def _unnamed_victims_killed(token: Token, event: Event, cues: Cues, rules: SideRules) -> bool:
    """The act (or a participle telling its result: "attacked the building, killing 30") is one
    of ``one_sided_acts`` done to civilians, or to victims the words count but do not name ("2
    killed at Garapa", "killing 30"); victims named otherwise ("1 Arbaki was killed", "25
    soldiers were killed") may have been a side of a fight."""
    if event.actor2 is not None and event.actor2.acled_class not in rules.civilian_classes:
        return False
    acts = [t for t in (token, *_accompanying(token)) if t.lemma_.lower() in cues.one_sided_acts]
    if not acts:
        return False
    if event.actor2 is not None:
        return True  # "a trader was murdered by an unidentified gunman": a civilian
    patients: list[Token] = []
    for act in acts:
        patients.extend(c for c in act.children if c.dep_ in _TARGET_DEPS)
        if act.tag_ == "VBN" and not any(c.dep_ in ("aux", "auxpass") for c in act.children):
            patients.extend(c for c in act.children if c.dep_ == "nsubj")  # "3 killed"
    return all(p.pos_ == "NUM" for p in patients)


def _accompanying(token: Token) -> list[Token]:
    """Participles that tell what the act did: "attacked the building, killing 30"."""
    return [c for c in token.children if c.dep_ == "advcl" and c.tag_ == "VBG"]


def _phrases(token: Token) -> set[str]:
    """The token's lemma, and with each modifier before it ("air strike", "small arm")."""
    lemma = token.lemma_.lower()
    out = {lemma, token.lower_}
    for child in token.children:
        if child.dep_ in ("compound", "amod") and child.i < token.i:
            out.add(f"{child.lemma_.lower()} {lemma}")
            out.update(f"{g.lemma_.lower()} {child.lemma_.lower()} {lemma}" for g in child.children)
    return out


_WHOLE_REPORT_SENTENCES = 3
"""A report of this many sentences or fewer (an event note, a brief) is read whole for weapons."""


def remote_weapon(doc: Doc | Span, cues: Cues) -> str | None:
    """The ACLED sub-type of the first weapon used from afar the article names as a weapon (the
    head of its phrase, or before a word of attack: "an IED attack"); None when it names none,
    or tells direct fire ("small arms", "gunfire") or a fight."""
    if fought_back(doc, cues):
        return None
    found: str | None = None
    for token in doc:
        phrases = _phrases(token)
        if phrases & cues.direct_fire:
            return None
        if found is not None:
            continue
        modifier = token.dep_ in ("compound", "amod", "nmod")
        if modifier and token.head.lemma_.lower() not in cues.remote_attack_heads:
            continue  # "grenade launchers", "rocket launcher": a weapon's name, not its use
        if _crowd_control(token, cues):
            continue  # "tear gas bombs", "stun grenades"
        found = next((sub for sub, ws in cues.remote_weapons.items() if phrases & ws), None)
    return found


def _crowd_control(token: Token, cues: Cues) -> bool:
    """The weapon is named as crowd control: a modifier before it (or before that modifier) is
    one of ``crowd_control_weapons`` ("tear gas bombs")."""
    for child in token.children:
        if child.dep_ in ("compound", "amod", "nmod") and child.i < token.i:
            words = {child.lemma_.lower(), *(g.lemma_.lower() for g in child.children)}
            if words & cues.crowd_control_weapons:
                return True
    return False


def remote_attacks(
    events: Sequence[Event],
    doc: Doc,
    cues: Cues,
    rules: SideRules,
    explosions: str,
    *,
    on_civilians: bool = False,
) -> list[Event]:
    """The article's battles made remote violence (``explosions``: ACLED's type name) when it
    puts the harm on a weapon used from afar and tells no fight and no direct fire.
    ``on_civilians``: its attacks on civilians instead ("two civilians were killed by the
    explosion of an IED", "a man was killed in regime shelling": ACLED types by the weapon, the
    civilians stay actor 2)."""
    kind = (rules.battles, rules.armed_clash)
    if on_civilians:
        if rules.against_civilians is None:
            return list(events)
        kind = rules.against_civilians
    fights = [e for e in events if e.factual and (e.event_type, e.sub_event_type) == kind]
    if not fights:
        return list(events)
    sents = list(doc.sents)
    if len(sents) <= _WHOLE_REPORT_SENTENCES:
        sub = remote_weapon(doc, cues)
        if sub is None:
            return list(events)
        return [
            e.derive(event_type=explosions, sub_event_type=sub)
            if any(e is f for f in fights)
            else e
            for e in events
        ]
    out: list[Event] = []
    for event in events:
        token = trigger_token(doc, event) if any(event is f for f in fights) else None
        if token is not None:
            # a long article: only the weapon told beside the act ("bombing civilians" three
            # paragraphs later does not make "launched its invasion" an IED)
            at = next(i for i, s in enumerate(sents) if s.start <= token.i < s.end)
            window = doc[sents[max(0, at - 1)].start : sents[min(len(sents) - 1, at + 1)].end]
            sub = remote_weapon(window, cues)
            if sub is not None:
                event = event.derive(event_type=explosions, sub_event_type=sub)
        out.append(event)
    return out


def remote_type(cues: Cues, acled: AcledTypes) -> str:
    """The ACLED type whose sub-types ``remote_weapons`` names (all must be of one type)."""
    kinds = {t for t, subs in acled.sub_types.items() if set(cues.remote_weapons) <= set(subs)}
    if len(kinds) != 1:
        raise ConfigError(
            "cues.yaml: remote_weapons: keys must be sub-types of one ACLED type "
            f"(acled_types.yaml); got {sorted(cues.remote_weapons)}"
        )
    return kinds.pop()
