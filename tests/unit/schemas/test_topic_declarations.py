"""The topic declarations (schemas/topics.toml) are the one source of the topic layout."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from schemas import TOPIC_RECORDS
from schemas.jsonschema import JSON_DIR
from schemas.topics import COMPACTED, FIXED_PARTITIONS, TOPICS, Topic, load_topics, partitions_of

README = Path(__file__).resolve().parents[3] / "README.md"


def _readme_topics() -> dict[str, tuple[str, str | None, bool, bool]]:
    """(key, linked schema or None, compacted, internal) of each row of the README's topic table."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## Topics and records", 1)[1].split("\n## ", 1)[0]
    rows: dict[str, tuple[str, str | None, bool, bool]] = {}
    for line in section.splitlines():
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        if len(cells) != 3 or not cells[0].startswith("`"):
            continue
        name = cells[0].split("`")[1]
        key = cells[1].replace("`", "").replace("\\|", "|")
        link = re.match(r"\[`([^`]+)`\]\(schemas/json/\1\.schema\.json\)", cells[2])
        rows[name] = (
            key,
            link.group(1) if link else None,
            "compacted" in cells[0],
            "internal" in cells[0],
        )
    return rows


def test_the_readme_topic_table_matches_the_declarations() -> None:
    declared = {
        t.name: (t.key, None if t.internal else t.record, t.compacted, t.internal) for t in TOPICS
    }
    assert _readme_topics() == declared


def test_every_record_has_its_schema_file_and_the_layout_follows() -> None:
    assert {t.record for t in TOPICS} == set(TOPIC_RECORDS)
    assert {p.name.removesuffix(".schema.json") for p in JSON_DIR.glob("*.schema.json")} == set(
        TOPIC_RECORDS
    )
    assert {t.name for t in TOPICS if t.compacted} == COMPACTED
    assert FIXED_PARTITIONS == {"dedup-sequence": 1}
    assert partitions_of("dedup-sequence", 4) == 1
    assert partitions_of("raw-articles", 4) == 4


def test_a_topic_declared_twice_is_refused(tmp_path: Path) -> None:
    one = '[[topic]]\nname = "a"\nkey = "k"\nrecord = "r"\npartitions = 1\n'
    path = tmp_path / "topics.toml"
    path.write_text(one)
    assert load_topics(path) == (Topic("a", "k", "r", partitions=1),)
    path.write_text(one + "\n" + one)
    with pytest.raises(ValueError, match="declared twice"):
        load_topics(path)


def test_the_example_subscriber_knows_every_topic_as_declared() -> None:
    # examples/subscriber.py must not import wirestream, so it carries its own copy of the table.
    text = (README.parent / "examples" / "subscriber.py").read_text(encoding="utf-8")
    table = text.split("TOPIC_SCHEMAS = {", 1)[1].split("}", 1)[0]
    pairs = dict(re.findall(r'"([^"]+)": "([^"]+)"', table))
    assert pairs == {t.name: t.record for t in TOPICS}
