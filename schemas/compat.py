"""Will an upgrade break a subscriber? Compares the JSON Schema files against the last release's.

The files of the last release live in ``schemas/json/released/`` with a ``RELEASE.json``
naming the release and its ``schema_version``. A change a subscriber written against the
released files could trip on is *breaking*: a record or field removed, a field's type changed
(narrowed or widened), a field made required or no longer required, an enum value removed, a
format changed, ``additionalProperties`` tightened. Breaking changes pass only when
``schema_version`` has a higher major number than the release and the README's
``## Changelog`` section names the new version (``schema_version N``). New records and new
optional fields are additive and always pass.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from schemas.jsonschema import JSON_DIR

RELEASED_DIR = JSON_DIR / "released"
MANIFEST = "RELEASE.json"
README = Path(__file__).resolve().parents[1] / "README.md"

_SUFFIX = ".schema.json"


@dataclass(frozen=True)
class Change:
    """One difference between a released schema and the current one."""

    record: str
    path: str
    message: str
    breaking: bool

    def __str__(self) -> str:
        kind = "BREAKING" if self.breaking else "additive"
        return f"{kind}: {self.record}{self.path}: {self.message}"


@dataclass
class CompatReport:
    """The changes found and whether the version and changelog allow them."""

    release: str
    released_version: int
    current_version: int
    changes: list[Change] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def breaking(self) -> list[Change]:
        """Changes that could break a subscriber of the release."""
        return [c for c in self.changes if c.breaking]

    @property
    def ok(self) -> bool:
        """True when an upgrade from the release is safe or properly announced."""
        return not self.problems


def load_dir(directory: Path) -> dict[str, dict[str, Any]]:
    """Schema documents of a directory by record name (``event`` for ``event.schema.json``)."""
    return {
        p.name.removesuffix(_SUFFIX): orjson.loads(p.read_bytes())
        for p in sorted(directory.glob(f"*{_SUFFIX}"))
    }


def schema_version_of(schemas: dict[str, dict[str, Any]]) -> int:
    """The ``schema_version`` the records declare (the default of their ``schema_version``)."""
    versions = {
        int(doc["properties"]["schema_version"]["default"])
        for doc in schemas.values()
        if "schema_version" in doc.get("properties", {})
    }
    if len(versions) != 1:
        raise ValueError(f"records disagree on schema_version: {sorted(versions)}")
    return versions.pop()


def changelog_section(readme: str) -> str:
    """The text of the README's ``## Changelog`` section (empty when there is none)."""
    match = re.search(r"^## Changelog\s*$(.*?)(?=^## |\Z)", readme, re.M | re.S)
    return match.group(1) if match else ""


def check(
    released_dir: Path = RELEASED_DIR, current_dir: Path = JSON_DIR, readme: Path = README
) -> CompatReport:
    """Compare ``current_dir`` with ``released_dir`` and apply the version/changelog policy."""
    manifest = orjson.loads((released_dir / MANIFEST).read_bytes())
    released, current = load_dir(released_dir), load_dir(current_dir)
    report = CompatReport(
        release=str(manifest["release"]),
        released_version=int(manifest["schema_version"]),
        current_version=schema_version_of(current),
    )
    for name, old in released.items():
        if name not in current:
            report.changes.append(Change(name, "", "record removed", True))
            continue
        report.changes.extend(diff(name, old, current[name]))
    report.changes.extend(
        Change(name, "", "new record", False) for name in current if name not in released
    )
    bumped = report.current_version > report.released_version
    if report.current_version < report.released_version:
        report.problems.append(
            f"schema_version {report.current_version} is lower than release "
            f"{report.release}'s {report.released_version}"
        )
    if report.breaking and not bumped:
        report.problems.append(
            f"{len(report.breaking)} breaking change(s) since release {report.release} but "
            f"schema_version is still {report.current_version}: bump SCHEMA_VERSION "
            "(schemas/base.py), regenerate, and say so in the README's Changelog"
        )
    if bumped:
        text = changelog_section(readme.read_text(encoding="utf-8") if readme.exists() else "")
        if not re.search(rf"schema_version\s+{report.current_version}\b", text):
            report.problems.append(
                f"schema_version is {report.current_version} but the README's '## Changelog' "
                f"section has no entry naming 'schema_version {report.current_version}'"
            )
    return report


def snapshot(release: str, current_dir: Path = JSON_DIR, released_dir: Path = RELEASED_DIR) -> int:
    """Make the current schema files the released ones (at release time); returns the count."""
    current = load_dir(current_dir)
    if released_dir.exists():
        shutil.rmtree(released_dir)
    released_dir.mkdir(parents=True)
    for name in current:
        shutil.copyfile(current_dir / f"{name}{_SUFFIX}", released_dir / f"{name}{_SUFFIX}")
    manifest = {"release": release, "schema_version": schema_version_of(current)}
    text = orjson.dumps(manifest, option=orjson.OPT_INDENT_2) + b"\n"
    (released_dir / MANIFEST).write_bytes(text)
    return len(current)


# --- structural diff -----------------------------------------------------------------------


def diff(name: str, old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Every change between two versions of one record's schema document."""
    return list(_Differ(name, old, new).compare(old, new, "", set()))


_KINDS = ("null", "boolean", "integer", "number", "string", "array", "object")


class _Differ:
    def __init__(self, name: str, old_doc: dict[str, Any], new_doc: dict[str, Any]) -> None:
        self.name, self.old_doc, self.new_doc = name, old_doc, new_doc

    def _resolve(self, node: dict[str, Any], doc: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in node:
            ref = node["$ref"]
            if not ref.startswith("#/"):
                raise ValueError(f"{self.name}: only local $ref is supported, got {ref!r}")
            target: Any = doc
            for part in ref[2:].split("/"):
                target = target[part]
            node = target
        return node

    def _branches(self, node: dict[str, Any], doc: dict[str, Any]) -> dict[str, list[Any]]:
        """The alternatives a node allows, by JSON type (``any`` when unconstrained)."""
        node = self._resolve(node, doc)
        out: dict[str, list[Any]] = {}
        alternatives = node.get("anyOf") or node.get("oneOf")
        if alternatives:
            for alt in alternatives:
                for kind, nodes in self._branches(alt, doc).items():
                    out.setdefault(kind, []).extend(nodes)
            return out
        types = node.get("type")
        if types is None:
            return {"any": [node]}
        for kind in [types] if isinstance(types, str) else types:
            out.setdefault(kind, []).append(node)
        return out

    def compare(
        self, old: dict[str, Any], new: dict[str, Any], path: str, seen: set[tuple[int, int]]
    ) -> Iterator[Change]:
        key = (id(self._resolve(old, self.old_doc)), id(self._resolve(new, self.new_doc)))
        if key in seen:  # recursive records: each pair of definitions is compared once
            return
        seen = seen | {key}
        before, after = self._branches(old, self.old_doc), self._branches(new, self.new_doc)
        lost = [k for k in _order(before) if k not in after and "any" not in after]
        gained = [k for k in _order(after) if k not in before and "any" not in before]
        if lost:
            yield self._change(path, f"type narrowed: no longer {', '.join(lost)}", True)
        if gained:
            yield self._change(path, f"type widened: may now be {', '.join(gained)}", True)
        for kind in _order(before):
            for o, n in zip(before[kind], after.get(kind, []), strict=False):
                yield from self._compare_same_kind(kind, o, n, path, seen)

    def _compare_same_kind(
        self,
        kind: str,
        old: dict[str, Any],
        new: dict[str, Any],
        path: str,
        seen: set[tuple[int, int]],
    ) -> Iterator[Change]:
        old_enum, new_enum = _enum(old), _enum(new)
        if old_enum is not None:
            if new_enum is None:
                yield self._change(path, "enum removed: any value now allowed", True)
            else:
                removed = [v for v in old_enum if v not in new_enum]
                added = [v for v in new_enum if v not in old_enum]
                if removed:
                    yield self._change(path, f"enum value(s) removed: {removed}", True)
                if added:
                    yield self._change(path, f"enum value(s) added: {added}", False)
        elif new_enum is not None:
            yield self._change(path, f"now restricted to {new_enum}", True)
        if old.get("format") != new.get("format"):
            yield self._change(
                path, f"format changed: {old.get('format')} -> {new.get('format')}", True
            )
        if kind == "array":
            yield from self.compare(old.get("items", {}), new.get("items", {}), f"{path}[]", seen)
        elif kind == "object":
            yield from self._compare_objects(old, new, path, seen)

    def _compare_objects(
        self, old: dict[str, Any], new: dict[str, Any], path: str, seen: set[tuple[int, int]]
    ) -> Iterator[Change]:
        old_props, new_props = old.get("properties", {}), new.get("properties", {})
        old_req, new_req = set(old.get("required", [])), set(new.get("required", []))
        for prop, sub in old_props.items():
            where = f"{path}.{prop}"
            if prop not in new_props:
                yield self._change(where, "field removed", True)
                continue
            if prop in new_req and prop not in old_req:
                yield self._change(where, "field made required", True)
            if prop in old_req and prop not in new_req:
                yield self._change(where, "field no longer required (may be absent)", True)
            yield from self.compare(sub, new_props[prop], where, seen)
        for prop in new_props:
            if prop not in old_props:
                where = f"{path}.{prop}"
                if prop in new_req:
                    yield self._change(where, "new required field", True)
                else:
                    yield self._change(where, "new optional field", False)
        old_extra = old.get("additionalProperties", True)
        new_extra = new.get("additionalProperties", True)
        if isinstance(old_extra, dict) and isinstance(new_extra, dict):
            # A map (dict[str, X]) or open object: its extra values compare like a field.
            yield from self.compare(old_extra, new_extra, f"{path}{{*}}", seen)
        elif (new_extra is False and old_extra is not False) or (
            old_extra is True and isinstance(new_extra, dict)
        ):
            yield self._change(path, "additionalProperties tightened", True)

    def _change(self, path: str, message: str, breaking: bool) -> Change:
        return Change(self.name, path, message, breaking)


def _order(branches: dict[str, list[Any]]) -> list[str]:
    return sorted(branches, key=lambda k: _KINDS.index(k) if k in _KINDS else len(_KINDS))


def _enum(node: dict[str, Any]) -> list[Any] | None:
    if "const" in node:
        return [node["const"]]
    enum = node.get("enum")
    return list(enum) if enum is not None else None
