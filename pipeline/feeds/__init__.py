"""The feed stage: feed lists, fetching, parsing into RawArticle records, and poll scheduling.

Pure functions over data: no Kafka here. ``agents/poller.py`` drives them.
"""

from pipeline.feeds.config import FeedSpec, load_feed_list
from pipeline.feeds.fetch import FetchLimits, FetchResult, fetch_feed
from pipeline.feeds.parse import ParsedFeed, parse_feed
from pipeline.feeds.schedule import next_poll_delay

__all__ = [
    "FeedSpec",
    "FetchLimits",
    "FetchResult",
    "ParsedFeed",
    "fetch_feed",
    "load_feed_list",
    "next_poll_delay",
    "parse_feed",
]
