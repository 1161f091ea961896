"""Extracted events built by hand for the linking tests: no model needed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from schemas import Actor, Attribution, Event, Place, Span, When

T0 = datetime(2016, 11, 28, 6, tzinfo=UTC)

SYRIAN_ARMY = Actor(
    name="The Syrian army",
    normalized="Syrian army",
    type="state_military",
    confidence=0.8,
    country="SYR",
    cameo="SYRMIL",
)
ARMY_AND_ALLIES = Actor(
    name="Military forces and allied fighters",
    normalized="Syrian army and pro-government militia",
    type="state_military",
    confidence=0.7,
    country="SYR",
    cameo="SYRMIL",
    members=["Syrian army", "pro-government militia"],
)
SYRIAN_AIR_FORCE = Actor(
    name="Syrian war planes",
    normalized="Syrian air force",
    type="state_military",
    confidence=0.8,
    country="SYR",
    cameo="SYRMIL",
)
RUSSIAN_AIR_FORCE = Actor(
    name="Russian jets",
    normalized="Russian air force",
    type="state_military",
    confidence=0.8,
    country="RUS",
    cameo="RUSMIL",
)
REBELS = Actor(
    name="rebels", normalized="rebels", type="rebels", confidence=0.7, country="SYR", cameo="SYRREB"
)
CIVILIANS = Actor(
    name="civilians",
    normalized="civilians",
    type="civilians",
    confidence=0.7,
    country="SYR",
    cameo="SYRCVL",
)
PROTESTERS = Actor(
    name="protesters",
    normalized="protesters",
    type="protesters",
    confidence=0.7,
    country="ROU",
    cameo="ROUOPP",
)
PEOPLE = Actor(
    name="150,000 people",
    normalized="civilians",
    type="civilians",
    confidence=0.6,
    country="ROU",
    cameo="ROUCVL",
)
ISLAMIC_STATE = Actor(
    name="Islamic State fighters",
    normalized="Islamic State",
    type="rebels",
    confidence=0.9,
    cameo="IMGMOSISI",
)
HTS = Actor(
    name="Nusra Front",
    normalized="Hayat Tahrir al-Sham",
    type="rebels",
    confidence=0.9,
    country="SYR",
    cameo="SYRREBNUS",
)
MILITANTS = Actor(
    name="militants",
    normalized="rebels",
    type="rebels",
    confidence=0.6,
    country="IRQ",
    cameo="IRQREB",
)
UNKNOWN_ORG = Actor(
    name="the Counter-Terrorism Service",
    normalized="the Counter-Terrorism Service",
    type="organization",
    confidence=0.5,
)


def _aleppo_part(name: str) -> Place:
    return Place(
        name=name,
        geo_precision=2,
        confidence=0.6,
        latitude=36.20124,
        longitude=37.16117,
        country_code="SY",
        admin1="Aleppo",
        parent="Aleppo",
        geonameid=170063,
        gazetteer="geonames",
    )


SAKHOUR = _aleppo_part("Sakhour")
JABAL_BADRO = _aleppo_part("Jabal Badro")
ALEPPO = Place(
    name="Aleppo",
    geo_precision=1,
    confidence=0.9,
    latitude=36.20124,
    longitude=37.16117,
    country_code="SY",
    geonameid=170063,
    gazetteer="geonames",
)
ALEPPO_PROVINCE = Place(
    name="Aleppo province",
    geo_precision=3,
    confidence=0.85,
    latitude=36.20124,
    longitude=37.16117,
    country_code="SY",
    admin1="Aleppo",
    parent="Aleppo",
    geonameid=170063,
    gazetteer="project",
)
SYRIA = Place(name="Syria", geo_precision=4, confidence=0.8, country_code="SY")
SARAQIB = Place(
    name="Saraqib",
    geo_precision=1,
    confidence=0.9,
    latitude=35.86447,
    longitude=36.80591,
    country_code="SY",
    geonameid=164816,
    gazetteer="geonames",
)
BINNISH = Place(  # 13 km from Saraqib
    name="Binnish",
    geo_precision=1,
    confidence=0.9,
    latitude=35.95664,
    longitude=36.7138,
    country_code="SY",
    geonameid=171451,
    gazetteer="geonames",
)
IDLIB_PROVINCE = Place(
    name="Idlib province",
    geo_precision=3,
    confidence=0.85,
    latitude=35.93062,
    longitude=36.63393,
    country_code="SY",
    admin1="Idlib",
    parent="Idlib",
    geonameid=169389,
    gazetteer="project",
)
NEAR_SARAQIB = Place(  # "on the outskirts of Saraqib": approximate, no parent
    name="outskirts of Saraqib",
    geo_precision=2,
    confidence=0.5,
    latitude=35.87,
    longitude=36.82,
    country_code="SY",
    gazetteer="geonames",
)
BUCHAREST = Place(
    name="Bucharest",
    geo_precision=1,
    confidence=0.9,
    latitude=44.43225,
    longitude=26.10626,
    country_code="RO",
    geonameid=683506,
    gazetteer="geonames",
)


def day(value: str, *, explicit: bool = True, confidence: float = 0.8) -> When:
    """A date of day precision (``explicit``: with a time expression in the text)."""
    span = Span(text="on Sunday", start=0, end=9) if explicit else None
    return When(date=value, time_precision="day", confidence=confidence, span=span)


def month(value: str) -> When:
    """A date of month precision ("in November")."""
    span = Span(text="in November", start=0, end=11)
    return When(date=value, time_precision="month", confidence=0.6, span=span)


def event(
    event_id: str,
    *,
    article: str = "a1",
    source: str = "Reuters",
    published: datetime = T0,
    event_type: str = "Battles",
    sub_event_type: str = "Government regains territory",
    cameo_root: str = "19",
    cameo_code: str = "192",
    actor1: Actor | None = SYRIAN_ARMY,
    actor2: Actor | None = REBELS,
    place: Place | None = SAKHOUR,
    when: When | None = None,
    modality: str = "asserted",
    confidence: float = 0.75,
    trigger: str = "recaptured",
    attribution: Attribution | None = None,
) -> Event:
    """An extracted event; by default the Syrian army's recapture of Sakhour on 27 Nov 2016."""
    sentence = f"The army {trigger} the place."
    return Event(
        event_id=event_id,
        article_id=article,
        event_type=event_type,
        sub_event_type=sub_event_type,
        cameo_root=cameo_root,
        cameo_code=cameo_code,
        plover="ASSAULT",
        trigger=Span(text=trigger, start=9, end=9 + len(trigger)),
        sentence=Span(text=sentence, start=0, end=len(sentence)),
        modality=modality,
        factual=modality == "asserted",
        confidence=confidence,
        extracted=published + timedelta(minutes=5),
        actor1=actor1,
        actor2=actor2,
        place=place,
        when=when if when is not None else day("2016-11-27"),
        attribution=attribution,
        source=source,
        url=f"https://example.org/{article}",
        published=published,
    )


def strike(event_id: str, place: Place, **kwargs: object) -> Event:
    """An air strike by Syrian war planes on civilians, 29 Nov 2016."""
    fields: dict[str, object] = {
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Air/drone strike",
        "cameo_code": "195",
        "actor1": SYRIAN_AIR_FORCE,
        "actor2": CIVILIANS,
        "place": place,
        "when": day("2016-11-29"),
        "published": datetime(2016, 11, 29, 14, tzinfo=UTC),
        "trigger": "hit",
    }
    fields.update(kwargs)
    return event(event_id, **fields)  # type: ignore[arg-type]


def protest(event_id: str, date: str, **kwargs: object) -> Event:
    """A protest in Bucharest on ``date``."""
    fields: dict[str, object] = {
        "event_type": "Protests",
        "sub_event_type": "Peaceful protest",
        "cameo_root": "14",
        "cameo_code": "141",
        "actor1": PROTESTERS,
        "actor2": None,
        "place": BUCHAREST,
        "when": day(date),
        "published": datetime.fromisoformat(f"{date}T22:00:00+00:00"),
        "trigger": "protested",
    }
    fields.update(kwargs)
    return event(event_id, **fields)  # type: ignore[arg-type]
