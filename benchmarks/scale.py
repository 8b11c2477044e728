"""Scale benchmark: the sample week and generated weeks of 1,000, 5,000 and 20,000 volunteers.

Every measurement runs in a fresh process under an address-space cap (RLIMIT_AS, 8 GB by
default), so its peak memory is its own and running out of memory is a result, not a crash.
For each instance:

- the tool, once per time limit (10, 60 and 120 s): `solve()` exactly as `roster solve
  --time-limit L` runs it, reporting the roster it returns: seats missing, objective, best
  bound, gap, status, wall time and peak memory. Separate runs rather than one 120 s run read
  at 10 and 60 s, because the time limit covers model building and the solver shares it out
  over the independent parts of the week: a 10 s run is not the first 10 s of a 120 s run.
  The longest run also records the progress callback on one clock, which gives the time to
  the first full-coverage roster (when every part has had one);
- the greedy fill in time order (a roster as a coordinator fills it by hand);
- the straightforward model: a variable for every (volunteer, shift) pair, ineligible pairs
  fixed to 0, no warm start, the same rules, objective and solver settings, one model for the
  whole week; one run at the longest limit, read at each checkpoint from its progress callback
  (the incumbent) and CP-SAT's best-bound callback (the bound proven by then).

Every roster is checked with `constraints.check`; seats filled, load spread (standard deviation
of shifts given / shifts offered over the people who offered) and the share of people who
offered but got nothing are computed from the roster alone.

    python benchmarks/scale.py                 # sample, 1,000, 5,000, 20,000; limits 10/60/120 s (about 45 min)
    python benchmarks/scale.py --quick         # sample and 1,000; limits 10 and 20 s (a few minutes)
    python benchmarks/scale.py --sizes 5000 --no-sample --json scale.json
    python benchmarks/scale.py --from-json scale.json     # print an earlier run's report again

Not part of the test suite: the figures depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import resource
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data" / "yanji7"


# ----------------------------------------------------------------------------- child processes

def _child(job: dict, conn) -> None:
    """Run one measurement; every step goes to the parent at once, so a crash loses nothing before it."""
    limit = int(job["memory_gb"] * 2**30)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    started = time.perf_counter()
    state = {"phase": "start"}
    lock = threading.Lock()  # the solver's callbacks come from its worker threads

    def say(kind: str, **data) -> None:
        with lock:
            if kind == "phase":
                state["phase"] = data["phase"]
            conn.send({"kind": kind, "t": time.perf_counter() - started, "rss_mb": _peak_mb(), **data})

    failure = None
    try:
        {"ours": _ours, "greedy": _greedy, "straightforward": _straightforward}[job["model"]](job, say)
    except MemoryError:
        failure = "out of memory"
    except Exception as exc:  # noqa: BLE001 - a benchmark reports every failure and goes on
        failure = f"{type(exc).__name__}: {exc}"[:300]
    if failure:  # outside the except block, so that the failed step's memory is released first
        say("failed", reason=failure, phase=state["phase"])
    conn.close()


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _load(job: dict, say):
    import constraints
    import scheduler.api as api

    say("phase", phase="load")
    began = time.perf_counter()
    problem = api.load(job["problem"], week=job["week"])
    say("timing", name="load", seconds=time.perf_counter() - began)
    say("phase", phase="context")
    began = time.perf_counter()
    context = constraints.build_context(problem)
    say("timing", name="context", seconds=time.perf_counter() - began)
    say("instance", volunteers=len(problem.volunteers), active=len(problem.active_volunteers),
        shifts=len(problem.shifts), seats=sum(s.need for s in problem.shifts),
        offered=sum(n for n in context.offered.values()),
        pairs=sum(len(v) for v in context.eligible.values()), all_pairs=len(problem.volunteers) * len(problem.shifts))
    return problem, context


def _greedy(job: dict, say) -> None:
    from baselines import quality

    from scheduler.solving.warm_start import greedy_fill

    problem, context = _load(job, say)
    say("phase", phase="greedy (time order)")
    began = time.perf_counter()
    pairs = greedy_fill(problem, context, order="time")
    seconds = time.perf_counter() - began
    say("phase", phase="checking")
    say("done", status="greedy", wall=seconds, quality=quality(problem, context, pairs))


def _ours(job: dict, say) -> None:
    """The tool's own solve(), as `roster solve --time-limit L` runs it; progress on one clock."""
    from baselines import quality

    from scheduler.solving.solver import SolveOptions, solve

    problem, context = _load(job, say)
    say("phase", phase="solve")
    began = time.perf_counter()

    def progress(p) -> None:
        say("event", at=time.perf_counter() - began, part=getattr(p, "part", ""), missing=p.shortfall,
            objective=p.objective, bound=p.bound)

    roster = solve(problem, SolveOptions(time_limit=job["time_limit"], deterministic=job["deterministic"],
                                         on_progress=progress), context)
    wall = time.perf_counter() - began
    report = roster.solver
    say("phase", phase="checking")
    say("done", status=report.status, objective=report.objective, bound=report.best_bound, gap=report.gap, wall=wall,
        build=report.build_seconds, variables=report.variables, parts=getattr(report, "parts", 1),
        quality=quality(problem, context, roster.pairs()))


def _straightforward(job: dict, say) -> None:
    """Every pair a variable, ineligible ones fixed to 0, no hint; the same solver settings."""
    from baselines import Recorder, quality, straightforward_model

    from scheduler.solving.solver import SolveOptions, solver_for

    problem, context = _load(job, say)
    say("phase", phase="build")
    model = straightforward_model(problem, context, on_phase=lambda step: say("phase", phase=f"build: {step}"))
    solver = solver_for(SolveOptions(time_limit=job["time_limit"], deterministic=job["deterministic"]))
    began = time.perf_counter()
    solver.best_bound_callback = lambda bound: say("bound", at=time.perf_counter() - began, bound=int(bound))
    recorder = Recorder(model.plan)
    say("phase", phase="search")
    status = solver.solve(model.plan.model, recorder)
    for at, missing, objective, bound in recorder.events:
        say("event", at=at, part="", missing=missing, objective=objective, bound=bound)
    found = solver.status_name(status) in ("OPTIMAL", "FEASIBLE")
    pairs = [pair for pair, var in model.plan.pairs().items() if found and solver.boolean_value(var)]
    say("phase", phase="checking")
    objective, bound = (int(solver.objective_value), int(solver.best_objective_bound)) if found else (None, None)
    say("done", status=solver.status_name(status), objective=objective, bound=bound,
        gap=abs(objective - bound) / max(abs(objective), 1) if found else None, wall=solver.wall_time,
        build=model.seconds, variables=model.variables, parts=1,
        quality=quality(problem, context, pairs) if found else None)


# ----------------------------------------------------------------------------- the parent

def measure(job: dict, budgets: dict[str, float]) -> dict:
    """Run one child and collect its messages; stop it when a phase overruns its budget."""
    ctx = multiprocessing.get_context("spawn")
    receive, send = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_child, args=(job, send))
    process.start()
    send.close()
    result = {"messages": [], "phase": "start", "outcome": None, "load_max": os.getloadavg()[0]}
    phase_started = start = time.monotonic()
    while True:
        result["load_max"] = max(result["load_max"], os.getloadavg()[0])
        if receive.poll(0.5):
            try:
                message = receive.recv()
            except EOFError:
                break
            result["messages"].append(message)
            if message["kind"] == "phase":
                result["phase"], phase_started = message["phase"], time.monotonic()
            if message["kind"] in ("done", "failed"):
                break
        elif not process.is_alive():
            break
        phase = result["phase"].split(":")[0]
        budget = budgets.get(phase, budgets["other"])
        clock = phase_started if phase in budgets else start
        if time.monotonic() - clock > budget:
            process.kill()
            result["outcome"] = f"stopped in phase '{result['phase']}' after {time.monotonic() - start:.0f} s"
            break
    process.join(30)
    if result["outcome"] is None and process.exitcode and process.exitcode < 0:
        name = signal.Signals(-process.exitcode).name
        likely = f", likely out of memory under the {job['memory_gb']:g} GB cap" if name == "SIGABRT" else ""
        result["outcome"] = f"crashed ({name}) in phase '{result['phase']}'{likely}"
    result["wall"] = time.monotonic() - start
    return result


def summarise(result: dict, checkpoints: list[float] = ()) -> dict:
    """Timings, final figures (or why there are none), first full coverage, and the timeline at checkpoints."""
    messages = result["messages"]
    first = lambda kind: next((m for m in messages if m["kind"] == kind), None)  # noqa: E731
    events = sorted((m["at"], m["part"], m["missing"], m["objective"], m["bound"]) for m in messages
                    if m["kind"] == "event")
    bounds = sorted((m["at"], m["bound"]) for m in messages if m["kind"] == "bound")
    done, failed = first("done"), first("failed")
    summary = {
        "timings": {m["name"]: m["seconds"] for m in messages if m["kind"] == "timing"},
        "instance": first("instance"), "done": done,
        "peak_mb": max((m["rss_mb"] for m in messages), default=None),
        "outcome": result["outcome"] or (f"{failed['reason']} (in phase '{failed['phase']}')" if failed else None),
        "first_full": _first_full(events, done),
        "best_missing": min((e[2] for e in events), default=None),
        "checkpoints": [_at(at, events, bounds, done) for at in checkpoints],
    }
    return summary


def _first_full(events: list[tuple], done: dict | None) -> float | None:
    """When every part of the week had a roster without missing seats (parts are searched one by one)."""
    if not done or not events:
        return None
    firsts: dict[str, float] = {}
    for at, part, missing, _, _ in events:
        if missing == 0:
            firsts.setdefault(part, at)
    quality = done["quality"]
    if len(firsts) < done.get("parts", 1) or quality is None or quality["filled"] < quality["seats"]:
        return None
    return max(firsts.values())


def _at(at: float, events: list[tuple], bounds: list[tuple], done: dict | None) -> dict | None:
    """The incumbent and the bound proven at `at` seconds of one search (the final figures past its end)."""
    if done and at >= done["wall"]:
        return {"missing": events[-1][2] if events else None, "objective": done["objective"], "bound": done["bound"],
                "gap": done["gap"], "final": True}
    seen = [e for e in events if e[0] <= at]
    if not seen:
        return None
    bound = max([b for t, b in bounds if t <= at] + [seen[-1][4]])
    return {"missing": seen[-1][2], "objective": seen[-1][3], "bound": bound,
            "gap": abs(seen[-1][3] - bound) / max(abs(seen[-1][3]), 1), "final": False}


def machine() -> dict:
    cpu = platform.processor() or platform.machine()
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                   if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    try:
        kb = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                      if line.startswith("MemTotal")))
        memory = f"{kb / 2**20:.0f} GB"
    except (OSError, StopIteration):
        memory = "unknown"
    import subprocess

    import ortools
    try:
        commit = subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%h %cs"], capture_output=True,
                                text=True, timeout=10).stdout.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        commit = "unknown"
    return {"commit": commit, "cpu": cpu, "cores": os.cpu_count(), "memory": memory,
            "python": platform.python_version(), "ortools": ortools.__version__,
            "system": f"{platform.system()} {platform.release()}"}


# ----------------------------------------------------------------------------- report

def _s(seconds) -> str:
    if seconds is None:
        return "–"
    return f"{seconds:.2f} s" if seconds < 1 else f"{seconds:.1f} s" if seconds < 100 else f"{seconds:.0f} s"


def _mb(s: dict | None) -> str:
    return f"{s['peak_mb']:,.0f} MB" if s and s["peak_mb"] else "–"


def _result_cell(s: dict | None) -> str:
    """missing seats, gap and wall time of one run of the tool, or why it has none."""
    if s is None:
        return "–"
    done = s["done"]
    if done is None:
        return s["outcome"] or "no roster"
    q = done["quality"]
    missing = q["seats"] - q["filled"] + q["other_unmet"]
    gap = f", gap {done['gap']:.1%}" if done["gap"] is not None else ""
    return f"missing {missing}{gap} ({_s(done['wall'])}{', greedy fill' if 'greedy' in done['status'] else ''})"


def _point_cell(point: dict | None) -> str:
    if point is None:
        return "no roster yet"
    return f"missing {point['missing']}, gap {point['gap']:.1%}" + (" (ended)" if point["final"] else "")


def _quality_row(name: str, method: str, s: dict | None) -> str:
    done = s and s["done"]
    if not done or done["quality"] is None:
        return f"| {name} | {method} | – | {s['outcome'] if s else '–'} | | | | | {_mb(s)} |"
    q = done["quality"]
    return (f"| {name} | {method} | {_s(done['wall'])} | {q['filled']:,} of {q['seats']:,} "
            f"({q['filled'] / max(q['seats'], 1):.1%}) | {q['other_unmet']} | {q['spread']:.3f} | {q['nothing']:.1%} | "
            f"{q['violations']} | {_mb(s)} |")


def report(rows: list[dict], limits: list[float], info: dict, args) -> str:
    longest = max(limits)
    out = [f"Machine: {info['cpu']}, {info['cores']} cores, {info['memory']} RAM; {info['system']}; Python "
           f"{info['python']}, OR-Tools {info['ortools']}. Load average {info['load_before']:.1f} before, "
           f"highest seen {info['load_max']:.1f}, {info['load_after']:.1f} after"
           + (" (measured while other work was running)." if info["load_max"] > 1.5 else "."),
           f"Code: commit {info.get('commit', 'unknown')} plus the working tree. "
           f"Mode: {'fast (wall clock)' if args.fast else 'deterministic (the default)'}, 8 workers, memory cap "
           f"{args.memory_gb:g} GB per process, generator seed {args.seed}, week {args.week}.",
           "", "| instance | volunteers | shifts | seats | offered | seats / offered | eligible pairs | all pairs "
           "| generated in |",
           "|---|---|---|---|---|---|---|---|---|"]
    for row in rows:
        inst = next((s["instance"] for s in row["runs"].values() if s and s["instance"]), None)
        if inst is None:
            out.append(f"| {row['name']} | {row['size'] or '–'} | – | – | – | – | – | – | {_s(row['generated'])} |")
            continue
        out.append(f"| {row['name']} | {inst['volunteers']:,} ({inst['active']:,} active) | {inst['shifts']:,} | "
                   f"{inst['seats']:,} | {inst['offered']:,} | {inst['seats'] / max(inst['offered'], 1):.0%} | "
                   f"{inst['pairs']:,} | {inst['all_pairs']:,} | {_s(row['generated'])} |")
    out += ["", "The tool, one fresh run per time limit (`--time-limit`, covering model building):", "",
            "| instance | load | eligibility | build | first full coverage | "
            + " | ".join(f"limit {limit:g} s" for limit in limits) + " | peak memory |",
            "|---|---|---|---|---|" + "---|" * len(limits) + "---|"]
    for row in rows:
        runs = row["runs"]
        main = runs.get(f"ours {longest:g}")
        timings = main["timings"] if main else {}
        build = main["done"]["build"] if main and main["done"] else None
        first = _s(main["first_full"]) if main and main["first_full"] is not None else (
            "not within the limit" if main and main["done"] else "–")
        cells = " | ".join(_result_cell(runs.get(f"ours {limit:g}")) for limit in limits)
        out.append(f"| {row['name']} | {_s(timings.get('load'))} | {_s(timings.get('context'))} | {_s(build)} | "
                   f"{first} | {cells} | {_mb(main)} |")
    out += ["", "Objective and best bound of each run (one missing seat outweighs all soft goals together):",
            "", "| instance | limit | status | parts | missing | objective | best bound | gap | wall |",
            "|---|---|---|---|---|---|---|---|---|"]
    for row in rows:
        for limit in limits:
            s = row["runs"].get(f"ours {limit:g}")
            if s and s["done"] and s["done"]["objective"] is not None:
                d, q = s["done"], s["done"]["quality"]
                out.append(f"| {row['name']} | {limit:g} s | {d['status']} | {d['parts']} | "
                           f"{q['seats'] - q['filled'] + q['other_unmet']} | {d['objective']:,} | {d['bound']:,} | "
                           f"{d['gap']:.2%} | {_s(d['wall'])} |")
    if not args.no_straightforward:
        out += ["", f"The straightforward model, one {longest:g} s search read at each checkpoint:", "",
                "| instance | build | variables | first full coverage | "
                + " | ".join(f"at {limit:g} s" for limit in limits) + " | end | peak memory |",
                "|---|---|---|---|" + "---|" * len(limits) + "---|---|"]
        for row in rows:
            s = row["runs"].get("straightforward")
            if s is None:
                continue
            done = s["done"]
            if done is None:
                out.append(f"| {row['name']} | – | – | – | " + " | ".join(["–"] * len(limits))
                           + f" | {s['outcome']} | {_mb(s)} |")
                continue
            cells = " | ".join(_point_cell(point) for point in s["checkpoints"])
            out.append(f"| {row['name']} | {_s(done['build'])} | {done['variables']:,} | {_s(s['first_full'])} | "
                       f"{cells} | {done['status']} at {_s(done['wall'])} | {_mb(s)} |")
    out += ["", "Rosters compared (the tool at the longest limit):", "",
            "| instance | roster | time | seats filled | women/men/skills missing | spread (sd of given/offered) | "
            "offered but got nothing | violations | peak memory |", "|---|---|---|---|---|---|---|---|---|"]
    for row in rows:
        runs = row["runs"]
        out.append(_quality_row(row["name"], "greedy, time order", runs.get("greedy")))
        out.append(_quality_row(row["name"], "this tool", runs.get(f"ours {longest:g}")))
        if "straightforward" in runs:
            out.append(_quality_row(row["name"], "straightforward model", runs["straightforward"]))
    return "\n".join(out)


# ----------------------------------------------------------------------------- main

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="sample week and 1,000 volunteers; limits 10 and 20 s")
    parser.add_argument("--sizes", type=int, nargs="*", help="generated sizes (default 1000 5000 20000; quick: 1000)")
    parser.add_argument("--no-sample", action="store_true", help="leave out the sample week")
    parser.add_argument("--limits", type=float, nargs="*",
                        help="time limits in seconds (default 10 60 120; quick: 10 20)")
    parser.add_argument("--memory-gb", type=float, default=8.0, help="address-space cap per process")
    parser.add_argument("--prep-budget", type=float, default=900.0,
                        help="seconds allowed for loading and eligibility, and beyond the limit for solving")
    parser.add_argument("--plain-budget", type=float,
                        help="seconds allowed to build the straightforward model (default 300; quick: 60)")
    parser.add_argument("--no-straightforward", action="store_true", help="skip the straightforward model")
    parser.add_argument("--fast", action="store_true", help="plain parallel search under the wall clock")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--week", default="2026-W49")
    parser.add_argument("--json", help="also write the raw figures here")
    parser.add_argument("--from-json", help="print the report of an earlier --json file instead of measuring")
    args = parser.parse_args()
    if args.from_json:
        saved = json.loads(Path(args.from_json).read_text(encoding="utf-8"))
        print(report(saved["rows"], saved["limits"], saved["machine"], argparse.Namespace(**saved["args"])))
        return
    args.sizes = args.sizes if args.sizes is not None else ([1000] if args.quick else [1000, 5000, 20000])
    args.limits = sorted(args.limits or ([10.0, 20.0] if args.quick else [10.0, 60.0, 120.0]))
    args.plain_budget = args.plain_budget or (60.0 if args.quick else 300.0)

    sys.path.insert(0, str(Path(__file__).resolve().parent))  # children import baselines from here
    from scheduler.synthetic.generate import generate

    info = machine() | {"load_before": os.getloadavg()[0]}
    loads = [info["load_before"]]
    rows = []
    with tempfile.TemporaryDirectory(prefix="roster-scale-") as scratch:
        instances = [] if args.no_sample else [("sample week (yanji7)", None, str(SAMPLE), None)]
        for size in args.sizes:
            began = time.perf_counter()
            folder = Path(scratch) / f"generated-{size}"
            generate(folder, size, seed=args.seed, week=args.week)
            instances.append((f"generated {size:,}", size, str(folder), time.perf_counter() - began))
        for name, size, folder, generated in instances:
            row = {"name": name, "size": size, "generated": generated, "runs": {}}
            jobs = [("greedy", "greedy", max(args.limits))]
            jobs += [(f"ours {limit:g}", "ours", limit) for limit in args.limits]
            if not args.no_straightforward:
                jobs.append(("straightforward", "straightforward", max(args.limits)))
            for key, model, limit in jobs:
                job = {"model": model, "problem": folder, "week": args.week, "time_limit": limit,
                       "deterministic": not args.fast, "memory_gb": args.memory_gb}
                budgets = {"build": args.plain_budget, "solve": 2 * limit + 120, "search": limit + 60,
                           "checking": 600.0, "other": args.prep_budget}
                print(f"{name}: {key} …", file=sys.stderr, flush=True)
                result = measure(job, budgets)
                row["runs"][key] = summarise(result, args.limits if model == "straightforward" else ())
                loads.append(result["load_max"])
                print(f"  {result['wall']:.0f} s, {row['runs'][key]['outcome'] or 'done'}", file=sys.stderr, flush=True)
            rows.append(row)
    info |= {"load_after": os.getloadavg()[0], "load_max": max(loads)}
    print(report(rows, args.limits, info, args))
    if args.json:
        saved = {"machine": info, "rows": rows, "limits": args.limits, "args": vars(args)}
        Path(args.json).write_text(json.dumps(saved, indent=1, default=str), encoding="utf-8")


if __name__ == "__main__":
    main()
