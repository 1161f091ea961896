"""The events page (``/events/``): the latest linked events of this worker in a table and on a
map, following new ones live over server-sent events (``/events/stream``).

The link agent hands each linked event it publishes to ``Wiring.on_linked``; this module keeps
the latest ``events_page_size`` in memory (``agents.latest_events``) and serves the static page
of ``agents/static/`` (its map outlines are bundled, so it works with no network).
"""

from __future__ import annotations

import asyncio
from importlib import resources
from typing import Any

import orjson
from aiohttp import web as aioweb

from agents.app import Wiring
from agents.latest_events import LatestEvents, Row

# The page's files: name under agents/static/ -> content type.
STATIC = {
    "index.html": "text/html",
    "events.js": "application/javascript",
    "events.css": "text/css",
    "world.json": "application/json",
}
KEEPALIVE = 15.0
"""Seconds between comment lines on an idle stream, so proxies and the browser keep it open."""


def _sse(row: Row) -> bytes:
    return b"event: linked\ndata: " + orjson.dumps(row) + b"\n\n"


def register(w: Wiring) -> None:
    """Keep the linked events the link agent publishes and serve the page, when web is on."""
    if not w.settings.web_enabled:
        return
    store = LatestEvents(w.settings.events_page_size)
    w.on_linked.append(store.add)

    def close_streams(app: Any, /, *args: Any, signal: Any, **kwargs: Any) -> None:
        store.close()

    w.app.on_before_shutdown.connect(close_streams)

    files = resources.files("agents") / "static"

    def static(name: str, content_type: str) -> None:
        body = (files / name).read_bytes()
        path = "/events/" if name == "index.html" else f"/events/{name}"

        async def serve(web: Any, request: Any) -> Any:
            return web.bytes(body, content_type=content_type)

        w.app.page(path, name=f"events-{name}")(serve)

    for name, content_type in STATIC.items():
        static(name, content_type)

    @w.app.page("/events/snapshot", name="events-snapshot")
    async def snapshot(web: Any, request: Any) -> Any:
        return web.bytes(orjson.dumps(store.rows()), content_type="application/json")

    @w.app.page("/events/stream", name="events-stream")
    async def stream(web: Any, request: Any) -> Any:
        # The queue is taken before the snapshot is written, so no event falls in between.
        queue = store.listen()
        response = aioweb.StreamResponse(
            headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache"}
        )
        try:
            await response.prepare(request)
            for kept in store.rows():
                await response.write(_sse(kept))
            await response.write(b"event: ready\ndata: {}\n\n")
            while True:
                try:
                    row: Row | None = await asyncio.wait_for(queue.get(), KEEPALIVE)
                except TimeoutError:
                    await response.write(b": keepalive\n\n")
                    continue
                if row is None:
                    break
                await response.write(_sse(row))
        except ConnectionResetError:
            pass  # the page went away
        finally:
            store.stop_listening(queue)
        return response
