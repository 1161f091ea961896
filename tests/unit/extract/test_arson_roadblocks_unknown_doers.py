"""Acts the lexicon missed and types the doer decides: arson and roadblocks (strategic
developments), "beat up" and "burnt down" as their bare verbs, a crowd's destruction a riot, and an
unknown doer's attack on a civilian no mob violence (``triggers.yaml``, ``cues.yaml``
``completive_particles``, ``acled_sides.yaml`` ``crowd_acts`` and ``unknown_doer_words``)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pipeline.extract import Extraction
from schemas.events import Event

pytestmark = pytest.mark.model

Extract = Callable[..., Extraction]
SD = "Strategic developments"


def _main(x: Extraction) -> Event | None:
    return next((e for e in x.events if e.main), None)


def _type(x: Extraction) -> tuple[str, str] | None:
    event = _main(x)
    return (event.event_type, event.sub_event_type) if event is not None else None


def test_setting_fire_to_property_is_property_destruction(extract: Extract) -> None:
    for text in (
        "Armed men set fire to the district court building in Tambara on Monday.",
        "A gang set the water company's depot on fire overnight.",
    ):
        assert _type(extract(text)) == (SD, "Looting/property destruction"), text


def test_roadblocks_set_up_or_erected_restrict_movement(extract: Extract) -> None:
    for text in (
        "Gang members set up roadblocks on the main road to Kenscoff.",
        "Barricades were erected on the national highway near Saint-Marc.",
    ):
        event = _main(extract(text))
        assert event is not None and event.factual, text
        assert (event.cameo_code, event.event_type) == ("191", SD), text


def test_a_completive_particle_codes_the_bare_verb(extract: Extract) -> None:
    x = extract("Armed men burnt down the homestead of a village elder in Kotido.")
    assert _main(x) is not None
    assert _main(x).cameo_code == "1712"  # type: ignore[union-attr]
    # a particle with its own meaning keeps its own entry: "set up" a base is no arson
    base = _main(extract("The army set up a new base near Dolo on Tuesday."))
    assert base is not None and base.cameo_code == "154"


def test_a_crowds_destruction_is_a_riot_an_armed_groups_is_not(extract: Extract) -> None:
    riot = _type(extract("Rioters burned the party's meeting places in Mkoani."))
    assert riot is not None and riot[0] == "Riots"
    assert _type(extract("Soldiers looted a shop in the market of Gokwe.")) == (
        SD,
        "Looting/property destruction",
    )


def test_an_unknown_doers_killing_of_a_civilian_is_violence_against_civilians(
    extract: Extract,
) -> None:
    for text in (
        "Unknown people have killed a village chairman in Kilwa District.",
        "Unidentified people shot dead a shopkeeper in Ikwiriri on Sunday.",
    ):
        assert _type(extract(text)) == ("Violence against civilians", "Attack"), text


def test_a_crowd_that_lynches_is_still_a_mob(extract: Extract) -> None:
    assert _type(extract("Residents lynched a suspected thief in Mbeya.")) == (
        "Riots",
        "Mob violence",
    )
