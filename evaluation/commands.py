"""``wirestream eval STAGE [options]``: every evaluation, imported explicitly."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from evaluation import (
    acled,
    acled_identity,
    agreement,
    calibrate,
    clusters,
    dedup,
    events,
    offtopic,
    snippets,
)

#: Stage name → the evaluation's ``main(argv)``.
COMMANDS: dict[str, Callable[[Sequence[str]], int]] = {
    "dedup": dedup.main,
    "events": events.main,
    "clusters": clusters.main,
    "agreement": agreement.main,
    "calibrate": calibrate.main,
    "offtopic": offtopic.main,
    "acled": acled.main,
    "acled-identity": acled_identity.main,
    "snippets": snippets.main,
}
