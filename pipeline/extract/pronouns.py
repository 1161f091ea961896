"""Who a subject pronoun stands for: an agreeing subject of its governing clause or of one of the
two sentences before it.

"Karnataka Chief Minister Siddaramaiah alleged ... He claimed the ECI threatened the opposition":
"He" is Siddaramaiah. A light form of centering: the subjects of the clauses that govern the
pronoun's clause come first, nearest first ("China's foreign ministry said it supports", "France
accused Rwanda ... but said it was determined"), then the subjects of the two sentences before,
the nearer sentence first and in it the main clause's subject first. A pronoun takes the first
that agrees with it (``he``/``she`` a person, ``they`` several or a plural noun, ``it`` one
organisation, state or thing, and a person once called "she" is no later "he"). Object pronouns
("him", "them") and possessives ("his", "their") look only in their own sentence, at the
clauses governing theirs. Pronouns in the
first sentence, pronouns with no agreeing candidate and ``I``/``we`` (quoted speakers) stay
unresolved: an unknown actor is better than a guess from further back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace

from spacy.tokens import Doc, Token

from pipeline.extract.actors import ActorMention
from pipeline.extract.cues import Cues

PERSON, PLURAL, THING = "person", "plural", "thing"
WINDOW = 2
"""How many sentences back an antecedent may be."""
CONFIDENCE = 0.75
"""Factor on a resolved pronoun's confidence: the antecedent is inferred, not read."""
_SUBJECT_DEPS = ("nsubj", "nsubjpass")
_OBJECT_DEPS = ("dobj", "dative", "pobj")
_GENDER_WORD = {"him": "he", "his": "he", "her": "she", "hers": "she"}


def kind_of(doc: Doc, mention: ActorMention, cues: Cues) -> str:
    """Whether an actor phrase is one person, several actors, or one organisation or thing."""
    head = doc[mention.primary.head]
    plural = head.tag_ in ("NNS", "NNPS") or "Plur" in head.morph.get("Number", [])
    # the tagger calls "MPs" a singular proper noun: a person noun with an "s" is several people
    people = head.text.endswith("s") and head.lower_[:-1] in cues.person_nouns
    if len(mention.members) > 1 or (plural and head.lower_.endswith("s")) or people:
        return PLURAL
    # a person: NER says so of the head or of the words as written here ("Oli", a surname that
    # stands for "Prime Minister KP Sharma Oli"), or a title names one ("Prime Minister KP Oli")
    here = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    words = [head, *(c for c in head.lefts if c.dep_ == "compound"), *(here or ())]
    if any(t.ent_type_ == "PERSON" or t.lemma_.lower() in cues.person_nouns for t in words):
        return PERSON
    return THING


def pronoun_kind(token: Token, cues: Cues, *, role: str = "subject") -> str | None:
    """The kind of antecedent a subject (or, ``role="object"``, an object or possessive)
    pronoun needs; None if it is not one we resolve."""
    word = token.lower_
    kinds: tuple[tuple[str, frozenset[str]], ...]
    if role == "object":
        kinds = ((PERSON, cues.person_object_pronouns), (PLURAL, cues.plural_object_pronouns))
    else:
        kinds = (
            (PERSON, cues.person_pronouns),
            (PLURAL, cues.plural_pronouns),
            (THING, cues.thing_pronouns),
        )
    return next((kind for kind, words in kinds if word in words), None)


def antecedents(
    doc: Doc, resolve: Callable[[Token], ActorMention | None], cues: Cues
) -> dict[int, ActorMention]:
    """Token index of each resolvable subject or object pronoun → the actor it stands for, its
    span the pronoun's own; ``resolve`` reads an actor phrase from its head (None if none)."""
    found: dict[int, ActorMention] = {}
    # "she added" tells that Sakaliene is a woman: a later "he" is somebody else (kept by the
    # token of the actor's first mention: a chain of mentions shares it, a normalised name such
    # as "Nepali government" is shared by many people)
    pronoun_of: dict[int, str] = {}
    subjects_by_sentence: list[list[tuple[ActorMention, str]]] = []

    def pick(candidates: Iterable[tuple[ActorMention, str]], wanted: str, token: Token) -> None:
        word = _GENDER_WORD.get(token.lower_, token.lower_)
        antecedent = next(
            (
                m
                for m, kind in candidates
                if kind == wanted and pronoun_of.get(m.primary.head, word) == word
            ),
            None,
        )
        if antecedent is None:
            return
        if wanted == PERSON:
            pronoun_of.setdefault(antecedent.primary.head, word)
        found[token.i] = ActorMention(
            tuple(replace(m, confidence=m.confidence * CONFIDENCE) for m in antecedent.members),
            token.idx,
            token.idx + len(token.text),
            token.text,
        )

    for sentence in doc.sents:
        here: list[tuple[ActorMention, str]] = []
        # a noun root is the subject of a fragment: "Opposition MPs, led by X, protested at ..."
        fragment = [sentence.root] if sentence.root.pos_ in ("NOUN", "PROPN") else []
        subjects = fragment + sorted(
            (t for t in sentence if t.dep_ in _SUBJECT_DEPS),
            key=lambda t: (t.head.i != sentence.root.i, t.i),
        )
        for subject in subjects:
            wanted = pronoun_kind(subject, cues)
            if wanted is None:
                mention = resolve(subject)
                if mention is not None:
                    here.append((mention, kind_of(doc, mention, cues)))
                continue
            governing = [
                m
                for verb in subject.head.ancestors
                for t in verb.children
                if t.dep_ in _SUBJECT_DEPS
                for m in here
                if m[0].start == t.idx or doc[m[0].primary.head].i == t.i
            ]
            earlier = (m for before in reversed(subjects_by_sentence[-WINDOW:]) for m in before)
            pick((*governing, *earlier), wanted, subject)
            if subject.i in found:
                here.append((found[subject.i], wanted))  # "He ... He ...": a chain stays on
        for pronoun in (t for t in sentence if t.dep_ in _OBJECT_DEPS or t.dep_ == "poss"):
            wanted = pronoun_kind(pronoun, cues, role="object")
            if wanted is not None:
                pick(_governing_actors(pronoun, resolve, found, doc, cues), wanted, pronoun)
        subjects_by_sentence.append(here)
    return found


def _governing_actors(
    pronoun: Token,
    resolve: Callable[[Token], ActorMention | None],
    found: dict[int, ActorMention],
    doc: Doc,
    cues: Cues,
) -> Iterator[tuple[ActorMention, str]]:
    """An object pronoun's candidates in its own sentence: the objects, then the subjects, of the
    clauses governing its verb, nearest first; never whoever does the pronoun's own verb ("the BJP
    challenged the parties ..., accusing them": the BJP accuses, so "them" is the parties)."""
    # "dispute his interpretation": the possessor's verb is its noun's
    noun = pronoun.head if pronoun.dep_ == "poss" else pronoun
    verb = noun.head.head if noun.dep_ == "pobj" else noun.head
    doer_left_out = any(c.dep_ in _SUBJECT_DEPS for c in verb.children)
    for ancestor in verb.ancestors:
        tokens = [c for c in ancestor.children if c.dep_ in ("dobj", "dative")]
        for c in ancestor.children:
            if c.dep_ in _SUBJECT_DEPS:
                if not doer_left_out:
                    doer_left_out = True  # the governing subject does a participle's act
                    continue
                tokens.append(c)
        for token in tokens:
            mention = found.get(token.i) or resolve(token)
            if mention is not None:
                yield mention, kind_of(doc, mention, cues)
