"""The event scorer on a tiny synthetic suite: reading records and dictionaries, pairing, scores."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from evaluation.events import (
    EventEvalReport,
    Scores,
    _pair,
    _score,
    evaluate_events,
    format_report,
)
from evaluation.petrarch import (
    ACTORS,
    AGENTS,
    RECORDS,
    GoldEvent,
    GoldSentence,
    load_eval_dictionary,
    read_actors,
    read_agents,
    read_records,
)
from pipeline.errors import ConfigError

RECORDS_XML = """<Validation><Sentences>
<Sentence date="20160101" id="T-1" category="T" sentence="true">
<EventCoding sourcecode="ARNMIL" targetcode="GON" eventcode="194"></EventCoding>
<Text>
Arnor troops fired artillery shells at Gondor on Thursday.
</Text>
</Sentence>
<Sentence date="20160101" id="T-2" category="T" sentence="true">
<EventCoding sourcecode="GONGOV" targetcode="ARN" eventcode="111"></EventCoding>
<Text>
The Gondor government condemned Arnor.
</Text>
</Sentence>
<Sentence date="20160101" id="T-3" category="T" sentence="true">
<EventCoding noevents = "True"></EventCoding>
<Text>
The weather in Gondor was mild.
</Text>
</Sentence>
<Sentence date="19990101" id="T-4" category="T" sentence="false">
<!-- 14.04.26: currently not implemented -->
<EventCoding sourcecode="HOBGOV" targetcode="GON" eventcode="173"></EventCoding>
<Text>
Smeagol arrested three Gondor officials.
</Text>
</Sentence>
</Sentences></Validation>
"""

ACTORS_TXT = """<!-- test actors -->
ARNOR_ [ARN]
GONDOR [GON]
+MINAS_TIRITH
GOLLUM  # dated codes
+SMEAGOL
\t[HOB < 950601]
\t[HOBGOV 19950601 - 19990815]
\t[HOBREB > 990816]
LORIEN [ELR/GAL]
"""

AGENTS_TXT = """!PERSON! = MAN, MEN
GOVERNMENT [~GOV]
TROOPS {} [~MIL]
OFFICIAL [~GOV]
CONGRESS!PERSON! [~LEG]
HUMAN_RIGHTS_BODY [NGO~]
"""


@pytest.fixture
def suite(tmp_path: Path) -> Path:
    (tmp_path / RECORDS).write_text(RECORDS_XML, encoding="utf-8")
    (tmp_path / ACTORS).write_text(ACTORS_TXT, encoding="utf-8")
    (tmp_path / AGENTS).write_text(AGENTS_TXT, encoding="utf-8")
    return tmp_path


def test_read_records(suite: Path) -> None:
    records = read_records(suite / RECORDS)
    assert [r.id for r in records] == ["T-1", "T-2", "T-3", "T-4"]
    assert records[0].text == "Arnor troops fired artillery shells at Gondor on Thursday."
    assert records[0].events == (GoldEvent("ARNMIL", "GON", "194"),)
    assert records[2].events == () and not records[2].known_hard
    assert records[3].known_hard and records[3].date == date(1999, 1, 1)


def test_read_records_without_sentences_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "empty.xml"
    path.write_text("<Validation></Validation>", encoding="utf-8")
    with pytest.raises(ConfigError, match="no <Sentence>"):
        read_records(path)


def test_dictionaries(suite: Path) -> None:
    actors = read_actors(suite / ACTORS)
    assert actors.names["minas tirith"] == actors.names["gondor"]
    assert actors.names["lorien"][0][0].code == "ELR/GAL"
    roles = read_agents(suite / AGENTS)
    labels = {r.label: (r.code, r.prefix) for r in roles}
    assert labels["government"] == ("GOV", False)
    assert labels["human rights body"] == ("NGO", True)
    assert (
        "congressman" in labels and "congressmen" not in labels
    )  # macros expand, first form labels
    dictionary = load_eval_dictionary(suite / ACTORS, suite / AGENTS)
    gollum = next(a for name, a, _ in dictionary.dictionary.named if name == "gollum")
    assert dictionary.resolve(gollum.code, date(1995, 1, 1)) == "HOB"
    assert dictionary.resolve(gollum.code, date(1997, 1, 1)) == "HOBGOV"
    assert dictionary.resolve(f"{gollum.code}MIL", date(2001, 1, 1)) == "HOBREBMIL"


def _sentence(*events: GoldEvent) -> GoldSentence:
    return GoldSentence("S", date(2016, 1, 1), "text", events, known_hard=False)


def test_pairing_prefers_same_root_and_actors() -> None:
    gold = [GoldEvent("ARN", "GON", "041"), GoldEvent("ARN", "MOR", "041")]
    predicted = [("ARN", "MOR", "051"), ("ARN", "GON", "042")]
    pairs = _pair(gold, predicted)
    assert (gold[0], ("ARN", "GON", "042")) in pairs  # same root first
    assert (gold[1], ("ARN", "MOR", "051")) in pairs  # then same actors


def test_scores() -> None:
    scores = Scores()
    confusion: dict[str, dict[str, int]] = {}
    from collections import Counter, defaultdict

    table: dict[str, Counter[str]] = defaultdict(Counter)
    _score(scores, _sentence(GoldEvent("ARNMIL", "GON", "194")), {("ARNMIL", "GON", "190")}, table)
    _score(scores, _sentence(GoldEvent("---GOV", "ARN", "111")), {("GOV", "MOR", "120")}, table)
    _score(scores, _sentence(), {("X", "", "010")}, table)
    assert (scores.gold, scores.predicted, scores.detected, scores.root_matched) == (2, 3, 2, 1)
    assert scores.event_precision == pytest.approx(2 / 3) and scores.event_recall == 1.0
    assert scores.root_f1 == pytest.approx(2 * (1 / 3) * (1 / 2) / (1 / 3 + 1 / 2))
    assert (
        scores.actor1_accuracy == 1.0
    )  # "---GOV" and "GOV" are the same unknown-country government
    assert scores.actor2_accuracy == 0.5
    confusion = {k: dict(v) for k, v in table.items()}
    assert (
        confusion["19"] == {"19": 1}
        and confusion["11"] == {"12": 1}
        and confusion["—"] == {"extra": 1}
    )


def test_missing_suite_is_a_clear_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"PETR\.UnitTest\.records\.xml"):
        evaluate_events(tmp_path)


@pytest.mark.model
def test_evaluate_events_on_the_synthetic_suite(suite: Path, extractor: object) -> None:
    from pipeline.extract import Extractor

    assert isinstance(extractor, Extractor)
    report = evaluate_events(suite, extractor=extractor)
    assert isinstance(report, EventEvalReport)
    result = report.to_dict()
    for key in (
        "event_f1",
        "root_f1",
        "actor1_accuracy",
        "actor2_accuracy",
        "sentences",
        "baseline",
    ):
        assert key in result
    for key in ("event_f1", "root_f1", "actor1_accuracy", "actor2_accuracy", "sentences"):
        assert key in result["baseline"]
    assert result["sentences"] == 4
    assert report.known_hard.sentences == 1 and report.scores.sentences == 3
    # the artillery sentence: detected with the right root and actors
    assert report.scores.root_matched >= 1 and report.scores.actor1_correct >= 1
    text = format_report(report)
    assert "root F1" in text and "baseline" in text and "confusion" in text


@pytest.mark.model
def test_the_petrarch_suite_when_present(extractor: object) -> None:
    """On the real suite (developer checkouts only): the parse beats the no-parse baseline."""
    from evaluation.events import DEFAULT_RECORDS
    from pipeline.extract import Extractor

    if not DEFAULT_RECORDS.is_file():
        pytest.skip(f"{DEFAULT_RECORDS} is not here (it sits beside developer checkouts only)")
    assert isinstance(extractor, Extractor)
    report = evaluate_events(DEFAULT_RECORDS, extractor=extractor).to_dict()
    baseline = report["baseline"]
    assert report["event_f1"] > baseline["event_f1"]
    assert report["actor1_accuracy"] >= 0.7
    assert report["actor1_accuracy"] > baseline["actor1_accuracy"]
    assert report["root_f1"] >= baseline["root_f1"]


def test_main_reports_a_missing_suite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from evaluation.events import main

    assert main([str(tmp_path)]) == 2
    assert "PETR.UnitTest.records.xml" in capsys.readouterr().err


@pytest.mark.model
def test_main_json_last_line(
    suite: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    extractor: object,
) -> None:
    import json

    import evaluation.events as events

    monkeypatch.setattr(events, "Extractor", lambda: extractor)  # reuse the session's model
    assert events.main([str(suite), "--json"]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    result = json.loads(last)
    assert {
        "event_f1",
        "root_f1",
        "actor1_accuracy",
        "actor2_accuracy",
        "sentences",
        "baseline",
    } <= set(result)
