"""wirestream: wire-news feeds in, deduplicated articles and coded events out, over Kafka."""

__version__ = "0.1.0"
