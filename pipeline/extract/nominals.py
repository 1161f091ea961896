"""Events told by nouns ("an air strike on X", "the arrest of Z", "talks with Y"), found only where
the sentence reports them as having happened; the lexicon is ``data/nominals.yaml``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spacy.tokens import Doc, Token

from pipeline.errors import ConfigError
from pipeline.extract.actors import base_form
from pipeline.extract.datafiles import DATA_DIR, check_keys, number, read_yaml, word_forms, words
from pipeline.extract.lexicon import CodeTable, validate_code
from pipeline.extract.modality import ALLEGED, FUTURE, HYPOTHETICAL, NEGATED

SUBJECT = "subject"
"""The noun is the subject of an occurrence verb ("clashes erupted")."""
LIGHT = "light"
"""The object of a light verb whose subject is the actor ("held talks")."""
CAUSED = "caused"
"""The object of a verb of causing or undergoing ("prompted an outcry from X")."""
DURING = "during"
"""The object of "during" under a verb ("held talks during a visit")."""
HARM = "harm"
"""The object of "in" under a verb of harm ("died in clashes")."""
FRAGMENT = "fragment"
"""The head of a verbless sentence, a headline ("Air strikes on Idlib market")."""

_MODALITIES = (FUTURE, HYPOTHETICAL, ALLEGED, NEGATED)
_VIOLENT_ROOTS = frozenset({"18", "19", "20"})
_NOUNS = frozenset({"NOUN", "PROPN"})
_LEFT_MODIFIERS = frozenset({"compound", "amod", "nmod", "nummod"})
_ENTRY_KEYS = (
    "noun",
    "code",
    "patterns",
    "agent_preps",
    "target_preps",
    "needs_target",
    "also_object_of",
    "also_caused_by",
    "confidence",
)


@dataclass(frozen=True)
class NounPattern:
    """A refinement of a noun's code: by a modifier before it, or by a preposition and its
    object."""

    code: str | None
    modifier: frozenset[str] = frozenset()
    prep: str | None = None
    pobj: frozenset[str] = frozenset()


@dataclass(frozen=True)
class NominalEntry:
    """One noun (or several sharing a coding) of the nominal lexicon."""

    nouns: tuple[str, ...]
    code: str | None
    patterns: tuple[NounPattern, ...]
    agent_preps: tuple[str, ...]
    target_preps: tuple[str, ...]
    needs_target: bool
    also_object_of: frozenset[str]
    also_caused_by: frozenset[str]
    confidence: float


@dataclass(frozen=True)
class NominalLexicon:
    """Nouns by lemma, and where a noun reports an occurrence."""

    entries: Mapping[str, NominalEntry]
    subject_of: frozenset[str]
    light_verbs: frozenset[str]
    causing_verbs: frozenset[str]
    during_preps: frozenset[str]
    during_frames: frozenset[str]
    harm_verbs: frozenset[str]
    nonfactual_modifiers: Mapping[str, str]
    """Modifier word → modality (``planned`` → future)."""
    stative_verbs: frozenset[str] = frozenset()
    """Verbs of being somewhere: "was at home during the attack" tells no attack anew."""
    toll_nouns: frozenset[str] = frozenset()
    """Nouns counting an event's dead: "the death toll in the food riots has risen"."""


@dataclass(frozen=True)
class Nominal:
    """A noun that reports an event: the clause verb that licenses it, how, and its code."""

    noun: Token
    governor: Token | None
    """The verb whose clause reports the noun (None for a verbless headline)."""
    how: str
    entry: NominalEntry
    code: str
    start: int
    """Character offsets of the noun with its compounds ("air strike")."""
    end: int
    modality: str | None
    """A modality the noun phrase itself gives ("a planned attack"), else None."""


def _pattern(where: str, raw: Any, codes: CodeTable) -> NounPattern:
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: expected a mapping, got {raw!r}")
    check_keys(where, raw, ("code", "modifier", "prep", "pobj"), required=("code",))
    prep = words(f"{where}.prep", raw.get("prep"))
    if len(prep) > 1:
        raise ConfigError(f"{where}: prep takes one preposition, got {list(prep)}")
    pattern = NounPattern(
        code=validate_code(f"{where}.code", raw.get("code"), codes),
        modifier=word_forms(words(f"{where}.modifier", raw.get("modifier"))),
        prep=prep[0] if prep else None,
        pobj=word_forms(words(f"{where}.pobj", raw.get("pobj"))),
    )
    if pattern.pobj and pattern.prep is None:
        raise ConfigError(f"{where}: pobj needs a prep")
    if not pattern.modifier and pattern.prep is None:
        raise ConfigError(f"{where}: a pattern needs a modifier or a prep")
    return pattern


def _entry(where: str, raw: Any, codes: CodeTable, default: float) -> NominalEntry:
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: expected a mapping, got {raw!r}")
    check_keys(where, raw, _ENTRY_KEYS, required=("noun", "code"))
    nouns = words(f"{where}.noun", raw.get("noun"))
    if not nouns:
        raise ConfigError(f"{where}: noun is empty")
    patterns = raw.get("patterns") or []
    if not isinstance(patterns, list):
        raise ConfigError(f"{where}: patterns must be a list")
    code = validate_code(f"{where}.code", raw.get("code"), codes)
    built = tuple(_pattern(f"{where}: patterns[{i}]", p, codes) for i, p in enumerate(patterns))
    if code is None and not built:
        raise ConfigError(f"{where}: an entry with code null needs patterns")
    needs_target = raw.get("needs_target", False)
    if not isinstance(needs_target, bool):
        raise ConfigError(f"{where}.needs_target: expected true or false")
    return NominalEntry(
        nouns=tuple(nouns),
        code=code,
        patterns=built,
        agent_preps=tuple(words(f"{where}.agent_preps", raw.get("agent_preps", ["by"]))),
        target_preps=tuple(words(f"{where}.target_preps", raw.get("target_preps"))),
        needs_target=needs_target,
        also_object_of=frozenset(words(f"{where}.also_object_of", raw.get("also_object_of"))),
        also_caused_by=frozenset(words(f"{where}.also_caused_by", raw.get("also_caused_by"))),
        confidence=number(f"{where}.confidence", raw.get("confidence", default)),
    )


def load_nominals(codes: CodeTable, path: Path | None = None) -> NominalLexicon:
    """Load ``nominals.yaml``, checking every key and code."""
    path = path or DATA_DIR / "nominals.yaml"
    data = read_yaml(path)
    check_keys(str(path), data, ("confidence", "licensing", "nominals"), required=("nominals",))
    default = number(f"{path}: confidence", data.get("confidence", 0.6))
    licensing = data.get("licensing") or {}
    if not isinstance(licensing, dict):
        raise ConfigError(f"{path}: licensing must be a mapping")
    lists = (
        "subject_of",
        "light_verbs",
        "causing_verbs",
        "during_preps",
        "during_frames",
        "harm_verbs",
        "stative_verbs",
        "toll_nouns",
        "nonfactual_modifiers",
    )
    required = ("subject_of", "light_verbs", "causing_verbs", "during_preps", "harm_verbs")
    check_keys(f"{path}: licensing", licensing, lists, required=required)
    modifiers: dict[str, str] = {}
    raw_modifiers = licensing.get("nonfactual_modifiers") or {}
    if not isinstance(raw_modifiers, dict):
        raise ConfigError(f"{path}: nonfactual_modifiers must map a modality to words")
    for modality, raw in raw_modifiers.items():
        if modality not in _MODALITIES:
            raise ConfigError(f"{path}: nonfactual_modifiers: unknown modality {modality!r}")
        for word in words(f"{path}: nonfactual_modifiers.{modality}", raw):
            modifiers[word] = modality
    raw_entries = data["nominals"]
    if not isinstance(raw_entries, list):
        raise ConfigError(f"{path}: expected a list under 'nominals'")
    entries: dict[str, NominalEntry] = {}
    for index, raw in enumerate(raw_entries):
        where = f"{path}: nominals[{index}]"
        entry = _entry(where, raw, codes, default)
        for noun in entry.nouns:
            if noun in entries:
                raise ConfigError(f"{where}: duplicate noun {noun!r}")
            entries[noun] = entry

    def phrases(key: str) -> frozenset[str]:
        return frozenset(words(f"{path}: licensing.{key}", licensing.get(key)))

    return NominalLexicon(
        entries=entries,
        subject_of=phrases("subject_of"),
        light_verbs=phrases("light_verbs"),
        causing_verbs=phrases("causing_verbs"),
        during_preps=phrases("during_preps"),
        during_frames=frozenset(
            word_forms(words(f"{path}: licensing.during_frames", licensing.get("during_frames")))
        ),
        harm_verbs=phrases("harm_verbs"),
        stative_verbs=phrases("stative_verbs"),
        toll_nouns=phrases("toll_nouns"),
        nonfactual_modifiers=modifiers,
    )


def verb_phrases(verb: Token) -> set[str]:
    """How a verb may be listed: its lemma, with its particle ("carry out"), with its object
    ("take place")."""
    lemma = verb.lemma_.lower()
    out = {lemma}
    for child in verb.children:
        if child.dep_ in ("prt", "dobj") or (child.dep_ == "prep" and child.i == verb.i + 1):
            out.add(f"{lemma} {child.lower_}")
        if child.dep_ == "prep":  # "came into force"
            for pobj in (c for c in child.children if c.dep_ == "pobj"):
                out.add(f"{lemma} {child.lower_} {pobj.lower_}")
    return out


def _misparsed(token: Token) -> bool:
    """A plural noun the tagger took for a verb: "announced asset freezes" ("asset" its subject)."""
    if token.tag_ != "VBZ" or token.dep_ not in ("ccomp", "conj", "dobj", "xcomp"):
        return False
    subject = [c for c in token.children if c.dep_ == "nsubj"]
    if len(subject) != 1 or subject[0].i != token.i - 1:
        return False
    if any(c.dep_ in ("dobj", "aux", "neg", "ccomp", "xcomp") for c in token.children):
        return False
    modifier = subject[0]
    return modifier.pos_ == "NOUN" and not any(modifier.children)


def _personal(noun: Token) -> bool:
    """An act owned by one person ("his attacks on the EC"): in the news such attacks are words;
    armed groups own armed attacks."""
    # possessive pronouns only: NER calls many a country or group a PERSON
    return any(c.dep_ == "poss" and c.lower_ in ("his", "her") for c in noun.children)


def _modifiers(noun: Token) -> list[Token]:
    """The compounds before a noun; for a noun misparsed as a verb, its one-word "subject"."""
    if noun.pos_ == "VERB":
        return [c for c in noun.children if c.dep_ == "nsubj"]
    return [c for c in noun.children if c.dep_ == "compound" and c.i < noun.i]


class NominalFinder:
    """Finds nouns of the nominal lexicon that report an occurrence."""

    def __init__(self, lexicon: NominalLexicon) -> None:
        self.lexicon = lexicon

    def _licence(self, noun: Token, entry: NominalEntry) -> tuple[Token | None, str] | None:
        """The verb that reports ``noun`` as having happened, and how; None when nothing does."""
        lex = self.lexicon
        head_noun = noun
        while head_noun.dep_ == "conj" and head_noun.head.pos_ in _NOUNS:
            head_noun = head_noun.head  # "protests and clashes erupted": the first conjunct's place
        dep, head = head_noun.dep_, head_noun.head
        if head.pos_ in ("VERB", "AUX") and dep in ("nsubj", "nsubjpass"):
            phrases = verb_phrases(head)
            if dep == "nsubjpass" and phrases & lex.light_verbs:
                return head, LIGHT  # "talks were held"
            if dep == "nsubjpass" and phrases & (lex.causing_verbs | entry.also_caused_by):
                return head, CAUSED  # "deadly clashes were reported", "fighting was heard"
            if dep == "nsubj" and phrases & lex.subject_of:
                return head, SUBJECT
            return None
        if dep == "attr" and head.lemma_ == "be" and any(c.dep_ == "expl" for c in head.children):
            return head, SUBJECT  # "there were clashes", "there was a warning from X"
        if (
            dep == "pobj"
            and head.lower_ in ("in", "from")
            and head.head.lemma_.lower() in lex.toll_nouns
            and head.head.head.pos_ in ("VERB", "AUX")
        ):
            return head.head.head, HARM  # "the death toll in the food riots has risen to 20"
        if head.pos_ in ("VERB", "AUX") and dep in ("dobj", "obj", "ccomp", "conj", "xcomp"):
            phrases = verb_phrases(head)
            if phrases & (lex.light_verbs | entry.also_object_of):
                return head, LIGHT
            if phrases & (lex.causing_verbs | entry.also_caused_by):
                return head, CAUSED
            return None
        if dep == "pobj" and head.lower_ == "of" and head.head.lemma_.lower() in lex.during_frames:
            frame = head.head  # "at the start of a regional trip"
            if frame.dep_ == "pobj" and frame.head.dep_ == "prep":
                verb = frame.head.head
                if verb.pos_ in ("VERB", "AUX"):
                    return verb, DURING
            return None
        if dep == "pobj" and head.dep_ == "prep":
            verb = head.head
            if verb.pos_ not in ("VERB", "AUX"):
                return None
            if head.lower_ in lex.during_preps:
                if verb.lemma_.lower() in lex.stative_verbs:
                    return None  # "the President was at another home during the attack"
                return verb, DURING
            if head.lower_ == "in" and verb.lemma_.lower() in lex.harm_verbs:
                return verb, HARM
            return None
        if (dep == "ROOT" or (dep == "nsubj" and head.dep_ == "ROOT")) and not any(
            t.pos_ in ("VERB", "AUX") for t in noun.sent
        ):
            return None, FRAGMENT  # "Air strikes on Idlib market", "Clashes in Bria: 11 dead"
        return None

    def _code(self, noun: Token, entry: NominalEntry) -> str | None:
        modifiers = {
            form
            for c in noun.children
            if (c.dep_ in _LEFT_MODIFIERS and c.i < noun.i) or c in _modifiers(noun)
            for form in (c.lower_, c.lemma_.lower())
        }
        preps = [
            (c.lower_, next((p for p in c.children if p.dep_ == "pobj"), None))
            for c in noun.children
            if c.dep_ == "prep"
        ]
        for pattern in entry.patterns:
            if pattern.modifier and not (modifiers & pattern.modifier):
                continue
            if pattern.prep is not None:
                hits = [o for p, o in preps if p == pattern.prep]
                if not hits:
                    continue
                if pattern.pobj and not any(
                    o is not None and (o.lower_ in pattern.pobj or o.lemma_.lower() in pattern.pobj)
                    for o in hits
                ):
                    continue
            return pattern.code
        return entry.code

    def _modality(self, noun: Token) -> str | None:
        for child in noun.children:
            if child.dep_ == "det" and child.lower_ == "no":
                return NEGATED  # "no clashes were reported"
            if child.dep_ in ("amod", "compound", "advmod") and child.i < noun.i:
                found = self.lexicon.nonfactual_modifiers.get(child.lower_)
                if found is not None:
                    return found
        return None

    def find(
        self, doc: Doc, verb_codes: Mapping[int, str], spans: Iterable[range]
    ) -> list[Nominal]:
        """Nominal events of ``doc``. ``verb_codes``: the verb triggers' token index → code (a noun
        the verb already codes with the same root is its event); ``spans``: their character
        ranges."""
        taken = [span for span in spans]
        out: list[Nominal] = []
        entries = self.lexicon.entries
        for token in doc:
            if token.pos_ not in _NOUNS and not (token.pos_ == "VERB" and _misparsed(token)):
                continue
            lemma = base_form(token) if token.pos_ != "VERB" else token.lower_.removesuffix("s")
            entry = entries.get(lemma)
            if entry is None:
                continue
            licence = self._licence(token, entry)
            if licence is None:
                continue
            governor, how = licence
            code = self._code(token, entry)
            if code is None:
                continue
            if code[:2] in _VIOLENT_ROOTS and _personal(token):
                continue  # "continued his attacks against the EC": words, not weapons
            if (
                governor is not None
                and governor.i in verb_codes
                and how != DURING
                and (verb_codes[governor.i][:2] == code[:2] or how in (SUBJECT, HARM))
            ):
                continue  # "carried out an attack", "air strikes killed": the verb's event
            first = min((c.left_edge for c in _modifiers(token)), key=lambda t: t.i, default=token)
            start, end = first.idx, token.idx + len(token.text)
            if any(start < r.stop and r.start < end for r in taken):
                continue  # inside a verb trigger's phrase ("staged a protest")
            out.append(
                Nominal(token, governor, how, entry, code, start, end, self._modality(token))
            )
        return out


def _pobjs(owner: Token, prep: str) -> list[Token]:
    return [
        pobj
        for child in owner.children
        if child.dep_ in ("prep", "agent", "dative") and child.lower_ == prep
        for pobj in child.children
        if pobj.dep_ == "pobj"
    ]


# Acts done to somebody: "Khan's arrest" is Khan arrested, unless the noun names its patient
# itself ("the army's killing of civilians": the army killed).
_PATIENT_ROOTS = frozenset({"17", "18"})


def possessor_is_patient(noun: Token, code: str) -> bool:
    """True when "X's <noun>" names whom the act was done to ("Khan's arrest", "his killing")."""
    return code[:2] in _PATIENT_ROOTS and not _pobjs(noun, "of")


def agent_candidates(
    noun: Token,
    entry: NominalEntry,
    governor: Token | None = None,
    how: str = "",
    *,
    patient_possessor: bool = False,
) -> list[Token]:
    """Who may have done the act, in order: "by X" or the entry's other agent prepositions, on
    the noun ("outcry from X", "clashes between X and Y") or on a verb of causing or occurrence
    ("prompting outcry from X", "clashes erupted between X and Y"); "X's" (unless
    ``patient_possessor``); then the noun phrase itself, whose modifiers may name the actor
    ("police raid", "Israeli air strikes")."""
    out: list[Token] = []
    for prep in entry.agent_preps:
        out.extend(_pobjs(noun, prep))
        if governor is not None and how in (CAUSED, SUBJECT) and prep != "by":
            out.extend(_pobjs(governor, prep))
    possessors = [c for c in noun.children if c.dep_ == "poss"]
    if not patient_possessor:
        out.extend(possessors)
    if not (patient_possessor and possessors):
        out.append(noun)  # (with a patient possessor the phrase would name the patient)
    return out


def target_candidates(
    noun: Token,
    entry: NominalEntry,
    governor: Token | None,
    how: str,
    *,
    patient_possessor: bool = False,
) -> list[Token]:
    """Whom the act was done to, in order: the entry's target prepositions on the noun ("an attack
    on Y", "the arrest of Z", "talks with Y"), "Z's" when ``patient_possessor`` ("Z's arrest"),
    then on a light verb ("carried out strikes against Y")."""
    out: list[Token] = []
    for prep in entry.target_preps:
        out.extend(_pobjs(noun, prep))
    if how == FRAGMENT and noun.dep_ == "ROOT":
        # a headline whose verb the parser read as a plural noun ("ONLF attacks Ethiopian
        # soldiers"): the noun phrase right after it is its object
        out.extend(
            c
            for c in noun.rights
            if c.dep_ in ("npadvmod", "appos", "dobj", "dep") and c.pos_ in ("NOUN", "PROPN")
        )
    if patient_possessor:
        out.extend(c for c in noun.children if c.dep_ == "poss")
    if governor is not None and how == LIGHT:
        for prep in entry.target_preps:
            out.extend(_pobjs(governor, prep))
    if governor is not None and how == CAUSED:
        # a reaction targets its cause: "X dropped sanctions, prompting outcry" reacts to X
        clause = governor
        if not any(c.dep_ == "nsubj" for c in clause.children) and clause.dep_ in (
            "advcl",
            "conj",
        ):
            clause = clause.head
        out.extend(c for c in clause.children if c.dep_ == "nsubj")
    return out
