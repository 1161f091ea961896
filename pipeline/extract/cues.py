"""The cue word lists of ``cues.yaml``: reporting verbs, modality, attribution kinds, places."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import ConfigError
from pipeline.extract.datafiles import DATA_DIR, check_keys, read_yaml, word_forms, words

_LISTS = (
    "reporting_verbs",
    "according_to",
    "future_aux",
    "hypothetical_aux",
    "negation_words",
    "negating_verbs",
    "intention_verbs",
    "intention_nouns",
    "implicative_verbs",
    "conditional_marks",
    "subcity_features",
    "region_features",
    "city_features",
    "locative_cues",
    "place_nouns",
    "holder_verbs",
    "ambiguous_place_names",
    "quantity_heads",
    "reactive_objects",
    "landmark_features",
    "allegation_verbs",
    "allegation_nouns",
    "personal_pronouns",
    "person_pronouns",
    "plural_pronouns",
    "thing_pronouns",
    "person_object_pronouns",
    "plural_object_pronouns",
    "person_nouns",
    "object_control_preps",
    "habitual_adverbs",
    "duration_units",
    "intention_adjectives",
    "ongoing_marks",
    "time_nouns",
    "attempt_verbs",
    "reciprocal_verbs",
    "honorifics",
    "seeming_verbs",
    "verdict_words",
    "natural_causes",
    "act_nouns",
    "summary_quantifiers",
    "means_verbs",
    "perception_verbs",
    "intransitive_acts",
    "crowd_violence_verbs",
    "assembly_verbs",
    "assembly_nouns",
    "assembly_code",
    "event_nouns",
    "fight_nouns",
    "event_noun_preps",
    "civilian_places",
    "one_sided_acts",
    "fought_back",
    "remote_attack_heads",
    "direct_fire",
    "crowd_control_weapons",
    "crowd_nouns",
    "property_nouns",
    "violent_manner",
    "riot_nouns",
    "symbolic_objects",
    "completive_particles",
)


@dataclass(frozen=True)
class Cues:
    """Word sets; multi-word entries keep their spaces (``be about``, ``rule out``)."""

    reporting_verbs: frozenset[str]
    according_to: frozenset[str]
    future_aux: frozenset[str]
    hypothetical_aux: frozenset[str]
    negation_words: frozenset[str]
    negating_verbs: frozenset[str]
    intention_verbs: frozenset[str]
    intention_nouns: frozenset[str]
    implicative_verbs: frozenset[str]
    conditional_marks: frozenset[str]
    subcity_features: frozenset[str]
    region_features: frozenset[str]
    city_features: frozenset[str]
    locative_cues: frozenset[str]
    place_nouns: frozenset[str]
    holder_verbs: frozenset[str]
    ambiguous_place_names: frozenset[str]
    quantity_heads: frozenset[str]
    reactive_objects: frozenset[str]
    landmark_features: frozenset[str]
    allegation_verbs: frozenset[str]
    allegation_nouns: frozenset[str]
    personal_pronouns: frozenset[str]
    person_pronouns: frozenset[str]
    plural_pronouns: frozenset[str]
    thing_pronouns: frozenset[str]
    person_object_pronouns: frozenset[str]
    plural_object_pronouns: frozenset[str]
    person_nouns: frozenset[str]
    object_control_preps: frozenset[str]
    habitual_adverbs: frozenset[str]
    duration_units: frozenset[str]
    intention_adjectives: frozenset[str]
    ongoing_marks: frozenset[str]
    time_nouns: frozenset[str]
    attempt_verbs: frozenset[str]
    reciprocal_verbs: frozenset[str]
    honorifics: frozenset[str]
    seeming_verbs: frozenset[str]
    verdict_words: frozenset[str]
    natural_causes: frozenset[str]
    act_nouns: frozenset[str]
    summary_quantifiers: frozenset[str]
    means_verbs: frozenset[str]
    perception_verbs: frozenset[str]
    intransitive_acts: frozenset[str]
    crowd_violence_verbs: frozenset[str]
    assembly_verbs: frozenset[str]
    assembly_nouns: frozenset[str]
    assembly_code: frozenset[str]
    event_nouns: frozenset[str]
    fight_nouns: frozenset[str]
    event_noun_preps: frozenset[str]
    civilian_places: frozenset[str]
    one_sided_acts: frozenset[str]
    fought_back: frozenset[str]
    remote_attack_heads: frozenset[str]
    direct_fire: frozenset[str]
    crowd_control_weapons: frozenset[str]
    crowd_nouns: frozenset[str]
    property_nouns: frozenset[str]
    violent_manner: frozenset[str]
    riot_nouns: frozenset[str]
    symbolic_objects: frozenset[str]
    completive_particles: frozenset[str]
    attribution_kinds: Mapping[str, frozenset[str]]
    remote_weapons: Mapping[str, frozenset[str]]
    """ACLED sub-type of remote violence → the words of its weapons."""

    def attribution_kind(self, lemmas: list[str]) -> str:
        """Attribution kind of a source phrase from its lemmas (head last), else ``source``."""
        joined = " ".join(lemmas)
        head = lemmas[-1] if lemmas else ""
        for kind, kind_words in self.attribution_kinds.items():
            if head in kind_words or any(" " in w and w in joined for w in kind_words):
                return kind
        for kind, kind_words in self.attribution_kinds.items():
            if any(lemma in kind_words for lemma in lemmas[:-1]):
                return kind
        return "source"


def load_cues(path: Path | None = None) -> Cues:
    """Load and check ``cues.yaml``."""
    path = path or DATA_DIR / "cues.yaml"
    data = read_yaml(path)
    maps = ("attribution_kinds", "remote_weapons")
    check_keys(str(path), data, (*_LISTS, *maps), required=(*_LISTS, *maps))
    lists = {name: word_forms(words(f"{path}: {name}", data[name])) for name in _LISTS}
    raw_kinds = data["attribution_kinds"]
    if not isinstance(raw_kinds, dict):
        raise ConfigError(f"{path}: attribution_kinds must map a kind to a list of words")
    allowed = {"source", "official", "statement", "media", "witness"}
    kinds: dict[str, frozenset[str]] = {}
    for kind, raw in raw_kinds.items():
        if kind not in allowed:
            raise ConfigError(
                f"{path}: attribution_kinds: unknown kind {kind!r}; "
                f"expected one of {sorted(allowed)}"
            )
        kinds[kind] = word_forms(words(f"{path}: attribution_kinds.{kind}", raw))
    raw_weapons = data["remote_weapons"]
    if not isinstance(raw_weapons, dict):
        raise ConfigError(f"{path}: remote_weapons must map an ACLED sub-type to a list of words")
    weapons = {
        str(sub): word_forms(words(f"{path}: remote_weapons.{sub}", raw))
        for sub, raw in raw_weapons.items()
    }
    return Cues(**lists, attribution_kinds=kinds, remote_weapons=weapons)
