"""Benchmark: solve a problem week and report build time, time to the first full-coverage roster,
time to proven optimality and peak memory. Each run is a fresh process, so memory is its own.

    python benchmarks/sample_week.py                      # the Yanji 7th Village week, 3 runs
    python benchmarks/sample_week.py --quick              # one run
    python benchmarks/sample_week.py PROBLEM --week 2026-W49 --time-limit 60 --fast

Not part of the test suite: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import platform
import resource
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def one_run(problem_dir: str, week: str, time_limit: float, deterministic: bool, queue) -> None:
    """Load, solve and check in this (child) process; put the figures on the queue."""
    import constraints
    import scheduler.api as api
    from scheduler.solving.solver import SolveOptions, solve

    started = time.perf_counter()
    problem = api.load(problem_dir, week=week)
    loaded = time.perf_counter() - started
    context = constraints.build_context(problem)
    first_full: list[float] = []

    def progress(p):
        if p.shortfall == 0 and not first_full:
            first_full.append(p.elapsed)

    roster = solve(problem, SolveOptions(time_limit=time_limit, deterministic=deterministic, on_progress=progress),
                   context)
    violations = constraints.check(problem, roster.pairs())
    queue.put({
        "load_s": loaded,
        "build_s": roster.solver.build_seconds,
        "first_full_s": first_full[0] if first_full else None,
        "solve_s": roster.solver.wall_seconds,
        "status": roster.solver.status,
        "gap": roster.solver.gap,
        "objective": roster.solver.objective,
        "variables": roster.solver.variables,
        "seats_missing": roster.seats_missing,
        "violations": len(violations),
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    })


def measure(problem_dir: str, week: str, time_limit: float, deterministic: bool) -> dict:
    queue = multiprocessing.get_context("spawn").Queue()
    process = multiprocessing.get_context("spawn").Process(
        target=one_run, args=(problem_dir, week, time_limit, deterministic, queue))
    process.start()
    result = queue.get()
    process.join()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("problem", nargs="?", default=str(ROOT / "sample_data" / "yanji7"))
    parser.add_argument("--week", default="2026-W49")
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="one run only")
    parser.add_argument("--fast", action="store_true", help="non-deterministic parallel search")
    parser.add_argument("--json", action="store_true", help="print the raw figures as JSON")
    args = parser.parse_args()
    runs = [measure(args.problem, args.week, args.time_limit, not args.fast) for _ in range(1 if args.quick else args.runs)]
    if args.json:
        print(json.dumps(runs, indent=2))
        return
    print(f"machine: {platform.processor() or platform.machine()}, {multiprocessing.cpu_count()} cores, "
          f"Python {platform.python_version()}; mode: {'fast' if args.fast else 'deterministic'}")
    print(f"problem: {args.problem} {args.week}, {runs[0]['variables']} assignment variables")
    print("| run | build s | first full coverage s | solve s | status | gap | seats missing | violations | peak MB |")
    print("|---|---|---|---|---|---|---|---|---|")
    for i, r in enumerate(runs, 1):
        first = f"{r['first_full_s']:.2f}" if r["first_full_s"] is not None else "never"
        print(f"| {i} | {r['build_s']:.2f} | {first} | {r['solve_s']:.2f} | {r['status']} | {r['gap']:.2%} | "
              f"{r['seats_missing']} | {r['violations']} | {r['peak_mb']:.0f} |")
    if len(runs) > 1:
        print(f"median solve: {statistics.median(r['solve_s'] for r in runs):.2f} s")


if __name__ == "__main__":
    main()
