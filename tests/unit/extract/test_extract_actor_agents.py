"""Actors by role: who did the act (generic agents, passives, clashes), typed like ACLED."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pipeline.extract import Extraction
from schemas.events import Actor, Event

pytestmark = pytest.mark.model

Extract = Callable[..., Extraction]


def _first(x: Extraction) -> Event:
    return next(e for e in x.events if e.factual)


def _actor1(x: Extraction) -> Actor:
    actor = _first(x).actor1
    assert actor is not None
    return actor


def test_unnamed_protesters_are_protesters_of_the_story_country(extract: Extract) -> None:
    x = extract("Medical interns protested outside the health ministry in Nairobi on Monday.")
    assert _first(x).event_type == "Protests"
    actor = _actor1(x)
    assert actor.type == "protesters"
    assert actor.country == "KEN"
    assert actor.acled_class == 6


def test_residents_who_protest_are_protesters(extract: Extract) -> None:
    x = extract("Residents of a village near Eldoret protested against a new quarry on Monday.")
    actor = _actor1(x)
    assert actor.type == "civilians"  # the CAMEO reading stays
    assert actor.acled_class == 6


def test_rioters_and_mobs_are_rioters(extract: Extract) -> None:
    x = extract("A mob torched a police post in Kisumu on Monday.")
    assert _actor1(x).acled_class == 5


@pytest.mark.parametrize(
    ("text", "acled_class"),
    [
        ("Bandits attacked a bus on the Garissa road on Monday.", 3),
        ("Unidentified armed men shot dead a trader in Mombasa on Monday.", 3),
        ("An unidentified armed group kidnapped two engineers near Mandera on Monday.", 3),
        ("Cattle rustlers killed three villagers in Baringo on Monday.", 4),
        ("Clan militias attacked a village near Wajir on Monday.", 4),
    ],
)
def test_generic_armed_agents(extract: Extract, text: str, acled_class: int) -> None:
    actor = _actor1(extract(text))
    assert actor.type == "militia"
    assert actor.acled_class == acled_class


def test_unidentified_warplanes_are_nobody_s_air_force(extract: Extract) -> None:
    x = extract("Unidentified warplanes struck an Iranian depot near Albu Kamal in Syria.")
    actor = _actor1(x)
    assert actor.type == "state_military"
    assert actor.country is None  # neither Syria's nor Iran's
    assert actor.acled_class == 8


def test_the_by_phrase_of_coordinated_passives(extract: Extract) -> None:
    x = extract("A pastor was abducted, beaten and dumped in a forest by unknown men in Embu.")
    actor = _actor1(x)
    assert actor.name == "unknown men"
    assert actor.acled_class == 3


def test_who_planted_the_bomb_set_it_off(extract: Extract) -> None:
    x = extract("A roadside bomb planted by militants exploded near a checkpoint in Mogadishu.")
    actor = _actor1(x)
    assert actor.type == "rebels"
    assert actor.acled_class == 2


def test_clashes_between_x_and_y(extract: Extract) -> None:
    x = extract("Clashes erupted between Syrian troops and rebel fighters near Idlib on Monday.")
    event = _first(x)
    assert event.actor1 is not None and event.actor2 is not None
    assert event.actor1.acled_class == 1
    assert event.actor2.acled_class == 2


def test_civilians_who_fight_are_armed(extract: Extract) -> None:
    x = extract("Clashes broke out between two families in Tyre, Lebanon, on Monday.")
    event = _first(x)
    assert event.actor1 is not None and event.actor1.type == "civilians"
    # a communal militia in a battle, a mob attacking civilians
    expected = 4 if event.event_type == "Battles" else 5
    assert event.actor1.acled_class == expected
    x = extract("Angry residents lynched a suspected thief in Molo on Monday.")
    actor = _actor1(x)
    assert actor.type == "civilians"
    assert actor.acled_class == 5


def test_foreign_forces_are_external(extract: Extract) -> None:
    x = extract("Turkish troops shelled a village near Tal Tamer in Syria on Monday.")
    actor = _actor1(x)
    assert actor.country == "TUR"
    assert actor.acled_class == 8
    x = extract("Syrian troops shelled a village near Tal Tamer in Syria on Monday.")
    assert _actor1(x).acled_class == 1


def test_a_protest_nobody_is_named_for_is_its_protesters(extract: Extract) -> None:
    x = extract("A protest was held in Kisumu on Monday against the arrest of a local MP.")
    event = next(e for e in x.events if e.factual and e.event_type == "Protests")
    assert event.actor1 is not None
    assert event.actor1.type == "protesters"
    assert event.actor1.span is None  # nobody is named: no evidence to point at
    assert event.actor1.acled_class == 6


def test_violence_nobody_is_named_for_is_an_unidentified_armed_group(extract: Extract) -> None:
    x = extract("Two people were injured when a grenade went off outside a bar in Garissa.")
    actor = _actor1(x)
    assert actor.type == "militia"
    assert actor.span is None
    assert actor.acled_class == 3


def test_who_attacked_in_a_when_clause_did_the_passive_harm(extract: Extract) -> None:
    x = extract("Two traders were killed when bandits attacked a market in Moyale on Monday.")
    event = next(e for e in x.events if e.trigger.text.startswith("killed"))
    assert event.actor1 is not None and event.actor1.name == "bandits"
    assert event.actor1.acled_class == 3


def test_resistance_forces_are_a_militia(extract: Extract) -> None:
    x = extract("Popular Resistance forces shelled rebel positions near Taiz on Monday.")
    actor = _actor1(x)
    assert actor.type == "militia"
    assert actor.acled_class == 3


@pytest.mark.parametrize(
    ("text", "acled_class"),
    [
        ("Shiite militias attacked a village near Baquba on Monday.", 4),
        ("Armed militias attacked a village near Baquba on Monday.", 3),
        ("Government militias attacked a village near Baquba on Monday.", 3),
        ("National Resistance forces shelled rebel positions near Hodeidah on Monday.", 3),
    ],
)
def test_a_community_s_armed_group_is_an_identity_militia(
    extract: Extract, text: str, acled_class: int
) -> None:
    actor = _actor1(extract(text))
    assert actor.type == "militia"
    assert actor.acled_class == acled_class


def test_the_agent_of_a_passive_clause_that_tells_how(extract: Extract) -> None:
    x = extract("Three people were killed after a bus was ambushed by al-Shabaab near Mandera.")
    event = next(e for e in x.events if e.trigger.text.startswith("killed"))
    assert event.actor1 is not None and event.actor1.normalized == "al-Shabaab"


def test_party_supporters_who_clash_are_rioters_on_both_sides(extract: Extract) -> None:
    x = extract("Supporters of the Awami League and the BNP clashed in Bogra town on Monday.")
    event = _first(x)
    assert event.actor1 is not None and event.actor1.acled_class == 5
    if event.actor2 is not None:
        assert event.actor2.acled_class == 5


def test_a_governing_party_is_no_state_force(extract: Extract) -> None:
    x = extract("Awami League activists staged a demonstration in Khulna on Monday.")
    actor = _actor1(x)
    assert actor.normalized == "Awami League"
    assert actor.type == "government"  # the CAMEO reading: the party governed in 2016
    assert actor.acled_class == 6


@pytest.mark.parametrize(
    ("text", "acled_class"),
    [
        # farmers and herders who fight are a communal militia, residents or youths a mob
        ("A group of farmers attacked a herders' camp near Kandi on Monday.", 4),
        ("Pastoralists killed two farmers near Kalale on Monday.", 4),
        ("Residents lynched a suspected thief in Parakou on Monday.", 5),
        ("Youths assaulted and wounded a suspected thief in Parakou on Monday.", 5),
    ],
)
def test_civilian_agents_of_violence(extract: Extract, text: str, acled_class: int) -> None:
    assert _actor1(extract(text)).acled_class == acled_class


@pytest.mark.parametrize(
    ("text", "acled_class"),
    [
        ("Puntland Dervish Force clashed with militants near Qandala on Monday.", 1),
        ("Jubaland security forces arrested four men in Kismayo on Monday.", 1),
        ("International forces conducted an airstrike on militants near Jilib on Monday.", 8),
        ("Islamic State Somalia Province ambushed a convoy near Bosaso on Monday.", 2),
        ("JNIM militants attacked a police post near Karimama on Monday.", 2),
    ],
)
def test_named_forces_and_groups(extract: Extract, text: str, acled_class: int) -> None:
    assert _actor1(extract(text)).acled_class == acled_class


def test_an_unnamed_doer_is_the_agent_of_the_act_just_told(extract: Extract) -> None:
    x = extract(
        "Clashes erupted between two groups of villagers over a land dispute near Sarail on "
        "Monday. One person was killed."
    )
    killed = next(e for e in x.events if e.factual and e.trigger.text == "killed")
    assert killed.actor1 is not None
    assert killed.actor1.name == "villagers"
    assert killed.actor1.acled_class == 5  # villagers who kill are a mob


def test_an_unnamed_doer_after_no_violent_act_stays_unknown(extract: Extract) -> None:
    x = extract("The minister visited Mogadishu on Monday. Two people were killed in a blast.")
    killed = next(e for e in x.events if e.factual and e.trigger.text == "killed")
    assert killed.actor1 is None or killed.actor1.normalized != "Somali government"


def test_forces_of_the_story_country_are_the_event_country_s_own(extract: Extract) -> None:
    # "regime forces" take the story's country; acting where the event is placed they are that
    # country's forces (state forces), not foreign ones
    x = extract("Regime forces shelled the village of Kafr Oweid in Idlib province on Monday.")
    assert _actor1(x).acled_class == 1


def test_yemeni_government_and_houthi_forces_are_state_forces(extract: Extract) -> None:
    for text in (
        "Pro-Hadi forces clashed with fighters near Marib on Monday.",
        "Houthi forces fired mortar shells at villages near Taiz on Monday.",
    ):
        assert _actor1(extract(text)).acled_class == 1


def test_whoever_lynched_is_a_mob(extract: Extract) -> None:
    x = extract("A man suspected of theft was lynched in Kisii town on Sunday.")
    lynched = next(e for e in x.events if e.factual and e.trigger.text == "lynched")
    assert lynched.actor1 is not None
    assert lynched.actor1.acled_class == 5


@pytest.mark.parametrize(
    "text",
    [
        "Al Shabaab fighters were sighted near Jowhar town on Monday.",
        "Movement of forces: On Monday, Al Shabaab deployed fighters near Afmadow.",
    ],
)
def test_forces_seen_or_sent_are_the_agents_of_their_movement(extract: Extract, text: str) -> None:
    event = _first(extract(text))
    assert event.actor1 is not None
    assert event.actor1.normalized == "al-Shabaab"
    assert event.actor1.acled_class == 2


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "Three soldiers were killed following an ambush by Taliban militants in Ghazni.",
            "Taliban",
        ),
        (
            "Two policemen were killed when their car hit a Taliban-planted bomb in Khost.",
            "Taliban",
        ),
        (
            "Five soldiers were killed and seven were wounded following an attack by Taliban "
            "militants on a checkpoint in Ghazni.",
            "Taliban",
        ),
    ],
)
def test_the_doer_of_a_passive_harm_told_by_its_cause(
    extract: Extract, text: str, name: str
) -> None:
    killed = next(e for e in extract(text).events if e.factual and e.trigger.text == "killed")
    assert killed.actor1 is not None
    assert killed.actor1.normalized == name
    assert killed.actor1.acled_class == 2
