"""Four weeks in a row on the sample community, with and without history: load spread and rotation.

    python benchmarks/four_weeks.py [--time-limit 5] [--weeks 4]

Prints, for each mode, the spread of load relative to what each person offered (standard
deviation of shifts given / shifts offered over the weeks), how many people who offered got
nothing at all, and how many (person, post, start time) were held two weeks running.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from scheduler.domain.models import PlanningWeek

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))  # the weeks-in-a-row harness the tests share
from scenario import plan_weeks

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("problem", nargs="?", default=str(ROOT / "sample_data" / "yanji7"))
    parser.add_argument("--first", default="2026-W49")
    parser.add_argument("--weeks", type=int, default=4)
    parser.add_argument("--time-limit", type=float, default=5.0)
    args = parser.parse_args()
    print("| history | load spread (sd of given/offered) | offered but got nothing | same slot two weeks running |")
    print("|---|---|---|---|")
    with tempfile.TemporaryDirectory() as work:
        for use_history in (False, True):
            run = plan_weeks(Path(args.problem), Path(work) / str(use_history), PlanningWeek.parse(args.first),
                             args.weeks, use_history=use_history, time_limit=args.time_limit)
            print(f"| {'yes' if use_history else 'no'} | {run.load_spread():.3f} | {run.left_out()} | {run.repeats()} |")


if __name__ == "__main__":
    main()
