"""Benchmark: how long `roster explain` and `roster cover` take on a planned week, as a coordinator runs them.

    python benchmarks/explain_cover.py                          # the Yanji 7th Village week 2026-W49
    python benchmarks/explain_cover.py PROBLEM --week 2026-W49 --time-limit 30

The problem folder is copied to a temporary folder and planned there first (nothing is written
into PROBLEM). Each command is then timed through the command line, start to finish (loading
the inputs and the history included), for a spread of volunteers and shifts: the busiest
people, someone with no shifts, the shift with the most candidates and the scarcest one.
Not part of the test suite: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent


def timed(*args: str) -> float:
    from scheduler.cli import main

    started = time.perf_counter()
    result = CliRunner().invoke(main, list(args))
    seconds = time.perf_counter() - started
    if result.exit_code != 0:
        raise SystemExit(f"{' '.join(args)} failed ({result.exit_code}):\n{result.output}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("problem", nargs="?", default=str(ROOT / "sample_data" / "yanji7"))
    parser.add_argument("--week", default="2026-W49")
    parser.add_argument("--time-limit", type=float, default=30.0)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "problem"
        shutil.copytree(args.problem, folder, ignore=shutil.ignore_patterns("rosters"))
        solve_s = timed("solve", str(folder), "--week", args.week, "--quiet", "--time-limit", str(args.time_limit))
        roster = json.loads((folder / "rosters" / args.week / "roster.json").read_text(encoding="utf-8"))
        loads = sorted(roster["volunteers"], key=lambda v: (-v["shifts"], v["volunteer"]))
        people = [v["volunteer"] for v in loads[:3]] + [next(v["volunteer"] for v in loads if v["shifts"] == 0)]
        by_shift: dict[str, list[str]] = {}
        for a in roster["assignments"]:
            by_shift.setdefault(a["shift"], []).append(a["volunteer"])
        shifts = sorted(by_shift, key=lambda s: (len(by_shift[s]), s))
        picks = [shifts[0], shifts[len(shifts) // 2], shifts[-1]]

        figures: dict[str, list[float]] = {"explain --volunteer": [], "explain --shift": [], "explain (objective)": [],
                                           "cover": [], "cover --apply 1": []}
        base = ["--week", args.week]
        for vid in people:
            figures["explain --volunteer"].append(timed("explain", str(folder), *base, "--volunteer", vid))
        for sid in picks:
            figures["explain --shift"].append(timed("explain", str(folder), *base, "--shift", sid))
            figures["cover"].append(timed("cover", str(folder), *base, "--shift", sid, "--without", by_shift[sid][0]))
        figures["explain (objective)"].append(timed("explain", str(folder), *base))
        sid = picks[-1]
        figures["cover --apply 1"].append(timed("cover", str(folder), *base, "--shift", sid, "--without",
                                                by_shift[sid][0], "--apply", "1"))

    print(f"{args.problem} {args.week}: solved in {solve_s:.1f} s "
          f"({len(roster['assignments'])} assignments, {len(roster['volunteers'])} volunteers)")
    print(f"{'command':<24}{'runs':>5}{'median s':>10}{'max s':>8}")
    for name, values in figures.items():
        print(f"{name:<24}{len(values):>5}{statistics.median(values):>10.2f}{max(values):>8.2f}")


if __name__ == "__main__":
    main()
