"""Context-aware toponym resolution against the village-level gazetteer: which words are place
names (NER or a locative pattern, never a company or a person), and which of the places so named
is meant (admin parents named nearby, the story's country, the kind of place, population)."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from spacy.tokens import Doc, Span, Token

from pipeline.extract.datafiles import DATA_DIR, check_keys, read_yaml, words
from pipeline.extract.geonames_places import GeoNamesPlaces, Toponym
from pipeline.extract.places import PlaceMention, numbered_quarter
from pipeline.extract.toponyms import fold, place_key

_LISTS = (
    "place_labels",
    "name_labels",
    "never_labels",
    "admin1_words",
    "admin2_words",
    "settlement_words",
    "vicinity_words",
    "locative_words",
    "name_links",
    "parent_words",
    "capital_words",
    "direction_words",
    "host_verbs",
    "not_where_words",
    "neighbour_words",
    "flight_verbs",
    "target_words",
    "resident_words",
    "institution_words",
    "abroad_words",
)
_EARTH_KM = 6371.0
_NEAR_KM = 30.0
"""A place this close to a town named beside it ("X, near Kismaayo") is in its area."""
_SIBLING_KM = 150.0
"""Places listed together ("in Nad Ali, Nahri Saraj and Sangin") lie this close."""
_MILLION = 1_000_000
_DWARFS = 10
"""A namesake this many times bigger than every other says the country of a bare name."""
_BIG_CITY = 100_000
"""A place this big is a city; a namesake this big elsewhere is kept (a capital is news)."""
_ALIAS_TOWN = 20_000
"""A place this big stays a reading when only an alternate name matches it ("Burco": Burao).

Tuning on DEV ACLED place rates (round 17): towns GeoNames lists under another name have 20,000+
people, the unrelated namesakes an alias finds mostly under 8,000."""
_STRONG_STORY = 2
_LONE_COUNTRIES = 3
"""A small name with namesakes in this many countries says no place on its own."""
"""Votes for one story country (places, peoples, groups) that outweigh a lone city abroad."""


@dataclass(frozen=True)
class ToponymCues:
    """The word lists of ``toponyms.yaml``."""

    place_labels: frozenset[str]
    name_labels: frozenset[str]
    never_labels: frozenset[str]
    admin1_words: frozenset[str]
    admin2_words: frozenset[str]
    settlement_words: frozenset[str]
    vicinity_words: frozenset[str]
    locative_words: frozenset[str]
    name_links: frozenset[str]
    parent_words: frozenset[str]
    capital_words: frozenset[str]
    direction_words: frozenset[str]
    host_verbs: frozenset[str]
    not_where_words: frozenset[str]
    neighbour_words: frozenset[str]
    flight_verbs: frozenset[str]
    target_words: frozenset[str]
    resident_words: frozenset[str]
    institution_words: frozenset[str]
    abroad_words: frozenset[str]

    def kind_of(self, word: str) -> str | None:
        """The gazetteer kind a feature word asks for (``A1``, ``A2``, ``P``), else None."""
        if word in self.admin1_words:
            return "A1"
        if word in self.admin2_words:
            return "A2"
        if word in self.settlement_words:
            return "P"
        return None

    def is_feature(self, word: str) -> bool:
        """A word that says the name before or after it is a place."""
        return self.kind_of(word) is not None or word in self.vicinity_words


def load_toponym_cues(path: Path | None = None) -> ToponymCues:
    """Load and check ``toponyms.yaml``."""
    path = path or DATA_DIR / "toponyms.yaml"
    data = read_yaml(path)
    check_keys(str(path), data, _LISTS, required=_LISTS)
    lists = {
        name: frozenset(words(f"{path}: {name}", data[name], lower=not name.endswith("labels")))
        for name in _LISTS
    }
    return ToponymCues(**lists)


def _own(mention: PlaceMention) -> bool:
    """A mention of the project's own gazetteer (or a neighbourhood placed by its parent)."""
    return mention.gazetteer == "project" or mention.parent is not None or mention.kind == "country"


def _as_written(name: str) -> str:
    """A name as written, up to accents, case, punctuation and doubled letters ("Maai Mahiu" is
    "Mai Mahiu"; "Malili" is not "Maleli")."""
    return re.sub(r"(.)\1+", r"\1", re.sub(r"[^a-z]", "", fold(name).lower()))


_ARTICLE = re.compile(r"(?:^|(?<=[\s-]))(?:a[lnrsdtz]|ash|el|e[nrsdt])[\s'’‘-]+")


def consonant_skeleton(name: str) -> str:
    """A name's consonants without Arabic articles, vowel letters or h/w/y, with q, c and x
    read as k and j as g: what transliterations of one name share ("Nashabiyeh", "An
    Nashabiyah"; "Makhmour", "Mexmur"; "Zingibar", "Zinjibar"), and an unrelated alternate
    name does not ("Nasir", Demirci)."""
    folded = _ARTICLE.sub("", fold(name).lower())
    letters = re.sub(r"[^a-z]", "", folded).translate(_AS_K)
    return re.sub(r"(.)\1+", r"\1", re.sub(r"[aeiouhwy]", "", letters))


_AS_K = str.maketrans("qcxj", "kkkg")


def _acronym(text: str) -> bool:
    """Capitals (and digits or hyphens) only: "KDF", "ODM-K"."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters) and len(letters) <= 6


def _before_modifiers(doc: Doc, j: int) -> int:
    """The index of the first word before a name's article and modifiers, from ``j`` backwards:
    "in the rebel-held Misrata" reaches "in" (a hyphenated modifier is one word)."""
    while j >= 0:
        token = doc[j]
        hyphen = (
            token.text == "-"
            or (j > 0 and doc[j - 1].text == "-" and doc[j - 1].whitespace_ == "")
            or (j + 1 < len(doc) and doc[j + 1].text == "-" and token.whitespace_ == "")
        )
        if token.lower_ == "the" or token.pos_ == "ADJ" or hyphen:
            j -= 1
            continue
        break
    return j


def _story(votes: Counter[str]) -> set[str]:
    """The story's countries: those with more than half the votes of the first (none without
    votes)."""
    top = max(votes.values(), default=0)
    return {c for c, n in votes.items() if c and n > 0 and 2 * n > top}


def _unit_hinted(candidate: Candidate, hints: Sequence[Toponym]) -> bool:
    """Parentheses after the name hold an administrative unit ("Kolokonde (Djougou, Donga)"):
    the name is a place whatever NER took it for ("ODM-K (Mitau)" holds none)."""
    return candidate.parenthesised and any(h.is_admin for h in hints)


def _chain_countries(
    hinted: Sequence[tuple[int, Toponym]], written: Sequence[str] = ()
) -> set[str]:
    """The countries of the administrative units a parent chain ends with ("(Baraawe, Lower
    Shabelle)": Somalia's), empty when its last name is no known unit. A district counts only
    when its name is the one written ("Al Hali district" is not Hale County, Texas); a
    province also by an alias ("Lower Shabelle": Shabeellaha Hoose)."""
    last = max((n for n, _ in hinted), default=-1)
    name = _as_written(written[last]) if 0 <= last < len(written) else ""
    return {
        h.country
        for n, h in hinted
        if n == last and h.is_admin and (h.kind == "A1" or not name or _as_written(h.name) == name)
    }


def km(a: Toponym, b: Toponym) -> float:
    """Great-circle distance between two records."""
    lat1, lat2 = math.radians(a.latitude), math.radians(b.latitude)
    dlat, dlon = lat2 - lat1, math.radians(b.longitude - a.longitude)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * _EARTH_KM * math.asin(min(1.0, math.sqrt(h)))


def _km_points(m: PlaceMention, latitude: float, longitude: float) -> float:
    """Great-circle distance from a placed mention to a point."""
    assert m.latitude is not None and m.longitude is not None
    lat1, lat2 = math.radians(m.latitude), math.radians(latitude)
    dlat, dlon = lat2 - lat1, math.radians(longitude - m.longitude)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * _EARTH_KM * math.asin(min(1.0, math.sqrt(h)))


@dataclass
class Candidate:
    """A name the text uses as a place, and what its context says about it."""

    span: Span
    kind: str | None = None
    """The kind a feature word asks for (``A1``, ``A2``, ``P``)."""
    explicit: bool = False
    """A feature word or parentheses say it is a place (a NER person may then be one)."""
    needs_parent: bool = False
    """Only the parent named after it says it is a place: it must be the gazetteer's parent."""
    locative: bool = False
    """A locative word precedes it ("in X", "near X")."""
    needs_context: bool = False
    """NER took it for a person or an organisation, but a locative word precedes it ("in
    Dar'a"): a place only in the story's country or under a parent named nearby."""
    hints: list[Span] = field(default_factory=list)
    """Names given as its parents: "X (Kismaayo, Lower Juba)", "in X, Dabaso, Kilifi", "X
    village near Y"."""
    parenthesised: bool = False
    """The hints stand in parentheses after it: "Kolokonde (Djougou, Donga)"."""
    as_parent: bool = False
    """Written as another name's parent: an administrative unit is likelier, a town may be."""
    in_name: bool = False
    """The first words of an institution's name ("Gulu University")."""
    name_end: int = 0
    """The end of that institution's name: no place inside it ("Benghazi *Airport*")."""


class ToponymResolver:
    """Finds and resolves the place names no other gazetteer matched."""

    def __init__(self, places: GeoNamesPlaces, cues: ToponymCues) -> None:
        self.places = places
        self.cues = cues

    # --- which words are place names -------------------------------------------------------------

    def _is_name(self, token: Token) -> bool:
        # not is_title: "Dar'a" is no title-case word to Python
        return token.text[:1].isupper() and token.pos_ in (
            "PROPN",
            "NOUN",
            "ADJ",
            "VERB",
        )

    def _name_from(self, doc: Doc, start: int, taken: set[int]) -> Span | None:
        """The proper name starting at ``start`` ("Bar-Sanguun", "Ma'arrat al-Numan"), up to a
        feature word."""
        if start >= len(doc) or start in taken or not self._is_name(doc[start]):
            return None
        if self.cues.is_feature(doc[start].lower_):
            return None
        end = start + 1
        while end < len(doc) and end not in taken:
            token = doc[end]
            # links: "Ma'arrat al-Numan", "Bin Jawad", "Nawa-e Barakzayi", "Sangi-ye Pain"
            links = end
            while (
                links < len(doc)
                and links - end < 3
                and (doc[links].lower_ in self.cues.name_links or doc[links].text in ("-", "'"))
                # "Tin-Akoff" is one name; "Kenscoff - Godet" (spaced) a town and a quarter
                and not (doc[links].text == "-" and self._spaced_dash(doc, links))
            ):
                links += 1
            if end < links < len(doc) and self._is_name(doc[links]):
                end = links + 1
                continue
            if not self._is_name(token) or self.cues.is_feature(token.lower_):
                break
            if doc[end - 1].whitespace_ == "" or token.ent_iob_ == "I" or token.pos_ == "PROPN":
                end += 1
                continue
            break
        return doc[start:end]

    def _hints(
        self, doc: Doc, end: int, taken: set[int], framed: bool = False
    ) -> tuple[list[Span], bool]:
        """Names right after a place name: in parentheses ("(Kismaayo, Lower Juba)", True) or
        apposed with commas ("Watamu, Dabaso, Kilifi", False)."""
        out: list[Span] = []
        if end < len(doc) and doc[end].text == "(":
            i = end + 1
            while i < len(doc) and doc[i].text != ")" and i - end < 16:
                name = self._name_from(doc, i, set())
                if name is None:
                    i += 1
                    continue
                out.append(name)
                i = name.end
            # "Shamal (Do Mando) district, Khost": an alias in parentheses, then the province
            i += 1
            i = self._past_features(doc, i)
            if out and i + 1 < len(doc) and doc[i].text == "," and i > end + 2:
                name = self._name_from(doc, i + 1, set())
                if (
                    name is not None
                    and name.end < len(doc)
                    and doc[name.end].lower_
                    not in (
                        "and",
                        "or",
                        "&",
                    )
                ):
                    out.append(name)
            return out, bool(out)
        i = end
        # "Husain Khel of Mohammad Agha district"; "Hararta village near Adan Yabaal town"
        # "Oodwayne neighborhood in Mogadishu": "in" after a feature word only ("Tata in Pune"
        # is no parent relation the text asserts)
        # ("the town of Karak in Dar'a": ``framed``, a feature word said it is a place)
        after_feature = framed or (end > 0 and self.cues.is_feature(doc[end - 1].lower_))
        links = self.cues.parent_words | ({"in"} if after_feature else set())
        if i + 1 < len(doc) and doc[i].lower_ in links:
            name = self._name_from(doc, i + 1, set())
            if name is not None:
                out.append(name)
                i = name.end
                i = self._past_features(doc, i)
                if i < len(doc) and doc[i].text == "(":  # "near Y village (Y, Z)": Y's own
                    more, _ = self._hints(doc, i, taken)
                    return out + more, False
        apposed: list[Span] = []
        while i + 1 < len(doc) and doc[i].text == ",":
            name = self._name_from(doc, i + 1, set())
            if name is None or self._modifies_noun(doc, name.end):
                # "in Mongu, Council workers staged": a name before a common noun qualifies it
                break
            apposed.append(name)
            i = name.end
            i = self._past_features(doc, i)  # "Kirinyaga County, Kenya"
            if i < len(doc) and doc[i].text == "(":
                # "Sonakandi village, Raipura upazila (Narsingdi, Dhaka)": the unit's own
                # parents end the chain
                more, _ = self._hints(doc, i, taken)
                return (out + apposed + more)[:4], False
        if apposed and i < len(doc) and doc[i].lower_ in ("and", "or", "&"):
            # "in Kabul, Kandahar and Herat": a list of places, none the others' parent
            return out, False
        return (out + apposed)[:3], False

    def _word_at(self, doc: Doc, i: int) -> tuple[str, int]:
        """The lower-case word at ``i`` and the index after it, a hyphenated feature word whole
        ("sub-county", which the tokenizer splits in three)."""
        if i >= len(doc):
            return "", i
        if i + 2 < len(doc) and doc[i + 1].text == "-" and doc[i].whitespace_ == "":
            joined = f"{doc[i].lower_}-{doc[i + 2].lower_}"
            if self.cues.is_feature(joined):
                return joined, i + 3
        return doc[i].lower_, i + 1

    def _past_features(self, doc: Doc, i: int) -> int:
        """The index after the feature words starting at ``i`` ("district", "sub-county")."""
        while i < len(doc):
            word, after = self._word_at(doc, i)
            if not self.cues.is_feature(word):
                break
            i = after
        return i

    def _modifies_noun(self, doc: Doc, end: int) -> bool:
        """The word after a name is a lower-case common noun, not a feature word: the name
        qualifies it ("Council workers", "Kitwe residents")."""
        if end >= len(doc):
            return False
        token = doc[end]
        word, _ = self._word_at(doc, end)  # "Cheptais sub-county": a feature word
        return (
            token.pos_ == "NOUN"
            and token.text[:1].islower()
            and not self.cues.is_feature(word)
            and token.lower_ not in self.cues.resident_words  # "Watamu, Kilifi residents"
        )

    def _institution_town(self, doc: Doc, name: Span) -> Candidate | None:
        """The town that begins an institution's name ("Gulu University", "the Kabwe High
        Court", "Tete Police Station"): a place only where the context agrees (its city
        written as the gazetteer writes it, the story's country or a parent), never a company
        ("Tata Motors")."""
        if len(name) < 2 or name[-1].lower_ not in self.cues.institution_words:
            return None
        for end in range(name.end - 1, name.start, -1):
            part = doc[name.start : end]
            if part[-1].lower_ in self.cues.name_links or len(part.text) < 3:
                continue  # "Al" of "Al Thawrah Hospital" is no town
            written = _as_written(part.text)
            if any(
                # a town, or a province ("Copperbelt University": the province, precision 3)
                r.kind in ("P", "A1") and _as_written(r.name) == written
                for r in self.places.lookup(part.text)
            ):
                return Candidate(
                    part,
                    kind="P",
                    locative=True,
                    needs_context=True,
                    in_name=True,
                    name_end=name.end,
                )
        return None

    @staticmethod
    def _spaced_dash(doc: Doc, i: int) -> bool:
        """A dash with a space on either side separates names ("in Kenscoff - Godet, Ouest")."""
        return doc[i].whitespace_ != "" or (i > 0 and doc[i - 1].whitespace_ != "")

    def _dash_parent(self, doc: Doc, start: int) -> Span | None:
        """The wider place written before a spaced dash ("Kenscoff - Godet", "Dhaka - Rampura",
        "Port-au-Prince - Delmas"): the name after it is a quarter of it."""
        if start < 2 or doc[start - 1].text != "-" or not self._spaced_dash(doc, start - 1):
            return None
        end = k = start - 1
        # the word the dash follows, with its glued parts ("Port-au-Prince"), then the
        # capitalised words before it ("Petion Ville")
        while k > 1 and doc[k - 2].whitespace_ == "" and doc[k - 2].text not in ",()":
            k -= 1
        k -= 1
        while (
            k > 0
            and doc[k - 1].whitespace_ != ""
            and self._is_name(doc[k - 1])
            and not self.cues.is_feature(doc[k - 1].lower_)
        ):
            k -= 1
        return doc[k:end] if k < end and self._is_name(doc[k]) else None

    def candidates(self, doc: Doc, taken: set[int]) -> list[Candidate]:
        """Names the parse or a locative pattern takes as places, outside ``taken`` tokens."""
        out: dict[int, Candidate] = {}
        for i in range(len(doc)):
            if i in taken or (i > 0 and i - 1 not in taken and self._continues(doc, i)):
                continue
            name = self._name_from(doc, i, taken)
            if name is None:
                continue
            candidate = self._framed(doc, name)
            if candidate is None or not (candidate.hints or candidate.explicit):
                # "Al Thawrah Hospital (Salh, Taizz)": the parents say where first
                candidate = self._institution_town(doc, name) or candidate
            if candidate is not None:
                out[name.start] = candidate
        return [out[k] for k in sorted(out)]

    def _continues(self, doc: Doc, i: int) -> bool:
        """Token ``i`` is inside a name that began before it."""
        before = doc[i - 1]
        if before.text == "-" and i >= 2 and before.whitespace_ == "":
            # "Akoff" of "Tin-Akoff" is no name of its own
            return self._is_name(doc[i - 2]) and doc[i - 2].whitespace_ == ""
        return (
            self._is_name(before)
            and not self.cues.is_feature(before.lower_)
            and (before.whitespace_ == "" or doc[i].ent_iob_ == "I" or doc[i].pos_ == "PROPN")
        )

    def _framed(self, doc: Doc, name: Span) -> Candidate | None:
        """The candidate when the name's context makes it a place, else None."""
        label = "" if numbered_quarter(doc, name.start) else name[0].ent_type_
        names = self.cues.name_labels
        if _acronym(name.text) and label not in self.cues.place_labels:
            return None  # "ODM-K", "KDF", "IED": an organisation or a thing
        candidate = Candidate(name)
        after, _ = self._word_at(doc, name.end)  # "Amida sub-county"
        possessive = after in ("'s", "’s")
        if possessive and name.end + 1 < len(doc):
            after = doc[name.end + 1].lower_
            if after in ("northern", "southern", "eastern", "western") and name.end + 2 < len(doc):
                after = doc[name.end + 2].lower_
        if self.cues.is_feature(after):
            candidate.kind = None if possessive else self.cues.kind_of(after)
            candidate.explicit = True
        j = name.start - 1
        j = _before_modifiers(doc, j)
        before = doc[j].lower_ if j >= 0 else ""
        if before == "of" and j > 0:
            feature = doc[j - 1].lower_
            if self.cues.is_feature(feature):
                candidate.kind = candidate.kind or self.cues.kind_of(feature)
                candidate.explicit = True
            elif feature in self.cues.locative_words:
                candidate.explicit = candidate.explicit or label in self.cues.place_labels
            elif feature in self.cues.direction_words:
                before = "near"  # "northeast of Markoye", "3 km south of Djibo": a locative
        elif before in ("on", "upon", "against", "for") and j > 0:
            # "an assault on Brega", "a push for Zliten": the target of an attack is a place
            k = _before_modifiers(doc, j - 1)
            if k >= 0 and doc[k].lemma_.lower() in self.cues.target_words:
                before = "near"
        end = name.end
        if not possessive:  # "Tuulo Xaaji village (Xarardheere, Mudug)"; not "the village of Lou"
            end = self._past_features(doc, end)
        hints, parenthesised = self._hints(doc, end, set(), framed=candidate.explicit)
        # "Saakow town (Saakow, Middle Juba)": the district of the same name says nothing of
        # which Saakow it is (its records are the name's own namesakes)
        key = place_key(name.text)
        hints = [h for h in hints if place_key(h.text) != key]
        j = name.start - 1
        j = _before_modifiers(doc, j)
        framed = candidate.explicit or (j >= 0 and doc[j].lower_ in self.cues.locative_words)
        if end < len(doc) and doc[end].lower_ not in ("of", "(", ",") and not framed:
            # "ambushed Puntland Dervish Force near Biyo Kulule": "near" makes a neighbour of a
            # place only ("in X near Y", "X village near Y"), not of any name
            hints = []
        dash = self._dash_parent(doc, name.start)
        if dash is not None and place_key(dash.text) != key:
            # "Kenscoff - Godet, Ouest": Godet is a quarter of Kenscoff, a place only where a
            # record lies near it (else the event keeps Kenscoff, not Godet, Colombia)
            hints = [dash, *hints]
            candidate.needs_parent = True
        candidate.hints = hints
        candidate.parenthesised = parenthesised
        # parentheses make a place of a name NER took for nothing else ("Jaldesa (Marsabit)");
        # "ODM-K (Mitau)" stays a party
        candidate.explicit = candidate.explicit or (
            parenthesised and (label not in names or self._unit_chain(doc, name, hints))
        )
        if candidate.explicit:
            return candidate
        candidate.locative = before in self.cues.locative_words
        if label in self.cues.never_labels:
            return None  # "in March", "in 2019"
        if label in self.cues.place_labels:
            return candidate
        if candidate.locative:
            # "in Dar'a" tagged an organisation: a place only if the context agrees; "Tata" in
            # "shares of Tata Motors" is a company, never Tata, Hungary
            candidate.needs_context = label in self.cues.name_labels
            return candidate
        # "raided Madagali in Adamawa state", "Watamu, Kilifi residents": a name followed by
        # its parent unit is a place when the gazetteer says the unit is its parent
        if name.end + 1 < len(doc) and doc[name.end].lower_ == "in":
            inside = self._name_from(doc, name.end + 1, set())
            hints = [inside] if inside is not None else []
        if hints:
            candidate.hints = hints
            candidate.needs_parent = True
            return candidate
        if after in self.cues.resident_words and label not in names:
            # "Hoima residents have lynched": the people of a place say it is one, as a
            # locative word does (a place only where the context agrees)
            candidate.locative = candidate.needs_context = True
            return candidate
        return None

    def _unit_chain(self, doc: Doc, name: Span, hints: Sequence[Span]) -> bool:
        """Parentheses after a name NER took for an organisation (or a one-word person) end with
        an administrative unit written as the gazetteer names it: "Gaskinde (Pobe-Mengao, Soum)",
        "Markoye (Markoye, Oudalan)" are places; "John Kamau (Nairobi)" stays a man."""
        if doc[name.start].ent_type_ == "PERSON" and len(name) > 1:
            return False
        hinted = [(n, r) for n, h in enumerate(hints) for r in self.places.lookup(h.text)]
        return bool(_chain_countries(hinted, [h.text for h in hints]))

    def written_countries(
        self, doc: Doc, mentions: Sequence[PlaceMention], persons: Collection[int] = ()
    ) -> list[tuple[Span, str]]:
        """Names framed as places that resolved to no mention, with the one country whose
        records are written as the text writes them ("Russian forces shelled Vodyane,
        Donetsk": Donetsk is Ukraine's): evidence of the story's country, not of a place."""
        out: list[tuple[Span, str]] = []
        for span in self._unsettled(doc, mentions, persons):
            written = _as_written(span.text)
            found = self.places.lookup(span.text)
            countries = {r.country for r in found}
            # the records written as the text writes them, else those its spelling key finds
            # ("Zaporizhia": Zaporizhzhia)
            as_written = [r for r in found if _as_written(r.name) == written]
            found = as_written or found
            if len(countries) >= _LONE_COUNTRIES and max(r.population for r in found) < _BIG_CITY:
                continue  # "in Tur": small namesakes in many countries say none of them
            biggest: dict[str, int] = {}
            for r in found:
                biggest[r.country] = max(biggest.get(r.country, 0), r.population)
            ranked = sorted(biggest.items(), key=lambda kv: -kv[1])
            # one country, or one whose namesake dwarfs the others' (Donetsk, Ukraine, not
            # the Russian town)
            if not ranked or not (len(ranked) == 1 or ranked[0][1] >= _DWARFS * ranked[1][1]):
                continue
            # a key match votes when it is a town (`_ALIAS_TOWN`) or another transliteration; an
            # unrelated alternate name of a small place does not ("Commissioner": McIntyre, US)
            skeleton = consonant_skeleton(span.text)
            if as_written or any(
                r.country == ranked[0][0]
                and (r.population >= _ALIAS_TOWN or consonant_skeleton(r.name) == skeleton)
                for r in found
            ):
                out.append((span, ranked[0][0]))
        return out

    def _unsettled(
        self, doc: Doc, mentions: Sequence[PlaceMention], persons: Collection[int] = ()
    ) -> list[Span]:
        """Names framed as places (and their parents) that resolved to no mention, outside
        ``persons`` (tokens of persons' names)."""
        taken = {i for m in mentions for i in range(m.start, m.end)} | set(persons)
        names: dict[int, Span] = {}
        for c in self.candidates(doc, taken):
            for span in (c.span, *c.hints):
                if _acronym(span.text) and span[0].ent_type_ not in self.cues.place_labels:
                    continue  # "Islamic State (IS)", "Bulawayo Youth Arise (BUYA)": a group
                if span[0].ent_type_ == "ORG" and span[0].ent_iob_ == "I" and not self._city(span):
                    continue  # "the Ministry of Economy": a word of an organisation's name
                if not any(i in taken for i in range(span.start, span.end)):
                    names.setdefault(span.start, span)
        return [names[k] for k in sorted(names)]

    def written_places(
        self, doc: Doc, mentions: Sequence[PlaceMention], persons: Collection[int] = ()
    ) -> list[PlaceMention]:
        """Names framed as places that resolved to no mention but have exactly one record (or
        one populated place beside units of its name) of their country written as the text
        writes them ("Russian forces fired artillery at Kherson": NER's organisation, no place
        by its frame alone; "protest in Migori": the town, not the county): what the story's
        country is, once the text says it, places them (low confidence: nothing but the
        spelling and the country chose the record)."""
        out: list[PlaceMention] = []
        for span in self._unsettled(doc, mentions, persons):
            written = _as_written(span.text)
            found = [r for r in self.places.lookup(span.text) if _as_written(r.name) == written]
            by_country: dict[str, list[Toponym]] = {}
            for r in found:
                by_country.setdefault(r.country, []).append(r)
            for records in by_country.values():
                # "protest in Migori": the town, not the county of the same name
                towns = [r for r in records if r.kind == "P"]
                if len(records) == 1 or len(towns) == 1:
                    out.append(self._mention(span, (towns or records)[0], 0.4))
        return out

    def one_in(
        self, name: str, country: str, admin1: str | None, at: tuple[int, int, int, int]
    ) -> PlaceMention | None:
        """The one record of ``country`` (of its province ``admin1`` when that names one) that a
        listed name may mean ("clashes in A and B" where the text frames B as nothing more), or
        None when there are none or several; ``at`` is (start, end, start_char, end_char)."""
        records = [r for r in self.places.lookup(name) if r.country == country]
        if admin1 is not None:
            inside = [r for r in records if self._admin1_name(r) == admin1]
            records = inside or records
        if len(records) != 1:
            return None
        start, end, start_char, end_char = at
        return self._build(start, end, name, start_char, end_char, records[0], 0.4)

    # --- which place is meant -----------------------------------------------------------------

    def refine(
        self,
        doc: Doc,
        mentions: Sequence[PlaceMention],
        countries: Counter[str],
        persons: Collection[int] = (),
    ) -> list[PlaceMention]:
        """The city gazetteer's ``mentions`` completed: a namesake in the story's country for a
        place it put elsewhere, the places it lacks (villages, districts, provinces; a longer
        name over a part it matched, "Nahri Shahi" over "Shahi"), and a name written as another
        place's parent ("Watamu, Dabaso, *Kilifi*") read as that administrative unit.
        ``countries`` counts the story's countries (ISO2); ``persons`` are tokens of persons'
        names ("Mr Anand"), never read as places."""
        fixed = {i for m in mentions if _own(m) for i in range(m.start, m.end)}
        candidates = self.candidates(doc, fixed | set(persons))
        spans = {(m.start, m.end) for m in mentions}
        # a name written as another's parent ("in Ishkamish district, Takhar") is a unit; not
        # after a common noun capitalised ("Police in Livingstone arrest": the town)
        parents = {
            h.start
            for c in candidates
            if not (c.needs_parent and c.span.root.pos_ == "NOUN")
            for h in c.hints
        }
        for c in candidates:
            if c.span.start in parents and c.kind is None:
                c.as_parent = True
        records = {c.span.start: self._records(c) for c in candidates}
        votes: Counter[str] = Counter(countries)
        # a match inside a longer name ("Nawa" in "Pie Nawa") is no evidence of the country
        for m in mentions:
            if not _own(m) and any(
                c.span.start <= m.start and m.end <= c.span.end and len(c.span) > m.end - m.start
                for c in candidates
            ):
                votes[m.country or ""] -= 1
        own: dict[int, str] = {}  # the country a candidate votes for: not its own evidence
        for c in candidates:
            # only a name as written votes: "Maleli" is not evidence for Malili, Indonesia
            written = _as_written(c.span.text)
            found = records[c.span.start]
            if c.as_parent:  # "(Bulo Burto, Hiraan)": a parent is read as a unit first
                found = (
                    [r for r in found if r.kind == "A1"]
                    or [r for r in found if r.is_admin]
                    or found
                )
            # a small place's namesakes are too many to say the story's country
            held = {r.country for r in found if not r.village}
            if all(_as_written(r.name) != written for r in found):
                held = set()
            weak = c.needs_parent or c.needs_context  # no evidence of the story until resolved
            if len(held) == 1 and not weak and (c.span.start, c.span.end) not in spans:
                own[c.span.start] = next(iter(held))
                votes[own[c.span.start]] += 1
        # parents named only as such ("in Naychin village, Urozgan") say the country too
        starts = {c.span.start for c in candidates} | {m.start for m in mentions}
        for h in {h.start: h for c in candidates if not c.needs_parent for h in c.hints}.values():
            held = {r.country for r in self._as_hint(h.text)}
            if h.start not in starts and len(held) == 1:
                votes[next(iter(held))] += 1
        if not _story(votes):
            shared = self._shared_country(candidates, records)
            if shared is not None:
                votes[shared] += 1
        out: list[PlaceMention] = []
        for m in mentions:
            other = votes.copy()
            other[m.country or ""] -= 1  # the mention's own vote
            better = None if _own(m) else self._under_parents(doc, m, other)
            better = better or (None if _own(m) else self.reconsider(m, other))
            if better is None and not _own(m) and self._stray(doc, m, other):
                votes[m.country or ""] -= 1  # a stray namesake is no evidence of the story
                continue
            out.append(better or m)
        at = {i: m for m in out for i in range(m.start, m.end)}
        # the administrative units each name of the text may be ("Kilifi": the county too)
        units = {
            text: {r.geonameid for r in self.places.lookup(text) if r.is_admin}
            for text in {*(c.span.text for c in candidates), *(m.text for m in out)}
        }
        dropped: set[int] = set()
        added: list[PlaceMention] = []
        for c in candidates:
            inside = {id(at[i]): at[i] for i in range(c.span.start, c.span.end) if i in at}
            if c.in_name:
                # no place inside an institution's name after its town ("Benghazi Airport":
                # not Airport, California); the town itself is read with the same care as a
                # name NER calls an organisation ("Calcutta Medical College": not the South
                # African Calcutta)
                tail = range(c.span.end, c.name_end)
                dropped.update(id(m) for m in out if m.start in tail and not _own(m))
                if inside and all(not _own(m) for m in inside.values()):
                    dropped.update(inside)
                    inside = {}
            if inside and any(
                (m.start, m.end) == (c.span.start, c.span.end)
                or m.start < c.span.start
                or m.end > c.span.end
                for m in inside.values()
            ):
                continue  # the city gazetteer's own match (or a crossing one) stands
            hint_records = [(n, r) for n, h in enumerate(c.hints) for r in self._as_hint(h.text)]
            others = votes.copy()
            others[own.get(c.span.start, "")] -= 1
            named = {u for text, ids in units.items() if text != c.span.text for u in ids}
            mention = self._choose(c, records[c.span.start], hint_records, others, named)
            if mention is not None and c.in_name:
                mention = replace(mention, in_name=True)
            if inside:
                # a longer name over a matched part: the longer one when it is known, or when
                # the part is a place elsewhere ("Nahri Shahi", Afghanistan: not Shahi, India)
                elsewhere = all(votes[m.country or ""] <= 0 for m in inside.values())
                small = all(self._small(m) for m in inside.values())
                if mention is None and small:
                    dropped.update(inside)  # "Pie Nawa" is not Nawa, Syria
                    continue
                if mention is None or not (mention.from_gazetteer or elsewhere):
                    continue
                dropped.update(inside)
            if mention is not None:
                added.append(mention)
        kept = [m for m in out if id(m) not in dropped]
        return self._near_others(self._as_parents(doc, [*kept, *added]))

    @staticmethod
    def _shared_country(
        candidates: Sequence[Candidate], records: dict[int, list[Toponym]]
    ) -> str | None:
        """The one country where two or more of the text's names, each of several countries, all
        have a record written as the text writes it ("in Barriere Bouteille, Nord ... in Milot":
        Nord and Milot are both Haiti's), when nothing else says the story's country."""
        names: Counter[str] = Counter()
        seen: set[str] = set()
        for c in candidates:
            written = _as_written(c.span.text)
            if c.needs_parent or not written or written in seen:
                continue
            seen.add(written)
            names.update(
                {r.country for r in records[c.span.start] if _as_written(r.name) == written}
            )
        ranked = names.most_common(2)
        if not ranked or ranked[0][1] < 2 or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
            return None
        return ranked[0][0]

    def _near_others(self, mentions: list[PlaceMention]) -> list[PlaceMention]:
        """A town or city far from every other place the text names, whose namesake lies among
        them, is that namesake: "rioters from Tripoli marched to the Palma bridge near Bohssas"
        is Lebanon's Tripoli, not Libya's. The evidence is the other place; a name alone
        keeps its reading."""
        points = [
            m
            for m in mentions
            if m.latitude is not None and m.longitude is not None and m.kind != "country"
        ]
        out: list[PlaceMention] = []
        for m in mentions:
            others = [o for o in points if _as_written(o.text) != _as_written(m.text)]
            record = self.places.get(m.geonameid) if m.parent is None else None
            if not others or record is None or record.is_admin or _own(m):
                out.append(m)
                continue
            if any(_km_points(o, record.latitude, record.longitude) <= _SIBLING_KM for o in others):
                out.append(m)
                continue
            written = _as_written(m.text)
            near = [
                r
                for r in self.places.lookup(m.text)
                if r.geonameid != record.geonameid
                and not r.village
                and r.kind == "P"
                and _as_written(r.name) == written
                and any(_km_points(o, r.latitude, r.longitude) <= _SIBLING_KM for o in others)
            ]
            if not near:
                out.append(m)
                continue
            best = max(near, key=lambda r: r.population)
            # less sure than a reading the text states: the neighbours only suggest it
            out.append(self._mention_at(m, best, min(m.confidence, 0.7)))
        return out

    def _as_parents(self, doc: Doc, mentions: list[PlaceMention]) -> list[PlaceMention]:
        """A name written after a place as its parent ("in Watamu, Dabaso, Kilifi", "X
        (Kismaayo, Lower Juba)") is that place's administrative unit when the gazetteer says
        so: "Kilifi" is then Kilifi County, not the town, and the event stays in Watamu."""
        by_start = {m.start: m for m in mentions}
        out = {id(m): m for m in mentions}
        for m in sorted(mentions, key=lambda m: m.start):
            # a village the file lacks stands at its parent's point ("Rajbari town, Rajbari
            # Sadar (Dhaka)": the Dhaka division): that parent is a unit named after it too
            fallback = not m.from_gazetteer and m.parent is not None and m.gazetteer == "geonames"
            record = self.places.get(m.geonameid) if m.from_gazetteer or fallback else None
            if record is None or (record.kind == "A1" and not fallback):
                continue
            units = {record.admin1, record.admin2} | ({record.geonameid} if fallback else set())
            units.discard(None)
            end = m.end
            end = self._past_features(doc, end)  # "in Maruf district, Kandahar"
            hints, _ = self._hints(doc, end, set())
            for h in hints:
                parent = by_start.get(h.start)
                if parent is None or parent is m or parent.geonameid in units:
                    continue
                unit = next(
                    (r for r in self._as_hint(h.text) if r.is_admin and r.geonameid in units),
                    None,
                )
                if unit is not None:
                    out[id(parent)] = self._build(
                        parent.start,
                        parent.end,
                        parent.text,
                        parent.start_char,
                        parent.end_char,
                        unit,
                        parent.confidence,
                    )
        return list(out.values())

    def _under_parents(
        self, doc: Doc, mention: PlaceMention, votes: Counter[str]
    ) -> PlaceMention | None:
        """A place the city gazetteer matched, read again when the parents the text writes
        after it are elsewhere ("Lou (Kalale, Borgou)" is no Lou, China; "Paris, Texas" no
        Paris, France): the namesake under those parents, else the nearest parent's point;
        None when the parents agree or say nothing."""
        record = self.places.get(mention.geonameid)
        if record is None or record.is_admin:
            return None
        end = mention.end
        end = self._past_features(doc, end)
        hints, parenthesised = self._hints(doc, end, set())
        dash = self._dash_parent(doc, mention.start)
        if dash is not None:
            hints = [dash, *hints]  # "Dhaka - Rampura": Dhaka's Rampura, not India's
        # "Saakow town (Saakow, Middle Juba)": the district of the same name is no evidence
        hints = [h for h in hints if place_key(h.text) != place_key(mention.text)]
        # "Amida sub-county in Kitgum district": after a feature word, "in" names the parent
        links = self.cues.parent_words | ({"in"} if end > mention.end else set())
        named_as_near = end < len(doc) and doc[end].lower_ in links
        if record.population >= _MILLION and not (parenthesised or named_as_near):
            return None  # "Kabul, Kandahar province": a capital is not re-read by an apposition
        hinted = [
            (n, r)
            for n, h in enumerate(hints)
            for r in self._as_hint(h.text)
            if r.geonameid != record.geonameid
        ]
        if not hinted or any(
            h.geonameid in (record.admin1, record.admin2)
            or (h.country == record.country and km(h, record) <= _SIBLING_KM)
            for _, h in hinted
        ):
            return None
        span = doc[mention.start : mention.end]
        candidate = Candidate(span, explicit=True, hints=hints, parenthesised=parenthesised)
        return self._choose(candidate, self.places.lookup(mention.text), hinted, votes, set())

    def reconsider(self, mention: PlaceMention, votes: Counter[str]) -> PlaceMention | None:
        """A namesake in the story's country for a place another gazetteer put elsewhere
        ("Eastleigh" in a Kenyan story is Nairobi's, not Hampshire's), else None."""
        story = _story(votes)
        if not story or mention.country in story:
            return None
        record = self.places.get(mention.geonameid)
        if record is None or record.population >= _MILLION:
            return None  # Delhi is Delhi, whatever else the story names
        found = [r for r in self.places.lookup(mention.text) if r.country in story]
        if record.population >= _BIG_CITY:
            # a city abroad that nothing else in the text points to ("protested in Soka, East
            # Hararghe ... in Oromia": not Soka, Japan) gives way only to a namesake written as
            # the text writes it, and only when its own country has no other vote
            written = _as_written(mention.text)
            found = [r for r in found if _as_written(r.name) == written]
            if votes[mention.country or ""] > 0:
                return None
        if not found:
            return None
        best = max(found, key=lambda r: (r.kind == "P", votes[r.country], r.population))
        return replace(
            self._mention_at(mention, best, mention.confidence),
            start=mention.start,
            end=mention.end,
        )

    def unit_named(self, span: Span, votes: Counter[str]) -> PlaceMention | None:
        """The administrative unit a name with a region word is ("Gedo region": Somalia's
        region, not the Ethiopian town of the city gazetteer), written as the text writes it;
        None when the file has none."""
        written = _as_written(span.text)
        units = [
            r
            for r in self.places.lookup(span.text)
            if r.is_admin and _as_written(r.name).removesuffix("district") == written
        ]
        if not units:
            return None
        best = max(units, key=lambda r: (votes[r.country], r.kind == "A1", r.population))
        return self._mention(span, best, 0.8 if len(units) == 1 else 0.7)

    def _city(self, span: Span) -> bool:
        """Some record of the name, written as the text writes it, is a city."""
        written = _as_written(span.text)
        return any(
            r.population >= _BIG_CITY and _as_written(r.name) == written
            for r in self.places.lookup(span.text)
        )

    def _as_hint(self, text: str) -> list[Toponym]:
        """The records a name written as a parent or neighbour may be: the main gazetteer's
        first; a small-layer namesake near some candidate is no evidence of its parent."""
        found = self.places.lookup(text)
        return [r for r in found if not r.village] or found

    def _small(self, mention: PlaceMention) -> bool:
        """A populated place below a big city's size."""
        record = self.places.get(mention.geonameid)
        return record is not None and record.kind == "P" and record.population < _BIG_CITY

    def _stray(self, doc: Doc, mention: PlaceMention, votes: Counter[str]) -> bool:
        """A town of another country than the story's that nothing else in the text points to
        ("Airport", California, in "the Airport road in Wajir"): a namesake, not a place; so is
        a city below a million that no locative or feature word frames and NER does not call a
        GPE ("the Maasai community" in a Kenyan story is not Masai, Malaysia)."""
        story = _story(votes)
        if not story or mention.country in story or votes[mention.country or ""] > 0:
            return False
        record = self.places.get(mention.geonameid)
        if record is None or record.kind != "P":
            return False
        if record.population < _BIG_CITY:
            return True
        if record.population >= _MILLION:
            return False
        if len(story) == 1 and max(votes.values()) >= _STRONG_STORY:
            # a coherent set at home ("protested in Soka, East Hararghe ... across Oromia" with
            # Oromo protesters) outweighs a lone city abroad nothing else points to (Soka, Japan)
            return True
        if doc[mention.start].ent_type_ == "GPE":
            return False
        j = mention.start - 1
        j = _before_modifiers(doc, j)
        before = doc[j].lower_ if j >= 0 else ""
        after = doc[mention.end].lower_ if mention.end < len(doc) else ""
        framed = before in self.cues.locative_words or before == "to"
        return not (framed or self.cues.is_feature(after))

    def _records(self, candidate: Candidate) -> list[Toponym]:
        text = candidate.span.text
        found = self.places.lookup(text)
        if not found and len(text) > 4 and text.endswith("s") and not text.endswith("ss"):
            # a possessive written without its apostrophe ("an attack on Bani Walids northern
            # outskirts"): the name without the s, only as written
            stem = _as_written(text[:-1])
            found = [r for r in self.places.lookup(text[:-1]) if _as_written(r.name) == stem]
        if candidate.kind is not None:
            wanted = [r for r in found if r.kind == candidate.kind]
            if candidate.kind == "A1" and not wanted:
                wanted = [r for r in found if r.kind == "A2"]  # counties that are districts
            if candidate.kind == "A2" and not wanted:
                wanted = [r for r in found if r.kind == "A1"]  # a district that is a province
            if wanted and all(r.village for r in wanted):
                # small places the text may not point to do not displace the main file's
                # record of another kind ("Nassriya city": the district, not a Somali hamlet)
                wanted += [r for r in found if not r.village and r not in wanted]
            found = wanted or found
        return found

    def _choose(
        self,
        candidate: Candidate,
        found: Sequence[Toponym],
        hinted: Sequence[tuple[int, Toponym]],
        votes: Counter[str],
        named: set[int],
    ) -> PlaceMention | None:
        hints = [r for _, r in hinted]
        story = _story(votes)

        def wanted(r: Toponym) -> bool:
            if candidate.kind is not None:
                return r.kind == candidate.kind
            # "(Djougou, Donga)": a parent is a unit when one is known, else its town
            return r.is_admin if candidate.as_parent else r.kind == "P"

        def parent_named(r: Toponym) -> bool:
            return any(p in named for p in (r.admin1, r.admin2) if p) or any(
                h.geonameid in (r.admin1, r.admin2) or (not h.is_admin and km(h, r) <= _NEAR_KM)
                for h in hints
                if h.geonameid != r.geonameid
            )

        # a small-layer record is a reading only where the text or the story points to it: a
        # parent written beside it, the story's country, or a feature word ("the village of
        # X") over a name of one country (a village of a few hundred people shares its name
        # with dozens elsewhere)
        one_country = len({r.country for r in found}) == 1
        found = [
            r
            for r in found
            if not r.village
            or parent_named(r)
            or r.country in story
            or (candidate.explicit and one_country)
        ]
        written = _as_written(candidate.span.text)

        def rank(r: Toponym) -> tuple[bool, bool, bool, bool, int, int]:
            return (
                parent_named(r),
                r.country in story,
                wanted(r),
                # the name as written beats a spelling the key merely tolerates ("Kisii")
                _as_written(r.name) == written,
                votes[r.country],
                r.population,
            )

        if found:
            best = max(found, key=rank)
            parent, in_story = parent_named(best), best.country in story
            # "fired artillery at Kherson" (NER: an organisation): a city written as the
            # gazetteer writes it is a place whatever the story's other countries
            known_city = best.population >= _BIG_CITY and _as_written(best.name) == written
            if candidate.needs_context and not (
                parent or in_story or known_city or _unit_hinted(candidate, hints)
            ):
                return None
            if candidate.needs_parent and not parent:
                return None
            # "Naychin village, Urozgan": a record far from every parent the text writes
            # (or whose parents the gazetteer cannot find) is a namesake elsewhere
            unrelated = not any(km(h, best) <= _SIBLING_KM for h in hints)
            # so is one of the story's country far from the parents written beside it
            # ("Ceel Dheer village near Halgan village": not El Dher, 200 km away)
            beside = any(h.country == best.country for h in hints)
            # and one abroad when parentheses end with a unit of another country
            chain = (
                _chain_countries(hinted, [h.text for h in candidate.hints])
                if candidate.parenthesised or candidate.as_parent
                else set()
            )
            abroad = bool(chain) and best.country not in chain
            # parents only a tolerant key matched ("Al Hali district": Halle, Hale County) say
            # nothing against the one record written as the text writes it ("Al Hudaydah")
            texts = [_as_written(h.text) for h in candidate.hints]
            trusted = any(
                h.kind == "A1" or _as_written(h.name).startswith(texts[n]) for n, h in hinted
            )
            exact = _as_written(best.name) == written and len({r.country for r in found}) == 1
            if (
                candidate.hints
                and (trusted or not exact)
                and not parent
                and unrelated
                and (beside or abroad or not in_story)
            ):
                return self._fallback(candidate, hinted, votes)
            # a lone small name nothing else places, whose namesakes lie in several countries
            # ("Residents of Kore staged a stay-at-home": not Kore, Indonesia): no reading
            lone = (
                not story
                and not parent
                and not candidate.explicit
                and not candidate.hints
                and best.population < _BIG_CITY
                and len({r.country for r in found}) >= _LONE_COUNTRIES
            )
            if lone:
                return None
            # nor a small place that only an alternate name matched ("clashed in Nasir": not
            # Demirci, Turkey) when nothing else in the text says its country; another
            # transliteration of its name ("Nashabiyeh": An Nashabiyah) stays a reading
            if (
                not story
                and not parent
                and not candidate.hints
                and best.population < _ALIAS_TOWN
                and consonant_skeleton(best.name) != consonant_skeleton(candidate.span.text)
            ):
                return None
            # a namesake in another country than the story's is no reading of a village
            elsewhere = bool(story) and not in_story and not parent
            # a big city elsewhere stays when the text says it is a place ("in Masai"), not
            # when NER alone does ("the Maasai community")
            framed = candidate.explicit or candidate.locative
            # nor is a city below a million that only the spelling key matches when the story is
            # one country's, strongly ("in Ajio boma in Kajo-Keji county ... SSPDF clashed with
            # SPLM-IO": not Ageo, Japan)
            strong = len(story) == 1 and max(votes.values(), default=0) >= _STRONG_STORY
            abroad_city = (
                strong and best.population < _MILLION and _as_written(best.name) != written
            )
            if not (elsewhere and (best.population < _BIG_CITY or not framed or abroad_city)):
                if parent:
                    confidence = 0.85
                elif in_story:
                    confidence = 0.8 if len({r.country for r in found}) > 1 else 0.85
                else:
                    confidence = 0.75 if len(found) == 1 else 0.55
                return self._mention(candidate.span, best, confidence)
        return self._fallback(candidate, hinted, votes)

    def _fallback(
        self, candidate: Candidate, hinted: Sequence[tuple[int, Toponym]], votes: Counter[str]
    ) -> PlaceMention | None:
        """A place the gazetteer lacks takes its nearest named parent ("X (Kismaayo, Lower
        Juba)": Kismaayo), at that parent's precision, rather than a namesake elsewhere."""
        if not hinted or candidate.needs_parent:
            return None
        if candidate.needs_context and not _unit_hinted(candidate, [h for _, h in hinted]):
            return None
        story = _story(votes)
        # the unit written last ("(Baydhaba, Bay)": Bay region) says the country first: a
        # district's namesake abroad is no parent of a Somali village
        units = _chain_countries(hinted, [h.text for h in candidate.hints])
        units = (units & story) or units
        last = max(n for n, _ in hinted)
        in_story = (
            [
                (n, h)
                for n, h in hinted
                if h.country in units and (n < last or h.is_admin or not last)
            ]
            or [(n, h) for n, h in hinted if h.country in story]
            or list(hinted)
        )
        # hints are written narrowest first; a village's parent is a town, a district's a unit
        town = candidate.kind in (None, "P")
        # a parent the next one contains ("Obe district, Herat": Obe in Herat province)
        later = {n: {h.geonameid for m, h in hinted if m > n} for n, _ in hinted}
        _, parent = max(
            in_story,
            key=lambda nh: (
                -nh[0],
                # "(Baydhaba, Bay)" ends with a region, not a county; "Qadi Askar in Aleppo"
                # is in the city
                nh[1].kind == "A1" and last > 0,
                bool(later[nh[0]] & {nh[1].admin1, nh[1].admin2}),
                (nh[1].kind == "P") == town,
                nh[1].population,
            ),
        )
        precision = 3 if parent.kind == "A1" else 2
        return PlaceMention(
            start=candidate.span.start,
            end=candidate.span.end,
            text=candidate.span.text,
            start_char=candidate.span.start_char,
            end_char=candidate.span.end_char,
            # a village at its town's point is as specific as a neighbourhood at its city's
            kind="admin1" if precision == 3 else ("village" if town else "district"),
            latitude=parent.latitude,
            longitude=parent.longitude,
            geo_precision=precision,
            country=parent.country,
            admin1=self._admin1_name(parent),
            parent=parent.name,
            geonameid=parent.geonameid,
            gazetteer="geonames",
            confidence=0.5,
            from_gazetteer=False,
        )

    def _admin1_name(self, record: Toponym) -> str | None:
        if record.kind == "A1":
            return record.name
        unit = self.places.get(record.admin1)
        return unit.name if unit is not None else None

    def _mention_at(
        self, mention: PlaceMention, record: Toponym, confidence: float
    ) -> PlaceMention:
        span = mention
        built = self._build(
            span.start, span.end, span.text, span.start_char, span.end_char, record, confidence
        )
        return replace(built, in_name=mention.in_name)

    def _mention(self, span: Span, record: Toponym, confidence: float) -> PlaceMention:
        return self._build(
            span.start, span.end, span.text, span.start_char, span.end_char, record, confidence
        )

    def _build(
        self,
        start: int,
        end: int,
        text: str,
        start_char: int,
        end_char: int,
        record: Toponym,
        confidence: float,
    ) -> PlaceMention:
        if record.kind == "A1":
            kind, precision = "admin1", 3
        elif record.kind == "A2":
            kind, precision = "district", 2
        else:
            kind, precision = ("city" if record.population >= _BIG_CITY else "town"), 1
        return PlaceMention(
            start=start,
            end=end,
            text=text,
            start_char=start_char,
            end_char=end_char,
            kind=kind,
            latitude=record.latitude,
            longitude=record.longitude,
            geo_precision=precision,
            country=record.country,
            admin1=self._admin1_name(record),
            parent=None,
            geonameid=record.geonameid,
            gazetteer="geonames",
            confidence=confidence,
        )
