"""Listing dead letters and re-submitting them to their original topic after a fix.

Each re-submitted message carries the headers ``wirestream-replay-count`` and
``wirestream-replay-of``; if it fails again, its new dead letter records that count
(agents/deadletter.py). Which dead letters were replayed is kept on the compacted
``dead-letter-replays`` topic, written in the same transaction as the re-submitted message,
so a replay run never re-submits a dead letter twice, even after a crash mid-run.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from aiokafka import AIOKafkaProducer

from agents.deadletter import REPLAY_COUNT_HEADER, REPLAY_OF_HEADER, original_value
from agents.tail import topic_reader
from schemas import DeadLetter, DeadLetterReplay
from schemas.base import dumps
from schemas.decode import RecordError, decode
from wirestream_core.connection import client_options
from wirestream_core.settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Letter:
    """A dead letter and where it sits on the dead-letters topic."""

    id: str
    letter: DeadLetter


@dataclass
class Selection:
    """Dead letters that match the filters, split by what a replay would do with them."""

    to_replay: list[Letter]
    already: list[tuple[Letter, DeadLetterReplay]]
    unreplayable: list[tuple[Letter, str]]


def letter_id(topic: str, partition: int, offset: int) -> str:
    """Id of a dead letter: ``topic/partition/offset`` on the dead-letters topic."""
    return f"{topic}/{partition}/{offset}"


_RELATIVE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_since(text: str, now: datetime | None = None) -> datetime:
    """``--since``: an ISO 8601 time or date (UTC unless it says otherwise), or ``30m``,
    ``6h``, ``2d``, ``1w`` before now."""
    match = _RELATIVE.match(text)
    if match:
        delta = timedelta(**{_UNITS[match.group(2)]: float(match.group(1))})
        return (now or datetime.now(UTC)) - delta
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError as exc:
        raise ValueError(
            f"--since {text!r}: expected an ISO 8601 time or date, or e.g. 30m, 6h, 2d"
        ) from exc
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def select(
    letters: Iterable[Letter],
    replays: dict[str, DeadLetterReplay],
    *,
    stage: str | None = None,
    since: datetime | None = None,
) -> Selection:
    """Filter by stage and failure time; split into to replay, already replayed, impossible."""
    out = Selection([], [], [])
    for item in letters:
        letter = item.letter
        if stage is not None and letter.stage != stage:
            continue
        if since is not None and letter.failed_at < since:
            continue
        if item.id in replays:
            out.already.append((item, replays[item.id]))
        elif not letter.topic:
            out.unreplayable.append((item, "no original topic"))
        elif letter.value is None:
            out.unreplayable.append((item, "no value (a tombstone)"))
        elif letter.value_truncated:
            size = f"{letter.value_bytes} bytes" if letter.value_bytes is not None else "oversized"
            out.unreplayable.append((item, f"value truncated ({size}; only its start was kept)"))
        else:
            out.to_replay.append(item)
    return out


def describe(item: Letter, marker: DeadLetterReplay | None = None) -> str:
    """One readable line for ``deadletters list``."""
    letter = item.letter
    state = f"replayed {marker.replayed_at:%Y-%m-%dT%H:%M:%SZ}" if marker else "not replayed"
    again = f" (after {letter.replay_count} replay(s))" if letter.replay_count else ""
    return (
        f"{item.id}  {letter.failed_at:%Y-%m-%dT%H:%M:%SZ}  {letter.stage}  {letter.topic}  "
        f"key={letter.key}  {letter.error_type}: {letter.error[:120]}{again}  [{state}]"
    )


async def _read_all(settings: Settings, topic: str) -> list[Any]:
    """Every committed record of ``topic`` up to its current end (aiokafka records)."""
    async with topic_reader(settings, topic) as (consumer, tps):
        await consumer.seek_to_beginning(*tps)
        ends = await consumer.end_offsets(tps)
        records: list[Any] = []
        pending = {tp for tp in tps if ends[tp] > 0}
        while pending:
            batches = await consumer.getmany(*pending, timeout_ms=500)
            for tp, batch in batches.items():
                records.extend(r for r in batch if r.offset < ends[tp])
            for tp in list(pending):
                if await consumer.position(tp) >= ends[tp]:
                    pending.discard(tp)
        return records


async def read_letters(settings: Settings) -> list[Letter]:
    """Every dead letter on the topic, oldest first per partition."""
    letters = []
    for rec in await _read_all(settings, settings.topic("dead-letters")):
        try:
            letter = decode(DeadLetter, rec.value)
        except RecordError as exc:
            log.warning("skipping unreadable dead letter at offset %d: %s", rec.offset, exc)
            continue
        letters.append(Letter(letter_id(rec.topic, rec.partition, rec.offset), letter))
    return letters


async def read_replays(settings: Settings) -> dict[str, DeadLetterReplay]:
    """The replay markers by dead letter id (the latest per key, as compaction keeps)."""
    replays: dict[str, DeadLetterReplay] = {}
    for rec in await _read_all(settings, settings.topic("dead-letter-replays")):
        if rec.value is None:
            replays.pop(rec.key.decode(), None)
            continue
        marker = decode(DeadLetterReplay, rec.value)
        replays[marker.dead_letter] = marker
    return replays


async def replay(settings: Settings, letters: list[Letter]) -> list[DeadLetterReplay]:
    """Re-submit ``letters`` to their original topics, each with its marker, transactionally."""
    if not letters:
        return []
    # One transactional id for the tool: a second replay run fences off an older one, so two
    # overlapping runs cannot both commit.
    producer = AIOKafkaProducer(
        **client_options(settings),
        transactional_id=f"{settings.app_id}-deadletter-replay",
        enable_idempotence=True,
        acks="all",
    )
    await producer.start()
    done = []
    try:
        for item in letters:
            letter = item.letter
            assert letter.topic is not None
            count = letter.replay_count + 1
            marker = DeadLetterReplay(
                dead_letter=item.id,
                topic=letter.topic,
                replayed_at=datetime.now(UTC),
                replay_count=count,
                key=letter.key,
            )
            headers = [
                (REPLAY_COUNT_HEADER, str(count).encode()),
                (REPLAY_OF_HEADER, item.id.encode()),
            ]
            async with producer.transaction():
                await producer.send(
                    letter.topic,
                    key=letter.key.encode() if letter.key is not None else None,
                    value=original_value(letter),
                    headers=headers,
                )
                await producer.send(
                    settings.topic("dead-letter-replays"), key=item.id.encode(), value=dumps(marker)
                )
            done.append(marker)
    finally:
        await producer.stop()
    return done
