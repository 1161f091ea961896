"""Deduplication: exact ids and bodies, then near-duplicates and story clusters (``stage``).

``index.NearDupIndex`` compares body fingerprints and MinHash signatures (``minhash``) of
recent articles through a compact LSH key table (``table``); ``config.DedupConfig`` holds
its settings. Measurements and parameter choices: evaluation/README.md.
"""
