"""What loading a week and building its eligibility context cost, step by step, in a fresh process.

For each size, a generated week (`roster generate --volunteers N`, seed 0; `sample` is
`sample_data/yanji7`) is loaded and its context built in a new Python process per repeat (as a
`roster solve` starts), and the median seconds of each step are shown: `load_problem` as a whole,
then its parts timed apart (reading the register's table, checking its rows, reading the shifts
file, checking its entries, expanding the week's shifts), then `build_context` as a whole and its
two parts (the eligible lists, the offers).

    python benchmarks/loading.py                       # the sample, 5,000 and 20,000 volunteers
    python benchmarks/loading.py --sizes 20000 --repeats 5

Not part of the test suite: the figures depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

STEPS = ("load", "read_table", "parse_volunteers", "read_document", "parse_shifts", "expand",
         "build_context", "eligible_volunteers", "offers")
WEEK = "2026-W50"


def child(folder: Path, week: str) -> dict[str, float]:
    """Seconds of each step, in this (fresh) process."""
    import constraints
    import scheduler.api  # noqa: F401 - imported before the clock starts, as a run does
    from constraints import eligibility, fairness
    from scheduler.domain import collector
    from scheduler.domain.models import expand
    from scheduler.loading import load_problem
    from scheduler.loading.documents import read_document
    from scheduler.loading.shifts import parse_shifts
    from scheduler.loading.tables import read_table
    from scheduler.loading.volunteers import parse_volunteers

    seconds: dict[str, float] = {}

    def timed(step: str, work):
        started = time.perf_counter()
        result = work()
        seconds[step] = time.perf_counter() - started
        return result

    problem = timed("load", lambda: load_problem(folder, week=week))
    with collector.paused():  # as inside load_problem
        table = timed("read_table", lambda: read_table(folder / "volunteers.csv"))
        timed("parse_volunteers", lambda: parse_volunteers(table, week=problem.week))
        document = timed("read_document", lambda: read_document(folder / "shifts.yaml"))
        definitions, _ = timed("parse_shifts", lambda: parse_shifts(document, "shifts.yaml"))
        timed("expand", lambda: expand(definitions, problem.week))
    timed("build_context", lambda: constraints.build_context(problem))
    with collector.paused():  # as inside build_context
        eligible = timed("eligible_volunteers", lambda: eligibility.eligible_volunteers(problem))
        timed("offers", lambda: fairness.offers(problem, eligible))
    return seconds


def medians(folder: Path, week: str, repeats: int) -> dict[str, float]:
    runs = []
    for _ in range(repeats):
        out = subprocess.run([sys.executable, __file__, "--child", str(folder), week], check=True,
                             capture_output=True, text=True, cwd=ROOT).stdout
        runs.append(json.loads(out))
    return {step: statistics.median(run[step] for run in runs) for step in STEPS}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["sample", "5000", "20000"])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(Path(args.child[0]), args.child[1])))
        return
    import scheduler

    print(f"# {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}, median of {args.repeats} fresh processes")
    print("| volunteers | " + " | ".join(STEPS) + " |")
    print("|---" * (len(STEPS) + 1) + "|")
    with tempfile.TemporaryDirectory() as work:
        for size in args.sizes:
            if size == "sample":
                folder, week = ROOT / "sample_data" / "yanji7", "2026-W49"
            else:
                folder, week = Path(work) / f"g{size}", WEEK
                scheduler.generate(folder, volunteers=int(size), week=WEEK, seed=0)
            seconds = medians(folder, week, args.repeats)
            label = "sample (232)" if size == "sample" else f"{int(size):,}"
            print(f"| {label} | " + " | ".join(f"{seconds[step]:.3f}" for step in STEPS) + " |", flush=True)


if __name__ == "__main__":
    main()
