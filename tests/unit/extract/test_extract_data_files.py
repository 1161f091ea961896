"""The data files load, and a malformed one fails with a message naming the file and the entry."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import spacy

from pipeline.errors import ConfigError
from pipeline.extract.actors import load_actor_dictionary
from pipeline.extract.cues import load_cues
from pipeline.extract.datafiles import DATA_DIR
from pipeline.extract.gazetteer import load_gazetteer
from pipeline.extract.lexicon import load_code_table, load_lexicon
from pipeline.extract.triggers import TriggerFinder


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A writable copy of the packaged data directory."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_packaged_lexicon_loads_and_covers_the_required_event_kinds() -> None:
    lexicon = load_lexicon()
    codes = lexicon.codes
    expected = {
        ("recapture", None): "192",
        ("take", "over"): "192",
        ("withdraw", None): "0874",
        ("clash", None): "190",
        ("shell", None): "194",
        ("bomb", None): "195",
        ("arrest", None): "173",
        ("protest", None): "141",
        ("riot", None): "145",
        ("threaten", None): "130",
        ("urge", None): "020",
        ("demand", None): "100",
        ("reject", None): "120",
        ("turn", "down"): "120",
        ("negotiate", None): "046",
        ("evacuate", None): "073",
        ("kidnap", None): "181",
    }
    for (lemma, particle), code in expected.items():
        entry = lexicon.lookup(lemma, particle)
        assert entry is not None, (lemma, particle)
        assert entry.code == code and entry.source == "triggers.yaml"
    # phrases coded through patterns: regain control, set free
    assert any(
        p.code == "192" and "control" in p.object for p in lexicon.lookup("regain", None).patterns
    )  # type: ignore[union-attr]
    assert any(
        p.code == "0841" and "free" in p.complement for p in lexicon.lookup("set", None).patterns
    )  # type: ignore[union-attr]
    assert codes.info("195").sub_event_type == "Air/drone strike"
    assert codes.info("1831").event_type == "Explosions/Remote violence"
    assert codes.info("192").nonstate_sub_event_type == "Non-state actor overtakes territory"
    assert codes.info("0871").plover == "RETREAT"
    # the generated CAMEO.2.0 seed adds verbs the hand-written file does not list
    assert any(e.source == "cameo_verbs.yaml" for e in lexicon.entries.values())
    # reporting verbs are attribution, not events (only an accusation said in so many words is,
    # or a demand: "said Israel must withdraw")
    say = lexicon.lookup("say", None)
    assert say is None or (
        say.code is None and all(p.clause_words or p.object or p.clause_modal for p in say.patterns)
    )


def test_hand_written_entries_replace_the_seed(data: Path) -> None:
    lexicon = load_lexicon(data)
    restore = lexicon.lookup("restore", None)
    assert restore is not None and restore.source == "triggers.yaml"
    without_seed = load_lexicon(data, seed=False)
    assert len(without_seed.entries) < len(lexicon.entries)


@pytest.mark.parametrize(
    ("addition", "message"),
    [
        (
            '  - lemma: seize\n    code: "192"\n',
            r"triggers\[\d+\] \(lemma 'seize'\): duplicate entry for 'seize'",
        ),
        (
            "  - lemma: storm\n    code: 190\n",
            r"lemma 'storm'\).code: CAMEO code 190 must be a quoted string",
        ),
        ('  - lemma: zap\n    code: "990"\n', r"'990' is not a CAMEO event code"),
        (
            '  - lemma: zap\n    code: "190"\n    objekt: [town]\n',
            r"lemma 'zap'\): unknown key\(s\) \['objekt'\]",
        ),
        (
            "  - lemma: zap\n    code: null\n",
            r"lemma 'zap'\): an entry with code null needs patterns",
        ),
        (
            '  - lemma: zap\n    code: null\n    patterns:\n      - {prep: on, code: "190"}\n',
            r"patterns\[0\]\.prep: got True: quote the word",
        ),
        (
            "  - lemma: zap\n    code: null\n    patterns:\n"
            '      - {object_kind: person, code: "190"}\n',
            r"object_kind must be one of",
        ),
        ('  - lemma: zap2\n    code: "190"\n', r"'zap2' is not a lower-case lemma"),
    ],
)
def test_malformed_triggers_name_file_and_entry(data: Path, addition: str, message: str) -> None:
    _append(data / "triggers.yaml", addition)
    with pytest.raises(ConfigError, match=message) as info:
        load_lexicon(data)
    assert "triggers.yaml" in str(info.value)


def test_invalid_yaml_is_a_config_error(data: Path) -> None:
    _append(data / "triggers.yaml", "  - lemma: [unclosed\n")
    with pytest.raises(ConfigError, match=r"triggers\.yaml: not valid YAML"):
        load_lexicon(data)


def test_refinement_needs_a_condition(data: Path) -> None:
    text = (data / "triggers.yaml").read_text(encoding="utf-8")
    text = text.replace("refinements:\n", 'refinements:\n  - name: broken\n    code: "195"\n', 1)
    (data / "triggers.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"refinements\[0\]: a refinement needs instruments"):
        load_lexicon(data)


def test_code_table_rejects_unquoted_codes(data: Path) -> None:
    _append(data / "cameo.yaml", "  190: {name: x}\n")
    with pytest.raises(ConfigError, match=r"cameo\.yaml: codes\[190\]: quote the code"):
        load_code_table(data / "cameo.yaml")


def test_cues_load_and_reject_unknown_kinds(data: Path) -> None:
    cues = load_cues()
    assert "say" in cues.reporting_verbs and "will" in cues.future_aux
    assert cues.attribution_kind(["the", "news", "agency"]) == "media"
    assert cues.attribution_kind(["a", "military", "source"]) == "source"
    text = (data / "cues.yaml").read_text(encoding="utf-8").replace("  witness:", "  bystander:")
    (data / "cues.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(
        ConfigError, match=r"cues\.yaml: attribution_kinds: unknown kind 'bystander'"
    ):
        load_cues(data / "cues.yaml")


def test_gazetteer_rows_are_checked(data: Path) -> None:
    _append(data / "gazetteer.tsv", "Nowhere\tneighbourhood\tAtlantis\tSY\t\t\t2\t\t\ttest\n")
    with pytest.raises(
        ConfigError, match=r"gazetteer\.tsv: row \d+ \('Nowhere'\): parent 'Atlantis'"
    ):
        load_gazetteer(data / "gazetteer.tsv")


def test_gazetteer_rejects_bad_precision(data: Path) -> None:
    _append(data / "gazetteer.tsv", "Somewhere\ttown\t\tSY\t36.0\t37.0\t7\t\t\ttest\n")
    with pytest.raises(ConfigError, match=r"\('Somewhere'\): geo_precision must be 1, 2, 3 or 4"):
        load_gazetteer(data / "gazetteer.tsv")


def test_actor_dictionary_checks_country_codes(data: Path) -> None:
    gazetteer = load_gazetteer()
    dictionary = load_actor_dictionary(gazetteer=gazetteer)
    names = {name for name, _, _ in dictionary.named}
    assert {"Syria", "Syrian", "Syrians", "Hezbollah", "United Nations"} <= names
    _append(data / "actors.yaml", "  XXX: [Xish]\n")
    with pytest.raises(ConfigError, match=r"actors\.yaml: demonyms\['XXX'\]: 'XXX' is not an ISO"):
        load_actor_dictionary(data / "actors.yaml", gazetteer=gazetteer)


def test_trigger_matcher_builds_on_a_blank_pipeline() -> None:
    """The rule objects need only a vocabulary: no model is loaded for them."""
    nlp = spacy.blank("en")
    finder = TriggerFinder(nlp.vocab, load_lexicon(), load_cues())
    doc = nlp("The army recaptured the town.")
    # a blank pipeline has no POS tags or lemmas: nothing matches, and nothing breaks
    assert finder.find(doc, lambda t: False, lambda t: False) == []


def test_lemma_aliases_and_clause_patterns() -> None:
    lexicon = load_lexicon()
    assert lexicon.aliases["lambast"] == "lambaste"  # "lambasted" as the lemmatizer reads it
    assert lexicon.lookup("lambast", None) is lexicon.lookup("lambaste", None)
    assert "say" not in lexicon.aliases.values()
    claim = lexicon.lookup("claim", None)
    assert claim is not None
    assert [p.code for p in claim.patterns if p.clause] == ["015", "112"]


def test_code_table_announcements_and_reciprocal_roots(data: Path) -> None:
    codes = load_code_table(data / "cameo.yaml")
    assert codes.announcement("0841") == "0353"  # "announced it would free" (longest prefix)
    assert codes.announcement("190") == "1384" and codes.announcement("192") == "1382"
    assert codes.announcement("111") is None and "04" in codes.reciprocal_roots
    text = (data / "cameo.yaml").read_text(encoding="utf-8")
    (data / "cameo.yaml").write_text(text.replace('  "19": "1384"', '  19: "1384"'))
    with pytest.raises(ConfigError, match=r"announced\[19\]: quote the code prefix"):
        load_code_table(data / "cameo.yaml")


def test_capitals_stand_for_governments_and_roles_may_prefix(data: Path) -> None:
    gazetteer = load_gazetteer()
    dictionary = load_actor_dictionary(gazetteer=gazetteer)
    moscow = next(actor for name, actor, _ in dictionary.named if name == "Moscow")
    assert (moscow.code, moscow.type, moscow.country) == ("RUSGOV", "government", "RUS")
    protesters = next(role for role in dictionary.roles if role.label == "protesters")
    assert protesters.prefix and protesters.code == "NGM"
    text = (data / "actors.yaml").read_text(encoding="utf-8")
    (data / "actors.yaml").write_text(text.replace("  RUS: [Moscow]", "  XXX: [Moscow]"))
    with pytest.raises(ConfigError, match=r"capitals\['XXX'\]: 'XXX' is not an ISO"):
        load_actor_dictionary(data / "actors.yaml", gazetteer=gazetteer)
