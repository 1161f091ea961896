"""Reports told in the headline present ("Police battle Mungiki sect", "Bandits raid villages,
attack civilians") and initials read as a verb ("IS militants killed a soldier"): the small English
model parses the act as a noun, the sentence has no verb and no event is found. Such a document is
parsed again with the act in the past tense (or the initials spelled out), and the new parse is put
on the article's own words, so spans and text stay as written (``data/headlines.yaml``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from spacy.tokens import Doc, Span, Token

from pipeline.errors import ConfigError
from pipeline.extract.datafiles import DATA_DIR, check_keys, read_yaml

_NOUNS = frozenset({"NOUN", "PROPN", "PRON"})
_VERBS = frozenset({"VERB", "AUX"})
_MODIFIER_DEPS = frozenset({"amod", "compound", "nmod"})
# words that are no name however written ("The attack helicopter")
_FUNCTION_WORDS = frozenset({"DET", "ADP", "ADV", "CCONJ", "SCONJ", "PART", "INTJ"})
_FINITE = frozenset({"VBD", "VBZ", "VBP", "MD"})
# words a doer's noun phrase is made of ("Suspected ZANU-PF youths", "3 armed men")
_NOUN_PHRASE = frozenset({"NOUN", "PROPN", "ADJ", "NUM", "DET"})
# words an object starts with ("civilians", "MDC activists", "20 protesters", "a farmer")
_OBJECT_START = frozenset({"NOUN", "PROPN", "PRON", "NUM", "DET", "ADJ"})


@dataclass(frozen=True)
class HeadlineRules:
    """The table of ``headlines.yaml``."""

    irregular_past: Mapping[str, str]
    initialisms: Mapping[str, str]


def _mapping(where: str, raw: object) -> dict[str, str]:
    if not isinstance(raw, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in raw.items()
    ):
        raise ConfigError(f"{where}: expected a mapping of words to words")
    return {str(k).strip(): str(v).strip() for k, v in raw.items()}


def load_headline_rules(path: Path | None = None) -> HeadlineRules:
    """Read ``headlines.yaml``."""
    path = path or DATA_DIR / "headlines.yaml"
    data = read_yaml(path)
    keys = ("irregular_past", "initialisms")
    check_keys(str(path), data, keys, keys)
    irregular = _mapping(f"{path}: irregular_past", data["irregular_past"])
    return HeadlineRules(
        irregular_past={k.lower(): v for k, v in irregular.items()},
        initialisms=_mapping(f"{path}: initialisms", data["initialisms"]),
    )


@cache
def headline_rules() -> HeadlineRules:
    """The shipped table, read once per process."""
    return load_headline_rules()


def past_tense(verb: str, rules: HeadlineRules) -> str:
    """The simple past of a base form: the table's, else + "ed" ("raze" -> "razed")."""
    if verb in rules.irregular_past:
        return rules.irregular_past[verb]
    if verb.endswith("e"):
        return verb + "d"
    if verb.endswith("y") and len(verb) > 2 and verb[-2] not in "aeiou":
        return verb[:-1] + "ied"
    return verb + "ed"


def _base(word: str, verbs: frozenset[str]) -> str | None:
    """The lexicon verb a headline word is (``attacks`` -> ``attack``), or None."""
    lower = word.lower()
    for base in (lower, lower[:-1] if lower.endswith("s") else "", lower[:-2]):
        if base and base in verbs and (base == lower or lower.endswith("s")):
            return base
    return None


def _initials(token: Token) -> bool:
    """True for a word in capitals of two letters or more ("ZANU"): a name, whatever its tag."""
    return len(token.text) > 1 and token.text.isupper() and token.text.isalpha()


def _name_word(token: Token) -> bool:
    """Initials or a capitalised word within the sentence, whatever its tag ("PF" of "ZANU-PF"
    read as an adjective); a sentence's first word is capitalised whatever it is ("Angry")."""
    if _initials(token):
        return True
    return token.is_title and not token.is_sent_start and token.pos_ not in _FUNCTION_WORDS


def swaps(doc: Doc, verbs: frozenset[str], rules: HeadlineRules) -> dict[int, str]:
    """Token index -> the word to parse in its place: a headline act after a noun in a sentence
    whose root is no verb ("Police battle Mungiki sect"), and initials read as a verb."""
    out: dict[int, str] = {}
    for token in doc:
        if token.text in rules.initialisms and token.pos_ in _VERBS:
            out[token.i] = rules.initialisms[token.text]
    for sent in _clauses(doc):
        if sent.root.pos_ in _VERBS and sent.root.i not in out:
            # "Police abduct and assault traders": the second act read as a noun
            out.update(_coordinated_acts(sent.root, sent, verbs, rules))
            continue
        for token in sent:
            if token.i in out:
                continue
            if token.pos_ in _VERBS and not _initials(token):
                # "Police abduct and assault civilians": the parse reads one act as a verb
                # and the other as a noun; both are the headline's acts, done by its doer
                acts = _coordinated_acts(token, sent, verbs, rules)
                out.update(acts)
                # a headline tells its act first: after a verb, a noun is no headline act
                # ("MPs, led by X, protested against the voter roll revision"); a party's
                # initials read as a verb are its name ("ZANU-PF assaults MDC activists")
                break
            if token.i == sent.start or not token.is_lower:
                continue
            before = doc[token.i - 1]
            base = _base(token.text, verbs)
            after = doc[token.i + 1] if token.i + 1 < sent.end else None
            # an act has its object or place after it; "Romania protests: huge crowds rally" is a
            # headline's label, a noun
            if (
                base is not None
                and (before.pos_ in _NOUNS or _name_word(before))
                and after is not None
                and not after.is_punct
            ):
                out[token.i] = past_tense(base, rules)
                out.update(_coordinated_acts(token, sent, verbs, rules, first=False))
    return out


def _coordinated_acts(
    token: Token, sent: Span, verbs: frozenset[str], rules: HeadlineRules, *, first: bool = True
) -> dict[int, str]:
    """A headline's present acts joined by "and" ("abduct and assault civilians") from ``token``
    on, each in the past tense; ``first``: ``token`` itself is checked (a noun or name before it,
    no past form), else only the acts after it. Empty when the words are no such chain."""
    doc = token.doc
    out: dict[int, str] = {}
    if first:
        base = _base(token.text, verbs) if token.is_lower else None
        before = doc[token.i - 1] if token.i > sent.start else None
        if (
            base is None
            or token.tag_ in ("VBD", "VBN")
            or before is None
            or not (before.pos_ in _NOUNS or _name_word(before))
        ):
            return {}
        out[token.i] = past_tense(base, rules)
    i = token.i + 1
    while i + 2 < sent.end and doc[i].lower_ in ("and", ","):
        nxt = doc[i + 1]
        base = _base(nxt.text, verbs) if nxt.is_lower and nxt.tag_ not in ("VBD", "VBN") else None
        if base is None or doc[i + 2].is_punct:
            break
        out[nxt.i] = past_tense(base, rules)
        i += 2
    # one act alone is the parse's own verb: nothing to change
    return out if len(out) > (1 if first else 0) else {}


def _clauses(doc: Doc) -> list[Span]:
    """The sentences, each cut at its semicolons: a headline's clauses ("ZANU-PF youth disrupt
    MDC rally; violence reported") are each read as a sentence of their own."""
    out: list[Span] = []
    for sent in doc.sents:
        start = sent.start
        for token in sent:
            if token.text == ";" and token.i > start:
                out.append(doc[start : token.i])
                start = token.i + 1
        if start < sent.end:
            out.append(doc[start : sent.end])
    return out


def _chains(
    doc: Doc, changed: dict[int, str], verbs: frozenset[str]
) -> dict[int, tuple[str, tuple[tuple[int, str], ...]]]:
    """The swapped acts joined by "and" or a comma ("abduct and assault"): first act -> its base
    and the (index, base) of the acts after it."""
    out: dict[int, tuple[str, tuple[tuple[int, str], ...]]] = {}
    for i in sorted(changed):
        if i - 2 in changed and doc[i - 1].lower_ in ("and", ","):
            continue  # within a chain told from its first act
        others: list[tuple[int, str]] = []
        j = i + 2
        while j in changed and doc[j - 1].lower_ in ("and", ","):
            others.append((j, _base(doc[j].text, verbs) or doc[j].lower_))
            j += 2
        base = _base(doc[i].text, verbs)
        if others and base is not None:
            out[i] = (base, tuple(others))
    return out


def _parsed_as_verbs(new: Doc, changed: dict[int, str], original: Doc) -> bool:
    """True when the new parse reads every swapped act as a verb (initials: not as a verb)."""
    for i in changed:
        verb_now = new[i].pos_ in _VERBS
        if original[i].pos_ in _VERBS:  # initials: now a name
            if verb_now:
                return False
        elif not verb_now or new[i].dep_ in _MODIFIER_DEPS:
            # "attacked helicopters": a participle of a noun is no act of the sentence
            return False
    return True


def reparsed(
    doc: Doc, parse: Callable[[str], Doc], verbs: frozenset[str], rules: HeadlineRules
) -> Doc:
    """``doc``, or a doc of the same words with the parse of its headline-present acts in the past
    tense when that parse reads them as verbs; ``parse``: the pipeline (``nlp``)."""
    changed = swaps(doc, verbs, rules)
    if not changed:
        return doc
    text = doc.text
    parts: list[str] = []
    last = 0
    for i in sorted(changed):
        token = doc[i]
        parts.append(text[last : token.idx])
        parts.append(changed[i])
        last = token.idx + len(token.text)
    parts.append(text[last:])
    new = parse("".join(parts))
    if len(new) != len(doc) or not _parsed_as_verbs(new, changed, doc):
        # the past tense is read as a participle too ("ZANU-PF assaulted civilians": an adjective
        # of "civilians"): the act is set as the clause's verb directly, where the clause is
        # nothing but doer, act and object
        return _acts_set(doc, verbs, _chains(doc, changed, verbs)) or doc
    return Doc(
        doc.vocab,
        words=[t.text for t in doc],
        spaces=[bool(t.whitespace_) for t in doc],
        user_data=dict(doc.user_data),
        tags=[t.tag_ for t in new],
        pos=[t.pos_ for t in new],
        morphs=[str(t.morph) for t in new],
        lemmas=[_lemma(t, doc[t.i], changed) for t in new],
        heads=[t.head.i for t in new],
        deps=[t.dep_ for t in new],
        ents=[_iob(t) for t in new],
    )


@dataclass
class _Parse:
    """The parse of a doc as lists, to be changed and made a doc again."""

    tags: list[str]
    pos: list[str]
    morphs: list[str]
    lemmas: list[str]
    heads: list[int]
    deps: list[str]

    @classmethod
    def of(cls, doc: Doc) -> _Parse:
        return cls(
            tags=[t.tag_ for t in doc],
            pos=[t.pos_ for t in doc],
            morphs=[str(t.morph) for t in doc],
            lemmas=[t.lemma_ for t in doc],
            heads=[t.head.i for t in doc],
            deps=[t.dep_ for t in doc],
        )


def _headline_act(sent: Span, verbs: frozenset[str]) -> tuple[int, str] | None:
    """The one act of a verbless headline clause (its index and base), or None: a lexicon act
    in base or -s form after a name or noun, before a noun, and no other verb in the clause."""
    if sent.root.pos_ in _VERBS:
        return None
    found: tuple[int, str] | None = None
    for token in sent[1:-1]:
        base = _base(token.text, verbs) if token.is_lower else None
        if base is not None and (token.pos_ in _NOUNS or token.dep_ in _MODIFIER_DEPS):
            before, after = token.doc[token.i - 1], token.doc[token.i + 1]
            if (before.pos_ in _NOUNS or _name_word(before)) and after.pos_ in _OBJECT_START:
                if found is not None:
                    return None  # two acts: no telling which is the clause's
                found = (token.i, base)
                continue
        if token.tag_ in _FINITE and not _initials(token):
            return None
    return found


def _subject_start(sent: Span, act: int) -> int:
    """The first word of the doer's noun phrase right before the act ("ZANU-PF", "CIO agents")."""
    start = act
    while start > sent.start:
        word = sent.doc[start - 1]
        if (
            word.pos_ in _NOUN_PHRASE
            or _name_word(word)
            or (word.text == "-" and not word.whitespace_)
        ):
            start -= 1
        else:
            break
    return start


def _set_act(
    p: _Parse, sent: Span, act: int, base: str, others: tuple[tuple[int, str], ...] = ()
) -> bool:
    """Make ``act`` the root verb of ``sent``, its doer before it and its object after it (the
    words of each keep their own attachments); ``others``: acts joined to it by "and" ("abduct
    and assault civilians"), the object then the last one's. False when there is no noun on
    either side."""
    doc = sent.doc
    start = _subject_start(sent, act)
    doer = next(
        (i for i in range(act - 1, start - 1, -1) if doc[i].pos_ in _NOUNS or _name_word(doc[i])),
        None,
    )
    last = others[-1][0] if others else act
    objects = range(last + 1, sent.end)
    tops = [i for i in objects if p.heads[i] not in objects or p.heads[i] == i]
    obj = next((i for i in tops if doc[i].pos_ in _NOUNS or doc[i].pos_ == "NUM"), None)
    if doer is None or obj is None:
        return False
    chain = {i: b for i, b in others}
    for i in range(sent.start, sent.end):
        if i == act:
            continue
        if act < i <= last:
            # the joined acts are the first's conjuncts, the words between them its "and"s
            if i in chain:
                p.heads[i], p.deps[i] = act, "conj"
                p.tags[i], p.pos[i], p.lemmas[i] = "VBD", "VERB", chain[i]
                p.morphs[i] = "Tense=Past|VerbForm=Fin"
            else:
                p.heads[i] = act
                p.deps[i] = "cc" if doc[i].pos_ == "CCONJ" else "punct"
            continue
        if start <= i < act:
            region, top = range(start, act), doer
        elif i > act:
            region, top = objects, obj
        else:
            region, top = range(sent.start, start), act
        if i in (doer, obj):
            p.heads[i], p.deps[i] = (act, "nsubj") if i == doer else (last, "dobj")
        elif p.heads[i] not in region or p.heads[i] == i or p.heads[i] == act:
            p.heads[i] = top
            if p.deps[i] in ("ROOT", "nsubj", "dobj"):
                p.deps[i] = "compound" if top != act else "dep"
        if start <= i < act and _initials(doc[i]) and p.pos[i] in _VERBS:
            p.tags[i], p.pos[i], p.lemmas[i] = "NNP", "PROPN", doc[i].text  # a party's initials
    p.heads[act], p.deps[act] = act, "ROOT"
    p.tags[act], p.pos[act], p.lemmas[act] = "VBD", "VERB", base
    p.morphs[act] = "Tense=Past|VerbForm=Fin"
    return True


def _acts_set(
    doc: Doc,
    verbs: frozenset[str],
    chains: dict[int, tuple[str, tuple[tuple[int, str], ...]]] | None = None,
) -> Doc | None:
    """``doc`` with the act of each verbless headline clause set as its verb, or None if none;
    ``chains``: first act -> its base and the acts joined to it ("abduct and assault"), set as
    its conjuncts."""
    p = _Parse.of(doc)
    changed = False
    chains = chains or {}
    chained: set[int] = set()
    for sent in _clauses(doc):
        for first, (base, others) in chains.items():
            if sent.start <= first < sent.end and _set_act(p, sent, first, base, others):
                changed = True
                chained.add(first)
    for sent in list(doc.sents):
        if any(sent.start <= i < sent.end for i in chained):
            continue
        found = _headline_act(sent, verbs)
        if found is not None and _set_act(p, sent, *found):
            changed = True
    if not changed:
        return None
    return Doc(
        doc.vocab,
        words=[t.text for t in doc],
        spaces=[bool(t.whitespace_) for t in doc],
        user_data=dict(doc.user_data),
        tags=p.tags,
        pos=p.pos,
        morphs=p.morphs,
        lemmas=p.lemmas,
        heads=p.heads,
        deps=p.deps,
        ents=[_iob(t) for t in doc],
    )


def _lemma(new: Token, old: Token, changed: dict[int, str]) -> str:
    """The new parse's lemma ("attacked" -> "attack"); spelled-out initials keep their letters."""
    if new.i in changed and new.pos_ not in _VERBS:
        return old.text
    return new.lemma_


def _iob(token: Token) -> str:
    return f"{token.ent_iob_}-{token.ent_type_}" if token.ent_iob_ in ("B", "I") else "O"
