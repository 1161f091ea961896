"""Connection settings for real clusters: what every Kafka client of wirestream is given."""

from __future__ import annotations

import ssl

import faust
import pytest
from pydantic import ValidationError

from wirestream.procs import settings_env
from wirestream_core.connection import client_options, faust_credentials
from wirestream_core.settings import Settings

BROKER = "kafka://k1:9093;k2:9093"


def test_plaintext_adds_nothing() -> None:
    settings = Settings(broker=BROKER)
    assert client_options(settings) == {
        "bootstrap_servers": "k1:9093,k2:9093",
        "security_protocol": "PLAINTEXT",
    }
    assert faust_credentials(settings) is None


@pytest.mark.parametrize("mechanism", ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"])
def test_sasl_over_tls_gives_every_client_the_mechanism_and_credentials(mechanism: str) -> None:
    settings = Settings(
        broker=BROKER,
        security_protocol="SASL_SSL",
        sasl_mechanism=mechanism,
        sasl_username="ws",
        sasl_password="s3cret",
    )
    options = client_options(settings)
    assert options["security_protocol"] == "SASL_SSL"
    assert options["sasl_mechanism"] == mechanism
    assert (options["sasl_plain_username"], options["sasl_plain_password"]) == ("ws", "s3cret")
    assert isinstance(options["ssl_context"], ssl.SSLContext)
    assert options["ssl_context"].check_hostname
    credentials = faust_credentials(settings)
    assert isinstance(credentials, faust.SASLCredentials)
    assert credentials.protocol.value == "SASL_SSL"
    assert credentials.mechanism.value == mechanism
    assert credentials.password == "s3cret"


def test_tls_alone_gives_a_context_and_no_sasl() -> None:
    settings = Settings(broker=BROKER, security_protocol="SSL", ssl_check_hostname=False)
    options = client_options(settings)
    assert options["security_protocol"] == "SSL"
    assert not options["ssl_context"].check_hostname
    assert "sasl_mechanism" not in options
    assert isinstance(faust_credentials(settings), faust.SSLCredentials)


def test_sasl_without_tls_is_sasl_plaintext_for_faust_too() -> None:
    settings = Settings(
        broker=BROKER, security_protocol="SASL_PLAINTEXT", sasl_username="u", sasl_password="p"
    )
    assert "ssl_context" not in client_options(settings)
    assert faust_credentials(settings).protocol.value == "SASL_PLAINTEXT"


def test_incomplete_security_settings_are_refused() -> None:
    with pytest.raises(ValidationError, match="needs WIRESTREAM_SASL_USERNAME"):
        Settings(security_protocol="SASL_SSL")
    with pytest.raises(ValidationError, match="go together"):
        Settings(security_protocol="SSL", ssl_certfile="client.pem")
    with pytest.raises(ValidationError, match="exceeds replication_factor"):
        Settings(replication_factor=1, topic_min_insync_replicas=2)
    with pytest.raises(ValidationError):
        Settings(sasl_mechanism="GSSAPI")


def test_the_password_is_masked_in_output_but_reaches_child_processes() -> None:
    settings = Settings(
        broker=BROKER, security_protocol="SASL_SSL", sasl_username="u", sasl_password="s3cret"
    )
    assert "s3cret" not in repr(settings)
    assert settings_env(settings)["WIRESTREAM_SASL_PASSWORD"] == "s3cret"


def test_security_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WIRESTREAM_SECURITY_PROTOCOL", "SASL_SSL")
    monkeypatch.setenv("WIRESTREAM_SASL_MECHANISM", "SCRAM-SHA-256")
    monkeypatch.setenv("WIRESTREAM_SASL_USERNAME", "env-user")
    monkeypatch.setenv("WIRESTREAM_SASL_PASSWORD", "env-pass")
    monkeypatch.setenv("WIRESTREAM_TOPIC_RETENTION_MS", "-1")
    settings = Settings(broker=BROKER)
    assert client_options(settings)["sasl_plain_password"] == "env-pass"
    assert settings.topic_retention_ms == -1
