"""Regenerate ``data/cameo_verbs.yaml`` from the general Phoenix verb dictionary (CAMEO.2.0.txt).

Usage::

    python tools/cameo_seed.py CAMEO.2.0.txt > pipeline/extract/data/cameo_verbs.yaml

The dictionary (MIT, Open Event Data Alliance) lists verb blocks with a default CAMEO code and
object patterns (``- * OBJECT [code]``). Only what the trigger schema can express is kept:
single verbs and verb+particle phrases, and patterns on the direct object and one preposition.
Subject-side patterns, infinitive patterns and long patterns are dropped. A lemma with any
hand-written entry in ``triggers.yaml`` is coded from that file only.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

# Root-01 defaults are plain commentary ("make statement", "pessimistic comment"): a reporting verb
# is attribution, not an event, and PLOVER does not code commentary either.
_DROPPED_DEFAULTS = frozenset({"010", "011", "012", "013", "014", "018"})
_PARTICLES = frozenset(
    [
        "up",
        "down",
        "off",
        "out",
        "over",
        "away",
        "back",
        "in",
        "on",
        "at",
        "for",
        "to",
        "with",
        "into",
        "from",
        "about",
        "through",
        "upon",
        "against",
    ]
)
_BLOCK = re.compile(r"^---\s+(\S+)\s+\[([^\]]*)\]")
_CODE = re.compile(r"\[([^\]]*)\]")
_WORD = re.compile(r"^[A-Z][A-Z'-]*$")


@dataclass
class _Pattern:
    code: str | None
    object: list[str] = field(default_factory=list)
    modifier: list[str] = field(default_factory=list)
    particle: str | None = None
    prep: str | None = None
    pobj: list[str] = field(default_factory=list)


@dataclass
class _Block:
    code: str | None
    verbs: list[tuple[str, str | None, str | None]] = field(default_factory=list)
    patterns: list[_Pattern] = field(default_factory=list)


def _code(raw: str) -> str | None:
    """``[042:043]`` → ``042`` (the first of paired codes); ``[---]`` → None."""
    first = raw.split(":")[0].strip()
    return first if re.fullmatch(r"\d{2,4}", first) else None


def _synsets(lines: list[str]) -> dict[str, list[str]]:
    sets: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in lines:
        if line.startswith("####### VERB PATTERNS"):
            break
        if line.startswith("&"):
            current = sets.setdefault(line.strip().rstrip("_").upper(), [])
        elif line.startswith("+") and current is not None:
            word = line[1:].split("#")[0].strip().rstrip("_")
            if word:
                current.append(word.replace("_", " ").lower())
        elif not line.strip():
            current = None
    return sets


def _heads(element: str, synsets: dict[str, list[str]]) -> tuple[list[str], list[str]]:
    """Head words (and modifiers) an object element stands for."""
    element = element.strip("{}").strip()
    if element.startswith("&"):
        members = synsets.get(element.rstrip("_").upper(), [])
        return sorted({m.split()[-1] for m in members if m}), []
    words = [w.strip("_").lower() for w in element.split() if w.strip("_")]
    if not words or not all(_WORD.match(w.upper()) for w in words):
        return [], []
    return [words[-1]], words[:-1]


def _tokens(text: str) -> list[str]:
    """Split a pattern into elements: words, {compounds}, (prepositional phrases), &synsets."""
    out: list[str] = []
    for match in re.finditer(r"\{[^}]*\}|\([^)]*\)|\S+", text):
        piece = match.group(0)
        if piece in ("$", "+", "%", "^"):
            continue
        out.append(piece.strip("$+").strip() if not piece.startswith(("{", "(")) else piece)
    return [p for p in out if p]


def _pattern(line: str, synsets: dict[str, list[str]]) -> _Pattern | None:
    body = line[1:].split("#")[0]
    code_match = _CODE.search(body)
    if code_match is None:
        return None
    body = body[: code_match.start()]
    if "*" not in body:
        return None
    before, after = body.split("*", 1)
    if _tokens(before):
        return None  # subject-side patterns need the subject, which the schema does not express
    elements = _tokens(after)
    if not elements or len(elements) > 3:
        return None
    pattern = _Pattern(code=_code(code_match.group(1)))
    for element in elements:
        if element.startswith("("):
            inner = [w for w in element.strip("()").split() if w not in ("$", "+")]
            if not inner or pattern.prep is not None:
                return None
            pattern.prep = inner[0].strip("_").lower()
            if not pattern.prep.isalpha():
                return None
            if len(inner) > 1:
                heads, _ = _heads(" ".join(inner[1:]), synsets)
                if not heads:
                    return None
                pattern.pobj = heads
        elif element.lower() in _PARTICLES and not pattern.object and pattern.particle is None:
            pattern.particle = element.lower()
        elif not pattern.object and pattern.prep is None:
            heads, modifiers = _heads(element, synsets)
            if not heads:
                return None
            pattern.object, pattern.modifier = heads, modifiers
        else:
            return None
    if pattern.particle == "to" or (pattern.particle and not pattern.object and not pattern.prep):
        return None  # "* TO CONGRATULATE", "* OUT": infinitives and bare particles are not objects
    return pattern


def _verb(line: str) -> tuple[str, str | None, str | None] | None:
    """``+TAKE_OVER {...} [171]`` → (take, over, 171); ``MURDER [190]`` → (murder, None, 190)."""
    body = line.split("#")[0]
    code_match = _CODE.search(body)
    code = _code(code_match.group(1)) if code_match else None
    body = re.sub(r"\{[^}]*\}|\[[^\]]*\]", "", body).strip()
    if not body:
        return None
    word = body.split()[0].lstrip("+").rstrip("_")
    parts = [p for p in word.split("_") if p]
    if not parts or not all(_WORD.match(p) for p in parts):
        return None
    if len(parts) == 1:
        return parts[0].lower(), None, code
    if len(parts) == 2 and parts[1].lower() in _PARTICLES and parts[0] != "RE":
        return parts[0].lower(), parts[1].lower(), code
    return None


def _blocks(lines: list[str], synsets: dict[str, list[str]]) -> Iterator[_Block]:
    block: _Block | None = None
    started = False
    for line in lines:
        if line.startswith("####### VERB PATTERNS"):
            started = True
            continue
        if not started:
            continue
        header = _BLOCK.match(line)
        if header:
            if block is not None:
                yield block
            block = _Block(code=_code(header.group(2)))
        elif block is None or not line.strip() or line.lstrip().startswith("#"):
            continue
        elif line.startswith("-"):
            pattern = _pattern(line, synsets)
            if pattern is not None:
                block.patterns.append(pattern)
        elif not line[0].isspace():
            verb = _verb(line)
            if verb is not None:
                block.verbs.append(verb)
    if block is not None:
        yield block


def _render(patterns: list[_Pattern], particle: str | None) -> list[dict[str, object]]:
    rendered: list[dict[str, object]] = []
    seen: set[tuple[object, ...]] = set()
    for p in patterns:
        if p.particle and p.particle != particle:
            continue  # a pattern naming another particle belongs to another phrasal verb
        key = (tuple(p.object), tuple(p.modifier), p.prep, tuple(p.pobj))
        if key in seen:
            continue  # the first pattern wins, as in the dictionary
        seen.add(key)
        item: dict[str, object] = {}
        if p.object:
            item["object"] = p.object
        if p.modifier:
            item["modifier"] = p.modifier
        if p.prep:
            item["prep"] = p.prep
        if p.pobj:
            item["pobj"] = p.pobj
        item["code"] = None if p.code in _DROPPED_DEFAULTS else p.code
        rendered.append(item)
    return rendered


def convert(text: str) -> list[dict[str, object]]:
    """Trigger entries (the ``triggers.yaml`` schema), one per verb block and default code."""
    lines = text.splitlines()
    synsets = _synsets(lines)
    taken: set[tuple[str, str | None]] = set()
    entries: list[dict[str, object]] = []
    for block in _blocks(lines, synsets):
        groups: dict[tuple[str | None, str | None], list[str]] = {}
        for lemma, particle, own_code in block.verbs:
            if (lemma, particle) in taken:
                continue  # a verb listed in two blocks keeps its first block, as PETRARCH reads it
            taken.add((lemma, particle))
            code = own_code or block.code
            groups.setdefault((particle, None if code in _DROPPED_DEFAULTS else code), []).append(
                lemma
            )
        for (particle, code), lemmas in groups.items():
            patterns = _render(block.patterns, particle)
            if code is None and not patterns:
                continue
            entry: dict[str, object] = {"lemma": lemmas[0] if len(lemmas) == 1 else lemmas}
            if particle:
                entry["particle"] = particle
            entry["code"] = code
            if patterns:
                entry["patterns"] = patterns
            entries.append(entry)
    return entries


class _NoAliasDumper(yaml.SafeDumper):
    """Writes repeated lists in full: a reader of the data file should not chase anchors."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def main(argv: list[str] | None = None) -> int:
    """Print the generated YAML for the dictionary at argv[0]."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    entries = convert(Path(args[0]).read_text(encoding="utf-8"))
    header = (
        "# GENERATED by `python tools/cameo_seed.py CAMEO.2.0.txt`: do not edit.\n"
        "# Source: CAMEO.2.0.txt, the Phoenix/PETRARCH2 general verb dictionary (MIT,\n"
        "# Open Event Data Alliance). Corrections go in triggers.yaml: a lemma with an\n"
        "# entry there is coded from triggers.yaml only.\n"
    )
    body = yaml.dump(
        {"source": "CAMEO.2.0.txt", "confidence": 0.6, "triggers": entries},
        Dumper=_NoAliasDumper,
        sort_keys=False,
        default_flow_style=None,
        width=110,
    )
    sys.stdout.write(header + body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
