"""The base record type: plain dataclasses whose JSON (orjson) is the value on every topic.

No Faust here: the agents register a Faust codec for these records in the composition root
(``agents/codec.py``). The records keep the behaviour they had as ``faust.Record`` subclasses
(validation on, ISO dates), so the bytes on the topics are the same:

- a field of type ``str``, ``int``, ``float``, ``bool`` or ``datetime`` converts what it is
  given, at construction and on assignment (``confidence=1`` is stored as ``1.0``, an ISO
  string as a datetime); None stays None unless the field is required;
- None given to the constructor for a field with a default means the default;
- a list or dict default is a fresh copy per instance.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import inspect
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, Self, cast, dataclass_transform

import orjson

#: Bumped on any change a subscriber must know about; additive optional fields do not bump it.
SCHEMA_VERSION = 1


def dumps(obj: Any) -> bytes:
    """Serialise ``obj`` (records, dicts, lists, datetimes) to JSON bytes with orjson."""
    return orjson.dumps(obj, option=orjson.OPT_NON_STR_KEYS)


def _to_str(value: Any) -> str:
    return value if isinstance(value, str) else str(value)


def _to_bool(value: Any) -> bool:
    return bool(value)


def _to_datetime(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


# What a field of each type does with the value it is given (as Faust's coercing fields did).
_CONVERT: dict[Any, Callable[[Any], Any]] = {
    str: _to_str,
    int: int,
    float: float,
    bool: _to_bool,
    datetime: _to_datetime,
}


@dataclasses.dataclass(frozen=True)
class RecordField:
    """One field of a record class: its name, resolved type and default."""

    name: str
    type: Any
    required: bool
    default: Callable[[], Any] | None
    """Makes the default value (None for a required field)."""


def _optional_of(tp: Any) -> Any:
    """``X`` for ``X | None``, else ``tp``."""
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return tp


def _default_maker(f: dataclasses.Field[Any]) -> Callable[[], Any] | None:
    if f.default is not dataclasses.MISSING:
        value = f.default
        return lambda: value
    if f.default_factory is not dataclasses.MISSING:
        return f.default_factory
    return None


@dataclass_transform(eq_default=True, order_default=True, field_specifiers=(dataclasses.field,))
class WireRecord:
    """Base of every record on a wirestream topic: plain JSON objects, no Faust metadata.

    Every subclass is made a dataclass (fields in declaration order, inherited ones first:
    the key order of the JSON).
    """

    __wire_fields__: ClassVar[tuple[RecordField, ...]] = ()
    __wire_names__: ClassVar[frozenset[str]] = frozenset()
    __wire_convert__: ClassVar[dict[str, tuple[Callable[[Any], Any], bool]]] = {}
    __wire_defaults__: ClassVar[tuple[tuple[str, Callable[[], Any]], ...]] = ()
    __wire_nested__: ClassVar[tuple[tuple[str, type[WireRecord], bool], ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name in inspect.get_annotations(cls):
            value = cls.__dict__.get(name)
            if isinstance(value, list | dict | set):
                factory = type(value) if not value else functools.partial(copy.copy, value)
                setattr(cls, name, dataclasses.field(default_factory=factory))
        dataclasses.dataclass(eq=True, order=True, unsafe_hash=True)(cls)
        hints = typing.get_type_hints(cls)
        fields = tuple(
            RecordField(f.name, hints[f.name], _default_maker(f) is None, _default_maker(f))
            for f in dataclasses.fields(cast(Any, cls))
        )
        cls.__wire_names__ = frozenset(f.name for f in fields)
        cls.__wire_fields__ = fields
        cls.__wire_convert__ = {
            f.name: (_CONVERT[_optional_of(f.type)], f.required)
            for f in fields
            if _optional_of(f.type) in _CONVERT
        }
        # Only defaults that are not None: None given for those means the default.
        cls.__wire_defaults__ = tuple(
            (f.name, f.default) for f in fields if f.default is not None and f.default() is not None
        )
        cls.__wire_nested__ = tuple(n for n in map(_nested, fields) if n is not None)

    if not TYPE_CHECKING:  # mypy checks assignments against the declared field types instead

        def __setattr__(self, name: str, value: Any) -> None:
            rule = self.__wire_convert__.get(name)
            if rule is not None and (value is not None or rule[1]):
                value = rule[0](value)
            object.__setattr__(self, name, value)

    def __post_init__(self) -> None:
        for name, default in self.__wire_defaults__:
            if getattr(self, name) is None:
                object.__setattr__(self, name, default())

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Self:
        """The record from a parsed JSON object: nested objects become records, ISO strings
        datetimes; keys this version does not know (from newer producers) are dropped."""
        known = cls.__wire_names__
        values = {k: v for k, v in data.items() if k in known}
        for name, record, many in cls.__wire_nested__:
            value = values.get(name)
            if value is None:
                continue
            if many:
                values[name] = [record.from_data(v) if isinstance(v, dict) else v for v in value]
            elif isinstance(value, dict):
                values[name] = record.from_data(value)
        return cls(**values)

    def asdict(self) -> dict[str, Any]:
        """The fields by name, in order; nested records stay records (a shallow copy)."""
        return {f.name: getattr(self, f.name) for f in self.__wire_fields__}

    def derive(self, *records: WireRecord, **changes: Any) -> Self:
        """A copy with the fields of ``records`` and then ``changes`` put over this one's."""
        values = self.asdict()
        for record in records:
            values.update(record.asdict())
        return type(self)(**{**values, **changes})

    def to_json_bytes(self) -> bytes:
        """Serialise to the exact bytes that travel on the topic."""
        return dumps(self)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-compatible dict (datetimes as RFC 3339 strings, nested records as dicts)."""
        value: dict[str, Any] = orjson.loads(self.to_json_bytes())
        return value


def _nested(f: RecordField) -> tuple[str, type[WireRecord], bool] | None:
    """(name, record class, is a list) for a field holding records, else None."""
    tp = _optional_of(f.type)
    many = typing.get_origin(tp) is list
    if many:
        (tp,) = typing.get_args(tp)
    if isinstance(tp, type) and issubclass(tp, WireRecord):
        return f.name, tp, many
    return None


def record_fields(cls: type[WireRecord]) -> tuple[RecordField, ...]:
    """The fields of a record class, in order."""
    return cls.__wire_fields__


def field_names(cls: type[WireRecord]) -> Iterable[str]:
    """The names of a record class's fields, in order."""
    return (f.name for f in cls.__wire_fields__)
