"""Benchmarks: measure the cost of pipeline stages and of the whole pipeline.

Runs from a checkout only (``wirestream bench …``): the package is not in the wheel, and its
samples live in the checkout's ``tests/data/``.
"""

from pathlib import Path

#: The checkout this package runs from.
CHECKOUT = Path(__file__).resolve().parents[1]
