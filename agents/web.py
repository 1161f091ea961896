"""The worker's HTTP endpoints (served when web is enabled): ``/health``, ``/ready``,
Prometheus ``/metrics``."""

from __future__ import annotations

from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from agents.app import Wiring
from agents.health import partitions_assigned, tables_recovered
from agents.lag import ConsumerLag


def register(w: Wiring) -> None:
    """Add the endpoints and the readiness checks of the app itself."""
    w.health.add("partitions_assigned", lambda: partitions_assigned(w.app))
    w.health.add("tables_recovered", lambda: tables_recovered(w.app))
    if not w.settings.web_enabled:
        return
    w.metrics.registry.register(ConsumerLag(w.app))

    @w.app.page("/health")
    async def health(web: Any, request: Any) -> Any:
        # Answering at all proves the event loop runs; a crashed app is not healthy.
        crashed = bool(w.app.crashed)
        return web.json({"alive": not crashed}, status=503 if crashed else 200)

    @w.app.page("/ready")
    async def ready(web: Any, request: Any) -> Any:
        ok, checks = w.health.status()
        return web.json({"ready": ok, "checks": checks}, status=200 if ok else 503)

    @w.app.page("/metrics")
    async def metrics(web: Any, request: Any) -> Any:
        body = generate_latest(w.metrics.registry)
        return web.bytes(body, content_type=CONTENT_TYPE_LATEST.split(";")[0])
