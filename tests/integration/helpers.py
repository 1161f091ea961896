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
    until: int | None = None,
    timeout: float = 60.0,
    idle: float = 2.0,
) -> list[tuple[str, Any]]:
    """Records of a topic from the start: until ``until`` arrived, or ``idle`` s of quiet."""
    records: list[tuple[str, Any]] = []

    async def collect() -> None:
        async for key, value in tail(
            settings,
            settings.topic(name),
            start="beginning",
            idle_timeout=idle if until is None else None,
        ):
            records.append((key.decode() if key else "", value))
            if until is not None and len(records) >= until:
                return

    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(collect(), timeout)
    return records


def read_topic_sync(settings: Settings, name: str, **kwargs: Any) -> list[tuple[str, Any]]:
    """``read_topic`` for synchronous tests."""
    return asyncio.run(read_topic(settings, name, **kwargs))
