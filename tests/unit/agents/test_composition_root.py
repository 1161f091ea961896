"""Library state is set by the composition root (``create_app``, the CLI), never at import."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]

_SCRIPT = """
import sys
import pathlib, pkgutil, importlib
import schemas, pipeline
for m in pkgutil.walk_packages(schemas.__path__, "schemas."):
    importlib.import_module(m.name)
for m in pkgutil.walk_packages(pipeline.__path__, "pipeline."):
    importlib.import_module(m.name)
# The records and the domain are plain Python: not even an indirect import of the stream stack.
print(sorted(m for m in ("faust", "mode", "aiokafka") if m in sys.modules))
from faust.serializers import codecs
from faust.transport.producer import ProducerBuffer
from aiokafka.consumer.fetcher import Fetcher
fetch = Fetcher._proc_fetch_request
import wirestream.cli, wirestream.runner  # the CLI patches aiokafka when a command runs, not here
assert Fetcher._proc_fetch_request is fetch
before = ("orjson" in codecs.codecs, ProducerBuffer.max_messages)
from agents.app import create_app
from wirestream_core.settings import Settings
create_app(Settings(broker="kafka://127.0.0.1:1", data_dir=pathlib.Path(sys.argv[1])))
print(before, ("orjson" in codecs.codecs, ProducerBuffer.max_messages))
"""


def test_records_and_the_domain_import_no_faust_and_leave_it_alone(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-c", _SCRIPT, str(tmp_path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    ).stdout
    lines = out.strip().splitlines()
    assert (
        lines[0] == "[]"
    )  # no faust, mode or aiokafka after importing every record and domain module
    # Faust's defaults until the app is built; the codec and the buffer size after.
    assert lines[-1] == "(False, 100) (True, 2000)"
