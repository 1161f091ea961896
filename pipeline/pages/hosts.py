"""One request at a time per host, at most one every ``interval`` seconds."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager


class HostGate:
    """Serialises requests to each host and spaces them out; other hosts are not held up."""

    def __init__(self, interval: float, *, clock: Callable[[], float] | None = None) -> None:
        self.interval = interval
        self._clock = clock
        self._locks: dict[str, asyncio.Lock] = {}
        self._last: dict[str, float] = {}
        self._delays: dict[str, float] = {}

    def set_delay(self, host: str, seconds: float | None) -> None:
        """A longer spacing for ``host`` (its robots.txt Crawl-delay); never a shorter one."""
        if seconds is not None and seconds > self.interval:
            self._delays[host] = seconds
        else:
            self._delays.pop(host, None)

    def _now(self) -> float:
        return self._clock() if self._clock is not None else asyncio.get_running_loop().time()

    @asynccontextmanager
    async def slot(self, host: str) -> AsyncIterator[None]:
        """Hold ``host``'s only slot: waits for the request before it and for the spacing."""
        lock = self._locks.setdefault(host, asyncio.Lock())
        async with lock:
            spacing = self._delays.get(host, self.interval)
            last = self._last.get(host)
            if last is not None:
                wait = last + spacing - self._now()
                if wait > 0:
                    await asyncio.sleep(wait)
            try:
                yield
            finally:
                # Spacing counts from the end of a request, so a slow host is not hammered.
                self._last[host] = self._now()
