"""Who did an act, read from the parse: the subject, a passive's by-phrase, the doer of a
how-clause or of an event noun, the subject of a governing clause, or an armed group named just
before; and whom a chain of passives is about."""

from __future__ import annotations

from typing import Any

from spacy.tokens import Token

from pipeline.extract.actor_types import actor_types
from pipeline.extract.actors import holder
from pipeline.extract.cameo_roots import HARM_ROOTS, VIOLENT_ROOTS
from pipeline.extract.clauses import gerund_controller, misparsed_subject
from pipeline.extract.cues import Cues
from pipeline.extract.triggers import Trigger, subjects

HOW_MARKERS = frozenset({"when", "as", "after"})
"""Conjunctions of a clause telling how a passive's harm came about ("killed when X attacked")."""


def agent_token(verb: Token, trigger_at: dict[int, Trigger], cues: Cues) -> Token | None:
    """The agent: the subject, a passive's by-phrase, or the subject of a governing clause."""
    passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)
    misread = misparsed_subject(verb, cues)
    if misread is not None:
        return misread  # "2500 interns protested in the square": a verb, not a participle
    if fragment_predicate(verb):
        return verb.head  # "Opposition MPs, led by X, protested at Parliament"
    if passive or (verb.dep_ == "acl" and verb.tag_ == "VBN"):
        agent = next((c for c in verb.children if c.dep_ == "agent"), None)
        if agent is None:
            # "was kidnapped, murdered and buried by unknown men": the by-phrase of the last
            # of coordinated participles is every one's
            agent = next(
                (
                    c
                    for conj in coordinated_participles(verb)
                    if conj.tag_ == "VBN"
                    and not any(d.dep_ in ("nsubj", "nsubjpass") for d in conj.children)
                    for c in conj.children
                    if c.dep_ == "agent"
                ),
                None,
            )
        if agent is not None:
            return next((c for c in agent.children if c.dep_ == "pobj"), None)
        planter = holder(verb.subtree, actor_types().planter_verbs)
        if planter is not None:
            return planter  # "killed when their vehicle hit a Taliban-planted bomb"
        attacker = attacker_of_clause(verb, trigger_at)
        if attacker is not None:
            return attacker
        # "killed in an air strike by government forces", "killed following an attack by
        # Taliban militants": the agent of the event noun
        # ("were killed and 7 wounded following an attack": the last conjunct's noun too)
        for prep in (
            c
            for v in (verb, *verb.conjuncts)
            for c in v.children
            # "following" is tagged a verb at times ("wounded following an attack")
            if c.dep_ in ("prep", "xcomp", "advcl") and c.lower_ in cues.event_noun_preps
        ):
            for noun in (
                c
                for c in prep.children
                if c.dep_ == "pobj" and c.lemma_.lower() in cues.event_nouns | cues.fight_nouns
            ):
                # "killed in an air strike by X"; "killed in a firefight with Israeli
                # forces": the other side of the fight did it
                agent_prep = "with" if noun.lemma_.lower() in cues.fight_nouns else "by"
                by = next((c for c in noun.children if c.lower_ == agent_prep), None)
                if by is None:
                    # "an attack on a military base by Taliban militants": the parse hangs
                    # the by-phrase on the target's noun
                    by = next(
                        (
                            b
                            for prep_ in noun.children
                            if prep_.dep_ == "prep" and prep_.lower_ in ("on", "against")
                            for target in prep_.children
                            if target.dep_ == "pobj"
                            for b in target.children
                            if b.lower_ == agent_prep and b.dep_ in ("prep", "agent")
                        ),
                        None,
                    )
                if by is not None:
                    return next((c for c in by.children if c.dep_ == "pobj"), None)
        return None
    subject = next(iter(subjects(verb)), None)
    if subject is not None:
        return subject
    told = trigger_at.get(verb.i)
    shared = shared_agent(verb) if told and told.code[:2] in HARM_ROOTS else None
    if shared is not None:
        return shared  # "tried by a military court and sentenced": the court sentenced
    controlling = gerund_controller(verb, cues)
    if controlling is not None:
        return controlling  # "accused them of protesting": they protest
    if verb.dep_ == "relcl":
        return None
    token = verb
    for _ in range(6):
        head = token.head
        if head.i == token.i:
            return None
        if token.dep_ == "xcomp" and head.lemma_.lower() not in cues.means_verbs:
            controller = next((c for c in head.children if c.dep_ in ("dobj", "dative")), None)
            if controller is not None:
                return controller  # object control: "urged rebels to leave"
        if head.pos_ in ("VERB", "AUX"):
            if any(c.dep_ in ("nsubjpass",) for c in head.children):
                if token.dep_ == "xcomp" and head.lemma_.lower() in cues.perception_verbs:
                    # "were seen patrolling": who was seen does it (the nearest, not a
                    # "Movement of forces:" label the parse also hangs there)
                    return [c for c in head.children if c.dep_ == "nsubjpass"][-1]
                return None
            found = next(iter(subjects(head)), None) or gerund_controller(head, cues)
            if found is not None:
                return found
            if fragment_predicate(head):
                return head.head  # "MPs, led by X, protested ..., alleging": the MPs allege
        if (
            token.dep_ == "acl"
            and token.tag_ == "VBG"
            and head.dep_ in ("dobj", "nsubjpass")
            and head.lemma_.lower() in cues.attribution_kinds.get("statement", ())
        ):
            # "passed a motion condemning X", "issued a statement criticising": whoever
            # passed or issued it condemns
            token = head
            continue
        if token.dep_ not in ("xcomp", "conj", "advcl", "pcomp", "prep", "acl", "pobj"):
            return None
        token = head
    return None


def coordinated_participles(verb: Token) -> list[Token]:
    """The participles coordinated with ``verb``: its conjuncts, and a list the parser hangs as a
    clause after a comma ("was attacked, tortured and raped by X": "tortured" a clause of
    "attacked", "raped" its conjunct); a clause with a conjunction of its own ("killed when",
    "beaten after") is another act."""
    listed = [
        c
        for c in verb.children
        if c.dep_ == "advcl"
        and c.tag_ == "VBN"
        and c.i > verb.i
        and verb.doc[c.i - 1].text == ","
        and not any(m.dep_ in ("mark", "advmod") for m in c.children if m.i < c.i)
    ]
    return [*verb.conjuncts, *(p for c in listed for p in (c, *c.conjuncts))]


def armed_name_before(verb: Token, named: dict[int, Any]) -> Token | None:
    """The nearest armed group or force the dictionary names before ``verb`` in its sentence,
    when the act has an object and no finite verb or other actor lies between them."""
    if not any(c.dep_ in ("dobj", "obj") for c in verb.children):
        return None
    armed = actor_types().armed
    for token in reversed(verb.doc[verb.sent.start : verb.i]):
        if (
            token.tag_ in ("VBD", "VBZ", "VBP", "MD")
            and token.pos_ in ("VERB", "AUX")
            and token.text != "IS"  # "IS Sahel": a name the tagger read as a verb
        ):
            return None
        hit = named.get(token.i)
        if hit is None:
            continue
        actor = hit[1]
        if getattr(actor, "type", None) in armed and not getattr(actor, "country_like", False):
            return token
        return None
    return None


def attacker_of_clause(verb: Token, trigger_at: dict[int, Trigger]) -> Token | None:
    """Who did the violence of a clause that tells how a passive's harm came about: "two were
    killed *when gunmen attacked* the village" (the gunmen killed them)."""
    for clause in (c for c in verb.children if c.dep_ == "advcl"):
        told = trigger_at.get(clause.i)
        if told is None or told.code[:2] not in VIOLENT_ROOTS:
            continue
        if not any(c.lower_ in HOW_MARKERS for c in clause.children):
            continue
        subject = next((c for c in clause.children if c.dep_ == "nsubj"), None)
        if subject is not None:
            return subject
        # "killed after a bus was ambushed by Al Shabaab"
        agent = next((c for c in clause.children if c.dep_ == "agent"), None)
        pobj = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent else None
        if pobj is not None:
            return pobj
    return None


def shared_agent(verb: Token) -> Token | None:
    """The by-phrase of the passive a subjectless, objectless conjunct is coordinated with
    ("tried by a military court and sentenced to ten years")."""
    if verb.dep_ != "conj" or any(c.dep_ in ("dobj", "obj", "agent") for c in verb.children):
        return None
    head = verb.head
    if head.tag_ != "VBN":
        return None
    agent = next((c for c in head.children if c.dep_ == "agent"), None)
    if agent is None:
        return None
    return next((c for c in agent.children if c.dep_ == "pobj"), None)


def shared_patient(verb: Token) -> Token | None:
    """Whom a chain of passives is about: "the activist was detained, tried by a court and
    sentenced" (the patient of the first)."""
    token = verb
    for _ in range(3):
        patient = next((c for c in token.children if c.dep_ == "nsubjpass"), None)
        if patient is not None:
            return patient
        if token.dep_ not in ("conj", "advcl") or token.head.tag_ != "VBN":
            return None
        token = token.head
    return None


def fragment_predicate(verb: Token) -> bool:
    """A sentence parsed as a noun with a participle after a comma is a clause the parser missed:
    "Opposition MPs, led by X, protested at Parliament" (the MPs protested). A headline's
    participle ("Five soldiers killed in attack") has no comma and stays passive."""
    head = verb.head
    return (
        verb.dep_ == "acl"
        and verb.tag_ in ("VBN", "VBD")
        and head.dep_ == "ROOT"
        and head.pos_ in ("NOUN", "PROPN")
        and verb.i > 0
        and verb.doc[verb.i - 1].is_punct
        and not any(c.dep_ in ("agent", "auxpass", "nsubjpass") for c in verb.children)
        and not any(t.pos_ in ("VERB", "AUX") and t.dep_ == "ROOT" for t in verb.sent)
    )
