"""Events the model proposes where the lexicon has no trigger (``event_proposals``)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import spacy

from pipeline.extract import Extraction, Extractor
from pipeline.extract.event_model import SHIPPED_MODEL, EventModel, load_model
from pipeline.extract.event_proposals import PROPOSED_CONFIDENCE, candidates, propose
from pipeline.extract.event_triggers import proposed_triggers


@pytest.fixture(scope="module")
def model() -> EventModel:
    return load_model(SHIPPED_MODEL)


def test_candidates_are_verbs_and_headline_nouns() -> None:
    nlp = spacy.blank("en")
    doc = nlp("Clashes erupt")
    doc[0].pos_, doc[0].dep_ = "NOUN", "ROOT"
    doc[1].pos_, doc[1].dep_ = "VERB", "acl"
    assert [t.text for t in candidates(doc[:])] == ["Clashes", "erupt"]
    doc[0].dep_ = "nsubj"  # "the company moved": a subject noun is who, not the act
    assert [t.text for t in candidates(doc[:])] == ["erupt"]


def test_proposals_are_ranked_and_thresholded(model: EventModel) -> None:
    nlp = spacy.blank("en")
    doc = nlp("Rioters hurled stones")
    for token, pos, dep in zip(
        doc, ("NOUN", "VERB", "NOUN"), ("nsubj", "ROOT", "dobj"), strict=True
    ):
        token.pos_, token.dep_ = pos, dep
    found = propose(model, doc[:], doc.text, 0.0, 1.01)
    assert found and [p.probability for p in found] == sorted(
        (p.probability for p in found), reverse=True
    )
    assert all(p.event_type for p in found)  # "no ACLED type" never proposes an event
    assert all(p.code.endswith("0") and len(p.code) == 3 for p in found)
    assert propose(model, doc[:], doc.text, 1.01, 1.01) == []  # nothing is that sure


def test_an_act_the_lexicon_lacks_becomes_a_factual_event(
    extract: Callable[..., Extraction],
) -> None:
    events = extract(
        "On 8 May, rioters lobbed a Molotov cocktail at a bank branch in Tripoli."
    ).events
    assert [(e.event_type, e.trigger.text, e.factual) for e in events] == [
        ("Riots", "lobbed", True)
    ]
    # below what a lexicon trigger of the same probability would be given
    assert events[0].confidence < 0.85 * PROPOSED_CONFIDENCE / 0.8


def test_no_proposal_beside_an_event_the_rules_found_or_in_business_news(
    extract: Callable[..., Extraction],
) -> None:
    events = extract(
        "Troops shelled Homs on Sunday. Rioters lobbed a Molotov cocktail at a bank."
    ).events
    assert [e.trigger.text for e in events] == ["shelled"]
    assert extract("The company reported higher quarterly profits on Tuesday.").events == []


def test_a_proposed_trigger_carries_the_type_it_was_proposed_for(
    extractor: Extractor, model: EventModel
) -> None:
    doc = extractor.nlp("On 8 May, rioters lobbed a Molotov cocktail at a bank in Tripoli.")
    proposed = proposed_triggers(doc, [], extractor.event_typer, extractor.lexicon.lemmas)
    sentence = next(iter(doc.sents))
    thresholds = extractor.event_typer.thresholds
    expected = propose(
        model,
        sentence,
        sentence.text,
        thresholds["propose_type"],
        thresholds["propose_none"],
        extractor.lexicon.lemmas,
    )
    assert [t.proposed_type for t in proposed[0]] == [p.event_type for p in expected]
    assert all(t.proposed_type for t in proposed[0])


def test_a_headline_noun_is_proposed(extract: Callable[..., Extraction]) -> None:
    events = extract("Clashes between rival clans over cattle in Marsabit.").events
    assert [(e.event_type, e.trigger.text, e.factual) for e in events] == [
        ("Battles", "Clashes", True)
    ]
