"""Worker crash under load (issue 19, item 1, reduced): SIGKILL the worker three times at random
moments while a backlog of real-text articles (a share of them syndicated copies) flows.

``wirestream bench crash`` on its own embedded broker: one worker, killed and restarted three
times at outcome counts drawn from a seed (printed; ``WIRESTREAM_DRILL_SEED`` replays a run),
then a ``read_committed`` consumer counts, per input article, what came out on
``enriched-articles``, ``duplicates`` and ``dead-letters``. Under ``at_least_once`` (the
default): nothing lost, and a repeat is the same record again by its key (an identical upsert).
Size: ``WIRESTREAM_DRILL_ARTICLES`` (default 1,000). A fault drill: ``pytest -m faults``.
"""

from __future__ import annotations

import os
import random
import time
from pathlib import Path

import pytest

from benchmarks.crash import drill, format_result, random_kill_points

pytestmark = [pytest.mark.integration, pytest.mark.faults]

KILLS = 3


def test_three_kills_at_random_moments_lose_nothing(tmp_path: Path) -> None:
    articles = int(os.environ.get("WIRESTREAM_DRILL_ARTICLES", "1000"))
    seed = int(os.environ.get("WIRESTREAM_DRILL_SEED", str(random.SystemRandom().randrange(10**6))))
    kill_at = random_kill_points(articles, KILLS, seed)
    started = time.monotonic()
    result = drill(articles, kill_at=kill_at, timeout=900.0, log_dir=tmp_path)
    report = format_result(result)
    print(f"seed {seed}, kills at outcomes {kill_at}\n{report}\n{time.monotonic() - started:.0f} s")

    assert len(result["kills"]) == KILLS, report
    # Nothing lost: every input article has its verdict (and, if unique, its enriched record).
    assert result["missing"] == [], report
    assert result["came_out"] == articles, report
    # The killed worker's spaCy processes die with it.
    assert all(k["children_left_after_1s"] == 0 for k in result["kills"]), report
    # At least once: whatever came out twice is the same record again under its key.
    assert result["per_article"]["repeated_different"] == 0, report
    assert result["both_verdicts"] == 0, report
