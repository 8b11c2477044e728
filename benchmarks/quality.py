"""Roster quality side by side: the tool and the baselines on the same weeks, against what no roster can beat.

For each week (the Yanji sample and a generated community of 1,000 volunteers), four ways to
make the roster: a greedy fill in time order (a roster as a coordinator fills it by hand), the
greedy fill by scarcity polished by hand-like moves, the tool's warm start (the better of that
and the polished minimum-cost flow, `scheduler.solving.flow_start`), and the tool (`solve`). For each: the
people who offered but got no shift against the max-flow bound (how many of those who offered
could all have a shift at once, `constraints.participation.placeable`), seats filled, load spread
(standard deviation of shifts given / shifts offered over those who offered) and hard-rule
violations. Then four weeks of the sample in a row: the tool with and without history and the
greedy fill by hand, people who offered and never got a shift in the four weeks against the
four-week max-flow bound, and the most weeks running anyone who could have been placed was left
out. Then the time to a proven optimum on the sample in the default reproducible mode (wall and
deterministic seconds), and the gaps at 10/60/120 s at 1,000 / 5,000 / 20,000 volunteers from a
run of `benchmarks/scale.py` (`--scale` runs it here; it takes long).

    python benchmarks/quality.py                               # a few minutes
    python benchmarks/quality.py --scale-json scale.json       # with the gaps of an earlier scale.py --json run
    python benchmarks/quality.py --scale                       # runs scale.py's gaps too (about 30 min)

Not part of the test suite: the timings depend on the machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from ortools.graph.python import max_flow

import constraints
from constraints import participation
from scheduler import api
from scheduler.domain.models import PlanningWeek
from scheduler.solving.flow_start import best_start, flow_bound, objective
from scheduler.solving.polish import polish
from scheduler.solving.search import hint_completed
from scheduler.solving.solver import SolveOptions, build, solve, solver_for
from scheduler.solving.warm_start import greedy_fill
from scheduler.synthetic.generate import generate

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from baselines import quality  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))  # the weeks-in-a-row harness the tests share
from scenario import plan_weeks  # noqa: E402

SAMPLE = HERE.parent / "sample_data" / "yanji7"
WEEK = "2026-W49"


def left_out(context, pairs) -> int:
    given = {vid for vid, _ in pairs}
    return sum(1 for vid, offer in context.offered.items() if offer > 0 and vid not in given)


def week_rows(name: str, folder: Path, time_limit: float) -> list[str]:
    problem = api.load(folder, week=WEEK)
    context = constraints.build_context(problem)
    offered = sum(1 for n in context.offered.values() if n > 0)
    bound = offered - participation.placeable(problem, context)
    began = time.perf_counter()
    hand = greedy_fill(problem, context, order="time")
    hand_s = time.perf_counter() - began
    began = time.perf_counter()
    polished = polish(problem, context, greedy_fill(problem, context))
    polished_s = time.perf_counter() - began
    began = time.perf_counter()
    warm = best_start(problem, context, polished, polish)
    warm_s = polished_s + time.perf_counter() - began
    roster = solve(problem, SolveOptions(time_limit=time_limit), context)
    ours = roster.pairs()
    rows = []
    for method, pairs, seconds, status in (("greedy by hand (time order)", hand, hand_s, ""),
                                           ("greedy by scarcity, polished", polished, polished_s, ""),
                                           ("warm start (the better of that and the polished flow)", warm,
                                            warm_s, ""),
                                           (f"the tool, --time-limit {time_limit:g}", ours,
                                            roster.solver.wall_seconds, roster.solver.status)):
        q = quality(problem, context, pairs)
        rows.append(f"| {name} | {method} | {left_out(context, pairs)} of {offered} | {bound} | "
                    f"{q['filled']} of {q['seats']} | {q['spread']:.3f} | {q['violations']} | {seconds:.1f} s"
                    f"{' ' + status if status else ''} |")
    return rows


def four_week_bound(problems_contexts) -> tuple[int, int]:
    """(people who offered in some week, how many of them could all have a shift at least once in the weeks)."""
    flow = max_flow.SimpleMaxFlow()
    node: dict[object, int] = {}

    def n(key) -> int:
        return node.setdefault(key, len(node) + 2)

    people = set()
    for problem, context in problems_contexts:
        for shift in problem.shifts:
            flow.add_arc_with_capacity(n(("s", problem.week.label, shift.id)), 1, shift.max)
            for vid in context.eligible.get(shift.id, ()):
                if context.offered.get(vid, 0) > 0:
                    people.add(vid)
                    flow.add_arc_with_capacity(n(("v", vid)), n(("s", problem.week.label, shift.id)), 1)
    for vid in people:
        flow.add_arc_with_capacity(0, n(("v", vid)), 1)
    flow.solve(0, 1)
    return len(people), flow.optimal_flow()


def longest_run_out(weekly_out: list[set[str]]) -> int:
    run: Counter = Counter()
    best = 0
    for out in weekly_out:
        run = Counter({vid: run[vid] + 1 for vid in out})
        best = max([best, *run.values()])
    return best


def four_week_rows(weeks: int, time_limit: float) -> list[str]:
    first = PlanningWeek.parse(WEEK)
    labels = [PlanningWeek.containing(first.monday + dt.timedelta(weeks=i)) for i in range(weeks)]
    problems = [api.load(SAMPLE, week=w.label) for w in labels]
    contexts = [constraints.build_context(p) for p in problems]
    people, placeable = four_week_bound(zip(problems, contexts))
    rows = []
    with tempfile.TemporaryDirectory(prefix="roster-quality-") as work:
        runs = {"the tool, with history": plan_weeks(SAMPLE, Path(work) / "h", first, weeks, use_history=True,
                                                     time_limit=time_limit),
                "the tool, without history": plan_weeks(SAMPLE, Path(work) / "n", first, weeks, use_history=False,
                                                        time_limit=time_limit)}
        hand = [greedy_fill(p, c, order="time") for p, c in zip(problems, contexts)]
        weekly = {name: [{vid for vid, _ in r.pairs()} for r in run.rosters] for name, run in runs.items()}
        weekly["greedy by hand (time order)"] = [{vid for vid, _ in pairs} for pairs in hand]
        for name, given in weekly.items():
            ever = set().union(*given)
            outs = [{vid for vid, n in c.offered.items() if n > 0} - g for c, g in zip(contexts, given)]
            never = sum(1 for vid in {v for c in contexts for v, n in c.offered.items() if n > 0} if vid not in ever)
            rows.append(f"| {name} | {never} of {people} | {people - placeable} | "
                        f"{' / '.join(str(len(o)) for o in outs)} | {longest_run_out(outs)} |")
    return rows


def time_to_optimal() -> list[str]:
    problem = api.load(SAMPLE, week=WEEK)
    context = constraints.build_context(problem)
    rows = []
    for limit in (1.5, 30.0):
        roster = solve(problem, SolveOptions(time_limit=limit), context)
        rows.append(f"| `solve`, time limit {limit:g} s | {roster.solver.status} | {roster.solver.gap:.2%} | "
                    f"{roster.solver.wall_seconds:.2f} s, {roster.solver.variables} model variables |")
    with tempfile.TemporaryDirectory(prefix="roster-quality-") as scratch:
        folder = Path(scratch) / "yanji7"
        shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns("rosters"))
        began = time.perf_counter()
        subprocess.run([sys.executable, "-m", "scheduler", "solve", str(folder), "--week", WEEK, "--time-limit", "1.5",
                        "--quiet"], check=True, stdout=subprocess.DEVNULL)
        whole = time.perf_counter() - began
        status = json.loads((folder / "rosters" / WEEK / "roster.json").read_text(encoding="utf-8"))["solver"]["status"]
        rows.append(f"| `roster solve --time-limit 1.5`, start to exit (files written) | {status} | – | {whole:.2f} s |")
    # The proof without search: the warm start costs what the flow bound says no roster can beat.
    began = time.perf_counter()
    start = best_start(problem, context, polish(problem, context, greedy_fill(problem, context)), polish)
    bound = flow_bound(problem, context)
    cost = objective(problem, context, start)
    rows.append(f"| warm start {cost:,} against the flow bound {bound:,} | "
                f"{'OPTIMAL' if cost <= bound else 'not proven'} | {(cost - bound) / cost:.2%} | "
                f"{time.perf_counter() - began:.2f} s, no search |")
    # The deterministic seconds the search itself needs from that warm start (same model, hint and settings).
    built = build(problem, context)
    hint_completed(built.plan, start, 30.0, whole=False)
    solver = solver_for(SolveOptions(time_limit=30.0))
    began = time.perf_counter()
    status = solver.solve(built.plan.model)
    rows.append(f"| the search alone from that warm start, until proven | {solver.status_name(status)} | – | "
                f"{time.perf_counter() - began:.1f} s, {solver.deterministic_time:.2f} deterministic s |")
    return rows


def gap_rows(scale_json: Path) -> tuple[list[str], list[float]]:
    saved = json.loads(scale_json.read_text(encoding="utf-8"))
    rows = []
    for row in saved["rows"]:
        cells = []
        for limit in saved["limits"]:
            done = row["runs"].get(f"ours {limit:g}", {}).get("done")
            if not done:
                cells.append(row["runs"].get(f"ours {limit:g}", {}).get("outcome") or "–")
                continue
            q = done["quality"]
            cells.append(f"gap {done['gap']:.2%}, missing {q['seats'] - q['filled'] + q['other_unmet']}, "
                         f"left out {q['nothing']:.1%}, {done['wall']:.0f} s")
        rows.append(f"| {row['name']} | " + " | ".join(cells) + " |")
    return rows, saved["limits"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=30.0, help="the tool's limit on the single weeks")
    parser.add_argument("--weeks", type=int, default=4)
    parser.add_argument("--week-limit", type=float, default=5.0, help="the tool's limit per week of the four")
    parser.add_argument("--size", type=int, default=1000, help="the generated community beside the sample")
    parser.add_argument("--scale-json", type=Path, help="gaps from an earlier `benchmarks/scale.py --json` run")
    parser.add_argument("--scale", action="store_true", help="run benchmarks/scale.py for the gaps (long)")
    args = parser.parse_args()

    print("## One week: people left out, seats, spread\n")
    print("| week | roster made by | offered but no shift | no roster can place (max flow) | seats filled "
          "| load spread | violations | time |")
    print("|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="roster-quality-") as scratch:
        generated = Path(scratch) / f"generated-{args.size}"
        generate(generated, args.size, seed=0, week=WEEK)
        for name, folder in (("yanji7 sample", SAMPLE), (f"generated {args.size:,}", generated)):
            for row in week_rows(name, folder, args.time_limit):
                print(row, flush=True)

    print(f"\n## {args.weeks} weeks of the sample in a row ({args.week_limit:g} s a week)\n")
    print("| roster made by | offered, never a shift | no roster can place (max flow over the weeks) "
          "| left out each week | most weeks running left out |")
    print("|---|---|---|---|---|")
    for row in four_week_rows(args.weeks, args.week_limit):
        print(row, flush=True)

    print("\n## The sample week to a proven optimum (default reproducible mode)\n")
    print("| run | status | gap | time |")
    print("|---|---|---|---|")
    for row in time_to_optimal():
        print(row, flush=True)

    scale_json = args.scale_json
    if args.scale:
        scale_json = Path(tempfile.mkdtemp(prefix="roster-quality-")) / "scale.json"
        subprocess.run([sys.executable, str(HERE / "scale.py"), "--no-sample", "--no-straightforward",
                        "--json", str(scale_json)], check=True, stdout=subprocess.DEVNULL)
    if scale_json:
        rows, limits = gap_rows(scale_json)
        print("\n## Gaps at scale (default reproducible mode)\n")
        print("| week | " + " | ".join(f"--time-limit {limit:g}" for limit in limits) + " |")
        print("|---|" + "---|" * len(limits))
        for row in rows:
            print(row)


if __name__ == "__main__":
    main()
