"""JSON Schema (draft 2020-12) generated from the record classes, for non-Python subscribers.

Field descriptions come from the attribute docstrings in the record classes, so the
classes stay the one place where a field is declared and explained.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
import types
import typing
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson

from schemas.base import SCHEMA_VERSION, WireRecord, record_fields

JSON_DIR = Path(__file__).parent / "json"
_ID_BASE = "https://wirestream.invalid/schemas"


_DOCS: dict[type, dict[str, str]] = {}


def field_docs(cls: type) -> dict[str, str]:
    """Attribute docstrings of ``cls`` and its bases: the string literal after each field."""
    if cls in _DOCS:
        return _DOCS[cls]
    docs: dict[str, str] = {}
    for klass in reversed(cls.__mro__):
        if not (isinstance(klass, type) and issubclass(klass, WireRecord)):
            continue
        try:
            source = textwrap.dedent(inspect.getsource(klass))
        except (OSError, TypeError):
            continue
        body = ast.parse(source).body[0]
        assert isinstance(body, ast.ClassDef)
        for stmt, nxt in zip(body.body, body.body[1:], strict=False):
            if (
                isinstance(stmt, ast.AnnAssign)
                and isinstance(stmt.target, ast.Name)
                and isinstance(nxt, ast.Expr)
                and isinstance(nxt.value, ast.Constant)
                and isinstance(nxt.value.value, str)
            ):
                docs[stmt.target.id] = " ".join(nxt.value.value.split())
    _DOCS[cls] = docs  # memo: parsing class source is slow and the classes never change
    return docs


def _type_schema(tp: Any, defs: dict[str, Any]) -> dict[str, Any]:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = typing.get_args(tp)
        return {"anyOf": [_type_schema(a, defs) for a in args]}
    if origin is list:
        (item,) = typing.get_args(tp)
        return {"type": "array", "items": _type_schema(item, defs)}
    if origin is dict:
        _, value = typing.get_args(tp)
        return {"type": "object", "additionalProperties": _type_schema(value, defs)}
    if tp is type(None):
        return {"type": "null"}
    if tp is str:
        return {"type": "string"}
    if tp is bool:
        return {"type": "boolean"}
    if tp is int:
        return {"type": "integer"}
    if tp is float:
        return {"type": "number"}
    if tp is datetime:
        return {"type": "string", "format": "date-time"}
    if isinstance(tp, type) and issubclass(tp, WireRecord):
        name = tp.__name__
        if name not in defs:
            defs[name] = {}  # placeholder breaks recursion
            defs[name] = _object_schema(tp, defs)
        return {"$ref": f"#/$defs/{name}"}
    raise TypeError(f"no JSON Schema mapping for {tp!r}")


def _object_schema(cls: type[WireRecord], defs: dict[str, Any]) -> dict[str, Any]:
    docs = field_docs(cls)
    properties: dict[str, Any] = {}
    for f in record_fields(cls):
        prop = _type_schema(f.type, defs)
        if f.name in docs:
            prop = {"description": docs[f.name], **prop}
        if f.default is not None:
            prop["default"] = orjson.loads(orjson.dumps(f.default()))
        properties[f.name] = prop
    required = [f.name for f in record_fields(cls) if f.required]
    schema: dict[str, Any] = {
        "type": "object",
        "description": " ".join((cls.__doc__ or "").split()),
        "properties": properties,
        "required": required,
        # Subscribers must ignore fields they do not know: new optional fields are additive.
        "additionalProperties": True,
    }
    return schema


def record_schema(name: str, cls: type[WireRecord]) -> dict[str, Any]:
    """The full JSON Schema document for one top-level record type."""
    defs: dict[str, Any] = {}
    body = _object_schema(cls, defs)
    doc: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{_ID_BASE}/v{SCHEMA_VERSION}/{name}.schema.json",
        "title": cls.__name__,
        **body,
    }
    if defs:
        doc["$defs"] = dict(sorted(defs.items()))
    return doc


def render(schema: dict[str, Any]) -> bytes:
    """Stable, diff-friendly bytes for a schema file."""
    return orjson.dumps(schema, option=orjson.OPT_INDENT_2) + b"\n"


def expected_files() -> dict[Path, bytes]:
    """Every schema file as the record classes define it now."""
    from schemas import TOPIC_RECORDS

    return {
        JSON_DIR / f"{name}.schema.json": render(record_schema(name, cls))
        for name, cls in TOPIC_RECORDS.items()
    }


def write_files() -> list[Path]:
    """Regenerate ``schemas/json/``; returns the files that changed."""
    changed = []
    JSON_DIR.mkdir(exist_ok=True)
    for path, content in expected_files().items():
        if not path.exists() or path.read_bytes() != content:
            path.write_bytes(content)
            changed.append(path)
    return changed
