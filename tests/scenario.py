"""Several weeks in a row, planned the way a committee lives them, and the figures that judge them.

Used by the four-week test and `benchmarks/four_weeks.py`: plan weeks in order (each one
reading the rosters of the ones before, or not), then measure how evenly the load fell over
people relative to what each offered, and how many people held the same slot two weeks running.
"""

from __future__ import annotations

import shutil
import statistics
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import constraints
from scheduler import api
from scheduler.domain.models import PlanningWeek
from scheduler.domain.roster import Roster
from scheduler.loading.history import week_folder


@dataclass(frozen=True)
class Run:
    """The rosters of consecutive weeks and what each volunteer offered in them."""

    rosters: list[Roster]
    offered: Counter  # volunteer -> shifts offered over all the weeks

    def load(self) -> Counter:
        return Counter(a.volunteer for r in self.rosters for a in r.assignments)

    def load_spread(self) -> float:
        """Standard deviation over volunteers who offered of (shifts given / shifts offered)."""
        load = self.load()
        ratios = [load[v] / offer for v, offer in self.offered.items() if offer > 0]
        return statistics.pstdev(ratios) if len(ratios) > 1 else 0.0

    def left_out(self) -> int:
        """Volunteers who offered in every week but got nothing at all."""
        load = self.load()
        return sum(1 for v, offer in self.offered.items() if offer > 0 and load[v] == 0)

    def repeats(self) -> int:
        """(volunteer, post, start time) held in a week and again in the next one."""
        slots = [{(a.volunteer, a.post or a.shift_id, a.start) for a in r.assignments} for r in self.rosters]
        return sum(len(this & following) for this, following in pairwise(slots))


def plan_weeks(source: Path, work: Path, first: PlanningWeek, weeks: int, *, use_history: bool,
               time_limit: float = 5.0) -> Run:
    """Copy the problem folder to `work` and plan `weeks` weeks in order from `first`."""
    if work.exists():
        shutil.rmtree(work)
    shutil.copytree(source, work, ignore=shutil.ignore_patterns("rosters"))
    rosters, offered = [], Counter()
    week = first
    for _ in range(weeks):
        problem = api.load(work, week=week)
        history = api.load_history(work, problem) if use_history else None
        roster = api.solve(problem, time_limit=time_limit, history=history)
        api.write(roster, problem, week_folder(work, week))
        offered.update(constraints.build_context(problem).offered)
        rosters.append(roster)
        week = PlanningWeek.after(week.monday)
    return Run(rosters, offered)
