"""Building dead-letter records: the original bytes, where they came from, and why they failed."""

from __future__ import annotations

import base64
import os
import socket
from datetime import UTC, datetime

from schemas import DeadLetter

_WORKER = f"{socket.gethostname()}:{os.getpid()}"


def dead_letter(
    *,
    stage: str,
    error: BaseException | str,
    key: bytes | str | None = None,
    value: bytes | str | None = None,
    topic: str | None = None,
    partition: int | None = None,
    offset: int | None = None,
) -> DeadLetter:
    """A DeadLetter for a message; non-UTF-8 values are kept verbatim as base64."""
    if isinstance(error, BaseException):
        error_type, reason = type(error).__name__, str(error) or repr(error)
    else:
        error_type, reason = "Rejected", error
    encoding = "utf-8"
    text: str | None
    if isinstance(value, bytes):
        try:
            text = value.decode("utf-8")
        except UnicodeDecodeError:
            text, encoding = base64.b64encode(value).decode("ascii"), "base64"
    else:
        text = value
    return DeadLetter(
        stage=stage,
        error_type=error_type,
        error=reason[:2000],
        failed_at=datetime.now(UTC),
        topic=topic,
        partition=partition,
        offset=offset,
        key=key.decode("utf-8", "replace") if isinstance(key, bytes) else key,
        value=text,
        value_encoding=encoding,
        worker=_WORKER,
    )


def original_value(letter: DeadLetter) -> bytes | None:
    """The failed message's value bytes, for replay."""
    if letter.value is None:
        return None
    if letter.value_encoding == "base64":
        return base64.b64decode(letter.value)
    return letter.value.encode("utf-8")
