"""A whole city in one go: every community folder under a parent folder, each planned as `roster solve`.

Communities are independent, so the runs fan out over an engine (`scheduler.engines`): worker
processes on this machine, or a Ray cluster. Each run is exactly `plan_week(folder, week)`: its
folder lock, history, the week's earlier roster, locks.csv, the four files and changes.csv.
One community's bad input or crash becomes its row of the summary and touches nothing else.

`generate_city` writes N synthetic community folders of varied sizes to try and measure it.
"""

from __future__ import annotations

import math
import random
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from scheduler.domain.errors import Finding, InputError, RosterError
from scheduler.domain.models import Rules
from scheduler.engines import Engine, Outcome, RunOptions, open_engine
from scheduler.io.atomic import replace_files
from scheduler.loading import SHIFT_FILES, VOLUNTEER_FILES, resolve_week
from scheduler.loading.csvsafe import csv_bytes
from scheduler.loading.folder import ROSTERS
from scheduler.render.texts import status_word, t
from scheduler.solving.solver import Stopper
from scheduler.synthetic.generate import Generated, generate

SUMMARY_COLUMNS = ("community", "status", "filled", "needed", "missing", "left_out", "seconds", "interrupted",
                   "message")
WAIT_STEP_SECONDS = 0.2
"""How often the waiting loop looks at finished runs and at a stop request."""


@dataclass(frozen=True)
class City:
    """What `solve_all` did: one outcome per community folder (in folder order) and the summary file."""

    parent: Path
    week: str
    outcomes: list[Outcome]
    summary: Path
    seconds: float

    @property
    def exit_status(self) -> str:
        """`complete` when every community is, `partial` when some are, `failed` when some could not be planned."""
        if any(not outcome.planned for outcome in self.outcomes):
            return "failed"
        return "partial" if any(outcome.status == "partial" for outcome in self.outcomes) else "complete"

    def name(self, outcome: Outcome) -> str:
        return community_name(self.parent, outcome.folder)


def is_community(folder: Path) -> bool:
    """A folder holding a register and a shifts file, under the names `roster solve` reads."""
    return (any((folder / name).is_file() for name in VOLUNTEER_FILES)
            and any((folder / name).is_file() for name in SHIFT_FILES))


def find_communities(parent: str | Path) -> list[Path]:
    """Every community folder under `parent` (at any depth, not inside another community), sorted."""
    parent = Path(parent)
    if not parent.is_dir():
        raise InputError([Finding(file=str(parent), message="no such folder",
                                  fix="give the folder that holds one folder per community")])
    found: list[Path] = []

    def walk(folder: Path) -> None:
        if is_community(folder):
            found.append(folder)
            return
        for child in sorted(folder.iterdir()):
            # rosters/ is what the tool writes inside a community; hidden folders are nobody's communities
            if child.is_dir() and not child.name.startswith(".") and child.name != ROSTERS:
                walk(child)

    walk(parent)
    return found


def community_name(parent: Path, folder: str | Path) -> str:
    """The community as the summary names it: its folder relative to the parent."""
    try:
        return Path(folder).resolve().relative_to(parent.resolve()).as_posix() or "."
    except ValueError:
        return str(folder)


def solve_all(parent: str | Path, week: str | None = None, *, options: RunOptions = RunOptions(),
              engine: str | Engine = "local", parallel: int | None = None, ray_address: str | None = None,
              stopper: Stopper | None = None, on_outcome: Callable[[Outcome, int, int], None] | None = None) -> City:
    """Plan the week of every community folder under `parent` and write `parent/summary-<week>.csv`.

    `engine` is `local` (`parallel` worker processes), `ray` (`ray_address`, e.g. "auto"; none
    starts Ray here) or an open Engine. A `stopper` stopped by another thread (a Ctrl-C handler)
    stops every run: the running ones write their best roster, the queued ones do not start.
    `on_outcome(outcome, done, total)` is called as each community finishes.
    Raises InputError when the week is not a week or `parent` holds no community.
    """
    started = time.monotonic()
    parent = Path(parent)
    label = resolve_week(week).label
    folders = find_communities(parent)
    if not folders:
        raise InputError([Finding(file=str(parent), message="no community folder found in it",
                                  fix=f"put one folder per community under it, each holding {VOLUNTEER_FILES[0]} "
                                      f"and {SHIFT_FILES[0]}")])
    if isinstance(engine, str):
        with open_engine(engine, parallel=parallel, workers=options.workers, ray_address=ray_address) as opened:
            outcomes = list(_run_all(opened, folders, label, options, stopper, on_outcome))
    else:
        outcomes = list(_run_all(engine, folders, label, options, stopper, on_outcome))
    order = {str(folder): n for n, folder in enumerate(folders)}
    outcomes.sort(key=lambda outcome: order.get(outcome.folder, len(order)))
    city = City(parent=parent, week=label, outcomes=outcomes, summary=parent / f"summary-{label}.csv",
                seconds=round(time.monotonic() - started, 1))
    replace_files({city.summary: summary_csv(city, city_language(city, options.lang))})
    return city


def _run_all(engine: Engine, folders: list[Path], week: str, options: RunOptions, stopper: Stopper | None,
             on_outcome) -> Iterator[Outcome]:
    handles = [engine.submit(folder, week, options) for folder in folders]
    folder_of = {id(handle): str(folder) for handle, folder in zip(handles, folders)}
    pending, stopped = list(handles), False
    while pending:
        if stopper is not None and stopper.requested and not stopped:
            engine.stop()
            stopped = True
        for handle in engine.wait(pending, WAIT_STEP_SECONDS):
            pending.remove(handle)
            # The engine may name the folder its own way (Ray resolves it): the summary uses the one found here.
            outcome = replace(handle.result(), folder=folder_of[id(handle)])
            if on_outcome is not None:
                on_outcome(outcome, len(handles) - len(pending), len(handles))
            yield outcome


def city_language(city: City, lang: str | None) -> str:
    """`lang`, else the language most communities' rules speak, else the rules' default."""
    if lang:
        return lang
    spoken = Counter(outcome.language for outcome in city.outcomes if outcome.language)
    return spoken.most_common(1)[0][0] if spoken else Rules().language


# ------------------------------------------------------------------ the summary: CSV and table

def outcome_word(lang: str, status: str) -> str:
    return status_word(lang, status) if status in ("complete", "partial") else t(lang, f"city.status.{status}")


def summary_rows(city: City, lang: str) -> list[list[str]]:
    """The summary's header and one row per community, as the CSV and the table show them."""
    rows = [[t(lang, f"city.col.{column}") for column in SUMMARY_COLUMNS]]
    for outcome in city.outcomes:
        counts = ([str(outcome.seats_filled), str(outcome.seats_needed), str(outcome.missing), str(outcome.left_out)]
                  if outcome.planned else ["", "", "", ""])
        rows.append([city.name(outcome), outcome_word(lang, outcome.status), *counts, f"{outcome.seconds:.1f}",
                     t(lang, "city.yes") if outcome.interrupted else "", outcome.message])
    return rows


def summary_csv(city: City, lang: str) -> bytes:
    """`summary-<week>.csv`: UTF-8 with BOM for Excel, no cell a spreadsheet would run as a formula."""
    header, *rows = summary_rows(city, lang)
    return csv_bytes(header, rows)


def summary_text(city: City, lang: str) -> str:
    """The table the command prints: a title line, the rows aligned (wide characters count twice)."""
    counts = Counter(outcome.status for outcome in city.outcomes)
    title = t(lang, "city.title", week=city.week, n=len(city.outcomes), complete=counts["complete"],
              partial=counts["partial"], failed=len(city.outcomes) - counts["complete"] - counts["partial"],
              seconds=f"{city.seconds:.1f}")
    rows = [row[:-2] for row in summary_rows(city, lang)]  # interrupted and message follow on their own line
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [title, ""]
    for row, outcome in zip(rows, [None, *city.outcomes]):
        cells = [cell + " " * (width - _width(cell)) if i < 2 else " " * (width - _width(cell)) + cell
                 for i, (cell, width) in enumerate(zip(row, widths))]
        lines.append("  ".join(cells).rstrip())
        if outcome is not None:
            note = " ".join(filter(None, [t(lang, "summary.interrupted").strip() if outcome.interrupted else "",
                                          outcome.message]))
            if note:
                lines.append("    " + note)
    lines += ["", t(lang, "city.left_out_note"), t(lang, "file.written", paths=city.summary)]
    return "\n".join(lines)


def _width(text: str) -> int:
    return sum(2 if ord(char) > 0x2E7F else 1 for char in text)


# ------------------------------------------------------------------ a synthetic city

CITY_SIZES = (120, 360)
"""Volunteers per generated community, smallest and largest (the sample has 230)."""


def generate_city(out_dir: str | Path, communities: int, *, seed: int = 0, week: str | None = None,
                  sizes: tuple[int, int] = CITY_SIZES) -> list[Generated]:
    """Write `communities` synthetic community folders (`community-001` …) of varied sizes into `out_dir`.

    Sizes are drawn on a log scale between `sizes`; the same arguments give the same files.
    Raises RosterError when `out_dir` is not a new or empty folder.
    """
    folder = Path(out_dir)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise RosterError(f"{folder} is not a new or empty folder; generate-city never overwrites anything. "
                          "Fix: give a new folder name")
    smallest, largest = sorted(sizes)
    if communities < 1 or smallest < 1:
        raise RosterError("--communities and the sizes must be at least 1")
    rng = random.Random(seed)
    planned = resolve_week(week)
    made = []
    for n in range(1, communities + 1):
        size = round(math.exp(rng.uniform(math.log(smallest), math.log(largest))))
        made.append(generate(folder / f"community-{n:03d}", size, seed=seed * 10_000 + n, week=planned))
    return made
