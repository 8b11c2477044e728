"""The library: everything the command line does, as function calls that raise and never print.

    import scheduler
    problem = scheduler.load("sample_data/yanji7", week="2026-W49")
    roster = scheduler.solve(problem, time_limit=20)
    roster.assignments_frame()             # a pandas DataFrame
    scheduler.check(problem, roster)       # [] when every hard rule holds
    scheduler.write(roster, problem, "out/")
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

import constraints
from constraints import Context, Violation
from scheduler import city as _city
from scheduler.analysis.checking import LocatedViolation, RosterCheck, check_roster_file
from scheduler.analysis.cover import Cover, find_cover
from scheduler.analysis.cover import apply_cover as _apply_cover
from scheduler.analysis.explain import ObjectiveExplanation, ShiftExplanation, VolunteerExplanation
from scheduler.analysis.explain import explain_objective as _explain_objective
from scheduler.analysis.explain import explain_shift as _explain_shift
from scheduler.analysis.explain import explain_volunteer as _explain_volunteer
from scheduler.analysis.supply import Supply
from scheduler.analysis.supply import supply as _supply
from scheduler.analysis.tracing import find_shift, find_volunteer
from scheduler.analysis.tracing import read_week_roster as _read_week_roster
from scheduler.analysis.validation import WeekOverview, overview, warnings
from scheduler.city import City
from scheduler.domain.errors import Finding, InputError, RosterError, RosterFileError
from scheduler.domain.ids import split_shift_id, with_known_ids
from scheduler.domain.models import History, PlanningWeek, Problem, Rules
from scheduler.domain.roster import Roster
from scheduler.engines import Outcome, RunOptions
from scheduler.io.changes import Change, diff_rosters
from scheduler.io.writers import write_outputs
from scheduler.loading import load_problem, rules_language
from scheduler.loading.folder import ROSTERS, find_locks, folder_lock, planned_weeks, week_folder
from scheduler.loading.history import load_baseline
from scheduler.loading.history import load_history as _load_history
from scheduler.loading.rosterfile import read_roster
from scheduler.planning import WeekPlan, plan_context, plan_week, solve
from scheduler.render.check_text import check_text
from scheduler.render.cover_text import changes_lines as cover_changes
from scheduler.render.cover_text import cover_text
from scheduler.render.explain_text import explanation_text
from scheduler.render.findings import finding_text, findings_text
from scheduler.render.reasons import worded
from scheduler.render.violations import violation_text
from scheduler.solving.solver import Progress, Stopper
from scheduler.synthetic.generate import Generated
from scheduler.synthetic.generate import generate as _generate
from scheduler.weekly.ledger import Ledger, build_ledger
from scheduler.weekly.notices import Notices, build_notices, read_changes
from scheduler.weekly.notices import week_notices as _week_notices
from scheduler.weekly.notices import write_notices as _write_notices

load = load_problem
__all__ = [  # noqa: RUF022 - grouped by task, as the README lists them
    # a problem folder, as the command line plans it
    "plan_week", "WeekPlan",
    # inputs
    "load", "validate", "Validation", "supply", "Supply", "load_history", "load_baseline", "find_locks",
    "plan_context", "rules_language", "finding_text", "findings_text",
    # planning in memory
    "solve", "Stopper", "Progress", "check", "RosterCheck", "LocatedViolation", "write", "read_roster", "read_week_roster",
    # explaining and mending a roster
    "explain_volunteer", "explain_shift", "explain_objective", "cover", "apply_cover", "text_of",
    # telling volunteers: WeChat messages, the group announcement, calendars
    "notices", "week_notices", "write_notices", "Notices",
    # a problem folder's other commands
    "check_week", "explain_week", "cover_week", "latest_week", "CoverResult", "WeekExplanation",
    # week after week
    "diff", "ledger", "hours", "generate",
    # a whole city
    "solve_all", "generate_city", "City", "Outcome",
]


@dataclass(frozen=True)
class Validation:
    """What `roster validate` reports once the inputs load: warnings and the week's overview."""

    warnings: list[Finding]
    overview: WeekOverview


def validate(problem: Problem) -> Validation:
    context = constraints.build_context(problem)
    return Validation(warnings=warnings(problem, context), overview=overview(problem, context))


def supply(problem: Problem, context: Context | None = None) -> Supply:
    """Seats against what volunteers could give, per day, time of day, team and requirement, before solving.

    `Supply.cannot_meet` lists the shortfalls no roster can avoid, each with a proven lower bound.
    """
    return _supply(problem, context or constraints.build_context(problem))


def load_history(folder: str | Path, problem: Problem, weeks: int | None = None) -> History:
    """The rosters of the weeks before the planned one in `folder/rosters/` (`history_weeks` of them)."""
    return _load_history(folder, problem, weeks)


def check(problem: Problem, roster: Roster | str | Path, context: Context | None = None) -> list[Violation]:
    """Every hard rule's plain-Python check on a roster (a Roster, or a roster.json / assignments.csv path).

    Pass the `context` of the plan (see `plan_context`) to check history, locks and frozen days too.
    """
    if not isinstance(roster, Roster):
        roster = read_roster(roster)
    return constraints.check(problem, with_known_ids(roster, problem.volunteer).pairs(), context)


def check_week(folder: str | Path, roster_file: str | Path, week: str | None = None, *,
               volunteers: str | Path | None = None, shifts: str | Path | None = None, rules: str | Path | None = None,
               locks: str | Path | None = None, history: bool = True) -> RosterCheck:
    """`roster check FOLDER ROSTER`: a roster file checked against every hard rule, with the folder's history
    and locks (`locks`, default FOLDER/locks.csv when present).

    ROSTER is a roster.json, an assignments.csv or a roster.xlsx; of a workbook the duty grid (值勤表)
    is checked, and where its 安排明细 sheet says otherwise, `RosterCheck.differences` lists it.
    The week is `week`, else the roster's own, else that of its rosters/<week>/ folder.
    Raises RosterFileError (unreadable file, no week) and InputError (bad inputs or locks, a name in
    the grid that matches no one or two people).
    """
    record = read_roster(roster_file)
    week = week or record.week or _week_of_folder(Path(roster_file))
    if not week:
        raise RosterFileError(f"{roster_file}: cannot tell which week the roster is for. Fix: pass --week 2026-W49")
    problem = load_problem(folder, volunteers=volunteers, shifts=shifts, rules=rules, week=week)
    lock_file = Path(locks) if locks else find_locks(folder)
    context = plan_context(problem, history=_load_history(folder, problem) if history else None, locks=lock_file)
    return check_roster_file(problem, roster_file, context, lock_file)


def _week_of_folder(path: Path) -> str | None:
    """The week of a roster file kept in its rosters/<week>/ folder."""
    try:
        return PlanningWeek.parse(path.resolve().parent.name).label
    except ValueError:
        return None


def read_week_roster(folder: str | Path, problem: Problem) -> Roster:
    """`folder/rosters/<week>/roster.json` of the problem's week; RosterError when the week has not been planned."""
    return _read_week_roster(folder, problem)


def _roster_of(roster: Roster | str | Path) -> Roster:
    return roster if isinstance(roster, Roster) else read_roster(roster)


def explain_volunteer(problem: Problem, roster: Roster | str | Path, volunteer: str,
                      history: History | None = None) -> VolunteerExplanation:
    """Why `volunteer` has the shifts `roster` gives them, or none: eligibility, the rules that held them,
    what the objective weighed (history, preferences, partner) and their points. `text_of(found, lang)` words it.

    `history` (see `load_history`) counts for the weeks the roster was planned with (`roster.history`).
    """
    return _explain_volunteer(problem, _roster_of(roster), find_volunteer(problem, volunteer).id, history)


def explain_shift(problem: Problem, roster: Roster | str | Path, shift: str,
                  history: History | None = None) -> ShiftExplanation:
    """Who could take `shift` (`<id>@<date>`), who was chosen and what each costs against the next candidates,
    and who was excluded and why. `text_of(found, lang)` words it."""
    return _explain_shift(problem, _roster_of(roster), find_shift(problem, shift).id, history)


def explain_objective(problem: Problem, roster: Roster | str | Path) -> ObjectiveExplanation:
    """The roster's objective per goal and the people carrying each goal's points (roster.json's breakdown)."""
    return _explain_objective(problem, _roster_of(roster))


Worded = VolunteerExplanation | ShiftExplanation | ObjectiveExplanation | Cover | RosterCheck | Violation


def text_of(found: Worded, lang: str) -> str:
    """What the command line prints for an explanation, a cover, a roster check or a violation, in `lang` (zh/en).

    The records hold facts and codes; this is where they become words.
    """
    if isinstance(found, Cover):
        return cover_text(found, lang)
    if isinstance(found, RosterCheck):
        return check_text(found, str(found.file), lang) + "\n"
    if isinstance(found, Violation):
        return violation_text(found, lang)
    return explanation_text(found, lang)


def cover(problem: Problem, roster: Roster | str | Path, shift: str, without: str | None = None,
          history: History | None = None, locks: str | Path | list[tuple[str, str]] | None = None,
          with_: str | None = None) -> Cover:
    """Ranked replacements for `without` on `shift` (without `without`: people to fill an empty seat of it);
    each keeps every hard rule with the rest of the roster unchanged (checked by the rule catalogue, with
    the history and `locks`), with what it costs. `with_` (an id, or a name only one person has) asks
    about that one person: `Cover.refused` lists what they would break.

    Raises RosterError when `without` is not on the shift, the shift has no empty seat, or `with_`
    names nobody, two people or someone already on it. `apply_cover(found, n)` gives the changed roster.
    """
    record = _roster_of(roster)
    pinned = plan_context(problem, locks=locks).locks if locks is not None else frozenset()
    return find_cover(problem, record, shift, without, history=history, locks=pinned, named=with_)


def apply_cover(found: Cover, rank: int, language: str | None = None) -> Roster:
    """The roster with the `rank`-th replacement (1 = best) in place: objective, unfilled and re-plan figures
    recomputed, solver status `EDITED`. Write it with `write` (the earlier roster is kept under previous/)."""
    return worded(_apply_cover(found, rank, language))


@dataclass(frozen=True)
class CoverResult:
    """What `cover_week` found and, with `apply`, what it wrote."""

    cover: Cover
    before: Roster
    """The week's roster as it was."""
    lang: str = "zh"
    """The language of `text()` and of the files written: `cover_week`'s `lang`, else the roster's."""
    applied: Roster | None = None
    """The roster with the chosen person on the shift, when `apply` was given and they could take it."""
    rank: int | None = None
    written: list[Path] = field(default_factory=list)

    @property
    def refused(self) -> bool:
        """`with_` named someone who cannot take the shift without breaking a hard rule: nothing was written."""
        return self.cover.named is not None and not self.cover.candidates

    def text(self, lang: str | None = None) -> str:
        """The candidates (or the one person asked about) and, when applied, what changed."""
        lang = lang or self.lang
        text = cover_text(self.cover, lang)
        if self.applied is not None and self.rank is not None:
            text += "\n".join(cover_changes(self.cover, self.rank, self.before, self.applied, lang)) + "\n"
        return text


def cover_week(folder: str | Path, shift: str, week: str | None = None, *, without: str | None = None,
               with_: str | None = None, apply: int | None = None, lang: str | None = None, wait: float = 600.0,
               volunteers: str | Path | None = None, shifts: str | Path | None = None, rules: str | Path | None = None,
               on_wait: Callable[[float], None] | None = None) -> CoverResult:
    """`roster cover FOLDER --shift S`: who can take `shift` in the folder's roster of its week, and with
    `apply` (a rank, 1 = best; with `with_` use 1) that person put on it and the four files rewritten.

    `without`: the person who cannot come (left out: an empty seat is filled). `with_`: the one person
    to place (a stand-in who came instead). The week is `week`, else the one the shift's date is in.
    Every candidate is checked by the catalogue with the folder's history and locks.csv, and the
    roster is checked again before it is written (under the folder lock, `wait` seconds at most;
    the earlier roster is kept under previous/). Raises RosterError (week not planned, bad shift or
    person, a roster that already breaks a rule), RosterLockedError, InputError.
    """
    problem = load_problem(folder, volunteers=volunteers, shifts=shifts, rules=rules,
                           week=week or _week_of_shift(shift) or latest_week(folder))
    with folder_lock(folder, wait, on_wait):
        before = read_week_roster(folder, problem)
        found = cover(problem, before, shift, without, history=_load_history(folder, problem),
                      locks=find_locks(folder), with_=with_)
        result = CoverResult(cover=found, before=before, lang=lang or before.language)
        if apply is None or result.refused:
            return result
        changed = apply_cover(found, apply)
        broken = constraints.check(problem, changed.pairs(), found.context)
        if broken:
            raise RosterError(f"the roster of {problem.week.label} already breaks {len(broken)} hard rule(s) "
                              f"(first: {broken[0]}); nothing was written. Fix: correct it first "
                              "(see 'roster check'), then cover the shift")
        written = write_outputs(changed, problem, week_folder(folder, problem.week), result.lang)
    return dataclasses.replace(result, applied=changed, rank=apply, written=written)


def _week_of_shift(shift: str) -> str | None:
    """The ISO week of a shift written `<id>@<date>`."""
    try:
        return PlanningWeek.containing(dt.date.fromisoformat(split_shift_id(shift.strip())[1])).label
    except ValueError:
        return None


def latest_week(folder: str | Path) -> str:
    """The latest ISO week with a roster under `folder/rosters/`; RosterError when none was planned."""
    weeks = planned_weeks(folder)
    if not weeks:
        raise RosterError(f"no week has been planned in {Path(folder) / ROSTERS}. "
                          f"Fix: run 'roster solve {folder}' first, or give --week")
    return weeks[-1]


@dataclass(frozen=True)
class WeekExplanation:
    """What `explain_week` found: about a person, a shift, or (neither asked) the objective."""

    week: str
    roster: Roster
    volunteer: VolunteerExplanation | None = None
    shift: ShiftExplanation | None = None
    objective: ObjectiveExplanation | None = None
    lang: str = "zh"
    """The language of `text()`: `explain_week`'s `lang`, else the roster's."""

    def text(self, lang: str | None = None) -> str:
        """The explanations in `lang` (default `self.lang`), the person's first, then the shift's."""
        parts = [explanation_text(part, lang or self.lang) for part in (self.volunteer, self.shift, self.objective)
                 if part is not None]
        return "\n".join(parts)


def explain_week(folder: str | Path, week: str | None = None, *, volunteer: str | None = None,
                 shift: str | None = None, lang: str | None = None, volunteers: str | Path | None = None,
                 shifts: str | Path | None = None, rules: str | Path | None = None) -> WeekExplanation:
    """`roster explain FOLDER`: why `volunteer` and/or `shift` got what they got in the folder's roster of
    `week` (default: the week of `shift`'s date, else the latest planned week); with neither, the
    objective per goal and who carries its points. Raises RosterError when the week was not planned
    or the person or shift is unknown, InputError for bad inputs."""
    problem = load_problem(folder, volunteers=volunteers, shifts=shifts, rules=rules,
                           week=week or (shift and _week_of_shift(shift)) or latest_week(folder))
    roster = read_week_roster(folder, problem)
    history = _load_history(folder, problem)
    return WeekExplanation(
        week=problem.week.label, roster=roster, lang=lang or roster.language,
        volunteer=explain_volunteer(problem, roster, volunteer, history=history) if volunteer else None,
        shift=explain_shift(problem, roster, shift, history=history) if shift else None,
        objective=None if (volunteer or shift) else explain_objective(problem, roster))


def write(roster: Roster, problem: Problem, out_dir: str | Path, lang: str | None = None) -> list[Path]:
    """Write roster.json, assignments.csv, duty_table.csv, roster.xlsx and roster.pdf atomically; earlier
    rosters are kept."""
    return write_outputs(roster, problem, Path(out_dir), lang or roster.language)


def diff(old: Roster | str | Path, new: Roster | str | Path) -> list[Change]:
    """Who gained and who lost which shift from `old` to `new` (Rosters, or roster.json / assignments.csv paths).

    An id Excel stripped of its zeros in one roster (`6`) is the other roster's id (`006`) when only one matches.
    """
    before, after = (r if isinstance(r, Roster) else read_roster(r) for r in (old, new))
    after = with_known_ids(after, {a.volunteer for a in before.assignments})
    before = with_known_ids(before, {a.volunteer for a in after.assignments})
    return diff_rosters(*_one_name_per_id(before, after))


def _one_name_per_id(*rosters: Roster) -> list[Roster]:
    """The rosters with each id under the name most of their rows give it: a row whose id was typed over
    (a stand-in) still carries the name of the person it replaced."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for roster in rosters:
        for a in roster.assignments:
            if a.volunteer_name:
                counts[a.volunteer][a.volunteer_name] += 1
    names = {vid: names.most_common(1)[0][0] for vid, names in counts.items()}
    return [r.model_copy(update={"assignments": [a.model_copy(update={"volunteer_name": names.get(a.volunteer, "")})
                                                 for a in r.assignments]}) for r in rosters]


def ledger(problem_dir: str | Path, start: dt.date | str | None = None, end: dt.date | str | None = None,
           served_only: bool = False, rules: str | Path | Rules | None = None) -> Ledger:
    """The service-hours ledger of the rosters under `problem_dir/rosters/`, with what was left out and why.

    `start` and `end` are dates or ISO strings (`"2026-12-14"`); anything else is an InputError.
    Stand-ins and attendance (出勤) recorded in each week's assignments.csv or roster.xlsx count.
    """
    return build_ledger(problem_dir, _day("start", start), _day("end", end), served_only=served_only, rules=rules)


def _day(option: str, value: dt.date | str | None) -> dt.date | None:
    """A date argument given as a date, a datetime or an ISO string."""
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    if isinstance(value, dt.datetime):
        return value.date()
    try:
        return dt.date.fromisoformat(value.strip())
    except (AttributeError, TypeError, ValueError):
        raise InputError([Finding(file=option, value=repr(value), value_is_id=True,
                                  code="input.option.not_a_date_value")]) from None


def hours(problem_dir: str | Path, start: dt.date | str | None = None, end: dt.date | str | None = None,
          served_only: bool = False) -> pd.DataFrame:
    """One row per assignment served from `start` to `end` (dates or ISO strings): name, id, activity, date,
    start, end, hours.

    `absent` never counts; with `served_only` only assignments marked `served` do. Hours are
    rounded per assignment as the folder's rules file says (`hours_round_to`, `hours_rounding`).
    """
    return ledger(problem_dir, start, end, served_only=served_only).detail


def generate(out_dir: str | Path, volunteers: int, seed: int = 0, week: str | None = None) -> Generated:
    """Write a synthetic problem folder (volunteers.csv, shifts.yaml, rules.yaml) of `volunteers` people.

    The same volunteers, seed and week give byte-identical files; `week` (default: next week) is
    the one whose blocked dates and one-off activities are generated. Raises RosterError when
    `out_dir` is not a new or empty folder.
    """
    return _generate(out_dir, volunteers, seed=seed, week=week)


def notices(problem: Problem, roster: Roster | str | Path, changes: list[Change] | str | Path | None = None,
            lang: str | None = None) -> Notices:
    """Each volunteer's WeChat message, the group announcement and the `.ics` calendars of a roster's week.

    With `changes` (a re-plan's, or the path of its changes.csv) only the people whose shifts
    changed are told, with what was cancelled and added. Write them with `write_notices`.
    """
    record = _roster_of(roster)
    if isinstance(changes, (str, Path)):
        changes = read_changes(changes)
    return build_notices(record, problem, lang or record.language, changes)


def week_notices(folder: str | Path, problem: Problem, changed: bool = False, lang: str | None = None) -> Notices:
    """`notices` for the week planned under `folder/rosters/<week>/`; `changed`: the last re-plan's changes."""
    return _week_notices(folder, problem, changed, lang)


def write_notices(found: Notices, out_dir: str | Path) -> list[Path]:
    """Write notices.txt, notices.csv, group.txt, week.ics and calendars/<id>.ics into `out_dir` atomically."""
    return _write_notices(found, out_dir)


def generate_city(out_dir: str | Path, communities: int, seed: int = 0, week: str | None = None,
                  sizes: tuple[int, int] = _city.CITY_SIZES) -> list[Generated]:
    """Write `communities` synthetic community folders of varied sizes (`sizes`: fewest and most volunteers).

    The same arguments give the same files. Raises RosterError when `out_dir` is not a new or empty folder.
    """
    return _city.generate_city(out_dir, communities, seed=seed, week=week, sizes=sizes)


def solve_all(parent: str | Path, week: str | None = None, *, engine: str = "local", parallel: int | None = None,
              ray_address: str | None = None, time_limit: float = 30.0, seed: int = 0, workers: int = 8,
              deterministic: bool = True, lang: str | None = None, history: bool = True, fresh: bool = False,
              wait: float = 600.0, stopper: Stopper | None = None,
              on_outcome: Callable[[Outcome, int, int], None] | None = None, processes: int | None = None) -> City:
    """Plan the week of every community folder under `parent`, each exactly as `plan_week`, and write
    `parent/summary-<week>.csv`.

    `engine="local"` runs `parallel` worker processes here (default: cores // workers);
    `engine="ray"` runs one Ray task per community (`ray_address="auto"` joins a running cluster;
    none starts Ray here). One community's bad input or crash is its outcome's status and message,
    never an exception. A `stopper` stopped from another thread ends every search: each running
    community writes its best roster, queued ones do not start. `City.outcomes` has one `Outcome`
    per community. Raises InputError for a bad week or a `parent` without communities.
    `processes` is each run's, as `plan_week`'s (the local engine's runs prepare their parts in process).
    """
    options = RunOptions(time_limit=time_limit, seed=seed, workers=workers, deterministic=deterministic, lang=lang,
                         history=history, fresh=fresh, wait=wait, processes=processes)
    return _city.solve_all(parent, week, options=options, engine=engine, parallel=parallel, ray_address=ray_address,
                           stopper=stopper, on_outcome=on_outcome)

