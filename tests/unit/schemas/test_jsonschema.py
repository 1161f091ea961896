"""The checked-in JSON Schema files are what the record classes generate; they validate records."""

from __future__ import annotations

from datetime import UTC, datetime

import jsonschema
import pytest

from schemas import TOPIC_RECORDS, Entity, Event, RawArticle, Span
from schemas.decode import RecordError, decode
from schemas.jsonschema import expected_files, field_docs, record_schema


def test_checked_in_schemas_match_the_records() -> None:
    stale = [
        p.name
        for p, content in expected_files().items()
        if not p.exists() or p.read_bytes() != content
    ]
    assert not stale, f"run `wirestream schema --write`; out of date: {stale}"


@pytest.mark.parametrize("name", sorted(TOPIC_RECORDS))
def test_every_field_is_documented(name: str) -> None:
    schema = record_schema(name, TOPIC_RECORDS[name])
    objects = [schema, *schema.get("$defs", {}).values()]
    undocumented = [
        f"{obj['description'][:30]}…{field}"
        for obj in objects
        for field, prop in obj["properties"].items()
        if not prop.get("description")
    ]
    assert not undocumented


def test_schema_is_valid_draft_2020_12_and_accepts_a_record() -> None:
    schema = record_schema("event", Event)
    jsonschema.Draft202012Validator.check_schema(schema)
    event = Event(
        event_id="e1",
        article_id="a1",
        event_type="Battles",
        sub_event_type="Armed clash",
        cameo_root="19",
        cameo_code="190",
        plover="ASSAULT",
        trigger=Span(text="clashed", start=4, end=11),
        sentence=Span(text="They clashed.", start=0, end=13),
        modality="asserted",
        factual=True,
        confidence=0.8,
        extracted=datetime.now(UTC),
    )
    jsonschema.validate(event.to_dict(), schema)


def test_field_docs_come_from_attribute_docstrings() -> None:
    assert "canonical URL" in field_docs(RawArticle)["article_id"]
    assert field_docs(Entity)["label"].startswith("spaCy label")


def test_decode_round_trips_and_rejects_with_a_reason() -> None:
    raw = RawArticle(
        article_id="a1",
        feed_id="f",
        source="S",
        fetched=datetime(2020, 1, 1, tzinfo=UTC),
        title="T",
    )
    assert decode(RawArticle, raw.to_json_bytes()) == raw
    with pytest.raises(RecordError, match="must contain"):
        decode(RawArticle, b'{"article_id": "a"}')
    with pytest.raises(RecordError, match="not JSON"):
        decode(RawArticle, b"\xff\xfe")
    with pytest.raises(RecordError, match="title must be string"):
        decode(
            RawArticle,
            b'{"article_id":"a","feed_id":"f","source":"s","fetched":"2020-01-01T00:00:00Z","title":3}',
        )


def test_decode_refuses_an_oversized_value_before_parsing_it() -> None:
    raw = RawArticle(
        article_id="a1", feed_id="f", source="S", fetched=datetime(2020, 1, 1, tzinfo=UTC)
    ).to_json_bytes()
    assert decode(RawArticle, raw, max_bytes=len(raw)).article_id == "a1"
    with pytest.raises(RecordError, match=f"value of {len(raw)} bytes is over the 10-byte limit"):
        decode(RawArticle, raw, max_bytes=10)


def test_decode_ignores_fields_from_newer_producers() -> None:
    data = (
        b'{"article_id":"a","feed_id":"f","source":"s",'
        b'"fetched":"2020-01-01T00:00:00Z","new_field":1}'
    )
    assert decode(RawArticle, data).article_id == "a"
