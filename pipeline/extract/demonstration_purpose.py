"""A demonstration told by its purpose: "teachers held a sit-in to demand their pay", "residents
barricaded the road to protest the arrest", "refugees marched to demand compensation".

A to-infinitive of purpose is an intention ("troops were sent to stop the looting"), but a crowd
that assembled *to protest* has protested, and a demand it assembled for was made by demonstrating
(ACLED codes the gathering as a protest). Which acts are assemblies is data (``cues.yaml``:
``assembly_verbs``, ``assembly_nouns``; a crowd's destructive act counts too).
"""

from __future__ import annotations

from spacy.tokens import Token

from pipeline.extract.cues import Cues
from pipeline.extract.modality import classify, is_infinitive

PROTEST_ROOT = "14"


def _assembly(head: Token, cues: Cues) -> bool:
    """The clause headed by ``head`` tells a crowd assembling or acting together: "gathered",
    "held a sit-in", "took to the streets", "burnt tyres"."""
    lemma = head.lemma_.lower()
    if lemma in cues.reporting_verbs or lemma in cues.intention_verbs:
        return False  # "announced a march to protest", "planned a sit-in": said, not done
    if lemma in cues.assembly_verbs or lemma in cues.crowd_violence_verbs:
        return True
    objects = [c for c in head.children if c.dep_ == "dobj"]
    for prep in (c for c in head.children if c.dep_ == "prep"):
        objects.extend(c for c in prep.children if c.dep_ == "pobj")
    return any(
        t.lemma_.lower() in cues.assembly_nouns or t.lower_ in cues.assembly_nouns
        for obj in objects
        for t in obj.subtree
    )


def purpose_of_demonstration(verb: Token, root: str, has_acled_type: bool, cues: Cues) -> bool:
    """True when ``verb`` (CAMEO ``root``) is the purpose of a demonstration that happened: a
    protest or an act with no ACLED type (a demand, an appeal) for which a crowd assembled or
    acted together ("gathered to demand justice", "burnt tyres to protest")."""
    if verb.dep_ != "advcl" or not is_infinitive(verb):
        return False
    head = verb.head
    if head.pos_ != "VERB" or not classify(head, cues).factual:
        return False  # "plan to gather to protest": nothing happened yet
    if root != PROTEST_ROOT and has_acled_type:
        return False
    # "announced a march to protest": only the crowd's own act makes the protest a fact
    return _assembly(head, cues)
