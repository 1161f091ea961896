"""Child processes of wirestream: worker processes started with given settings.

Used by the benchmark and the integration tests, so both exercise the same
``wirestream worker`` a deployment runs.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pydantic import SecretStr

from wirestream_core.settings import Settings

#: What a worker logs (at info level) once it has joined the group and recovered its tables.
READY = "Worker]: Ready"
#: What it logs once its spaCy processes have loaded the model.
NLP_READY = "NLP pool ready"


class ProcessError(RuntimeError):
    """A child process exited early or did not become ready in time."""


def settings_env(settings: Settings) -> dict[str, str]:
    """Environment that makes a child process use exactly these settings."""
    env = dict(os.environ)
    for name, value in settings.model_dump().items():
        if isinstance(value, SecretStr):
            value = value.get_secret_value()  # str() would pass the mask, not the secret
        if value is not None:
            env[f"WIRESTREAM_{name.upper()}"] = str(value)
    return env


def wait_for_log(
    proc: subprocess.Popen[bytes], log_path: Path, marker: str, timeout: float
) -> None:
    """Block until ``marker`` appears in the process's log."""
    deadline = time.monotonic() + timeout
    while marker not in log_path.read_text(errors="replace"):
        if proc.poll() is not None:
            raise ProcessError(f"worker exited early:\n{log_path.read_text()[-3000:]}")
        if time.monotonic() > deadline:
            raise ProcessError(f"no {marker!r} after {timeout}s:\n{log_path.read_text()[-3000:]}")
        time.sleep(0.2)


def running(pid: int) -> bool:
    """True while ``pid`` runs; a zombie (dead, not yet reaped) does not count."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            return f.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except OSError:
        return False


def children(pid: int) -> list[int]:
    """Direct children of a running process (from /proc; empty where there is none)."""
    out: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as f:
                out.extend(int(c) for c in f.read().split())
        except OSError:
            continue
    return out


def sigkill(proc: subprocess.Popen[bytes]) -> list[int]:
    """Kill a process with SIGKILL, as a crash would, and reap it; returns its children."""
    kids = children(proc.pid)
    proc.kill()
    proc.wait()
    return kids


def wait_gone(pids: list[int], timeout: float = 10.0) -> list[int]:
    """The pids still running after up to ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while any(running(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    return [p for p in pids if running(p)]


def stop_process(proc: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    """SIGTERM, then SIGKILL after ``timeout``."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def start_worker(settings: Settings, log_path: Path) -> subprocess.Popen[bytes]:
    """Start a ``wirestream worker`` process that logs (at info level) to ``log_path``."""
    with log_path.open("wb") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "wirestream.cli", "worker", "--log-level", "info"],
            env=settings_env(settings),
            stdout=log,
            stderr=subprocess.STDOUT,
        )


@contextmanager
def worker_process(
    settings: Settings,
    log_path: Path,
    *,
    ready_timeout: float = 90.0,
    wait_nlp: bool = False,
) -> Iterator[subprocess.Popen[bytes]]:
    """A real ``wirestream worker`` process; yields once it is Ready, stops it after."""
    proc = start_worker(settings, log_path)
    try:
        wait_for_log(proc, log_path, READY, ready_timeout)
        if wait_nlp:
            wait_for_log(proc, log_path, NLP_READY, ready_timeout)
        yield proc
    finally:
        stop_process(proc)
