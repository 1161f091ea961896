"""A crash that cuts the link stage's writes for a mention *linked* to an existing event (the
event updated but not the memo, or the reverse): the redelivered mention gives the records a
clean run gave (same version, same ``new_event``) and leaves the store as that run left it."""

from __future__ import annotations

from datetime import timedelta

from pipeline.link import LinkConfig, LinkOutcome, LinkStage
from schemas import Event
from tests.unit.link.factory import ALEPPO_PROVINCE, JABAL_BADRO, SAKHOUR, T0, day, event, month
from tests.unit.link.journal import Journal, restored
from tests.unit.link.test_link_incidents import report


def _records(outcome: LinkOutcome) -> list[tuple[object, ...]]:
    """What the link agent publishes for an outcome, and the kind it counts."""
    return [
        (one.kind, one.linked.to_dict(), one.mention.to_dict() if one.mention else None)
        for one in outcome.every()
    ]


def _every_cut_gives_the_same(before: list[Event], redelivered: Event) -> LinkOutcome:
    """Process ``before`` and then ``redelivered``; restore the store cut after each write of
    the last one and process it again: the same records and the same store every time."""
    clean = Journal()
    stage = LinkStage(LinkConfig(), clean)
    for one in before:
        stage.process(one)
    start = len(clean.writes)
    first = stage.process(redelivered)
    assert len(clean.writes) - start >= 3
    for cut in range(start, len(clean.writes)):
        store = restored(clean.writes[:cut])
        again = LinkStage(LinkConfig(), store).process(redelivered)
        assert _records(again) == _records(first), f"cut after {cut - start} writes"
        assert store == clean.data, f"cut after {cut - start} writes"
    # and once it is all written, a redelivery is a repeat with the same records
    repeat = LinkStage(LinkConfig(), restored(clean.writes)).process(redelivered)
    assert [r[1:] for r in _records(repeat)] == [r[1:] for r in _records(first)]
    assert {one.kind for one in repeat.every()} == {"repeat"}
    return first


def test_a_mention_of_a_new_article_cut_part_way_links_again_alike() -> None:
    first = _every_cut_gives_the_same([event("m1", article="a1")], event("m2", article="a2"))
    assert first.kind == "linked" and first.linked.version == 2
    assert first.mention is not None and first.mention.new_event is False


def test_a_second_mention_of_one_article_cut_part_way_stays_without_a_mention_record() -> None:
    first = _every_cut_gives_the_same(
        [event("m1", article="a1")], event("m2", article="a1", trigger="seized")
    )
    assert first.kind == "linked" and first.mention is None
    assert (first.linked.num_mentions, first.linked.num_articles) == (2, 1)


def test_a_precision_upgrade_cut_part_way_is_refiled_alike() -> None:
    vague = event(
        "m1", place=ALEPPO_PROVINCE, when=month("2016-11-01"), published=T0 + timedelta(1)
    )
    first = _every_cut_gives_the_same(
        [vague], event("m2", article="a2", place=SAKHOUR, when=day("2016-11-27"))
    )
    assert first.kind == "linked" and first.mention is not None
    assert set(first.mention.changed_fields) == {"place", "when"}


def test_a_link_that_also_expires_old_events_cut_part_way_expires_them_alike() -> None:
    old = event("x1", article="a0", place=JABAL_BADRO)
    recent = event("y1", article="a1", published=T0 + timedelta(days=20), when=day("2016-12-17"))
    later = event("y2", article="a2", published=T0 + timedelta(days=31), when=day("2016-12-17"))
    first = _every_cut_gives_the_same([old, recent], later)
    assert first.kind == "linked" and first.linked.event_id == "y1"


def test_a_report_of_two_incidents_cut_part_way_gives_the_same_records() -> None:
    earlier = report("e0", "Regime forces shelled Sfuhen in Idlib province.", "shelled")
    both = report("e1", "Regime forces shelled Kansafra and Sfuhen in Idlib province.", "shelled")
    first = _every_cut_gives_the_same([earlier], both)
    assert [one.kind for one in first.every()] == ["new", "linked"]
