"""Event triggers: verbs of the lexicon, their phrase (particle, object, complement) and CAMEO
code."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy
from spacy.attrs import LEMMA, POS
from spacy.symbols import VERB
from spacy.tokens import Doc, Token
from spacy.vocab import Vocab

from pipeline.extract.cues import Cues
from pipeline.extract.lexicon import Lexicon, Pattern, TriggerEntry
from pipeline.extract.nominals import Nominal

# Participles used as adjectives ("allied fighters", "rebel-held areas") are not events.
_NOT_CLAUSES = frozenset({"amod", "compound", "nmod", "nn", "poss", "case", "det", "prep"})
_NO_COMPLEMENT = frozenset({"none"})
_NAMING_DEPS = frozenset({"oprd", "attr", "acomp"})
_COMPLEMENT_DEPS = frozenset(
    {
        "acomp",
        "oprd",
        "advcl",
        "xcomp",
        "advmod",
        "npadvmod",
        "dobj",
        "attr",
        "ccomp",
        "amod",
        "prt",
    }
)
_OBJECT_LINK_DEPS = frozenset({"prep", "pobj", "conj", "appos"})
_SEPARABLE = frozenset({"out", "back", "off", "down", "up", "away"})
_COUNTS = frozenset({"hundred", "thousand", "dozen", "score", "million", "ten", "tens"})
_TRIGGER_SPAN_REACH = 3  # an object within this many tokens after the verb joins the trigger span


@dataclass(frozen=True)
class Trigger:
    """A verb that signals an event, the lexicon entry and pattern that coded it."""

    verb: Token
    entry: TriggerEntry
    code: str
    pattern: Pattern | None
    start: int
    """Character offset of the trigger phrase."""
    end: int
    confidence: float

    text: str
    """The trigger phrase as written."""
    nominal: Nominal | None = None
    """For an event told by a noun: the noun; ``verb`` is then the clause verb reporting it."""
    proposed_type: str = ""
    """For a trigger the model proposed (``event_proposals``): the ACLED type it proposed."""


def _counted(token: Token) -> list[Token]:
    """What a number counts: "hundreds *of police*", "3,000 *of them*"."""
    if not (token.like_num or token.pos_ == "NUM" or token.lemma_.lower() in _COUNTS):
        return []
    of = next((c for c in token.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    return [c for c in of.children if c.dep_ == "pobj"] if of is not None else []


def _forms(token: Token) -> tuple[str, str]:
    return token.lower_, token.lemma_.lower()


def _hyphenated(token: Token) -> str | None:
    """The word a hyphen joins the token to, as written: "sit-in" is tokenised "sit", "-", "in"
    and its last token is the object the parser finds."""
    doc, i = token.doc, token.i
    if (
        i >= 2
        and doc[i - 1].text == "-"
        and not doc[i - 1].whitespace_
        and not doc[i - 2].whitespace_
    ):
        return f"{doc[i - 2].lower_}-{token.lower_}"
    return None


def _in(token: Token, words: frozenset[str]) -> bool:
    lower, lemma = _forms(token)
    return lower in words or lemma in words or _hyphenated(token) in words


def objects(verb: Token) -> list[Token]:
    """Direct objects (and their conjuncts); the passive subject stands in for a passive verb's
    object."""
    found = [c for c in verb.children if c.dep_ in ("dobj", "obj")]
    if not found:
        found = [c for c in verb.children if c.dep_ == "nsubjpass"]
        if found:
            # "they were given jail terms": the parser calls a passive's retained object a dative
            found.extend(c for c in verb.children if c.dep_ == "dative" and c.pos_ == "NOUN")
    out: list[Token] = []
    for obj in found:
        out.extend([obj, *obj.conjuncts])
    return out


def subjects(verb: Token) -> list[Token]:
    """Active subjects of the verb."""
    return [c for c in verb.children if c.dep_ in ("nsubj", "csubj")]


def _prep_pairs(verb: Token, objs: Iterable[Token]) -> list[tuple[Token, Token | None]]:
    pairs: list[tuple[Token, Token | None]] = []
    # "moved back into a suburb": the parse hangs the preposition on the adverb
    adverbs = [c for c in verb.children if c.dep_ == "advmod" and c.lower_ in _SEPARABLE]
    for owner in (verb, *objs, *adverbs):
        for prep in owner.children:
            if prep.dep_ in ("prep", "agent", "dative") or (
                prep.dep_ == "prt" and owner.i == verb.i
            ):
                pobj = next((c for c in prep.children if c.dep_ in ("pobj", "pcomp")), None)
                pairs.append((prep, pobj))
    for clause in (c for c in verb.children if c.dep_ == "advcl"):
        # "calling for US envoy Anthony Zinni to return": the parse makes "for" the mark of a
        # clause; its subject is what the preposition governs
        mark = next((c for c in clause.children if c.dep_ == "mark" and c.lower_ == "for"), None)
        if mark is not None:
            subject = next((c for c in clause.children if c.dep_ == "nsubj"), None)
            pairs.append((mark, subject))
    return pairs


def _has_clause(verb: Token, subjects_: frozenset[str]) -> bool:
    """A complement clause of ``verb`` whose subject is one of ``subjects_`` (``any``: any)."""
    for clause in (c for c in verb.children if c.dep_ == "ccomp"):
        subj = [c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass", "expl")]
        # "claimed they attacked" is about one's own act; "claims he has information" is about
        # no act at all, neither one's own nor an accused's
        state = clause.lemma_.lower() in _STATE_LEMMAS
        if state and any(s.lower_ in _SELF_PRONOUNS for s in subj):
            continue
        if "any" in subjects_:
            return True
        # "claims he was prevented from going" is about what was done to him, not his own act
        own = [s for s in subj if s.dep_ != "nsubjpass" or s.lower_ not in _SELF_PRONOUNS]
        if any(_in(s, subjects_) for s in own) and not state:
            return True
    return False


_STATE_LEMMAS = frozenset({"be", "have", "know", "own", "possess", "hold"})
_SELF_PRONOUNS = frozenset({"i", "we", "he", "she", "it", "they"})
_CLAUSE_WORD_DEPS = frozenset({"dobj", "obj", "attr", "acomp", "xcomp", "oprd"})


def content_clauses(verb: Token) -> list[Token]:
    """The complement clauses of ``verb`` and the clauses they embed ("is aware that X is
    stealing"), nearest first."""
    found = [c for c in verb.children if c.dep_ == "ccomp"]
    for clause in list(found):
        for holder in (clause, *(c for c in clause.children if c.dep_ in ("acomp", "attr"))):
            found.extend(c for c in holder.children if c.dep_ == "ccomp")
    return found


def _clause_with_words(
    verb: Token, words_: frozenset[str], is_actor: Callable[[Token], bool]
) -> Token | None:
    """A complement clause about an actor (its subject) that says one of ``words_`` (its verb, or
    the verb's object, complement or infinitive)."""
    for clause in content_clauses(verb):
        told = [clause, *(c for c in clause.children if c.dep_ in _CLAUSE_WORD_DEPS)]
        if not any(_in(t, words_) for t in told):
            continue
        if any(c.dep_ in ("nsubj", "nsubjpass") and is_actor(c) for c in clause.children):
            return clause
    return None


def _clause_with_modal(
    verb: Token, modals: frozenset[str], is_actor: Callable[[Token], bool]
) -> Token | None:
    """A complement clause whose verb takes one of ``modals`` and whose subject is an actor other
    than the speakers themselves ("says the Government *must* explain", not "we must")."""
    for clause in content_clauses(verb):
        if not any(c.dep_ == "aux" and c.lower_ in modals for c in clause.children):
            continue
        if clause.lemma_.lower() in ("be", "have", "seem", "remain"):
            continue  # "it should be safe to return", "they must have known": no act asked
        subjects_ = [c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")]
        if any(s.lower_ not in _FIRST_PERSON and is_actor(s) for s in subjects_):
            return clause
    return None


_FIRST_PERSON = frozenset({"i", "we"})


@dataclass
class _Match:
    used: list[Token]


def _matches(
    pattern: Pattern,
    verb: Token,
    objs: list[Token],
    is_place: Callable[[Token], bool],
    is_actor: Callable[[Token], bool],
    is_thing: Callable[[Token], bool] | None = None,
) -> _Match | None:
    used: list[Token] = []
    if pattern.object:
        hit = next((o for o in objs if _in(o, pattern.object)), None)
        if hit is None:
            # "the deal" vs "a ceasefire deal": also look at a noun compound of the object
            hit = next(
                (
                    o
                    for o in objs
                    for c in o.children
                    if c.dep_ == "compound" and _in(c, pattern.object)
                ),
                None,
            )
        if hit is None:
            return None
        if pattern.modifier and not any(
            c.dep_ in ("compound", "amod") and _in(c, pattern.modifier) for c in hit.children
        ):
            return None
        used.append(hit)
    if pattern.prep is not None:
        pairs = [(p, o) for p, o in _prep_pairs(verb, objs) if p.lower_ == pattern.prep]
        if pattern.pobj:
            pairs = [
                (p, o)
                for p, o in pairs
                if o is not None
                and (
                    _in(o, pattern.pobj)
                    or any(_in(c, pattern.pobj) for c in o.children if c.dep_ == "compound")
                )
            ]
        if not pairs:
            return None
        used.append(pairs[0][0])
    if pattern.complement == _NO_COMPLEMENT:
        # "called Macron", not "is called Communist China" nor "called him a traitor"
        if any(c.dep_ in _NAMING_DEPS for owner in (verb, *objs) for c in owner.children):
            return None
    elif pattern.complement:
        comp = next(
            (c for c in verb.children if c.dep_ in _COMPLEMENT_DEPS and _in(c, pattern.complement)),
            None,
        )
        if comp is None:
            comp = next(
                (
                    c
                    for o in objs
                    for c in o.children
                    if c.dep_ in _COMPLEMENT_DEPS and _in(c, pattern.complement)
                ),
                None,
            )
        if comp is None:
            return None
        used.append(comp)
    if pattern.subject:
        subj = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "csubj")]
        if verb.dep_ == "relcl" and any(s.lower_ in ("who", "that", "which") for s in subj):
            subj.append(verb.head)  # "bombers who targeted areas": the bombers
        if not any(
            _in(s, pattern.subject)
            or any(_in(c, pattern.subject) for c in s.children if c.dep_ == "compound")
            or any(_in(c, pattern.subject) for c in _counted(s))
            for s in subj
        ):
            return None
    if pattern.xcomp and not any(
        c.dep_ in ("xcomp", "ccomp") and ("any" in pattern.xcomp or _in(c, pattern.xcomp))
        for c in verb.children
    ):
        return None
    if pattern.clause and not _has_clause(verb, pattern.clause):
        return None
    if pattern.clause_words and _clause_with_words(verb, pattern.clause_words, is_actor) is None:
        return None
    if pattern.clause_modal and _clause_with_modal(verb, pattern.clause_modal, is_actor) is None:
        return None
    if pattern.object_kind == "none":
        if objs:
            return None
    elif pattern.object_kind == "thing":
        if is_thing is None or not any(is_thing(o) for o in objs):
            return None
    elif pattern.object_kind is not None:
        checker = is_place if pattern.object_kind == "place" else is_actor
        hit = next((o for o in objs if checker(o)), None)
        if hit is None:
            return None
    return _Match(used)


class TriggerFinder:
    """Finds trigger verbs with one token matcher pass, then codes each with its lexicon entry."""

    def __init__(self, vocab: Vocab, lexicon: Lexicon, cues: Cues) -> None:
        self.lexicon = lexicon
        self.cues = cues
        # Lemma hashes, sorted: finding the verbs of a document is one vectorised lookup on its
        # LEMMA/POS arrays (a token Matcher with a 1,500-lemma set costs several times more).
        self._lemmas = numpy.array(
            sorted({vocab.strings.add(lemma) for lemma in (*lexicon.lemmas, *lexicon.aliases)}),
            dtype=numpy.uint64,
        )

    def _entry(self, verb: Token) -> TriggerEntry | None:
        lemma = verb.lemma_.lower()
        particle = next((c for c in verb.children if c.dep_ == "prt"), None)
        if particle is not None:
            # a phrasal verb means something else than the bare verb: no fallback to it, unless
            # the "particle" has an object and is a preposition ("calling on his allies to")
            entry = self.lexicon.lookup(lemma, particle.lower_)
            if entry is None and (
                any(c.dep_ == "pobj" for c in particle.children)
                # "beat up", "burnt down": the particle only says the act was thorough
                or particle.lower_ in self.cues.completive_particles
            ):
                return self.lexicon.lookup(lemma, None)
            return entry
        following = next((c for c in verb.children if c.dep_ == "prep" and c.i == verb.i + 1), None)
        if following is not None:
            entry = self.lexicon.lookup(lemma, following.lower_)
            if entry is not None:
                return entry
        for child in verb.children:
            # a particle after the object, parsed as a preposition: "drove the rebels out of"
            if child.dep_ in ("prep", "advmod") and child.lower_ in _SEPARABLE and child.i > verb.i:
                entry = self.lexicon.lookup(lemma, child.lower_)
                if entry is not None:
                    return entry
        return self.lexicon.lookup(lemma, None)

    def find(
        self,
        doc: Doc,
        is_place: Callable[[Token], bool],
        is_actor: Callable[[Token], bool],
        is_thing: Callable[[Token], bool] | None = None,
    ) -> list[Trigger]:
        """Every trigger in ``doc`` with its code, in text order. ``is_thing``: a common noun that
        names no actor or place by itself ("the BJP's *commitment*", "a *postponement*")."""
        triggers: list[Trigger] = []
        if not doc.has_annotation("POS") or not doc.has_annotation("DEP"):
            return triggers  # a pipeline without tagger and parser finds no clauses to code
        if not len(doc) or not len(self._lemmas):
            return triggers
        arrays = doc.to_array([LEMMA, POS])
        lemmas = arrays[:, 0]
        slots = numpy.minimum(numpy.searchsorted(self._lemmas, lemmas), len(self._lemmas) - 1)
        hits = (self._lemmas[slots] == lemmas) & (arrays[:, 1] == VERB)
        for start in numpy.flatnonzero(hits).tolist():
            verb = doc[start]
            if verb.dep_ in _NOT_CLAUSES:
                continue
            entry = self._entry(verb)
            if entry is None:
                continue
            objs = objects(verb)
            code = entry.code
            chosen: Pattern | None = None
            used: list[Token] = []
            for pattern in entry.patterns:
                match = _matches(pattern, verb, objs, is_place, is_actor, is_thing)
                if match is not None:
                    code, chosen, used = pattern.code, pattern, match.used
                    break
            if code is None:
                continue
            phrase = [verb]
            phrase.extend(c for c in verb.children if c.dep_ == "prt")
            if entry.particle is not None and not any(c.dep_ == "prt" for c in verb.children):
                # "pulled out of": the particle parsed as a preposition is still part of the verb
                phrase.extend(
                    c for c in verb.children if c.i == verb.i + 1 and c.lower_ == entry.particle
                )
            phrase.extend(t for t in used if 0 < t.i - verb.i <= _TRIGGER_SPAN_REACH)
            first = min(t.i for t in phrase)
            last = max(t.i for t in phrase)
            span = doc[first : last + 1]
            confidence = (
                entry.confidence
                if chosen is None or chosen.code == entry.code
                else min(0.95, entry.confidence + 0.05)
            )
            if entry.code is None and chosen is not None:
                confidence = entry.confidence
            triggers.append(
                Trigger(
                    verb, entry, code, chosen, span.start_char, span.end_char, confidence, span.text
                )
            )
        return triggers
