"""Memory benchmark: peak memory of `roster solve` against the number of (volunteer, shift) pairs.

Each week is generated (`roster generate`), counted (the eligible pairs of the whole week and of
its largest independent part, the one the model is built for at a time), then planned once by
`roster solve --time-limit L` in a fresh process. The peak resident memory (RSS) of that process
is read from `os.wait4`, so it is the run's own, not this script's.

Two families of weeks:

- spread: generated weeks as they are (compounds and teams keep the parts small, ~30,000 pairs
  each however many volunteers there are), 1,000 / 5,000 / 20,000 volunteers;
- dense: the same generator with every shift's `teams:` removed, so the whole week is one part
  (anyone may take any shift they are free for): 500 / 1,000 / 2,000 volunteers, 0.14-2.2 M pairs.

The fit `peak ≈ base + a × pairs of the week + b × pairs of the largest part` gives the figures
that `scheduler.capacity` uses to refuse, before building, a week that would not fit.

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
sys.path.insert(0, str(ROOT))

import constraints
from scheduler.decompose import parts
from scheduler.loading import load_problem


def make_week(folder: Path, volunteers: int, dense: bool) -> None:
    """A generated week; `dense` drops every shift's team so that the week is one part."""
    subprocess.run([sys.executable, "-m", "scheduler", "generate", str(folder), "--volunteers", str(volunteers)],
                   check=True, capture_output=True, cwd=ROOT)
    if dense:
        shifts = folder / "shifts.yaml"
        lines = shifts.read_text(encoding="utf-8").splitlines(keepends=True)
        shifts.write_text("".join(line for line in lines if not line.startswith("    teams:")), encoding="utf-8")


def count_pairs(folder: Path) -> tuple[int, int, int]:
    """Eligible pairs of the whole week, of its largest part, and the number of parts."""
    problem = load_problem(folder)
    context = constraints.build_context(problem)
    sizes = [sum(len(context.eligible.get(sid, ())) for sid in part.shifts) for part in parts(problem, context)]
    return sum(sizes), max(sizes), len(sizes)


def peak_of_solve(folder: Path, time_limit: float) -> tuple[float, float, int, str]:
    """Peak RSS (MB) and wall seconds of one `roster solve` run, its exit code and its last stderr line."""
    command = [sys.executable, "-m", "scheduler", "solve", str(folder), "--time-limit", str(time_limit),
               "--quiet", "--max-memory", "1000", "--out", str(folder / "out")]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    started = time.monotonic()
    with tempfile.TemporaryFile() as err:
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=err, env=env, cwd=ROOT)
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        tail = (err.read().decode(errors="replace").strip().splitlines() or [""])[-1][:120]
    return usage.ru_maxrss / 1024, time.monotonic() - started, child.returncode, tail


def fit(rows: list[dict]) -> tuple[float, float, float]:
    """Least squares of peak MB = base + a × week pairs + b × largest-part pairs."""
    import numpy as np

    x = np.array([[1.0, row["week_pairs"], row["largest_part"]] for row in rows])
    y = np.array([row["peak_mb"] for row in rows])
    base, per_week, per_part = np.linalg.lstsq(x, y, rcond=None)[0]
    return float(base), float(per_week), float(per_part)


def report(rows: list[dict]) -> str:
    lines = ["| week | volunteers | pairs (week) | largest part | peak RSS | MB per pair (largest part) | wall | exit |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for row in rows:
        lines.append(f"| {row['family']} | {row['volunteers']:,} | {row['week_pairs']:,} | {row['largest_part']:,} | "
                     f"{row['peak_mb'] / 1024:.2f} GB | {row['peak_mb'] / row['largest_part'] * 1000:.2f} per 1,000 | "
                     f"{row['wall']:.0f} s | {row['exit']} |")
    usable = [row for row in rows if row["exit"] in (0, 3)]
    if len(usable) >= 3:
        base, per_week, per_part = fit(usable)
        lines.append(f"\nfit: peak ≈ {base:.0f} MB + {per_week * 1000:.2f} MB per 1,000 week pairs "
                     f"+ {per_part * 1000:.2f} MB per 1,000 pairs of the largest part")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--spread", type=int, nargs="*", default=[1000, 5000, 20000])
    parser.add_argument("--dense", type=int, nargs="*", default=[500, 1000, 2000])
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        cases = [("spread", n) for n in args.spread] + [("dense", n) for n in args.dense]
        for family, volunteers in cases:
            folder = Path(tmp) / f"{family}{volunteers}"
            make_week(folder, volunteers, family == "dense")
            week_pairs, largest, count = count_pairs(folder)
            peak, wall, code, tail = peak_of_solve(folder, args.time_limit)
            rows.append({"family": family, "volunteers": volunteers, "week_pairs": week_pairs, "largest_part": largest,
                         "parts": count, "peak_mb": peak, "wall": wall, "exit": code, "stderr": tail})
            print(f"{family} {volunteers}: {week_pairs:,} pairs, largest part {largest:,}, "
                  f"peak {peak:,.0f} MB, {wall:.0f} s, exit {code}", file=sys.stderr, flush=True)
    print(report(rows))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
