"""Modality of an event clause: asserted, alleged, negated, future, hypothetical or conditional."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from pipeline.extract.cues import Cues

ASSERTED = "asserted"
NEGATED = "negated"
FUTURE = "future"
HYPOTHETICAL = "hypothetical"
CONDITIONAL = "conditional"
ALLEGED = "alleged"
# When several cues apply, the strongest denial of factuality wins.
_RANK = {ASSERTED: 0, ALLEGED: 1, FUTURE: 2, HYPOTHETICAL: 3, CONDITIONAL: 4, NEGATED: 5}
_CLAUSE_DEPS = frozenset({"xcomp", "conj", "advcl", "ccomp", "acl", "relcl", "pcomp", "parataxis"})


@dataclass(frozen=True)
class Modality:
    """The modality of a clause, the cue that decided it, and the confidence in that reading."""

    value: str
    cue: str
    confidence: float

    @property
    def factual(self) -> bool:
        """Only asserted events are facts."""
        return self.value == ASSERTED


def _own(verb: Token, cues: Cues) -> tuple[str, str]:
    """Modality from the verb's own auxiliaries, negation and marks."""
    found = (ASSERTED, "")
    for child in verb.children:
        lower = child.lower_
        if child.dep_ == "neg" or (
            child.dep_ in ("advmod", "det", "preconj") and lower in cues.negation_words
        ):
            return NEGATED, child.text
        if child.dep_ == "aux" and child.tag_ == "MD":
            if lower in cues.future_aux or child.lemma_.lower() in cues.future_aux:
                found = max(found, (FUTURE, child.text), key=lambda f: _RANK[f[0]])
            elif lower in cues.hypothetical_aux or child.lemma_.lower() in cues.hypothetical_aux:
                found = max(found, (HYPOTHETICAL, child.text), key=lambda f: _RANK[f[0]])
        if child.dep_ == "mark" and lower in cues.conditional_marks:
            found = max(found, (CONDITIONAL, child.text), key=lambda f: _RANK[f[0]])
    return found


def is_infinitive(verb: Token) -> bool:
    """The clause is a to-infinitive ("to resign")."""
    return any(c.dep_ == "aux" and c.tag_ == "TO" for c in verb.children)


def _allegation(verb: Token, cues: Cues) -> str | None:
    """The allegation word the clause is the content of: "claimed (that) X", "accused Y of X",
    "charged with X", "allegations that X"."""
    head = verb.head
    lemma = head.lemma_.lower()
    if verb.dep_ == "ccomp" and lemma in cues.allegation_verbs:
        return str(head.text)
    if verb.dep_ in ("acl", "ccomp") and lemma in cues.allegation_nouns:
        return str(head.text)
    if verb.dep_ == "pcomp" and head.pos_ == "ADP":
        governor = head.head
        if governor.dep_ == "dobj":  # "accused the rebels of attacking", "of" on the object
            governor = governor.head
        if governor.lemma_.lower() in cues.allegation_verbs:
            return str(governor.text)
    return None


def _governor(verb: Token, cues: Cues) -> tuple[str, str] | None:
    """Modality imposed by the governor of a complement clause ("plan to", "deny", "about to")."""
    head = verb.head
    if head.i == verb.i:
        return None
    head_lemma = head.lemma_.lower()
    if (
        verb.dep_ in ("xcomp", "ccomp", "pcomp", "acl", "advcl", "relcl")
        and head_lemma in cues.negating_verbs
        and not _accompanying(verb)
    ):
        return NEGATED, head.text
    alleged = _allegation(verb, cues)
    if alleged is not None:
        return ALLEGED, alleged
    if verb.dep_ in ("xcomp", "acl", "relcl", "advcl") and is_infinitive(verb):
        if head_lemma in cues.implicative_verbs:
            return None
        if head_lemma == "be":
            if any(c.lower_ == "about" for c in head.children) or any(
                c.lower_ == "to" for c in head.children
            ):
                return FUTURE, "about to"
            return HYPOTHETICAL, "to"
        if head.lower_ == "about" and head.dep_ in ("acomp", "advmod", "prep"):
            return FUTURE, "about to"
        if head_lemma == "go" and head.tag_ == "VBG":
            return FUTURE, "going to"
        if head_lemma in cues.intention_verbs or head_lemma in cues.intention_nouns:
            return FUTURE, head.text
        if verb.dep_ == "advcl" and any(c.lower_ == "order" for c in head.children):
            return FUTURE, "in order to"
        return HYPOTHETICAL, "to"
    if verb.dep_ in ("xcomp", "acl") and head_lemma in cues.intention_verbs | cues.intention_nouns:
        return FUTURE, head.text
    if verb.dep_ == "ccomp" and is_infinitive(verb) and head_lemma in cues.intention_verbs:
        return FUTURE, head.text  # "want the Governor-General to resign": wished, not done
    return None


def _accompanying(verb: Token) -> bool:
    """A participle after its verb that adds an act of the same actor: "denied involvement,
    accusing Indian intelligence instead" (the accusing is not denied)."""
    return (
        verb.dep_ == "advcl"
        and verb.tag_ == "VBG"
        and verb.i > verb.head.i
        and not any(c.dep_ == "mark" for c in verb.children)
    )


def classify(verb: Token, cues: Cues) -> Modality:
    """Modality of the clause headed by ``verb``, including what governing clauses impose on it."""
    value, cue = _own(verb, cues)
    governed = _governor(verb, cues)
    if governed is not None and _RANK[governed[0]] > _RANK[value]:
        value, cue = governed
    # Complements and conjuncts inherit a non-asserted governor ("will liberate X and free Y",
    # "plans to attack and seize"), up to the clause that has its own subject.
    token = verb
    depth = 0
    while token.dep_ in _CLAUSE_DEPS and token.head.i != token.i and depth < 6:
        depth += 1
        parent = token.head
        if (
            token.dep_ == "acl"
            and parent.dep_ in ("dobj", "nsubjpass")
            and parent.head.pos_ in ("VERB", "AUX")
        ):
            # "intends to move a motion condemning X": the condemning is as real as the motion
            parent = parent.head
        if token.dep_ != "xcomp" and any(
            c.dep_ in ("nsubj", "nsubjpass", "expl") for c in token.children
        ):
            break  # a clause with its own subject carries its own modality
        if (
            token.dep_ in ("ccomp", "parataxis")
            and parent.lemma_.lower() not in cues.negating_verbs
        ):
            break
        parent_value, parent_cue = _own(parent, cues)
        inherited = _governor(parent, cues)
        if inherited is not None and _RANK[inherited[0]] > _RANK[parent_value]:
            parent_value, parent_cue = inherited
        if parent_value == CONDITIONAL and token.dep_ != "conj":
            parent_value = ASSERTED  # a main clause is not conditional on its own if-clause's mark
        if _RANK[parent_value] > _RANK[value]:
            value, cue = parent_value, parent_cue
        if token.dep_ not in ("xcomp", "conj", "advcl", "pcomp"):
            break
        token = parent
    confidence = 0.9 if value == ASSERTED else 0.8
    return Modality(value, cue, confidence)
