"""Cost of the record classes on the hot path: build, encode and decode an enriched article and
an event (the samples of tests/unit/schemas/wire_samples.py), median µs of several timeit runs.

Run from the checkout: ``.venv/bin/python tools/record_codec_cost.py``.
"""

from __future__ import annotations

import statistics
import sys
import timeit
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from schemas import WireRecord
from schemas.base import dumps
from schemas.decode import decode
from tests.unit.schemas.wire_samples import samples


def _median_us(fn: Callable[[], object], number: int) -> float:
    runs = timeit.repeat(fn, number=number, repeat=7)
    return statistics.median(runs) / number * 1e6


def _costs(record: WireRecord) -> dict[str, float]:
    cls = type(record)
    data = record.to_json_bytes()
    fields = record.asdict()
    return {
        "build": _median_us(lambda: cls(**fields), 20000),
        "encode": _median_us(lambda: dumps(record), 20000),
        "decode": _median_us(lambda: decode(cls, data), 5000),
    }


def main() -> None:
    """Print one line per record with the median cost of each operation in microseconds."""
    records = samples()
    for name in ("enriched-article", "event"):
        record = records[name]
        line = "  ".join(f"{op} {us:7.2f} µs" for op, us in _costs(record).items())
        sys.stdout.write(f"{name:17s} {len(record.to_json_bytes()):5d} B  {line}\n")


if __name__ == "__main__":
    main()
