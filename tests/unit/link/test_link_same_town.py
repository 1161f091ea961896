"""Two incidents in one town that nothing but the town joins stay apart: no part of the town in
common, no common day, no named actor 1, no kind of victim and no toll in common."""

from __future__ import annotations

from datetime import UTC, datetime

from pipeline.link import LinkConfig, LinkStage
from schemas import Actor, Event
from tests.unit.link.factory import HTS, SARAQIB, SYRIAN_ARMY, day, strike
from tests.unit.link.test_link_spots import said

GUNMEN = Actor(
    name="unknown gunmen", normalized="unidentified attackers", type="unknown", confidence=0.5
)


def at_saraqib(event_id: str, sentence: str, trigger: str, published: str, **kw: object) -> Event:
    fields: dict[str, object] = {
        "article": event_id,
        "source": f"outlet-{event_id}",
        "published": datetime.fromisoformat(published).replace(tzinfo=UTC),
        "actor1": GUNMEN,
        "actor2": None,
        "when": day(published[:10], explicit=False, confidence=0.3),
    }
    fields.update(kw)
    return said(strike(event_id, SARAQIB, **fields), sentence, trigger)  # type: ignore[arg-type]


def test_a_next_day_report_with_nothing_in_common_is_another_incident() -> None:
    stage = LinkStage(LinkConfig(), {})
    first = at_saraqib(
        "e1", "Gunmen opened fire on houses in Saraqib on Sunday.", "opened fire",
        "2016-11-27T18:00", when=day("2016-11-27"),
    )  # fmt: skip
    later = at_saraqib(
        "e2", "2 soldiers were killed in Saraqib.", "killed", "2016-11-28T09:00",
        actor1=None, actor2=SYRIAN_ARMY,
    )  # fmt: skip
    # the morning after, undated, another actor pair: nothing confirms one incident
    assert stage.process(first).linked.event_id == "e1"
    assert stage.process(later).linked.event_id == "e2"
    # both undated, one day apart: "kill a man" and "injure a boy"
    man = at_saraqib("e3", "Gunmen killed a man in Saraqib.", "killed", "2016-12-03T10:00")
    boy = at_saraqib("e4", "Gunmen injured a boy in Saraqib.", "injured", "2016-12-04T10:00")
    assert stage.process(man).linked.event_id == "e3"
    assert stage.process(boy).linked.event_id == "e4"


def test_what_confirms_one_incident_in_a_town() -> None:
    stage = LinkStage(LinkConfig(), {})
    first = at_saraqib(
        "e1", "A bomb exploded in Saraqib on Sunday, killing 5 people.", "exploded",
        "2016-11-27T18:00", when=day("2016-11-27"),
    )  # fmt: skip
    linked = stage.process(first).linked.event_id
    # another outlet the same day, no date: the same day
    same_day = at_saraqib("e2", "A bomb exploded in Saraqib.", "exploded", "2016-11-27T20:00")
    assert stage.process(same_day).linked.event_id == linked
    # next day, no date, the toll risen: the same incident
    risen = at_saraqib(
        "e3", "The bomb in Saraqib has killed 7 people.", "killed", "2016-11-28T09:00"
    )
    assert stage.process(risen).linked.event_id == linked
    # next day, no date, one named actor: the same incident
    stage = LinkStage(LinkConfig(), {})
    claimed = at_saraqib(
        "e4", "Nusra Front fighters attacked Saraqib on Sunday.", "attacked",
        "2016-11-27T18:00", when=day("2016-11-27"), actor1=HTS,
    )  # fmt: skip
    again = at_saraqib(
        "e5", "Nusra Front fighters attacked Saraqib.", "attacked", "2016-11-28T09:00",
        actor1=HTS,
    )  # fmt: skip
    assert stage.process(again).linked.event_id == stage.process(claimed).linked.event_id
