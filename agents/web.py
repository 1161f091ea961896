"""The worker's HTTP endpoints: Prometheus ``/metrics`` (served when web is enabled)."""

from __future__ import annotations

from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from agents.app import Wiring


def register(w: Wiring) -> None:
    """Add ``/metrics`` to the app's web server."""
    if not w.settings.web_enabled:
        return

    @w.app.page("/metrics")
    async def metrics(web: Any, request: Any) -> Any:
        body = generate_latest(w.metrics.registry)
        return web.bytes(body, content_type=CONTENT_TYPE_LATEST.split(";")[0])
