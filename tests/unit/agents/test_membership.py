"""Which group members are stale: gone processes of this host, and this process's old ids."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import time
from collections.abc import Iterator
from types import SimpleNamespace

import pytest

from agents.membership import (
    ProcessRef,
    group_member_id,
    is_gone,
    parse_client_id,
    stale_members,
    this_process,
)


@pytest.fixture
def child() -> Iterator[subprocess.Popen[bytes]]:
    """A live child process, killed and reaped after the test."""
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    yield proc
    proc.kill()
    proc.wait()


def ref_of(pid: int) -> ProcessRef:
    """What the process ``pid`` would put in its client id (same host and namespace as us)."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as f:
        start = int(f.read().rsplit(")", 1)[1].split()[19])
    return dataclasses.replace(this_process(), pid=pid, start=start)


def test_client_id_names_the_process_and_parses_back() -> None:
    me = this_process()
    client_id = me.client_id()
    assert client_id.startswith("wirestream-")
    assert all(c.isalnum() or c in "._-" for c in client_id), "a valid Kafka client id"
    assert parse_client_id(client_id) == me


@pytest.mark.parametrize(
    "client_id",
    ["faust-0.15.3", "wirestream-membership", "wirestream-12-x-3-host", "other-1-2-3-host", ""],
)
def test_other_client_ids_name_no_process(client_id: str) -> None:
    assert parse_client_id(client_id) is None


def test_a_host_name_with_dashes_survives_the_round_trip() -> None:
    ref = ProcessRef(host="web-01.example", pid_ns=7, pid=42, start=99)
    assert parse_client_id(ref.client_id()) == ref


def test_live_processes_are_not_gone(child: subprocess.Popen[bytes]) -> None:
    assert not is_gone(this_process())
    assert not is_gone(ref_of(child.pid))


def test_a_killed_process_is_gone_reaped_or_not() -> None:
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    ref = ref_of(proc.pid)
    proc.kill()
    state = ""
    for _ in range(500):  # a zombie until reaped: dead all the same
        with open(f"/proc/{proc.pid}/stat", encoding="ascii") as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
        if state == "Z":
            break
        time.sleep(0.01)
    assert state == "Z"
    assert is_gone(ref)
    proc.wait()
    assert is_gone(ref)


def test_a_reused_pid_does_not_pass_for_the_dead_process(child: subprocess.Popen[bytes]) -> None:
    earlier = dataclasses.replace(ref_of(child.pid), start=ref_of(child.pid).start - 1)
    assert is_gone(earlier)


def test_processes_of_other_hosts_or_namespaces_are_never_judged() -> None:
    dead_pid = 2**22 + 1  # above Linux's pid_max default: no such process here
    me = this_process()
    assert is_gone(dataclasses.replace(me, pid=dead_pid))
    assert not is_gone(dataclasses.replace(me, pid=dead_pid, host=me.host + "x"))
    assert not is_gone(dataclasses.replace(me, pid=dead_pid, pid_ns=me.pid_ns + 1))


def test_stale_members_are_gone_processes_and_this_processs_other_ids(
    child: subprocess.Popen[bytes],
) -> None:
    me = this_process()
    dead = dataclasses.replace(me, pid=2**22 + 1)
    members = [
        {"member_id": "dead-1", "client_id": dead.client_id()},
        {"member_id": "live-1", "client_id": ref_of(child.pid).client_id()},
        {"member_id": "mine-old", "client_id": me.client_id()},
        {"member_id": "mine-now", "client_id": me.client_id()},
        {"member_id": "faust-1", "client_id": "faust-0.15.3"},
        {"member_id": "far-1", "client_id": dataclasses.replace(dead, host="far").client_id()},
    ]
    group = {"members": members}
    assert stale_members(group, me, current="mine-now") == ["dead-1", "mine-old"]
    # Not knowing which id this process holds (or holding none yet), its ids are kept.
    assert stale_members(group, me, current=None) == ["dead-1"]
    assert stale_members(group, me, current="") == ["dead-1"]


def test_group_member_id_reads_the_faust_consumer_s_coordinator() -> None:
    coordinator = SimpleNamespace(member_id="m-1")
    app = SimpleNamespace(
        _consumer=SimpleNamespace(
            _thread=SimpleNamespace(_consumer=SimpleNamespace(_coordinator=coordinator))
        )
    )
    assert group_member_id(app) == "m-1"
    coordinator.member_id = ""
    assert group_member_id(app) == ""
    assert group_member_id(SimpleNamespace(_consumer=None)) is None
