"""Stopping and time limits: how soon a stop ends a run, in each phase, and whether runs keep their limit.

Two measurements on generated weeks (`roster generate`, seed 0, week 2026-W50):

- **Stop latency per phase** (4,000 and 20,000 volunteers by default): for each engine phase
  (`scheduler.solving.solver.PHASES`), a fresh in-process run whose `Stopper` is stopped 0.3 s after the
  phase starts (by a timer thread, as a signal handler would); the latency is the time from
  that stop to `solve` (or `supply`) returning its roster (or figures). The phase the stop
  actually landed in is reported too (a phase shorter than 0.3 s hands the stop to the next
  one). Writing the files is not included (see the writers' own figures).
- **Whole-run time against the limit** (1,000 / 5,000 / 20,000 volunteers, limits 10, 60 and
  120 s): `roster solve FOLDER --time-limit T --quiet` in a fresh process, timed from start to
  exit (loading, history, supply figures, every engine phase and writing the four files),
  against the promise T * 1.1 + 1 s.

    python benchmarks/stop_and_time.py                    # everything (about an hour on 2 cores)
    python benchmarks/stop_and_time.py --stops --sizes 4000
    python benchmarks/stop_and_time.py --runs --sizes 1000 --limits 10
    python benchmarks/stop_and_time.py --json out.json    # also keep the figures

Not part of the test suite: the figures depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WEEK = "2026-W50"
STOP_AFTER = 0.3  # seconds into the phase


def generated(size: int, base: Path) -> Path:
    folder = base / f"gen{size}"
    if not (folder / "volunteers.csv").exists():
        from scheduler import api

        api.generate(folder, size, seed=0, week=WEEK)
    return folder


def stop_latencies(folder: Path, time_limit: float) -> list[dict]:
    """One run per phase, stopped STOP_AFTER seconds into it."""
    import constraints
    from scheduler import api
    from scheduler.analysis.supply import supply
    from scheduler.domain import collector
    from scheduler.solving.solver import PHASES, SolveOptions, Stopper, solve

    problem = api.load(folder, week=WEEK)
    context = constraints.build_context(problem)
    collector.settle()  # as `plan_week` leaves the loaded week and its lists to the end of the run
    rows = []
    for phase in PHASES:
        stopper, state = Stopper(), {"phase": None, "stopped_in": None, "stopped_at": None}

        def stop_later(state=state, stopper=stopper) -> None:
            state["stopped_in"], state["stopped_at"] = state["phase"], time.perf_counter()
            stopper.stop()

        def on_phase(code: str, target=phase, state=state, stop_later=stop_later) -> None:
            state["phase"] = code
            if code == target:
                threading.Timer(STOP_AFTER, stop_later).start()

        started = time.perf_counter()
        if phase == "supply":
            on_phase("supply")
            figures = supply(problem, context, halt=stopper)
            outcome = "complete figures" if figures.complete else "figures cut short"
        else:
            roster = solve(problem, SolveOptions(time_limit=time_limit, stopper=stopper, on_phase=on_phase),
                           None if phase == "context" else context)
            outcome = f"{len(roster.assignments)} assignments, {sum(u.missing for u in roster.unfilled)} seats missing"
        ended = time.perf_counter()
        landed = state["stopped_in"] if state["stopped_at"] else "(ended before the stop)"
        latency = ended - state["stopped_at"] if state["stopped_at"] else None
        rows.append({"volunteers": len(problem.volunteers), "phase": phase, "stopped_in": landed,
                     "latency_s": None if latency is None else round(latency, 2), "run_s": round(ended - started, 1),
                     "outcome": outcome})
        print(json.dumps(rows[-1], ensure_ascii=False), flush=True)
    return rows


def whole_run(folder: Path, limit: float) -> dict:
    """`roster solve --time-limit limit` start to exit, in a fresh process."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "scheduler", "solve", str(folder), "--week", WEEK, "--time-limit",
                           str(limit), "--quiet", "--fresh", "--no-history", "--lang", "en"],
                          capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - started
    record = {}
    path = folder / "rosters" / WEEK / "roster.json"
    if path.exists():
        record = json.loads(path.read_text(encoding="utf-8"))
    solver = record.get("solver") or {}
    row = {"volunteers": _count(folder), "limit_s": limit, "run_s": round(seconds, 1),
           "promise_s": round(limit * 1.1 + 1, 1), "kept": seconds <= limit * 1.1 + 1, "exit": done.returncode,
           "status": solver.get("status"), "deterministic": solver.get("deterministic"),
           "engine_s": solver.get("wall_seconds"),
           "seats_missing": sum(u.get("missing", 0) for u in record.get("unfilled", []))}
    print(json.dumps(row, ensure_ascii=False), flush=True)
    return row


def _count(folder: Path) -> int:
    with open(folder / "volunteers.csv", encoding="utf-8-sig") as handle:
        return sum(1 for _ in handle) - 1


def table(rows: list[dict], columns: list[str]) -> str:
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join("—" if r.get(c) is None else str(r.get(c)) for c in columns) + " |" for r in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stops", action="store_true", help="only the stop latencies")
    parser.add_argument("--runs", action="store_true", help="only the whole-run times")
    parser.add_argument("--sizes", type=int, nargs="+", help="volunteers (default: 4000 20000 for stops, "
                                                             "1000 5000 20000 for runs)")
    parser.add_argument("--limits", type=float, nargs="+", default=[10, 60, 120])
    parser.add_argument("--stop-time-limit", type=float, default=120,
                        help="time limit of the runs that are stopped (the reasons phase starts after it)")
    parser.add_argument("--data", type=Path, help="folder for the generated weeks (default: a temporary one)")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    args = parser.parse_args()
    both = not (args.stops or args.runs)
    base = args.data or Path(tempfile.mkdtemp(prefix="stop_and_time-"))
    base.mkdir(parents=True, exist_ok=True)
    print(f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; data in {base}", flush=True)
    figures: dict[str, list[dict]] = {"stops": [], "runs": []}
    if args.stops or both:
        for size in args.sizes or [4000, 20000]:
            figures["stops"] += stop_latencies(generated(size, base), time_limit=args.stop_time_limit)
    if args.runs or both:
        for size in args.sizes or [1000, 5000, 20000]:
            folder = generated(size, base)
            for limit in args.limits:
                figures["runs"].append(whole_run(folder, limit))
    if figures["stops"]:
        print("\nStop latency (stop 0.3 s into the phase, to the roster returned):\n")
        print(table(figures["stops"], ["volunteers", "phase", "stopped_in", "latency_s", "run_s", "outcome"]))
    if figures["runs"]:
        print("\nWhole run of `roster solve --time-limit T` (start to exit) against T * 1.1 + 1 s:\n")
        print(table(figures["runs"], ["volunteers", "limit_s", "run_s", "promise_s", "kept", "engine_s", "status",
                                      "deterministic", "seats_missing"]))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
