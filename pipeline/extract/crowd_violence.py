"""Violence inside a demonstration: what the crowd did in the protest's own clause ("staged a
demonstration by burning tyres", "protested, stoning vehicles", "youths protesting the arrest
stoned cars") makes it a violent demonstration, as ACLED codes a demonstration by what the
demonstrators did; blocking a road or marching does not."""

from __future__ import annotations

from spacy.tokens import Doc, Token

from pipeline.extract.cues import Cues

# How the violent act hangs from the protest: its means ("by burning"), what it came with
# ("protested, burning tyres"), a second act of the same clause ("protested and stoned"); the
# parser often reads the act as a participle of its object ("by burning tyres": amod of tyres)
_PATH_DEPS = frozenset({"advcl", "pcomp", "conj", "xcomp", "prep", "amod", "dobj", "pobj"})


def _on_path(token: Token, verb: Token) -> bool:
    """True when ``token`` hangs from ``verb`` through clause links only (not inside a noun:
    "protested against police who burned homes" is no violence of the protesters)."""
    for _ in range(8):
        if token.i == verb.i:
            return True
        if token.dep_ not in _PATH_DEPS:
            return False
        token = token.head
    return False


def symbolic(verb: Token, symbolic_objects: frozenset[str]) -> bool:
    """The act destroys a symbol, not property ("burnt an effigy of the minister", "burned the
    flag"): ACLED codes such a demonstration as peaceful."""
    return any(
        c.dep_ in ("dobj", "nsubjpass") and c.lemma_.lower() in symbolic_objects
        for c in verb.children
    )


def violent_act(
    verb: Token,
    crowd_violence_verbs: frozenset[str],
    symbolic_objects: frozenset[str] = frozenset(),
) -> Token | None:
    """The violent act the crowd of a protest told by ``verb`` did in the same clause, if any;
    ``crowd_violence_verbs``: lemmas of destructive acts, ``symbolic_objects`` what burning is no
    violence against (cues.yaml)."""
    for token in verb.sent:
        if (
            token.i != verb.i
            and token.pos_ == "VERB"
            and token.lemma_.lower() in crowd_violence_verbs
            and not any(c.dep_ == "neg" for c in token.children)
            and not symbolic(token, symbolic_objects)
            and _on_path(token, verb)
        ):
            return token
    head = verb.head
    if (
        verb.dep_ == "advcl"
        and head.pos_ == "VERB"
        and head.lemma_.lower() in crowd_violence_verbs
        and not any(c.dep_ == "neg" for c in head.children)
    ):
        # "burnt a customs post to demonstrate": the act the protest was done by
        return head
    if verb.dep_ in ("acl", "relcl") and head.dep_ == "nsubj":
        # "youths protesting the arrest stoned vehicles": the protesters' own verb
        act = head.head
        if act.pos_ == "VERB" and act.lemma_.lower() in crowd_violence_verbs:
            return act
    return None


def _negated(token: Token) -> bool:
    return any(c.dep_ == "neg" for c in token.children)


def _crowd_did(verb: Token, cues: Cues) -> bool:
    """The verb's doer is the demonstrating crowd: a crowd word ("the demonstrators burned
    tyres"), or in the passive nobody named and property harmed ("tyres were burnt", "property
    was vandalised"; "two protesters were beaten" is somebody's act on them, not theirs)."""
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not subjects and verb.dep_ == "conj":  # "barricaded roads and burned tyres"
        subjects = [c for c in verb.head.children if c.dep_ in ("nsubj", "nsubjpass")]
    for subject in subjects:
        lemma = subject.lemma_.lower()
        if subject.dep_ == "nsubj":
            return lemma in cues.crowd_nouns
        agent = any(c.dep_ == "agent" for c in verb.children)
        return not agent and lemma in cues.property_nouns
    return False


def _told(noun: Token) -> bool:
    """The noun is told as the sentence's news, not background: its subject or object, or the
    object of a preposition on the main verb ("one person died during the riots"; not "the
    detention of people involved in riots", "anti-riot police")."""
    if noun.dep_ in ("nsubj", "nsubjpass", "dobj", "ROOT", "attr"):
        return True
    return noun.dep_ == "pobj" and noun.head.head.dep_ == "ROOT"


def violent_crowd(doc: Doc, cues: Cues) -> bool:
    """True when an article tells a crowd's violence anywhere in it, not only in the protest's
    clause: the demonstrators' destructive act in a sentence of its own ("The demonstrators
    barricaded roads and burned tires"), property destroyed by nobody named ("Chairs were
    burnt"), a violent manner ("staged violent protests", "violently protesting"), riots named as
    such ("one person died during the riots"), or a fight with demonstrators ("Police clash with
    student protesters")."""
    assembly = cues.assembly_nouns | cues.assembly_verbs
    for token in doc:
        lemma = token.lemma_.lower()
        if _negated(token):
            continue
        if (
            token.pos_ == "VERB"
            and lemma in cues.crowd_violence_verbs
            and not symbolic(token, cues.symbolic_objects)
            and _crowd_did(token, cues)
        ):
            return True
        if (
            lemma in cues.violent_manner
            and token.dep_ in ("amod", "advmod")
            and token.head.lemma_.lower() in assembly
        ):
            return True
        if lemma in cues.riot_nouns and token.pos_ == "NOUN" and _told(token):
            return True
        if lemma in cues.fight_nouns and any(
            t.lemma_.lower() in cues.crowd_nouns for t in token.subtree if t.i != token.i
        ):
            return True
    return False
