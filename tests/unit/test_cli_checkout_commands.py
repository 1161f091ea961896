"""``wirestream eval`` / ``bench`` load their commands from the checkout's ``evaluation/`` and
``benchmarks/`` packages, which the wheel does not carry: without them the CLI says why."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

_RUN = """
import sys
from pathlib import Path
from wirestream.cli import checkout_commands, main
if sys.argv[1] == "wheel":
    # as installed from a wheel: no evaluation/ or benchmarks/ next to the wirestream package
    try:
        checkout_commands(sys.argv[2], checkout=Path(sys.argv[3]))
    except Exception as exc:
        print(type(exc).__name__, exc)
else:
    sys.exit(main(sys.argv[2:]))
"""


def _isolated(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # -I: no current directory or PYTHONPATH on sys.path, as for the installed console script
    return subprocess.run(
        [sys.executable, "-I", "-c", _RUN, *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_from_a_checkout_the_commands_are_found_by_their_packages(tmp_path: Path) -> None:
    out = _isolated(tmp_path, "checkout", "eval", "nope")
    assert out.returncode == 2
    assert "no such eval: nope (one of dedup, events, clusters, agreement" in out.stderr
    out = _isolated(tmp_path, "checkout", "bench", "nope")
    assert (
        "no such bench: nope (one of dedup, extract, link, pages, pipeline, crash, soak)"
        in out.stderr
    )


def test_without_the_checkout_packages_the_cli_says_where_they_are(tmp_path: Path) -> None:
    for command, package in (("eval", "evaluation"), ("bench", "benchmarks")):
        out = _isolated(tmp_path, "wheel", command, str(tmp_path)).stdout
        assert out.startswith("WirestreamError `wirestream " + command + "` runs from a checkout")
        assert f"its `{package}/` package is not installed with the wheel" in out
