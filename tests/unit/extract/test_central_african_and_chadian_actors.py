"""Armed groups of the Central African Republic, Chad, Niger and South Sudan with ACLED's classes
(actors.yaml, actor_types.yaml ``local_classes``), mercenaries and peace missions as External/Other
forces, "armed group" as the unidentified armed group, and the two sides of "fighting between X
and Y" when the parse finds no doer. Sentences written for these tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from pipeline.extract import Extraction
from schemas import Event

Extract = Callable[..., Extraction]

STATE, REBELS, POLITICAL_MILITIA, IDENTITY_MILITIA, CIVILIANS, EXTERNAL = 1, 2, 3, 4, 7, 8


def _on(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 12, tzinfo=UTC)


def _main(x: Extraction) -> Event:
    acts = [e for e in x.events if e.factual and e.event_type and e.actor1 is not None]
    assert acts, [e.event_type for e in x.events]
    return next((e for e in acts if e.main), acts[0])


def test_central_african_armed_groups_are_political_militias(extract: Extract) -> None:
    upc = _main(
        extract(
            "UPC fighters looted shops and killed two traders in Bambari, Central African "
            "Republic, on Tuesday.",
            published=_on(2019, 5, 8),
        )
    )
    assert upc.actor1 is not None and upc.actor1.acled_class == POLITICAL_MILITIA
    cpc = _main(
        extract("CPC fighters ambushed a FACA patrol near Bossangoa.", published=_on(2021, 2, 3))
    )
    assert cpc.actor1 is not None and cpc.actor1.acled_class == POLITICAL_MILITIA
    assert cpc.actor2 is not None and cpc.actor2.acled_class == STATE


def test_unnamed_central_african_rebels_change_class_with_the_seleka(extract: Extract) -> None:
    text = (
        "Rebels attacked the town of Ndele in the Central African Republic, killing five villagers."
    )
    after = _main(extract(text, published=_on(2017, 4, 2)))
    before = _main(extract(text, published=_on(2012, 4, 2)))
    assert after.actor1 is not None and after.actor1.acled_class == POLITICAL_MILITIA
    assert before.actor1 is not None and before.actor1.acled_class == REBELS


def test_the_lra_stays_a_rebel_group_in_the_central_african_republic(extract: Extract) -> None:
    lra = _main(
        extract(
            "LRA fighters abducted twelve villagers near Obo, Central African Republic.",
            published=_on(2016, 3, 9),
        )
    )
    assert lra.actor1 is not None and lra.actor1.acled_class == REBELS


def test_mercenaries_and_peace_missions_are_external_forces(extract: Extract) -> None:
    wagner = _main(
        extract("Wagner Group fighters killed three herders near Bria.", published=_on(2021, 6, 1))
    )
    assert wagner.actor1 is not None and wagner.actor1.acled_class == EXTERNAL
    mercenaries = _main(extract("Russian mercenaries shot dead a trader in Alindao on Friday."))
    assert mercenaries.actor1 is not None and mercenaries.actor1.acled_class == EXTERNAL
    minusca = _main(extract("MINUSCA peacekeepers clashed with 3R fighters near Bocaranga."))
    assert minusca.actor1 is not None and minusca.actor1.acled_class == EXTERNAL
    assert minusca.actor2 is not None and minusca.actor2.acled_class == POLITICAL_MILITIA


def test_chadian_and_nigerien_rebels_are_rebel_groups(extract: Extract) -> None:
    mdjt = _main(
        extract("MDJT fighters attacked an army post in the Tibesti, Chad, killing six soldiers.")
    )
    assert mdjt.actor1 is not None and mdjt.actor1.acled_class == REBELS
    mnj = _main(extract("MNJ fighters ambushed a military convoy near Agadez, Niger."))
    assert mnj.actor1 is not None and mnj.actor1.acled_class == REBELS
    janjaweed = _main(extract("Janjaweed raiders killed nine villagers near Adre, Chad."))
    assert janjaweed.actor1 is not None and janjaweed.actor1.acled_class == POLITICAL_MILITIA


def test_an_armed_group_is_the_unidentified_armed_group(extract: Extract) -> None:
    x = _main(extract("An armed group abducted four miners near Kaga-Bandoro on Sunday."))
    assert x.actor1 is not None and x.actor1.acled_class == POLITICAL_MILITIA
    assert x.actor1.normalized == "unidentified attackers"


def test_fighting_between_two_sides_gives_both_in_order(extract: Extract) -> None:
    x = _main(
        extract("Heavy fighting between the army and armed groups took place near Wau on Monday.")
    )
    assert x.event_type == "Battles"
    assert x.actor1 is not None and x.actor1.acled_class == STATE
    assert x.actor2 is not None and x.actor2.acled_class == POLITICAL_MILITIA
    sides = _main(extract("Fighting between the SPLA and the White Army took place near Nasir."))
    assert sides.actor1 is not None and sides.actor1.acled_class == STATE
    assert sides.actor2 is not None and sides.actor2.acled_class == IDENTITY_MILITIA


def test_a_group_that_claims_the_act_is_its_doer(extract: Extract) -> None:
    bomb = _main(
        extract(
            "Two soldiers were killed when their vehicle struck an explosive device near Boni on "
            "Monday. JNIM claimed responsibility for the attack."
        )
    )
    assert bomb.actor1 is not None and bomb.actor1.normalized == "JNIM"
    assert bomb.actor1.acled_class == REBELS
    claimed = _main(
        extract(
            "A patrol was hit by a roadside bomb near Kidal. It was later claimed by Ansar Dine."
        )
    )
    assert claimed.actor1 is not None and claimed.actor1.normalized == "Ansar Dine"
    # a group named for something else is not the doer
    other = _main(
        extract(
            "Gunmen killed three villagers near Djibo. Police said JNIM fighters had left the area "
            "a week earlier."
        )
    )
    assert other.actor1 is not None and other.actor1.acled_class == POLITICAL_MILITIA
    assert other.actor1.normalized == "unidentified attackers"
