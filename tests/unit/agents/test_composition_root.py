"""Library state is set by the composition root (``create_app``, the CLI), never at import."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]

_SCRIPT = """
import sys
from faust.serializers import codecs
from faust.transport.producer import ProducerBuffer
import pathlib, pkgutil, importlib
import schemas, pipeline
for m in pkgutil.walk_packages(pipeline.__path__, "pipeline."):
    if ".eval" in m.name or ".bench" in m.name:
        continue  # measurement code, not the runtime path (and some of it needs ../shared)
    importlib.import_module(m.name)
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


def test_importing_records_and_the_domain_leaves_faust_alone(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-c", _SCRIPT, str(tmp_path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    ).stdout
    # Faust's defaults until the app is built; the codec and the buffer size after.
    assert out.strip().splitlines()[-1] == "(False, 100) (True, 2000)"
