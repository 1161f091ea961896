"""How an act is coded once its actors are known: the refinements of ``triggers.yaml`` that change
its code or ACLED type by instrument, actor types and root, and actor 1 recast in the role the act
gives it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from pipeline.extract.actors import STATE_TYPES, ActorMention, Role
from pipeline.extract.lexicon import CodeInfo, Lexicon, Refinement


def refine(
    info: CodeInfo,
    instruments: set[str],
    actor1: ActorMention | None,
    actor2: ActorMention | None,
    lexicon: Lexicon,
) -> tuple[CodeInfo, str, str]:
    """The code and ACLED type and sub-type of an act after the refinements of triggers.yaml
    (by instruments, actor types, root), and the non-state sub-type where actor 1 is no state."""
    code_set = False
    event_type, sub_event_type = info.event_type, info.sub_event_type
    type1 = actor1.primary.type if actor1 else None
    type2 = {m.type for m in actor2.members} if actor2 else set()
    for rule in lexicon.refinements:
        if rule.when_roots and info.root not in rule.when_roots:
            continue
        if rule.when_event_types and event_type not in rule.when_event_types:
            continue
        if info.code in rule.except_codes:
            continue
        if rule.instruments and not (instruments & rule.instruments):
            continue
        if rule.actor1_types and type1 not in rule.actor1_types:
            continue
        if rule.actor2_types and not (type2 & rule.actor2_types):
            continue
        if rule.code is not None:
            if code_set:
                continue
            code_set = True
            info = lexicon.codes.info(rule.code)
            event_type, sub_event_type = info.event_type, info.sub_event_type
        if rule.event_type is not None:
            event_type = rule.event_type
        if rule.sub_event_type is not None:
            sub_event_type = rule.sub_event_type
    if (
        info.nonstate_sub_event_type
        and type1 is not None
        and type1 not in STATE_TYPES
        and sub_event_type == info.sub_event_type
    ):
        sub_event_type = info.nonstate_sub_event_type
    return info, event_type, sub_event_type


def recast(
    actor1: ActorMention,
    info: CodeInfo,
    event_type: str,
    refinements: Sequence[Refinement],
    roles: Mapping[str, Role],
) -> ActorMention:
    """Actor 1 in the role the act gives it (refinements with ``actor1_role``): "two women
    detonated explosives" are attackers, not civilians."""
    for rule in refinements:
        if rule.actor1_role is None or actor1.primary.type not in rule.actor1_types:
            continue
        if rule.when_roots and info.root not in rule.when_roots:
            continue
        if rule.when_event_types and event_type not in rule.when_event_types:
            continue
        role = roles[rule.actor1_role]
        members = tuple(
            replace(
                m,
                normalized=role.label,
                type=role.type,
                code=(m.country or "") + role.code,
                confidence=m.confidence * 0.8,
                acled_class=role.acled_class,
                agent_class=role.agent_class,
            )
            for m in actor1.members
        )
        return replace(actor1, members=members)
    return actor1
