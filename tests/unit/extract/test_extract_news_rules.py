"""The extractor's rules for ordinary news text: claims and accusations, background clauses,
summaries, announcements, reciprocal acts, pronouns, and verbs that misfire outside politics."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pipeline.extract import Extraction
from schemas import Event

pytestmark = pytest.mark.model

Extract = Callable[..., Extraction]


def events(extraction: Extraction, trigger: str) -> list[Event]:
    return [e for e in extraction.events if e.trigger.text.startswith(trigger)]


def one(extraction: Extraction, trigger: str) -> Event:
    found = events(extraction, trigger)
    assert len(found) == 1, [(e.trigger.text, e.cameo_code) for e in extraction.events]
    return found[0]


def factual(extraction: Extraction) -> list[tuple[str, str]]:
    return [(e.trigger.text, e.cameo_code) for e in extraction.events if e.factual]


# --- claims and accusations ----------------------------------------------------------------------


def test_a_claim_about_others_is_an_accusation_and_its_content_alleged(extract: Extract) -> None:
    x = extract("The opposition claimed that the army shelled the town.")
    claim = one(x, "claimed")
    assert claim.factual and claim.cameo_code == "112"
    assert claim.actor2 is not None and claim.actor2.type == "state_military"
    shelled = one(x, "shelled")
    assert shelled.modality == "alleged" and not shelled.factual


def test_a_claim_of_ones_own_act_is_claiming_responsibility(extract: Extract) -> None:
    x = extract("The rebels claimed that they attacked the convoy.")
    assert one(x, "claimed").cameo_code == "015"
    assert not one(x, "attacked").factual


def test_accused_of_makes_the_act_alleged_and_done_by_the_accused(extract: Extract) -> None:
    x = extract("The minister accused the rebels of attacking the town.")
    assert one(x, "accused").cameo_root == "11"
    attacking = one(x, "attacking")
    assert attacking.modality == "alleged"
    assert attacking.actor1 is not None and attacking.actor1.type == "rebels"


# --- what is not a new event ---------------------------------------------------------------------


def test_relative_clauses_and_reduced_relatives_are_background(extract: Extract) -> None:
    x = extract("The general who seized power in 2021 met the envoy on Monday.")
    assert [t for t, _ in factual(x)] == ["met"]
    x = extract("Police released the journalists detained last week.")
    assert [t.split()[0] for t, _ in factual(x)] == ["released"]


def test_summaries_over_years_and_habits_are_not_events(extract: Extract) -> None:
    assert factual(extract("The army has shelled the region for four years.")) == []
    assert factual(extract("Activists were often detained by the police.")) == []
    # months of an ongoing campaign stay one event (the seed story's "For months ... urging")
    assert factual(extract("For months, the government has been urging rebels to leave."))


def test_a_participle_restating_the_act_is_the_same_event(extract: Extract) -> None:
    x = extract("Police fired on the crowd in Cairo, killing three people.")
    assert len(factual(x)) == 1
    x = extract("Opposition lawmakers protested in Delhi, alleging fraud.")
    assert {code[:2] for _, code in factual(x)} == {"14", "11"}  # another root: two events


# --- announcements, reciprocal acts, pronouns ----------------------------------------------------


def test_an_announced_release_is_an_intent_and_the_release_not_a_fact(extract: Extract) -> None:
    x = extract("Israel announced it would free 50 Palestinian prisoners.")
    announced = one(x, "announced")
    assert announced.factual and announced.cameo_code == "0353"
    assert announced.actor1 is not None and announced.actor1.cameo == "ISR"
    assert not one(x, "free").factual


def test_a_stated_attack_is_a_threat_but_not_someone_elses(extract: Extract) -> None:
    x = extract("The president said he will attack the rebels.")
    threat = one(x, "said")
    assert threat.factual and threat.cameo_root == "13"
    assert threat.actor2 is not None and threat.actor2.type == "rebels"
    assert not events(extract("The president said the army will attack the rebels."), "said")


def test_coordinated_actors_of_a_reciprocal_act(extract: Extract) -> None:
    met = one(extract("Brazil and Argentina met in Rio de Janeiro on Monday."), "met")
    assert met.actor1 is not None and met.actor1.cameo == "BRA"
    assert met.actor2 is not None and met.actor2.cameo == "ARG"


def test_a_pronoun_subject_keeps_the_event(extract: Extract) -> None:
    refuted = one(extract("It refuted the allegations on Monday."), "refuted")
    assert refuted.cameo_code == "016" and refuted.actor1 is None


def test_a_pronoun_reported_by_its_speaker_is_the_speaker(extract: Extract) -> None:
    x = extract("Iran's foreign ministry said it condemns the strike.")
    condemn = one(x, "condemns")
    assert condemn.actor1 is not None and condemn.actor1.cameo == "IRNGOV"


# --- actors --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "trigger", "code"),
    [
        ("The US condemned the attack.", "condemned", "USA"),
        ("Moscow condemned the sanctions.", "condemned", "RUSGOV"),
        ("Putin met Erdogan in Ankara.", "met", "RUSGOV"),
        ("The European Union criticised the decision.", "criticised", "IGOEEC"),
        # the movement code comes first; the lone place (Lima) gives the country
        ("Protesters blocked the highway in Lima.", "blocked", "NGMPER"),
    ],
)
def test_actor_codes(extract: Extract, text: str, trigger: str, code: str) -> None:
    event = one(extract(text), trigger)
    assert event.actor1 is not None and event.actor1.cameo == code


def test_coordinated_demonyms_and_named_organisations(extract: Extract) -> None:
    x = extract("US and British activists staged a protest in Beijing.")
    actor = one(x, "staged").actor1
    assert actor is not None and actor.members == ["American protesters", "British protesters"]
    x = extract("Amnesty International and Human Rights Watch condemned the arrests.")
    actor = one(x, "condemned").actor1
    assert actor is not None and actor.members == ["Amnesty International", "Human Rights Watch"]


# --- verbs that misfire outside politics ---------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The report revealed the figures on Monday.",
        "The team assembled in the hall on Monday.",
        "The minister met the deadline.",
        "The company was defeated in the market.",
        "The plan was met with criticism.",
    ],
)
def test_ordinary_senses_are_not_events(extract: Extract, text: str) -> None:
    assert factual(extract(text)) == []


def test_a_rare_verb_the_lemmatizer_mangles(extract: Extract) -> None:
    event = one(extract("The senator lambasted the president."), "lambasted")
    assert event.cameo_root == "11"
