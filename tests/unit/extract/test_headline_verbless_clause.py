"""A headline clause of doer, act and object whose act the model reads as a noun or participle even
in the past tense ("ZANU-PF assaults civilians"): the act is set as the clause's verb."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pipeline.extract import Extraction, Extractor
from pipeline.extract.headlines import headline_rules, reparsed
from schemas.events import Event

Extract = Callable[..., Extraction]


def _main(x: Extraction) -> Event | None:
    return next((e for e in x.events if e.main), None)


@pytest.mark.model
def test_the_act_of_a_verbless_headline_is_the_root_verb(extractor: Extractor) -> None:
    verbs = frozenset({"assault", "abduct"})
    text = "ZANU-PF assaults civilians in Tarso"
    doc = extractor.nlp(text)
    assert doc[3].pos_ not in ("VERB", "AUX")  # the model's reading this rule is for
    new = reparsed(doc, extractor.nlp, verbs, headline_rules())
    assert new.text == text  # the article's words stay as written
    act = new[3]
    assert (act.text, act.pos_, act.dep_, act.lemma_) == ("assaults", "VERB", "ROOT", "assault")
    assert {(c.dep_, c.text) for c in act.children} >= {("nsubj", "PF"), ("dobj", "civilians")}
    assert new[0].pos_ == "PROPN"  # the party's initials are its name, not a verb


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "trigger", "doer", "target"),
    [
        ("ZANU-PF assaults civilians in Tarso", "assaults", "ZANU-PF", "civilians"),
        ("CIO assault journalists", "assault", "CIO", "journalists"),
        ("ZANU-PF abducts MDC councillor", "abducts", "ZANU-PF", "MDC councillor"),
        ("KANU youths assaults traders in Tarso", "assaults", "KANU youths", "traders"),
    ],
)
def test_a_verbless_headline_gives_its_event(
    extract: Extract, text: str, trigger: str, doer: str, target: str
) -> None:
    event = _main(extract(text))
    assert event is not None, text
    assert event.factual
    assert event.trigger.text == trigger
    assert text[event.trigger.start : event.trigger.end] == trigger
    assert event.actor1 is not None and event.actor1.name == doer
    assert event.actor2 is not None and event.actor2.name == target


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "word"),
    [
        # a verb of its own: "attack" names the helicopters
        ("Army attack helicopters arrive in Tarso", "attack"),
        # a label before a colon, not an act with an object
        ("Police raids: 20 arrested in Tarso", "raids"),
    ],
)
def test_an_act_word_in_a_clause_with_another_verb_or_no_object_stays(
    extract: Extract, text: str, word: str
) -> None:
    assert not any(e.trigger.text == word for e in extract(text).events), text
