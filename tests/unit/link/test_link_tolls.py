"""Round 12 linking rule: tolls of one kind that cannot be one incident's (one outlet's two
counts on one day; a later report's lower count) are two incidents; a rising toll still links."""

from __future__ import annotations

from datetime import UTC, date, datetime

from pipeline.link import LinkConfig, LinkStage
from pipeline.link.facts import Facts, Toll, tolls_of
from schemas import Event
from tests.unit.link.factory import SARAQIB, strike
from tests.unit.link.test_link_spots import said

DAY1 = datetime(2016, 11, 29, 14, tzinfo=UTC)
DAY2 = datetime(2016, 11, 30, 14, tzinfo=UTC)


def _attack(event_id: str, sentence: str, *, source: str = "Reuters", on: datetime = DAY1) -> Event:
    event = strike(event_id, SARAQIB, article=event_id, source=source, published=on)
    return said(event, sentence, "attacked")


def _counts(event: Event) -> set[tuple[str, str, int]]:
    day = (event.published or DAY1).date()
    return {(t.outcome, t.kind, t.count) for t in tolls_of(event, source="s", day=day)}


def test_tolls_are_read_next_to_their_outcome() -> None:
    assert _counts(_attack("e1", "Militants attacked a post, killing 3 soldiers.")) == {
        ("killed", "military", 3)
    }
    assert _counts(
        _attack("e2", "Militants attacked; at least 2 Afghan soldiers were killed.")
    ) == {("killed", "military", 2)}
    passive = _attack("e3", "3 soldiers were killed and 3 were wounded when militants attacked.")
    assert _counts(passive) == {("killed", "military", 3)}  # "3 were wounded": of no kind
    both = _attack("e4", "7 policemen were killed and wounded when militants attacked.")
    assert _counts(both) == set()  # one count of two outcomes
    members = _attack("e5", "The Koglweogo attacked and killed 18 members of the community.")
    assert _counts(members) == {("killed", "people", 18)}
    words = _attack("e6", "Gunmen attacked the village, killing two civilians.")
    assert _counts(words) == {("killed", "civilians", 2)}


def test_one_outlets_different_counts_on_one_day_are_two_incidents() -> None:
    stage = LinkStage(LinkConfig(), {})
    first = stage.process(_attack("e1", "Militants attacked, killing 3 soldiers.")).linked.event_id
    other = _attack("e2", "Militants attacked a checkpoint, killing 2 soldiers.")
    assert stage.process(other).linked.event_id != first
    same = _attack("e3", "Militants attacked a post and killed 3 soldiers.")
    assert stage.process(same).linked.event_id == first


def test_a_rising_toll_still_links_and_a_falling_one_does_not() -> None:
    stage = LinkStage(LinkConfig(), {})
    first = stage.process(_attack("e1", "Militants attacked, killing 3 soldiers.")).linked.event_id
    # another outlet the same day, and the next day's higher toll: one incident
    agency = _attack("e2", "Militants attacked, killing 4 soldiers.", source="AFP")
    assert stage.process(agency).linked.event_id == first
    later = _attack("e3", "Militants attacked, killing 6 soldiers.", source="AP", on=DAY2)
    assert stage.process(later).linked.event_id == first
    fewer = _attack("e4", "Militants attacked, killing 2 soldiers.", source="BBC", on=DAY2)
    assert stage.process(fewer).linked.event_id != first


def test_tolls_survive_the_store() -> None:
    toll = Toll("killed", "military", 3, "Reuters", date(2016, 11, 29))
    old = Facts.from_list(["", "", None, None, None, ["2016-11-29", "2016-11-29", "day", True]])
    assert old.tolls == frozenset()  # stored before tolls: none
    facts = Facts("Attack", "190", None, None, None, old.dates, tolls=frozenset({toll}))
    assert Facts.from_list(facts.to_list()) == facts
