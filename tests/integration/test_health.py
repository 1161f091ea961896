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


def _until_ready(
    proc: subprocess.Popen[bytes], base: str, log_path: Path, timeout: float = 90
) -> list[dict[str, Any]]:
    """Poll ``/ready`` from the worker's start until it answers 200; every 503 body seen."""
    not_ready: list[dict[str, Any]] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, log_path.read_text()[-3000:]
        status, body = _get(f"{base}/ready")
        if status == 200:
            assert json.loads(body)["ready"] is True
            # Faust logs Ready once it has joined the group and recovered its tables.
            assert READY in log_path.read_text(errors="replace")
            return not_ready
        if status == 503:
            not_ready.append(json.loads(body))
        time.sleep(0.1)
    raise AssertionError(
        f"/ready never 200; last: {not_ready[-1:]}\n{log_path.read_text()[-3000:]}"
    )


def test_ready_only_after_partitions_recovery_and_spacy_and_again_after_a_restart(
    settings: Settings, tmp_path: Path
) -> None:
    settings = settings.model_copy(
        update={"web_enabled": True, "web_port": _free_port(), "commit_interval": 0.5}
    )
    base = f"http://127.0.0.1:{settings.web_port}"
    asyncio.run(ensure_topics(settings))

    log1 = tmp_path / "w1.log"
    proc = start_worker(settings.model_copy(update={"data_dir": tmp_path / "w1"}), log1)
    try:
        waiting = _until_ready(proc, base, log1)
        assert _get(f"{base}/health")[0] == 200
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
        read_topic_sync(settings, "enriched-articles", until=1, timeout=60, idle=0.5)
        time.sleep(settings.commit_interval * 3)  # let the offsets be committed
        status, metrics = _get(f"{base}/metrics")
    finally:
        stop_process(proc)
    assert status == 200
    raw_topic = settings.topic("raw-articles")
    lags = [line for line in metrics.splitlines() if line.startswith("wirestream_consumer_lag{")]
    assert len(lags) >= 4 * 3 + 1, lags  # raw, unique, article-events (4 each), dedup-sequence
    assert any(f'topic="{raw_topic}"' in line for line in lags)
    assert all(line.endswith(" 0.0") for line in lags), "all caught up once committed"
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
