"""The link stage over a plain dict store: merge, look-alikes, precision upgrades, modality,
repeats, expiry, restart."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import orjson

from pipeline.link import LinkConfig, LinkOutcome, LinkStage, partition_key
from schemas import Attribution, Event, LinkedEvent, Mention
from schemas.decode import decode
from tests.unit.link.factory import (
    ALEPPO,
    ALEPPO_PROVINCE,
    ARMY_AND_ALLIES,
    BINNISH,
    JABAL_BADRO,
    PEOPLE,
    SAKHOUR,
    SARAQIB,
    SYRIA,
    T0,
    day,
    event,
    month,
    protest,
    strike,
)
from tests.unit.link.test_link_spots import said


def stage(store: dict[str, bytes] | None = None) -> LinkStage:
    return LinkStage(LinkConfig(), {} if store is None else store)


def test_two_reports_of_one_event_make_one_event_with_two_mentions() -> None:
    s = stage()
    first = s.process(event("m1", article="nnn", source="Nam News Network"))
    second = s.process(
        event("m2", article="reuters", source="Reuters", trigger="captured", actor1=ARMY_AND_ALLIES)
    )
    assert (first.kind, second.kind) == ("new", "linked")
    linked = second.linked
    assert linked.event_id == "m1"  # the id of the first mention, stable
    assert (linked.num_mentions, linked.num_articles, linked.num_sources) == (2, 2, 2)
    assert linked.article_ids == ["nnn", "reuters"]
    assert linked.version == 2 and linked.updated >= first.linked.updated
    assert first.mention is not None and first.mention.new_event
    assert second.mention is not None and not second.mention.new_event
    assert second.mention.event_id == "m1" and second.mention.mention_id == "m2"
    assert second.mention.link_basis == "same place"
    # the coordinated actor tells more than one of its members
    assert second.mention.changed_fields == ["actor1"]
    assert linked.actor1 is not None and linked.actor1.members == ARMY_AND_ALLIES.members
    assert linked.field_sources["actor1"] == "m2" and linked.field_sources["place"] == "m1"
    assert second.mention.event.event_id == "m2"  # the full evidence travels with the mention


def test_a_second_mention_in_the_same_article_counts_but_adds_no_mention_record() -> None:
    s = stage()
    s.process(event("m1", article="a1"))
    again = s.process(event("m2", article="a1", trigger="seized"))
    assert again.kind == "linked" and again.mention is None
    assert (again.linked.num_mentions, again.linked.num_articles) == (2, 1)


def test_neighbourhoods_of_one_city_stay_apart_same_day_same_actors() -> None:
    s = stage()
    sakhour = s.process(event("m1", place=SAKHOUR))
    badro = s.process(event("m2", place=JABAL_BADRO, actor1=ARMY_AND_ALLIES, article="a2"))
    assert badro.kind == "new" and badro.linked.event_id != sakhour.linked.event_id
    # a report naming only the city joins one of them, it does not bridge them
    city = s.process(event("m3", place=ALEPPO, article="a3"))
    assert city.kind == "linked"
    assert city.linked.place is not None and city.linked.place.name in ("Sakhour", "Jabal Badro")


def test_two_air_strikes_in_one_province_on_one_day_stay_apart() -> None:
    s = stage()
    market = s.process(strike("s1", SARAQIB, article="a1"))
    hospital = s.process(strike("s2", BINNISH, article="a2"))  # 13 km away
    assert hospital.kind == "new" and hospital.linked.event_id != market.linked.event_id
    again = s.process(strike("s3", SARAQIB, article="a3", source="AFP"))
    assert again.linked.event_id == market.linked.event_id


def test_protests_on_consecutive_days_stay_apart() -> None:
    s = stage()
    wednesday = s.process(protest("p1", "2017-02-01"))
    thursday = s.process(protest("p2", "2017-02-02", article="a2"))
    assert thursday.kind == "new" and thursday.linked.event_id != wednesday.linked.event_id
    # "150,000 people took to the streets" is the same protest as "protesters rallied"
    people = s.process(protest("p3", "2017-02-01", article="a3", actor1=PEOPLE))
    assert people.linked.event_id == wednesday.linked.event_id


def test_precision_upgrade_keeps_the_old_value_in_alternatives() -> None:
    s = stage()
    vague = s.process(
        event("m1", place=ALEPPO_PROVINCE, when=month("2016-11-01"), published=T0 + timedelta(1))
    )
    assert vague.linked.when is not None and vague.linked.when.time_precision == "month"
    precise = s.process(event("m2", article="a2", place=SAKHOUR, when=day("2016-11-27")))
    linked = precise.linked
    assert precise.kind == "linked"
    assert linked.place is not None and linked.place.name == "Sakhour"
    assert linked.when is not None and (linked.when.date, linked.when.time_precision) == (
        "2016-11-27",
        "day",
    )
    assert precise.mention is not None
    assert set(precise.mention.changed_fields) == {"place", "when"}
    alternatives = {(a.field, a.value, a.mention_id) for a in linked.alternatives}
    assert ("place", "Aleppo province", "m1") in alternatives
    assert ("when", "2016-11-01 (month)", "m1") in alternatives
    # a later vague report corroborates without downgrading
    later = s.process(event("m3", article="a3", place=ALEPPO, when=month("2016-11-01")))
    assert later.linked.place is not None and later.linked.place.name == "Sakhour"
    assert later.mention is not None and later.mention.changed_fields == []


def test_a_disagreeing_date_of_lower_precision_is_kept_visible() -> None:
    s = stage()
    s.process(event("m1", when=day("2016-11-27")))
    other = s.process(event("m2", article="a2", when=month("2016-11-01")))
    assert other.kind == "linked"
    assert [(a.field, a.value) for a in other.linked.alternatives] == [
        ("when", "2016-11-01 (month)")
    ]


def test_non_factual_mentions_never_change_a_factual_event() -> None:
    s = stage()
    fact = s.process(event("m1", place=ALEPPO))
    before = fact.linked.to_dict()
    threat = s.process(
        event("m2", article="a2", place=SAKHOUR, modality="future", trigger="will retake")
    )
    assert threat.kind == "new" and not threat.linked.factual
    assert threat.linked.modality == "future"
    state = orjson.loads(s.store["e:m1"])
    assert LinkedEvent.from_data(state["r"]).to_dict() == before
    # non-factual mentions link among themselves (same modality)
    again = s.process(event("m3", article="a3", modality="future", trigger="will take"))
    assert again.linked.event_id == "m2"


def test_repeat_is_idempotent() -> None:
    s = stage()
    s.process(event("m1"))
    linked = s.process(event("m2", article="a2"))
    store_before = dict(s.store)
    repeat = s.process(event("m2", article="a2"))
    assert repeat.kind == "repeat"
    assert repeat.linked.to_dict() == linked.linked.to_dict()
    assert repeat.mention is not None and linked.mention is not None
    assert repeat.mention.to_dict() == linked.mention.to_dict()
    assert s.store == store_before


def test_attribution_explicit_over_the_article() -> None:
    s = stage()
    s.process(event("m1", attribution=Attribution(text="Reuters", kind="article", confidence=0.6)))
    source = Attribution(text="a military source", kind="source", confidence=0.8)
    out = s.process(event("m2", article="a2", attribution=source))
    assert out.linked.attribution is not None and out.linked.attribution.kind == "source"


def test_expiry_removes_every_key_of_an_expired_event() -> None:
    s = stage()
    s.process(event("m1"))
    s.process(event("m2", article="a2"))
    assert s.expire(T0 + timedelta(days=20)) == []
    assert s.expire(T0 + timedelta(days=32)) == ["m1"]
    assert [k for k in s.store if not k.startswith("x:")] == []
    # expired: the same report again starts a new event
    assert s.process(event("m1", published=T0 + timedelta(days=33))).kind == "new"


def test_a_big_event_counts_exactly_and_rewrites_only_bounded_values() -> None:
    written: list[int] = []

    class Store(dict[str, bytes]):
        def __setitem__(self, key: str, value: bytes) -> None:
            written.append(len(value))
            super().__setitem__(key, value)

    s = stage(Store())
    n = 1000  # four chunks of mentions
    for i in range(n):
        out = s.process(event(f"m{i}", article=f"a{i // 2}", source=f"source-{i % 7}"))
    assert out.kind == "linked" and out.linked.event_id == "m0"
    assert (out.linked.num_mentions, out.linked.num_articles, out.linked.num_sources) == (
        n,
        n // 2,
        7,
    )
    assert out.linked.article_ids == [f"a{i}" for i in range(50)]  # at most max_article_ids
    # one list of all 1,000 mentions would be ~19 KB and grow with every report; no value does
    # (the largest is the memo that carries one report's writes while they are written:
    # a chunk of mentions, the event, its lists; ``pipeline/link/pending.py``)
    assert max(written[-50:]) < 8_000
    assert s.expire(T0 + timedelta(days=32)) == ["m0"]
    assert [k for k in s.store if not k.startswith("x:")] == []


def test_expiry_happens_as_the_stream_moves_on() -> None:
    s = stage()
    s.process(event("m1"))
    later = T0 + timedelta(days=40)
    s.process(event("m9", article="a9", published=later, when=day("2016-12-28")))
    assert "e:m1" not in s.store and "m:m1" not in s.store
    assert "e:m9" in s.store


def test_expiry_keeps_an_event_mentioned_recently() -> None:
    s = stage()
    s.process(event("m1", when=month("2016-11-01")))
    s.process(event("m2", article="a2", published=T0 + timedelta(days=25)))
    assert s.expire(T0 + timedelta(days=40)) == []
    assert s.expire(T0 + timedelta(days=60)) == ["m1"]


def test_a_new_stage_over_the_same_store_continues_identically() -> None:
    stream = [
        event("m1"),
        event("m2", article="a2", place=JABAL_BADRO),
        event("m3", article="a3", place=ALEPPO, when=month("2016-11-01")),
        strike("s1", SARAQIB),
        event("m4", article="a4", actor1=ARMY_AND_ALLIES),
        strike("s2", SARAQIB, article="a5"),
        event("m2", article="a2", place=JABAL_BADRO),  # a redelivery
        protest("p1", "2017-01-10"),  # another partition key: expires nothing of the others
        event("m5", article="a6"),
        # 40 days on: the first event of this partition key that day expires the November ones
        event("m6", article="a7", published=T0 + timedelta(days=40), when=day("2017-01-06")),
        event("m1"),
    ]
    continuous = stage()
    expected = [_summary(continuous.process(e)) for e in stream]
    for cut in range(1, len(stream)):
        store: dict[str, bytes] = {}
        first = stage(store)
        got = [_summary(first.process(e)) for e in stream[:cut]]
        restarted = stage(store)  # a fresh stage over the same store: all state is in it
        got += [_summary(restarted.process(e)) for e in stream[cut:]]
        assert got == expected, f"restart after {cut} events"
        assert store == continuous.store
    assert expected[-1][0] == "new"  # m1 expired with its event, so it starts a new one


def _summary(outcome: LinkOutcome) -> tuple[object, ...]:
    mention = outcome.mention
    return (outcome.kind, outcome.linked.to_dict(), mention.to_dict() if mention else None)


def test_partition_key_puts_every_candidate_in_one_partition() -> None:
    s = stage()
    stream = [
        event("m1"),
        event("m2", article="a2", place=ALEPPO_PROVINCE, when=month("2016-11-01")),
        event("m3", article="a3", place=JABAL_BADRO),
        strike("s1", SARAQIB),
        strike("s2", SARAQIB, article="a5", when=month("2016-11-01")),
        protest("p1", "2017-02-01"),
        protest("p2", "2017-02-01", article="a7", actor1=PEOPLE),
    ]
    keys: dict[str, set[str]] = {}
    for e in stream:
        out = s.process(e)
        keys.setdefault(out.linked.event_id, set()).add(partition_key(e))
    assert all(len(k) == 1 for k in keys.values())
    # every key in the store is scoped to one partition key or to an id
    for key in s.store:
        assert key[:2] in ("e:", "f:", "l:", "m:", "c:", "p:", "b:", "r:", "t:", "x:"), key


def test_stored_state_is_compact_json() -> None:
    s = stage()
    s.process(event("m1"))
    state = orjson.loads(s.store["e:m1"])
    assert set(state) == {"b", "r"}
    assert len(s.store["e:m1"]) < 4000
    _facts, mentions, first_seen = orjson.loads(s.store["f:m1"])
    assert mentions == 1 and first_seen.startswith("2016-11-28")
    assert len(s.store["f:m1"]) < 300


def test_mentions_of_an_unknown_place_need_an_identified_actor_to_link() -> None:
    s = stage()
    s.process(event("m1", place=None, actor1=None))
    out = s.process(event("m2", article="a2", place=None, actor1=None))
    assert out.kind == "new"
    s.process(event("m3", article="a3", place=None))
    # an identified actor is needed, not enough: a toll in common too (test_link_unit_rules)
    assert s.process(event("m4", article="a4", place=None)).linked.event_id == "m4"


def test_an_undated_report_published_next_morning_joins_yesterdays_event() -> None:
    s = stage()
    s.process(protest("p1", "2017-02-01"))
    morning = datetime(2017, 2, 2, 6, 30, tzinfo=UTC)
    undated = protest("p2", "2017-02-02", published=morning, article="a2")
    undated.when = day("2017-02-02", explicit=False, confidence=0.45)
    assert s.process(undated).linked.event_id == "p1"


def _with_toll(e: Event) -> Event:
    # a country-level report joins a named actor's event only with a toll in common (round 15)
    trigger = e.trigger.text
    return said(e, f"The army {trigger} the place, killing 4 rebels.", trigger)


def test_an_event_is_refiled_when_its_place_becomes_precise() -> None:
    s = stage()
    s.process(_with_toll(event("m1", place=SYRIA)))
    m2 = _with_toll(event("m2", article="a2", place=SAKHOUR))
    assert s.process(m2).linked.event_id == "m1"
    assert s.process(event("m3", article="a3", place=JABAL_BADRO)).kind == "new"
    assert s.process(event("m4", article="a4", place=SAKHOUR)).linked.event_id == "m1"
    filed = {k for k, v in s.store.items() if k.startswith("b:") and b'"m1"' in v}
    assert filed == {"b:asserted|Battles|SY|D2016-11-27|g170063"}
    assert orjson.loads(s.store["r:asserted|Battles|SY|D2016-11-27"]) == ["g170063"]
    # a country-level report still finds it, with the toll; without, it is another incident
    assert s.process(_with_toll(event("m5", article="a5", place=SYRIA))).kind == "linked"
    assert s.process(event("m6", article="a6", place=SYRIA)).kind == "new"


def test_records_validate_against_their_json_schema() -> None:
    s = stage()
    s.process(event("m1", place=ALEPPO_PROVINCE, when=month("2016-11-01")))
    out = s.process(event("m2", article="a2"))
    assert out.mention is not None and out.linked.alternatives
    linked = decode(LinkedEvent, out.linked.to_json_bytes())
    assert linked.to_dict() == out.linked.to_dict()
    mention = decode(Mention, out.mention.to_json_bytes())
    assert mention.event.event_id == "m2"
