"""Integration helpers: real worker processes and topic readers against the embedded broker."""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from agents.tail import tail
from wirestream.settings import Settings

pytestmark = pytest.mark.integration


def settings_env(settings: Settings) -> dict[str, str]:
    """Environment that makes a child process use exactly these settings."""
    env = dict(os.environ)
    for name, value in settings.model_dump().items():
        if value is not None:
            env[f"WIRESTREAM_{name.upper()}"] = str(value)
    return env


@contextmanager
def worker_process(
    settings: Settings, log_path: Path, *, ready_timeout: float = 90.0
) -> Iterator[subprocess.Popen[bytes]]:
    """A real ``wirestream worker`` process; yields once it reports Ready, stops it after."""
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "wirestream.cli", "worker", "--log-level", "info"],
            env=settings_env(settings),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + ready_timeout
        while "Worker]: Ready" not in log_path.read_text(errors="replace"):
            if proc.poll() is not None:
                raise AssertionError(f"worker exited early:\n{log_path.read_text()[-3000:]}")
            if time.monotonic() > deadline:
                raise AssertionError(f"worker not ready:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.2)
        yield proc
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


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
