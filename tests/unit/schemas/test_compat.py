"""The compatibility check: breaking schema changes need a major bump and a changelog entry."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest

from schemas import compat
from schemas.jsonschema import JSON_DIR

README_BASE = "# wirestream\n\n## Changelog\n\n### 0.1.0 — schema_version 1\n\nFirst release.\n"


def _copy(tmp_path: Path, edit: Callable[[dict[str, dict[str, Any]]], None]) -> Path:
    """A copy of the shipped schema files with ``edit`` applied to the parsed documents."""
    current = tmp_path / "json"
    current.mkdir()
    docs = compat.load_dir(JSON_DIR)
    edit(docs)
    for name, doc in docs.items():
        (current / f"{name}.schema.json").write_bytes(orjson.dumps(doc))
    return current


def _bump(docs: dict[str, dict[str, Any]], version: int) -> None:
    for doc in docs.values():
        if "schema_version" in doc["properties"]:
            doc["properties"]["schema_version"]["default"] = version


def _readme(tmp_path: Path, text: str = README_BASE) -> Path:
    path = tmp_path / "README.md"
    path.write_text(text)
    return path


def _new(report: compat.CompatReport) -> list[compat.Change]:
    """Changes beyond those the shipped files already have against the release."""
    shipped = set(compat.check().changes)
    return [c for c in report.changes if c not in shipped]


def test_shipped_schemas_are_compatible_with_the_released_ones() -> None:
    report = compat.check()
    assert report.ok, report.problems
    assert report.release == "0.1.0" and report.released_version == 1
    assert not report.breaking, [str(c) for c in report.breaking]


def test_the_release_snapshot_holds_every_record() -> None:
    assert set(compat.load_dir(compat.RELEASED_DIR)) <= set(compat.load_dir(JSON_DIR))


def _remove_field(docs: dict[str, dict[str, Any]]) -> None:
    del docs["event"]["properties"]["plover"]
    docs["event"]["required"].remove("plover")


def test_a_removed_field_fails(tmp_path: Path) -> None:
    report = compat.check(current_dir=_copy(tmp_path, _remove_field), readme=_readme(tmp_path))
    assert not report.ok
    assert [str(c) for c in report.breaking] == ["BREAKING: event.plover: field removed"]
    assert "bump SCHEMA_VERSION" in report.problems[0]


def test_an_additive_field_passes(tmp_path: Path) -> None:
    def add(docs: dict[str, dict[str, Any]]) -> None:
        docs["event"]["properties"]["severity"] = {"type": "integer", "default": 0}

    report = compat.check(current_dir=_copy(tmp_path, add), readme=_readme(tmp_path))
    assert report.ok and not report.breaking
    assert [str(c) for c in _new(report)] == ["additive: event.severity: new optional field"]


def test_a_new_record_is_additive(tmp_path: Path) -> None:
    def add(docs: dict[str, dict[str, Any]]) -> None:
        docs["brand-new"] = {"type": "object", "properties": {}}

    report = compat.check(current_dir=_copy(tmp_path, add), readme=_readme(tmp_path))
    assert report.ok and [str(c) for c in _new(report)] == ["additive: brand-new: new record"]


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (
            lambda d: d["event"]["properties"].__setitem__("confidence", {"type": "string"}),
            [
                "event.confidence: type narrowed: no longer number",
                "event.confidence: type widened: may now be string",
            ],
        ),
        (
            lambda d: d["event"]["properties"].__setitem__("url", {"type": "string"}),
            ["event.url: type narrowed: no longer null"],
        ),
        (
            lambda d: d["event"]["required"].append("url"),
            ["event.url: field made required"],
        ),
        (
            lambda d: d["event"]["required"].remove("modality"),
            ["event.modality: field no longer required"],
        ),
        (
            lambda d: d["event"].__setitem__("additionalProperties", False),
            ["event: additionalProperties tightened"],
        ),
        (
            lambda d: d["event"]["$defs"]["Place"]["required"].append("admin1"),
            ["event.place.admin1: field made required"],
        ),
        (
            lambda d: d["event"]["$defs"]["Span"]["properties"].pop("end"),
            ["event.trigger.end: field removed"],
        ),
        (
            lambda d: d["event"]["properties"]["extracted"].pop("format"),
            ["event.extracted: format changed: date-time -> None"],
        ),
        (lambda d: d.pop("mention"), ["mention: record removed"]),
    ],
)
def test_breaking_changes_are_named(
    tmp_path: Path, edit: Callable[[dict[str, dict[str, Any]]], None], expected: list[str]
) -> None:
    report = compat.check(current_dir=_copy(tmp_path, edit), readme=_readme(tmp_path))
    assert not report.ok
    found = [str(c) for c in report.breaking]
    for text in expected:
        assert any(text in f for f in found), found


def test_an_enum_value_removed_is_breaking_and_one_added_is_not(tmp_path: Path) -> None:
    released = tmp_path / "released"
    released.mkdir()
    doc = {
        "type": "object",
        "properties": {
            "kind": {"type": "string", "enum": ["a", "b"]},
            "schema_version": {"type": "integer", "default": 1},
        },
        "required": ["kind"],
    }
    (released / "r.schema.json").write_bytes(orjson.dumps(doc))
    (released / compat.MANIFEST).write_bytes(b'{"release": "0.1.0", "schema_version": 1}')
    for enum, breaking in ((["a", "b", "c"], []), (["a"], ["enum value(s) removed: ['b']"])):
        current = tmp_path / "-".join(enum)
        current.mkdir()
        doc["properties"]["kind"]["enum"] = enum  # type: ignore[index]
        (current / "r.schema.json").write_bytes(orjson.dumps(doc))
        report = compat.check(released, current, _readme(tmp_path))
        assert [c.message for c in report.breaking] == breaking


def test_a_breaking_change_passes_with_a_major_bump_and_a_changelog_entry(tmp_path: Path) -> None:
    def breaking_and_bumped(docs: dict[str, dict[str, Any]]) -> None:
        _remove_field(docs)
        _bump(docs, 2)

    current = _copy(tmp_path, breaking_and_bumped)
    report = compat.check(current_dir=current, readme=_readme(tmp_path))
    assert not report.ok, "bumped but the changelog does not say so"
    assert "no entry naming 'schema_version 2'" in report.problems[0]

    entry = "### 0.2.0 — schema_version 2\n\n`event.plover` removed.\n\n"
    readme = _readme(tmp_path, README_BASE.replace("### 0.1.0", entry + "### 0.1.0"))
    report = compat.check(current_dir=current, readme=readme)
    assert report.ok, report.problems
    assert len(report.breaking) == 1 and report.current_version == 2


def test_a_changelog_entry_outside_the_changelog_section_does_not_count(tmp_path: Path) -> None:
    def bump(docs: dict[str, dict[str, Any]]) -> None:
        _bump(docs, 2)

    readme = _readme(tmp_path, "# x\n\nschema_version 2 is coming.\n\n" + README_BASE)
    report = compat.check(current_dir=_copy(tmp_path, bump), readme=readme)
    assert not report.ok


def test_the_readme_changelog_names_the_current_version() -> None:
    text = compat.changelog_section(compat.README.read_text())
    assert f"schema_version {compat.schema_version_of(compat.load_dir(JSON_DIR))}" in text
