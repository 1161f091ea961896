"""A crash that cuts the link stage's writes for one event short: the redelivered event is
created again alike, not linked to what is left of its own creation (issue 19's drill)."""

from __future__ import annotations

from pipeline.link import LinkConfig, LinkStage
from tests.unit.link.factory import event
from tests.unit.link.journal import Journal, restored


def test_a_creation_cut_anywhere_is_created_again_alike() -> None:
    clean = Journal()
    first = LinkStage(LinkConfig(), clean).process(event("m1", article="a1"))
    assert first.kind == "new" and first.mention is not None
    assert clean.writes[-1][0] == "m:m1"  # a creation writes its memo last
    for cut in range(len(clean.writes)):  # every cut before it
        store = restored(clean.writes[:cut])
        assert "m:m1" not in store
        again = LinkStage(LinkConfig(), store).process(event("m1", article="a1"))
        assert again.kind == "new"
        assert again.linked.to_dict() == first.linked.to_dict()
        assert again.mention is not None
        assert again.mention.to_dict() == first.mention.to_dict()
        # the expiry cursor (x:) may have moved on; every other key is as a clean run left it
        assert {k: v for k, v in store.items() if not k.startswith("x:")} == {
            k: v for k, v in clean.data.items() if not k.startswith("x:")
        }


def test_a_redelivery_after_the_whole_creation_is_still_a_repeat() -> None:
    store: dict[str, bytes] = {}
    first = LinkStage(LinkConfig(), store).process(event("m1", article="a1"))
    again = LinkStage(LinkConfig(), store).process(event("m1", article="a1"))
    assert again.kind == "repeat"
    assert again.mention is not None and first.mention is not None
    assert again.mention.to_dict() == first.mention.to_dict()


def test_an_event_others_linked_to_is_not_undone() -> None:
    store: dict[str, bytes] = {}
    stage = LinkStage(LinkConfig(), store)
    stage.process(event("m1", article="a1"))
    second = stage.process(event("m2", article="a2"))
    assert second.kind == "linked" and second.linked.num_mentions == 2
    del store["m:m1"]  # a store edited by hand: the event is no bare creation any more
    again = stage.process(event("m1", article="a1"))
    assert "e:m1" in store
    assert again.linked.event_id == "m1"
