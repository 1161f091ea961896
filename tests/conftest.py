"""Shared fixtures: the embedded broker (one per session) and per-test settings."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from wirestream.broker import EmbeddedBroker
from wirestream_core.kafka_compat import install_fetch_backoff, install_stale_abort_guard
from wirestream_core.settings import Settings

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data"
#: Reference data beside the checkout (developers and CI); absent on a user's fresh clone.
SHARED = REPO.parent / "shared"


# Consumers in the test process (topic readers, the poller's state reader) would otherwise
# spin on the embedded broker's instant empty fetches; see wirestream_core/kafka_compat.py.
install_fetch_backoff(Settings().fetch_idle_backoff)
# read_committed readers must not take the embedded broker's stale aborted listings at face value.
install_stale_abort_guard()


@pytest.fixture(scope="session")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedBroker]:
    """A real Kafka-protocol broker (noida-db) on 127.0.0.1, started once per session."""
    with EmbeddedBroker(tmp_path_factory.mktemp("broker")) as b:
        yield b


@pytest.fixture
def settings(broker: EmbeddedBroker, tmp_path: Path) -> Settings:
    """Settings for one test: its own topic prefix and consumer group, so tests never interfere."""
    tag = uuid.uuid4().hex[:8]
    return Settings(
        broker=broker.url,
        app_id=f"ws-test-{tag}",
        topic_prefix=f"t{tag}.",
        partitions=4,
        data_dir=tmp_path / "data",
        session_timeout=6.0,
        heartbeat_interval=1.0,
        extract_batch_seconds=0.2,
        poll_interval=3600.0,
        # Entry links of test feeds point anywhere; only the full-text tests fetch pages,
        # from their own 127.0.0.1 site.
        fetch_pages=False,
    )
