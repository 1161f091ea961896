"""The ACLED export scorer on an invented export in ACLED's layout: parsing, the class mapping,
distances and the scoring arithmetic without the model; one run through the real extractor."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from evaluation.acled import (
    NO_EVENT,
    AcledMapping,
    AcledRow,
    CountryCodes,
    Predicted,
    acled_roles,
    actor_class,
    collapse_monadic,
    evaluate_export,
    gazetteer_ceiling,
    load_mapping,
    location_names,
    main,
    miss_bucket,
    note_nameable,
    note_names,
    parse_date,
    parse_inter,
    published_of,
    reachable_split,
    read_export,
    reported_event,
    sample_rows,
    score,
    split_by_ceiling,
)
from pipeline.extract import Extractor
from pipeline.extract.actor_types import actor_types
from pipeline.extract.actors import DOMESTIC_TYPES, STATE_TYPES
from pipeline.link.compare import great_circle_km
from schemas.events import Event, Span

SYNTHETIC = Path(__file__).resolve().parents[2] / "data" / "eval" / "acled-synthetic.csv"
# The slice of the gazetteer's ISO2 -> (name, ISO3) table the invented rows need.
COUNTRIES = {
    "SY": ("Syria", "SYR"),
    "KE": ("Kenya", "KEN"),
    "IQ": ("Iraq", "IRQ"),
    "AF": ("Afghanistan", "AFG"),
    "TR": ("Türkiye", "TUR"),
}


@pytest.fixture(scope="module")
def mapping() -> AcledMapping:
    return load_mapping()


@pytest.fixture(scope="module")
def rows(mapping: AcledMapping) -> list[AcledRow]:
    return read_export(SYNTHETIC, mapping)


@pytest.fixture(scope="module")
def countries(mapping: AcledMapping) -> CountryCodes:
    return CountryCodes(COUNTRIES, mapping.country_aliases)


# --- parsing --------------------------------------------------------------------------------------


def test_rows_without_a_note_are_skipped(rows: list[AcledRow]) -> None:
    assert [r.row for r in rows] == [1, 2, 3, 4, 5, 6]


def test_row_fields(rows: list[AcledRow]) -> None:
    first = rows[0]
    assert first.event_date == date(2021, 5, 3)
    assert (first.event_type, first.sub_event_type) == ("Battles", "Armed clash")
    assert (first.inter1, first.inter2) == (1, 2)
    assert (first.latitude, first.longitude, first.geo_precision) == (36.2021, 37.1343, 1)
    assert first.country == "Syria" and first.location == "Aleppo"
    assert first.notes.startswith("Government soldiers clashed")


def test_inter_codes_as_words_and_zero(rows: list[AcledRow], mapping: AcledMapping) -> None:
    assert (rows[2].inter1, rows[2].inter2) == (8, 2)  # "External/Other forces", "Rebel group"
    assert rows[1].inter2 is None  # 0: no second actor
    assert parse_inter("6.0", mapping) == 6
    assert parse_inter("Identity militia", mapping) == 4
    assert parse_inter("", mapping) is None
    assert parse_inter("9", mapping) is None


@pytest.mark.parametrize(
    "text",
    ["2020-03-21", "21 March 2020", "21-Mar-20", "21-03-20", "21/03/2020", "21 Mar 2020"],
)
def test_date_layouts(text: str) -> None:
    assert parse_date(text) == date(2020, 3, 21)


def test_unparseable_date_is_none() -> None:
    assert parse_date("sometime in spring") is None


def test_published_the_day_after(rows: list[AcledRow]) -> None:
    assert published_of(rows[0]) == datetime(2021, 5, 4, 12, tzinfo=UTC)


def test_header_case_missing_columns_and_old_scheme(tmp_path: Path, mapping: AcledMapping) -> None:
    path = tmp_path / "old.csv"
    path.write_text(
        "EVENT_DATE,Event_Type,ACTOR1,INTER1,Country,Latitude,Longitude,NOTES\n"
        "2016-07-02,Riots/Protests,Rioters (Kenya),5,Kenya,-1.28,36.82,A crowd stoned buses.\n"
        "2016-07-03,Riots/Protests,Protesters (Kenya),6,Kenya,-1.28,36.82,Nurses marched.\n"
        "2016-07-04,Battle-No change of territory,Army,1,Kenya,x,36.82,Troops fought raiders.\n"
        "2016-07-05,Remote violence,Army,1,Kenya,-1.28,36.82,A bomb went off.\n",
        encoding="utf-8",
    )
    old = read_export(path, mapping)
    assert [r.event_type for r in old] == [
        "Riots",
        "Protests",
        "Battles",
        "Explosions/Remote violence",
    ]
    assert all(r.sub_event_type == "" and r.inter2 is None for r in old)
    assert old[2].latitude is None  # a malformed coordinate is no coordinate
    assert old[0].geo_precision is None


def test_export_without_notes_is_refused(tmp_path: Path, mapping: AcledMapping) -> None:
    from pipeline.errors import ConfigError

    path = tmp_path / "bare.csv"
    path.write_text("event_date,event_type\n2020-01-01,Battles\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="notes"):
        read_export(path, mapping)


def test_sample_is_seeded_and_in_file_order(rows: list[AcledRow]) -> None:
    first = sample_rows(rows, 3, seed=7)
    assert first == sample_rows(rows, 3, seed=7)
    assert len(first) == 3 and [r.row for r in first] == sorted(r.row for r in first)
    assert sample_rows(rows, None, seed=7) == rows
    assert sample_rows(rows, 50, seed=7) == rows


# --- the class mapping ----------------------------------------------------------------------------


def test_every_project_actor_type_has_a_class(mapping: AcledMapping) -> None:
    table = actor_types()
    assert set(DOMESTIC_TYPES | STATE_TYPES) <= set(table.acled)
    assert {c for c in table.acled.values() if c is not None} <= set(mapping.inter_classes)


def test_foreign_state_forces_are_external(mapping: AcledMapping) -> None:
    assert actor_class("state_military", "TUR", "IRQ", "Battles", mapping) == 8
    assert actor_class("police", "IRQ", "IRQ", "Battles", mapping) == 1
    # unknown country on either side: the state class stands
    assert actor_class("state_military", None, "IRQ", "Battles", mapping) == 1
    assert actor_class("state_military", "TUR", None, "Battles", mapping) == 1
    assert actor_class("international_org", None, "SOM", "Battles", mapping) == 8


def test_protesters_of_a_riot_are_rioters(mapping: AcledMapping) -> None:
    assert actor_class("protesters", "KEN", "KEN", "Riots", mapping) == 5
    assert actor_class("protesters", "KEN", "KEN", "Protests", mapping) == 6


def test_unmapped_or_missing_actor_has_no_class(mapping: AcledMapping) -> None:
    assert actor_class("person", None, "KEN", "Battles", mapping) is None
    assert actor_class(None, None, "KEN", "Battles", mapping) is None


def test_country_names_and_aliases(countries: CountryCodes) -> None:
    assert countries.iso2("Kenya") == "KE"
    assert countries.iso2(" syria ") == "SY"
    assert countries.iso2("Turkey") == "TR"  # alias: GeoNames writes Türkiye
    assert countries.iso2("Atlantis") is None
    assert countries.iso3["KE"] == "KEN"


# --- distances ------------------------------------------------------------------------------------


def test_haversine_known_distances() -> None:
    assert great_circle_km(36.2, 37.1, 36.2, 37.1) == 0.0
    # London - Paris: 343.5 km on the mean-radius sphere
    assert great_circle_km(51.5074, -0.1278, 48.8566, 2.3522) == pytest.approx(343.5, abs=1.0)
    # one degree of latitude: 111.2 km
    assert great_circle_km(0.0, 30.0, 1.0, 30.0) == pytest.approx(111.19, abs=0.05)


# --- scoring arithmetic ---------------------------------------------------------------------------


def _predictions() -> list[Predicted | None]:
    aleppo = Predicted(
        "Battles",
        "Armed clash",
        actor1_type="state_military",
        actor1_country="SYR",
        actor2_type="rebels",
        place_name="Aleppo",
        latitude=36.21,
        longitude=37.16,
        place_country="SY",
        geo_precision=1,
    )
    nairobi = Predicted(
        "Protests",
        "Peaceful protest",
        actor1_type="labour",
        place_name="Nairobi",
        latitude=-1.2833,
        longitude=36.8167,
        place_country="KE",
        geo_precision=1,
    )
    # right type, wrong sub-type; Turkish forces in Iraq: external; placed in Turkey
    zakho = Predicted(
        "Explosions/Remote violence",
        "Shelling/artillery/missile attack",
        actor1_type="state_military",
        actor1_country="TUR",
        actor2_type="rebels",
        place_name="Cizre",
        latitude=37.3272,
        longitude=42.1903,
        place_country="TR",
        geo_precision=1,
    )
    # wrong type (a battle), no place
    mombasa = Predicted("Battles", "Armed clash", actor1_type="militia", actor2_type="civilians")
    return [aleppo, nairobi, zakho, mombasa, None, None]


def test_score_arithmetic(
    rows: list[AcledRow], mapping: AcledMapping, countries: CountryCodes
) -> None:
    report = score(rows, _predictions(), mapping, countries, path="x.csv", seed=3, worst=5)
    assert report.scored == 6 and report.rows_with_notes == 6 and report.seed == 3
    assert report.factual_event == pytest.approx(4 / 6, abs=1e-4)
    assert report.no_actor1_among_found == 0.0
    assert report.event_type == pytest.approx(3 / 6, abs=1e-4)  # no event counts wrong
    assert report.sub_event_type == pytest.approx(2 / 6, abs=1e-4)
    # actor1: state 1 ok, protesters 6 ok (labour), external 8 ok, militia 3 ok, none, none
    assert report.actor1_class == pytest.approx(4 / 6, abs=1e-4)
    assert report.actor1_class_n == 6
    # actor2 coded on 5 rows (row 2 has inter2 0): rebels 2 ok, rebels 2 ok, civilians 7 ok
    assert report.actor2_class_n == 5
    assert report.actor2_class == pytest.approx(3 / 5, abs=1e-4)
    # place: Aleppo 2 km off, Nairobi exact; Cizre ~50 km from Zakho
    assert report.place_25km == pytest.approx(2 / 6, abs=1e-4)
    assert report.country == pytest.approx(2 / 6, abs=1e-4)
    assert report.other_country == pytest.approx(1 / 6, abs=1e-4)
    assert report.placed == pytest.approx(3 / 6, abs=1e-4)
    assert report.geo_precision == pytest.approx(2 / 6, abs=1e-4)
    assert report.by_country["Kenya"]["n"] == 3
    assert report.by_country["Kenya"]["event_type"] == pytest.approx(1 / 3, abs=1e-4)
    assert report.by_event_type["Battles"]["place_25km"] == 1.0
    assert report.confusion["Violence against civilians"] == {"Battles": 1}
    assert report.confusion["Riots"] == {NO_EVENT: 1}
    assert report.actor1_confusion["External/Other forces"] == {"External/Other forces": 1}
    [miss] = report.worst_place_misses
    assert miss.row == 3 and 40 < miss.distance_km < 70
    assert miss.predicted == "Cizre (TR)" and miss.coded == "Zakho (Iraq)"
    json.dumps(report.to_dict())  # machine-readable as a whole


def test_score_needs_one_prediction_per_row(
    rows: list[AcledRow], mapping: AcledMapping, countries: CountryCodes
) -> None:
    with pytest.raises(ValueError):
        score(rows, _predictions()[:2], mapping, countries)


def test_worst_misses_are_sorted_and_truncated(
    rows: list[AcledRow], mapping: AcledMapping, countries: CountryCodes
) -> None:
    far = [
        replace(p, latitude=0.0, longitude=float(i), place_country="XX") if p is not None else None
        for i, p in enumerate(_predictions())
    ]
    far[3] = replace(_predictions()[0], latitude=10.0, longitude=10.0)
    report = score(rows, far, mapping, countries, worst=2)
    distances = [m.distance_km for m in report.worst_place_misses]
    assert len(distances) == 2 and distances == sorted(distances, reverse=True)


def _event(
    trigger_start: int, confidence: float, *, factual: bool = True, acled: bool = True
) -> Event:
    span = Span(text="x", start=trigger_start, end=trigger_start + 1)
    return Event(
        event_id=f"e{trigger_start}",
        article_id="a",
        event_type="Battles" if acled else "",
        sub_event_type="Armed clash" if acled else "",
        cameo_root="19",
        cameo_code="190",
        plover="ASSAULT",
        trigger=span,
        sentence=span,
        modality="asserted" if factual else "future",
        factual=factual,
        confidence=confidence,
        extracted=datetime(2021, 1, 1, tzinfo=UTC),
    )


def test_reported_event_is_the_most_confident_factual_one() -> None:
    events = [_event(0, 0.5), _event(10, 0.9, factual=False), _event(20, 0.7), _event(30, 0.7)]
    chosen = reported_event(events)
    assert chosen is not None and chosen.trigger.start == 20  # tie: the first in the text
    assert reported_event([_event(0, 0.9, factual=False)]) is None
    assert reported_event([]) is None


def test_reported_event_prefers_an_acled_type() -> None:
    # "protesters ... demanding": the demand is more confident, the protest is the ACLED event
    chosen = reported_event([_event(0, 0.9, acled=False), _event(10, 0.6)])
    assert chosen is not None and chosen.trigger.start == 10
    only = reported_event([_event(0, 0.9, acled=False)])
    assert only is not None and only.trigger.start == 0  # none has one: still reported


# --- the gazetteer's ceiling ----------------------------------------------------------------------


def test_gazetteer_ceiling_by_name_lookup(rows: list[AcledRow], countries: CountryCodes) -> None:
    known = {"Aleppo": [(36.2, 37.15)], "Mombasa": [(-4.05, 39.66), (50.0, 8.0)], "Zakho": []}

    def lookup(name: str, country: str | None) -> Sequence[tuple[float, float]]:
        return known.get(name, [])

    assert gazetteer_ceiling(rows, lookup, countries) == pytest.approx(2 / 6, abs=1e-4)


def test_place_split_by_what_the_gazetteer_names(rows: list[AcledRow]) -> None:
    # rows 1-3 named (Aleppo hit, Nairobi hit, Zakho miss); rows 4-6 not named (all missed)
    named: list[bool | None] = [True, True, True, False, False, False]
    split = split_by_ceiling(rows, _predictions(), named)
    assert split["place_25km_named"] == pytest.approx(2 / 3, abs=1e-4)
    assert split["place_25km_named_n"] == 3
    assert split["place_25km_unnamed"] == 0.0 and split["place_25km_unnamed_n"] == 3


def test_note_names_are_capitalised_runs_with_links() -> None:
    names = note_names("Clashes in Ma'arrat al-Numan (Idleb) and near Bar-Sanguun village.")
    assert {"Ma'arrat al-Numan", "Idleb", "Bar-Sanguun", "Clashes"} <= set(names)
    assert "village" not in " ".join(names)


def test_note_ceiling_looks_up_every_name_the_note_writes(
    rows: list[AcledRow], countries: CountryCodes
) -> None:
    # row 1's note names Aleppo; the coded location's own name is not needed
    def lookup(name: str, country: str | None) -> Sequence[tuple[float, float]]:
        return [(36.2, 37.15)] if name == "Aleppo" else []

    assert note_nameable(rows[0], lookup, countries) is True
    assert note_nameable(rows[1], lookup, countries) is False


def test_each_place_miss_falls_in_one_bucket(rows: list[AcledRow], countries: CountryCodes) -> None:
    aleppo = rows[0]  # coded 36.2021, 37.1343, precision 1, Syria

    def lookup(name: str, country: str | None) -> Sequence[tuple[float, float]]:
        return {"Aleppo": [(36.2, 37.15)], "Tell": [(36.3, 37.2), (35.0, 40.0)]}.get(name, [])

    def at(name: str, lat: float, lon: float, iso2: str = "SY", precision: int = 1) -> Predicted:
        return Predicted(
            "Battles",
            "Armed clash",
            place_name=name,
            latitude=lat,
            longitude=lon,
            place_country=iso2,
            geo_precision=precision,
        )

    def bucket(pred: Predicted | None, reachable: bool = True) -> str | None:
        return miss_bucket(aleppo, pred, reachable, lookup, countries)

    assert bucket(at("Aleppo", 36.21, 37.16)) is None  # a hit
    assert bucket(None) == "no event"
    assert bucket(at("Hama", 35.13, 36.75), reachable=False) == "gazetteer ceiling"
    assert bucket(replace(at("X", 0, 0), latitude=None, longitude=None)) == "no place"
    assert bucket(at("Mosul", 36.34, 43.13, iso2="IQ")) == "wrong country"
    assert bucket(at("Tell", 35.0, 40.0)) == "wrong namesake"
    assert bucket(at("Aleppo Governorate", 36.0, 37.6, precision=3)) == "too coarse"
    assert bucket(at("Hama", 35.13, 36.75)) == "another place of the note"


def test_reachable_notes_split_the_gap_by_where_it_is_lost(
    rows: list[AcledRow], countries: CountryCodes
) -> None:
    aleppo = rows[0]  # coded 36.2021, 37.1343

    def lookup(name: str, country: str | None) -> Sequence[tuple[float, float]]:
        return [(36.2, 37.15)] if name == "Aleppo" else []

    hit = Predicted(
        "Battles",
        "Armed clash",
        place_name="Aleppo",
        latitude=36.21,
        longitude=37.16,
        place_country="SY",
        geo_precision=1,
    )
    unplaced = replace(hit, place_name=None, latitude=None, longitude=None)
    ratio, n, lost = reachable_split(
        [aleppo, aleppo, aleppo, aleppo],
        [hit, unplaced, None, None],
        [True, True, True, False],  # the last note names nothing near: outside the ceiling
        lookup,
        countries,
    )
    assert (ratio, n) == (0.3333, 3)  # ratios are rounded to four places
    assert lost == {"no event": 1, "no place": 1}


def test_location_names_try_the_head_of_a_district_name() -> None:
    assert location_names("Kabul - Police District 5") == ["Kabul - Police District 5", "Kabul"]
    assert location_names("Aleppo") == ["Aleppo"]


# --- through the real extractor -------------------------------------------------------------------


@pytest.mark.model
def test_real_extractor_on_the_invented_export(extractor: Extractor) -> None:
    report = evaluate_export(SYNTHETIC, limit=None, extractor=extractor)
    assert report.scored == 6
    assert report.by_event_type["Battles"]["event_type"] == 1.0  # soldiers clashed with rebels
    assert report.by_country["Syria"]["place_25km"] == 1.0  # Aleppo
    assert report.gazetteer_ceiling_25km is not None and report.gazetteer_ceiling_25km >= 0.5
    assert report.factual_event is not None and report.factual_event >= 0.5


def test_cli_reports_a_missing_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path / "absent.csv")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_demonstrations_are_compared_in_acled_order(mapping: AcledMapping) -> None:
    # "police dispersed the protesters": ACLED's actor 1 is the protesters, actor 2 the police
    assert acled_roles(1, 6, "Protests", mapping) == (6, 1)
    assert acled_roles(8, 5, "Riots", mapping) == (5, 8)
    # not a demonstration, or not state forces acting on demonstrators: as extracted
    assert acled_roles(1, 6, "Battles", mapping) == (1, 6)
    assert acled_roles(6, 1, "Protests", mapping) == (6, 1)
    assert acled_roles(1, 7, "Protests", mapping) == (1, 7)
    assert acled_roles(1, None, "Riots", mapping) == (1, None)


# --- monadic exports ------------------------------------------------------------------------------


def _monadic(row: int, actor: str, inter: int, event_type: str, event_id: str) -> AcledRow:
    return AcledRow(
        row=row,
        event_date=date(2024, 1, 7),
        event_type=event_type,
        sub_event_type="",
        actor1=actor,
        inter1=inter,
        actor2="",
        inter2=None,
        country="Bangladesh",
        location="Dhaka",
        latitude=None,
        longitude=None,
        geo_precision=None,
        notes=f"note of {event_id}",
        event_id=event_id,
    )


def test_a_monadic_pair_becomes_one_event_with_civilians_second(mapping: AcledMapping) -> None:
    rows = [
        _monadic(1, "Civilians (Bangladesh)", 7, "Riots", "BGD1"),
        _monadic(2, "Rioters (Bangladesh)", 5, "Riots", "BGD1"),
        _monadic(3, "Protesters (Bangladesh)", 6, "Protests", "BGD2"),
    ]
    out = collapse_monadic(rows, mapping)
    assert [(r.inter1, r.inter2, r.actor2) for r in out] == [
        (5, 7, "Civilians (Bangladesh)"),
        (6, None, ""),
    ]


def test_demonstrators_come_first_in_a_monadic_pair(mapping: AcledMapping) -> None:
    rows = [
        _monadic(1, "Police Forces of Bangladesh", 1, "Riots", "BGD3"),
        _monadic(2, "Rioters (Bangladesh)", 5, "Riots", "BGD3"),
        _monadic(3, "Military Forces of Somalia", 1, "Battles", "SOM1"),
        _monadic(4, "Al Shabaab", 2, "Battles", "SOM1"),
    ]
    out = collapse_monadic(rows, mapping)
    assert [(r.inter1, r.inter2) for r in out] == [(5, 1), (1, 2)]


def test_dyadic_rows_pass_unchanged(mapping: AcledMapping, rows: list[AcledRow]) -> None:
    assert collapse_monadic(rows, mapping) == rows


# --- battles in either order ----------------------------------------------------------------------


def _battle(row: int, inter1: int, inter2: int) -> AcledRow:
    return AcledRow(
        row=row,
        event_date=date(2016, 5, 2),
        event_type="Battles",
        sub_event_type="Armed clash",
        actor1="side one",
        inter1=inter1,
        actor2="side two",
        inter2=inter2,
        country="South Sudan",
        location="Wau",
        latitude=None,
        longitude=None,
        geo_precision=None,
        notes=f"battle {row}",
    )


def test_a_battles_two_sides_are_also_compared_in_either_order(
    mapping: AcledMapping, countries: CountryCodes
) -> None:
    rows = [_battle(1, 1, 2), _battle(2, 1, 2), _battle(3, 2, 3)]
    predicted: list[Predicted | None] = [
        Predicted("Battles", "Armed clash", actor1_class=2, actor2_class=1),  # the other order
        Predicted("Battles", "Armed clash", actor1_class=1, actor2_class=2),  # ACLED's order
        Predicted("Battles", "Armed clash", actor1_class=2, actor2_class=None),  # one side only
    ]
    report = score(rows, predicted, mapping, countries)
    assert report.battle_pair_n == 3
    assert report.battle_pair_ordered == pytest.approx(1 / 3, abs=1e-4)
    assert report.battle_pair_unordered == pytest.approx(2 / 3, abs=1e-4)
    assert report.actor1_class == pytest.approx(2 / 3, abs=1e-4)  # the strict figure is unchanged
