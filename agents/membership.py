"""Dead workers out of the consumer group: the eviction the embedded broker never does.

Kafka drops a group member that stops heartbeating for ``session_timeout``. The embedded
broker (noida-db 0.2.3) never does: a worker killed with SIGKILL stays a member for good,
keeping its partitions, and a restarted worker's rebalance waits on it forever.

The same broker also strands members of live workers: it starts a new generation as soon as
a rebalance begins, so an offset commit in flight fails with ILLEGAL_GENERATION, aiokafka then
drops its member id and joins again under a new one, and the old id stays a member that the
new round waits for forever.

So each worker names its process in its Kafka client id (host, pid namespace, pid, process
start time), which DescribeGroups reports for every member. Before a worker joins, and every
two heartbeat intervals while it runs, it looks at the group and sends LeaveGroup for each
member whose process on *this* host is gone, and for each member of its own process other
than the one its consumer holds now. Members of other hosts or pid namespaces are never
touched: their liveness cannot be seen from here, and on a real Kafka cluster the broker's
own session timeout removes them.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import socket
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.protocol.group import LeaveGroupRequest
from mode import Service

from wirestream_core.connection import client_options
from wirestream_core.settings import Settings

log = logging.getLogger(__name__)

PREFIX = "wirestream"
_UNSAFE = re.compile(r"[^A-Za-z0-9._]")
#: LeaveGroup error when the member was already removed (by another worker, or the broker).
UNKNOWN_MEMBER_ID = 25


@dataclass(frozen=True)
class ProcessRef:
    """One process, named so that a later process with the same pid cannot pass for it."""

    host: str
    pid_ns: int
    pid: int
    start: int

    def client_id(self) -> str:
        """``wirestream-<pid>-<start>-<pid ns>-<host>``: a valid Kafka client id."""
        return f"{PREFIX}-{self.pid}-{self.start}-{self.pid_ns}-{self.host}"


def _host() -> str:
    # Dashes separate the fields; a host name keeps letters, digits, dots and underscores.
    return _UNSAFE.sub("_", socket.gethostname()) or "localhost"


def _pid_namespace() -> int:
    """Inode of this process's pid namespace (0 where /proc has none)."""
    try:
        link = os.readlink("/proc/self/ns/pid")  # "pid:[4026531836]"
    except OSError:
        return 0
    digits = link.partition("[")[2].rstrip("]")
    return int(digits) if digits.isdigit() else 0


def _stat(pid: int) -> tuple[str, int] | None:
    """(state, start time in clock ticks since boot) of a process, or None if there is none."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return fields[0], int(fields[19])


def this_process() -> ProcessRef:
    """The running process."""
    pid = os.getpid()
    stat = _stat(pid)
    return ProcessRef(_host(), _pid_namespace(), pid, stat[1] if stat else 0)


def parse_client_id(client_id: str) -> ProcessRef | None:
    """The process named by a client id of ``ProcessRef.client_id``; None for any other id."""
    parts = client_id.split("-", 4)
    if len(parts) != 5 or parts[0] != PREFIX or not all(p.isdigit() for p in parts[1:4]):
        return None
    return ProcessRef(host=parts[4], pid_ns=int(parts[3]), pid=int(parts[1]), start=int(parts[2]))


def is_gone(ref: ProcessRef, me: ProcessRef | None = None) -> bool:
    """True only if ``ref`` is a process of this host and pid namespace that no longer runs.

    A zombie (killed, not yet reaped) is gone; so is a pid now used by a later process.
    """
    me = me or this_process()
    if (ref.host, ref.pid_ns) != (me.host, me.pid_ns) or ref.pid == me.pid:
        return False
    if me.pid_ns == 0:  # no /proc: all we can tell is whether the pid exists
        try:
            os.kill(ref.pid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
        return False
    stat = _stat(ref.pid)
    return stat is None or stat[0] in ("Z", "X") or stat[1] != ref.start


def stale_members(
    description: dict[str, Any], me: ProcessRef | None = None, current: str | None = None
) -> list[str]:
    """Member ids, in one DescribeGroups group entry, that no consumer will ever use again.

    Those of processes that are gone, and, when ``current`` (the member id this process's
    consumer holds) is known, this process's other ones.
    """
    me = me or this_process()
    out = []
    for member in description.get("members", []):
        ref = parse_client_id(member["client_id"])
        if ref is None:
            continue
        abandoned = ref == me and bool(current) and member["member_id"] != current
        if abandoned or is_gone(ref, me):
            out.append(member["member_id"])
    return out


def group_member_id(app: Any) -> str | None:
    """The member id a Faust app's group consumer holds now ("" while it has none).

    faust-streaming keeps it inside its aiokafka consumer thread; None if not reachable.
    """
    thread = getattr(getattr(app, "_consumer", None), "_thread", None)
    coordinator = getattr(getattr(thread, "_consumer", None), "_coordinator", None)
    member_id = getattr(coordinator, "member_id", None)
    return member_id if isinstance(member_id, str) else None


async def evict_dead_members(
    settings: Settings,
    *,
    current: Callable[[], str | None] = lambda: None,
    timeout: float = 10.0,
    group: str | None = None,
) -> list[str]:
    """Remove the group's stale members (``stale_members``); returns their ids.

    ``current`` gives the member id this process's consumer holds, read after the group is
    described so that an id it took meanwhile is not mistaken for a stale one. ``group``
    defaults to the workers' group (the app id).
    """
    group = group or settings.app_id
    admin = AIOKafkaAdminClient(**client_options(settings), client_id=f"{PREFIX}-membership")
    await asyncio.wait_for(admin.start(), timeout)
    try:
        coordinator = await admin.find_coordinator(group)
        (response,) = await admin.describe_consumer_groups([group], coordinator)
        evicted = []
        for description in response.to_object()["groups"]:
            for member_id in stale_members(description, current=current()):
                reply = await admin._send_request(LeaveGroupRequest(group, member_id), coordinator)
                if reply.error_code not in (0, UNKNOWN_MEMBER_ID):
                    log.warning("LeaveGroup for %s failed: error %d", member_id, reply.error_code)
                    continue
                log.warning("removed stale member %s from group %s", member_id, group)
                evicted.append(member_id)
        return evicted
    finally:
        await admin.close()


class DeadMemberEvictor(Service):
    """Runs ``evict_dead_members`` for a Faust app every ``interval`` seconds."""

    def __init__(self, app: Any, settings: Settings, interval: float, **kwargs: Any) -> None:
        self.app, self.settings, self.interval = app, settings, interval
        super().__init__(**kwargs)

    async def on_start(self) -> None:
        self.add_future(self._watch())

    async def _watch(self) -> None:
        while not self.should_stop:
            await asyncio.sleep(self.interval)
            try:
                await evict_dead_members(self.settings, current=lambda: group_member_id(self.app))
            except Exception as exc:
                # The broker may be restarting; the next round tries again.
                log.debug("dead-member check failed: %r", exc)
