"""Record types that travel on wirestream's topics: the single source of record truth.

JSON Schema files for non-Python subscribers are generated from these classes
(``wirestream schema --write``) into ``schemas/json/``.
"""

import re

from schemas.articles import Duplicate, EnrichedArticle, Entity, RawArticle, UniqueArticle
from schemas.base import SCHEMA_VERSION, WireRecord
from schemas.deadletter import DeadLetter, DeadLetterReplay
from schemas.events import Actor, Attribution, Event, Place, Span, When
from schemas.feeds import BoilerplateLine, FeedState
from schemas.links import Alternative, LinkedEvent, Mention
from schemas.topics import TOPICS

_RECORDS: tuple[type[WireRecord], ...] = (
    RawArticle,
    UniqueArticle,
    Duplicate,
    Event,
    EnrichedArticle,
    DeadLetter,
    DeadLetterReplay,
    FeedState,
    LinkedEvent,
    Mention,
)


def _schema_name(cls: type[WireRecord]) -> str:
    """``LinkedEvent`` → ``linked-event``: the JSON Schema file a record class is written to."""
    return re.sub(r"(?<!^)(?=[A-Z])", "-", cls.__name__).lower()


_BY_SCHEMA_NAME = {_schema_name(cls): cls for cls in _RECORDS}

#: Top-level records, one per topic value type (schemas/topics.toml), by their JSON Schema name.
TOPIC_RECORDS: dict[str, type[WireRecord]] = {t.record: _BY_SCHEMA_NAME[t.record] for t in TOPICS}

__all__ = [
    "SCHEMA_VERSION",
    "TOPIC_RECORDS",
    "Actor",
    "Alternative",
    "Attribution",
    "BoilerplateLine",
    "DeadLetter",
    "DeadLetterReplay",
    "Duplicate",
    "EnrichedArticle",
    "Entity",
    "Event",
    "FeedState",
    "LinkedEvent",
    "Mention",
    "Place",
    "RawArticle",
    "Span",
    "UniqueArticle",
    "When",
    "WireRecord",
]
