"""Communities: the ethnic groups, clans and communities of ``data/communities.yaml``, whose armed
members ACLED codes as identity militias; found in a parse by their written names."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from spacy.tokens import Token

from pipeline.errors import ConfigError
from pipeline.extract.datafiles import DATA_DIR, check_keys, read_yaml, words


@dataclass(frozen=True)
class Communities:
    """Community names (as token tuples, written case) and the country of each."""

    names: Mapping[tuple[str, ...], str]
    """Name words → ISO alpha-3 of the country that lists it first."""
    longest: int = 1
    countries: Mapping[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict)
    """Name words → every country (ISO alpha-3) that lists it, in file order: where the people
    lives (places read a people of several countries as none of them)."""

    def at(self, tokens: Sequence[Token], index: int) -> tuple[int, str] | None:
        """(length, country) of a community name starting at ``tokens[index]``, longest first;
        None when none starts there."""
        for size in range(min(self.longest, len(tokens) - index), 0, -1):
            key = tuple(t.text for t in tokens[index : index + size])
            country = self.names.get(key)
            if country is not None:
                return size, country
        return None

    def of_token(self, token: Token) -> str | None:
        """The country of the community a one-word name or the last word of a longer one names
        ("Murle", "Gidir" of "Habar Gidir"), else None."""
        doc = token.doc
        for size in range(1, self.longest + 1):
            start = token.i - size + 1
            if start < 0:
                break
            key = tuple(t.text for t in doc[start : token.i + 1])
            if key in self.names:
                return self.names[key]
        return None

    def named_in(self, tokens: Sequence[Token]) -> bool:
        """True when the tokens name a community."""
        return any(self.at(tokens, i) is not None for i in range(len(tokens)))


def load_communities(path: Path | None = None) -> Communities:
    """Read and check ``communities.yaml`` (a ConfigError names a bad entry)."""
    path = path or DATA_DIR / "communities.yaml"
    data = read_yaml(path)
    check_keys(str(path), data, ("communities",), required=("communities",))
    raw = data["communities"]
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: communities must map a country (ISO alpha-3) to names")
    names: dict[tuple[str, ...], str] = {}
    countries: dict[tuple[str, ...], list[str]] = {}
    for country, listed in raw.items():
        where = f"{path}: communities[{country!r}]"
        if not isinstance(country, str) or len(country) != 3 or not country.isupper():
            raise ConfigError(f"{where}: expected an ISO alpha-3 country code")
        for name in words(where, listed, lower=False):
            if not name[:1].isupper():
                raise ConfigError(f"{where}: {name!r}: names are written capitalised")
            for form in (name, name if name.endswith("s") else name + "s"):
                key = tuple(form.split())
                names.setdefault(key, country)
                listed_in = countries.setdefault(key, [])
                if country not in listed_in:
                    listed_in.append(country)
    return Communities(
        names,
        max((len(k) for k in names), default=1),
        {k: tuple(v) for k, v in countries.items()},
    )


@cache
def communities() -> Communities:
    """The shipped list, read once per process."""
    return load_communities()
