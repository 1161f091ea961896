"""Worker crash under load (issue 19, item 1): SIGKILL a worker at random moments while a backlog
of real-text articles (a share of them syndicated copies) flows, then count what came out.

``benchmarks.crash.drill`` on its own embedded broker with real ``wirestream worker``
processes; kill moments are outcome counts drawn from a seed (printed; ``WIRESTREAM_DRILL_SEED``
replays a run). A ``read_committed`` consumer counts, per input article, its dedup verdict
(``unique-articles`` or ``duplicates``), its enriched record, its extracted events
(``article-events``) and its mentions, and the linked events by id and version. Under
``exactly_once`` (set explicitly, whatever the default): nothing lost, nothing repeated. Under
``at_least_once``: nothing lost, every repeat the same record again under its key (an
identical upsert), counted. Size: ``WIRESTREAM_DRILL_ARTICLES`` (default 150); the 5,000-article
drill is ``wirestream bench crash --articles 5000 --kills 3 --random-kills SEED --guarantee
exactly_once`` (README, "Delivery guarantee under a crash"). A fault drill: ``pytest -m faults``.
"""

from __future__ import annotations

import os
import random
import time
from pathlib import Path
from typing import Any

import pytest

from benchmarks.crash import drill, format_result, random_kill_points
from wirestream_core.settings import Settings

pytestmark = [pytest.mark.integration, pytest.mark.faults]

#: exactly_once with the short transactions it is run with (issue 19 item 2).
GUARANTEES: dict[str, dict[str, Any]] = {
    "at_least_once": {"processing_guarantee": "at_least_once"},
    "exactly_once": {"processing_guarantee": "exactly_once", "commit_interval": 0.2},
}


def _size_and_seed() -> tuple[int, int]:
    articles = int(os.environ.get("WIRESTREAM_DRILL_ARTICLES", "150"))
    seed = int(os.environ.get("WIRESTREAM_DRILL_SEED", str(random.SystemRandom().randrange(10**6))))
    return articles, seed


def _run(
    guarantee: str, tmp_path: Path, *, workers: int, kills: int, last: float = 0.9
) -> dict[str, Any]:
    articles, seed = _size_and_seed()
    kill_at = random_kill_points(articles, kills, seed, last=last)
    started = time.monotonic()
    result = drill(
        articles,
        workers=workers,
        kill_at=kill_at,
        restart=workers == 1,
        # a bound on a hang, not on speed (after the last kill, 180 s without an outcome once
        # the restarted worker's spaCy pool is ready end the drill): extraction ran at about
        # 1 article/s on the 2-core machine at load 12-14 (round 14, 5,000 articles), slower
        # than the 0.6 s per article this bound allowed
        timeout=max(900.0, articles * 1.5),
        base=Settings().model_copy(update=GUARANTEES[guarantee]),
        log_dir=tmp_path,
    )
    print(
        f"seed {seed}, kills at outcomes {kill_at}\n{format_result(result)}\n"
        f"{time.monotonic() - started:.0f} s"
    )
    return result


def _assert_delivered(result: dict[str, Any], guarantee: str, kills: int) -> None:
    report = format_result(result)
    assert len(result["kills"]) == kills, report
    # Nothing lost: every input article has its verdict (and, if unique, its enriched record),
    # every event an enriched record lists is on article-events, every such article mentioned.
    assert result["missing"] == [], report
    assert result["came_out"] == result["articles"], report
    # Checked after a clean stop of the workers when something was still not visible: under
    # exactly_once some mentions stay invisible to read_committed readers after a SIGKILL
    # until then (a transaction held open; README, "Delivery guarantee under a crash"), and
    # they are reported as late, not lost.
    assert not any(result["lost_downstream"].values()), report
    # The killed worker's spaCy processes die with it (within 5 s: on a loaded machine their
    # parent watch can be starved past 1 s; both figures are reported).
    assert all(k["children_left_after_5s"] == 0 for k in result["kills"]), report
    assert result["both_verdicts"] == 0, report
    if guarantee == "exactly_once":
        # No committed record repeats another on any counted topic.
        assert result["repeated"] == 0, report
    else:
        # Whatever came out twice is the same record again under its key.
        assert result["per_article"]["repeated_different"] == 0, report


@pytest.mark.parametrize(
    "guarantee",
    [
        pytest.param(name, marks=[pytest.mark.exactly_once_drill] if name == "exactly_once" else [])
        for name in GUARANTEES
    ],
)
def test_three_kills_of_one_worker_lose_nothing(guarantee: str, tmp_path: Path) -> None:
    result = _run(guarantee, tmp_path, workers=1, kills=3)
    _assert_delivered(result, guarantee, 3)


# In `make test` since round 16 (its revocation repeat and fenced-producer crash fixed; 169-233 s
# at load 11-17); the three-kill exactly_once case stays out for the suite's time.
def test_two_workers_one_killed_its_partitions_move_exactly_once(tmp_path: Path) -> None:
    # A kill in the first half: one late in the run (seed 987548: ordered at 131 of 150, landed at
    # 143) leaves too few articles for every partition to move again, though nothing is lost.
    result = _run("exactly_once", tmp_path, workers=2, kills=1, last=0.5)
    _assert_delivered(result, "exactly_once", 1)
    # The survivor took the dead worker's partitions: every enriched partition moved again.
    assert result["kills"][0]["stood_still_s"] is not None, format_result(result)
