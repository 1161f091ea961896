"""Actor classes by country and period (actor_types.yaml ``local_classes``), creeds that are no
community, communities' fighters, parties' members who use force, and the one armed group an
article names as the doer the parse did not find."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from pipeline.errors import ConfigError
from pipeline.extract import Extraction
from pipeline.extract.actor_types import actor_types, load_actor_types
from pipeline.extract.datafiles import DATA_DIR
from schemas.events import Event

Extract = Callable[..., Extraction]

STATE, REBELS, POLITICAL_MILITIA, IDENTITY_MILITIA, RIOTERS, PROTESTERS = 1, 2, 3, 4, 5, 6


def _acts(x: Extraction) -> list[Event]:
    return [e for e in x.events if e.factual and e.event_type and e.actor1 is not None]


def _on(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 12, tzinfo=UTC)


def test_a_local_class_holds_only_in_its_country_and_period() -> None:
    table = actor_types()
    assert table.type_class("rebels", "MOZ", date(2019, 6, 1)) == POLITICAL_MILITIA
    assert table.type_class("rebels", "MOZ", date(2022, 6, 1)) == REBELS
    assert table.type_class("rebels", "TZA", date(2019, 6, 1)) == REBELS
    assert table.type_class("rebels", "LBY", date(2011, 4, 1)) == REBELS
    assert table.type_class("rebels", "LBY", date(2011, 11, 1)) == POLITICAL_MILITIA
    # an event placed nowhere is in the actor's own country
    assert table.acled_class("rebels", "MOZ", None, "Battles", day=date(2019, 6, 1)) == 3
    # an undated event takes no dated entry; a role's own class wins over any local one
    assert table.type_class("rebels", "MOZ", None) == REBELS
    assert (
        table.acled_class("rebels", None, "MOZ", "Battles", role_class=1, day=date(2019, 1, 1))
        == STATE
    )


def test_a_local_class_with_an_unknown_type_or_bad_dates_is_refused(tmp_path: Path) -> None:
    text = (DATA_DIR / "actor_types.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "actor_types.yaml"
    bad.write_text(
        text.replace("types: [rebels], class: 3, until", "types: [rebel], class: 3, until"),
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match="local_classes"):
        load_actor_types(bad)
    bad.write_text(
        text.replace("from: 2011-09-16}", "from: 2011-09-16, until: 2011-01-01}"), encoding="utf-8"
    )
    with pytest.raises(ConfigError, match="until"):
        load_actor_types(bad)


@pytest.mark.model
def test_insurgents_of_a_country_and_period_take_its_class(extract: Extract) -> None:
    text = (
        "Insurgents attacked the village of Nabi in Macomia district, Cabo Delgado, killing "
        "two farmers."
    )
    during = _acts(extract(text, published=_on(2019, 7, 3)))[0]
    assert during.actor1 is not None and during.actor1.acled_class == POLITICAL_MILITIA
    after = _acts(extract(text, published=_on(2023, 7, 3)))[0]
    assert after.actor1 is not None and after.actor1.acled_class == REBELS


@pytest.mark.model
def test_rebels_of_libya_are_a_militia_once_the_council_was_seated(extract: Extract) -> None:
    text = "Rebels stormed a checkpoint near Sirte, Libya, and exchanged fire with the guards."
    before = _acts(extract(text, published=_on(2011, 4, 10)))[0]
    assert before.actor1 is not None and before.actor1.acled_class == REBELS
    later = _acts(extract(text, published=_on(2012, 1, 10)))[0]
    assert later.actor1 is not None and later.actor1.acled_class == POLITICAL_MILITIA


@pytest.mark.model
def test_a_creed_is_no_community_but_a_listed_people_is(extract: Extract) -> None:
    creed = _acts(extract("An Islamist militia burned twelve houses in the village of Tamba."))[0]
    assert creed.actor1 is not None and creed.actor1.acled_class == POLITICAL_MILITIA
    people = _acts(
        extract("Dodoth fighters raided a kraal near Kaabong, Uganda, and shot a herdsman.")
    )[0]
    assert people.actor1 is not None and people.actor1.acled_class == IDENTITY_MILITIA


@pytest.mark.model
def test_a_partys_cadres_who_attack_are_a_political_militia_who_march_protesters(
    extract: Extract,
) -> None:
    attack = _acts(
        extract("UPND cadres attacked a journalist in Kitwe, Zambia.", published=_on(2016, 8, 2))
    )[0]
    assert attack.actor1 is not None and attack.actor1.acled_class == POLITICAL_MILITIA
    march = _acts(
        extract(
            "UPND supporters marched through Kitwe, Zambia, to protest against the results.",
            published=_on(2016, 8, 20),
        )
    )[0]
    assert march.actor1 is not None and march.actor1.acled_class == PROTESTERS


@pytest.mark.model
def test_named_groups_of_uganda_cameroon_and_mozambique(extract: Extract) -> None:
    lra = _acts(extract("LRA fighters abducted nine children near Pader, Uganda."))[0]
    assert lra.actor1 is not None and lra.actor1.normalized == "Lord's Resistance Army"
    assert lra.actor1.acled_class == REBELS
    amba = _acts(extract("Amba boys kidnapped a school principal in Kumbo, Cameroon."))[0]
    assert amba.actor1 is not None and amba.actor1.acled_class == REBELS
    ldu = _acts(extract("LDU personnel clashed with cattle rustlers near Moroto, Uganda."))[0]
    assert ldu.actor1 is not None and ldu.actor1.acled_class == STATE


@pytest.mark.model
def test_an_attack_attributed_to_the_one_armed_group_named_is_its(extract: Extract) -> None:
    x = extract(
        "Two herders were killed overnight in Kolofata in an attack attributed to Boko Haram."
    )
    acts = _acts(x)
    assert acts and acts[0].actor1 is not None
    assert acts[0].actor1.normalized == "Boko Haram"
    # named in another sentence, or two groups named: nobody can say which, the unidentified
    # armed group stays
    z = extract("Two herders were killed overnight in Kolofata. Boko Haram fighters left the area.")
    assert all(e.actor1 is None or e.actor1.normalized != "Boko Haram" for e in _acts(z)[:1])
    y = extract(
        "Two herders were killed overnight in Kolofata, where Boko Haram and the LRA are active."
    )
    other = _acts(y)
    assert other and other[0].actor1 is not None
    assert other[0].actor1.normalized not in ("Boko Haram", "Lord's Resistance Army")


@pytest.mark.model
def test_a_battle_is_fought_with_the_armed_actor_of_its_clash(extract: Extract) -> None:
    x = extract("Rebels took control of the town of Bunia after a clash with government troops.")
    battle = next(e for e in _acts(x) if e.event_type == "Battles")
    assert battle.actor2 is not None and battle.actor2.acled_class == STATE
    # who actor 1 is ("gunmen said to belong to X") is no opponent
    y = extract("Gunmen said to belong to the LRA attacked a village near Pader, Uganda.")
    acts = _acts(y)
    assert acts and all(e.actor2 is None or e.actor2.acled_class != REBELS for e in acts)


def test_a_hyphenated_party_name_is_matched_whole_not_as_a_neighbours_acronym(
    extract: Extract,
) -> None:
    # "PF" alone is Zambia's Patriotic Front; "ZANU-PF" is Zimbabwe's ruling party, and a note
    # opening with it is no "ZANU -" dateline
    for text in (
        "ZANU-PF supporters assaulted MDC members in Chitungwiza.",
        "Zanu-PF youths attacked two MDC activists in Chitungwiza.",
    ):
        acts = _acts(extract(text, published=_on(2008, 6, 20)))
        assert acts, text
        assert acts[0].actor1 is not None and acts[0].actor1.country == "ZWE", text
        assert acts[0].actor1.normalized == "ZANU-PF", text
    text = "PF cadres attacked UPND supporters in Lusaka."
    zambia = _acts(extract(text, published=_on(2016, 5, 3)))
    assert zambia[0].actor1 is not None and zambia[0].actor1.country == "ZMB"
