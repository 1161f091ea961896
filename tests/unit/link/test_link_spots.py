"""Linking keeps ACLED's unit: mentions naming different places (known or not) stay apart."""

from __future__ import annotations

from pipeline.link import LinkConfig, LinkStage
from pipeline.link.facts import Facts, spots_of, spots_overlap
from schemas import Event, Span
from tests.unit.link.factory import IDLIB_PROVINCE, strike


def said(event: Event, sentence: str, trigger: str) -> Event:
    """The event as reported by ``sentence`` (its trigger word found in it)."""
    start = sentence.index(trigger)
    event.sentence = Span(text=sentence, start=0, end=len(sentence))
    event.trigger = Span(text=trigger, start=start, end=start + len(trigger))
    return event


def shelling(event_id: str, village: str, *, article: str) -> Event:
    sentence = f"Regime forces shelled {village} in the southern countryside of Idlib province."
    return said(strike(event_id, IDLIB_PROVINCE, article=article), sentence, "shelled")


def test_spots_are_the_places_named_besides_the_resolved_one() -> None:
    event = shelling("e1", "Kansafra and its outskirts", article="a1")
    assert spots_of(event) == {"knsfr"}  # Idlib (the resolved province) is not a spot
    vague = said(strike("e2", IDLIB_PROVINCE), "War planes hit Idlib province.", "hit")
    assert spots_of(vague) == frozenset()
    possessive = said(strike("e3", IDLIB_PROVINCE), "Troops entered Idlib's Sfuhen.", "entered")
    assert spots_of(possessive) == {"sfhn"}
    assert spots_overlap(frozenset({"gjl"}), frozenset({"msl gjl"}))
    assert spots_overlap(frozenset({"jblbdr"}), frozenset({"jbl bdr"}))
    assert not spots_overlap(frozenset({"hlpl"}), frozenset({"hlplsk"}))  # whole words only
    assert not spots_overlap(frozenset({"tlrft"}), frozenset({"tlbyd"}))


def test_strikes_on_different_villages_of_one_province_are_different_events() -> None:
    stage = LinkStage(LinkConfig(), {})
    first = stage.process(shelling("e1", "Kansafra", article="a1")).linked.event_id
    other = stage.process(shelling("e2", "Sfuhen", article="a2")).linked.event_id
    again = stage.process(shelling("e3", "Kansafra", article="a3")).linked.event_id
    vague = said(strike("e4", IDLIB_PROVINCE, article="a4"), "Jets hit Idlib province.", "hit")
    assert other != first
    assert again == first  # the same village again: the same incident
    # A report naming no village may be either: it joins one (not a third event).
    assert stage.process(vague).linked.event_id in {first, other}


def test_facts_stored_before_spots_read_without_them() -> None:
    facts = Facts.from_list(
        ["Air/drone strike", "195", None, None, None, ["2016-11-29", "2016-11-29", "day", True]]
    )
    assert facts.spots == frozenset()
    assert Facts.from_list(facts.to_list()) == facts
