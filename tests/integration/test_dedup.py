"""Near-duplicates are caught across partitions, across workers, and across a worker restart."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from aiokafka import AIOKafkaProducer

from agents.topics import ensure_topics
from pipeline.ids import article_id
from schemas import RawArticle
from tests.integration.helpers import read_topic_sync, worker_process
from wirestream_core.settings import Settings

pytestmark = pytest.mark.integration

DATA = Path(__file__).resolve().parents[1] / "data"
SEED = (DATA / "aleppo-sakhour.txt").read_text()
OTHER = (DATA / "aleppo-civilians.txt").read_text()


def article(url: str, text: str, source: str) -> RawArticle:
    return RawArticle(
        article_id=article_id(url),
        feed_id=source.lower().replace(" ", "-"),
        source=source,
        fetched=datetime(2016, 11, 28, 10, tzinfo=UTC),
        published=datetime(2016, 11, 28, 6, tzinfo=UTC),
        url=url,
        content=text,
    )


def syndicated(text: str) -> str:
    body = "\n\n".join(text.split("\n\n")[:-2])
    return "BEIRUT (Levant Wire) - " + body + "\n\nSource: Levant Wire Digest"


async def publish(settings: Settings, articles: list[RawArticle]) -> list[int]:
    """Publish to raw-articles keyed by id; returns the partition each landed on."""
    producer = AIOKafkaProducer(bootstrap_servers=settings.bootstrap_servers())
    await producer.start()
    try:
        partitions = []
        for a in articles:
            meta = await producer.send_and_wait(
                settings.topic("raw-articles"), key=a.article_id.encode(), value=a.to_json_bytes()
            )
            partitions.append(meta.partition)
        return partitions
    finally:
        await producer.stop()


def different_partition_copy(settings: Settings) -> tuple[RawArticle, RawArticle]:
    """The seed story and a syndicated copy whose ids hash to different partitions."""
    original = article("https://namnews.example/aleppo-sakhour", SEED, "Nam News Network")
    for n in range(50):
        copy = article(f"https://levant.example/story/{n}", syndicated(SEED), "Levant Wire")
        if _partition(copy.article_id, settings.partitions) != _partition(
            original.article_id, settings.partitions
        ):
            return original, copy
    raise AssertionError("no copy id on another partition")


def _partition(key: str, n: int) -> int:
    from aiokafka.partitioner import murmur2

    return (murmur2(key.encode()) & 0x7FFFFFFF) % n


def test_two_workers_do_not_let_a_near_duplicate_through(
    settings: Settings, tmp_path: Path
) -> None:
    asyncio.run(ensure_topics(settings))
    original, copy = different_partition_copy(settings)
    one = settings.model_copy(update={"data_dir": tmp_path / "w1"})
    two = settings.model_copy(update={"data_dir": tmp_path / "w2"})
    with worker_process(one, tmp_path / "w1.log"), worker_process(two, tmp_path / "w2.log"):
        parts = asyncio.run(
            publish(settings, [original, copy, article("https://x.example/o", OTHER, "X")])
        )
        assert parts[0] != parts[1], "the pair travels on different raw partitions"
        unique = read_topic_sync(settings, "unique-articles", until=2, timeout=120, idle=3)
        duplicates = read_topic_sync(settings, "duplicates", until=1, timeout=60, idle=1)
    other = article("https://x.example/o", OTHER, "X").article_id
    pair = {original.article_id, copy.article_id}
    # Whichever of the pair reached the single dedup partition first is the original.
    unique_ids = {k for k, _ in unique}
    assert len(unique) == 2 and other in unique_ids and len(unique_ids & pair) == 1
    ((dup_key, dup),) = duplicates
    assert dup_key == dup["article_id"] and {dup["article_id"], dup["duplicate_of"]} == pair
    assert dup["duplicate_of"] in unique_ids and dup["method"] == "minhash"
    for log in ("w1.log", "w2.log"):  # both workers took part of raw-articles
        assert re.search(r"raw-articles\s*\|\s*\{", (tmp_path / log).read_text()), log


def test_a_restarted_worker_rebuilds_the_index_from_the_changelog(
    settings: Settings, tmp_path: Path
) -> None:
    asyncio.run(ensure_topics(settings))
    original, copy = different_partition_copy(settings)
    with worker_process(
        settings.model_copy(update={"data_dir": tmp_path / "w1"}), tmp_path / "w1.log"
    ):
        asyncio.run(publish(settings, [original]))
        assert len(read_topic_sync(settings, "unique-articles", until=1, timeout=60, idle=1)) == 1
    # A new worker with an empty data dir: all it knows comes from the changelog topic.
    with worker_process(
        settings.model_copy(update={"data_dir": tmp_path / "w2"}), tmp_path / "w2.log"
    ):
        asyncio.run(publish(settings, [copy]))
        duplicates = read_topic_sync(settings, "duplicates", until=1, timeout=60, idle=1)
        unique = read_topic_sync(settings, "unique-articles", idle=1)
    assert [(v["article_id"], v["duplicate_of"]) for _, v in duplicates] == [
        (copy.article_id, original.article_id)
    ]
    assert [k for k, _ in unique] == [original.article_id]
    assert "dedup index rebuilt from its table: 1 entries" in (tmp_path / "w2.log").read_text()


def test_exact_copies_repeats_and_expiry_through_the_worker(
    settings: Settings, tmp_path: Path
) -> None:
    asyncio.run(ensure_topics(settings))
    original = article("https://namnews.example/aleppo-sakhour", SEED, "Nam News Network")
    exact = article("https://mirror.example/a", "  " + SEED.replace("\n\n", "\n\n\n"), "Mirror")
    later = datetime(2016, 12, 9, 6, tzinfo=UTC)  # 11 days on: the original leaves the window
    newer = article("https://x.example/later", OTHER, "X")
    newer.published, newer.fetched = later, later
    late_copy = article("https://levant.example/late", syndicated(SEED), "Levant Wire")
    late_copy.published, late_copy.fetched = later, later
    # the feed publishes the original's id again an hour later: a copy of itself (the very same
    # record forwarded twice would be a redelivery, answered as the first time)
    republished = article("https://namnews.example/aleppo-sakhour", SEED, "Nam News Network")
    republished.fetched = original.fetched + timedelta(hours=1)
    first = settings.model_copy(update={"data_dir": tmp_path / "w1"})
    with worker_process(first, tmp_path / "w1.log"):
        # One at a time: intake is partitioned, so only sequential publishing fixes the order.
        for item, topic, count in [
            (original, "unique-articles", 1),
            (exact, "duplicates", 1),
            (republished, "duplicates", 2),
            (newer, "unique-articles", 2),
            (late_copy, "unique-articles", 3),
        ]:
            asyncio.run(publish(settings, [item]))
            got = read_topic_sync(settings, topic, until=count, timeout=60, idle=0.2)
            assert len(got) == count, (item.url, topic)
        duplicates = read_topic_sync(settings, "duplicates", idle=1)
        unique = read_topic_sync(settings, "unique-articles", idle=1)
    assert sorted(
        (v["article_id"], v["duplicate_of"], v["method"]) for _, v in duplicates
    ) == sorted(
        [
            (exact.article_id, original.article_id, "fingerprint"),
            (original.article_id, original.article_id, "article_id"),
        ]
    )
    assert sorted(k for k, _ in unique) == sorted(
        [original.article_id, newer.article_id, late_copy.article_id]
    ), "the late copy is unique: its original had left the window"
    # The expired entries were deleted from the table: a restarted worker does not rebuild them.
    second = settings.model_copy(update={"data_dir": tmp_path / "w2"})
    with worker_process(second, tmp_path / "w2.log"):
        asyncio.run(publish(settings, [article("https://y.example/1", OTHER + " Update.", "Y")]))
        read_topic_sync(settings, "unique-articles", until=4, timeout=60, idle=1)
    assert "dedup index rebuilt from its table: 2 entries" in (tmp_path / "w2.log").read_text()
