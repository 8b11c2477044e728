"""The worker process: plans one week with `scheduler.plan_week`, exactly what `roster solve` does.

It runs in its own process (spawned, never forked: CP-SAT is threaded) and talks to the server
through two pipes: reports go up (`progress`, `sealed`, one `end`), commands come down (`stop`).
When the command pipe closes the server is gone: a worker that is not yet writing leaves at once,
so no orphan holds a folder lock; one that is writing finishes the files first, so no roster is
left half-written.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import scheduler.api as api
from scheduler.domain.errors import InputError, RosterError
from scheduler.service.files import relative
from scheduler.service.schemas import findings
from scheduler.solving.solver import Progress, Stopper

PROGRESS_EVERY = 0.25  # seconds between progress reports


def main(reports, commands, job: tuple[str, str, dict] | None = None) -> None:
    """The process's entry point: plan `job` (folder, week, options), report the end, leave.

    Without a job the worker is a spare: with the library imported (seconds on a busy machine) it
    says `ready` and waits for its job on the command pipe, so that a run does not wait for imports.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C on the server's terminal: the server stops us
    channel = Channel(reports)
    if job is None:
        channel.send({"type": "ready"})
        try:
            job = commands.recv()
        except (EOFError, OSError):  # the server ended while we waited
            os._exit(0)
    folder, week, options = job
    stopper = WorkerStopper(channel)
    threading.Thread(target=_listen, args=(commands, stopper), daemon=True).start()
    channel.send({"type": "started", "pid": os.getpid()})
    try:
        plan = api.plan_week(folder, week, time_limit=options.get("time_limit"), seed=options.get("seed", 0),
                             fresh=options.get("fresh", False), freeze_until=options.get("freeze_until"),
                             lang=options.get("lang"), stopper=stopper, on_progress=ProgressReporter(channel))
        channel.send(final_progress(plan.roster))
        end = {"status": "stopped" if plan.roster.solver and plan.roster.solver.interrupted else "completed",
               "result": result_of(plan), "error": None}
    except Exception as exc:  # noqa: BLE001 - every failure becomes the run's error, said plainly
        end = failure(exc, folder, stopped=stopper.requested)
    channel.send({"type": "end", **end})
    if stopper.orphaned:
        os._exit(1)


class Channel:
    """The report pipe, shared by the main thread and the solver's progress callbacks."""

    def __init__(self, connection):
        self.connection, self.lock = connection, threading.Lock()

    def send(self, message: dict) -> None:
        with self.lock:
            try:
                self.connection.send(message)
            except OSError:  # the server is gone; the command pipe says so too
                pass


class ProgressReporter:
    """`on_progress`: the best roster so far, at most every PROGRESS_EVERY seconds."""

    def __init__(self, channel: Channel):
        self.channel, self.last = channel, 0.0

    def __call__(self, progress) -> None:
        if time.monotonic() - self.last < PROGRESS_EVERY:
            return
        self.last = time.monotonic()
        self.channel.send({"type": "progress", **figures(progress)})


def figures(progress: Progress) -> dict:
    """A run record's progress: the search's latest figures."""
    return {"elapsed": round(progress.elapsed, 2), "missing": progress.shortfall, "objective": progress.objective,
            "bound": progress.bound}


_seal_lock = threading.Lock()


class WorkerStopper(Stopper):
    """The library's Stopper, telling the server when writing begins and never writing as an orphan."""

    def __init__(self, channel: Channel):
        super().__init__()
        self.channel, self.orphaned, self.writing = channel, False, False

    def seal(self) -> None:
        with _seal_lock:
            if self.orphaned:
                os._exit(1)  # the server is gone and nothing is written yet: write nothing
            super().seal()
            self.writing = True
        self.channel.send({"type": "sealed"})


def _listen(commands, stopper) -> None:
    """Commands from the server; the pipe's end means the server died."""
    while True:
        try:
            message = commands.recv()
        except (EOFError, OSError):
            with _seal_lock:
                stopper.orphaned = True
                if not stopper.writing:
                    os._exit(1)
            stopper.stop()
            return
        if message == "stop":
            stopper.stop()


def final_progress(roster) -> dict:
    """The finished roster's figures as the last progress report (a short run may have had no other)."""
    solver = roster.solver
    return {"type": "progress", "elapsed": round(solver.wall_seconds, 2) if solver else 0.0,
            "missing": roster.seats_missing, "objective": (solver.objective or 0) if solver else 0,
            "bound": (solver.best_bound or 0) if solver else 0}


def result_of(plan) -> dict:
    roster = plan.roster
    return {"status": roster.status, "seats_filled": plan.seats_filled, "seats_needed": plan.seats_needed,
            "unfilled": unfilled_rows(roster.unfilled), "interrupted": bool(roster.solver and roster.solver.interrupted)}


def unfilled_rows(unfilled) -> list[dict]:
    """A run result's short shifts: what each one needs, has and misses."""
    return [{"shift": u.shift, "name": u.name, "date": u.date, "need": u.need, "assigned": u.assigned,
             "missing": u.missing} for u in unfilled]


def failure(exc: Exception, folder: str, stopped: bool) -> dict:
    """The run's end after an exception: findings for bad inputs, the library's words for its errors."""
    status = "stopped" if stopped else "failed"
    if isinstance(exc, InputError):
        found = [relative(f, Path(folder)) for f in exc.findings]
        lang = api.rules_language(folder)
        return {"status": "failed", "result": None, "error": [f.model_dump() for f in findings(found, lang)]}
    if isinstance(exc, RosterError):
        return {"status": status, "result": None, "error": None if stopped else str(exc).replace(folder, ".")}
    return {"status": status, "result": None,
            "error": None if stopped else f"internal error in the solve ({type(exc).__name__}); please report it"}
