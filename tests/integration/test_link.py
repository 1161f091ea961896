"""Many reports, one event: linking through real workers, and across a restart."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path

import pytest

from agents.topics import ensure_topics
from tests.integration.helpers import read_topic_sync, worker_process
from tests.integration.test_dedup import article, publish
from wirestream_core.settings import Settings

pytestmark = pytest.mark.integration

DATA = Path(__file__).resolve().parents[1] / "data"
REPORTS = DATA / "eval" / "clusters" / "reports"


def report(name: str, source: str, published: str) -> object:
    a = article(f"https://{source.lower().replace(' ', '')}.example/{name}", "", source)
    a.content = (REPORTS / f"{name}.txt").read_text()
    a.published = a.fetched = datetime.fromisoformat(published.replace("Z", "+00:00"))
    return a


def sakhour(linked: list[tuple[str, dict[str, object]]]) -> list[dict[str, object]]:
    """Latest version of each linked recapture-of-Sakhour event (factual, CAMEO 19)."""
    latest = {k: v for k, v in linked}
    return [
        v
        for v in latest.values()
        if v["factual"]
        and v["cameo_root"] == "19"
        and v["event_type"] == "Battles"
        and (v.get("place") or {}).get("name") in ("Sakhour", "al-Sakhour")  # type: ignore[union-attr]
    ]


def test_a_second_agency_joins_the_event_after_a_worker_restart(
    settings: Settings, tmp_path: Path
) -> None:
    asyncio.run(ensure_topics(settings))
    nnn = report("nnn-aleppo-sakhour", "Nam News Network", "2016-11-28T06:00:00Z")
    reuters = report("reuters-aleppo-sakhour", "Reuters", "2016-11-27T16:48:00Z")
    first_worker = settings.model_copy(update={"data_dir": tmp_path / "w1"})
    with worker_process(first_worker, tmp_path / "w1.log"):
        asyncio.run(publish(settings, [nnn]))  # type: ignore[list-item]
        read_topic_sync(settings, "enriched-articles", until=1, timeout=120, idle=1)
        first = sakhour(read_topic_sync(settings, "events", idle=3))
    assert len(first) == 1, first
    (event,) = first
    assert event["num_articles"] == 1 and event["sources"] == ["Nam News Network"]

    # A new worker with an empty data dir: the link state comes back from the changelog.
    second_worker = settings.model_copy(update={"data_dir": tmp_path / "w2"})
    with worker_process(second_worker, tmp_path / "w2.log"):
        asyncio.run(publish(settings, [reuters]))  # type: ignore[list-item]
        read_topic_sync(settings, "enriched-articles", until=2, timeout=120, idle=1)
        after = sakhour(read_topic_sync(settings, "events", idle=3))
        mentions = read_topic_sync(settings, "mentions", idle=1)
    assert [e["event_id"] for e in after] == [event["event_id"]], "one Sakhour event, two reports"
    merged = after[0]
    assert merged["num_articles"] == 2 and merged["num_sources"] == 2
    assert merged["version"] > event["version"]
    own = [m for _, m in mentions if m["event_id"] == event["event_id"]]
    assert {m["source"] for m in own} == {"Nam News Network", "Reuters"}
    assert [m["new_event"] for m in sorted(own, key=lambda m: m["version"])] == [True, False]
