"""The link stage: each extracted event joins the linked event it reports, or starts a new one.

Pure: no Kafka, no Faust. The store is any mutable mapping of str → bytes (a changelog-backed
Faust table in the worker, a dict in tests) and it is the only state, so a new stage over the
same store (after a restart, or on another worker after a rebalance) continues exactly where
the last one stopped. Values are compact JSON (orjson). Keys, all scoped to one partition key
(see ``keys``):

- ``e:<id>``  a linked event: its record and the blocks it is filed under;
- ``f:<id>``  what candidates are compared on: its facts (``facts``), mention count, first seen
  (small, so a busy block's candidates are read without parsing their records);
- ``l:<id>``  its counts (mentions, distinct articles), first article ids and its sources;
- ``c:<id>|<k>``  its mention ids with their articles, in chunks of 256; ``p:<id>|<article>``
  one key per distinct article (so a report rewrites bounded values, however big the event);
- ``m:<mention id>``  which linked event a mention went to, and what it changed (idempotence);
  while a linked mention's writes are written, also those writes (``w``: see :meth:`_write`);
- ``b:<lane>|<slot>|<anchor>``  the ids of the linked events of a lane filed under a date slot
  and a place anchor; ``r:<lane>|<slot>`` the anchors of that slot;
- ``t:<partition key>|<day>``, ``x:<partition key>``  the expiry wheel and its progress.

Outcomes: ``new`` (a new linked event: publish it and its first mention), ``linked`` (the
linked event changed: publish it; publish ``mention`` unless it is None, which means this
article already has a mention of the event, as GDELT counts one mention record per article
while ``num_mentions`` counts every extracted event), ``repeat`` (this extracted event id was
processed before: a redelivery or a re-extraction; nothing changes, the current linked event
and the original mention come back, so publishing them again is harmless but unnecessary).

Expiry happens inside :meth:`LinkStage.process` (a Faust table can only be written while an
event is processed, and each key must be written from its own partition): the first event of a
partition key on a new day (of event time) removes that partition key's linked events whose
last mention is older than ``window``. :meth:`LinkStage.expire` does the same on demand.
"""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal

import orjson

from pipeline.link.compare import Agreement, agreement, compare_actors, compare_places
from pipeline.link.config import LinkConfig
from pipeline.link.facts import Facts, actor1_from_list, facts_of, place_from_list
from pipeline.link.incidents import Incident, incidents_of
from pipeline.link.keys import (
    WIDE,
    anchor_of,
    anchors_key,
    block_key,
    event_time,
    index_slots,
    lane_of,
    partition_key,
    query_slots,
)
from pipeline.link.merge import merge_fields, new_linked, present_groups, source_name
from pipeline.link.pending import PendingWrites, apply, carried, uncarried
from schemas import Event, LinkedEvent, Mention

_CHUNK = 256
"""Mentions per ``c:`` chunk of an event's mention list."""

Kind = Literal["new", "linked", "repeat"]


@dataclass(frozen=True)
class LinkOutcome:
    """What the stage decided for one extracted event, and the records to publish."""

    kind: Kind
    linked: LinkedEvent
    """The linked event after this mention (topic ``events``, key ``linked.event_id``)."""
    mention: Mention | None
    """The mention record (topic ``mentions``, key ``linked.event_id``); None when an earlier
    extracted event of the same article already linked here."""
    event: Event | None = None
    """The event that was linked: the extracted event, or one incident of it."""
    incidents: tuple[LinkOutcome, ...] = ()
    """For a report covering several incidents (``incidents``): the outcome of each, in the
    order the sentence names them (this outcome is the one of the event's resolved place)."""

    def every(self) -> tuple[LinkOutcome, ...]:
        """Every outcome to publish: each incident's, or this one."""
        return self.incidents or (self,)


@dataclass(frozen=True)
class _Candidate:
    event_id: str
    facts: Facts
    agreement: Agreement
    mentions: int
    first_seen: str


def _day(when: datetime) -> date:
    return (when.astimezone(UTC) if when.tzinfo else when).date()


class LinkStage:
    """Links extracted events to real-world events over one durable store."""

    def __init__(self, config: LinkConfig, store: MutableMapping[str, bytes]) -> None:
        self.config = config
        self.store = store

    # --- public API -------------------------------------------------------------------------

    def process(self, event: Event) -> LinkOutcome:
        """Link one extracted event; update the store; say what to publish. A report covering
        several incidents ("clashes in A and B") links each (``LinkOutcome.incidents``)."""
        incidents = incidents_of(event)
        mention_ids = [one.event.event_id for one in incidents] or [event.event_id]
        resumed = self._finish_cut(mention_ids)
        # decide over held writes, then write them as one unit (see ``pending``)
        pending = PendingWrites(self.store)
        work = LinkStage(self.config, pending)
        if not incidents:
            outcome = work._process(event, None, None, resumed=resumed)
        else:
            report = (event.event_id, len(incidents))
            outcomes = tuple(
                work._process(one.event, one, report, resumed=resumed) for one in incidents
            )
            resolved = [o for o, one in zip(outcomes, incidents, strict=True) if one.primary]
            primary = resolved[0] if resolved else outcomes[0]
            outcome = replace(primary, incidents=outcomes)
        self._write(pending, mention_ids)
        return outcome

    def _process(
        self,
        event: Event,
        incident: Incident | None,
        report: tuple[str, int] | None,
        *,
        resumed: bool = False,
    ) -> LinkOutcome:
        """Link one event (or one incident of a report: ``report`` is its id and the number of
        incidents)."""
        known = self.store.get(f"m:{event.event_id}")
        if known is not None:
            outcome = self._repeat(event, orjson.loads(known), report, resumed=resumed)
            if outcome is not None:
                return outcome
        else:
            self._undo_cut_create(event)
        seen = event_time(event)
        pkey, lane = partition_key(event), lane_of(event, self.config.compatibility)
        self._expire_due(pkey, seen)
        facts = facts_of(
            event,
            published=_day(seen),
            lookback=self.config.undated_lookback,
            undated_confidence=self.config.undated_confidence,
        )
        if incident is not None:
            # the other incidents' places are not this one's; a toll given for all is no
            # incident's own
            others = {key.replace(" ", "") for key in incident.others}
            spots = frozenset(s for s in facts.spots if s.replace(" ", "") not in others)
            facts = replace(facts, spots=spots, tolls=frozenset())
        best = self._best_candidate(lane, facts)
        if best is None:
            return self._create(event, seen, pkey, lane, facts, report)
        return self._link(event, seen, lane, facts, best, report)

    def expire(self, now: datetime, *, partition_key: str | None = None) -> list[str]:
        """Remove linked events whose last mention is more than ``window`` before ``now``;
        returns their ids. Without ``partition_key`` every partition key in the store (a scan:
        in a Faust worker leave expiry to :meth:`process`, which writes only its own keys)."""
        cutoff = _day(now) - self.config.window
        if partition_key is not None:
            pkeys = [partition_key]
        else:
            pkeys = [key[2:] for key in list(self.store.keys()) if key.startswith("x:")]
        removed: list[str] = []
        for pkey in pkeys:
            removed.extend(self._expire_pkey(pkey, cutoff))
        return removed

    # --- linking ----------------------------------------------------------------------------

    def _blocks(self, lane: str, facts: Facts) -> list[str]:
        """Where a linked event with these facts is filed."""
        anchor = anchor_of(facts.place)
        return [block_key(lane, slot, anchor) for slot in index_slots(facts.dates)]

    def _best_candidate(self, lane: str, facts: Facts) -> _Candidate | None:
        ids: dict[str, None] = {}
        anchor = anchor_of(facts.place)
        for slot in query_slots(
            facts.dates, slack=self.config.day_slack, max_days=self.config.max_query_days
        ):
            if anchor == WIDE:
                raw = self.store.get(f"r:{lane}|{slot}")
                anchors = [*orjson.loads(raw), WIDE] if raw is not None else [WIDE]
            else:
                anchors = [anchor, WIDE]
            for one in anchors:
                raw = self.store.get(block_key(lane, slot, one))
                if raw is not None:
                    ids.update(dict.fromkeys(orjson.loads(raw)))
        candidates: list[_Candidate] = []
        for event_id in ids:
            raw = self.store.get(f"f:{event_id}")
            if raw is None:
                continue
            stored, mentions, first_seen = orjson.loads(raw)
            # places, then first actors, tell most candidates apart: check them before the rest
            if compare_places(facts.place, place_from_list(stored), self.config) is None:
                continue
            if compare_actors(facts.actor1, actor1_from_list(stored), self.config) is None:
                continue
            their = Facts.from_list(stored)
            found = agreement(facts, their, self.config)
            if found is not None:
                candidates.append(_Candidate(event_id, their, found, mentions, first_seen))
        if not candidates:
            return None
        # the strongest agreement; then the event with more mentions; then the oldest
        return min(
            candidates,
            key=lambda c: (-c.agreement.score, -c.mentions, c.first_seen, c.event_id),
        )

    def _create(
        self,
        event: Event,
        seen: datetime,
        pkey: str,
        lane: str,
        facts: Facts,
        report: tuple[str, int] | None,
    ) -> LinkOutcome:
        linked = new_linked(event, seen=seen)
        blocks = self._blocks(lane, facts)
        for key in blocks:
            self._add_to_block(key, linked.event_id)
        self._write_event(linked, facts, blocks)
        lists = self._read_lists(linked.event_id)
        self._add_mention(linked.event_id, lists, event)
        lists["s"].append(source_name(event))
        self._write_lists(linked.event_id, lists)
        self._file(pkey, linked.event_id, _day(seen), update_oldest=True)
        changed = present_groups(event)
        self._remember(
            event.event_id, linked, new_event=True, changed=changed, basis="new", first=True
        )
        mention = self._mention(
            event, linked, new_event=True, changed=changed, basis="new", report=report
        )
        return LinkOutcome("new", linked, mention, event)

    def _link(
        self,
        event: Event,
        seen: datetime,
        lane: str,
        facts: Facts,
        best: _Candidate,
        report: tuple[str, int] | None,
    ) -> LinkOutcome:
        data = orjson.loads(self.store[f"e:{best.event_id}"])
        linked = LinkedEvent.from_data(data["r"])
        lists = self._read_lists(best.event_id)
        changed, new_facts = merge_fields(
            linked, event, event_facts=facts, linked_facts=best.facts, config=self.config
        )
        first_in_article = self._add_mention(best.event_id, lists, event)
        source = source_name(event)
        if source not in lists["s"]:
            lists["s"].append(source)
        limit = self.config.max_article_ids
        linked.num_mentions = lists["n"]
        linked.num_articles = lists["na"]
        linked.num_sources = len(lists["s"])
        linked.article_ids = lists["a"][:limit]
        linked.sources = lists["s"][:limit]
        linked.first_seen = min(linked.first_seen, seen)
        linked.last_seen = max(linked.last_seen, seen)
        linked.version += 1
        linked.updated = max(linked.updated, event.extracted)
        blocks: list[str] = data["b"]
        wanted = self._blocks(lane, new_facts)
        if wanted != blocks:  # a finer date or a located place: file it where it now belongs
            for key in blocks:
                if key not in wanted:
                    self._remove_from_block(key, linked.event_id)
            for key in wanted:
                if key not in blocks:
                    self._add_to_block(key, linked.event_id)
            blocks = wanted
        self._write_event(linked, new_facts, blocks)
        self._write_lists(linked.event_id, lists)
        basis = best.agreement.basis
        self._remember(
            event.event_id,
            linked,
            new_event=False,
            changed=changed,
            basis=basis,
            first=first_in_article,
        )
        mention = (
            self._mention(
                event, linked, new_event=False, changed=changed, basis=basis, report=report
            )
            if first_in_article
            else None
        )
        return LinkOutcome("linked", linked, mention, event)

    def _undo_cut_create(self, event: Event) -> None:
        """Drop what a crash left of this event's own creation, so it is created again alike.

        A linked event takes its first mention's id and ``m:`` is that mention's last write, so
        ``e:<its id>`` without ``m:<its id>`` is a creation a crash cut short (the changelog
        keeps a prefix of one partition's writes): linking the redelivery to it would bump a
        version and send a different mention (issue 19's 5,000-article drill)."""
        raw = self.store.get(f"e:{event.event_id}")
        if raw is None:
            return
        data = orjson.loads(raw)
        if data["r"].get("num_mentions", 1) > 1:
            return  # not a bare creation: others have linked to it since; leave it
        self.store.pop(f"c:{event.event_id}|0", None)
        self.store.pop(f"p:{event.event_id}|{event.article_id}", None)
        for key in data["b"]:
            self._remove_from_block(key, event.event_id)
        self.store.pop(f"l:{event.event_id}", None)
        self.store.pop(f"f:{event.event_id}", None)
        self.store.pop(f"e:{event.event_id}", None)

    def _repeat(
        self,
        event: Event,
        known: dict[str, Any],
        report: tuple[str, int] | None,
        *,
        resumed: bool = False,
    ) -> LinkOutcome | None:
        raw = self.store.get(f"e:{known['e']}")
        if raw is None:
            return None  # its event is gone (a store edited by hand): process it afresh
        linked = LinkedEvent.from_data(orjson.loads(raw)["r"])
        mention = None
        if known["f"]:
            mention = self._mention(
                event,
                linked,
                new_event=known["n"],
                changed=known["c"],
                basis=known["k"],
                version=known["v"],
                report=report,
            )
        # a mention whose cut writes were just finished was never published: not a repeat
        kind: Kind = ("new" if known["n"] else "linked") if resumed else "repeat"
        return LinkOutcome(kind, linked, mention, event)

    def _write(self, pending: PendingWrites, mention_ids: list[str]) -> None:
        """Write one event's held writes so that a crash cutting them short (a Faust table's
        changelog keeps a prefix of one partition's writes) is made good on redelivery.

        Creations only: in the order made, each memo last (a cut one is undone and made again,
        :meth:`_undo_cut_create`). A mention linked to an existing event changes shared keys
        that cannot be undone: its first memo goes first with every write inside it, then the
        writes, then that memo alone (:meth:`_finish_cut` completes a cut one)."""
        memos = [f"m:{i}" for i in mention_ids if pending.held.get(f"m:{i}") is not None]
        if not memos or all(orjson.loads(pending[key])["n"] for key in memos):
            apply(self.store, pending.writes())
            return
        carrier = memos[0]
        memo = pending.take(carrier)
        writes = pending.writes()
        self.store[carrier] = orjson.dumps({**orjson.loads(memo), "w": carried(writes)})
        apply(self.store, writes)
        self.store[carrier] = memo

    def _finish_cut(self, mention_ids: list[str]) -> bool:
        """Finish the writes of an event a crash cut short (a memo still holding them); True if
        there were some."""
        for mention_id in mention_ids:
            raw = self.store.get(f"m:{mention_id}")
            if raw is None:
                continue
            memo = orjson.loads(raw)
            if "w" in memo:
                apply(self.store, uncarried(memo.pop("w")))
                self.store[f"m:{mention_id}"] = orjson.dumps(memo)
                return True
        return False

    def _mention(
        self,
        event: Event,
        linked: LinkedEvent,
        *,
        new_event: bool,
        changed: list[str],
        basis: str,
        version: int | None = None,
        report: tuple[str, int] | None = None,
    ) -> Mention:
        return Mention(
            event_id=linked.event_id,
            mention_id=event.event_id,
            article_id=event.article_id,
            source=event.source,
            published=event.published or event.extracted,
            sentence=event.sentence,
            confidence=event.confidence,
            factual=event.factual,
            new_event=new_event,
            event=event,
            changed_fields=list(changed),
            link_basis=basis,
            version=linked.version if version is None else version,
            url=event.url,
            report_id=report[0] if report is not None else None,
            incidents=report[1] if report is not None else 1,
        )

    # --- store ------------------------------------------------------------------------------

    def _write_event(self, linked: LinkedEvent, facts: Facts, blocks: list[str]) -> None:
        self.store[f"e:{linked.event_id}"] = orjson.dumps(
            {"b": blocks, "r": orjson.Fragment(linked.to_json_bytes())}
        )
        self.store[f"f:{linked.event_id}"] = orjson.dumps(
            [facts.to_list(), linked.num_mentions, linked.first_seen.isoformat()]
        )

    # An event's mentions are kept in chunks of _CHUNK (``c:<event>|<k>``) and its articles as
    # one small key each (``p:<event>|<article>``), so a report rewrites a bounded value: one
    # list of every mention grew with each report of a big story, until its changelog record
    # would pass the broker's message size. ``l:`` keeps the counts, the first article ids (the
    # record shows at most ``max_article_ids``) and the sources.

    def _read_lists(self, event_id: str) -> dict[str, Any]:
        raw = self.store.get(f"l:{event_id}")
        if raw is None:
            return {"a": [], "s": [], "n": 0, "na": 0}
        lists: dict[str, Any] = orjson.loads(raw)
        return lists

    def _write_lists(self, event_id: str, lists: dict[str, Any]) -> None:
        self.store[f"l:{event_id}"] = orjson.dumps(lists)

    def _add_mention(self, event_id: str, lists: dict[str, Any], event: Event) -> bool:
        """Count a mention (and its article, the first time): True if the article is new."""
        chunk = f"c:{event_id}|{lists['n'] // _CHUNK}"
        raw = self.store.get(chunk)
        items: list[list[str]] = orjson.loads(raw) if raw is not None else []
        items.append([event.event_id, event.article_id])
        self.store[chunk] = orjson.dumps(items)
        lists["n"] += 1
        seen = f"p:{event_id}|{event.article_id}"
        if seen in self.store:
            return False
        self.store[seen] = b"1"
        lists["na"] += 1
        if len(lists["a"]) < self.config.max_article_ids:
            lists["a"].append(event.article_id)
        return True

    def _mentions(self, event_id: str, lists: dict[str, Any]) -> Iterator[tuple[str, str]]:
        for k in range((lists["n"] + _CHUNK - 1) // _CHUNK):
            raw = self.store.get(f"c:{event_id}|{k}")
            yield from (tuple(pair) for pair in orjson.loads(raw or b"[]"))

    def _remember(
        self,
        mention_id: str,
        linked: LinkedEvent,
        *,
        new_event: bool,
        changed: list[str],
        basis: str,
        first: bool,
    ) -> None:
        self.store[f"m:{mention_id}"] = orjson.dumps(
            {
                "e": linked.event_id,
                "n": new_event,
                "c": changed,
                "v": linked.version,
                "k": basis,
                "f": first,
            }
        )

    def _add_to_block(self, key: str, event_id: str) -> None:
        self._add_to_list(key, event_id)
        registry, anchor = anchors_key(key)
        if anchor != WIDE:
            self._add_to_list(registry, anchor)

    def _remove_from_block(self, key: str, event_id: str) -> None:
        self._remove_from_list(key, event_id)
        registry, anchor = anchors_key(key)
        if anchor != WIDE and key not in self.store:
            self._remove_from_list(registry, anchor)

    def _add_to_list(self, key: str, item: str) -> None:
        raw = self.store.get(key)
        items: list[str] = orjson.loads(raw) if raw is not None else []
        if item not in items:
            items.append(item)
            self.store[key] = orjson.dumps(items)

    def _remove_from_list(self, key: str, item: str) -> None:
        raw = self.store.get(key)
        if raw is None:
            return
        items: list[str] = [x for x in orjson.loads(raw) if x != item]
        if items:
            self.store[key] = orjson.dumps(items)
        else:
            del self.store[key]

    # --- expiry -----------------------------------------------------------------------------

    def _meta(self, pkey: str) -> dict[str, str] | None:
        raw = self.store.get(f"x:{pkey}")
        if raw is None:
            return None
        meta: dict[str, str] = orjson.loads(raw)
        return meta

    def _file(self, pkey: str, event_id: str, day: date, *, update_oldest: bool) -> None:
        """Put an event on the expiry wheel under ``day`` (the day of its last mention)."""
        self._add_to_list(f"t:{pkey}|{day.isoformat()}", event_id)
        if not update_oldest:
            return
        meta = self._meta(pkey)
        if meta is None:
            self.store[f"x:{pkey}"] = orjson.dumps({"c": "", "o": day.isoformat()})
        elif day.isoformat() < meta["o"]:
            self.store[f"x:{pkey}"] = orjson.dumps({**meta, "o": day.isoformat()})

    def _expire_due(self, pkey: str, seen: datetime) -> None:
        meta = self._meta(pkey)
        if meta is not None and (_day(seen) - self.config.window).isoformat() > meta["c"]:
            self._expire_pkey(pkey, _day(seen) - self.config.window)

    def _expire_pkey(self, pkey: str, cutoff: date) -> list[str]:
        meta = self._meta(pkey)
        if meta is None or cutoff.isoformat() <= meta["c"]:
            return []
        removed: list[str] = []
        day = date.fromisoformat(meta["o"])
        while day < cutoff:
            key = f"t:{pkey}|{day.isoformat()}"
            raw = self.store.get(key)
            if raw is not None:
                for event_id in orjson.loads(raw):
                    stored = self.store.get(f"e:{event_id}")
                    if stored is None:
                        continue
                    data = orjson.loads(stored)
                    last = _day(datetime.fromisoformat(data["r"]["last_seen"]))
                    if last < cutoff:
                        self._remove(event_id, data)
                        removed.append(event_id)
                    else:  # mentioned since it was filed: file it under its last mention's day
                        self._file(pkey, event_id, last, update_oldest=False)
                del self.store[key]
            day += timedelta(days=1)
        oldest = max(cutoff, date.fromisoformat(meta["o"])).isoformat()
        self.store[f"x:{pkey}"] = orjson.dumps({"c": cutoff.isoformat(), "o": oldest})
        return removed

    def _remove(self, event_id: str, data: dict[str, Any]) -> None:
        lists = self._read_lists(event_id)
        for mention_id, article_id in list(self._mentions(event_id, lists)):
            self.store.pop(f"m:{mention_id}", None)
            self.store.pop(f"p:{event_id}|{article_id}", None)
        for k in range((lists["n"] + _CHUNK - 1) // _CHUNK):
            self.store.pop(f"c:{event_id}|{k}", None)
        for key in data["b"]:
            self._remove_from_block(key, event_id)
        self.store.pop(f"l:{event_id}", None)
        self.store.pop(f"f:{event_id}", None)
        self.store.pop(f"e:{event_id}", None)
