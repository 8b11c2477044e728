"""What the engine promises whatever its budget: locks and frozen days kept, every roster proven,
a stop honoured in every phase with a valid roster, marked interrupted.

Budgets of zero and 0.2 s leave the search no time at all, so these rosters are the warm start's;
the normal budget lets the search run. None of the assertions depends on how fast the machine is.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import signal

import pytest

import constraints
from constraints import freeze
from scheduler import api
from scheduler.analysis.supply import supply
from scheduler.domain import aside
from scheduler.domain.errors import InternalCheckError
from scheduler.domain.models import Problem
from scheduler.solving.parts import parts
from scheduler.solving.solver import PHASES, SolveOptions, Stopper, build, hint_completed, hint_with, make_roster, solve
from scheduler.solving.warm_start import greedy_fill
from tests.conftest import YANJI as SAMPLE

WEEK = "2026-W49"
BUDGETS = (0.0, 0.2, None)  # None: the normal budget, the time limit
NORMAL_SECONDS = 3.0


@pytest.fixture(scope="module")
def sample() -> Problem:
    return api.load(SAMPLE, week=WEEK)


@pytest.fixture(scope="module")
def thousand(tmp_path_factory) -> Problem:
    folder = tmp_path_factory.mktemp("gen") / "week"
    api.generate(folder, 1000, seed=0, week=WEEK)
    return api.load(folder, week=WEEK)


_PROMISES: dict[int, tuple] = {}


def promises(problem: Problem) -> tuple[api.Roster, dt.date, list[tuple[str, str]]]:
    """(Made once per problem.) An earlier roster to re-plan (not the one the warm start would make), a freeze date, and one
    lock per part of the week (compound) after that date, each on a pair the warm start would not choose,
    on days of their own."""
    if id(problem) in _PROMISES:
        return _PROMISES[id(problem)]
    context = constraints.build_context(problem)
    earlier = greedy_fill(problem, context, order="time")
    baseline = make_roster(problem, earlier, context, None)
    freeze_until = problem.week.monday + dt.timedelta(days=3)
    chosen, people, days = set(greedy_fill(problem, context)), set(), set()
    locks = []
    pieces = parts(problem, context)
    per_part = 1 if len(pieces) > 1 else 3  # one lock per compound; a few on a one-compound week
    for part in pieces:
        placed = 0
        for sid in part.shifts:
            shift = problem.shift[sid]
            if shift.date < freeze_until or shift.date in days:
                continue
            vid = next((v for v in reversed(context.eligible[sid]) if (v, sid) not in chosen and v not in people), None)
            if vid is not None:
                locks.append((vid, sid))
                people.add(vid)
                days.add(shift.date)
                placed += 1
                if placed == per_part:
                    break
    _PROMISES[id(problem)] = baseline, freeze_until, locks
    return baseline, freeze_until, locks


def assert_promises_kept(problem, roster, baseline, freeze_until, locks):
    pairs = set(roster.pairs())
    assert set(locks) <= pairs
    frozen = {s.id for s in problem.shifts if s.date < freeze_until}
    assert {p for p in pairs if p[1] in frozen} == {p for p in baseline.pairs() if p[1] in frozen}
    context = api.plan_context(problem, baseline=baseline, locks=locks, freeze_until=freeze_until)
    assert constraints.check(problem, roster.pairs(), context) == []


@pytest.mark.parametrize("size", ["sample", "thousand"])
@pytest.mark.parametrize("budget", BUDGETS, ids=["zero", "tiny", "normal"])
def test_locks_and_frozen_days_are_kept_whatever_the_budget(size, budget, request):
    problem = request.getfixturevalue(size)
    baseline, freeze_until, locks = promises(problem)
    assert len(locks) >= 2
    roster = api.solve(problem, time_limit=NORMAL_SECONDS, wall_seconds=budget, baseline=baseline, locks=locks,
                       freeze_until=freeze_until)
    assert_promises_kept(problem, roster, baseline, freeze_until, locks)
    if budget == 0.0:
        assert roster.solver.status == "FEASIBLE (greedy fill)"


def test_with_no_search_time_the_roster_is_the_warm_start_not_an_empty_week(thousand, monkeypatch):
    import scheduler.solving.solver as engine

    monkeypatch.setattr(engine, "WARM_START_MIN_SECONDS", 600.0)  # however busy the machine
    roster = api.solve(thousand, time_limit=NORMAL_SECONDS, wall_seconds=0)
    assert roster.status == "complete" and not roster.unfilled


def test_the_hint_agrees_with_the_locks_and_is_partial_in_the_deterministic_mode(thousand):
    _, _, locks = promises(thousand)
    context = api.plan_context(thousand, locks=locks)
    part = parts(thousand, context)[0]
    from scheduler.solving.parts import sub_context, sub_problem
    problem, sub = sub_problem(thousand, part), sub_context(context, part)
    assert sub.locks
    fill = greedy_fill(problem, sub)
    built = build(problem, sub)
    assert hint_completed(built.plan, fill, 30.0)
    hint = dict(zip(built.plan.model.proto.solution_hint.vars, built.plan.model.proto.solution_hint.values))
    assert len(hint) == len(built.plan.model.proto.variables)
    assert all(hint[built.plan.works(vid, sid).index] == 1 for vid, sid in sub.locks)
    # The deterministic mode's hint: the assignments and the penalties, never every variable (a
    # complete hint aborts OR-Tools 9.15's interleaved search when it is stopped at the wrong moment).
    assert hint_completed(built.plan, fill, 30.0, whole=False)
    hint = dict(zip(built.plan.model.proto.solution_hint.vars, built.plan.model.proto.solution_hint.values))
    assert len(built.plan.pairs()) < len(hint) < len(built.plan.model.proto.variables)
    assert {p.var.index for p in built.plan.penalties if p.goal != "fairness"} <= hint.keys()
    assert all(hint[built.plan.works(vid, sid).index] == 1 for vid, sid in sub.locks)
    hint_with(built.plan, fill)  # without time for the fixed solve: the assignments only
    hint = dict(zip(built.plan.model.proto.solution_hint.vars, built.plan.model.proto.solution_hint.values))
    assert len(hint) == len(built.plan.pairs())


def stop_when(phase: str, stopper: Stopper, seen: list[str]):
    def on_phase(code: str) -> None:
        seen.append(code)
        if code == phase:
            stopper.stop()
    return on_phase


@pytest.mark.parametrize("phase", [p for p in PHASES if p != "supply"])
def test_a_stop_in_any_phase_gives_a_valid_roster_marked_interrupted(sample, phase):
    baseline, freeze_until, locks = promises(sample)
    context = api.plan_context(sample, baseline=baseline, locks=locks, freeze_until=freeze_until)
    stopper, seen = Stopper(), []
    options = SolveOptions(time_limit=120, wall_seconds=600, stopper=stopper, on_phase=stop_when(phase, stopper, seen))
    roster = solve(sample, options, None if phase == "context" else context)
    assert phase in seen and roster.solver.interrupted and not roster.solver.deterministic
    assert constraints.check(sample, roster.pairs(), context if phase != "context" else None) == []
    if phase != "context":
        assert_promises_kept(sample, roster, baseline, freeze_until, locks)
    if PHASES.index(phase) < PHASES.index("search"):
        assert "search" not in seen and roster.solver.status == "FEASIBLE (greedy fill)"
    assert seen == [p for p in PHASES if p in seen]  # phases come in order, each announced once


def test_a_stop_during_the_warm_start_of_a_big_week_keeps_the_seats_filled_so_far(thousand, monkeypatch):
    import scheduler.solving.solver as engine

    monkeypatch.setattr(engine, "STOP_GRACE_SECONDS", 0.0)
    stopper, seen = Stopper(), []
    roster = solve(thousand, SolveOptions(time_limit=60, stopper=stopper, on_phase=stop_when("warm_start", stopper, seen)))
    assert roster.solver.interrupted and roster.unfilled
    assert all(not u.reasons for u in roster.unfilled)  # no time for reasons after the grace either
    assert constraints.check(thousand, roster.pairs()) == []


def test_a_stop_while_the_eligible_lists_are_made_ends_them_keeping_the_frozen_days(sample, monkeypatch):
    from constraints import eligibility

    monkeypatch.setattr(eligibility, "HALT_EVERY", 4)
    baseline, freeze_until, _ = promises(sample)
    whole = constraints.build_context(sample, baseline=baseline.pairs(), frozen_before=freeze_until)
    cut = constraints.build_context(sample, baseline=baseline.pairs(), frozen_before=freeze_until, halt=lambda: True)
    assert cut.cut_short and not whole.cut_short
    assert list(cut.eligible) == list(whole.eligible)  # every shift, in the week's order
    assert all(set(cut.eligible[sid]) <= set(people) for sid, people in whole.eligible.items())
    frozen = freeze.frozen_shifts(sample, whole)
    assert frozen and all(cut.eligible[sid] == whole.eligible[sid] for sid in frozen)
    assert sum(map(len, cut.eligible.values())) < sum(map(len, whole.eligible.values()))
    assert freeze.kept(sample, cut) == freeze.kept(sample, whole)  # the frozen days keep the earlier roster


def test_a_stop_in_the_eligible_lists_gives_a_valid_roster_without_reasons(sample, monkeypatch):
    from constraints import eligibility

    monkeypatch.setattr(eligibility, "HALT_EVERY", 4)
    stopper = Stopper()
    stopper.stop()
    baseline, freeze_until, locks = promises(sample)
    context = api.plan_context(sample, baseline=baseline, locks=locks, freeze_until=freeze_until, halt=stopper)
    assert context.cut_short
    roster = solve(sample, SolveOptions(time_limit=60, stopper=stopper), context)
    assert roster.solver.interrupted and roster.unfilled and roster.solver.status == "FEASIBLE (greedy fill)"
    assert all(not u.reason_codes for u in roster.unfilled)  # reasons from unfinished lists would be wrong
    assert set(roster.pairs()) == constraints.pinned_pairs(sample, context)  # the locks and the frozen days
    assert_promises_kept(sample, roster, baseline, freeze_until, locks)
    plain = solve(sample, SolveOptions(time_limit=60, stopper=stopper))  # the engine's own lists, stopped
    assert plain.solver.interrupted and not plain.assignments and constraints.check(sample, plain.pairs()) == []


def test_supply_figures_stop_when_asked_and_say_so(sample):
    context = constraints.build_context(sample)
    whole = supply(sample, context)
    asked = iter(range(10 ** 6))
    cut = supply(sample, context, halt=lambda: next(asked) >= 5)
    assert whole.complete and not cut.complete
    assert len(cut.per_shift) < len(whole.per_shift)
    assert cut.week == whole.week  # the rows made before the stop are the full figures


def _outsider(sample: Problem, context) -> tuple[str, str]:
    """Someone not eligible for the week's first shift, and that shift."""
    sid = sample.shifts[0].id
    return next(v.id for v in sample.volunteers if v.id not in context.eligible[sid]), sid


@pytest.mark.parametrize("aside_from", [10 ** 9, 0], ids=["checked here", "checked in a child"])
def test_a_roster_that_breaks_a_rule_is_an_internal_error_never_a_result(sample, monkeypatch, aside_from):
    import scheduler.solving.solver as engine

    if aside_from == 0 and not aside.available():
        pytest.skip("processes cannot be forked here")
    monkeypatch.setattr(engine, "CHECK_ASIDE_FROM", aside_from)  # 0: the sample's roster checked as a big one is
    context = constraints.build_context(sample)
    outsider, sid = _outsider(sample, context)
    monkeypatch.setattr(engine, "greedy_fill", lambda problem, ctx, halt: [(outsider, sid)])
    with pytest.raises(InternalCheckError) as raised:
        solve(sample, SolveOptions(wall_seconds=0), context)
    assert [(v.rule, v.volunteer, v.shift) for v in raised.value.violations] == [("eligibility", outsider, sid)]


@pytest.mark.skipif(not aside.available(), reason="processes cannot be forked here")
def test_a_final_check_whose_child_dies_is_done_in_process(sample, monkeypatch):
    import scheduler.solving.solver as engine

    monkeypatch.setattr(engine, "CHECK_ASIDE_FROM", 0)
    parent, checks = os.getpid(), constraints.check

    def dies_in_the_child(*args, **kwargs):
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return checks(*args, **kwargs)

    monkeypatch.setattr(engine.constraints, "check", dies_in_the_child)
    context = constraints.build_context(sample)
    outsider, sid = _outsider(sample, context)
    view = constraints.RosterView(sample, [(outsider, sid)], context)
    with engine._final_check(sample, view, context) as violations:
        found = violations()
    assert [(v.rule, v.volunteer, v.shift) for v in found] == [("eligibility", outsider, sid)]
    assert not multiprocessing.active_children()


def test_every_hard_rule_declares_what_its_check_looks_at():
    assert all(rule.SCOPE in constraints.SCOPES for rule in constraints.HARD_RULES)
    names = {scope: {rule.NAME for rule in constraints.hard_rules(scope)} for scope in constraints.SCOPES}
    assert names["shift"] == {"max_headcount"} and names["plan"] == {"locks", "freeze"}
    assert {"no_overlap", "min_rest_hours", "max_shifts_per_week"} <= names["volunteer"]
    with pytest.raises(ValueError):
        constraints.hard_rules("week")


def test_the_pinned_pairs_are_the_locks_and_the_frozen_earlier_roster(sample):
    baseline, freeze_until, locks = promises(sample)
    context = api.plan_context(sample, baseline=baseline, locks=locks, freeze_until=freeze_until)
    assert constraints.pinned_pairs(sample, context) == frozenset(locks) | freeze.kept(sample, context)


def test_sealing_a_stopper_is_remembered():
    stopper = Stopper()
    assert not stopper.sealed and not stopper.requested and not stopper()
    stopper.stop()
    stopper.seal()
    assert stopper.sealed and stopper.requested and stopper()


def test_a_search_cut_short_never_ends_worse_than_its_warm_start(sample, monkeypatch):
    """A search stopped on its first solution, found without the warm start's guidance, is worse than
    the warm start: the part keeps the warm start, so more time never costs filled seats."""
    import scheduler.solving.solver as engine

    def first_solution_only(options, seconds=None, work=None):
        solver = engine.cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.stop_after_first_solution = True
        return solver

    monkeypatch.setattr(engine, "WARM_START_MIN_SECONDS", 600.0)  # the warm start always completes
    monkeypatch.setattr(engine, "hint_with", lambda plan, pairs: None)
    monkeypatch.setattr(engine, "solver_for", first_solution_only)
    warm = api.solve(sample, time_limit=NORMAL_SECONDS, wall_seconds=0)  # no search: the warm start itself
    searched = api.solve(sample, time_limit=NORMAL_SECONDS)
    assert searched.seats_missing <= warm.seats_missing
    assert sum(searched.objective.values()) <= sum(warm.objective.values())
