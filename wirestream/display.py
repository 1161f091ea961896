"""Human-readable one-line renderings of records, for ``run`` and ``tail --pretty``."""

from __future__ import annotations

from typing import Any


def _actor(actor: dict[str, Any] | None) -> str:
    if not actor:
        return "?"
    name = actor.get("normalized") or actor.get("name") or "?"
    kind = actor.get("type")
    return f"{name} ({kind})" if kind and kind != "unknown" else str(name)


def format_event(event: dict[str, Any]) -> str:
    """``date  Type/Sub-type [CAMEO]  actor1 -> actor2 @ place (lat,lon pN)  — attribution``."""
    when = event.get("when") or {}
    date = when.get("date") or "????-??-??"
    if when.get("time_precision") and when.get("time_precision") != "day":
        date += f" ({when['time_precision']})"
    if event.get("event_type"):
        kind = f"{event['event_type']}/{event.get('sub_event_type') or '?'}"
    else:  # ACLED codes political violence and protest only; others carry their PLOVER type
        kind = str(event.get("plover") or "?")
    code = event.get("cameo_code") or event.get("cameo_root") or "?"
    actors = f"{_actor(event.get('actor1'))} -> {_actor(event.get('actor2'))}"
    line = f"{date}  {kind} [CAMEO {code}]  {actors}"
    place = event.get("place")
    if place:
        where = str(place.get("name"))
        if place.get("parent") and place.get("parent") != place.get("name"):
            where += f", {place['parent']}"
        if place.get("latitude") is not None and place.get("longitude") is not None:
            where += (
                f" ({place['latitude']:.2f},{place['longitude']:.2f} p{place.get('geo_precision')})"
            )
        line += f" @ {where}"
    attribution = event.get("attribution")
    if attribution and attribution.get("kind") != "article":
        line += f"  according to {attribution.get('text')}"
    if not event.get("factual", True):
        line += f"  [{event.get('modality')}, not factual]"
    line += f"  conf={float(event.get('confidence', 0.0)):.2f}"
    trigger = (event.get("trigger") or {}).get("text")
    if trigger:
        line += f'  "{trigger}"'
    mentions = event.get("num_mentions")
    if mentions and mentions > 1:
        sources = event.get("num_sources", 1)
        line += f"  [{mentions} mentions, {sources} source{'s' if sources != 1 else ''}]"
    # A linked event (topic events) lists its sources; an extracted one names its article's.
    source = event.get("source") or ", ".join(event.get("sources") or [])
    if source:
        line += f"  | {source}"
    return line


def format_record(topic: str, record: Any) -> str:
    """A one-line rendering of any record; events get the rich form."""
    if isinstance(record, dict) and "event_id" in record and "cameo_root" in record:
        return format_event(record)
    if isinstance(record, dict):
        for key in ("title", "error", "duplicate_of"):
            if key in record:
                ident = record.get("article_id") or record.get("feed_id") or record.get("key") or ""
                return f"{topic}: {ident} {key}={record[key]!r}"
    return f"{topic}: {record!r}"
