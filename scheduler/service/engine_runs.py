"""Runs carried out by an engine of `scheduler.engines` (`roster serve --engine ray`): one task per run.

Each queued run is submitted to the engine as `roster solve-all` submits a community: the task
runs `plan_week` on the community's folder, which it reads and writes where it runs, so every
machine of a cluster must see the service's data folder at the same path (a shared disk). What
the task reports comes back to the run record: its progress (as often as the engine passes it
on: about every half second with Ray), then its outcome, turned into the run's end exactly as
the service's own worker words it. `DELETE /runs/{id}` stops the task's search, which writes its
best roster; a task that ignores the stop is cancelled after the queue's grace, unless it is
writing. A lost task or cluster fails its run with a message in the community's language, and
the queue goes on.
"""

from __future__ import annotations

import contextlib
import signal
import threading
import time
from pathlib import Path

from scheduler.engines import Engine, Handle, Outcome, RunOptions, failure_text, open_engine
from scheduler.loading import rules_language
from scheduler.render.texts import t
from scheduler.service.files import relative
from scheduler.service.runs import Backend, Job, Workers
from scheduler.service.schemas import findings
from scheduler.service.worker import figures, unfilled_rows
from scheduler.solving.solver import Progress

WORKERS = 8
"""Solver workers of a run, as the service's own worker plans it (`plan_week`'s default)."""
ASK_SECONDS = 1.0
"""How often, while runs are out, the engine is asked whether its cluster is lost."""
LOST_SECONDS = 5.0
"""How long a cluster may not answer before its runs fail."""


def community_language(folder: str | Path, lang: str | None = None) -> str:
    """`lang`, else the language of the community's rules file (the rules' default without one)."""
    return lang or rules_language(folder)  # a rules file that cannot be read still gives its language line


def run_options(options: dict) -> RunOptions:
    """The engine's options of a run from the options the API took (`POST …/runs`)."""
    return RunOptions(time_limit=options.get("time_limit"), seed=options.get("seed", 0), workers=WORKERS,
                      fresh=options.get("fresh", False), freeze_until=options.get("freeze_until"),
                      lang=options.get("lang"))


def end_of(outcome: Outcome, folder: str, lang: str, stopped: bool) -> dict:
    """The run's end (`status`, `result`, `error`) from the engine's outcome, as the service's worker words it."""
    if outcome.planned:
        result = {"status": outcome.status, "seats_filled": outcome.seats_filled, "seats_needed": outcome.seats_needed,
                  "unfilled": unfilled_rows(outcome.shortfalls), "interrupted": outcome.interrupted}
        return {"status": "stopped" if outcome.interrupted else "completed", "result": result, "error": None}
    if outcome.status == "invalid":
        found = [relative(finding, Path(folder)) for finding in outcome.findings]
        return {"status": "failed", "result": None, "error": [f.model_dump() for f in findings(found, lang)]}
    if stopped or outcome.status == "skipped":
        return {"status": "stopped", "result": None, "error": None}
    if outcome.reason:
        error = t(lang, f"serve.engine.{outcome.reason}", reason=outcome.message)
    else:
        error = outcome.message.replace(outcome.folder, ".").replace(folder, ".")
    return {"status": "failed", "result": None, "error": error}


def failed(error: str) -> dict:
    return {"status": "failed", "result": None, "error": error}


class EngineJob(Job):
    """One run submitted to an engine, followed through its handle without ever blocking the queue."""

    def __init__(self, folder: str, lang: str):
        self.folder, self.lang = folder, lang
        self.handle: Handle | None = None
        self.stopped = self.killed = False

    @property
    def sealed(self) -> bool:  # type: ignore[override]  # the handle knows; a process job is told
        return bool(self.handle is not None and self.handle.sealed)

    def on_progress(self, progress: Progress) -> None:
        """Called by the engine's thread: the latest figures, taken in by the dispatcher's next step."""
        self.progress = figures(progress)

    def read(self) -> None:
        if self.end is not None or self.handle is None or self.killed:
            return
        try:
            if not self.handle.done():
                return
            outcome = self.handle.result(timeout=5)
        except TimeoutError:
            return
        except Exception as exc:  # noqa: BLE001 - the cluster went away: this run fails, the queue goes on
            self.end = failed(t(self.lang, "serve.engine.unreachable", reason=failure_text(exc)))
            return
        if outcome.progress is not None and outcome.planned:
            self.progress = figures(outcome.progress)
        self.end = end_of(outcome, self.folder, self.lang, self.stopped)

    def gone(self) -> bool:
        return self.end is not None or self.killed

    def stop(self) -> None:
        self.stopped = True
        if self.handle is not None:
            with contextlib.suppress(Exception):  # a lost cluster: reading the run says so
                self.handle.stop()

    def kill(self) -> None:
        self.killed = True
        if self.handle is not None:
            with contextlib.suppress(Exception):  # a lost cluster has nothing left to end
                self.handle.abort()

    def settle(self) -> str:
        return t(self.lang, "serve.engine.task_failed", reason="cancelled")


class EngineRuns(Backend):
    """Runs submitted one by one to an open engine; the service closes the engine when it stops.

    An engine that can tell whether its cluster is `lost()` (Ray: its head does not answer) is
    asked every moment while runs are out: after LOST_SECONDS without an answer they fail, and
    new runs fail at once, rather than waiting on a cluster that plans nothing.
    """

    def __init__(self, engine: Engine):
        self.engine = engine
        self.name = engine.name
        self.out: list[EngineJob] = []
        self.asked = 0.0
        self.silent_since: float | None = None
        self.abandoned = False

    def launch(self, folder: str, week: str, options: dict) -> EngineJob:
        job = EngineJob(folder, community_language(folder, options.get("lang")))
        lost = self._lost()
        try:
            if lost:
                raise ConnectionError(lost)
            job.handle = self.engine.submit(folder, week, run_options(options), on_progress=job.on_progress)
        except Exception as exc:  # noqa: BLE001 - a lost cluster fails this run, not the queue
            job.end = failed(t(job.lang, "serve.engine.unreachable", reason=failure_text(exc)))
        else:
            self.out.append(job)
        return job

    def tick(self) -> None:
        self.out = [job for job in self.out if job.end is None and not job.killed]
        if not self.out or time.monotonic() - self.asked < ASK_SECONDS:
            return
        self.asked = time.monotonic()
        lost = self._lost()
        if not lost:
            self.silent_since = None
            return
        self.silent_since = self.silent_since or time.monotonic()
        if time.monotonic() - self.silent_since >= LOST_SECONDS:
            for job in self.out:
                job.end = failed(t(job.lang, "serve.engine.unreachable", reason=lost))
            self.abandoned = True  # their tasks are not waited for when the service stops

    def _lost(self) -> str:
        asking = getattr(self.engine, "lost", None)
        return asking() if asking is not None else ""

    def default_jobs(self) -> int:
        capacity = getattr(self.engine, "runs_at_once", None)
        return capacity(WORKERS) if capacity is not None else 1

    def close(self, leftovers: list[Job]) -> None:
        for job in leftovers:
            job.kill()
        if leftovers or self.abandoned:
            self.engine.abort()
        else:
            self.engine.close()


def open_backend(engine: str | Engine = "local", ray_address: str | None = None) -> Backend:
    """`local`: the service's own worker processes; `ray` (joining `ray_address`, or Ray started here) or an
    open Engine: runs submitted to it. Raises RosterError when the engine cannot be opened."""
    if isinstance(engine, Engine):
        return EngineRuns(engine)
    if engine == "local":
        return Workers()
    return EngineRuns(_keeping_signals(lambda: open_engine(engine, workers=WORKERS, ray_address=ray_address)))


def _keeping_signals(opening):
    """Ray sets its own SIGTERM handler when it starts; the server's (a clean stop) must stay."""
    if threading.current_thread() is not threading.main_thread():
        return opening()
    kept = signal.getsignal(signal.SIGTERM)
    try:
        return opening()
    finally:
        signal.signal(signal.SIGTERM, kept)
