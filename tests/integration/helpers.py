"""Integration helpers: real worker processes and topic readers against the embedded broker."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import pytest

from agents.tail import tail
from wirestream.procs import worker_process
from wirestream.settings import Settings

__all__ = ["read_topic", "read_topic_sync", "worker_process"]

pytestmark = pytest.mark.integration


async def read_topic(
    settings: Settings,
    name: str,
    *,
    until: int = 0,
    timeout: float = 60.0,
    idle: float = 2.0,
) -> list[tuple[str, Any]]:
    """All records of a topic: waits (up to ``timeout``) for at least ``until`` of them, then
    keeps reading until ``idle`` seconds pass without a new one, so extras are seen too."""
    records: list[tuple[str, Any]] = []

    async def collect() -> None:
        async for key, value in tail(settings, settings.topic(name), start="beginning"):
            records.append((key.decode() if key else "", value))

    task = asyncio.create_task(collect())
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    seen, quiet_since = 0, loop.time()
    try:
        while loop.time() < deadline and not task.done():
            await asyncio.sleep(0.1)
            if len(records) != seen:
                seen, quiet_since = len(records), loop.time()
            elif seen >= until and loop.time() - quiet_since >= idle:
                break
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    if task.done() and not task.cancelled() and task.exception():
        raise task.exception()  # type: ignore[misc]
    return records


def read_topic_sync(settings: Settings, name: str, **kwargs: Any) -> list[tuple[str, Any]]:
    """``read_topic`` for synchronous tests."""
    return asyncio.run(read_topic(settings, name, **kwargs))
