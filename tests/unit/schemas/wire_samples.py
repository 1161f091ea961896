"""Sample records of every topic type, for the wire-format golden test (test_wire_golden.py).

Built the way the pipeline builds them, plus the edge cases a record class must treat as it
always has: an int where a float goes, None for a field with a default, a tuple for a list,
non-ASCII text, naive and offset datetimes. ``python -m tests.unit.schemas.wire_samples``
rewrites the golden file; it was written by the faust.Record classes (main before the records
became dataclasses), so do not regenerate it unless the wire format is meant to change.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from pipeline.articles import to_duplicate, to_enriched, to_unique
from pipeline.extract import Extraction
from pipeline.link import LinkConfig, LinkStage
from schemas import (
    Actor,
    Attribution,
    BoilerplateLine,
    DeadLetter,
    DeadLetterReplay,
    Entity,
    Event,
    FeedState,
    Place,
    RawArticle,
    Span,
    When,
    WireRecord,
)
from tests.unit.link.factory import ALEPPO_PROVINCE, ARMY_AND_ALLIES, day, event, month

GOLDEN = Path(__file__).resolve().parents[2] / "data" / "wire" / "golden-records.tsv"

T = datetime(2016, 11, 27, 8, 30, 15, 250000, tzinfo=UTC)


def _raw(n: int, **changes: object) -> RawArticle:
    fields: dict[str, object] = {
        "article_id": f"a{n}",
        "feed_id": "nnn",
        "source": "Nam News Network",
        "fetched": T,
        "title": "Syrian army recaptures Sakhour — «rebels» retreat",
        "summary": "The Syrian army recaptured Sakhour, Aleppo, on Sunday, a military source said.",
        "guid": f"urn:nnn:{n}",
        "url": f"https://namnewsnetwork.example/story/{n}?utm_source=rss",
        "canonical_url": f"https://namnewsnetwork.example/story/{n}",
        "published": T - timedelta(hours=2),
        "language": "en",
        "feed_url": "https://namnewsnetwork.example/rss",
        "country": "SYR",
        "boilerplate_removed": 2,
    }
    fields.update(changes)
    return RawArticle(**fields)  # type: ignore[arg-type]


def _extracted() -> Event:
    sakhour = Span(text="Sakhour", start=30, end=37)
    return Event(
        event_id="e1",
        article_id="a1",
        event_type="Battles",
        sub_event_type="Government regains territory",
        cameo_root="19",
        cameo_code="192",
        plover="ASSAULT",
        trigger=Span(text="recaptured", start=15, end=25),
        sentence=Span(text="The Syrian army recaptured Sakhour.", start=0, end=35),
        modality="asserted",
        factual=True,
        confidence=1,  # an int: the record stores a float
        extracted=T,
        actor1=Actor(
            name="The Syrian army",
            normalized="Syrian army",
            type="state_military",
            confidence=0.8,
            country="SYR",
            cameo="SYRMIL",
            span=Span(text="The Syrian army", start=0, end=15),
            acled_class=1,
            members=("Syrian army", "pro-government militia"),  # type: ignore[arg-type]  # a tuple: a JSON array
        ),
        actor2=Actor(name="rebels", normalized="rebels", type="rebels", confidence=0.7),
        place=Place(
            name="Sakhour",
            geo_precision=2,
            confidence=0.6,
            latitude=36,  # an int: stored as a float
            longitude=37.16117,
            country_code="SY",
            admin1="Aleppo",
            parent="Aleppo",
            geonameid=170063,
            gazetteer="geonames",
            span=sakhour,
        ),
        when=When(date="2016-11-27", time_precision="day", confidence=0.8, span=None),
        attribution=Attribution(text="a military source", kind="source", confidence=0.7),
        source="Nam News Network",
        url="https://namnewsnetwork.example/story/1",
        published=T - timedelta(hours=2),
        extractor="wirestream-extract/1 en_core_web_sm",
        text_source=None,  # type: ignore[arg-type]  # None for a field with a default: the default
    )


def samples() -> dict[str, WireRecord]:
    """Every sample by name, in a fixed order."""
    raw = _raw(1)
    unique = to_unique(raw, cluster_id="c1")
    extracted = _extracted()
    extraction = Extraction(
        article_id="a1",
        events=[extracted],
        entities=[
            Entity(text="Syrian", label="NORP", start=4, end=10),
            Entity(text="Sakhour", label="GPE", start=30, end=37),
        ],
        language="en",
        sentences=3,
    )
    enriched = to_enriched(unique, extraction, extractor="wirestream-extract/1 en_core_web_sm")
    enriched.processed = T  # fixed: to_enriched stamps the current time
    duplicate = to_duplicate(_raw(2, title=None), duplicate_of="a1", method="minhash", similarity=1)
    duplicate.detected = T
    link = LinkStage(LinkConfig(), {})
    first = link.process(event("m1", article="nnn", source="Nam News Network"))
    second = link.process(
        event(
            "m2",
            article="reuters",
            source="Reuters",
            trigger="captured",
            actor1=ARMY_AND_ALLIES,
        )
    )
    upgrade = LinkStage(LinkConfig(), {})
    upgrade.process(event("v1", place=ALEPPO_PROVINCE, when=month("2016-11-01")))
    third = upgrade.process(event("v2", article="afp", source="AFP", when=day("2016-11-27")))
    # a report covering two incidents: one mention of each, sharing the report's id
    several = event("s1", article="sana", source="SANA", place=ALEPPO_PROVINCE)
    sentence = "Troops recaptured Sakhour and Hanano in Aleppo province."
    several.sentence = Span(text=sentence, start=0, end=len(sentence))
    several.trigger = Span(text="recaptured", start=7, end=17)
    incidents = LinkStage(LinkConfig(), {}).process(several).every()
    assert first.mention is not None and second.mention is not None
    assert len(incidents) == 2 and incidents[1].mention is not None
    return {
        "raw-article": raw,
        "raw-article-minimal": RawArticle(
            article_id="a3", feed_id="f", source="", fetched=datetime(2020, 2, 29, 23, 59, 59)
        ),
        "unique-article": unique,
        "enriched-article": enriched,
        "duplicate": duplicate,
        "event": extracted,
        "linked-event-new": first.linked,
        "mention-new": first.mention,
        "linked-event-merged": second.linked,
        "mention-merged": second.mention,
        "linked-event-alternatives": third.linked,
        "linked-event-incident": incidents[1].linked,
        "mention-incident": incidents[1].mention,
        "dead-letter": DeadLetter(
            stage="decode",
            error_type="RecordError",
            error="invalid RawArticle: data must contain ['fetched'] properties",
            failed_at=datetime(2016, 11, 27, 10, 30, tzinfo=timezone(timedelta(hours=2))),
            topic="raw-articles",
            partition=3,
            offset=42,
            key="a9",
            value='{"article_id": "a9", "x": "\\u00e9"}',
            worker="host:1234",
            value_bytes=36,
            value_sha256="0" * 64,
        ),
        "dead-letter-replay": DeadLetterReplay(
            dead_letter="dead-letters/0/7", topic="raw-articles", replayed_at=T, replay_count=2
        ),
        "feed-state": FeedState(
            feed_id="nnn",
            url="https://namnewsnetwork.example/rss",
            etag='W/"abc"',
            last_status=200,
            next_poll=T + timedelta(minutes=5),
            entries_seen=12,
            recent_ids=["a1", "a2"],
            boilerplate_articles=5,
            boilerplate_lines=[BoilerplateLine(key="k1", count=3, seen=5)],
        ),
    }


#: Values as another producer may write them (``Z`` for UTC, ints for floats, null for a field
#: with a default, a field this version does not know), by name: (record class, JSON).
FOREIGN: dict[str, tuple[type[WireRecord], str]] = {
    "raw-article-foreign": (
        RawArticle,
        '{"article_id":"a5","feed_id":"f","source":"S","fetched":"2016-11-27T08:30:15Z",'
        '"published":"2016-11-27T08:30:15.123456+01:00","newer_field":[1,2]}',
    ),
    "event-foreign": (
        Event,
        '{"event_id":"e5","article_id":"a5","event_type":"","sub_event_type":"",'
        '"cameo_root":"01","cameo_code":"010","plover":"","trigger":{"text":"said","start":1,'
        '"end":5},"sentence":{"text":"He said.","start":0,"end":8},"modality":"asserted",'
        '"factual":true,"confidence":1,"extracted":"2016-11-27T08:30:15+00:00","actor1":{"name":'
        '"He","normalized":"he","type":"unknown","confidence":0,"members":["a"],"span":null},'
        '"place":{"name":"Syria","geo_precision":4,"confidence":1,"latitude":null,'
        '"admin1":null},"when":null,"schema_version":1}',
    ),
}


def golden_lines() -> list[str]:
    """``name<TAB>record class<TAB>JSON`` for every sample, as written to the golden file."""
    return [
        f"{name}\t{type(record).__name__}\t{record.to_json_bytes().decode()}"
        for name, record in samples().items()
    ]


def decoded_lines() -> list[str]:
    """``name<TAB>record class<TAB>JSON`` of every FOREIGN value decoded and encoded again."""
    from schemas.decode import decode

    return [
        f"{name}\t{cls.__name__}\t{decode(cls, data.encode()).to_json_bytes().decode()}"
        for name, (cls, data) in FOREIGN.items()
    ]


if __name__ == "__main__":
    GOLDEN.parent.mkdir(parents=True, exist_ok=True)
    GOLDEN.write_text("\n".join(golden_lines() + decoded_lines()) + "\n", encoding="utf-8")
    sys.stdout.write(f"wrote {GOLDEN}\n")
