"""Where a trigger's clause sits in its sentence: background inside a noun phrase, an act its
speaker announces, the controller of a gerund ("accused X of rigging": X rigs)."""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Token

from pipeline.extract.cues import Cues

_NOMINAL = frozenset({"NOUN", "PROPN", "PRON", "NUM"})
_CLIMB = 10


_FINITE = frozenset({"VBD", "VBZ", "VBP", "MD"})


def _finite(token: Token) -> bool:
    return token.tag_ in _FINITE or any(c.dep_ in ("aux", "auxpass") for c in token.children)


def misparsed_subject(verb: Token, cues: Cues) -> Token | None:
    """The subject of a main verb the parser read as a participle describing a noun, in a sentence
    with no finite verb: "presumed militants killed 39 men" (killed an ``acl`` of militants),
    "2500 interns protested in the square". Only an act with an object, or one that is never
    passive (``intransitive_acts``): "three soldiers killed in an ambush" stays a passive."""
    if (
        verb.dep_ == "conj"
        and verb.head.pos_ == "VERB"
        and not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children)
    ):
        return misparsed_subject(verb.head, cues)  # "attacked and wounded a policeman"
    head = verb.head
    if (
        verb.dep_ == "conj"
        and verb.tag_ == "VBD"
        and head.dep_ == "ROOT"
        and head.pos_ == "NOUN"
        and any(c.dep_ == "compound" for c in head.children)
        and any(c.dep_ == "dobj" for c in verb.children)
        and not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children)
    ):
        # "a Taliban sniper shot and killed a soldier": the first verb read as the noun of a
        # compound ("sniper shot"); that noun's phrase is who did it
        return head
    if verb.dep_ != "acl" or verb.tag_ not in ("VBN", "VBD"):
        return None
    if any(c.dep_ in ("nsubj", "nsubjpass", "auxpass", "agent", "mark") for c in verb.children):
        return None
    root = verb.sent.root
    if _finite(root) or any(_finite(c) for c in root.children if c.dep_ == "conj"):
        return None
    acts = (
        any(c.dep_ == "dobj" for v in (verb, *verb.conjuncts) for c in v.children)
        or verb.lemma_.lower() in cues.intransitive_acts
    )
    if not acts:
        return None
    # "Hundreds of workers, led by five unions, protested": the sentence's noun is the subject
    # when the participle hangs inside another participle's phrase
    noun = verb.head
    if root.pos_ in _NOMINAL and noun != root and any(a.dep_ == "acl" for a in noun.ancestors):
        return root
    return noun if noun.pos_ in _NOMINAL else None


def is_background(verb: Token, cues: Cues) -> bool:
    """True for a clause inside a noun phrase: "the army chief who seized power in 2021", "those
    detained by the military", "companies responsible for supplying weapons". Such clauses
    describe who somebody is, not what the sentence reports; the content of a statement ("a
    statement condemning the attack") and a noun that is the whole sentence ("Five soldiers killed
    in attack") are not background."""
    if misparsed_subject(verb, cues) is not None:
        return False  # the sentence's main act, misread as a participle
    token = verb
    for _ in range(_CLIMB):
        head = token.head
        if head.i == token.i:
            return False
        if token.dep_ == "relcl":
            # "on a day when parties hit the streets": the when-clause of a time noun is news
            return not (
                head.lemma_.lower() in cues.time_nouns
                and any(c.lower_ == "when" for c in token.children)
            )
        if token.dep_ == "conj" and any(c.dep_ in ("nsubj", "nsubjpass") for c in token.children):
            return False  # a clause of its own ("..., but China remained mum"), not background
        if (
            token.dep_ == "prep"
            and token.lower_ in cues.object_control_preps
            and head.dep_ == "dobj"
            and head.head.pos_ in ("VERB", "AUX")
        ):
            token = head.head  # "accused the rebels of attacking": "of" belongs to the verb
            continue
        if head.pos_ in _NOMINAL and token.dep_ in ("acl", "amod", "prep", "pcomp", "appos"):
            if head.dep_ == "ROOT":
                return False
            return head.lemma_.lower() not in cues.attribution_kinds.get("statement", frozenset())
        token = head
    return False


def _perfect(verb: Token) -> bool:
    return any(c.dep_ == "aux" and c.lemma_.lower() == "have" for c in verb.children)


_TARGET_PREPS = frozenset({"on", "against", "at"})


def _named_target(verb: Token, obj: Token) -> bool:
    """The acts were done to one named place or group ("conducted several airstrikes on Kafr
    Nabl town", "launched multiple attacks against the ADF"): one day's news, not a record."""
    preps = [c for c in (*verb.children, *obj.children) if c.dep_ == "prep"]
    return any(
        p.lower_ in _TARGET_PREPS
        and any(t.pos_ == "PROPN" for c in p.children if c.dep_ == "pobj" for t in c.subtree)
        for p in preps
    )


def is_summary(verb: Token, cues: Cues) -> bool:
    """True for many acts told as one: over a period in the perfect ("have waged a brutal war for
    four years, torching villages", "have destroyed homes since the coup") or as a habit ("were
    often detained"), or an ongoing state in the simple present ("as it battles rebels"). A dated
    act with a duration ("was detained for 15 days") is not."""
    if (
        verb.tag_ in ("VBZ", "VBP")
        and verb.dep_ == "advcl"
        and any(c.dep_ == "mark" and c.lower_ in cues.ongoing_marks for c in verb.children)
    ):
        return True  # "as it battles rebels": what is going on, told in the simple present
    dated = any(t.ent_type_ in ("DATE", "TIME") for t in verb.subtree)
    for obj in (c for c in verb.children if c.dep_ == "dobj" and c.tag_ == "NNS"):
        if (
            obj.lemma_.lower() in cues.act_nouns
            and any(m.lower_ in cues.summary_quantifiers for m in obj.children if m.i < obj.i)
            and (_perfect(verb) or not (dated or _named_target(verb, obj)))
        ):
            # "has carried out numerous suicide bombings in Israel": a record; "carried out
            # several air strikes on Sunday" or "on Kafr Nabl" is that day's news
            return True
    token = verb
    for _ in range(_CLIMB):
        # "have destroyed homes ... and are a cause of ... since the coup": one time frame
        children = [*token.children, *(t for conj in token.conjuncts for t in conj.subtree)]
        for child in children:
            lower = child.lower_
            if child.dep_ == "advmod" and lower in cues.habitual_adverbs:
                return True
            if child.dep_ != "prep" or not _perfect(token):
                continue
            if lower == "since":
                return True
            if lower in ("for", "over") and any(
                c.dep_ == "pobj" and c.lemma_.lower() in cues.duration_units for c in child.children
            ):
                return True
        if token.dep_ not in ("conj", "advcl", "xcomp") or token.head.i == token.i:
            return False
        token = token.head
    return False


def gerund_controller(verb: Token, cues: Cues) -> Token | None:
    """The noun that does the act of a gerund after a verb's object: X in "accused X of rigging",
    "arrested X for protesting", "thanked X for helping"; the passive subject in "X was accused of
    rigging", and the noun of a reduced relative in "officials accused of playing a role"."""
    if verb.dep_ != "pcomp" or verb.tag_ != "VBG":
        return None
    prep = verb.head
    if prep.lower_ not in cues.object_control_preps or prep.dep_ != "prep":
        return None
    governor = prep.head
    if governor.dep_ == "dobj" and governor.head.pos_ in ("VERB", "AUX"):
        return governor  # the parse hangs "of attacking" on the object: "accused the rebels of"
    if governor.pos_ not in ("VERB", "AUX"):
        return None
    for child in governor.children:
        if child.dep_ in ("dobj", "nsubjpass"):
            return child
    if governor.dep_ == "acl" and governor.tag_ == "VBN":
        return governor.head
    return None


def announcer(
    verb: Token, cues: Cues, same_side: Callable[[Token, Token], bool] | None = None
) -> Token | None:
    """The reporting or intention verb (or adjective) whose subject announces the act of ``verb``
    as its own: "Israel announced it would free prisoners", "Obama said he will attack Iraq",
    "Brazil and the United States are seeking to deepen a partnership", "was determined to mend
    ties". None for someone else's act ("said the army will attack") or an act nobody announces,
    unless ``same_side(speaker, subject)`` says the subject acts for the speaker ("Israel said its
    troops would attack")."""
    token = verb
    for _ in range(_CLIMB):
        head = token.head
        if head.i == token.i or token.dep_ not in ("ccomp", "xcomp", "conj"):
            return None
        lemma = head.lemma_.lower()
        if token.dep_ == "ccomp" and lemma in cues.reporting_verbs:
            speaker = next((c for c in head.children if c.dep_ == "nsubj"), None)
            subject = next((c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if speaker is None or subject is None:
                return None
            same = (
                subject.lower_ == speaker.lower_
                or subject.lower_ in cues.personal_pronouns
                or (same_side is not None and same_side(speaker, subject))
            )
            return head if same else None
        if token.dep_ == "xcomp" and (
            lemma in cues.intention_verbs or head.lower_ in cues.intention_adjectives
        ):
            own = any(c.dep_ in ("nsubj", "nsubjpass") for c in token.children)
            return None if own else head
        token = head
    return None


def reported_speaker(verb: Token, cues: Cues) -> Token | None:
    """Who a pronoun subject reported by its own speaker is: "China's foreign ministry said it
    supports Myanmar" (it = the ministry), "Gandhi said he pledged"; None otherwise."""
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subject is None or subject.lower_ not in cues.personal_pronouns:
        return None
    token = verb
    while token.dep_ == "conj" and token.head.i != token.i:
        token = token.head
    head = token.head
    if token.dep_ != "ccomp" or head.lemma_.lower() not in cues.reporting_verbs:
        return None
    speaker = next((c for c in head.children if c.dep_ == "nsubj"), None)
    if speaker is None or speaker.lower_ in cues.personal_pronouns:
        return None
    return speaker
