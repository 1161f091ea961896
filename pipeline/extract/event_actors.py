"""Who the actors of an event are, read from the parse: the named or described actor a token
stands for, an act's targets, the doer of an event noun, roles for unnamed doers and the
opponent of a clash (moved out of extractor.py; ``ActorResources`` is what they read)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from spacy.tokens import Doc, Span, Token

from pipeline.extract.actor_types import actor_types
from pipeline.extract.actors import (
    STATE_TYPES,
    ActorDictionary,
    ActorMention,
    Member,
    NamedActor,
    Role,
    base_form,
    phrase_tokens,
    resolve_actor,
    role_mention,
    shared_head_phrases,
)
from pipeline.extract.article_state import CodedEvent, Context
from pipeline.extract.cameo_roots import HARM_ROOTS
from pipeline.extract.cues import Cues
from pipeline.extract.event_agents import fragment_predicate, shared_agent, shared_patient
from pipeline.extract.event_place import NONSTATE_ARMED
from pipeline.extract.evidence import doc_text
from pipeline.extract.lexicon import Refinement
from pipeline.extract.nominals import NominalEntry, agent_candidates, possessor_is_patient
from pipeline.extract.triggers import Trigger, content_clauses, objects

_ARMED_TYPES = actor_types().armed

_TARGET_PREPS = (
    "against",
    "at",
    "on",
    "with",
    "to",
    "into",
    "toward",
    "towards",
    "for",
    "of",
    "over",
    "between",
    "about",
    "from",  # last: "withdrew from X" targets X, but any other preposition's actor comes first
)
# Acts that answer somebody's act: denying, criticising, rejecting, cutting ties. When what they
# answer is an event noun ("rejected Gandhi's allegations"), its doer is the target.
_RESPONSE_ROOTS = frozenset({"01", "11", "12", "16"})
_SIDE_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "conj", "appos", "dative", "ROOT"})


@dataclass(frozen=True)
class ActorResources:
    """What resolving actors reads: the cue lists, the actor dictionary and its roles by label,
    the event nouns of the nominal lexicon, the instrument refinements and ACLED's class of an
    unlisted armed group; rebuilt by ``Extractor.with_actors`` (it swaps the dictionary)."""

    cues: Cues
    dictionary: ActorDictionary
    roles: dict[str, Role]
    nominal_entries: Mapping[str, NominalEntry]
    refinements: tuple[Refinement, ...]
    unclassed_armed_class: int | None


def only_armed_group(
    named: Mapping[int, tuple[Span, NamedActor]], target: object, verb: Token
) -> ActorMention | None:
    """The one non-state armed group the dictionary names in the sentence of the act's
    ``verb``, outside the act's target (``target``: its mention, if any) and not the subject of
    another verb, as the doer of an act whose doer the parse did not find ("killed in an attack
    attributed to Boko Haram", "wounded after a Boko Haram incursion"); None when several
    ("Police said Al Shabaab fighters left the town": they did something else); with none, the
    one the article says did an act (:func:`_claimed_group`)."""
    types = actor_types()
    avoid = (target.start, target.end) if isinstance(target, ActorMention) else None
    sentence = verb.sent
    groups: dict[str, tuple[Span, NamedActor]] = {}
    for span, actor in named.values():
        if actor.type not in types.armed or actor.type in types.state:
            continue
        if not sentence.start <= span.start < sentence.end:
            continue
        doer_of = next(
            (t.head for t in span if t.dep_ in ("nsubj", "nsubjpass") and t.head.i != verb.i),
            None,
        )
        if doer_of is None:
            doer_of = next(
                (
                    t.head.head
                    for t in span
                    if t.head.dep_ in ("nsubj", "nsubjpass")
                    and t.head.head.i != verb.i
                    and t.head.i not in range(span.start, span.end)
                ),
                None,
            )
        if doer_of is not None:
            continue  # the subject of another act ("Al Shabaab fighters left the town")
        if avoid is not None and avoid[0] <= span.start_char < avoid[1]:
            continue  # the victims' group ("fighters of X were killed") did not do it
        groups.setdefault(actor.normalized, (span, actor))
    if not groups:
        return _claimed_group(named, avoid)
    if len(groups) != 1:
        return None
    return _group_mention(*next(iter(groups.values())))


def _group_mention(span: Span, actor: NamedActor) -> ActorMention:
    """A named group as the doer the parse did not find, at a low confidence."""
    member = Member(
        actor.normalized,
        actor.type,
        actor.country,
        actor.code,
        0.45,
        span.root.i,
        acled_class=actor.acled_class,
        agent_class=actor.agent_class,
    )
    return ActorMention((member,), span.start_char, span.end_char, span.text)


def _claims(sentence: Span) -> bool:
    """True when ``sentence`` says who did an act: "JNIM claimed responsibility", "the attack
    was claimed by Ansar Dine", "attributed to Boko Haram", "blamed on the rebels"."""
    for token in sentence:
        lemma = token.lemma_.lower()
        if lemma == "responsibility":
            return True
        if lemma in ("claim", "attribute", "blame") and any(
            c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ in ("to", "on"))
            for c in token.children
        ):
            return True
    return False


def _claimed_group(
    named: Mapping[int, tuple[Span, NamedActor]], avoid: tuple[int, int] | None
) -> ActorMention | None:
    """The one non-state armed group the article names in sentences that say who did an act
    (:func:`_claims`), outside the act's target, as the doer the act's own sentence leaves
    unnamed ("A convoy hit an IED. JNIM claimed responsibility."); None when none or several."""
    types = actor_types()
    groups: dict[str, tuple[Span, NamedActor]] = {}
    for span, actor in named.values():
        if actor.type not in types.armed or actor.type in types.state:
            continue
        if avoid is not None and avoid[0] <= span.start_char < avoid[1]:
            continue
        if _claims(span.sent):
            groups.setdefault(actor.normalized, (span, actor))
    if len(groups) != 1:
        return None
    return _group_mention(*next(iter(groups.values())))


def acts_for(
    res: ActorResources, speaker: Token, subject: Token, named: dict[int, Any], context: Context
) -> bool:
    """Whether the subject is the speaking state's own arm: "Israel said its troops would
    attack", "the minister says Australian forces will fight"."""
    said_by = actor_of(res, speaker, named, context)
    doer = actor_of(res, subject, named, context)
    if said_by is None or doer is None:
        return False
    state = STATE_TYPES
    one, two = said_by.primary, doer.primary
    return (
        one.country is not None
        and one.country == two.country
        and one.type in state
        and two.type in state
    )


def actor_of(
    res: ActorResources, token: Token, named: dict[int, Any], context: Context
) -> ActorMention | None:
    """The actor ``token`` stands for: a pronoun's antecedent, what a quantity or relative
    pronoun stands for, a named or described actor (None for a place)."""
    if token.i in context.antecedents:
        return context.antecedents[token.i]  # "He questioned": the last sentence's leader
    head = token
    if (head.lemma_.lower() in res.cues.quantity_heads or head.pos_ == "NUM") and not any(
        t.i in named for t in phrase_tokens(head) if t.i != head.i
    ):
        # "dozens of protesters", "a panel of judges"; but "a United Nations panel of
        # judges" is the UN's
        of = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        pobj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
        if pobj is not None:
            head = pobj
    if head.lower_ in ("who", "that", "which") and head.head.dep_ == "relcl":
        head = head.head.head  # "rebels who fled": the antecedent
    if head.i not in named:
        # a place is where, not who: "captured the neighbourhood", "liberate all of Aleppo"
        if head.lemma_.lower() in res.cues.place_nouns:
            return None
        place = context.place_at.get(head.i)
        if place is not None and place.kind != "country":
            # "in poll-bound Bihar, the Election Commission accused": a misparse makes the
            # place the subject and the actor its apposition
            appos = next((c for c in head.children if c.dep_ == "appos"), None)
            if (
                head.dep_ == "nsubj"
                and appos is not None
                and appos.i not in context.place_at
                and appos.lemma_.lower() not in res.cues.place_nouns
            ):
                return resolve_actor(appos, named, res.dictionary, context.country)
            return None
    mention = resolve_actor(head, named, res.dictionary, context.country)
    if (mention is None or not mention.primary.code) and context.names is not None:
        # "Elangovan also said": the "DMK leader TKS Elangovan" named before
        return context.names.find(head) or mention
    if mention is not None and context.sides:
        mention = on_side(res, mention, context.sides)
    return mention


def armed_sides(res: ActorResources, doc: Doc, named: dict[int, Any]) -> list[tuple[int, str, str]]:
    """Armed actors the text names with a country ("Israeli forces", "Palestinian gunmen")."""
    sides: list[tuple[int, str, str]] = []
    for token in doc:
        if token.pos_ not in ("NOUN", "PROPN") or token.dep_ not in _SIDE_DEPS:
            continue
        if token.i not in named and not any(c.i in named for c in token.children):
            continue  # no name, no country of its own: "the tanks" (and saves the parse time)
        if token.dep_ == "nsubj" and token.head.lemma_.lower() in res.cues.reporting_verbs:
            continue  # "the Iraqi military said": who reports the raid is not who flew it
        mention = resolve_actor(token, named, res.dictionary, None)
        for member in mention.members if mention is not None else ():
            if member.type in _ARMED_TYPES and member.country and not member.country_inherited:
                sides.append((member.head, member.type, member.country))
    return sides


def in_jurisdiction(
    res: ActorResources, actor1: ActorMention, actor2: ActorMention
) -> ActorMention:
    """Whom a state arrests, bans or sentences is in its hands: "Pakistani police arrested
    two dozen militants" are Pakistan's militants unless the text says whose they are."""
    state = actor1.primary
    if state.type not in STATE_TYPES or not state.country or state.country_inherited:
        return actor2
    members = tuple(
        with_country(res, m, state.country) if m.country_inherited else m for m in actor2.members
    )
    return replace(actor2, members=members)


def with_country(res: ActorResources, member: Member, country: str) -> Member:
    """``member``, its inherited country replaced by ``country`` (code and name too)."""
    old = member.country
    if not old or not member.code or old == country:
        return member
    adjectives = res.dictionary.adjectives
    normalized = member.normalized
    if adjectives.get(old) and normalized.startswith(adjectives[old]):
        normalized = adjectives.get(country, country) + normalized[len(adjectives[old]) :]
    if member.code.startswith(old):
        code = country + member.code[len(old) :]
    elif member.code.endswith(old):  # a role written before the country: NGM + ISR
        code = member.code[: -len(old)] + country
    else:
        return member
    return replace(member, country=country, code=code, normalized=normalized)


def on_side(
    res: ActorResources, mention: ActorMention, sides: list[tuple[int, str, str]]
) -> ActorMention:
    """Members whose country was only the story's take the country of the last armed actor
    of their type named before them with one ("Israeli troops ... the tanks fired")."""
    members = []
    for m in mention.members:
        side = next((c for i, kind, c in reversed(sides) if i < m.head and kind == m.type), None)
        members.append(with_country(res, m, side) if m.country_inherited and side else m)
    return replace(mention, members=tuple(members))


def speaker_of(
    res: ActorResources, verb: Token, named: dict[int, Any], context: Context
) -> ActorMention | None:
    """The nearest named subject up the clauses above ``verb``: who "it" in "France said it
    was determined to" is."""
    token = verb
    for _ in range(4):
        for child in token.children:
            if child.dep_ in ("nsubj", "nsubjpass"):
                found = actor_of(res, child, named, context)
                if found is not None:
                    return found
        if token.head.i == token.i:
            return None
        token = token.head
    return None


def target_of(
    res: ActorResources,
    verb: Token,
    trigger: Trigger,
    named: dict[int, Any],
    context: Context,
    actor1: ActorMention | None,
    trigger_at: dict[int, Trigger],
) -> ActorMention | None:
    """Whom the act of ``verb`` was done to: its patient, object or prepositional object, the
    accused of an allegation; not ``actor1`` and not an act or a shelled town."""
    passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)
    candidates: list[Token] = []
    if passive:
        candidates.extend(c for c in verb.children if c.dep_ == "nsubjpass")
        if not candidates and verb.dep_ == "conj":
            # "Russian forces attacked ... and were repelled by X": the first verb's subject
            # is the one repelled
            candidates.extend(c for c in verb.head.children if c.dep_ in ("nsubj", "nsubjpass"))
    elif trigger.code[:2] in HARM_ROOTS and shared_agent(verb) is not None:
        patient = shared_patient(verb.head)
        if patient is not None:
            candidates.append(patient)  # "was detained, tried by a court and sentenced"
    elif verb.dep_ == "acl" and verb.tag_ == "VBN" and not fragment_predicate(verb):
        candidates.append(verb.head)  # "civilians imprisoned for ...": the noun is the patient
    candidates.extend(c for c in verb.children if c.dep_ in ("dobj", "dative", "obj"))
    objs = [c for c in verb.children if c.dep_ in ("dobj", "obj")]
    if passive:  # "evidence against Russia was presented": the patient's phrase names whom
        objs.extend(c for c in verb.children if c.dep_ == "nsubjpass")
    owners = [verb, *objs]
    seen = {o.i for o in owners}
    for owner in owners:
        preps = [
            c for c in owner.children if c.dep_ in ("prep", "dative") and c.lower_ in _TARGET_PREPS
        ]
        for prep in sorted(preps, key=lambda p: _TARGET_PREPS.index(p.lower_)):
            for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                candidates.append(pobj)
                # "welcomed the resumption of ties with Osgiliath": follow the noun's preps
                if pobj.i not in seen and len(seen) < 6 and pobj.pos_ == "NOUN":
                    seen.add(pobj.i)
                    owners.append(pobj)
    accusing = trigger.pattern is not None and bool(
        trigger.pattern.clause_words or trigger.pattern.clause_modal
    )
    if verb.lemma_.lower() in res.cues.allegation_verbs or accusing:
        # "claimed that ISIL attacked Iraq": the accused, else (a claim of one's own act) its
        # target; "said the commission is stealing elections": the commission
        clauses = (
            content_clauses(verb) if accusing else [c for c in verb.children if c.dep_ == "ccomp"]
        )
        for clause in clauses:
            candidates.extend(c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass"))
            candidates.extend(c for c in clause.children if c.dep_ in ("dobj", "dative"))
    for obj in objs:
        if obj.lemma_.lower() in res.cues.event_nouns:
            by = next(
                (c for c in obj.children if c.dep_ in ("prep", "agent") and c.lower_ == "by"),
                None,
            )
            if by is not None:
                candidates[:0] = [c for c in by.children if c.dep_ == "pobj"]
    for clause in (c for c in verb.children if c.dep_ == "xcomp"):
        # "agreed to lift the sanctions on Iran", "threatened to attack Iraq": whom the act
        # the verb is about would affect
        for obj in (c for c in clause.children if c.dep_ in ("dobj", "obj")):
            candidates.append(obj)
            candidates.extend(
                pobj
                for prep in obj.children
                if prep.dep_ == "prep" and prep.lower_ in _TARGET_PREPS
                for pobj in prep.children
                if pobj.dep_ == "pobj"
            )
    for child in verb.children:
        # "shelled the town, killing 8 civilians": whom the restating participle harms
        told = trigger_at.get(child.i)
        if (
            child.dep_ == "advcl"
            and child.tag_ == "VBG"
            and told is not None
            and told.code[:2] == trigger.code[:2]
        ):
            candidates.extend(c for c in child.children if c.dep_ in ("dobj", "obj"))
    for clause in (c for c in verb.children if c.dep_ in ("ccomp", "xcomp", "oprd")):
        if clause.pos_ in ("ADJ", "NOUN"):
            # a small clause: "hold [Congress responsible]", "declared [the vote illegal]"
            candidates.extend(c for c in clause.children if c.dep_ == "nsubj")
    nouns = res.nominal_entries
    violent = trigger.code[:2] in HARM_ROOTS
    for candidate in candidates:
        if candidate.pos_ == "NOUN" and base_form(candidate) in nouns:
            if trigger.code[:2] in _RESPONSE_ROOTS:
                # "rejected Gandhi's allegations", "condemned the attack by Hamas": who
                # made the act responded to
                agent = act_agent(res, candidate, named, context)
                if agent is not None and (actor1 is None or agent.start != actor1.start):
                    return agent
            continue  # "launched a drone attack on Kyiv": the act, not whom it hit
        place = context.place_at.get(candidate.i)
        if violent and place is not None and place.kind != "country":
            continue  # "shelled Kyiv": a capital under fire is a city, not its government
        mention = actor_of(res, candidate, named, context)
        if mention is None:
            # "dispute his interpretation": a thing's owner named by a pronoun is the target
            possessor = next((c for c in candidate.children if c.dep_ == "poss"), None)
            mention = context.antecedents.get(possessor.i) if possessor is not None else None
        if mention is not None and (actor1 is None or mention.start != actor1.start):
            return mention
    return None


def act_agent(
    res: ActorResources, noun: Token, named: dict[int, Any], context: Context
) -> ActorMention | None:
    """Who did the act an event noun names ("Gandhi's allegations", "the attack by Hamas",
    "Israeli strikes"), not whom it was done to ("Khan's arrest": somebody unnamed)."""
    entry = res.nominal_entries[base_form(noun)]
    code = entry.code or next((p.code for p in entry.patterns if p.code), "")
    patient = possessor_is_patient(noun, code)
    names_patient = any(c.dep_ == "prep" and c.lower_ == "of" for c in noun.children)
    for token in agent_candidates(noun, entry, patient_possessor=patient):
        if token.i == noun.i and names_patient:
            continue  # "the arrest of the journalist" names whom, not who
        found = actor_of(res, token, named, context)
        if found is not None:
            return found
    before = modifier_actors(noun, named)
    if len(before) == 1 and before[0].primary.type == "country":
        # "the Israeli strikes": its forces, as the noun's own event would have it
        return as_military(res, before[0]) if code[:2] in ("18", "19", "20") else before[0]
    return None


def generic_agent(
    res: ActorResources, subject: Token, event_type: str, context: Context
) -> ActorMention | None:
    """A subject the dictionary does not know, in the role the act gives it: "medical interns
    protested" are protesters (``agents_of`` roles in actor_types.yaml); not a place, a
    pronoun or a name."""
    rule = actor_types().agents_of.get(event_type)
    if rule is None or rule.role is None:
        return None
    if rule.armed and (subject.tag_ != "NNS" or thing_noun(res, subject)):
        # "unknown individuals attacked": people; "the campaign attacked", "two strikes hit
        # the building": words, acts and weapons
        return None
    if (
        subject.pos_ != "NOUN"
        or subject.i in context.place_at
        or subject.lemma_.lower() in res.cues.place_nouns
    ):
        return None
    return role_mention(subject, res.roles[rule.role], res.dictionary, context.country)


def unlisted_name(res: ActorResources, subject: Token, context: Context) -> ActorMention | None:
    """A subject written as a name (a proper noun, or initials) that neither the dictionary
    nor NER knows, as an armed group of no known type (``unclassed_armed_class``); not a
    place, a pronoun or the name of an act or weapon."""
    initials = len(subject.text) > 1 and subject.text.isupper() and subject.text.isalpha()
    if (
        not (subject.pos_ == "PROPN" or initials)
        or subject.i in context.place_at
        or subject.lower_ in res.cues.personal_pronouns
        or subject.lemma_.lower() in res.cues.place_nouns
        or thing_noun(res, subject)
    ):
        return None
    tokens = phrase_tokens(subject)
    span = subject.doc[tokens[0].i : tokens[-1].i + 1]
    member = Member(
        span.text,
        "group",
        None,
        None,
        0.4,
        subject.i,
        acled_class=res.unclassed_armed_class,
    )
    return ActorMention((member,), span.start_char, span.end_char, span.text)


def thing_noun(res: ActorResources, noun: Token) -> bool:
    """A noun that names an act or a weapon, nobody who acts ("strikes", "blasts")."""
    lemma = noun.lemma_.lower()
    return (
        lemma in res.cues.event_nouns
        or lemma in res.cues.fight_nouns
        or base_form(noun) in res.nominal_entries
        or any(lemma in rule.instruments for rule in res.refinements)
    )


def unknown_agent(
    res: ActorResources,
    doc: Doc,
    trigger: Trigger,
    event_type: str,
    context: Context,
    target: object,
    *,
    untold: bool = False,
    named: Mapping[int, tuple[Span, NamedActor]] | None = None,
) -> ActorMention | None:
    """The role of whoever did an act of ``event_type`` the text names nobody for, of the
    story's country (no span: the words do not name it); ``target``: whether it was done to
    somebody, ``untold``: whether the text names nobody on either side (``unknown_agents`` of
    actor_types.yaml); before it, the agent of an act just told, else the one armed group
    the article names (``named``: "an attack attributed to Boko Haram")."""
    unknown = actor_types().unknown_agents.get(event_type)
    if (
        unknown is None
        or (unknown.needs_target and not target)
        or (unknown.untold_only and not untold)
    ):
        return None
    earlier = earlier_agent(doc, trigger, context)
    if earlier is not None:
        return earlier
    verb = doc[trigger.verb.i]
    role = actor_types().unknown_agent_verbs.get(verb.lemma_.lower(), unknown.role)
    if named and res.roles[role].type in actor_types().armed:
        group = only_armed_group(named, target, verb)
        if group is not None:
            return group
    found = role_mention(verb, res.roles[role], res.dictionary, context.country)
    member = replace(found.members[0], confidence=0.4)
    return ActorMention((member,), trigger.start, trigger.start, "")


def earlier_agent(doc: Doc, trigger: Trigger, context: Context) -> ActorMention | None:
    """The named agent of the act told last before ``trigger``, in its sentence or the one
    before, when that act is of an ``earlier_agent_types`` type (actor_types.yaml)."""
    types = actor_types().earlier_agent_types
    sentence = doc[trigger.verb.i].sent
    first = sentence.start
    if first > 0:
        first = doc[first - 1].sent.start
    for previous in reversed(context.events):
        event = previous.event
        if event.trigger.start >= trigger.start or event.trigger.start < doc[first].idx:
            continue
        if not event.factual or not ({event.event_type, event.cameo_root} & types):
            continue
        mention = coded_mention(previous, 1)
        if mention is not None:
            members = tuple(replace(m, confidence=m.confidence * 0.7) for m in mention.members)
            return replace(mention, members=members)
    return None


def owner_of_target(
    res: ActorResources, verb: Token, named: dict[int, Any], actor1: ActorMention | None
) -> ActorMention | None:
    """The country whose things were hit: "attacked Palestinian targets", "shelled Syrian
    positions" (another country's than the attacker's)."""
    for obj in objects(verb):
        for modifier in (c for c in obj.children if c.dep_ in ("amod", "compound")):
            hit = named.get(modifier.i)
            if hit is None or not hit[1].country_like:
                continue
            owner = resolve_actor(modifier, named, res.dictionary, None)
            if owner is not None and (
                actor1 is None or owner.primary.country != actor1.primary.country
            ):
                return owner
    return None


def coded_mention(coded: CodedEvent, which: int) -> ActorMention | None:
    """Actor 1 or 2 of an event already coded, as a mention (None without a span)."""
    actor = coded.event.actor1 if which == 1 else coded.event.actor2
    members = coded.actor1_members if which == 1 else coded.actor2_members
    if actor is None or actor.span is None or not members:
        return None
    return ActorMention(members, actor.span.start, actor.span.end, actor.span.text)


def split_mention(doc: Doc, mention: ActorMention) -> tuple[ActorMention, ActorMention]:
    """A coordination's first member and the others, each with its own span; members of
    one head ("government and opposition forces") each with its own words ("opposition
    forces"; no span where they are not contiguous, "government ... forces")."""

    def part(members: tuple[Member, ...]) -> ActorMention:
        tokens = [t for m in members for t in phrase_tokens(doc[m.head])]
        start = min(t.idx for t in tokens)
        end = max(t.idx + len(t.text) for t in tokens)
        return ActorMention(members, start, end, doc_text(doc)[start:end])

    heads = {m.head for m in mention.members}
    phrases = shared_head_phrases(doc[heads.pop()], {}) if len(heads) == 1 else []
    if len(phrases) == len(mention.members) == 2:
        first, second = (
            ActorMention(
                (member,),
                words[0].idx,
                words[-1].idx + len(words[-1].text),
                " ".join(t.text for t in words),
            )
            for member, words in zip(mention.members, phrases, strict=True)
        )
        return first, second
    return part(mention.members[:1]), part(mention.members[1:])


def sentence_opponent(
    res: ActorResources,
    sentence: Span,
    actor1: ActorMention,
    named: Mapping[int, tuple[Span, NamedActor]],
    context: Context,
) -> ActorMention | None:
    """The first armed actor ``sentence`` names besides ``actor1``'s words and members, for
    a battle whose target the parse did not find; None when there is none."""
    armed = actor_types().armed
    own = {m.normalized for m in actor1.members}
    inside = {t.i for m in actor1.members for t in sentence.doc[m.head].subtree}
    for token in sentence:
        if actor1.start <= token.idx < actor1.end or token.pos_ not in ("NOUN", "PROPN"):
            continue
        if token.i in inside or token.dep_ != "pobj":
            continue  # "insurgents allegedly belonging to ASWJ": who actor 1 is, not a foe
        prep = token.head
        if prep.lower_ not in ("with", "against") or prep.head.lemma_.lower() not in (
            res.cues.fight_nouns | actor_types().opponent_verbs
        ):
            continue  # only the other side of a fight: "a clash with FDS forces"
        found = resolve_actor(token, named, res.dictionary, context.country)
        if found is None or found.primary.type not in armed:
            continue
        if any(m.normalized in own for m in found.members):
            continue
        return found
    return None


def main_opponent(actor1: ActorMention, context: Context) -> ActorMention | None:
    """The article's main armed opponent of ``actor1`` (state vs non-state), for a clash with
    no target."""
    state = actor1.primary.type in STATE_TYPES
    wanted = NONSTATE_ARMED if state else {"state_military"}
    for kind, _ in context.actor_types.most_common():
        if kind in wanted and kind in context.actors_by_type:
            return context.actors_by_type[kind]
    return None


def modifier_actors(noun: Token, named: dict[int, Any]) -> list[ActorMention]:
    """Named actors before a noun ("Israeli", "India-Pakistan", "Trump-Putin"), each alone."""
    out: list[ActorMention] = []
    seen: set[str] = set()
    for token in phrase_tokens(noun):
        if token.i < noun.i:
            hit = named.get(token.i)
            if hit is None or hit[1].normalized in seen or hit[1].people:
                continue
            seen.add(hit[1].normalized)
            span, actor = hit
            kind = "country" if actor.country_like else actor.type
            member = Member(actor.normalized, kind, actor.country, actor.code, 0.7, token.i)
            out.append(ActorMention((member,), span.start_char, span.end_char, span.text))
    return out


def as_military(res: ActorResources, mention: ActorMention) -> ActorMention:
    """A country's armed forces, for a violent act a country adjective names."""
    country = mention.primary
    role = res.roles.get("army")
    if role is None or country.code is None:
        return mention
    adjective = res.dictionary.adjectives.get(country.country or "", country.normalized)
    member = replace(
        country,
        normalized=f"{adjective} {role.label}",
        type=role.type,
        code=country.code + role.code,
        confidence=country.confidence * 0.9,
    )
    return replace(mention, members=(member,))
