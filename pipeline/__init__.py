"""The domain: feeds, normalisation, dedup and event extraction. Plain Python, no Kafka."""
