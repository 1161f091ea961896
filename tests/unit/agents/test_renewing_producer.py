"""A producer the broker has forgotten is renewed, and only the refused records go out again."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from aiokafka.errors import KafkaTimeoutError, OutOfOrderSequenceNumber

from agents.renewing_producer import RenewingProducer


class FakeProducer:
    """Acknowledges records, except keys listed in ``refuse`` (with the error given)."""

    def __init__(self, refuse: dict[str, Exception], sent: list[tuple[int, str]], n: int) -> None:
        self.refuse, self.sent, self.n = refuse, sent, n
        self.started = self.stopped = False

    async def start(self) -> None:
        self.started = True

    async def stop(self) -> None:
        self.stopped = True

    async def send(self, topic: str, *, key: str, value: bytes) -> asyncio.Future[Any]:
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        if key in self.refuse:
            future.set_exception(self.refuse[key])
        else:
            self.sent.append((self.n, key))
            future.set_result(None)
        return future


def maker(refusals: list[dict[str, Exception]]) -> tuple[Any, list[FakeProducer], list[Any]]:
    made: list[FakeProducer] = []
    sent: list[tuple[int, str]] = []

    def make() -> FakeProducer:
        refuse = refusals[len(made)] if len(made) < len(refusals) else {}
        made.append(FakeProducer(refuse, sent, len(made)))
        return made[-1]

    return make, made, sent


async def test_records_refused_for_a_lost_sequence_go_out_once_from_a_new_producer() -> None:
    make, made, sent = maker([{"b": OutOfOrderSequenceNumber()}])
    out = RenewingProducer(make)
    await out.start()
    await out.send_all("t", [("a", b"1"), ("b", b"2"), ("c", b"3")])
    assert sent == [(0, "a"), (0, "c"), (1, "b")]
    assert out.renewals == 1 and made[0].stopped and not made[1].stopped
    await out.send_all("t", [("d", b"4")])
    assert sent[-1] == (1, "d")


async def test_other_failures_are_raised_and_keep_the_producer() -> None:
    make, made, _ = maker([{"a": KafkaTimeoutError()}])
    out = RenewingProducer(make)
    await out.start()
    with pytest.raises(KafkaTimeoutError):
        await out.send_all("t", [("a", b"1")])
    assert out.renewals == 0 and len(made) == 1


async def test_a_second_refusal_is_raised() -> None:
    make, made, _ = maker([{"a": OutOfOrderSequenceNumber()}, {"a": OutOfOrderSequenceNumber()}])
    out = RenewingProducer(make)
    await out.start()
    with pytest.raises(OutOfOrderSequenceNumber):
        await out.send_all("t", [("a", b"1")])
    assert len(made) == 3, "renewed after each refusal, so the next send starts clean"
