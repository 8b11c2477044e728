"""City benchmark: 40 sample-sized communities planned with `solve_all` by each engine.

A synthetic city (`generate_city`, every community about the sample's size) is copied fresh for
each configuration and planned as `roster solve-all` does:

- the local engine with 1 worker process, then with 2;
- Ray started on this machine (`ray.init(num_cpus=CORES)`), one task per community asking for
  as many CPUs as its solver workers (skipped when Ray is not installed).

For each: wall time, rosters per minute, statuses, and whether every community's roster is the
same as in the first configuration (deterministic mode). From the 1-process run (one community
at a time, so none waits for another) comes the cost of one community in core-seconds, and from
it, on paper, what a city of 4,000 communities needs.

    python benchmarks/city.py                       # 40 communities, 10 s each, 2 solver workers (~25 min on 2 cores)
    python benchmarks/city.py --communities 8 --time-limit 5
    python benchmarks/city.py --json city.json

Not part of the test suite: the figures depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scheduler.city import find_communities, generate_city, solve_all  # noqa: E402
from scheduler.engines import RunOptions  # noqa: E402
from scheduler.loading.folder import week_roster_file  # noqa: E402

WEEK = "2026-W49"
SAMPLE_SIZES = (200, 260)
"""Volunteers per community: around the sample's 230."""
CITY = 4000


def rosters(parent: Path) -> dict[str, list]:
    found = {}
    for folder in find_communities(parent):
        path = week_roster_file(folder, WEEK)
        if path.is_file():
            record = json.loads(path.read_text(encoding="utf-8"))
            found[folder.name] = (sorted((a["volunteer"], a["shift"]) for a in record["assignments"]),
                                  record["solver"]["deterministic"])
    return found


def measure(template: Path, work: Path, label: str, engine, options: RunOptions, parallel: int | None) -> dict:
    parent = work / label.replace(" ", "-")
    shutil.copytree(template, parent)
    print(f"{label}: planning {len(find_communities(parent))} communities ...", flush=True)
    started, cpu = time.perf_counter(), _children_cpu()
    city = solve_all(parent, WEEK, options=options, engine=engine, parallel=parallel)
    wall, cpu = time.perf_counter() - started, _children_cpu() - cpu  # the local engine's workers are children
    found = rosters(parent)
    result = {
        "label": label, "wall": round(wall, 1), "per_minute": round(60 * len(city.outcomes) / wall, 2),
        "statuses": dict(Counter(o.status for o in city.outcomes)),
        "community_seconds": [o.seconds for o in city.outcomes],
        "seats": sum(o.seats_needed for o in city.outcomes), "missing": sum(o.missing for o in city.outcomes),
        "cpu": round(cpu, 1),
        "capped": sum(1 for _, deterministic in found.values() if not deterministic),
        "community_cpu": [o.cpu_seconds for o in city.outcomes],
        "uncapped_cpu": [o.cpu_seconds for o in city.outcomes if o.reproducible],
        "rosters": {name: pairs for name, (pairs, _) in found.items()},
    }
    print(f"  {result['wall']} s, {result['per_minute']} rosters/min, {result['statuses']}, "
          f"{result['capped']} stopped by the wall-clock safety net", flush=True)
    return result


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communities", type=int, default=40)
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=2, help="solver workers (CPUs) per community")
    parser.add_argument("--no-ray", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    print(f"load average before: {os.getloadavg()[0]:.1f} on {cores} cores", flush=True)
    options = RunOptions(time_limit=args.time_limit, workers=args.workers)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        made = generate_city(work / "template", args.communities, seed=1, week=WEEK, sizes=SAMPLE_SIZES)
        print(f"{len(made)} communities, {sum(m.volunteers for m in made)} volunteers, "
              f"{sum(m.seats for m in made)} seats; {args.time_limit:g} s and {args.workers} solver workers "
              f"each; {cores} cores ({platform.processor() or platform.machine()})", flush=True)
        results = [measure(work / "template", work, "local, 1 process", "local", options, 1)]
        save(results, args.json)
        results.append(measure(work / "template", work, "local, 2 processes", "local", options, 2))
        save(results, args.json)
        if not args.no_ray:
            try:
                import ray
            except ImportError:
                print("Ray is not installed: skipped (pip install 'volunteer-roster[ray]')")
            else:
                from scheduler.engines.ray_cluster import RayEngine

                started = time.perf_counter()
                ray.init(num_cpus=cores, include_dashboard=False, logging_level="warning")
                with RayEngine() as engine:
                    start_seconds = time.perf_counter() - started
                    results.append(measure(work / "template", work, "ray, local", engine, options, None))
                ray.shutdown()
                results[-1]["ray_start"] = round(start_seconds, 1)
                print(f"  (starting Ray took {start_seconds:.1f} s more)")
    save(results, args.json)
    report(results, args, cores)


def save(results: list[dict], path: Path | None) -> None:
    """Each configuration's figures as soon as it is measured: a later failure loses nothing before it."""
    if path:
        path.write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")


def report(results: list[dict], args, cores: int) -> None:
    first = results[0]["rosters"]
    print("\n| engine | wall time | rosters per minute | same rosters as the first | stopped by the wall clock |")
    print("|---|---|---|---|---|")
    for result in results:
        same = sum(1 for name, pairs in result["rosters"].items() if first.get(name) == pairs)
        print(f"| {result['label']} | {result['wall']:.0f} s | {result['per_minute']:.1f} | "
              f"{same} of {len(result['rosters'])} | {result['capped']} |")
    alone = results[0]
    count = len(alone["community_seconds"])
    per_community, cpu = alone["wall"] / count, sum(alone["community_cpu"]) / count
    full = alone["uncapped_cpu"]
    print(f"\nOne community, planned alone: {per_community:.1f} s wall, {cpu:.1f} CPU seconds on average "
          f"(search {args.time_limit:g} s of deterministic time, {args.workers} workers); "
          f"{len(full)} of {count} searches ended by their budget or a proof (not by the wall clock), "
          + (f"those used {sum(full) / len(full):.1f} CPU seconds each." if full else "none did."))
    cost = max([cpu] + ([sum(full) / len(full)] if full else []))
    core_minutes = CITY * cost / 60
    print(f"A city of {CITY:,} communities at {cost:.1f} CPU seconds each: {core_minutes:,.0f} core-minutes, e.g. "
          f"{core_minutes / 64:.0f} min on 64 cores, {core_minutes / 256:.0f} min on 256 cores.")

if __name__ == "__main__":
    main()
