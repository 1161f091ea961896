"""Deduplication: exact (article id, body fingerprint) now; near-duplicates and clusters next."""
