"""Under exactly_once no extraction batch begins its sends while a commit is under way, and a
commit first waits for the batches already sending, then for the changelog records
(wirestream_core/commit_gate.py)."""

from __future__ import annotations

import asyncio

import pytest

from wirestream_core.commit_gate import CommitGate, SentNotAcked, gated_commit, install_commit_gate


async def test_a_batch_passes_at_once_when_no_commit_is_under_way() -> None:
    gate = CommitGate()
    await asyncio.wait_for(gate.passage(), 0.1)
    assert not gate.closed


async def test_a_batch_waits_at_the_gate_until_the_commit_is_over() -> None:
    gate, sending = CommitGate(), SentNotAcked()
    release = asyncio.Event()
    order: list[str] = []

    async def commit() -> bool:
        order.append("commit begins")
        await release.wait()
        order.append("commit ends")
        return True

    committing = asyncio.ensure_future(gated_commit(commit, gate, sending, wait=1.0))
    await asyncio.sleep(0.01)
    assert gate.closed

    async def batch() -> None:
        await gate.passage()
        order.append("batch sends")

    sender = asyncio.ensure_future(batch())
    await asyncio.sleep(0.02)
    assert order == ["commit begins"], "the batch did not send during the commit"
    release.set()
    assert await committing
    await sender
    assert order == ["commit begins", "commit ends", "batch sends"]
    assert not gate.closed


async def test_a_commit_waits_for_the_batches_already_sending() -> None:
    gate, sending = CommitGate(), SentNotAcked()
    sending.hold(3)  # a batch of three sent its records before the commit came
    order: list[str] = []

    async def commit() -> bool:
        order.append(f"commit with {sending.count} held")
        return True

    committing = asyncio.ensure_future(gated_commit(commit, gate, sending, wait=1.0))
    await asyncio.sleep(0.02)
    assert order == [], "the commit waits while the batch is sent but not acknowledged"
    sending.release(3)
    assert await committing
    assert order == ["commit with 0 held"]


async def test_a_commit_goes_ahead_after_its_wait_and_says_so(
    caplog: pytest.LogCaptureFixture,
) -> None:
    gate, sending = CommitGate(), SentNotAcked()
    sending.hold(1)

    async def commit() -> bool:
        return True

    assert await gated_commit(commit, gate, sending, wait=0.05)
    assert "1 sent event(s) not acknowledged after 0.1 s" in caplog.text


class ChangelogBuffer:
    """Faust's producer buffer as the commit sees it: a size and a ``message_sent`` event."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.message_sent = asyncio.Event()

    async def send_one_later(self, delay: float) -> None:
        await asyncio.sleep(delay)
        self.size -= 1
        self.message_sent.set()


async def test_with_the_gate_closed_a_commit_then_waits_for_the_changelog_buffer() -> None:
    gate, sending, buffer = CommitGate(), SentNotAcked(), ChangelogBuffer(1)
    seen: list[tuple[bool, int]] = []

    async def commit() -> bool:
        seen.append((gate.closed, buffer.size))
        return True

    sender = asyncio.ensure_future(buffer.send_one_later(0.03))
    assert await gated_commit(commit, gate, sending, wait=1.0, buffer=buffer, settle_wait=1.0)
    await sender
    # The commit ran once the changelog record was sent, the gate still closed around it.
    assert seen == [(True, 0)]
    assert not gate.closed


async def test_one_wrapper_of_faust_s_commit_however_often_it_is_installed() -> None:
    from faust.transport.consumer import Consumer

    install_commit_gate()
    wrapped = Consumer.force_commit
    install_commit_gate()
    assert Consumer.force_commit is wrapped
    assert getattr(wrapped, "_wirestream", False)
