"""Benchmark: how long rendering each output file takes for a planned week (the fixed cost after solving).

    PYTHONPATH=$PWD python3 -m scheduler generate /tmp/g20k --volunteers 20000
    PYTHONPATH=$PWD python3 -m scheduler solve /tmp/g20k --time-limit 20
    python benchmarks/outputs.py /tmp/g20k                 # the week's roster under /tmp/g20k/rosters/
    python benchmarks/outputs.py sample_data/yanji7 --week 2026-W50

Each renderer of `scheduler.io.writers.render_outputs` is timed on its own, best of `--repeat` runs,
with the CPU time (less disturbed by other work on the machine) and the size of what it produced.
`--apart` times the whole set instead, rendered in this process only and with the workbook in a
process of its own (`scheduler.io.apart`), which decides `APART_FROM_SEATS`; the CPU seconds of
this process and of the child tell what the wall time is on an idle machine (the larger of the two).
Not part of the test suite: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import functools
import gc
import platform
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("problem", help="a problem folder whose week has been planned")
    parser.add_argument("--week", help="the planned week (default: the only one under rosters/)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--apart", action="store_true", help="the whole set, serial against side by side")
    args = parser.parse_args()

    import scheduler.api as api
    from scheduler.io import writers

    rosters = sorted((Path(args.problem) / "rosters").iterdir())
    folder = next(p for p in rosters if args.week in (None, p.name))
    roster = api.read_roster(folder / "roster.json")
    problem = api.load(args.problem, week=roster.week)
    lang = roster.language
    print(f"{args.problem} {roster.week}: {len(problem.volunteers):,} volunteers, {len(problem.shifts):,} shifts, "
          f"{len(roster.assignments):,} assignments  (Python {platform.python_version()}, {platform.machine()})")
    if args.apart:
        seats = sum(shift.need for shift in problem.shifts)
        for label, apart_from in (("one process", None), ("side by side", 0)):
            wall, here, children = min(_timed(functools.partial(writers.render_outputs, roster, problem, lang,
                                                                apart_from)) for _ in range(args.repeat))
            print(f"  all files, {label:<13} {wall:7.2f} s wall  {here:6.2f} s CPU here  {children:6.2f} s CPU in "
                  f"children  ({seats:,} seats)")
        return
    # The whole set lays the printed tables out once for the workbook and the PDF (first, as a run does);
    # each renderer below lays them out itself.
    started, started_cpu = time.perf_counter(), time.process_time()
    gc.disable()  # as `render_outputs` does (its `_without_gc`)
    writers.shared_tables(roster, problem, lang)
    gc.enable()
    print(f"  {'tables laid out':<16} {time.perf_counter() - started:7.2f} s wall  "
          f"{time.process_time() - started_cpu:7.2f} s CPU  (once for the workbook and the PDF in the whole set)")
    for name, render in writers.renderers().items():
        best, cpu, size = float("inf"), float("inf"), 0
        for _ in range(args.repeat):
            started, started_cpu = time.perf_counter(), time.process_time()
            data = render(roster, problem, lang)
            best = min(best, time.perf_counter() - started)
            cpu = min(cpu, time.process_time() - started_cpu)
            size = len(data)
        print(f"  {name:<16} {best:7.2f} s wall  {cpu:7.2f} s CPU  {size / 1e6:7.2f} MB")


def _timed(work) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds of this process and of the child processes (which on an idle machine with
    a core each for this process and the child is the wall time: the larger of the two)."""
    started, cpu, children = time.perf_counter(), time.process_time(), _children_cpu()
    work()
    return time.perf_counter() - started, time.process_time() - cpu, _children_cpu() - children


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


if __name__ == "__main__":
    main()
