"""The embedded Kafka-protocol broker (noida-db from PyPI): start, wait until ready, stop.

Shared by the CLI (``wirestream run`` / ``wirestream broker``) and the test fixtures, so a
test exercises the same broker lifecycle a user gets.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import socket
import struct
import subprocess
import tempfile
import time
from importlib.resources import files
from pathlib import Path
from types import TracebackType

log = logging.getLogger(__name__)

HOST = "127.0.0.1"


class BrokerError(RuntimeError):
    """The embedded broker could not be started or did not become ready."""


def binary_path() -> Path:
    """Path of the noida-db executable inside the installed ``noida_db`` package."""
    name = "noida-db.exe" if os.name == "nt" else "noida-db"
    path = Path(str(files("noida_db").joinpath(name)))
    if not path.is_file():
        raise BrokerError(f"noida-db binary not found at {path}; is noida-db installed?")
    if not os.access(path, os.X_OK):
        path.chmod(0o755)
    return path


def _die_with_parent() -> None:
    """In the child before exec: ask Linux to SIGTERM it when its parent dies.

    The broker runs in its own session (so a Ctrl-C reaches the worker first); without this
    a parent killed with SIGKILL would leave the broker running forever.
    """
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGTERM)
    except (OSError, AttributeError):
        pass  # not Linux: the parent's stop() remains the only way


def free_port(host: str = HOST) -> int:
    """A TCP port that is free on ``host`` right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


def kafka_api_versions_ok(host: str, port: int, timeout: float = 1.0) -> bool:
    """True if a Kafka ApiVersions (v0) request on host:port gets an error-free reply."""
    client_id = b"wirestream-probe"
    body = struct.pack(">hhih", 18, 0, 1, len(client_id)) + client_id
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            sock.sendall(struct.pack(">i", len(body)) + body)
            header = _recv_exact(sock, 4)
            (size,) = struct.unpack(">i", header)
            reply = _recv_exact(sock, size)
    except OSError:
        return False
    if len(reply) < 6:
        return False
    correlation_id, error_code = struct.unpack(">ih", reply[:6])
    return bool(correlation_id == 1 and error_code == 0)


def _recv_exact(sock: socket.socket, n: int) -> bytes:
    chunks = b""
    while len(chunks) < n:
        chunk = sock.recv(n - len(chunks))
        if not chunk:
            raise OSError("connection closed")
        chunks += chunk
    return chunks


class EmbeddedBroker:
    """A noida-db process serving only Kafka on 127.0.0.1; a context manager.

    ``data_dir=None`` uses a temporary directory that is removed on stop.
    """

    def __init__(
        self,
        data_dir: Path | None = None,
        *,
        port: int | None = None,
        host: str = HOST,
        log_path: Path | None = None,
    ) -> None:
        self.host = host
        self.port = port or free_port(host)
        self._tmp = None if data_dir else tempfile.mkdtemp(prefix="wirestream-broker-")
        self.data_dir = Path(data_dir) if data_dir else Path(self._tmp or "")
        self.log_path = log_path or self.data_dir / "broker.log"
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """Faust-style broker URL, e.g. ``kafka://127.0.0.1:39092``."""
        return f"kafka://{self.host}:{self.port}"

    @property
    def bootstrap(self) -> str:
        """aiokafka-style ``host:port``."""
        return f"{self.host}:{self.port}"

    def start(self, timeout: float = 30.0) -> EmbeddedBroker:
        """Start the broker and block until it answers Kafka requests."""
        if self._proc is not None:
            return self
        self.data_dir.mkdir(parents=True, exist_ok=True)
        cmd = [
            str(binary_path()),
            "start",
            "--data-dir",
            str(self.data_dir),
            "--host",
            self.host,
            "--only",
            "kafka",
            "--kafka-port",
            str(self.port),
        ]
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        logfile = self.log_path.open("ab")
        log.info("starting embedded broker on %s (data in %s)", self.bootstrap, self.data_dir)
        # Its own process group: a Ctrl-C in the terminal must not kill the broker before the
        # worker has committed and left the group; we stop it last, ourselves.
        self._proc = subprocess.Popen(
            cmd,
            stdout=logfile,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )
        logfile.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise BrokerError(
                    f"embedded broker exited with {self._proc.returncode}: {self._log_tail()}"
                )
            if kafka_api_versions_ok(self.host, self.port):
                return self
            time.sleep(0.1)
        self.stop()
        raise BrokerError(f"embedded broker not ready after {timeout}s: {self._log_tail()}")

    def stop(self, timeout: float = 15.0) -> None:
        """Stop the broker (SIGTERM, then SIGKILL after ``timeout``) and remove a temporary dir."""
        proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                log.warning("embedded broker did not stop in %ss; killing it", timeout)
                proc.kill()
                proc.wait()
        if self._tmp:
            shutil.rmtree(self._tmp, ignore_errors=True)

    def kill(self) -> None:
        """SIGKILL the broker at once (for fault tests); data on disk is kept."""
        if self._proc is not None:
            self._proc.kill()
            self._proc.wait()
            self._proc = None

    @property
    def pid(self) -> int | None:
        """The broker process id while it runs (for CPU and memory accounting)."""
        return self._proc.pid if self._proc is not None else None

    @property
    def running(self) -> bool:
        """True while the broker process is alive."""
        return self._proc is not None and self._proc.poll() is None

    def _log_tail(self, lines: int = 20) -> str:
        try:
            text = self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return "(no broker log)"
        # The binary prints a harmless glibc weak-version warning on every start.
        useful = [line for line in text if "weak version" not in line]
        return " | ".join(useful[-lines:])

    def __enter__(self) -> EmbeddedBroker:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
