"""A watched child process exits once its parent is killed, and only then."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from wirestream.procs import running

REPO = Path(__file__).resolve().parents[3]

# The middle process starts a grandchild that watches it, prints the grandchild's pid once
# the watch runs, then sleeps until it is killed.
MIDDLE = f"""
import subprocess, sys, time
grandchild = subprocess.Popen(
    [sys.executable, "-c", '''
import os, sys, time
sys.path.insert(0, {str(REPO)!r})
from agents.parent_watch import exit_with_parent
exit_with_parent(os.getppid(), interval=0.05)
print("watching", flush=True)
time.sleep(60)
'''],
    stdout=subprocess.PIPE,
)
assert grandchild.stdout.readline().strip() == b"watching"
print(grandchild.pid, flush=True)
time.sleep(60)
"""


def test_the_child_lives_with_its_parent_and_exits_when_it_is_killed() -> None:
    middle = subprocess.Popen([sys.executable, "-c", MIDDLE], stdout=subprocess.PIPE)
    grandchild = 0
    try:
        assert middle.stdout is not None
        grandchild = int(middle.stdout.readline())
        time.sleep(0.5)
        assert running(grandchild), "no exit while the parent lives"
        middle.send_signal(signal.SIGKILL)
        middle.wait()
        deadline = time.monotonic() + 5
        while running(grandchild) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not running(grandchild), "the orphan ended itself"
    finally:
        middle.kill()
        middle.wait()
        if grandchild and running(grandchild):
            os.kill(grandchild, signal.SIGKILL)
