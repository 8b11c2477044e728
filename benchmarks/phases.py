"""Where the time of one run goes: `plan_week` phase by phase, against the run's time limit.

For each size, a generated week (`roster generate --volunteers N`, seed 0) is planned in this
process with `scheduler.plan_week(folder, time_limit=T, fresh=True, history=False)`; the moment
each phase starts is taken from `on_phase`, so the phases add up to the whole run, writing the
files included. The last column is the promise the time limit makes: T * 1.1 + 1 s.

    python benchmarks/phases.py                                   # 1,000, 5,000 and 20,000 volunteers
    python benchmarks/phases.py --sizes 5000 --limits 10 60
    python benchmarks/phases.py --sizes 5000 20000 --limits 60 --processes 1 2   # the parts' warm starts in 1 and 2 processes

Not part of the test suite: the figures depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import scheduler  # noqa: E402

WEEK = "2026-W50"
PHASES = ("loading", "history", "supply", "context", "warm_start", "polish", "model", "search", "reasons", "writing")


def timed_run(folder: Path, limit: float, processes: int | None = None) -> tuple[dict[str, float], float, str, int, int]:
    """Seconds per phase, the whole run, the solver's status, the seats left empty and the processes used."""
    seconds: dict[str, float] = {}
    current = ["start", time.monotonic()]

    def on_phase(code: str) -> None:
        now = time.monotonic()
        seconds[str(current[0])] = seconds.get(str(current[0]), 0.0) + now - float(current[1])
        current[:] = [code, now]

    started = current[1]
    plan = scheduler.plan_week(folder, WEEK, time_limit=limit, fresh=True, history=False, on_phase=on_phase,
                               processes=processes)
    ended = time.monotonic()
    seconds[str(current[0])] = seconds.get(str(current[0]), 0.0) + ended - float(current[1])
    solver = plan.roster.solver
    used = int(str(solver.settings.get("processes", 1))) if solver else 1
    return seconds, ended - float(started), solver.status if solver else "—", plan.roster.seats_missing, used


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 20000])
    parser.add_argument("--limits", type=float, nargs="+", default=[10.0, 60.0])
    parser.add_argument("--processes", type=int, nargs="+", default=[None],
                        help="processes for the parts' warm starts, each in turn (default: the machine's cores)")
    args = parser.parse_args()
    print(f"# {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    shown = [p for p in PHASES]
    print("| volunteers | limit | processes | " + " | ".join(shown) + " | whole run | limit × 1.1 + 1 | status | missing |")
    print("|---" * (len(shown) + 7) + "|")
    with tempfile.TemporaryDirectory() as work:
        for size in args.sizes:
            folder = Path(work) / f"g{size}"
            scheduler.generate(folder, volunteers=size, week=WEEK, seed=0)
            for limit, processes in ((limit, n) for limit in args.limits for n in args.processes):
                seconds, whole, status, missing, used = timed_run(folder, limit, processes)
                cells = [f"{seconds[p]:.1f}" if p in seconds else "—" for p in shown]
                print(f"| {size:,} | {limit:g} s | {used} | " + " | ".join(cells)
                      + f" | {whole:.1f} s | {limit * 1.1 + 1:.0f} s | {status} | {missing} |", flush=True)


if __name__ == "__main__":
    main()
