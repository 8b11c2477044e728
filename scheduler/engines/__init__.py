"""Engines: where single planning runs (one community, one week, `plan_week`) are carried out.

A run is `run_one(folder, week, options)`: exactly `roster solve FOLDER`, with every error caught
and turned into an `Outcome`, so that one community's bad input or crash never reaches another.
An engine decides where runs happen:

- `LocalEngine` (`scheduler.engines.local`): worker processes on this machine (spawned, never
  forked: CP-SAT is threaded), N runs at a time;
- `RayEngine` (`scheduler.engines.ray_cluster`): one Ray task per run on a Ray cluster, each
  asking for as many CPUs as its solver workers (optional extra `volunteer-roster[ray]`).

Both have one interface, meant for `roster solve-all` and for a service that submits runs one by
one::

    with open_engine("local", parallel=2) as engine:
        handle = engine.submit("communities/yanji7", "2026-W49", RunOptions(time_limit=30))
        handle.stop()              # optional: the run writes its best roster so far
        outcome = handle.result()  # an Outcome, never an exception

In the deterministic mode (the default) a run's roster depends only on its inputs and options,
never on the engine, the number of processes or what else runs: each run has its own search
budget (`time_limit` in deterministic seconds) from the moment it starts.
"""

from __future__ import annotations

import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from scheduler.domain.errors import LONG_NUMBER, Finding, InputError, RosterError, RosterLockedError
from scheduler.domain.roster import Unfilled
from scheduler.solving.solver import Progress, Stopper

PLANNED = ("complete", "partial")
"""Statuses of an outcome that has a roster; the others (see `Outcome.status`) have none."""


@dataclass(frozen=True)
class RunOptions:
    """How one community's week is planned: the options of `roster solve`, the same for every run.

    `time_limit=None` takes the rules file's `time_limit`; `freeze_until` (a date, `YYYY-MM-DD`)
    keeps the days before it as the week's earlier roster has them.
    """

    time_limit: float | None = 30.0
    seed: int = 0
    workers: int = 8
    deterministic: bool = True
    lang: str | None = None
    history: bool = True
    fresh: bool = False
    wait: float = 600.0
    freeze_until: str | None = None
    processes: int | None = None  # per run, for its parts' warm starts (default: the cores of the machine it runs on)


@dataclass(frozen=True)
class Outcome:
    """What became of one run, fit to pickle across processes and machines.

    `status`: `complete` or `partial` (a roster was written); `invalid` (the inputs cannot be
    used: `findings` says why), `busy` (another run held the folder), `error` (the library
    refused, e.g. a roster file it cannot read), `crashed` (an internal error or a worker that
    died), `skipped` (stopped before it started). `message` is the first finding or the error,
    masked like every message (long digit runs show their last 4 digits only). `cpu_seconds` is
    the CPU time of the run's process while it ran (the cost of a community, for planning a
    cluster); `reproducible` is False when the wall-clock safety net or a stop ended the search.
    `progress` is the written roster's final figures and `shortfalls` its short shifts (what a
    service shows of a run). `reason` names a failure the engine itself found, for a caller that
    words it in the community's language: `no_folder` (the machine that ran it cannot see the
    community's folder) or `task_failed` (the task or its machine died).
    """

    folder: str
    week: str
    status: str
    seats_filled: int = 0
    seats_needed: int = 0
    missing: int = 0
    unfilled: int = 0
    left_out: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    reproducible: bool = True
    interrupted: bool = False
    language: str | None = None
    message: str = ""
    findings: tuple[Finding, ...] = ()
    written: tuple[str, ...] = field(default=())
    progress: Progress | None = None
    shortfalls: tuple[Unfilled, ...] = ()
    reason: str = ""

    @property
    def planned(self) -> bool:
        return self.status in PLANNED


def masked(text: str) -> str:
    """`text` with every long digit run (a phone or ID-card number) cut to its last 4 digits."""
    return LONG_NUMBER.sub(lambda number: "*" * (len(number[0]) - 4) + number[0][-4:], text)


def failure_text(exc: Exception) -> str:
    """The last line of an error (its cause, without a traceback), masked and cut short."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    text = masked(lines[-1] if lines else type(exc).__name__)
    return text if len(text) <= 200 else text[:199] + "…"


def run_one(folder: str | Path, week: str, options: RunOptions, stopper: Stopper | None = None,
            on_progress: Callable[[Progress], None] | None = None) -> Outcome:
    """Plan one community's week as `roster solve FOLDER` does; every failure becomes an Outcome."""
    from scheduler.planning import plan_week  # the library's workflow, as `roster solve` runs it

    started, cpu = time.monotonic(), time.process_time()
    failed = Outcome(folder=str(folder), week=week, status="crashed")
    if stopper is not None and stopper.requested:
        return replace(failed, status="skipped")
    try:
        plan = plan_week(folder, week, time_limit=options.time_limit, seed=options.seed, workers=options.workers,
                         deterministic=options.deterministic, lang=options.lang, history=options.history,
                         fresh=options.fresh, wait=options.wait, freeze_until=options.freeze_until, processes=options.processes,
                         stopper=stopper, on_progress=on_progress)
    except InputError as exc:
        first = str(exc.findings[0]) if exc.findings else str(exc)
        more = f" (+{len(exc.findings) - 1})" if len(exc.findings) > 1 else ""
        failed = replace(failed, status="invalid", message=masked(first) + more, findings=tuple(exc.findings))
    except RosterLockedError as exc:
        failed = replace(failed, status="busy", message=masked(str(exc)))
    except RosterError as exc:
        failed = replace(failed, status="error", message=masked(str(exc)))
    except Exception as exc:  # noqa: BLE001 - one community's crash must not stop the others
        failed = replace(failed, message=masked(f"internal error: {type(exc).__name__}: {exc}"))
    else:
        return replace(outcome_of(plan, str(folder), week, time.monotonic() - started),
                       cpu_seconds=round(time.process_time() - cpu, 2))
    return replace(failed, seconds=round(time.monotonic() - started, 2), cpu_seconds=round(time.process_time() - cpu, 2))


def outcome_of(plan, folder: str, week: str, seconds: float) -> Outcome:
    """The row of a planned week: seats, what is missing, who was left out."""
    roster, solver = plan.roster, plan.roster.solver
    final = Progress(elapsed=round(solver.wall_seconds, 2) if solver else 0.0, shortfall=roster.seats_missing,
                     objective=(solver.objective or 0) if solver else 0,
                     bound=(solver.best_bound or 0) if solver else 0)
    return Outcome(
        folder=folder, week=week, status=roster.status, seats_needed=plan.seats_needed,
        seats_filled=plan.seats_filled, missing=roster.seats_missing,
        unfilled=len(roster.unfilled),
        left_out=sum(1 for load in roster.volunteers if load.offered > 0 and load.shifts == 0),
        seconds=round(seconds, 2), interrupted=bool(roster.solver and roster.solver.interrupted),
        reproducible=bool(roster.solver and roster.solver.deterministic),
        language=roster.language, written=tuple(str(path) for path in plan.written),
        progress=final, shortfalls=tuple(roster.unfilled),
    )


class Handle(ABC):
    """One submitted run: wait for it, ask whether it is done, stop it."""

    sealed = False
    """True once the run's files are being written, where the engine can tell (a stop then changes nothing)."""

    def __init__(self, folder: str | Path, week: str):
        self.folder, self.week = str(folder), week

    @abstractmethod
    def done(self) -> bool:
        """True once `result()` would answer at once."""

    @abstractmethod
    def result(self, timeout: float | None = None) -> Outcome:
        """The outcome, waiting for it; raises TimeoutError after `timeout` seconds."""

    @abstractmethod
    def stop(self) -> None:
        """Stop the run: a running search ends and writes its best roster; a queued run never starts."""

    def abort(self) -> None:
        """End the run at once where the engine can (nothing is written then); elsewhere the same as `stop`."""
        self.stop()


class Engine(ABC):
    """Carries out runs. Use it as a context manager: leaving it ends its worker processes or tasks."""

    name = ""

    @abstractmethod
    def submit(self, folder: str | Path, week: str, options: RunOptions,
               on_progress: Callable[[Progress], None] | None = None) -> Handle:
        """Queue one run and return at once. `on_progress` (where the engine supports it) is called in another thread."""

    def stop(self) -> None:
        """Stop every run submitted so far (see `Handle.stop`)."""
        for handle in list(self._handles()):
            handle.stop()

    def wait(self, handles: Sequence[Handle], timeout: float) -> list[Handle]:
        """The handles among `handles` that are done, waiting up to `timeout` seconds for at least one."""
        deadline = time.monotonic() + timeout
        while True:
            done = [handle for handle in handles if handle.done()]
            if done or time.monotonic() >= deadline:
                return done
            time.sleep(min(0.05, max(0.0, deadline - time.monotonic())))

    @abstractmethod
    def _handles(self) -> Sequence[Handle]:
        """Every handle not yet finished."""

    @abstractmethod
    def close(self) -> None:
        """Stop the workers; runs still going are stopped first and given a moment to write."""

    def abort(self) -> None:
        """End every run at once (a second Ctrl-C); a run already writing its files still finishes them."""
        self.close()

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, kind, value, trace) -> None:
        if kind is not None and issubclass(kind, KeyboardInterrupt):
            self.abort()
        else:
            self.close()


ENGINES = ("local", "ray")


def open_engine(name: str = "local", *, parallel: int | None = None, workers: int = 8,
                ray_address: str | None = None) -> Engine:
    """The engine called `name`: `local` (`parallel` processes) or `ray` (`ray_address`, or a local Ray)."""
    if name == "local":
        from scheduler.engines.local import LocalEngine

        return LocalEngine(parallel=parallel, workers=workers)
    if name == "ray":
        from scheduler.engines.ray_cluster import RayEngine

        return RayEngine(address=ray_address)
    raise RosterError(f"unknown engine {name!r}. Fix: use one of {', '.join(ENGINES)}")


RESTOP_SECONDS = 0.25


def stop_until_done(stopper: Stopper, done: threading.Event) -> None:
    """Stop a run, and again every moment until it ends.

    CP-SAT drops a stop that reaches a solver before its search has begun (a stop during model
    building can land there), so one stop is not always enough; a repeated one always lands.
    """
    stopper.stop()
    while not done.wait(RESTOP_SECONDS):
        stopper.stop()


class Finished:
    """A result that is known: set once, read from any thread."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self._outcome: Outcome | None = None

    def set(self, outcome: Outcome) -> bool:
        if self._event.is_set():
            return False
        self._outcome = outcome
        self._event.set()
        return True

    def is_set(self) -> bool:
        return self._event.is_set()

    def get(self, timeout: float | None) -> Outcome:
        if not self._event.wait(timeout):
            raise TimeoutError("the run has not finished yet")
        assert self._outcome is not None
        return self._outcome
