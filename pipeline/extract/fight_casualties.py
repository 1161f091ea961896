"""Harm told as happening in a fight is that fight's: "nine people were killed in clashes between
Anti-Balaka and MISCA soldiers", "three died during fighting between the army and rebels" are
battles (ACLED codes the casualties of a clash with the clash), not violence against civilians by
one of the sides. A fight of a crowd ("killed in clashes between protesters and police") is left to
the riot rules. Cue words: ``fight_nouns``, ``fought_back`` and ``crowd_nouns`` in ``cues.yaml``,
the prepositions ``event_noun_preps``.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc, Token

from pipeline.extract.cues import Cues
from pipeline.extract.incident_types import SideRules
from pipeline.extract.one_sided import fight_words, trigger_token
from schemas import Event


def fight_of(token: Token, cues: Cues) -> Token | None:
    """The fight noun the act at ``token`` is told in ("killed *in clashes*", "died *during*
    fighting"), when no crowd is named on a side of it; else None."""
    words = fight_words(cues)
    for prep in token.subtree:
        if prep.dep_ != "prep" or prep.lower_ not in cues.event_noun_preps:
            continue
        if prep.head.i != token.i and prep.head.lemma_.lower() not in cues.one_sided_acts:
            continue  # "killed and several others injured in clashes": the harm shares the fight
        for noun in prep.children:
            if noun.dep_ != "pobj":
                continue
            if noun.lemma_.lower() not in words and noun.lower_ not in words:
                continue
            if any(t.lemma_.lower() in cues.crowd_nouns for t in noun.subtree):
                return None  # "killed in clashes between protesters and police": a riot's
            return noun
    return None


def fight_casualties(
    events: Sequence[Event], doc: Doc, cues: Cues, rules: SideRules
) -> list[Event]:
    """The article's events with violence against civilians told as harm in a fight made the
    fight's battle (an armed clash); not an act told with its object, which is a side's own."""
    if rules.against_civilians is None:
        return list(events)
    civilian_attack = rules.against_civilians[0]
    out: list[Event] = []
    for event in events:
        if event.factual and event.event_type == civilian_attack:
            token = trigger_token(doc, event)
            if (
                token is not None
                # "FARF killed 52 civilians during a battle with soldiers": a side's own act
                and not any(c.dep_ == "dobj" for c in token.children)
                and fight_of(token, cues) is not None
            ):
                event = event.derive(event_type=rules.battles, sub_event_type=rules.armed_clash)
        out.append(event)
    return out
