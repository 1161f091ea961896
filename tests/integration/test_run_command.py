"""The README's first command, bounded: `run --until-idle` prints the bundled feeds' events."""

from __future__ import annotations

import os
import subprocess
import sys

import orjson
import pytest

pytestmark = pytest.mark.integration


def test_run_until_idle_prints_events_from_the_bundled_feeds() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WIRESTREAM_")}
    proc = subprocess.run(
        [sys.executable, "-m", "wirestream.cli", "run", "--until-idle", "3", "--json"],
        env=env,
        capture_output=True,
        timeout=300,
    )
    stderr = proc.stderr.decode(errors="replace")
    assert proc.returncode == 0, stderr[-3000:]
    events = [orjson.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    assert len(events) >= 5, stderr[-3000:]
    # Linked events are printed at each update; the last version of each is what counts.
    latest = {e["event_id"]: e for e in events}
    assert all(e["version"] >= 1 and e["num_mentions"] >= 1 for e in latest.values())
    sakhour = [
        e
        for e in latest.values()
        if e["place"]
        and e["place"]["name"] == "Sakhour"
        and e["factual"]
        and e["cameo_root"] == "19"
    ]
    assert sakhour, [e["trigger"]["text"] for e in events]
    assert {e["when"]["date"] for e in sakhour} == {"2016-11-27"}
    # The wire copy of the story is a duplicate: its events are not printed twice.
    assert {s for e in sakhour for s in e["sources"]} == {sakhour[0]["sources"][0]}
    assert "embedded Kafka-protocol broker on 127.0.0.1:" in stderr
