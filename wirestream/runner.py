"""Process entry points: the all-in-one ``run``, a ``worker`` and a ``poll`` process."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Any, TextIO

import faust
import orjson
from mode import Service

from agents.app import Wiring, create_app
from agents.membership import DeadMemberEvictor, evict_dead_members
from agents.metrics import Metrics
from agents.poller import Poller
from agents.tail import end_offsets, tail
from agents.topics import ensure_topics
from pipeline.feeds.config import load_feed_list
from wirestream.broker import EmbeddedBroker
from wirestream.display import format_event
from wirestream_core.settings import Settings

log = logging.getLogger(__name__)

#: Worker stages whose counters must balance before ``run --until-idle`` may stop.
STAGES = ("intake", "dedup", "extract", "link")


def with_broker(settings: Settings, stack: ExitStack, *, persist: Path | None = None) -> Settings:
    """Settings pointing at ``settings.broker``, or at an embedded broker started now."""
    if settings.broker:
        return settings
    broker = stack.enter_context(EmbeddedBroker(persist))
    print(f"embedded Kafka-protocol broker on {broker.bootstrap}", file=sys.stderr)
    if settings.processing_guarantee == "exactly_once":
        # noida-db 0.2.3 lists aborted transactions a fetch has already passed; read_committed
        # readers then skip every later record of that producer id. wirestream's own readers
        # drop such entries (kafka_compat.install_stale_abort_guard); other clients do not
        # (README, delivery guarantee).
        print(
            "warning: exactly_once on the embedded broker: after a worker crash, read_committed "
            "subscribers with their own Kafka client (not wirestream's) can miss committed "
            "records; wirestream's own stages and readers are not affected",
            file=sys.stderr,
        )
    return settings.model_copy(update={"broker": broker.url})


class PollerService(Service):
    """Runs a Poller inside a Faust/mode worker."""

    def __init__(self, poller: Poller, **kwargs: Any) -> None:
        self.poller = poller
        super().__init__(**kwargs)

    async def on_start(self) -> None:
        await self.poller.start()
        self.add_future(self.poller.run())

    async def on_stop(self) -> None:
        await self.poller.stop()


class PrinterService(Service):
    """Prints every record arriving on the events topic, from given offsets."""

    def __init__(
        self, settings: Settings, start: dict[int, int], out: TextIO, as_json: bool, **kwargs: Any
    ) -> None:
        self.settings, self.start_offsets, self.out, self.as_json = settings, start, out, as_json
        self.printed = 0
        super().__init__(**kwargs)

    async def on_start(self) -> None:
        self.add_future(self._print())

    async def _print(self) -> None:
        async for _key, value in tail(
            self.settings, self.settings.topic("events"), start=self.start_offsets
        ):
            if self.as_json:
                line = orjson.dumps(value).decode()
            else:
                line = format_event(value) if isinstance(value, dict) else repr(value)
            print(line, file=self.out, flush=True)
            self.printed += 1


class IdleStopService(Service):
    """Stops the worker once the feeds are drained and nothing has moved for ``idle`` seconds.

    Drained means: every feed polled once, and every stage's counters balance (each
    message read has left by one outcome), and the printer has printed every event.
    """

    def __init__(
        self, idle: float, is_settled: Callable[[], tuple[bool, tuple[float, ...]]], **kwargs: Any
    ) -> None:
        self.idle, self.is_settled = idle, is_settled
        super().__init__(**kwargs)

    async def on_start(self) -> None:
        self.add_future(self._watch())

    async def _watch(self) -> None:
        loop = asyncio.get_running_loop()
        last_change, last_seen = loop.time(), None
        while True:
            await asyncio.sleep(0.25)
            settled, snapshot = self.is_settled()
            if snapshot != last_seen:
                last_seen, last_change = snapshot, loop.time()
            elif settled and loop.time() - last_change >= self.idle:
                log.info("idle for %.1fs with all stages settled: stopping", self.idle)
                os.kill(os.getpid(), signal.SIGTERM)
                return


def settled_check(
    wiring: Wiring, poller: Poller, printer: PrinterService
) -> Callable[[], tuple[bool, tuple[float, ...]]]:
    """A function telling whether all work is accounted for, plus a progress snapshot."""
    m = wiring.metrics

    def check() -> tuple[bool, tuple[float, ...]]:
        def n_in(stage: str) -> float:
            return m.total(m.messages_in, stage=stage)

        def n_out(stage: str, *kinds: str) -> float:
            if not kinds:
                return m.total(m.messages_out, stage=stage)
            return sum(m.total(m.messages_out, stage=stage, outcome=k) for k in kinds)

        extracted, linked = m.total(m.events_out), m.total(m.linked_out)
        snapshot = (
            poller.stats.polls,
            poller.stats.published,
            *(n_in(st) for st in STAGES),
            *(n_out(st) for st in STAGES),
            extracted,
            linked,
            printer.printed,
        )
        settled = (
            poller.first_round_done.is_set()
            and n_in("intake") >= poller.stats.published
            and n_in("intake") == n_out("intake")
            and n_in("dedup") >= n_out("intake", "sequenced")
            and n_in("dedup") == n_out("dedup")
            and n_in("extract") >= n_out("dedup", "unique", "redelivered_unique")
            and n_in("extract") == n_out("extract")
            and n_in("link") >= extracted
            and n_in("link") == n_out("link")
            and printer.printed >= linked
        )
        return settled, snapshot

    return check


def join_cleanly(wiring: Wiring) -> list[Service]:
    """Before a worker joins its group: remove members whose processes are gone.

    Returns the service that keeps doing so while the worker runs (none when disabled). See
    agents/membership.py: the embedded broker never evicts a killed worker itself.
    """
    settings = wiring.settings
    if not settings.evict_dead_members:
        return []
    try:
        asyncio.run(evict_dead_members(settings))
    except Exception as exc:
        log.warning("could not check the group for dead members: %r", exc)
    return [DeadMemberEvictor(wiring.app, settings, interval=2 * settings.heartbeat_interval)]


def _worker(wiring: Wiring, *services: Service, loglevel: str) -> faust.Worker:
    return faust.Worker(
        wiring.app,
        *join_cleanly(wiring),
        *services,
        loglevel=loglevel,
        quiet=True,
        # Faust's banner and spinner go to stderr: stdout carries only the records we print.
        stdout=sys.stderr,
        redirect_stdouts=False,
        override_logging=True,
    )


def run_all(
    settings: Settings,
    *,
    until_idle: float | None = None,
    as_json: bool = False,
    persist: Path | None = None,
    loglevel: str = "warn",
    out: TextIO = sys.stdout,
) -> int:
    """Broker (embedded unless configured), worker and poller in one process; prints events."""
    feeds = load_feed_list(settings.feeds)
    with ExitStack() as stack:
        settings = with_broker(settings, stack, persist=persist)
        asyncio.run(ensure_topics(settings))
        start = asyncio.run(end_offsets(settings, settings.topic("events")))
        metrics = Metrics()
        wiring = create_app(settings, metrics=metrics)
        poller = Poller(settings, feeds, metrics=metrics)
        printer = PrinterService(settings, start, out, as_json)
        services: list[Service] = [PollerService(poller), printer]
        if until_idle is not None:
            services.append(IdleStopService(until_idle, settled_check(wiring, poller, printer)))
        stop_hint = f"until idle for {until_idle}s" if until_idle is not None else "Ctrl-C stops"
        print(
            f"polling {len(poller.feeds)} feed(s) from {settings.feeds}; events follow "
            f"({stop_hint})",
            file=sys.stderr,
        )
        worker = _worker(wiring, *services, loglevel=loglevel)
        try:
            worker.execute_from_commandline()
        except SystemExit as exc:
            return int(exc.code or 0)
    return 0


def run_worker(settings: Settings, *, loglevel: str = "info") -> int:
    """A Faust worker only (dedup and extraction agents) against ``settings.broker``."""
    asyncio.run(ensure_topics(settings))
    worker = _worker(create_app(settings), loglevel=loglevel)
    try:
        worker.execute_from_commandline()
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


async def poll_forever(settings: Settings, *, once: bool = False) -> int:
    """The poller on its own; with ``once``, poll every feed one time and exit."""
    feeds = load_feed_list(settings.feeds)
    await ensure_topics(settings)
    poller = Poller(settings, feeds)
    await poller.start()
    try:
        if once:
            mine = await poller.wait_for_feeds()
            await asyncio.gather(*(poller.poll_leased(f) for f in mine))
            print(
                f"polled {len(poller.stats.feeds_polled)} of {len(poller.feeds)} feed(s) "
                f"(the others' leases are held by other pollers): {poller.stats.published} new "
                f"article(s), {poller.stats.errors} error(s)",
                file=sys.stderr,
            )
            return 1 if mine and poller.stats.errors == len(mine) else 0
        await poller.run()
    finally:
        await poller.stop()
    return 0
