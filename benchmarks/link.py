"""Benchmark of event linking against extraction, with a store full of live events, in one run.

Articles (the web-news corpus in ``../shared``, else copies of the seed story) are extracted once
with the real extractor, timed. The store is then filled, through ``LinkStage.process``, with
synthetic events made from the real ones (``--live``, default 100,000 live linked events): each
copies a real event's type, actors and country, and gets another city of that country, a
publication time spread over the ``window`` before the timed articles' (so none has expired)
and its own article; so the busy lanes of the real stream (statements in India, battles in the
US) are busy in the store too. Finally the real extracted events are linked against that store,
timed. The figure is link time / extraction time for the same articles.

``--hot N`` measures a hot lane instead: N distinct events of one type and country on one day,
placed at country level (each a different actor, so none links), and N reports of one event;
per-event link time and bytes written to the store (the changelog) at checkpoints.

Usage: ``python -m benchmarks.link [--live 100000] [--articles 120] [--hot N] [--json]``.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from benchmarks.extract import WEB_NEWS, load_texts
from pipeline.extract import ArticleText, Extractor
from pipeline.extract.gazetteer import Gazetteer
from pipeline.link import LinkConfig, LinkStage
from schemas import Actor, Event, Place, Span, When

#: The timed articles are published at this time; the store's events in the window before it.
NOW = datetime(2025, 1, 31, 12, tzinfo=UTC)


@dataclass(frozen=True)
class City:
    """A gazetteer city a synthetic event can be moved to."""

    name: str
    latitude: float | None
    longitude: float | None
    geonameid: int | None


def cities_by_country(gazetteer: Gazetteer) -> dict[str, list[City]]:
    """Every city of the gazetteer under its ISO alpha-2 country."""
    out: dict[str, dict[str, City]] = defaultdict(dict)
    for surface in gazetteer.surfaces():
        for place in gazetteer.lookup(surface):
            if place.kind in ("city", "town") and place.country and place.main_name:
                city = City(place.name, place.latitude, place.longitude, place.geonameid)
                out[place.country][place.key] = city
    return {country: list(found.values()) for country, found in out.items()}


def synthetic(
    pool: Sequence[Event],
    count: int,
    *,
    cities: dict[str, list[City]],
    window: timedelta,
    seed: int = 1,
    prefix: str = "syn",
) -> list[Event]:
    """``count`` events like the ``pool``'s, elsewhere in their country and earlier in time."""
    rng = random.Random(seed)
    out: list[Event] = []
    seconds = int(window.total_seconds()) - 86_400
    for i in range(count):
        model = rng.choice(pool)
        published = NOW - timedelta(seconds=rng.randrange(3600, seconds))
        place = model.place
        if place is not None and place.country_code in cities and place.geo_precision <= 2:
            city = rng.choice(cities[place.country_code])
            place = Place(
                name=city.name,
                geo_precision=1,
                confidence=0.8,
                latitude=city.latitude,
                longitude=city.longitude,
                country_code=place.country_code,
                geonameid=city.geonameid,
                gazetteer="geonames",
            )
        when = model.when
        if when is not None:
            when = When(
                date=published.date().isoformat(),
                time_precision="day" if when.time_precision == "day" else "month",
                confidence=when.confidence,
                span=when.span,
            )
            if when.time_precision == "month":
                when.date = published.date().replace(day=1).isoformat()
        out.append(
            model.derive(
                event_id=f"{prefix}{i}",
                article_id=f"{prefix}-article-{i}",
                source=f"source-{rng.randrange(400)}",
                published=published,
                extracted=published + timedelta(minutes=5),
                place=place,
                when=when,
            )
        )
    out.sort(key=lambda e: e.published or NOW)
    return out


def benchmark_link(
    texts: Sequence[str],
    *,
    live: int = 100_000,
    extractor: Extractor | None = None,
    config: LinkConfig | None = None,
    batch_size: int = 16,
) -> dict[str, Any]:
    """Extraction time and link time of the same articles, with ``live`` events in the store."""
    extractor = extractor or Extractor()
    config = config or LinkConfig()
    articles = [
        ArticleText(f"bench-{i}", text, published=NOW, source=f"bench-source-{i % 7}")
        for i, text in enumerate(texts)
    ]
    extractor.extract_many(articles[:2])  # warm caches outside the timing
    started = time.perf_counter()
    extractions = extractor.extract_many(articles, batch_size=batch_size)
    extract_seconds = time.perf_counter() - started
    events = [e for x in extractions for e in x.events]
    if not events:
        raise ValueError("the articles gave no events to link")

    store: dict[str, bytes] = {}
    stage = LinkStage(config, store)
    cities = cities_by_country(extractor.gazetteer)
    started = time.perf_counter()
    generated = 0
    while _live(store) < live:
        batch = synthetic(
            events,
            int((live - _live(store)) * 1.05) + 100,
            cities=cities,
            window=config.window,
            seed=generated + 1,
            prefix=f"syn{generated}-",
        )
        for e in batch:
            stage.process(e)
        generated += len(batch)
    fill_seconds = time.perf_counter() - started
    live_events = _live(store)
    blocks = [len(json.loads(v)) for k, v in store.items() if k.startswith("b:")]

    timings: list[float] = []
    kinds: dict[str, int] = defaultdict(int)
    for e in events:
        started = time.perf_counter()
        outcome = stage.process(e)
        timings.append(time.perf_counter() - started)
        kinds[outcome.kind] += 1
    link_seconds = sum(timings)
    timings.sort()
    return {
        "articles": len(texts),
        "events": len(events),
        "live_events": live_events,
        "extract_seconds": round(extract_seconds, 3),
        "link_seconds": round(link_seconds, 4),
        "ratio": round(link_seconds / extract_seconds, 4),
        "link_ms_per_event_mean": round(link_seconds / len(events) * 1000, 3),
        "link_ms_per_event_p50": round(timings[len(timings) // 2] * 1000, 3),
        "link_ms_per_event_p99": round(timings[int(len(timings) * 0.99)] * 1000, 3),
        "extract_ms_per_event": round(extract_seconds / len(events) * 1000, 2),
        "outcomes": dict(kinds),
        "fill_events": generated,
        "fill_seconds": round(fill_seconds, 1),
        "fill_ms_per_event": round(fill_seconds / generated * 1000, 3),
        "store_keys": len(store),
        "store_mib": round(sum(len(k) + len(v) for k, v in store.items()) / 2**20, 1),
        "bytes_per_live_event": round(sum(len(k) + len(v) for k, v in store.items()) / live_events),
        "blocks": len(blocks),
        "block_size_mean": round(sum(blocks) / len(blocks), 1) if blocks else 0,
        "block_size_max": max(blocks, default=0),
        "model": extractor.version,
    }


class _CountingStore(dict[str, bytes]):
    """A dict store that counts the bytes written to it: what its changelog would carry."""

    written = 0

    def __setitem__(self, key: str, value: bytes) -> None:
        self.written += len(key) + len(value)
        super().__setitem__(key, value)


def hot_lane(model: Event, n: int, *, config: LinkConfig | None = None) -> dict[str, Any]:
    """Link ``n`` events into one lane on one day, two ways: all distinct, and all one event."""
    country = (model.actor1.country if model.actor1 else None) or "IND"
    place = model.place if model.place is not None and model.place.geo_precision >= 4 else None
    checkpoints = sorted({c for c in (n // 8, n // 4, n // 2, n) if c >= 100})
    # a country-level report joins a named actor's event only with a toll in common (round
    # 15): the reports of one event all give it
    said = model.sentence
    told = said.text.rstrip(". ") + ", killing 3 soldiers."
    sentence = Span(text=told, start=said.start, end=said.start + len(told))
    out: dict[str, Any] = {"hot_events": n, "country": country, "code": model.cameo_code}
    for scenario in ("distinct", "one_event"):
        store = _CountingStore()
        stage = LinkStage(config or LinkConfig(), store)
        timings: list[float] = []
        rows = []
        for i in range(1, n + 1):
            k = i if scenario == "distinct" else 0  # one identified actor: every report links
            actor = Actor(
                name=f"Official {k}",
                normalized=f"official-{k}",
                type="government",
                confidence=0.8,
                country=country,
                cameo=f"{country}{k:06d}",
            )
            seen = NOW + timedelta(seconds=i)
            e = model.derive(
                event_id=f"hot-{scenario}-{i}",
                article_id=f"hot-article-{i}",
                source=f"source-{i % 50}",
                actor1=actor,
                place=place,
                sentence=sentence,
                published=seen,
                extracted=seen + timedelta(minutes=1),
            )
            started = time.perf_counter()
            stage.process(e)
            timings.append(time.perf_counter() - started)
            if i in checkpoints:
                recent = timings[-100:]
                rows.append(
                    {
                        "events": i,
                        "ms_per_event_last_100": round(sum(recent) / len(recent) * 1000, 2),
                        "mib_written": round(store.written / 2**20, 1),
                        "live_events": _live(store),
                    }
                )
        out[scenario] = rows
    return out


def _live(store: dict[str, bytes]) -> int:
    return sum(1 for key in store if key.startswith("e:"))


def format_bench(result: dict[str, Any]) -> str:
    """One line per figure."""
    return "\n".join(f"{key:26} {value}" for key, value in result.items())


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print a line per figure (``--json``: and one JSON line last)."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.link", description=__doc__)
    parser.add_argument("--corpus", type=Path, default=WEB_NEWS)
    parser.add_argument("--articles", type=int, default=120)
    parser.add_argument("--live", type=int, default=100_000)
    parser.add_argument("--max-chars", type=int, default=20_000)
    parser.add_argument("--hot", type=int, default=0, help="measure a hot lane of N events")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    texts = load_texts(args.corpus, limit=args.articles, max_chars=args.max_chars)
    result: dict[str, Any]
    if args.hot:
        extractor = Extractor()
        extractions = extractor.extract_many(
            [ArticleText(f"hot-{i}", t, published=NOW) for i, t in enumerate(texts[:20])]
        )
        models = [e for x in extractions for e in x.events if e.factual and e.actor1]
        if not models:
            raise SystemExit("the articles gave no factual event with an actor to copy")
        result = hot_lane(models[0], args.hot)
    else:
        result = benchmark_link(texts, live=args.live)
    print(format_bench(result))
    if args.json:
        print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
