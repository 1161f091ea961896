"""Dates the parse separates from the act they date: a day number NER leaves outside the date
("Around 7 May 2020" tagged "May 2020") and a date that opens coordinated acts ("On 3 March, a
sniper shot and killed a policeman")."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from pipeline.extract import Extraction
from pipeline.extract.dates import is_month

PUBLISHED = datetime(2020, 5, 9, 12, tzinfo=UTC)


def dates(extract: Callable[..., Extraction], text: str) -> list[tuple[str, str, str, str]]:
    events = extract(text, published=PUBLISHED).events
    return [
        (
            e.trigger.text,
            e.when.date,
            e.when.time_precision,
            e.when.span.text if e.when.span else "",
        )
        for e in events
        if e.when is not None
    ]


def test_month_names() -> None:
    assert all(is_month(w) for w in ("May", "Sept.", "january", "Dec"))
    assert not any(is_month(w) for w in ("Mayor", "Marching", "Decent", "7"))


def test_the_day_number_left_outside_the_date_is_kept(extract: Callable[..., Extraction]) -> None:
    found = dates(
        extract,
        "Around 7 May 2020 (as reported), Turkish Army Forces killed 4 PKK militants during "
        "airstrikes in Zap.",
    )
    assert found and all(d == "2020-05-07" and p == "day" for _, d, p, _ in found)


def test_coordinated_acts_share_the_opening_date(extract: Callable[..., Extraction]) -> None:
    found = dates(
        extract,
        "On 3 March 2020, a Taliban sniper shot and killed 1 policeman, in Kharki of Garmsir "
        "district, Helmand.",
    )
    killed = [f for f in found if f[0] == "killed"]
    assert killed == [("killed", "2020-03-03", "day", "3 March 2020")]


def test_a_date_that_opens_the_sentence_dates_its_acts(extract: Callable[..., Extraction]) -> None:
    # the parse hangs the date on "coded" inside the brackets
    found = dates(
        extract,
        "On 8 May 2020, pro-Hadi forces led by Ash Shajiri (coded as Amajid brigades) reportedly "
        "clashed with Al Bujayri tribes in Abyan governorate.",
    )
    assert ("clashed", "2020-05-08", "day", "8 May 2020") in found
    # a date after the opening words opens nothing: the act keeps the publication day
    later = dates(
        extract, "Forces clashed with tribesmen in Abyan. The talks of 8 May 2020, failed."
    )
    assert ("clashed", "2020-05-09", "day", "") in later
