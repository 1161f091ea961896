"""Feed leases: two pollers never poll the same feed at once.

Pollers form one Kafka consumer group (``<app id>-poller``) over the ``feed-state`` topic. A
feed belongs to the partition its state is written to (Kafka's default partitioner on the
feed id, the key the poller writes it under), and a poller polls a feed only while the group
has given it that partition. Kafka hands each partition to one member at a time, and a
member gives partitions up before the next owner gets them: on revocation this poller cancels
its polls of those feeds and waits for them to end before the rebalance goes on. A poller that
takes a partition over re-reads the feed state first, so it resumes with the last owner's
validators and seen entry ids.

A poller that dies keeps its feeds until the group drops it: the broker's session timeout on
Kafka, or the dead-member check of agents/membership.py on the embedded broker (which never
drops members itself). Until then its feeds wait; they are never polled twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from aiokafka import AIOKafkaConsumer, ConsumerRebalanceListener, TopicPartition
from aiokafka.partitioner import DefaultPartitioner

from agents.membership import evict_dead_members, this_process
from wirestream_core.connection import client_options
from wirestream_core.settings import Settings

log = logging.getLogger(__name__)

T = TypeVar("T")


def feed_partition(feed_id: str, partitions: int) -> int:
    """The feed-state partition a feed's state is written to (Kafka's default partitioner)."""
    all_partitions = list(range(partitions))
    partition: int = DefaultPartitioner()(feed_id.encode(), all_partitions, all_partitions)
    return partition


class FeedLeases:
    """Which feeds this poller may poll now, from its share of the poller group."""

    def __init__(
        self,
        settings: Settings,
        *,
        on_acquired: Callable[[set[int]], Awaitable[None]] | None = None,
    ) -> None:
        self.settings = settings
        self.group = f"{settings.app_id}-poller"
        self.topic = settings.topic("feed-state")
        self.owned: set[int] = set()
        self.partitions = settings.partitions
        self._on_acquired = on_acquired
        self._changed = asyncio.Condition()
        self._polls: dict[int, set[asyncio.Task[object]]] = {}
        self._consumer: AIOKafkaConsumer | None = None
        self._driver: asyncio.Task[None] | None = None
        self._evictor: asyncio.Task[None] | None = None

    def partition_of(self, feed_id: str) -> int:
        """The partition whose owner polls this feed."""
        return feed_partition(feed_id, self.partitions)

    async def start(self) -> None:
        """Join the poller group; feeds become available as partitions are assigned."""
        client: dict[str, object] = {}
        if self.settings.evict_dead_members:
            client["client_id"] = this_process().client_id()
            await self._evict()
        self._consumer = AIOKafkaConsumer(
            **client_options(self.settings),
            group_id=self.group,
            enable_auto_commit=False,
            auto_offset_reset="latest",
            session_timeout_ms=int(self.settings.session_timeout * 1000),
            heartbeat_interval_ms=int(self.settings.heartbeat_interval * 1000),
            **client,
        )
        await self._consumer.start()
        partitions = self._consumer.partitions_for_topic(self.topic)
        if not partitions:
            await self._consumer.topics()
            partitions = self._consumer.partitions_for_topic(self.topic)
        self.partitions = len(partitions or ()) or self.settings.partitions
        self._consumer.subscribe([self.topic], listener=_Listener(self))
        self._driver = asyncio.create_task(self._drive())
        if self.settings.evict_dead_members:
            self._evictor = asyncio.create_task(self._evict_forever())

    async def stop(self) -> None:
        """Cancel this poller's polls, then leave the group (its partitions move at once)."""
        for task in (self._evictor, self._driver):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        await self._give_up(set(self.owned))
        if self._consumer is not None:
            await self._consumer.stop()

    async def wait_owned(self, feed_id: str) -> None:
        """Return once this poller holds the feed's partition."""
        partition = self.partition_of(feed_id)
        async with self._changed:
            await self._changed.wait_for(lambda: partition in self.owned)

    async def wait_assigned(self, timeout: float) -> None:
        """Return once the group has given this poller its first partitions (or timeout)."""
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(lambda: bool(self.owned)), timeout)

    async def run(self, feed_id: str, poll: Callable[[], Awaitable[T]]) -> T | None:
        """Run one poll of a feed under its lease; None if the lease was lost meanwhile."""
        partition = self.partition_of(feed_id)
        if partition not in self.owned:
            return None
        task: asyncio.Task[T] = asyncio.ensure_future(poll())
        polls = self._polls.setdefault(partition, set())
        polls.add(task)
        try:
            # wait() neither cancels the poll when we are cancelled nor raises when it is.
            await asyncio.wait({task})
        except asyncio.CancelledError:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            raise
        finally:
            polls.discard(task)
        if task.cancelled():
            return None  # cancelled by a revocation: the lease moved on
        return task.result()

    async def _acquire(self, partitions: set[int]) -> None:
        if partitions and self._on_acquired is not None:
            # Re-read the feed state before polling: the last owner advanced it.
            await self._on_acquired(partitions)
        async with self._changed:
            self.owned |= partitions
            self._changed.notify_all()
        log.info("poller holds feed-state partitions %s", sorted(self.owned))

    async def _give_up(self, partitions: set[int]) -> None:
        async with self._changed:
            self.owned -= partitions
            self._changed.notify_all()
        tasks = [t for p in partitions for t in self._polls.get(p, ())]
        for task in tasks:
            task.cancel()
        # The rebalance goes on only once these polls ended: the next owner cannot overlap.
        await asyncio.gather(*tasks, return_exceptions=True)
        if partitions:
            log.info("poller gave up feed-state partitions %s", sorted(partitions))

    async def _drive(self) -> None:
        # The group needs its member to poll (max.poll.interval); the records themselves
        # are not needed here: feed state is read whole when partitions are acquired.
        assert self._consumer is not None
        while True:
            await self._consumer.getmany(timeout_ms=1000, max_records=100)

    async def _evict(self) -> None:
        try:
            await evict_dead_members(self.settings, group=self.group)
        except Exception as exc:
            log.debug("poller dead-member check failed: %r", exc)

    async def _evict_forever(self) -> None:
        while True:
            await asyncio.sleep(2 * self.settings.heartbeat_interval)
            await self._evict()


class _Listener(ConsumerRebalanceListener):  # type: ignore[misc]
    def __init__(self, leases: FeedLeases) -> None:
        self.leases = leases

    async def on_partitions_revoked(self, revoked: set[TopicPartition]) -> None:
        await self.leases._give_up({tp.partition for tp in revoked})

    async def on_partitions_assigned(self, assigned: set[TopicPartition]) -> None:
        await self.leases._acquire({tp.partition for tp in assigned})
