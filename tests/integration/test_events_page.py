"""The events page of a real worker in real headless Chromium: live table, map markers, filters."""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from agents.topics import ensure_topics
from tests.integration.helpers import read_topic_sync, worker_process
from tests.integration.test_dedup import publish
from tests.integration.test_link import report
from wirestream.broker import free_port
from wirestream_core.settings import Settings

pytestmark = pytest.mark.integration

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1400,900",
]


@pytest.fixture
def browser() -> Iterator[Any]:
    if CHROMIUM is None or CHROMEDRIVER is None:
        pytest.skip(
            "chromium and chromedriver are not installed (apt-get install chromium chromium-driver)"
        )
    webdriver = pytest.importorskip("selenium.webdriver")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="wirestream-chromium-")
    for flag in [*FLAGS, f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    # The driver is the Debian one: Selenium Manager must not download anything.
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(CHROMEDRIVER))
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _until(what: str, check: Callable[[], Any], timeout: float = 30) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


def _ids(driver: Any, css: str) -> set[str]:
    return set(
        driver.execute_script(
            "return [...document.querySelectorAll(arguments[0])].map(e => e.dataset.id)", css
        )
    )


def _set(driver: Any, element_id: str, value: str) -> None:
    """Set a filter control as a user would, firing its input event."""
    driver.execute_script(
        "const e = document.getElementById(arguments[0]); e.value = arguments[1];"
        "e.dispatchEvent(new Event('input'));",
        element_id,
        value,
    )


def test_events_appear_live_in_the_table_and_on_the_map_and_filters_hide_them(
    settings: Settings, tmp_path: Path, browser: Any
) -> None:
    settings = settings.model_copy(update={"web_enabled": True, "web_port": free_port()})
    asyncio.run(ensure_topics(settings))
    reports = [
        report("reuters-aleppo-sakhour", "Reuters", "2016-11-27T16:48:00Z"),
        report("reuters-bucharest-protest", "Reuters", "2017-02-05T21:00:00Z"),
    ]
    with worker_process(settings, tmp_path / "worker.log"):
        browser.get(f"http://127.0.0.1:{settings.web_port}/events/")
        _until("the stream", lambda: browser.find_element("id", "status").text == "live")
        assert _ids(browser, "tr.event") == set(), "a fresh worker has no events"
        # Published after the page opened: they must arrive without a reload.
        asyncio.run(publish(settings, reports))
        read_topic_sync(settings, "enriched-articles", until=2, timeout=120, idle=1)
        linked = {k: v for k, v in read_topic_sync(settings, "events", until=1, idle=3)}
        assert linked
        _until("every linked event in the table", lambda: _ids(browser, "tr.event") == set(linked))

        placed = {
            k for k, v in linked.items() if (v.get("place") or {}).get("latitude") is not None
        }
        assert placed, "some events have coordinates"
        assert _ids(browser, "#markers circle.marker") == placed
        assert len(_ids(browser, "#countries path")) > 150, "the bundled outlines are drawn"
        # Syria (760) and Romania (642) in world-atlas's ISO numeric ids.
        assert _ids(browser, "#countries path.has-events") == {"760", "642"}
        browser.find_element("css selector", "tr.event").click()
        evidence = browser.find_element("css selector", "tr.evidence").text
        first = browser.find_element("css selector", "tr.event").get_attribute("data-id")
        assert linked[first]["sentence"]["text"][:40] in evidence.replace("\n", " ")
        shot = tmp_path / "events-page.png"
        browser.save_screenshot(str(shot))
        assert shot.stat().st_size > 10_000
        if os.environ.get("WIRESTREAM_SCREENSHOT"):  # how docs/events-page.png is made
            shutil.copy(shot, os.environ["WIRESTREAM_SCREENSHOT"])

        def country(v: dict[str, Any]) -> str:
            return str((v.get("place") or {}).get("country_code") or "").upper()

        syria = {k for k, v in linked.items() if country(v) == "SY"}
        assert syria and syria != set(linked), "both stories' events are there"
        _set(browser, "f-country", "SY")
        _until("the country filter", lambda: _ids(browser, "tr.event") == syria)
        assert _ids(browser, "#markers circle.marker") == syria & placed
        _set(browser, "f-country", "")

        types = [v["event_type"] for v in linked.values() if v["event_type"]]
        chosen = max(sorted(set(types)), key=types.count)
        _set(browser, "f-type", chosen)
        expected = {k for k, v in linked.items() if v["event_type"] == chosen}
        assert expected != set(linked)
        _until("the type filter", lambda: _ids(browser, "tr.event") == expected)
        _set(browser, "f-type", "")

        confidences = sorted(v["confidence"] for v in linked.values())
        threshold = confidences[len(confidences) // 2]
        _set(browser, "f-conf", str(threshold))
        threshold = float(browser.find_element("id", "f-conf").get_attribute("value"))
        expected = {k for k, v in linked.items() if round(v["confidence"], 3) >= threshold}
        _until("the confidence filter", lambda: _ids(browser, "tr.event") == expected)
        _set(browser, "f-conf", "0")

        _set(browser, "f-from", "2017-01-01")
        expected = {k for k, v in linked.items() if _date(v) >= "2017-01-01"}
        assert expected != set(linked)
        _until("the date filter", lambda: _ids(browser, "tr.event") == expected)


def _date(v: dict[str, Any]) -> str:
    when = v.get("when")
    return str(when["date"] if when else v["first_seen"][:10])
