"""The base record type and the orjson codec every topic value uses."""

from __future__ import annotations

from typing import Any

import faust
import orjson
from faust.serializers import codecs

#: Bumped on any change a subscriber must know about; additive optional fields do not bump it.
SCHEMA_VERSION = 1

CODEC_NAME = "orjson"


def _default(obj: Any) -> Any:
    # Nested Faust records (and anything else following Faust's protocol) expose __json__.
    to_json = getattr(obj, "__json__", None)
    if to_json is not None:
        return to_json()
    raise TypeError(f"cannot serialise {type(obj).__name__} as JSON")


def dumps(obj: Any) -> bytes:
    """Serialise ``obj`` (records, dicts, lists, datetimes) to JSON bytes with orjson."""
    return orjson.dumps(obj, default=_default, option=orjson.OPT_NON_STR_KEYS)


class OrjsonCodec(codecs.Codec):
    """JSON via orjson: RFC 3339 datetimes, UTF-8 bytes, and several times faster than json."""

    def _dumps(self, obj: Any) -> bytes:
        return dumps(obj)

    def _loads(self, s: bytes) -> Any:
        return orjson.loads(s)


def register_codec() -> None:
    """Make ``orjson`` available to Faust as a serializer name (idempotent).

    Called by the composition root (``agents.app.create_app``), not at import: importing a
    record changes nothing in Faust's process-wide codec registry."""
    codecs.register(CODEC_NAME, OrjsonCodec())


class WireRecord(
    faust.Record,
    abstract=True,
    serializer=CODEC_NAME,
    include_metadata=False,
    isodates=True,
    validation=True,
):
    """Base of every record on a wirestream topic: plain JSON objects, no Faust metadata."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # Faust does not inherit ``validation`` from an abstract base; without it nested
        # lists of records decode as plain dicts and field types go unchecked.
        kwargs.setdefault("validation", True)
        super().__init_subclass__(**kwargs)
        # Faust's validation also rejects empty strings; an entry with no summary is normal news.
        for descriptor in cls._options.descriptors.values():
            if hasattr(descriptor, "allow_blank"):
                descriptor.allow_blank = True

    def to_json_bytes(self) -> bytes:
        """Serialise to the exact bytes that travel on the topic."""
        return dumps(self)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-compatible dict (datetimes as RFC 3339 strings, nested records as dicts)."""
        value: dict[str, Any] = orjson.loads(self.to_json_bytes())
        return value
