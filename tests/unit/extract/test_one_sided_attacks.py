"""Who was attacked and with what decides the ACLED type: an attack nobody fought back is violence
against civilians, a militia's clash is a battle, a weapon used from afar is remote violence
(``one_sided.py``, ``incident_types.py``)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pipeline.extract import Extraction
from pipeline.extract.cues import load_cues
from pipeline.extract.event_typer import load_acled_types
from pipeline.extract.one_sided import remote_type
from schemas.events import Event

pytestmark = pytest.mark.model

Extract = Callable[..., Extraction]


def _main(x: Extraction) -> Event:
    return next(e for e in x.events if e.main)


def _typed(x: Extraction) -> tuple[str, str]:
    event = _main(x)
    return event.event_type, event.sub_event_type


def test_an_armed_attack_on_a_village_or_on_civilians_is_violence_against_civilians(
    extract: Extract,
) -> None:
    for text in (
        "Boko Haram attacked the village of Barakesse, killing two civilians.",
        "Gunmen attacked Kolbi village on Sunday. No fatality was reported.",
        "Suspected militants opened fire on a bar in Nassougou, killing a former councillor.",
    ):
        assert _typed(extract(text)) == ("Violence against civilians", "Attack"), text


def test_an_attack_somebody_fought_back_or_on_an_armed_target_stays_a_battle(
    extract: Extract,
) -> None:
    for text in (
        "Boko Haram attacked the village of Tolkomari. Soldiers intervened and engaged them "
        "in a firefight.",
        "Gunmen attacked Kolbi village before they were repelled by local vigilantes.",
        "Al Shabaab militants attacked an army base in Marka, killing two soldiers.",
    ):
        assert _typed(extract(text)) == ("Battles", "Armed clash"), text


def test_a_militia_clash_with_people_the_words_call_civilians_is_a_battle(
    extract: Extract,
) -> None:
    for text in (
        "Bul Nuer militia clashed with local youths at Mangolapuk, leaving 15 dead.",
        "Fulani herders clashed with youth from a local farming community.",
    ):
        assert _main(extract(text)).event_type == "Battles", text


def test_a_weapon_used_from_afar_decides_remote_violence(extract: Extract) -> None:
    cases = {
        "A bomb planted by an unknown armed group killed an Afghan soldier in Lashkargah "
        "district, Helmand.": "Remote explosive/landmine/IED",
        "Four Taliban militants were killed by Afghan military airstrikes in Narang district, "
        "Kunar.": "Air/drone strike",
        "A policeman was killed on Sunday in a roadside bomb explosion in central Sinai.": (
            "Remote explosive/landmine/IED"
        ),
    }
    for text, sub in cases.items():
        assert _typed(extract(text)) == ("Explosions/Remote violence", sub), text


def test_direct_fire_or_a_fight_keeps_the_battle(extract: Extract) -> None:
    for text in (
        "Rebel forces used grenade launchers, heavy machine guns and small arms to fire upon "
        "army positions near Avdiivka.",
        "Soldiers and Boko Haram fighters clashed near Bama, and mortars were used.",
    ):
        assert _main(extract(text)).event_type == "Battles", text


def test_remote_weapons_name_sub_types_of_one_acled_type() -> None:
    assert remote_type(load_cues(), load_acled_types()) == "Explosions/Remote violence"


def test_a_riot_word_or_rioters_make_the_demonstration_a_riot(extract: Extract) -> None:
    for text in (
        "Students riot in protest at meal allowances in Kitwe.",
        "Rioters blocked a road in Save to protest the legislative election.",
    ):
        assert _main(extract(text)).event_type == "Riots", text
    # a riot the story only recalls is no riot of its protest
    text = "Students boycott classes in Kitwe after a day of riots over meal allowances."
    assert _main(extract(text)).event_type == "Protests"


def test_a_headline_passive_puts_its_subject_as_the_victim(extract: Extract) -> None:
    for text in (
        "Post newspaper vendors attacked in Lusaka",
        "Taxi driver murdered and mutilated in suspected ritual killing in Kitwe",
    ):
        event = _main(extract(text))
        assert event.event_type == "Violence against civilians", text
        assert event.actor2 is not None and event.actor2.acled_class == 7, text
        # the doer is nobody the text names (an unidentified armed group of the story's country)
        assert event.actor1 is None or event.actor1.span is None, text
    # a subject that acts on an object is the doer: a crowd's act is mob violence
    event = _main(extract("Residents lynched a suspected thief in Embu."))
    assert (event.event_type, event.sub_event_type) == ("Riots", "Mob violence")


def test_in_a_long_article_only_a_weapon_told_beside_the_act_makes_it_remote_violence(
    extract: Extract,
) -> None:
    text = (
        "Rebels attacked an army base near Tora on Monday, officials said. "
        "Talks between the two sides are planned for next month. "
        "The ministers met in the capital. "
        "Diplomats spoke to reporters on Tuesday. "
        "Elsewhere, bombs exploded in two markets last year, the report added."
    )
    typed = [(e.event_type, e.sub_event_type) for e in extract(text).events if e.factual]
    assert typed[0] == ("Battles", "Armed clash")
    # a short report is read whole: its weapon types its one battle
    short = "Rebels attacked an army post near Tora. A bomb planted by rebels killed two soldiers."
    assert _typed(extract(short))[0] == "Explosions/Remote violence"
