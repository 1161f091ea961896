"""The Faust codec of the records: registered by the composition root, never at import."""

from __future__ import annotations

from typing import Any

import orjson
from faust.serializers import codecs

from schemas.base import dumps

#: The serializer name every topic value and the app's default use.
CODEC_NAME = "orjson"


class OrjsonCodec(codecs.Codec):
    """JSON via orjson: RFC 3339 datetimes, UTF-8 bytes, records (dataclasses) natively."""

    def _dumps(self, obj: Any) -> bytes:
        return dumps(obj)

    def _loads(self, s: bytes) -> Any:
        return orjson.loads(s)


def register_codec() -> None:
    """Make ``orjson`` available to Faust as a serializer name (idempotent).

    Called by the composition root (``agents.app.create_app``): importing a record changes
    nothing in Faust's process-wide codec registry."""
    codecs.register(CODEC_NAME, OrjsonCodec())
