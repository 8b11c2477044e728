"""Benchmark: the roster service (`roster serve`) against the command line, over real HTTP.

    python benchmarks/service.py              # everything: read rates, run overhead, 20 queued runs
    python benchmarks/service.py --quick      # shorter: 5 queued runs, 3 s of requests per endpoint

Reports requests per second of the read endpoints (one client, sequential requests), the wall
time of a run posted over HTTP (from POST to the `end` event) against `roster solve` on the same
sample week with the same time limit, and how long 20 runs queued at once take with --jobs 1 and
--jobs 2. Not part of the test suite: the figures depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.service.support import Server, community, events, sample_files, wait_for  # noqa: E402

WEEK = "2026-W49"
SAMPLE = ROOT / "sample_data" / "yanji7"


def read_rates(server: Server, seconds: float) -> dict[str, float]:
    client = server.client()
    run_id = client.post(f"/communities/yanji7/weeks/{WEEK}/runs", json={"time_limit": 5}).json()["id"]
    wait_for(client, run_id, ("completed",), timeout=300)
    paths = {"GET /healthz": server.url + "/healthz", "GET /communities": "/communities",
             "GET /runs/{id}": f"/runs/{run_id}", "GET /communities/{cid}/weeks": "/communities/yanji7/weeks",
             "GET …/assignments.csv": f"/communities/yanji7/weeks/{WEEK}/assignments.csv",
             "GET …/roster.json": f"/communities/yanji7/weeks/{WEEK}/roster.json",
             "GET …/files/volunteers.csv": "/communities/yanji7/files/volunteers.csv"}
    rates = {}
    for label, path in paths.items():
        count, started = 0, time.perf_counter()
        while time.perf_counter() - started < seconds:
            assert client.get(path).status_code == 200
            count += 1
        rates[label] = count / (time.perf_counter() - started)
    return rates


def run_overhead(server: Server, time_limit: float) -> tuple[float, float]:
    """Seconds from POST to the end event, and `roster solve`'s wall time, on the same week and limit."""
    client = server.client()
    started = time.perf_counter()
    run_id = client.post(f"/communities/yanji7/weeks/{WEEK}/runs",
                         json={"time_limit": time_limit, "fresh": True}).json()["id"]
    events(client, run_id)
    served = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "yanji7"
        shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns("rosters"))
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "scheduler", "solve", str(folder), "--week", WEEK, "--quiet",
                        "--time-limit", str(time_limit)], check=False, capture_output=True,
                       env=dict(os.environ, PYTHONPATH=str(ROOT)))
        solved = time.perf_counter() - started
    return served, solved


def queued_runs(data: Path, jobs: int, runs: int, time_limit: float) -> float:
    """Seconds until `runs` runs of as many communities, posted at once, have all finished."""
    server = Server(data, jobs=jobs).start()
    try:
        client = server.client()
        for n in range(runs):
            community(client, f"village{n}", sample_files())
        started = time.perf_counter()
        ids = [client.post(f"/communities/village{n}/weeks/{WEEK}/runs", json={"time_limit": time_limit}).json()["id"]
               for n in range(runs)]
        for run_id in ids:
            assert wait_for(client, run_id, ("completed",), timeout=3600)["status"] == "completed"
        return time.perf_counter() - started
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    seconds, runs, limit = (3.0, 5, 2.0) if args.quick else (5.0, 20, 2.0)
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as scratch:
        server = Server(Path(scratch) / "data").start()
        try:
            community(server.client(), "yanji7", sample_files())
            print("\nread endpoints (one client, sequential):")
            for label, rate in read_rates(server, seconds).items():
                print(f"  {label:<30}{rate:8.0f} requests/s")
            served, solved = run_overhead(server, 10.0)
            print(f"\nthe sample week, --time-limit 10: over HTTP {served:.1f} s (POST to end event), "
                  f"roster solve {solved:.1f} s, overhead {served - solved:+.1f} s")
        finally:
            server.stop()
        for jobs in (1, 2):
            took = queued_runs(Path(scratch) / f"queue{jobs}", jobs, runs, limit)
            print(f"{runs} runs queued at once (time limit {limit:g} s each), --jobs {jobs}: {took:.1f} s, "
                  f"{took / runs:.1f} s a run")


if __name__ == "__main__":
    main()
