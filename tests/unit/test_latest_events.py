"""The events page's memory: newest version per event, bounded, handed to live listeners."""

from __future__ import annotations

import asyncio

from agents.latest_events import LatestEvents, page_row
from pipeline.link import LinkConfig, LinkStage
from schemas import LinkedEvent
from tests.unit.link.factory import JABAL_BADRO, SARAQIB, event, strike


def linked() -> list[LinkedEvent]:
    """Three linked events, the first in two versions (a second report joined it)."""
    s = LinkStage(LinkConfig(), {})
    return [
        s.process(event("m1", article="nnn", source="Nam News Network")).linked,
        s.process(event("m2", article="reuters", source="Reuters")).linked,
        s.process(event("m3", place=JABAL_BADRO, article="a3")).linked,
        s.process(strike("s1", SARAQIB, article="a4")).linked,
    ]


def test_a_row_has_what_the_page_shows() -> None:
    row = page_row(linked()[1])
    assert row["id"] == "m1" and row["version"] == 2
    assert row["sources"] == ["Nam News Network", "Reuters"] and row["num_articles"] == 2
    assert row["country_code"] == "SY" and row["country"] == "Syria"
    assert row["country_numeric"] == "760"  # world-atlas's id of Syria
    assert row["lat"] is not None and row["lon"] is not None
    assert row["sentence"] and row["date"]


def test_keeps_the_newest_version_of_the_latest_events() -> None:
    first, second, badro, saraqib = linked()
    store = LatestEvents(size=2)
    for e in (first, second, first, badro):  # a redelivered older version comes in between
        store.add(e)
    rows = {r["id"]: r["version"] for r in store.rows()}
    assert rows == {"m1": 2, "m3": 1}
    store.add(saraqib)
    assert [r["id"] for r in store.rows()] == ["m3", "s1"], "the oldest update is dropped"


async def test_listeners_get_new_events_and_are_ended_on_close() -> None:
    first, second, *_ = linked()
    store = LatestEvents(size=10, queue_size=1)
    queue = store.listen()
    store.add(first)
    assert (await queue.get()) == page_row(first)
    slow = store.listen()
    store.add(second)
    assert queue.get_nowait() == page_row(second)
    store.add(second)  # the slow listener has not read: it is let go, told by None
    assert slow.get_nowait() is None
    assert queue.get_nowait() == page_row(second)
    store.close()
    assert await asyncio.wait_for(queue.get(), 1) is None
