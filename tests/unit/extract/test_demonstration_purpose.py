"""A demonstration told by its purpose: "held a sit-in to demand pay" (demonstration_purpose)."""

from __future__ import annotations

from collections.abc import Callable

from pipeline.extract import Extraction
from schemas import Event

Extract = Callable[..., Extraction]


def _by_trigger(x: Extraction, trigger: str) -> Event:
    found = [e for e in x.events if e.trigger.text == trigger]
    assert found, [(e.trigger.text, e.event_type) for e in x.events]
    return found[0]


def test_a_demand_a_crowd_assembled_for_is_a_protest_that_happened(extract: Extract) -> None:
    x = extract(
        "Nurses of the district hospital held a sit-in in Kisumu to demand their salary arrears."
    )
    demand = _by_trigger(x, "demand")
    assert demand.factual
    assert (demand.event_type, demand.cameo_root) == ("Protests", "14")
    # the sit-in held is the protest reported (the lexicon finds "held a sit-in" since round 13)
    main = next(e for e in x.events if e.main)
    assert main.factual and main.event_type == "Protests"


def test_marching_to_demand_is_a_protest(extract: Extract) -> None:
    demand = _by_trigger(
        extract("Displaced families marched through Kisumu on Monday to demand compensation."),
        "demand",
    )
    assert demand.factual and demand.event_type == "Protests"


def test_what_a_crowd_did_to_protest_makes_the_protest_a_fact(extract: Extract) -> None:
    protest = _by_trigger(
        extract(
            "Traders blocked the main road in Ouagadougou to protest against the new market tax."
        ),
        "protest",
    )
    assert protest.factual and protest.event_type == "Protests"


def test_burning_a_post_to_demonstrate_is_a_violent_demonstration(extract: Extract) -> None:
    x = extract(
        "Residents of Malanville burnt a customs post to demonstrate over the arrest of a trader."
    )
    event = _by_trigger(x, "demonstrate")
    assert event.factual
    assert (event.event_type, event.sub_event_type) == ("Riots", "Violent demonstration")


def test_a_planned_gathering_stays_an_intention(extract: Extract) -> None:
    demand = _by_trigger(
        extract("The unions plan to gather in Accra to demand higher wages."), "demand"
    )
    assert not demand.factual
    assert demand.event_type == ""  # no crowd has assembled: the demand stays a demand


def test_a_purpose_of_other_acts_stays_an_intention(extract: Extract) -> None:
    # only demonstrating is done by assembling: troops sent to stop looting have not stopped it,
    # and a committee that met to demand nothing new has held no demonstration
    x = extract("The governor sent troops to Goma to demand the surrender of the militia.")
    demand = _by_trigger(x, "demand")
    assert not demand.factual and demand.event_type != "Protests"


def test_announcing_a_march_to_protest_is_no_protest_yet(extract: Extract) -> None:
    x = extract("The opposition leader announced a march in Patna to protest the new voter rolls.")
    assert not any(e.factual and e.event_type == "Protests" for e in x.events)


def test_an_armed_attack_on_a_journalist_is_violence_against_civilians(extract: Extract) -> None:
    x = extract("Police assaulted a journalist who was covering a meeting in Homa Bay on Monday.")
    event = _by_trigger(x, "assaulted")
    assert event.event_type == "Violence against civilians"
