"""Record types that travel on wirestream's topics: the single source of record truth.

JSON Schema files for non-Python subscribers are generated from these classes
(``wirestream schema --write``) into ``schemas/json/``.
"""

from schemas.articles import Duplicate, EnrichedArticle, Entity, RawArticle, UniqueArticle
from schemas.base import SCHEMA_VERSION, WireRecord
from schemas.deadletter import DeadLetter, DeadLetterReplay
from schemas.events import Actor, Attribution, Event, Place, Span, When
from schemas.feeds import BoilerplateLine, FeedState
from schemas.links import Alternative, LinkedEvent, Mention

#: Top-level records, one per topic value type, by the name of their JSON Schema file.
TOPIC_RECORDS: dict[str, type[WireRecord]] = {
    "raw-article": RawArticle,
    "unique-article": UniqueArticle,
    "duplicate": Duplicate,
    "event": Event,
    "enriched-article": EnrichedArticle,
    "dead-letter": DeadLetter,
    "dead-letter-replay": DeadLetterReplay,
    "feed-state": FeedState,
    "linked-event": LinkedEvent,
    "mention": Mention,
}

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
