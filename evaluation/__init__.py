"""Evaluation: score pipeline stages against gold data sets.

Runs from a checkout only (``wirestream eval …``): the package is not in the wheel, and its
gold sets and samples live in the checkout's ``tests/data/``.
"""

from pathlib import Path

#: The checkout this package runs from.
CHECKOUT = Path(__file__).resolve().parents[1]
