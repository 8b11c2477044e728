"""The run queue: runs wait in the database, at most `jobs` solve at once, each in its own process.

One thread of the server (the dispatcher) starts queued runs in their order, reads the workers'
reports into the run records, and ends runs: a worker that ends without its report marks its run
failed with the reason; a stopped run that has not finished within STOP_SECONDS is ended by force
(nothing is written unless it is already writing). One spare worker waits with the library
imported, so a run does not wait seconds for imports on a busy machine. The queue survives a restart; a run that was
running when the server died is marked failed ("server restarted").
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
import time
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


@dataclass
class Active:
    """A running worker as the dispatcher sees it."""

    run_id: int
    key: tuple[str, str]
    process: multiprocessing.Process
    reports: Connection
    commands: Connection
    progress: dict | None = None
    progress_written: float = 0.0
    stop_at: float | None = None
    sealed: bool = False
    end: dict | None = None
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


@dataclass
class RunManager:
    db: Database
    data: Path
    jobs: int = 1
    active: dict[int, Active] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.context = multiprocessing.get_context("spawn")
        self.lock = threading.Lock()
        self.wake = threading.Event()
        self.closing = False
        self.spare: Spare | None = None
        self.spare_started = 0.0
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
                _send(active.commands, "stop")
        self.wake.set()

    def close(self) -> None:
        """Stop every running solve (each keeps its best roster), then end the dispatcher; workers never outlive it."""
        self.closing = True
        for run_id in list(self.active):
            self.request_stop(run_id)
        if self.thread.is_alive():
            self.thread.join(SHUTDOWN_SECONDS)
        leftovers = [active.process for active in self.active.values()]
        if self.spare is not None:
            leftovers.append(self.spare.process)
            self.spare.close()
        for process in leftovers:
            process.kill()
            process.join(2)

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
        if actives:
            wait([a.reports for a in actives] + [a.process.sentinel for a in actives], timeout=0.2)
        else:
            self.wake.wait(0.5)
        self.wake.clear()
        for active in actives:
            self._read(active)
            self._flush_progress(active)
            if active.end is not None or not active.process.is_alive():
                self._finish(active)
            elif active.stop_at is not None and time.monotonic() > active.stop_at and not active.sealed:
                active.forced = True
                active.process.kill()
                active.process.join(2)
                self._finish(active)
        if not self.closing:
            self._start_queued()
            self._keep_spare()

    def _keep_spare(self) -> None:
        """One spare worker, imported and waiting, so the next run starts at once."""
        if self.spare is not None and not self.spare.process.is_alive():
            self.spare.close()
            self.spare = None
        if self.spare is None and time.monotonic() - self.spare_started > SPARE_RETRY_SECONDS:
            self.spare_started = time.monotonic()
            self.spare = Spare(*self._spawn(None))

    def _read(self, active: Active) -> None:
        try:
            while active.reports.poll():
                message = active.reports.recv()
                kind = message.pop("type")
                if kind == "progress":
                    active.progress = message
                elif kind == "sealed":
                    active.sealed = True
                elif kind == "end":
                    active.end = message
        except (EOFError, OSError):
            pass

    def _flush_progress(self, active: Active) -> None:
        if active.progress is None or time.monotonic() - active.progress_written < PROGRESS_WRITE_SECONDS:
            return
        with self.db.session() as session:
            session.execute(update(Run).where(Run.id == active.run_id).values(progress=active.progress))
        active.progress_written = time.monotonic()

    def _finish(self, active: Active) -> None:
        active.process.join(5)
        if active.process.is_alive():
            active.process.kill()
            active.process.join(2)
        end = active.end
        if end is None and (active.forced or active.stop_at is not None):
            end = {"status": "stopped", "result": None, "error": None}
        elif end is None:
            end = {"status": "failed", "result": None,
                   "error": f"the solve's worker process ended unexpectedly (exit code {active.process.exitcode})"}
        values = {"status": end["status"], "result": end["result"], "error": end["error"], "finished_at": now()}
        if active.progress is not None:
            values["progress"] = active.progress
        with self.db.session() as session:
            session.execute(update(Run).where(Run.id == active.run_id).values(**values))
        for connection in (active.reports, active.commands):
            connection.close()
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
        job = (str(community_dir(self.data, community)), week, options)
        spare, self.spare = self.spare, None
        if spare is not None and spare.process.is_alive():
            process, reports_in, commands_out = spare.process, spare.reports, spare.commands
            _send(commands_out, job)
        else:
            if spare is not None:
                spare.close()
            process, reports_in, commands_out = self._spawn(job)
        with self.lock:
            self.active[run_id] = Active(run_id=run_id, key=(community, week), process=process,
                                         reports=reports_in, commands=commands_out)
        log.info("run %s started", run_id)
        with self.db.session() as session:
            if (run := session.get(Run, run_id)) is not None and run.stop_requested:  # DELETE came between the two updates
                self.request_stop(run_id)
        return True


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


def _send(connection, message) -> None:
    try:
        connection.send(message)
    except OSError:
        pass
