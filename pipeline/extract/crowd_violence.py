"""Violence inside a demonstration: what the crowd did in the protest's own clause ("staged a
demonstration by burning tyres", "protested, stoning vehicles", "youths protesting the arrest
stoned cars") makes it a violent demonstration, as ACLED codes a demonstration by what the
demonstrators did; blocking a road or marching does not."""

from __future__ import annotations

from spacy.tokens import Token

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


def violent_act(verb: Token, crowd_violence_verbs: frozenset[str]) -> Token | None:
    """The violent act the crowd of a protest told by ``verb`` did in the same clause, if any;
    ``crowd_violence_verbs``: lemmas of destructive acts (cues.yaml)."""
    for token in verb.sent:
        if (
            token.i != verb.i
            and token.pos_ == "VERB"
            and token.lemma_.lower() in crowd_violence_verbs
            and not any(c.dep_ == "neg" for c in token.children)
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
