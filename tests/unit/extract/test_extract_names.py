"""A person named in full once is the same actor when later named by surname alone
(pipeline/extract/names.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from pipeline.extract import ArticleText, Extraction, Extractor

pytestmark = pytest.mark.model

Extract = Callable[..., Extraction]
AUG_2025 = datetime(2025, 8, 15, tzinfo=UTC)


def _actor1(x: Extraction, trigger: str) -> tuple[str, str | None, float] | None:
    actor = next(e for e in x.events if e.trigger.text == trigger).actor1
    return (actor.name, actor.cameo, actor.confidence) if actor else None


def test_a_surname_is_the_person_named_in_full_before(extract: Extract) -> None:
    x = extract(
        "DMK leader TKS Elangovan criticized the BJP on Monday. "
        "Elangovan also accused the Election Commission of bias.",
        published=AUG_2025,
    )
    first, second = _actor1(x, "criticized"), _actor1(x, "accused")
    assert first is not None and second is not None
    assert second[:2] == ("Elangovan", first[1]) == ("Elangovan", "INDOPP")
    assert second[2] < first[2]  # inferred: less sure than the full mention


def test_a_surname_with_no_earlier_full_name_stays_unknown(extract: Extract) -> None:
    x = extract("Yadav accused the commission of bias.", published=AUG_2025)
    assert _actor1(x, "accused") is None
    x = extract(
        "Yadav accused the commission of bias. Opposition leader Tejashwi Yadav spoke later.",
        published=AUG_2025,
    )
    assert _actor1(x, "accused") is None  # only earlier full names count


def test_pronouns_after_a_surname_keep_the_person(extract: Extract) -> None:
    x = extract(
        "Nepal's Home Minister Ramesh Lekhak met the Indian envoy on Monday. "
        "Lekhak urged India to return the prisoners. He criticised the delay.",
        published=AUG_2025,
    )
    met, urged, criticised = (_actor1(x, t) for t in ("met", "urged", "criticised"))
    assert met is not None and urged is not None and criticised is not None
    assert met[1] == urged[1] == criticised[1] == "NPLGOV"


def test_a_courtesy_title_and_a_two_word_surname(extract: Extract) -> None:
    x = extract(
        "Argentine President Adolfo Rodriguez Saa has asked banks to open. "
        '"I am concerned," Mr Rodriguez Saa said. He says he has asked banks to stay open.'
    )
    asked = [e for e in x.events if e.factual and e.trigger.text == "asked"]
    assert [e.actor1.cameo if e.actor1 else None for e in asked] == ["ARGGOV", "ARGGOV"]


def test_members_of_a_named_group_and_new_role_words(extract: Extract) -> None:
    x = extract("The Palestinian Authority has outlawed the military wing of Hamas.")
    [event] = [e for e in x.events if e.factual]
    assert event.actor2 is not None and event.actor2.cameo == "PSEREBHMS"
    x = extract("A director of a defunct Swiss company has denied responsibility for the tragedy.")
    [event] = [e for e in x.events if e.factual]
    assert event.actor1 is not None and event.actor1.cameo == "CHEBUS"
    x = extract("A United States federal magistrate has refused to free him on bail.")
    [event] = [e for e in x.events if e.factual]
    assert event.actor1 is not None and event.actor1.cameo == "USAJUD"
    x = extract("The Palestinian leadership appealed for intervention from the UN.")
    [event] = [e for e in x.events if e.factual]
    assert event.actor1 is not None and event.actor1.cameo == "PSEGOV"


def test_an_office_named_by_its_apposition_and_australian_leaders(extract: Extract) -> None:
    x = extract(
        "The Prime Minister, John Howard, has revealed he will go to Indonesia for a summit.",
        published=datetime(2001, 12, 20, tzinfo=UTC),
    )
    facts = [(e.cameo_code, e.actor1.cameo if e.actor1 else None) for e in x.events if e.factual]
    assert facts == [("036", "AUSGOV")]  # his announced visit, by Australia, not Indonesia
    x = extract(
        "Foreign Minister Alexander Downer says the watchdog should put Zimbabwe on its agenda.",
        published=datetime(2001, 12, 20, tzinfo=UTC),
    )
    [event] = [e for e in x.events if e.factual]
    assert event.actor1 is not None and event.actor1.cameo == "AUSGOV"


def test_services_bin_laden_and_the_other_side_of_a_fight(extract: Extract) -> None:
    x = extract("The FBI arrested two men in New York.")
    [event] = [e for e in x.events if e.factual]
    assert event.actor1 is not None and event.actor1.cameo == "USACOP"
    x = extract("Osama bin Laden urged Afghans to launch a new holy war.")
    [event] = [e for e in x.events if e.factual]
    assert event.actor1 is not None and event.actor1.cameo == "IMGMOSALQ"
    x = extract("A Palestinian was killed in a firefight with Israeli forces in Nablus.")
    [event] = [e for e in x.events if e.factual]
    assert event.actor1 is not None and event.actor1.cameo == "ISRMIL"


def test_the_outlets_country_is_the_storys_when_the_text_names_none(
    extractor: Extractor,
) -> None:
    text = "Unions have expressed their dissatisfaction with the royal commission."
    x = extractor.extract(ArticleText("h1", text, home_country="AUS"))
    [event] = [e for e in x.events if e.factual]
    assert event.actor1 is not None and event.actor1.cameo == "AUSLAB"
    x = extractor.extract(ArticleText("h2", text))
    [event] = [e for e in x.events if e.factual]
    assert event.actor1 is not None and event.actor1.cameo == "LAB"
    # a country the text names wins over the outlet's
    text = "Indian unions have expressed their dissatisfaction with the government."
    x = extractor.extract(ArticleText("h3", text, home_country="AUS"))
    [event] = [e for e in x.events if e.factual]
    assert event.actor1 is not None and event.actor1.cameo == "INDLAB"


def test_latin_america_is_not_america(extract: Extract) -> None:
    x = extract("Protesters clashed with police across Latin America on Monday.")
    [event] = [e for e in x.events if e.factual]
    assert event.actor1 is not None and not event.actor1.cameo.startswith("USA")
    assert event.place is None or event.place.country_code != "US"
    x = extract("America accused Iran of lying.")
    [event] = [e for e in x.events if e.factual]
    assert event.actor1 is not None and event.actor1.cameo == "USA"
