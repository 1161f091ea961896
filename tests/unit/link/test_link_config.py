"""Link settings and the compatibility data file: checked on load."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from pipeline.errors import ConfigError
from pipeline.link.config import LinkConfig, load_compatibility, load_role_codes


def test_shipped_data_files_load() -> None:
    groups = load_compatibility()
    assert groups.type_group("CAMEO 10") == groups.type_group("CAMEO 02")
    assert groups.type_group("Battles") == "Battles"
    assert groups.alike_actors("civilians", "protesters")
    assert {"MIL", "REB", "CVL"} <= load_role_codes()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("type_groups: [[Battles, Explosions/Remote violence]]\n", "ACLED types"),
        ("type_groups: [['CAMEO 02', 'CAMEO 10'], ['CAMEO 10', 'CAMEO 11']]\n", "another group"),
        ("type_groups: [['CAMEO 02']]\n", "two or more"),
        ("actor_groups: [[civilians, protesters]]\n", "unknown key"),
    ],
)
def test_bad_compatibility_files_fail_loudly(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "compatible.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message):
        load_compatibility(path)


def test_bad_settings_fail_loudly() -> None:
    with pytest.raises(ConfigError):
        LinkConfig(window=timedelta(0))
    with pytest.raises(ConfigError):
        LinkConfig(max_km=-1)
