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

from spacy.tokens import Doc, Token

from pipeline.errors import ConfigError
from pipeline.extract.datafiles import DATA_DIR, check_keys, read_yaml

_NOUNS = frozenset({"NOUN", "PROPN", "PRON"})
_VERBS = frozenset({"VERB", "AUX"})
_MODIFIER_DEPS = frozenset({"amod", "compound", "nmod"})


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


def swaps(doc: Doc, verbs: frozenset[str], rules: HeadlineRules) -> dict[int, str]:
    """Token index -> the word to parse in its place: a headline act after a noun in a sentence
    whose root is no verb ("Police battle Mungiki sect"), and initials read as a verb."""
    out: dict[int, str] = {}
    for token in doc:
        if token.text in rules.initialisms and token.pos_ in _VERBS:
            out[token.i] = rules.initialisms[token.text]
    for sent in doc.sents:
        if sent.root.pos_ in _VERBS and sent.root.i not in out:
            continue
        for token in sent:
            if token.pos_ in _VERBS and token.i not in out and not _initials(token):
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
                and before.pos_ in _NOUNS
                and after is not None
                and not after.is_punct
            ):
                out[token.i] = past_tense(base, rules)
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
        return doc
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


def _lemma(new: Token, old: Token, changed: dict[int, str]) -> str:
    """The new parse's lemma ("attacked" -> "attack"); spelled-out initials keep their letters."""
    if new.i in changed and new.pos_ not in _VERBS:
        return old.text
    return new.lemma_


def _iob(token: Token) -> str:
    return f"{token.ent_iob_}-{token.ent_type_}" if token.ent_iob_ in ("B", "I") else "O"
