"""The parts' warm starts in worker processes: the same roster whatever their number, a stop that
reaches them, and a worker that dies costing nothing but its own part's time.

The generated 1,000-volunteer week (4 parts) is below the size where the pool pays, so the tests
lower the threshold (`PARALLEL_MIN_PAIRS`) to send it to the pool. The search gets a small amount
of deterministic work and a generous wall clock: polishing is never cut, the search never by the clock.
"""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import threading

import pytest

import constraints
import scheduler.solving.processes as pool
from scheduler import api
from scheduler.domain.models import Problem
from scheduler.solving.solver import SolveOptions, Stopper, solve
from tests.conftest import REPOSITORY, run_cli
from tests.test_engine_guarantees import assert_promises_kept, promises

WEEK = "2026-W49"


@pytest.fixture(scope="module")
def thousand(tmp_path_factory) -> Problem:
    folder = tmp_path_factory.mktemp("gen") / "week"
    api.generate(folder, 1000, week=WEEK)
    return api.load(folder, week=WEEK)


@pytest.fixture(scope="module")
def context(thousand):
    return constraints.build_context(thousand)


@pytest.fixture(scope="module")
def alone(thousand, context):
    """The week solved in process: the roster every number of processes must give."""
    return solve(thousand, SolveOptions(time_limit=1, wall_seconds=120, processes=1), context)


@pytest.fixture
def any_size(monkeypatch):
    monkeypatch.setattr(pool, "PARALLEL_MIN_PAIRS", 0)


def test_two_processes_give_the_same_roster_as_one(thousand, context, alone, any_size):
    together = solve(thousand, SolveOptions(time_limit=1, wall_seconds=120, processes=2), context)
    assert alone.solver.settings["processes"] == 1 and together.solver.settings["processes"] == 2
    assert together.pairs() == alone.pairs()
    assert together.objective == alone.objective
    assert together.solver.deterministic and alone.solver.deterministic


def test_a_part_whose_worker_died_is_prepared_in_process(thousand, context, alone, any_size, monkeypatch):
    lost, run = [], pool.Pool.run

    def losing_one(self, work, tasks, on_result=lambda i: None):
        answers = run(self, work, tasks, on_result)
        lost.append(answers.pop(1))
        return answers

    monkeypatch.setattr(pool.Pool, "run", losing_one)
    roster = solve(thousand, SolveOptions(time_limit=1, wall_seconds=120, processes=2), context)
    assert len(lost) == 2 and roster.pairs() == alone.pairs()  # lost once in each round


def dies_on_the_second(task: int, stop) -> int:
    if task == 1:
        os._exit(3)
    return task * 10


def fails_on_the_second(task: int, stop) -> int:
    if task == 1:
        raise RuntimeError("a part that fails")
    return task * 10


@pytest.mark.parametrize("work", [dies_on_the_second, fails_on_the_second], ids=["dies", "raises"])
def test_the_pool_answers_every_part_but_the_one_whose_worker_failed(work):
    with pool.Pool(2, None, 0.5, __name__) as workers:
        assert workers.run(work, [0, 1, 2, 3]) == {0: 0, 2: 20, 3: 30}
        assert workers.run(work, [2, 3]) == {0: 20, 1: 30}  # the next round goes on with the workers left
    assert not multiprocessing.active_children()


def test_a_stop_during_polishing_in_the_workers_gives_a_valid_roster(thousand, any_size):
    baseline, freeze_until, locks = promises(thousand)
    context = api.plan_context(thousand, baseline=baseline, locks=locks, freeze_until=freeze_until)
    stopper, seen = Stopper(), []

    def on_phase(code: str) -> None:
        seen.append(code)
        if code == "polish":
            threading.Timer(0.05, stopper.stop).start()

    roster = solve(thousand, SolveOptions(time_limit=60, wall_seconds=600, stopper=stopper, on_phase=on_phase,
                                          processes=2), context)
    assert roster.solver.settings["processes"] == 2
    assert roster.solver.interrupted and not roster.solver.deterministic
    assert "search" not in seen and roster.solver.status == "FEASIBLE (greedy fill)"
    assert_promises_kept(thousand, roster, baseline, freeze_until, locks)
    assert not multiprocessing.active_children()  # the pool lives no longer than the solve


def test_the_pool_is_for_big_weeks_of_several_parts_outside_daemons(monkeypatch):
    big = pool.PARALLEL_MIN_PAIRS
    assert pool.usable(2, 4, big) == 2 and pool.usable(8, 3, big) == 3
    assert pool.usable(1, 4, big) == pool.usable(2, 1, big) == pool.usable(2, 4, big - 1) == 1
    monkeypatch.setattr(multiprocessing.current_process(), "daemon", True, raising=False)
    assert pool.usable(2, 4, big) == 1


def test_the_default_is_a_process_per_core():
    assert SolveOptions().processes == (os.cpu_count() or 1)


def test_roster_solve_takes_processes_and_records_those_it_used(tutorial_copy):
    result = run_cli("solve", tutorial_copy, "--week", WEEK, "--quiet", "--time-limit", "3", "--processes", "2")
    assert result.exit_code == 0, result.output
    roster = api.read_roster(tutorial_copy / "rosters" / WEEK / "roster.json")
    assert roster.solver.settings["processes"] == 1  # a small week of one part: in process
    refused = run_cli("solve", tutorial_copy, "--week", WEEK, "--quiet", "--processes", "0")
    assert refused.exit_code == 2 and "--processes" in refused.output


def _plan_script(tmp_path, first_lines: str) -> list[str]:
    """What a script without a main guard prints that starts a pool of 2 (after `first_lines`): the answers
    sorted, since the two workers answer in either order."""
    script = tmp_path / "plan.py"
    script.write_text(first_lines + "print('planned')\n"
                      "with Pool(2, None, 0.5, 'operator') as workers:\n"
                      "    print(sorted(workers.run(operator.is_not, [1, 2]).items()))\n", encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120,
                          env=dict(os.environ, PYTHONPATH=str(REPOSITORY)))
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_a_script_without_a_main_guard_is_not_run_again_by_the_workers(tmp_path):
    assert _plan_script(tmp_path, "import operator\nfrom scheduler.solving.processes import Pool\n") == [
        "planned", "[(0,", "True),", "(1,", "True)]"]


def test_a_fork_server_started_early_does_not_run_the_script_again_and_serves_the_pool(tmp_path):
    assert _plan_script(tmp_path, "import operator\nfrom scheduler.solving.processes import Pool, start_early\n"
                                  "start_early('operator')\nstart_early('operator')\n") == [
        "planned", "[(0,", "True),", "(1,", "True)]"]
