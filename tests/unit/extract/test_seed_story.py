"""The seed story (Nam News Network, Aleppo, November 2016): what an analyst codes from it.

The expectations are ../shared/samples/aleppo-sakhour.expected.md; the text is the committed copy in
tests/data, so this test runs on a fresh clone too.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from pipeline.extract import ArticleText, Extraction, Extractor
from schemas import Event

pytestmark = pytest.mark.model

TEXT = (Path(__file__).resolve().parents[2] / "data" / "aleppo-sakhour.txt").read_text(
    encoding="utf-8"
)
ALEPPO = (36.20, 37.16)


@pytest.fixture(scope="module")
def seed(extractor: Extractor) -> Extraction:
    article = ArticleText(
        "seed-aleppo",
        TEXT,
        published=datetime(2016, 11, 28, 6, 0, tzinfo=UTC),
        source="Nam News Network",
        url="http://www.namnewsnetwork.org/aleppo",
    )
    return extractor.extract(article)


def _event(seed: Extraction, trigger: str, sentence_fragment: str) -> Event:
    found = [
        e
        for e in seed.events
        if e.trigger.text.startswith(trigger) and sentence_fragment in e.sentence.text
    ]
    assert found, (
        f"no {trigger!r} event in: {[(e.trigger.text, e.sentence.text[:40]) for e in seed.events]}"
    )
    return found[0]


def _near_aleppo(event: Event) -> None:
    assert event.place is not None
    assert event.place.latitude is not None and event.place.longitude is not None
    assert abs(event.place.latitude - ALEPPO[0]) <= 0.1
    assert abs(event.place.longitude - ALEPPO[1]) <= 0.1


def _spans_are_exact(event: Event) -> None:
    spans = [event.trigger, event.sentence]
    for part in (event.actor1, event.actor2, event.place, event.when, event.attribution):
        if part is not None and part.span is not None:
            spans.append(part.span)
    for span in spans:
        assert TEXT[span.start : span.end] == span.text


def test_language_and_sentences(seed: Extraction) -> None:
    assert seed.language == "en"
    assert seed.sentences >= 14


def test_event_1_recapture_of_sakhour(seed: Extraction) -> None:
    e = _event(seed, "recaptured", "The Syrian army successfully recaptured")
    assert e.factual and e.modality == "asserted"
    assert e.event_type == "Battles" and e.sub_event_type == "Government regains territory"
    assert e.cameo_root == "19"
    assert e.actor1 is not None
    assert e.actor1.normalized == "Syrian army"
    assert (e.actor1.type, e.actor1.country, e.actor1.cameo) == ("state_military", "SYR", "SYRMIL")
    assert e.actor2 is not None and e.actor2.type == "rebels"
    assert e.place is not None and e.place.name == "Sakhour" and e.place.geo_precision == 2
    assert e.place.parent == "Aleppo"
    _near_aleppo(e)
    assert e.when is not None and (e.when.date, e.when.time_precision) == ("2016-11-27", "day")
    assert e.when.span is not None and e.when.span.text == "Sunday"
    assert e.attribution is not None and e.attribution.text == "a military source"
    assert e.attribution.kind == "source"
    assert e.source == "Nam News Network"
    _spans_are_exact(e)


def test_event_2_regained_control_over_jabal_badro(seed: Extraction) -> None:
    e = _event(seed, "regained", "Military forces and allied fighters")
    assert e.factual and e.cameo_root == "19"
    assert e.event_type == "Battles" and e.sub_event_type == "Government regains territory"
    assert e.actor1 is not None and e.actor1.name == "Military forces and allied fighters"
    assert (e.actor1.type, e.actor1.country) == ("state_military", "SYR")
    assert e.actor1.members == ["Syrian army", "pro-government militia"]
    assert e.actor2 is not None and e.actor2.type == "rebels"
    assert e.place is not None and e.place.name == "Jabal Badro" and e.place.geo_precision == 2
    _near_aleppo(e)
    assert e.when is not None and (e.when.date, e.when.time_precision) == ("2016-11-27", "day")
    assert e.attribution is not None and e.attribution.text == "the source"
    _spans_are_exact(e)


def test_event_3_capture_of_masaken_hanano_the_day_before(seed: Extraction) -> None:
    e = _event(seed, "capturing", "Military forces and allied fighters")
    assert e.factual and e.cameo_root == "19"
    assert e.event_type == "Battles" and e.sub_event_type == "Government regains territory"
    assert e.actor1 is not None and e.actor1.name == "Military forces and allied fighters"
    assert (e.actor1.type, e.actor1.country) == ("state_military", "SYR")
    assert e.actor2 is not None and e.actor2.type == "rebels"
    assert e.place is not None and e.place.name == "Masaken Hanano" and e.place.geo_precision == 2
    _near_aleppo(e)
    assert e.when is not None and (e.when.date, e.when.time_precision) == ("2016-11-26", "day")
    assert e.when.span is not None and e.when.span.text == "the day before"
    assert e.attribution is not None and e.attribution.text == "the source"
    _spans_are_exact(e)


def test_event_4_war_planes_targeting_rebels(seed: Extraction) -> None:
    e = _event(seed, "targeting", "Syrian war planes")
    assert e.factual and e.cameo_root == "19" and e.cameo_code == "195"
    assert e.event_type == "Explosions/Remote violence" and e.sub_event_type == "Air/drone strike"
    assert e.actor1 is not None and e.actor1.normalized == "Syrian air force"
    assert (e.actor1.type, e.actor1.country) == ("state_military", "SYR")
    assert e.actor2 is not None and e.actor2.name == "rebels" and e.actor2.type == "rebels"
    assert e.place is not None and e.place.name == "Sakhour" and e.place.geo_precision == 2
    _near_aleppo(e)
    assert e.when is not None and (e.when.date, e.when.time_precision) == ("2016-11-27", "day")
    assert e.attribution is not None and "al-Mayadeen news agency" in e.attribution.text
    assert e.attribution.kind == "media"
    _spans_are_exact(e)


def test_event_5_advance_into_babdien(seed: Extraction) -> None:
    """A 'should': an ongoing clash, in a neighbourhood no gazetteer has (inferred place)."""
    e = _event(seed, "advancing", "currently advancing")
    assert e.factual and e.event_type == "Battles" and e.cameo_root == "19"
    assert e.actor1 is not None and (e.actor1.type, e.actor1.country) == ("state_military", "SYR")
    assert (
        e.actor2 is not None and e.actor2.type == "rebels" and e.actor2.confidence < 0.5
    )  # inferred
    assert e.place is not None and e.place.name == "Babdien" and e.place.geo_precision == 2
    assert e.place.parent == "Aleppo"
    _near_aleppo(e)
    assert e.when is not None and e.when.date == "2016-11-27"
    assert e.attribution is not None and e.attribution.text == "The source"


def test_event_6_urging_rebels_to_leave(seed: Extraction) -> None:
    """A 'should': a demand by the Syrian government and Russia, month precision ("For months")."""
    e = _event(seed, "urging", "For months")
    assert e.factual and e.cameo_root == "10"
    assert e.actor1 is not None and e.actor1.normalized == "Syrian government and Russia"
    assert e.actor1.type == "government" and e.actor1.country == "SYR"
    assert e.actor2 is not None and e.actor2.type == "rebels"
    assert e.place is not None and e.place.name == "Aleppo"
    assert e.when is not None and e.when.time_precision == "month"
    assert e.attribution is not None and e.attribution.kind == "article"


def test_event_7_rebels_turned_down_offers(seed: Extraction) -> None:
    """A 'should': a rejection whose target is whoever made the offers (the previous sentence)."""
    e = _event(seed, "turned down", "turned down all offers")
    assert e.factual and e.cameo_root == "12"
    assert e.actor1 is not None and e.actor1.type == "rebels"
    assert e.actor2 is not None and e.actor2.normalized == "Syrian government and Russia"
    assert e.when is not None and e.when.time_precision == "month"


@pytest.mark.parametrize(
    ("trigger", "fragment"),
    [
        ("liberate", "we will liberate all of Aleppo"),
        ("back down", "would back down"),
        ("set free", "will be set free"),
        ("set free", "aim to set free"),
        ("fight", "determination to fight"),
    ],
)
def test_promises_threats_and_hypotheticals_are_not_facts(
    seed: Extraction, trigger: str, fragment: str
) -> None:
    for e in seed.events:
        if fragment in e.sentence.text and e.trigger.text.startswith(trigger):
            assert not e.factual, f"{trigger!r} coded as a fact"
            assert e.modality in ("future", "hypothetical", "negated", "conditional")


def test_no_factual_event_from_the_future_or_negated_clauses(seed: Extraction) -> None:
    forbidden = ("will liberate", "would back down", "will not leave", "will be set free")
    for e in seed.events:
        if any(f in e.sentence.text for f in forbidden) and e.factual:
            # a factual event in such a sentence must come from another clause of it
            assert not any(f.split()[-1] in e.trigger.text for f in forbidden), e.trigger.text


def test_every_span_is_exact_and_every_confidence_in_range(seed: Extraction) -> None:
    for e in seed.events:
        _spans_are_exact(e)
        values = [e.confidence]
        for part in (e.actor1, e.actor2, e.place, e.when, e.attribution):
            if part is not None:
                values.append(part.confidence)
        assert all(0.0 <= v <= 1.0 for v in values)
        assert e.event_id.startswith("e") and e.source == "Nam News Network"


def test_event_ids_are_stable(extractor: Extractor, seed: Extraction) -> None:
    again = extractor.extract(
        ArticleText(
            "seed-aleppo",
            TEXT,
            published=datetime(2016, 11, 28, 6, 0, tzinfo=UTC),
            source="Nam News Network",
        )
    )
    assert [e.event_id for e in again.events] == [e.event_id for e in seed.events]
    assert len({e.event_id for e in seed.events}) == len(seed.events)


def test_entities_include_the_places_ner_mislabels(seed: Extraction) -> None:
    labelled = {(ent.text, ent.label) for ent in seed.entities}
    for place in ("Sakhour", "Jabal Badro", "Masaken Hanano", "Aleppo"):
        assert (place, "PLACE") in labelled
    assert ("Russia", "GPE") in labelled
    assert ("Idlib", "GPE") in labelled or ("Idlib", "PLACE") in labelled
    for ent in seed.entities:
        assert TEXT[ent.start : ent.end] == ent.text


def test_events_survive_the_wire(seed: Extraction) -> None:
    """Every event serialises to JSON that the strict schema decoder accepts, unchanged."""
    from schemas.decode import decode

    for event in seed.events:
        decoded = decode(Event, event.to_json_bytes())
        assert decoded.to_dict() == event.to_dict()
