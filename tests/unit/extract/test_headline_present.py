"""Reports told in the headline present, and initials the model reads as a verb, are parsed again:
the act is found and the article's words stay as written."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pipeline.extract import Extraction, Extractor
from pipeline.extract.headlines import load_headline_rules, past_tense, swaps
from schemas.events import Event

Extract = Callable[..., Extraction]


def _main(x: Extraction) -> Event | None:
    return next((e for e in x.events if e.main), None)


def test_past_tense_of_regular_and_listed_verbs() -> None:
    rules = load_headline_rules()
    assert past_tense("attack", rules) == "attacked"
    assert past_tense("raze", rules) == "razed"
    assert past_tense("strike", rules) == "struck"
    assert past_tense("bury", rules) == "buried"


@pytest.mark.model
def test_a_headline_act_after_its_doer_is_an_event(extract: Extract) -> None:
    cases = {
        "Army units battle Kabila rebels near Tarso": ("battle", "Battles"),
        "Rebel fighters bomb Sirte port. No casualties reported.": (
            "bomb",
            "Explosions/Remote violence",
        ),
        "Herders from the north attack Dara villagers at a well in Tarso.": (
            "attack",
            "Violence against civilians",
        ),
        "Nurses of the district hospital protest outside the ministry in Tarso.": (
            "protest",
            "Protests",
        ),
    }
    for text, (trigger, event_type) in cases.items():
        x = extract(text)
        event = _main(x)
        assert event is not None, text
        assert event.factual, text
        assert (event.trigger.text, event.event_type) == (trigger, event_type), text
        # the evidence is the article's own word, not the past tense parsed in its place
        assert text[event.trigger.start : event.trigger.end] == trigger, text


@pytest.mark.model
def test_islamic_state_initials_are_a_name_not_the_verb_is(extract: Extract) -> None:
    text = "On 9 March 2020, IS militants killed a shepherd near Tarso."
    event = _main(extract(text))
    assert event is not None
    assert event.trigger.text == "killed"
    assert event.actor1 is not None and "IS" in event.actor1.name


@pytest.mark.model
def test_a_noun_that_names_no_act_stays_a_noun(extractor: Extractor, extract: Extract) -> None:
    # a strike here is the teachers' state, not an act told in the present: the headline rule must
    # not re-parse "strike" as a verb (the classifier may still propose the strike as a protest,
    # which is how ACLED codes strikes)
    x = extract("Teachers on strike over unpaid salaries.")
    assert not any(e.trigger.text.lower().startswith(("strike", "struck")) for e in x.events)
    assert not any(e.event_type and e.event_type != "Protests" for e in x.events)
    rules = load_headline_rules()
    verbs = frozenset({"attack", "strike", "march"})
    for text in (
        "The attack helicopter fleet of the air force.",  # no doer before it
        "Rebels attacked the town.",  # a verb already
    ):
        assert swaps(extractor.nlp(text), verbs, rules) == {}, text


@pytest.mark.model
def test_a_headline_label_before_a_colon_stays_a_noun(extractor: Extractor) -> None:
    rules = load_headline_rules()
    doc = extractor.nlp("Tarso protests: huge crowds rally against the decree")
    assert swaps(doc, frozenset({"protest"}), rules) == {}
