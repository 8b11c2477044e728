"""The run queue: runs wait in the database, at most `jobs` solve at once, each in its own process or task.

One thread of the server (the dispatcher) starts queued runs in their order, reads what each
running one reports into the run records, and ends runs: a run that ends without its report is
marked failed with the reason; a stopped run that has not finished within STOP_SECONDS is ended
by force (nothing is written unless it is already writing). The queue survives a restart; a run
that was running when the server died is marked failed ("server restarted").

Where runs are carried out is the backend's business. The embedded one (`--engine local`, the
default) is `Workers`: the service's own worker processes on this machine, with one spare
waiting with the library imported, so a run does not wait seconds for imports on a busy machine.
Any engine of `scheduler.engines` (`--engine ray`) is `scheduler.service.engine_runs.EngineRuns`.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import cast

from sqlalchemy import CursorResult, select, update

from scheduler.service import worker
from scheduler.service.db import Database, Run, now
from scheduler.service.files import community_dir

log = logging.getLogger("roster.service")
FINISHED = ("completed", "stopped", "failed")
SPARE_RETRY_SECONDS = 5.0
STOP_SECONDS = 4.0  # a stopped run is ended by force after this (the contract: stopped within 5 s)
PROGRESS_WRITE_SECONDS = 0.5
SHUTDOWN_SECONDS = 8.0


class Job(ABC):
    """One run being carried out, as the dispatcher sees it: what it reported, its end, how to stop or end it.

    `progress` is its latest figures (`elapsed`, `missing`, `objective`, `bound`), `sealed` whether
    it is writing its files, `end` its final report (`status`, `result`, `error`) once it has one.
    """

    progress: dict | None = None
    sealed: bool = False
    end: dict | None = None

    def waitables(self) -> list:
        """Connections or sentinels the dispatcher may wait on for news (none: it looks every moment)."""
        return []

    @abstractmethod
    def read(self) -> None:
        """Take in what the run has reported since."""

    @abstractmethod
    def gone(self) -> bool:
        """True once the run has ended, with its end report or without one."""

    @abstractmethod
    def stop(self) -> None:
        """Ask the run to stop: its search ends and writes the best roster so far."""

    @abstractmethod
    def kill(self) -> None:
        """End the run at once (after a stop that was not heeded)."""

    @abstractmethod
    def settle(self) -> str:
        """Let go of the ended run; the reason it ended, for a run that ended without its report."""


class ProcessJob(Job):
    """A run in one of the service's own worker processes, reporting over a pipe."""

    def __init__(self, process: multiprocessing.Process, reports: Connection, commands: Connection):
        self.process, self.reports, self.commands = process, reports, commands

    def waitables(self) -> list:
        return [self.reports, self.process.sentinel]

    def read(self) -> None:
        try:
            while self.reports.poll():
                message = self.reports.recv()
                kind = message.pop("type")
                if kind == "progress":
                    self.progress = message
                elif kind == "sealed":
                    self.sealed = True
                elif kind == "end":
                    self.end = message
        except (EOFError, OSError):
            pass

    def gone(self) -> bool:
        return self.end is not None or not self.process.is_alive()

    def stop(self) -> None:
        _send(self.commands, "stop")

    def kill(self) -> None:
        self.process.kill()
        self.process.join(2)

    def settle(self) -> str:
        self.process.join(5)
        if self.process.is_alive():
            self.kill()
        for connection in (self.reports, self.commands):
            connection.close()
        return f"the solve's worker process ended unexpectedly (exit code {self.process.exitcode})"


@dataclass
class Active:
    """A running run as the dispatcher sees it."""

    run_id: int
    key: tuple[str, str]
    job: Job
    progress_written: float = 0.0
    stop_at: float | None = None
    forced: bool = False


@dataclass
class Spare:
    """A worker that has imported the library and waits for a job."""

    process: multiprocessing.Process
    reports: Connection
    commands: Connection

    def close(self) -> None:
        for connection in (self.reports, self.commands):
            connection.close()


class Backend(ABC):
    """Where runs are carried out."""

    name = ""

    @abstractmethod
    def launch(self, folder: str, week: str, options: dict) -> Job:
        """Start one run of `folder`'s `week` with the run's options (as the API took them)."""

    def tick(self) -> None:  # noqa: B027 - most backends have nothing to do between runs
        """Called every step of the dispatcher, between runs."""

    def default_jobs(self) -> int:
        """Runs at once when the server is not told: one per two cores of this machine (CP-SAT is threaded), at least one."""
        return max(1, (os.cpu_count() or 2) // 2)

    @abstractmethod
    def close(self, leftovers: list[Job]) -> None:
        """The server stops: `leftovers` did not end in time and are ended by force; nothing may outlive the server."""


class Workers(Backend):
    """The embedded backend: each run in a spawned worker process of this server, one spare kept ready."""

    name = "local"

    def __init__(self) -> None:
        self.context = multiprocessing.get_context("spawn")
        self.spare: Spare | None = None
        self.spare_started = 0.0

    def launch(self, folder: str, week: str, options: dict) -> ProcessJob:
        job = (folder, week, options)
        spare, self.spare = self.spare, None
        if spare is not None and spare.process.is_alive():
            _send(spare.commands, job)
            return ProcessJob(spare.process, spare.reports, spare.commands)
        if spare is not None:
            spare.close()
        return ProcessJob(*self._spawn(job))

    def tick(self) -> None:
        """One spare worker, imported and waiting, so the next run starts at once."""
        if self.spare is not None and not self.spare.process.is_alive():
            self.spare.close()
            self.spare = None
        if self.spare is None and time.monotonic() - self.spare_started > SPARE_RETRY_SECONDS:
            self.spare_started = time.monotonic()
            self.spare = Spare(*self._spawn(None))

    def close(self, leftovers: list[Job]) -> None:
        processes = [job.process for job in leftovers if isinstance(job, ProcessJob)]
        if self.spare is not None:
            processes.append(self.spare.process)
            self.spare.close()
        for process in processes:
            process.kill()
            process.join(2)

    def _spawn(self, job):
        """A new worker process (with its job, or a spare without); the server keeps its ends of the pipes."""
        reports_in, reports_out = self.context.Pipe(duplex=False)
        commands_in, commands_out = self.context.Pipe(duplex=False)
        process = self.context.Process(target=worker.main, name="roster-worker", daemon=True,
                                       args=(reports_out, commands_in, job))
        process.start()
        reports_out.close()
        commands_in.close()
        return process, reports_in, commands_out


@dataclass
class RunManager:
    """The queue of `db`'s runs over the communities of `data`, `jobs` at a time, carried out by `backend`."""

    db: Database
    data: Path
    jobs: int = 1
    backend: Backend = field(default_factory=Workers)
    active: dict[int, Active] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.lock = threading.Lock()
        self.wake = threading.Event()
        self.closing = False
        self.thread = threading.Thread(target=self._loop, name="run-dispatcher", daemon=True)

    # ------------------------------------------------------------ the server's side

    def start(self) -> None:
        self.recover()
        self.thread.start()

    def recover(self) -> None:
        """Runs that were running when the server died cannot have finished: mark them failed."""
        with self.db.session() as session:
            session.execute(update(Run).where(Run.status == "running")
                            .values(status="failed", finished_at=now(), error="server restarted"))

    def submitted(self) -> None:
        self.wake.set()

    def request_stop(self, run_id: int) -> None:
        with self.lock:
            active = self.active.get(run_id)
            if active is not None and active.stop_at is None:
                active.stop_at = time.monotonic() + STOP_SECONDS
                active.job.stop()
        self.wake.set()

    def close(self) -> None:
        """Stop every running solve (each keeps its best roster), then end the dispatcher; no run outlives it."""
        self.closing = True
        for run_id in list(self.active):
            self.request_stop(run_id)
        if self.thread.is_alive():
            self.thread.join(SHUTDOWN_SECONDS)
        self.backend.close([active.job for active in self.active.values()])

    # ------------------------------------------------------------ the dispatcher thread

    def _loop(self) -> None:
        while True:
            try:
                self._step()
            except Exception:  # a database hiccup must not end the queue
                log.exception("run dispatcher: step failed")
                time.sleep(1.0)
            if self.closing and not self.active:
                return

    def _step(self) -> None:
        with self.lock:
            actives = list(self.active.values())
        waitables = [w for active in actives for w in active.job.waitables()]
        if waitables:
            wait(waitables, timeout=0.2)
        else:
            self.wake.wait(0.2 if actives else 0.5)
        self.wake.clear()
        for active in actives:
            active.job.read()
            self._flush_progress(active)
            if active.job.gone():
                self._finish(active)
            elif active.stop_at is not None and time.monotonic() > active.stop_at and not active.job.sealed:
                active.forced = True
                active.job.kill()
                self._finish(active)
        if not self.closing:
            self._start_queued()
            self.backend.tick()

    def _flush_progress(self, active: Active) -> None:
        progress = active.job.progress
        if progress is None or time.monotonic() - active.progress_written < PROGRESS_WRITE_SECONDS:
            return
        with self.db.session() as session:
            session.execute(update(Run).where(Run.id == active.run_id).values(progress=progress))
        active.progress_written = time.monotonic()

    def _finish(self, active: Active) -> None:
        lost = active.job.settle()
        end = active.job.end
        if end is None and (active.forced or active.stop_at is not None):
            end = {"status": "stopped", "result": None, "error": None}
        elif end is None:
            end = {"status": "failed", "result": None, "error": lost}
        values = {"status": end["status"], "result": end["result"], "error": end["error"], "finished_at": now()}
        if active.job.progress is not None:
            values["progress"] = active.job.progress
        with self.db.session() as session:
            session.execute(update(Run).where(Run.id == active.run_id).values(**values))
        with self.lock:
            self.active.pop(active.run_id, None)
        log.info("run %s %s", active.run_id, end["status"])

    def _start_queued(self) -> None:
        with self.lock:
            free = self.jobs - len(self.active)
            busy = {a.key for a in self.active.values()}
        if free <= 0:
            return
        with self.db.session() as session:
            queued = list(session.execute(select(Run.id, Run.community, Run.week, Run.options)
                                          .where(Run.status == "queued").order_by(Run.id)))
        for run_id, community, week, options in queued:
            if free <= 0:
                break
            if (community, week) in busy:
                continue  # a run of the same community and week is solving: this one waits for it
            busy.add((community, week))
            if self._launch(run_id, community, week, options):
                free -= 1

    def _launch(self, run_id: int, community: str, week: str, options: dict) -> bool:
        with self.db.session() as session:
            taken = cast(CursorResult, session.execute(update(Run).where(Run.id == run_id, Run.status == "queued")
                                                       .values(status="running", started_at=now()))).rowcount
        if not taken:
            return False  # stopped while queued
        job = self.backend.launch(str(community_dir(self.data, community)), week, options)
        with self.lock:
            self.active[run_id] = Active(run_id=run_id, key=(community, week), job=job)
        log.info("run %s started", run_id)
        with self.db.session() as session:
            if (run := session.get(Run, run_id)) is not None and run.stop_requested:  # DELETE came between the two updates
                self.request_stop(run_id)
        return True


def _send(connection, message) -> None:
    try:
        connection.send(message)
    except OSError:
        pass
