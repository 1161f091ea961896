"""Soak (issue 19 item 7): ``wirestream run`` on the embedded broker fed at a steady rate, sampled.

A local feed server (aiohttp, 127.0.0.1) replays real news text (``make_corpus``: the shared
news corpus when present, else the committed sample; a share of syndicated copies) as RSS:
article ``i`` appears in feed ``i % feeds`` at ``i / rate`` seconds, each feed listing its last
50. ``wirestream run`` (broker, worker with the poller, spaCy process) polls them. Every
``--every`` seconds the soak samples RSS and open file descriptors of the worker, its NLP
processes and the broker, the broker's data size, and the worker's ``/metrics`` (consumer lag,
stage counters, the dedup index size, feed failures). At the end: figures per role (first,
last, growth per hour from a least-squares line over the samples after ``--warmup``), and the
balance of the counters (articles released, published by the poller, judged, enriched).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Sequence
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from aiohttp import web

from benchmarks.dedup import make_corpus
from benchmarks.pipeline import _rss, _tree
from wirestream.broker import free_port

#: Items a feed lists (the newest first), as a news site's RSS does.
FEED_ITEMS = 50
#: Roles of the processes under ``wirestream run``, told by their command line.
ROLES = {"noida-db": "broker", "spawn_main": "nlp", "resource_tracker": "tracker"}


class FeedServer:
    """RSS feeds that grow at a steady rate, served from a thread."""

    def __init__(self, corpus: Sequence[dict[str, Any]], feeds: int, rate: float) -> None:
        self.corpus, self.feeds, self.rate = corpus, feeds, rate
        self.port = free_port()
        self.started = 0.0
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def released(self, now: float | None = None) -> int:
        """Articles released so far."""
        if not self.started:
            return 0
        elapsed = (now or time.monotonic()) - self.started
        return min(len(self.corpus), int(elapsed * self.rate) + 1)

    def url(self, feed: int) -> str:
        """The URL of one feed."""
        return f"http://127.0.0.1:{self.port}/feed/{feed}.xml"

    def _rss(self, feed: int) -> str:
        n = self.released()
        items = [i for i in range(feed, n, self.feeds)][-FEED_ITEMS:]
        body = []
        for i in reversed(items):
            a = self.corpus[i]
            when = datetime.fromtimestamp(time.time() - (n - 1 - i) / self.rate, UTC)
            body.append(
                "<item>"
                f"<title>{escape(a['title'])}</title><link>{escape(a['url'])}</link>"
                f"<guid>{escape(a['url'])}</guid><pubDate>{format_datetime(when)}</pubDate>"
                f"<description>{escape(a['content'])}</description>"
                "</item>"
            )
        return (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Soak wire {feed}</title><link>http://127.0.0.1/</link>"
            f"<description>soak</description>{''.join(body)}</channel></rss>"
        )

    async def _handle(self, request: web.Request) -> web.Response:
        feed = int(request.match_info["feed"])
        return web.Response(text=self._rss(feed), content_type="application/rss+xml")

    def _serve(self) -> None:
        asyncio.set_event_loop(self._loop)
        app = web.Application()
        app.router.add_get("/feed/{feed:\\d+}.xml", self._handle)
        runner = web.AppRunner(app, access_log=None)
        self._loop.run_until_complete(runner.setup())
        self._loop.run_until_complete(web.TCPSite(runner, "127.0.0.1", self.port).start())
        self._ready.set()
        self._loop.run_forever()
        self._loop.run_until_complete(runner.cleanup())

    def __enter__(self) -> FeedServer:
        self._thread.start()
        self._ready.wait(10)
        return self

    def __exit__(self, *exc: object) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)


def _fds(pid: int) -> int:
    try:
        return len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return 0


def _role(pid: int, root: int) -> str:
    if pid == root:
        return "worker"
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            cmd = f.read().decode("utf-8", "replace")
    except OSError:
        return "gone"
    return next((role for mark, role in ROLES.items() if mark in cmd), "other")


def _metrics(port: int) -> dict[str, float]:
    """The worker's Prometheus samples, summed over labels except stage and outcome."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as resp:
            text = resp.read().decode()
    except OSError:
        return {}
    out: dict[str, float] = {}
    for line in text.splitlines():
        if line.startswith("#") or not line.startswith("wirestream_"):
            continue
        name_labels, _, value = line.rpartition(" ")
        name, _, labels = name_labels.partition("{")
        if name.endswith(("_bucket", "_created")):
            continue
        kept = [
            part
            for part in labels.rstrip("}").split(",")
            if part.startswith(("stage=", "outcome="))
        ]
        key = name + (f"{{{','.join(kept)}}}" if kept else "")
        try:
            out[key] = out.get(key, 0.0) + float(value)
        except ValueError:
            continue
    return out


def _dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def sample(
    root: int, web_port: int, data_dir: Path, server: FeedServer, t0: float
) -> dict[str, Any]:
    """One sample: per role summed RSS (MB) and open fds, broker data, metrics."""
    rss: dict[str, float] = {}
    fds: dict[str, int] = {}
    for pid in _tree(root):
        role = _role(pid, root)
        rss[role] = rss.get(role, 0.0) + _rss(pid) / 2**20
        fds[role] = fds.get(role, 0) + _fds(pid)
    return {
        "t": round(time.monotonic() - t0, 1),
        "released": server.released(),
        "rss_mb": {k: round(v, 1) for k, v in rss.items()},
        "fds": fds,
        "broker_data_mb": round(_dir_size(data_dir) / 2**20, 1),
        "load": os.getloadavg()[0],
        "metrics": _metrics(web_port),
    }


def slope_per_hour(points: Sequence[tuple[float, float]]) -> float | None:
    """Least-squares slope of (seconds, value) points, per hour."""
    if len(points) < 3:
        return None
    n = len(points)
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    var = sum((x - mx) ** 2 for x, _ in points)
    if var == 0:
        return None
    return sum((x - mx) * (y - my) for x, y in points) / var * 3600


def summarise(samples: Sequence[dict[str, Any]], warmup: float) -> dict[str, Any]:
    """First/last value and growth per hour (after ``warmup`` s) of each RSS and fd series."""
    late = [s for s in samples if s["t"] >= warmup] or list(samples)
    out: dict[str, Any] = {"samples": len(samples), "warmup_s": warmup}
    for field in ("rss_mb", "fds"):
        roles = sorted({r for s in samples for r in s[field]})
        out[field] = {
            role: {
                "first": samples[0][field].get(role),
                "after_warmup": late[0][field].get(role),
                "last": samples[-1][field].get(role),
                "per_hour": _round(
                    slope_per_hour([(s["t"], s[field][role]) for s in late if role in s[field]])
                ),
            }
            for role in roles
        }
    lag = [(s["t"], s["metrics"].get("wirestream_consumer_lag", 0.0)) for s in late]
    data = [(s["t"], s["broker_data_mb"]) for s in late]
    out["lag"] = {
        "max": max((v for _, v in lag), default=0),
        "per_hour": _round(slope_per_hour(lag)),
    }
    out["broker_data_mb"] = {
        "first": samples[0]["broker_data_mb"],
        "last": samples[-1]["broker_data_mb"],
        "per_hour": _round(slope_per_hour(data)),
    }
    out["counters_at_end"] = {
        k: v
        for k, v in samples[-1]["metrics"].items()
        if k.split("{")[0].endswith("_total") or "dedup_index" in k or "consecutive_fail" in k
    }
    out["balance"] = balance(samples[-1]["metrics"])
    out["released"] = samples[-1]["released"]
    return out


def balance(m: dict[str, float]) -> dict[str, float]:
    """The stage counters that must agree when nothing is lost (the poller's published
    articles, intake's forwards, dedup's verdicts, extraction's outcomes, dead letters)."""

    def out(stage: str, outcome: str | None = None) -> float:
        prefix = "wirestream_messages_out_total{"
        return sum(
            v
            for k, v in m.items()
            if k.startswith(prefix)
            and f'stage="{stage}"' in k
            and (outcome is None or f'outcome="{outcome}"' in k)
        )

    return {
        "published": m.get("wirestream_articles_published_total", 0.0),
        "sequenced": out("intake", "sequenced"),
        "judged": out("dedup"),
        "unique": out("dedup", "unique"),
        "extracted": out("extract"),
        "dead_letters": sum(v for k, v in m.items() if "dead" in k and "_total" in k),
    }


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 2)


def soak(
    minutes: float,
    *,
    rate: float,
    feeds: int = 3,
    poll_interval: float = 15.0,
    every: float = 60.0,
    warmup: float = 300.0,
    out: Path | None = None,
    seed: int = 1,
    dup_fraction: float = 0.1,
) -> dict[str, Any]:
    """Run the soak; returns the summary and writes the samples (JSON lines) to ``out``."""
    corpus = make_corpus(int(minutes * 60 * rate) + 50, dup_fraction, seed)
    with (
        tempfile.TemporaryDirectory(prefix="wirestream-soak-") as tmp,
        FeedServer(corpus, feeds, rate) as server,
    ):
        base = Path(tmp)
        feed_list = base / "feeds.toml"
        feed_list.write_text(
            '[defaults]\nfull_text = "never"\n'
            + "".join(
                f'\n[[feed]]\nid = "soak-{i}"\nurl = "{server.url(i)}"\nname = "Soak wire {i}"\n'
                for i in range(feeds)
            )
        )
        web_port = free_port()
        env = {
            **os.environ,
            "WIRESTREAM_WEB_ENABLED": "true",
            "WIRESTREAM_WEB_PORT": str(web_port),
            "WIRESTREAM_BROKER": "",
        }
        data_dir = base / "broker"
        log = (out.with_suffix(".log") if out else base / "run.log").open("wb")
        cmd = [
            sys.executable, "-m", "wirestream.cli", "run", "--feeds", str(feed_list),
            "--data-dir", str(data_dir), "--poll-interval", str(poll_interval),
        ]  # fmt: skip
        proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
        samples: list[dict[str, Any]] = []
        try:
            server.started = time.monotonic()
            t0 = server.started
            sink = out.open("w") if out else None
            while time.monotonic() - t0 < minutes * 60 and proc.poll() is None:
                s = sample(proc.pid, web_port, data_dir, server, t0)
                samples.append(s)
                if sink:
                    sink.write(json.dumps(s) + "\n")
                    sink.flush()
                time.sleep(max(0.0, t0 + len(samples) * every - time.monotonic()))
            samples.append(sample(proc.pid, web_port, data_dir, server, t0))
            if sink:
                sink.write(json.dumps(samples[-1]) + "\n")
                sink.close()
        finally:
            exit_code = proc.poll()
            proc.terminate()
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
            log.close()
    result = summarise(samples, warmup)
    result.update(
        minutes=minutes, rate=rate, feeds=feeds, poll_interval=poll_interval,
        run_exited_early=exit_code,
    )  # fmt: skip
    return result


def format_result(r: dict[str, Any]) -> str:
    """A short text report of a soak summary."""
    lines = [
        f"soak: {r['minutes']} min at {r['rate']}/s over {r['feeds']} feeds "
        f"(poll every {r['poll_interval']} s), {r['samples']} samples, "
        f"{r['released']} articles released"
    ]
    for field, unit in (("rss_mb", "MB"), ("fds", "fds")):
        for role, v in r[field].items():
            lines.append(
                f"  {role:8} {field:6} first {v['first']} {unit}, after warm-up "
                f"{v['after_warmup']}, last {v['last']}, growth {v['per_hour']} {unit}/h"
            )
    lines.append(f"  lag max {r['lag']['max']}, growth {r['lag']['per_hour']}/h")
    b = r["broker_data_mb"]
    lines.append(f"  broker data {b['first']} -> {b['last']} MB ({b['per_hour']} MB/h)")
    lines.append("  balance: " + ", ".join(f"{k} {v:g}" for k, v in r["balance"].items()))
    for k, v in sorted(r["counters_at_end"].items()):
        lines.append(f"  {k} = {v:g}")
    if r["run_exited_early"] is not None:
        lines.append(f"  wirestream run exited early: {r['run_exited_early']}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """``wirestream bench soak``."""
    p = argparse.ArgumentParser(prog="wirestream bench soak", description=__doc__.split("\n")[0])
    p.add_argument("--minutes", type=float, default=30.0, help="how long to run")
    p.add_argument("--rate", type=float, default=0.2, help="articles released per second")
    p.add_argument("--feeds", type=int, default=3, help="feeds the articles are spread over")
    p.add_argument("--poll-interval", type=float, default=15.0, help="seconds between polls")
    p.add_argument("--every", type=float, default=60.0, help="seconds between samples")
    p.add_argument("--warmup", type=float, default=300.0, help="seconds left out of the slopes")
    p.add_argument("--out", type=Path, help="write the samples here (JSON lines; log beside)")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    args = p.parse_args(argv)
    result = soak(
        args.minutes, rate=args.rate, feeds=args.feeds, poll_interval=args.poll_interval,
        every=args.every, warmup=args.warmup, out=args.out,
    )  # fmt: skip
    print(json.dumps(result, indent=2) if args.json else format_result(result))
    return 0 if result["run_exited_early"] is None else 1
