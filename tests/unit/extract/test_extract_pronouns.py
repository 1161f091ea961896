"""Subject pronouns stand for an agreeing subject of their governing clause or of the two
sentences before (pipeline/extract/pronouns.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from pipeline.extract import Extraction

pytestmark = pytest.mark.model

Extract = Callable[..., Extraction]


def _actor1(x: Extraction, trigger: str) -> tuple[str | None, str | None, float] | None:
    event = next(e for e in x.events if e.trigger.text == trigger)
    a = event.actor1
    return (a.name, a.cameo, a.confidence) if a else None


def test_he_is_the_person_who_was_the_last_sentences_subject(extract: Extract) -> None:
    x = extract(
        "Nepal's Prime Minister KP Sharma Oli criticised the opposition on Monday. "
        "He accused its leaders of spreading rumours."
    )
    first, second = _actor1(x, "criticised"), _actor1(x, "accused")
    assert first is not None and second is not None
    assert first[1] is not None and first[1].startswith("NPL")
    assert second[:2] == ("He", first[1])
    assert second[2] < first[2]  # inferred, so less sure than the name itself
    event = next(e for e in x.events if e.trigger.text == "accused")
    assert event.actor1 is not None and event.actor1.span is not None
    assert event.actor1.span.text == "He"  # the evidence is the pronoun, where it stands


def test_they_needs_several_and_it_needs_one_organisation(extract: Extract) -> None:
    x = extract(
        "The Election Commission criticised the parties on Sunday. "
        "It accused the Congress of spreading lies."
    )
    criticised, accused = _actor1(x, "criticised"), _actor1(x, "accused")
    assert criticised is not None and accused is not None
    assert accused[:2] == ("It", criticised[1])
    x = extract(
        "The Election Commission criticised the parties on Sunday. "
        "They accused the Congress of spreading lies."
    )
    assert _actor1(x, "accused") is None  # one commission is not "they"


def test_the_governing_clause_comes_first(extract: Extract) -> None:
    x = extract(
        "Israeli troops shelled the town on Monday. France said on Tuesday it condemned the attack."
    )
    assert _actor1(x, "condemned")[1] == "FRA"  # type: ignore[index]


def test_a_pronoun_too_far_back_or_in_the_first_sentence_stays_unknown(extract: Extract) -> None:
    x = extract("He criticised the government on Monday.")
    assert _actor1(x, "criticised") is None
    x = extract(
        "Nepal's Prime Minister KP Sharma Oli criticised the opposition on Monday. "
        "The weather was fine. The roads were open. He accused its leaders of lying."
    )
    assert _actor1(x, "accused") is None


def test_a_woman_is_not_a_later_he(extract: Extract) -> None:
    x = extract(
        "Lithuanian Defence Minister Dovile Sakaliene spoke to reporters on Monday. "
        "She criticised Russia. He condemned the attack."
    )
    assert _actor1(x, "criticised") is not None
    assert _actor1(x, "condemned") is None


def _actor2(x: Extraction, trigger: str) -> str | None:
    event = next(e for e in x.events if e.trigger.text == trigger)
    return event.actor2.cameo if event.actor2 else None


def test_an_object_pronoun_is_never_who_does_its_verb(extract: Extract) -> None:
    x = extract(
        "The BJP has challenged INDIA bloc parties to dissolve their state assemblies if they "
        "doubt the Election Commission's fairness, accusing them of protesting the roll revision."
    )
    assert _actor2(x, "accusing") == "INDOPP"  # the parties, not the BJP that accuses


def test_him_is_the_person_of_the_governing_clause(extract: Extract) -> None:
    x = extract("The CEO of Intel met with Trump soon after Trump criticised him.")
    met = next(e for e in x.events if e.trigger.text == "met")
    assert met.actor1 is not None and met.actor1.type == "business"
    assert _actor2(x, "criticised") == met.actor1.cameo  # the CEO, not Trump who criticises


def test_a_things_pronoun_owner_is_the_target(extract: Extract) -> None:
    x = extract(
        "Rahul Gandhi has alleged voter manipulation, though the Election Commission disputes "
        "his interpretation."
    )
    alleged = next(e for e in x.events if e.trigger.text == "alleged")
    assert alleged.actor1 is not None
    assert _actor2(x, "disputes") == alleged.actor1.cameo  # Gandhi's interpretation
    x = extract("Rahul Gandhi defended his remarks on Monday.")
    assert all(e.actor2 is None for e in x.events)  # his own: no target


def test_they_after_a_fragment_headline_is_its_group(extract: Extract) -> None:
    x = extract(
        "Opposition MPs, led by Mallikarjun Kharge, protested at Parliament against the Election "
        "Commission's voter roll revision in Bihar, alleging voter disenfranchisement. "
        "They raised slogans and displayed banners.",
        published=datetime(2025, 8, 15, tzinfo=UTC),
    )
    protested, alleging, slogans = (
        _actor1(x, t) for t in ("protested", "alleging", "raised slogans")
    )
    assert protested is not None and alleging is not None and slogans is not None
    assert protested[1] == alleging[1] == slogans[1] == "INDOPP"
    assert slogans[0] == "They"
