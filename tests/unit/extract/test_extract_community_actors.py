"""Communities (communities.yaml) and forces whose class changed on a date: identity militias,
communities as actors, dated named forces."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pipeline.errors import ConfigError
from pipeline.extract import Extraction
from pipeline.extract.communities import load_communities
from schemas.events import Event

Extract = Callable[..., Extraction]

STATE, REBELS, UNIDENTIFIED, IDENTITY_MILITIA, CIVILIANS = 1, 2, 3, 4, 7


def _violent(x: Extraction) -> Event:
    return next(e for e in x.events if e.factual and e.event_type and e.actor1 is not None)


def test_the_list_adds_plurals_and_finds_longer_names_first(tmp_path: Path) -> None:
    path = tmp_path / "communities.yaml"
    path.write_text("communities:\n  SOM: [Habar Gidir, Abgaal]\n  SSD: [Murle]\n")
    table = load_communities(path)
    assert table.names[("Murle",)] == "SSD"
    assert table.names[("Abgaals",)] == "SOM"
    assert table.names[("Habar", "Gidir")] == "SOM"


def test_a_lower_case_name_or_a_bad_country_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "communities.yaml"
    path.write_text("communities:\n  SSD: [murle]\n")
    with pytest.raises(ConfigError, match="capitalised"):
        load_communities(path)
    path.write_text("communities:\n  South Sudan: [Murle]\n")
    with pytest.raises(ConfigError, match="alpha-3"):
        load_communities(path)


@pytest.mark.model
def test_unnamed_gunmen_in_a_story_of_communities_are_an_identity_militia(
    extract: Extract,
) -> None:
    x = extract(
        "Gunmen believed to be Toposa raided a village near Kapoeta on Monday, killing four "
        "herders and driving away the cattle."
    )
    event = _violent(x)
    assert event.actor1 is not None and event.actor1.acled_class == IDENTITY_MILITIA
    # no community named: the unidentified armed group
    y = extract("Gunmen raided a village near Kapoeta on Monday, killing four traders.")
    other = _violent(y)
    assert other.actor1 is not None and other.actor1.acled_class == UNIDENTIFIED


@pytest.mark.model
def test_armed_youth_are_an_armed_group_not_civilians(extract: Extract) -> None:
    x = extract("Armed youth ambushed a truck on the road to Rumbek, killing the driver.")
    event = _violent(x)
    assert event.actor1 is not None and event.actor1.acled_class == UNIDENTIFIED


@pytest.mark.model
def test_a_community_named_alone_fights_as_its_militia(extract: Extract) -> None:
    x = extract("The Murle attacked a cattle camp near Pibor, killing five herders.")
    event = _violent(x)
    assert event.actor1 is not None
    assert "Murle" in event.actor1.name and event.actor1.acled_class == IDENTITY_MILITIA
    assert event.actor2 is not None and event.actor2.acled_class == CIVILIANS


@pytest.mark.model
def test_named_forces_of_ethiopia_and_south_sudan(extract: Extract) -> None:
    x = extract("Liyu Police shot dead three farmers in Gursum woreda on Friday.")
    event = _violent(x)
    assert event.actor1 is not None and event.actor1.acled_class == STATE
    y = extract("SPLA-IO fighters attacked an SSPDF base in Yei county on Sunday.")
    battle = _violent(y)
    assert battle.actor1 is not None and battle.actor1.acled_class == REBELS
    assert battle.actor2 is not None and battle.actor2.acled_class == STATE


@pytest.mark.model
def test_libyan_forces_change_class_when_control_changed(extract: Extract) -> None:
    text = "Gaddafi forces shelled the town of Zintan, killing two fighters."
    during = extract(text, published=datetime(2011, 5, 2, 12, tzinfo=UTC))
    event = _violent(during)
    assert event.actor1 is not None and event.actor1.acled_class == STATE
    after = extract(text, published=datetime(2012, 1, 20, 12, tzinfo=UTC))
    later = _violent(after)
    assert later.actor1 is not None and later.actor1.acled_class == UNIDENTIFIED


@pytest.mark.model
def test_a_headline_whose_verb_reads_as_a_noun_keeps_its_object(extract: Extract) -> None:
    x = extract("OLF attacks Ethiopian troops")
    event = _violent(x)
    assert event.actor1 is not None and event.actor1.acled_class == REBELS
    assert event.actor2 is not None and event.actor2.acled_class == STATE


@pytest.mark.model
def test_a_community_named_only_for_the_victims_leaves_the_gunmen_unidentified(
    extract: Extract,
) -> None:
    x = extract("Unknown gunmen abducted two Fulani herders near Kandi on Tuesday.")
    event = _violent(x)
    assert event.actor1 is not None and event.actor1.acled_class == UNIDENTIFIED
