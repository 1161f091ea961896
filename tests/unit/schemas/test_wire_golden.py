"""The JSON on every topic is the JSON the faust.Record classes wrote: the golden file was
written by them (tests/unit/schemas/wire_samples.py on main before the records became
dataclasses), and the dataclass records must produce it byte for byte."""

from __future__ import annotations

from datetime import UTC, datetime

import faust
import pytest

from agents.codec import CODEC_NAME, register_codec
from schemas import TOPIC_RECORDS, Actor, LinkedEvent, RawArticle, Span, WireRecord
from schemas.decode import RecordError, decode
from tests.unit.schemas.wire_samples import FOREIGN, GOLDEN, samples

GOLDEN_LINES = [line.split("\t") for line in GOLDEN.read_text(encoding="utf-8").splitlines()]
GOLDEN_BYTES = {name: data.encode() for name, _, data in GOLDEN_LINES}
SAMPLES = samples()


def test_the_samples_cover_every_topic_record() -> None:
    assert {type(r) for r in SAMPLES.values()} >= set(TOPIC_RECORDS.values())
    assert set(GOLDEN_BYTES) == set(SAMPLES) | set(FOREIGN)


@pytest.mark.parametrize("name", list(SAMPLES))
def test_records_encode_to_the_golden_bytes(name: str) -> None:
    assert SAMPLES[name].to_json_bytes() == GOLDEN_BYTES[name]


@pytest.mark.parametrize("name", list(SAMPLES))
def test_the_faust_codec_sends_the_golden_bytes(name: str) -> None:
    # The path of topic.send(value=record): the app's serializer registry and our codec.
    register_codec()
    app = faust.App("wire-golden", autodiscover=False, value_serializer=CODEC_NAME)
    record = SAMPLES[name]
    sent = app.serializers.dumps_value(type(record), record, serializer=CODEC_NAME)
    assert sent == GOLDEN_BYTES[name]


@pytest.mark.parametrize("name", list(SAMPLES))
def test_golden_bytes_decode_and_encode_again_unchanged(name: str) -> None:
    record = SAMPLES[name]
    # the link state keeps records as parsed dicts and reads them back with from_data
    assert type(record).from_data(record.to_dict()).to_json_bytes() == GOLDEN_BYTES[name]
    if name == "raw-article-minimal":
        # a datetime without a UTC offset is not RFC 3339: the schema refuses it, as before
        with pytest.raises(RecordError, match="fetched must be date-time"):
            decode(type(record), GOLDEN_BYTES[name])
        return
    decoded = decode(type(record), GOLDEN_BYTES[name])
    assert decoded.to_dict() == record.to_dict()  # (a tuple in a sample decodes as a list)
    assert decoded.to_json_bytes() == GOLDEN_BYTES[name]


@pytest.mark.parametrize("name", list(FOREIGN))
def test_other_producers_values_decode_as_before(name: str) -> None:
    cls, data = FOREIGN[name]
    assert decode(cls, data.encode()).to_json_bytes() == GOLDEN_BYTES[name]


def test_fields_convert_what_they_are_given_as_faust_fields_did() -> None:
    actor = Actor(name="x", normalized="x", type="t", confidence=1, acled_class="3")  # type: ignore[arg-type]
    assert (actor.confidence, actor.acled_class) == (1.0, 3)
    assert type(actor.confidence) is float
    actor.confidence = 0  # assignment converts too
    assert type(actor.confidence) is float
    actor.country = None  # an optional field keeps None
    assert actor.country is None
    assert Span(text=5, start="0", end=1.7) == Span(text="5", start=0, end=1)  # type: ignore[arg-type]
    raw = RawArticle(article_id="a", feed_id="f", source="s", fetched="2016-11-27T08:30:15Z")  # type: ignore[arg-type]
    assert raw.fetched == datetime(2016, 11, 27, 8, 30, 15, tzinfo=UTC)


def test_none_for_a_field_with_a_default_means_the_default() -> None:
    raw = RawArticle(article_id="a", feed_id="f", source="s", fetched=datetime.now(UTC), title=None)  # type: ignore[arg-type]
    assert raw.title == "" and raw.schema_version == 1


def test_list_defaults_are_not_shared_between_records() -> None:
    one = Actor(name="x", normalized="x", type="t", confidence=0.5)
    two = Actor(name="y", normalized="y", type="t", confidence=0.5)
    one.members.append("z")
    assert two.members == []


def test_records_compare_hash_and_derive_by_their_fields() -> None:
    span = Span(text="a", start=0, end=1)
    assert span == Span(text="a", start=0, end=1) and hash(span) == hash(Span("a", 0, 1))
    assert span.derive(text="b") == Span(text="b", start=0, end=1)
    assert span.asdict() == {"text": "a", "start": 0, "end": 1}


def test_unknown_fields_from_newer_producers_are_dropped() -> None:
    linked = SAMPLES["linked-event-new"]
    assert isinstance(linked, LinkedEvent)
    assert LinkedEvent.from_data({**linked.to_dict(), "new_field": 1}) == linked


def test_records_are_plain_dataclasses() -> None:
    import dataclasses

    assert all(dataclasses.is_dataclass(cls) for cls in TOPIC_RECORDS.values())
    assert not any(issubclass(cls, faust.Record) for cls in TOPIC_RECORDS.values())
    assert issubclass(RawArticle, WireRecord)
