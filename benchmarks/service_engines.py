"""Benchmark: `roster serve --engine local` against `roster serve --engine ray` (Ray started by the server here).

    python benchmarks/service_engines.py                 # the tutorial and the sample week, 3 runs each
    python benchmarks/service_engines.py --runs 1        # one run of each

For each engine: the seconds from starting the server to `GET /healthz` answering, then for the
tutorial week (time limit 5 s) and the sample week (time limit 10 s) the seconds from `POST …/runs`
to the `end` event, run after run (the first run of a fresh server pays for a worker's imports),
and whether the rosters both engines wrote are the same (deterministic mode). Not part of the test
suite: the figures depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.service.support import Server, community, events  # noqa: E402

WEEK = "2026-W49"
WEEKS = {"tutorial": (ROOT / "sample_data" / "tutorial", 5.0), "yanji7": (ROOT / "sample_data" / "yanji7", 10.0)}
FILES = ("volunteers.csv", "shifts.yaml", "rules.yaml")


def measure(engine: str, data: Path, runs: int) -> dict:
    data.parent.mkdir(parents=True)
    started = time.perf_counter()
    server = Server(data, options=("--engine", engine)).start()
    figures: dict = {"start": time.perf_counter() - started, "runs": {}, "rosters": {}}
    try:
        client = server.client()
        for cid, (folder, time_limit) in WEEKS.items():
            community(client, cid, {name: (folder / name).read_bytes() for name in FILES})
            seconds = []
            for _ in range(runs):
                posted = time.perf_counter()
                run_id = client.post(f"/communities/{cid}/weeks/{WEEK}/runs",
                                     json={"time_limit": time_limit, "fresh": True}).json()["id"]
                end = events(client, run_id)[-1][1]
                assert end["status"] == "completed", end
                seconds.append(time.perf_counter() - posted)
            figures["runs"][cid] = seconds
            record = json.loads(client.get(f"/communities/{cid}/weeks/{WEEK}/roster.json").content)
            figures["rosters"][cid] = (record["assignments"], record["solver"]["deterministic"])
    finally:
        server.stop()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"{platform.machine()}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as scratch:
        found = {engine: measure(engine, Path(scratch) / engine / "data", args.runs) for engine in ("local", "ray")}
    print(f"load average after: {os.getloadavg()[0]:.1f}\n")
    print("| engine | server start to /healthz | " + " | ".join(f"{cid} week, POST to end (run by run)"
                                                        for cid in WEEKS) + " |")
    print("|---|---|" + "---|" * len(WEEKS))
    for engine, figures in found.items():
        cells = [", ".join(f"{s:.1f}" for s in figures["runs"][cid]) + f" s (median {statistics.median(figures['runs'][cid]):.1f})"
                 for cid in WEEKS]
        print(f"| {engine} | {figures['start']:.1f} s | " + " | ".join(cells) + " |")
    for cid in WEEKS:
        (local, local_exact), (ray, ray_exact) = found["local"]["rosters"][cid], found["ray"]["rosters"][cid]
        print(f"{cid}: same roster from both engines: {local == ray} "
              f"(reproducible search: local {local_exact}, ray {ray_exact})")


if __name__ == "__main__":
    main()
