"""Readers for the PETRARCH2 validation suite: gold records, and its actor and agent dictionaries.

The actor/agent dictionaries describe fictional countries (Arnor, Gondor...) and may be used as
the actor dictionary *during evaluation only*; the suite's verb file is its answer key and is never
read here. Date-restricted actor codes ("[HOBGOV 19950601 - 19990815]") resolve per sentence date:
the dictionary hands out a placeholder code that :func:`resolve_codes` replaces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pipeline.errors import ConfigError
from pipeline.extract.actors import ActorDictionary, NamedActor, Role
from pipeline.extract.datafiles import word_forms

RECORDS = "PETR.UnitTest.records.xml"
ACTORS = "PETR.Validate.actors.txt"
AGENTS = "PETR.Validate.agents.txt"

# Agent codes → actor types the extractor's refinement rules understand.
_AGENT_TYPES = {
    "GOV": "government", "MIL": "state_military", "COP": "police", "REB": "rebels",
    "OPP": "opposition", "MED": "media", "LEG": "legislature", "JUD": "judiciary",
    "NGO": "international_org", "CVL": "civilians",
    "SPY": "government", "UAF": "militia",
}  # fmt: skip
_PLACEHOLDER = re.compile(r"<(\d+)>")


@dataclass(frozen=True)
class GoldEvent:
    """One gold ``<EventCoding>``: source and target actor codes and the CAMEO event code."""

    source: str
    target: str
    code: str

    @property
    def root(self) -> str:
        """First two digits of the event code."""
        return self.code[:2]


@dataclass(frozen=True)
class GoldSentence:
    """One ``<Sentence>`` of the suite."""

    id: str
    date: date
    text: str
    events: tuple[GoldEvent, ...]
    known_hard: bool
    """``sentence="false"``, a comment saying 'not implemented', or an error/discard record."""
    category: str = ""


def _date(raw: str) -> date:
    raw = raw.strip()
    try:
        return date(int(raw[:4]), int(raw[4:6]), int(raw[6:8]))
    except (ValueError, IndexError):
        return date(2000, 1, 1)


def read_records(path: Path) -> list[GoldSentence]:
    """The sentences of a PETRARCH records file, with their gold codings."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read records: {exc}") from exc
    out: list[GoldSentence] = []
    for match in re.finditer(r"<Sentence\b([^>]*)>(.*?)</Sentence>", text, re.S):
        attrs = dict(re.findall(r'(\w+)\s*=\s*"([^"]*)"', match.group(1)))
        body = match.group(2)
        comments = " ".join(re.findall(r"<!--(.*?)-->", body, re.S)).lower()
        raw_text = re.search(r"<Text>(.*?)</Text>", body, re.S)
        if raw_text is None:
            continue
        sentence_text = " ".join(raw_text.group(1).split())
        sentence_text = (
            sentence_text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
        )
        events: list[GoldEvent] = []
        error = False
        for coding in re.findall(r"<EventCoding\b([^>]*)>", body):
            fields = dict(re.findall(r"(\w+)\s*=\s*[\"']([^\"']*)[\"']", coding))
            if "error" in fields:
                error = True
            if "eventcode" in fields:
                events.append(
                    GoldEvent(
                        fields.get("sourcecode", ""),
                        fields.get("targetcode", ""),
                        fields["eventcode"],
                    )
                )
        known_hard = (
            attrs.get("sentence", "true").lower() == "false"
            or "not implemented" in comments
            or error
        )
        out.append(
            GoldSentence(
                id=attrs.get("id", f"#{len(out)}"),
                date=_date(attrs.get("date", "")),
                text=sentence_text,
                events=tuple(events),
                known_hard=known_hard,
                category=attrs.get("category", ""),
            )
        )
    if not out:
        raise ConfigError(f"{path}: no <Sentence> records with <Text> found")
    return out


def _strip_comments(text: str) -> str:
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    return "\n".join(line.split("#")[0].rstrip() for line in text.splitlines())


def _phrase(raw: str) -> str:
    """``NEW_ZEALAND`` → ``New Zealand``-style words (lower-cased; matching ignores case)."""
    return " ".join(w for w in raw.strip().strip("_").replace("_", " ").split()).lower()


@dataclass(frozen=True)
class CodeSpan:
    """An actor code valid from ``start`` to ``end`` (inclusive; None: open)."""

    code: str
    start: date | None = None
    end: date | None = None


def _dict_date(raw: str) -> date:
    raw = raw.strip()
    if len(raw) == 6:  # YYMMDD, two-digit years in the 1900s as the suite writes them
        raw = ("19" if int(raw[:2]) > 30 else "20") + raw
    return _date(raw)


def _code_spans(raw: str) -> list[CodeSpan]:
    """``[HOB < 950601]`` / ``[HOBGOV 19950601 - 19990815]`` / ``[ELR/GAL]`` → code spans."""
    inner = raw.strip()[1:-1].strip()
    if "<" in inner:
        code, before = inner.split("<", 1)
        return [CodeSpan(code.strip(), None, _dict_date(before))]
    if ">" in inner:
        code, after = inner.split(">", 1)
        return [CodeSpan(code.strip(), _dict_date(after), None)]
    parts = inner.split()
    if len(parts) >= 4 and parts[2] == "-":
        return [CodeSpan(parts[0], _dict_date(parts[1]), _dict_date(parts[3]))]
    return [CodeSpan(code) for code in inner.split("/") if code]


@dataclass(frozen=True)
class PetrarchActors:
    """Actor names → code spans, plus the placeholder table used in composed codes."""

    names: dict[str, list[list[CodeSpan]]]
    """Phrase (lower-case) → one list of code spans per actor the name stands for."""


def read_actors(path: Path) -> PetrarchActors:
    """Parse ``PETR.Validate.actors.txt``: names, ``+synonyms`` and (dated) ``[codes]``."""
    try:
        text = _strip_comments(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read actor dictionary: {exc}") from exc
    names: dict[str, list[list[CodeSpan]]] = {}
    group: list[str] = []
    spans: list[CodeSpan] = []

    def flush() -> None:
        if not (group and spans):
            return
        if any(s.start is not None or s.end is not None for s in spans):
            entry = list(spans)  # dated codes: resolved per sentence date
        else:  # "[ELR/GAL]": one name, several actors
            entry = [CodeSpan("/".join(s.code for s in spans))]
        for name in group:
            names.setdefault(name, []).append(entry)

    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        codes = re.findall(r"\[[^\]]*\]", stripped)
        head = re.sub(r"\[[^\]]*\]", "", stripped).strip()
        if line[0].isspace() and codes and not head:
            for raw in codes:
                spans.extend(_code_spans(raw))
            continue
        if stripped.startswith("+"):
            group.append(_phrase(head[1:]))
            for raw in codes:
                spans.extend(_code_spans(raw))
            continue
        flush()
        group, spans = ([_phrase(head)] if head else []), []
        for raw in codes:
            spans.extend(_code_spans(raw))
    flush()
    return PetrarchActors(names)


def read_agents(path: Path) -> tuple[Role, ...]:
    """Parse ``PETR.Validate.agents.txt`` into roles (``[~GOV]`` suffix, ``[NGO~]`` prefix)."""
    try:
        text = _strip_comments(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read agent dictionary: {exc}") from exc
    macros: dict[str, list[str]] = {}
    roles: list[Role] = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        macro = re.match(r"^!(\w+)!\s*=\s*(.+)$", stripped)
        if macro:
            macros[macro.group(1)] = [
                w.strip().lower() for w in macro.group(2).split(",") if w.strip()
            ]
            continue
        code_match = re.search(r"\[\s*([^\]]*?)\s*\]", stripped)
        if code_match is None:
            continue
        raw_code = code_match.group(1).replace(" ", "")
        head = (
            stripped[: stripped.index("{")] if "{" in stripped else stripped[: code_match.start()]
        )
        plural = re.search(r"\{([^}]*)\}", stripped)
        forms = [head.strip()]
        if plural and plural.group(1).strip():
            forms.append(plural.group(1).strip())
        expanded: list[str] = []
        for form in forms:
            variants = [form]
            for name, values in macros.items():
                token = f"!{name}!"
                variants = (
                    [v.replace(token, value) for v in variants for value in values]
                    if any(token in v for v in variants)
                    else variants
                )
            expanded.extend(_phrase(v) for v in variants)
        prefix = raw_code.endswith("~")
        code = raw_code.strip("~")
        if not code:
            continue
        phrases = tuple(
            tuple(word_forms([w]) for w in phrase.split()) for phrase in expanded if phrase
        )
        role_type = next(
            (t for c, t in _AGENT_TYPES.items() if code.startswith(c) or code.endswith(c)),
            "unknown",
        )
        roles.append(
            Role(
                label=expanded[0] if expanded else code.lower(),
                type=role_type,
                code=code,
                phrases=phrases,
                prefix=prefix,
            )
        )
    return tuple(roles)


@dataclass(frozen=True)
class EvalDictionary:
    """The suite's dictionaries as an :class:`ActorDictionary`; dated codes are placeholders."""

    dictionary: ActorDictionary
    placeholders: tuple[list[CodeSpan], ...]

    def resolve(self, code: str | None, when: date) -> str:
        """Replace placeholders in a composed code by the code valid on ``when``."""
        if not code:
            return ""

        def pick(match: re.Match[str]) -> str:
            spans = self.placeholders[int(match.group(1))]
            for span in spans:
                dated = span.start is not None or span.end is not None
                if (
                    dated
                    and (span.start is None or when >= span.start)
                    and (span.end is None or when <= span.end)
                ):
                    return span.code
            undated = [span for span in spans if span.start is None and span.end is None]
            return (undated or spans)[0].code

        return _PLACEHOLDER.sub(pick, code)


def load_eval_dictionary(actors_path: Path, agents_path: Path) -> EvalDictionary:
    """Build the evaluation-only actor dictionary from the suite's actor and agent files."""
    actors = read_actors(actors_path)
    roles = read_agents(agents_path)
    named: list[tuple[str, NamedActor, bool]] = []
    placeholders: list[list[CodeSpan]] = []
    for name, alternatives in actors.names.items():
        for spans in alternatives:
            if len(spans) == 1 and spans[0].start is None and spans[0].end is None:
                code = spans[0].code
            else:
                code = f"<{len(placeholders)}>"
                placeholders.append(spans)
            if code in ("---", ""):
                continue
            country_like = all(len(part) == 3 for part in spans[0].code.split("/"))
            named.append(
                (
                    name,
                    NamedActor(
                        name,
                        "country" if country_like else "unknown",
                        code,
                        code,
                        country_like=country_like,
                    ),
                    False,
                )
            )
    return EvalDictionary(ActorDictionary(tuple(named), roles), tuple(placeholders))
