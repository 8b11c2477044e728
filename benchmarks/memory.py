"""Memory benchmark: peak memory of `roster solve` against the number of (volunteer, shift) pairs.

Each week is generated (`roster generate`), counted (the eligible pairs of the whole week and of
its largest independent part, the one the model is built for at a time), then planned once by
`roster solve --time-limit L` in a fresh process. The peak resident memory (RSS) of that process
is read from `os.wait4`. The counting runs in a process of its own too: a child's peak starts at
its parent's size when it forks, so this script stays small (it imports nothing of the tool).
The roster's solver report tells whether the search got to build its models (`variables`).

Two families of weeks:

- spread: generated weeks as they are (compounds and teams keep the parts small, ~30,000 pairs
  each however many volunteers there are), 1,000 / 5,000 / 20,000 volunteers;
- dense: the same generator with every shift's `teams:` removed, so the whole week is one part
  (anyone may take any shift they are free for): 500 / 1,000 / 2,000 volunteers, 0.14-2.2 M pairs.

Each row also shows `scheduler.solving.capacity.estimate_gb`, the estimate a run is refused on: it must
stay above every measured peak. A row with 0 model variables is a run whose search did not get
to build its model within the limit (its peak is the week without the model).

    python benchmarks/memory.py                      # the table in the README (about 10 min, up to ~8 GB)
    python benchmarks/memory.py --spread 1000 --dense 500 --time-limit 5     # a quick look
    python benchmarks/memory.py --json memory.json

Run it on a quiet machine, one case at a time (it does). Not part of the test suite: the figures
depend on the machine, the OR-Tools version and the number of workers (8, the default).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV = dict(os.environ, PYTHONPATH=str(ROOT))


def make_week(folder: Path, volunteers: int, dense: bool) -> None:
    """A generated week; `dense` drops every shift's team so that the week is one part."""
    subprocess.run([sys.executable, "-m", "scheduler", "generate", str(folder), "--volunteers", str(volunteers)],
                   check=True, capture_output=True, cwd=ROOT)
    if dense:
        shifts = folder / "shifts.yaml"
        lines = shifts.read_text(encoding="utf-8").splitlines(keepends=True)
        shifts.write_text("".join(line for line in lines if not line.startswith("    teams:")), encoding="utf-8")


def part_sizes(folder: Path) -> list[int]:
    """The eligible pairs of each independent part of the week (run in a process of its own)."""
    sys.path.insert(0, str(ROOT))
    import constraints
    from scheduler.loading import load_problem
    from scheduler.solving.parts import parts

    problem = load_problem(folder)
    context = constraints.build_context(problem)
    return [sum(len(context.eligible.get(sid, ())) for sid in part.shifts) for part in parts(problem, context)]


def count_pairs(folder: Path) -> tuple[int, int, int, float]:
    """Eligible pairs of the whole week, of its largest part, the number of parts, and the estimate (GB)."""
    found = subprocess.run([sys.executable, __file__, "--count", str(folder)], check=True, capture_output=True,
                           text=True, env=ENV)
    sizes, estimate = json.loads(found.stdout)
    return sum(sizes), max(sizes), len(sizes), estimate


def peak_of_solve(folder: Path, time_limit: float) -> tuple[float, float, int, int]:
    """Peak RSS (MB) and wall seconds of one `roster solve` run, its exit code and the variables it built."""
    command = [sys.executable, "-m", "scheduler", "solve", str(folder), "--time-limit", str(time_limit),
               "--quiet", "--max-memory", "1000", "--out", str(folder / "out")]
    started = time.monotonic()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV, cwd=ROOT)
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    wall = time.monotonic() - started
    roster = folder / "out" / "roster.json"
    variables = json.loads(roster.read_text(encoding="utf-8"))["solver"]["variables"] if roster.exists() else 0
    return usage.ru_maxrss / 1024, wall, child.returncode, variables


def report(rows: list[dict]) -> str:
    header = ("| week | volunteers | pairs (week) | largest part | model variables | peak RSS | estimate "
              "| KB per pair (largest part) | limit | wall | exit |")
    lines = [header, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for row in rows:
        lines.append(f"| {row['family']} | {row['volunteers']:,} | {row['week_pairs']:,} | {row['largest_part']:,} | "
                     f"{row['variables']:,} | {row['peak_mb'] / 1024:.2f} GB | {row['estimate_gb']:.2f} GB | "
                     f"{row['peak_mb'] / row['largest_part'] * 1024:.1f} | {row['time_limit']:g} s | {row['wall']:.0f} s | "
                     f"{row['exit']} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--spread", type=int, nargs="*", default=[1000, 5000, 20000])
    parser.add_argument("--dense", type=int, nargs="*", default=[500, 1000, 2000])
    parser.add_argument("--time-limit", type=float, default=10.0, help="of the spread weeks")
    parser.add_argument("--dense-time-limit", type=float, default=120.0,
                        help="of the dense weeks: long enough for the search to build their one big model")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--count", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.count:
        from scheduler.solving.capacity import estimate_gb

        sizes = part_sizes(args.count)
        print(json.dumps([sizes, estimate_gb(sum(sizes), max(sizes))]))
        return
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        cases = [("spread", n) for n in args.spread] + [("dense", n) for n in args.dense]
        for family, volunteers in cases:
            folder = Path(tmp) / f"{family}{volunteers}"
            make_week(folder, volunteers, family == "dense")
            week_pairs, largest, count, estimate = count_pairs(folder)
            limit = args.dense_time_limit if family == "dense" else args.time_limit
            peak, wall, code, variables = peak_of_solve(folder, limit)
            rows.append({"family": family, "volunteers": volunteers, "week_pairs": week_pairs, "largest_part": largest,
                         "parts": count, "estimate_gb": estimate, "variables": variables, "time_limit": limit, "peak_mb": peak,
                         "wall": wall, "exit": code})
            print(f"{family} {volunteers}: {week_pairs:,} pairs, largest part {largest:,}, "
                  f"{variables:,} variables, peak {peak:,.0f} MB, {wall:.0f} s, exit {code}", file=sys.stderr, flush=True)
    print(report(rows))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
