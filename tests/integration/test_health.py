"""``/health``, ``/ready`` and ``/metrics`` of a real worker, across a restart."""

from __future__ import annotations

import asyncio
import json
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from agents.topics import ensure_topics
from tests.integration.helpers import read_topic_sync
from tests.integration.test_dedup import article, publish
from wirestream.procs import READY, start_worker, stop_process
from wirestream_core.settings import Settings

pytestmark = pytest.mark.integration


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> tuple[int, str]:
    """(status, body); status 0 while nothing listens."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, ""


def _lags(metrics: str, topic: str) -> list[float]:
    """Values of ``wirestream_consumer_lag`` for the partitions of ``topic``."""
    return [
        float(line.rsplit(" ", 1)[1])
        for line in metrics.splitlines()
        if line.startswith("wirestream_consumer_lag{") and f'topic="{topic}"' in line
    ]


RECOVERED = "Recovery]: Worker ready"


def _until_logged(log_path: Path, line: str, *, timeout: float) -> None:
    """Wait until ``line`` is in the worker's log."""
    deadline = time.monotonic() + timeout
    while line not in log_path.read_text(errors="replace"):
        assert time.monotonic() < deadline, f"{line!r} not logged within {timeout} s"
        time.sleep(0.1)


def _until_ready(
    proc: subprocess.Popen[bytes],
    base: str,
    log_path: Path,
    timeout: float = 90,
    metrics_while_waiting: list[str] | None = None,
) -> list[dict[str, Any]]:
    """Poll ``/ready`` from the worker's start until it answers 200; every 503 body seen
    (and, into ``metrics_while_waiting``, ``/metrics`` at each of them)."""
    not_ready: list[dict[str, Any]] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, log_path.read_text()[-3000:]
        status, body = _get(f"{base}/ready")
        if status == 200:
            assert json.loads(body)["ready"] is True
            # Table recovery has finished by then (Faust logs it before /ready can say so);
            # Faust's own "Ready" line comes after its remaining services start, so it may
            # trail the first 200 by a moment on a loaded machine.
            assert RECOVERED in log_path.read_text(errors="replace")
            _until_logged(log_path, READY, timeout=30)
            return not_ready
        if status == 503:
            not_ready.append(json.loads(body))
            if metrics_while_waiting is not None:
                metrics_while_waiting.append(_get(f"{base}/metrics")[1])
        time.sleep(0.1)
    raise AssertionError(
        f"/ready never 200; last: {not_ready[-1:]}\n{log_path.read_text()[-3000:]}"
    )


def _first_worker(
    settings: Settings, tmp_path: Path
) -> tuple[list[dict[str, Any]], list[str], str]:
    """One article published, then a worker started: the /ready bodies and /metrics seen while
    it was not ready, and /metrics once the article was enriched and its offsets committed."""
    base = f"http://127.0.0.1:{settings.web_port}"
    asyncio.run(ensure_topics(settings))
    # Published before the worker starts: its spaCy processes load the model for seconds after
    # the partitions are assigned, so the article waits in unique-articles meanwhile (a backlog).
    asyncio.run(
        publish(
            settings,
            [
                article(
                    "https://a.example/1",
                    "Police arrested twelve protesters in Paris on Monday.",
                    "A",
                )
            ],
        )
    )
    log1 = tmp_path / "w1.log"
    proc = start_worker(settings.model_copy(update={"data_dir": tmp_path / "w1"}), log1)
    waiting_metrics: list[str] = []
    try:
        waiting = _until_ready(proc, base, log1, metrics_while_waiting=waiting_metrics)
        assert _get(f"{base}/health")[0] == 200
        read_topic_sync(settings, "enriched-articles", until=1, timeout=60, idle=0.5)
        time.sleep(settings.commit_interval * 3)  # let the offsets be committed
        status, metrics = _get(f"{base}/metrics")
    finally:
        stop_process(proc)
    assert status == 200
    return waiting, waiting_metrics, metrics


def _assert_lag_behind_then_caught_up(
    settings: Settings, waiting_metrics: list[str], metrics: str
) -> None:
    """Backlog => lag > 0; caught up (every record processed and committed) => 0 everywhere."""
    unique = settings.topic("unique-articles")
    assert any(sum(_lags(m, unique)) > 0 for m in waiting_metrics), (
        "the article waiting for the spaCy processes shows as lag on unique-articles"
    )
    raw_topic = settings.topic("raw-articles")
    lags = [line for line in metrics.splitlines() if line.startswith("wirestream_consumer_lag{")]
    assert len(lags) >= 4 * 3 + 1, lags  # raw, unique, article-events (4 each), dedup-sequence
    assert any(f'topic="{raw_topic}"' in line for line in lags)
    assert all(line.endswith(" 0.0") for line in lags), f"all caught up once committed: {lags}"


def test_ready_only_after_partitions_recovery_and_spacy_and_again_after_a_restart(
    settings: Settings, tmp_path: Path
) -> None:
    # Under exactly_once transaction markers take offsets the lag must not count (the other
    # guarantee, the default, has its own test below).
    settings = settings.model_copy(
        update={
            "web_enabled": True,
            "web_port": _free_port(),
            "commit_interval": 0.5,
            "processing_guarantee": "exactly_once",
        }
    )
    base = f"http://127.0.0.1:{settings.web_port}"
    waiting, waiting_metrics, metrics = _first_worker(settings, tmp_path)
    # Before it was ready, the endpoint said which check failed.
    assert waiting, "the web server answered only once everything was ready"
    assert all(
        set(w["checks"]) == {"partitions_assigned", "tables_recovered", "nlp_processes"}
        for w in waiting
    )
    # First no partitions (the web server is up before the group is joined), then
    # partitions and tables while the spaCy processes still load the model.
    assert waiting[0]["checks"] == dict.fromkeys(waiting[0]["checks"], False)
    assert any(
        w["checks"]["partitions_assigned"] and not w["checks"]["nlp_processes"] for w in waiting
    )
    _assert_lag_behind_then_caught_up(settings, waiting_metrics, metrics)
    for stage in ("intake", "dedup", "extract"):
        assert f'wirestream_stage_latency_seconds_count{{stage="{stage}"}} 1.0' in metrics
    assert "wirestream_fetch_to_emit_seconds_count 1.0" in metrics

    # A restarted worker with an empty data dir recovers its tables from the changelogs
    # before it says it is ready again.
    log2 = tmp_path / "w2.log"
    proc = start_worker(settings.model_copy(update={"data_dir": tmp_path / "w2"}), log2)
    try:
        waiting = _until_ready(proc, base, log2)
        assert waiting and not waiting[0]["checks"]["partitions_assigned"]
        assert not waiting[0]["checks"]["tables_recovered"]
        assert _get(f"{base}/health")[0] == 200
    finally:
        stop_process(proc)
    assert _get(f"{base}/health")[0] == 0, "the port is closed once the worker stops"


def test_consumer_lag_under_at_least_once(settings: Settings, tmp_path: Path) -> None:
    """The lag stays end minus committed without transactions: > 0 behind, 0 caught up."""
    settings = settings.model_copy(
        update={
            "web_enabled": True,
            "web_port": _free_port(),
            "commit_interval": 0.5,
            "processing_guarantee": "at_least_once",
        }
    )
    _, waiting_metrics, metrics = _first_worker(settings, tmp_path)
    _assert_lag_behind_then_caught_up(settings, waiting_metrics, metrics)
