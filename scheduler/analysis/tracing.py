"""What `explain` and `cover` share: a finished roster read back in its context, and its points per goal.

Finding the roster, the person and the shift asked about; the context (eligibility, offers, the
history weeks the roster was planned with); the weighted soft points per goal and how a change
moves them; what a person's wishes and partner say of a shift. No words: those are in
`scheduler.render.labels`.

The points are always recomputed by the catalogue's own `score` functions (via
`constraints.goal_points`), so a number shown by explain or cover is the same number the solver
charged, and a difference between two rosters is exactly what the objective would change by.
"""

from __future__ import annotations

from pathlib import Path

import constraints
from constraints import GOALS, Context, Pair
from scheduler.domain.errors import RosterError
from scheduler.domain.ids import match_id, split_shift_id
from scheduler.domain.models import History, Problem, Shift, Volunteer
from scheduler.domain.roster import Roster
from scheduler.loading.folder import week_roster_file
from scheduler.loading.rosterfile import read_roster

SOFT_GOALS = tuple(goal for goal in GOALS if goal != "coverage")


def week_roster_path(problem_dir: str | Path, problem: Problem) -> Path:
    return week_roster_file(problem_dir, problem.week)


def read_week_roster(problem_dir: str | Path, problem: Problem) -> Roster:
    """`PROBLEM/rosters/<week>/roster.json`; a RosterError (exit 2) when the week has not been planned."""
    path = week_roster_path(problem_dir, problem)
    if not path.is_file():
        raise RosterError(f"week {problem.week.label} has not been planned: there is no {path}. "
                          f"Fix: run 'roster solve {problem_dir} --week {problem.week.label}' first")
    return read_roster(path)


def roster_history(history: History | None, roster: Roster) -> History:
    """The history the roster was planned with: only the earlier weeks it names (`roster.history`)."""
    if history is None or not roster.history:
        return History()
    weeks = set(roster.history)
    return History(weeks=tuple(w for w in history.weeks if w in weeks),
                   shifts=tuple(p for p in history.shifts if p.week in weeks),
                   left_out=tuple(item for item in history.left_out if item[0] in weeks))


def roster_context(problem: Problem, roster: Roster, history: History | None = None) -> Context:
    """The context the roster's points are measured in: eligibility, offers, and its own history weeks."""
    return constraints.build_context(problem, history=roster_history(history, roster))


def known_pairs(problem: Problem, roster: Roster) -> list[Pair]:
    """The roster's (volunteer, shift) pairs that still name a volunteer and a shift of the inputs."""
    return [(v, s) for v, s in roster.pairs() if v in problem.volunteer and s in problem.shift]


def weighted_soft(problem: Problem, pairs: list[Pair], context: Context) -> dict[str, int]:
    """Weighted soft-goal points of a roster, per goal, recomputed by the catalogue."""
    points = constraints.goal_points(problem, pairs, context)
    weights = problem.rules.weights
    return {goal: getattr(weights, goal) * points[goal] for goal in SOFT_GOALS}


def delta(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    """Per goal, after minus before; zero differences left out."""
    return {goal: after.get(goal, 0) - before.get(goal, 0) for goal in SOFT_GOALS
            if after.get(goal, 0) != before.get(goal, 0)}


def wish_of(volunteer: Volunteer, shift: Shift) -> str:
    """`avoids`, `prefers`, `not_preferred` (stated preferences that this shift is outside), or ''."""
    if volunteer.matches(volunteer.avoids, shift):
        return "avoids"
    if volunteer.matches(volunteer.prefers, shift):
        return "prefers"
    return "not_preferred" if volunteer.prefers else ""


def partner_state(problem: Problem, context: Context, volunteer: Volunteer, shift: Shift, on_shift: set[str]) -> str:
    """`with` when their partner is on the shift, `apart` when the partner could be but is not, else ''."""
    partner = volunteer.partner
    if not partner or partner == volunteer.id or partner not in problem.volunteer:
        return ""
    if partner in on_shift:
        return "with"
    return "apart" if partner in context.eligible.get(shift.id, ()) else ""


def find_volunteer(problem: Problem, text: str) -> Volunteer:
    """The volunteer with this id; an id Excel stripped of its zeros (`7` for `007`) is matched when unambiguous."""
    found = match_id(text, problem.volunteer)
    if found is not None:
        return problem.volunteer[found]
    text = text.strip()
    raise RosterError(f"there is no volunteer '{text}' in the register. Fix: give an id from the 编号 (id) column")


def find_shift(problem: Problem, text: str) -> Shift:
    """The shift `<id>@<date>` of the week; a bare definition id names its occurrences in the error."""
    text = text.strip()
    if text in problem.shift:
        return problem.shift[text]
    occurrences = [s.id for s in problem.shifts if s.definition_id == split_shift_id(text)[0]]
    if occurrences:
        raise RosterError(f"'{text}' is not a shift of week {problem.week.label}. "
                          f"Fix: write it as <id>@<date>, one of: {', '.join(occurrences)}")
    raise RosterError(f"there is no shift '{text}' in week {problem.week.label}. "
                      "Fix: write it as <id>@<date>, e.g. as in the roster's assignments.csv")
