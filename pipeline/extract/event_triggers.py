"""Which words are events: the triggers the rules miss that the learned models find (a sentence's
proposed acts, verbal acts), and an event noun's trigger on the verb that reports it."""

from __future__ import annotations

from spacy.tokens import Doc

from pipeline.extract.actors import base_form
from pipeline.extract.event_proposals import PROPOSED_CONFIDENCE, propose
from pipeline.extract.event_typer import EventTyper
from pipeline.extract.evidence import doc_text
from pipeline.extract.lexicon import TriggerEntry
from pipeline.extract.nominals import Nominal
from pipeline.extract.triggers import Trigger
from pipeline.extract.verbal_acts import VerbalActFinder


def proposed_triggers(
    doc: Doc, candidates_at: list[int], typer: EventTyper, lemmas: frozenset[str]
) -> list[list[Trigger]]:
    """The model's candidate triggers, surest first, of each sentence in which the rules had
    no candidate (``candidates_at``: their character offsets): where the rules had one and
    made no event of it ("a fireworks cache exploded", "the delegation arrived"), they
    decided."""
    if typer.model is None:
        return []
    text = doc_text(doc)
    told = candidates_at
    out: list[list[Trigger]] = []
    for sentence in doc.sents:
        if any(sentence.start_char <= at < sentence.end_char for at in told):
            continue
        found = propose(
            typer.model,
            sentence,
            text[sentence.start_char : sentence.end_char],
            typer.thresholds["propose_type"],
            typer.thresholds["propose_none"],
            lemmas,
            text,
        )
        triggers: list[Trigger] = []
        for proposal in found:
            token = proposal.token
            confidence = proposal.probability * PROPOSED_CONFIDENCE
            entry = TriggerEntry(token.lemma_.lower(), None, proposal.code, (), confidence, "model")
            end = token.idx + len(token.text)
            triggers.append(
                Trigger(
                    token,
                    entry,
                    proposal.code,
                    None,
                    token.idx,
                    end,
                    confidence,
                    token.text,
                    proposed_type=proposal.event_type,
                )
            )
        if triggers:
            out.append(triggers)
    return out


def verbal_act_triggers(doc: Doc, taken: frozenset[int], finder: VerbalActFinder) -> list[Trigger]:
    """Verbs no trigger took that the verbal-act model codes as a statement, appeal,
    accusation, rejection or threat (``verbal_acts``), as triggers of the root's unspecified
    code ("110")."""
    if finder.model is None:
        return []
    text = doc_text(doc)
    out: list[Trigger] = []
    for sentence in doc.sents:
        for act in finder.find(sentence, text[sentence.start_char : sentence.end_char], taken):
            token = act.token
            code = act.root + "0"
            confidence = act.probability * PROPOSED_CONFIDENCE
            entry = TriggerEntry(token.lemma_.lower(), None, code, (), confidence, "model")
            end = token.idx + len(token.text)
            out.append(Trigger(token, entry, code, None, token.idx, end, confidence, token.text))
    return out


def nominal_trigger(doc: Doc, nominal: Nominal) -> Trigger:
    """A noun's event as a trigger on the verb that reports it (or the noun in a headline)."""
    entry = nominal.entry
    lexicon_entry = TriggerEntry(
        base_form(nominal.noun), None, nominal.code, (), entry.confidence, "nominals.yaml"
    )
    return Trigger(
        nominal.governor or nominal.noun,
        lexicon_entry,
        nominal.code,
        None,
        nominal.start,
        nominal.end,
        entry.confidence,
        doc_text(doc)[nominal.start : nominal.end],
        nominal,
    )
