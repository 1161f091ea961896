"""Benchmarks: measure the cost of pipeline stages."""
