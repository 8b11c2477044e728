"""The Ray engine: one Ray task per run, on a cluster (`address="auto"`) or a Ray started here.

Install with `pip install 'volunteer-roster[ray]'`. Each task asks Ray for as many CPUs as the
run's solver workers (at most what the largest machine has), so a machine never runs more
searches than it has cores for. Every machine must see the community folders at the same path
(a shared disk): a task reads and writes the folder exactly as `roster solve` would.

Stopping and progress go through a small actor, the board: a thread in each task tells it twice
a second the search's latest progress and whether the files are being written, and hears back
whether the run was stopped; it then stops the search, which writes its best roster. (Ray's own
`ray.cancel` would raise KeyboardInterrupt in the task, which aborts without writing.) A thread of
the engine reads the board as often and hands each run's new progress to its `on_progress`, so
progress arrives at most every half second or so, coarser than on the local engine.
"""

from __future__ import annotations

import contextlib
import signal
import socket
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path

from scheduler.domain.errors import RosterError
from scheduler.engines import Engine, Handle, Outcome, RunOptions, failure_text, run_one, stop_until_done
from scheduler.solving.solver import Progress, Stopper

POLL_SECONDS = 0.5
"""How often a running task reports to the board (and hears whether it was stopped), and the engine reads it."""
START_SECONDS = 120.0
"""How long the engine waits for its first actor to start on the cluster."""
CONNECT_SECONDS = 5.0
"""How long the engine waits for a cluster's address to answer before it says it cannot be reached."""


def _ray():
    try:
        import ray
    except ImportError:
        raise RosterError("the ray engine needs Ray, which is not installed. "
                          "Fix: pip install 'volunteer-roster[ray]', or use --engine local") from None
    return ray


def _answering(address: str | None, seconds: float = CONNECT_SECONDS) -> None:
    """Raises ConnectionError at once when `address` names a host and port that do not answer.

    Ray itself keeps trying to reach an absent cluster for minutes; `auto` and a local start are left to Ray.
    """
    if not address or address == "auto":
        return
    host, _, port = address.split("://", 1)[-1].rpartition(":")
    if not host or not port.isdigit():
        return
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=seconds).close()
    except OSError as exc:
        raise ConnectionError(f"nothing answers at {host}:{port} ({exc.strerror or exc})") from None


class StopBoard:
    """The actor that remembers which runs were stopped (`None`: all of them) and what each running task reported."""

    def __init__(self) -> None:
        self.stopped: set[str] = set()
        self.everything = False
        self.reported: dict[str, tuple[Progress | None, bool]] = {}

    def stop(self, run_id: str | None = None) -> None:
        if run_id is None:
            self.everything = True
        else:
            self.stopped.add(run_id)

    def is_stopped(self, run_id: str) -> bool:
        return self.everything or run_id in self.stopped

    def report(self, run_id: str, progress: Progress | None, sealed: bool) -> bool:
        """A task's latest progress and whether it is writing; answers whether it was stopped."""
        self.reported[run_id] = progress, sealed
        return self.is_stopped(run_id)

    def reports(self, run_ids: list[str]) -> dict[str, tuple[Progress | None, bool]]:
        return {run_id: self.reported[run_id] for run_id in run_ids if run_id in self.reported}

    def forget(self, run_id: str) -> None:
        self.reported.pop(run_id, None)
        self.stopped.discard(run_id)


def ray_task(folder: str, week: str, options: RunOptions, run_id: str, board) -> Outcome:
    """The body of one Ray task: `run_one`, with a thread that reports to the board and turns its stop into a Stopper."""
    ray = _ray()
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a stop comes from the board, never from a terminal
    stopper = Stopper()
    if ray.get(board.is_stopped.remote(run_id)):
        return Outcome(folder=folder, week=week, status="skipped")
    if not Path(folder).is_dir():
        return Outcome(folder=folder, week=week, status="error", reason="no_folder",
                       message=f"the folder {folder} is not on the Ray machine {socket.gethostname()}. Fix: put the "
                               "community folders on a disk every machine of the cluster sees at the same path")
    finished = threading.Event()
    latest: list[Progress | None] = [None]

    def watch() -> None:
        stopping = False
        while not finished.wait(POLL_SECONDS):
            try:  # reported until the end: whether it writes matters most after a stop
                stopped = ray.get(board.report.remote(run_id, latest[0], stopper.sealed))
            except Exception:  # noqa: BLE001 - the board is gone: the driver ended; let the run finish
                return
            if stopped and not stopping:
                stopping = True
                threading.Thread(target=stop_until_done, args=(stopper, finished), daemon=True).start()

    threading.Thread(target=watch, name="roster-stop-watch", daemon=True).start()
    try:
        return run_one(folder, week, options, stopper, on_progress=lambda progress: latest.__setitem__(0, progress))
    finally:
        finished.set()


class RayHandle(Handle):
    def __init__(self, engine: RayEngine, ref, run_id: str, folder: str, week: str,
                 on_progress: Callable[[Progress], None] | None = None):
        super().__init__(folder, week)
        self._engine, self.ref, self.run_id, self.on_progress = engine, ref, run_id, on_progress
        self._outcome: Outcome | None = None
        self.progress: Progress | None = None

    def done(self) -> bool:
        if self._outcome is not None:
            return True
        ready, _ = self._engine.ray.wait([self.ref], timeout=0)
        return bool(ready)

    def result(self, timeout: float | None = None) -> Outcome:
        if self._outcome is None:
            ray = self._engine.ray
            try:
                self._outcome = ray.get(self.ref, timeout=timeout)
            except ray.exceptions.GetTimeoutError:
                raise TimeoutError("the run has not finished yet") from None
            except ray.exceptions.RayError as exc:  # a worker or machine that died: this run only
                self._outcome = Outcome(folder=self.folder, week=self.week, status="crashed", reason="task_failed",
                                        message=f"the Ray task failed: {failure_text(exc)}")
            self._engine._forget(self)
        return self._outcome

    def stop(self) -> None:
        self._engine.board.stop.remote(self.run_id)

    def abort(self) -> None:
        """The task is cancelled at once (its worker process ended): nothing is written unless it already writes."""
        self.stop()
        self._engine.ray.cancel(self.ref, force=True)


class RayEngine(Engine):
    """Runs as Ray tasks: `address="auto"` joins a running cluster, None starts Ray on this machine."""

    name = "ray"

    def __init__(self, address: str | None = None, **init):
        self.ray = ray = _ray()
        self._started = not ray.is_initialized()
        if self._started:
            try:
                _answering(address)
                ray.init(address=address, include_dashboard=False, logging_level="warning", **init)
            except ConnectionError as exc:
                raise RosterError(f"cannot reach the Ray cluster at {address}: {exc}. "
                                  "Fix: start it with `ray start --head` (see the README), "
                                  "or leave out --ray-address to use Ray on this machine only") from None
        self._running: dict[str, RayHandle] = {}
        self._lock = threading.Lock()
        self._closed = threading.Event()
        self._largest: tuple[float, int] | None = None  # (when asked, CPUs)
        self.board = ray.remote(StopBoard).options(num_cpus=0).remote()
        try:  # the board lives on a cluster machine: if it cannot start there, no task could
            ray.get(self.board.is_stopped.remote(""), timeout=START_SECONDS)
        except (ray.exceptions.RayError, ray.exceptions.GetTimeoutError) as exc:
            self.close()
            raise RosterError(f"the Ray cluster cannot run the roster tool ({failure_text(exc)}). Fix: install "
                              "volunteer-roster, the same version, on every machine of the cluster "
                              "(pip install 'volunteer-roster[ray]'), then run again") from None
        self._task = ray.remote(ray_task)
        self.head = ray.get_runtime_context().gcs_address
        self._follower = threading.Thread(target=self._follow, name="roster-ray-progress", daemon=True)
        self._follower.start()

    def largest_machine(self) -> int:
        """CPUs of the largest living machine of the cluster (asked at most once a minute): no task may ask for more."""
        if self._largest is None or time.monotonic() - self._largest[0] > 60:
            cpus = [node["Resources"].get("CPU", 0) for node in self.ray.nodes() if node.get("Alive")]
            self._largest = time.monotonic(), max(1, int(max(cpus, default=1)))
        return self._largest[1]

    def lost(self) -> str:
        """Why the cluster's head does not answer now ("" while it does).

        Without its head a cluster plans nothing, and Ray itself ends a process whose head has been
        gone for a minute; a caller that must not wait for that (a service) asks this instead.
        """
        try:
            _answering(self.head, seconds=1.0)
        except ConnectionError as exc:
            return str(exc)
        return ""

    def runs_at_once(self, workers: int) -> int:
        """How many runs of `workers` solver workers the cluster's living machines can carry out at a time."""
        each = min(max(1, workers), self.largest_machine())
        cpus = [node["Resources"].get("CPU", 0) for node in self.ray.nodes() if node.get("Alive")]
        return max(1, sum(int(n) // each for n in cpus))

    def submit(self, folder, week, options, on_progress: Callable[[Progress], None] | None = None) -> RayHandle:
        """One task; `on_progress` is called (in the engine's own thread) with each new progress a task reports."""
        folder = str(Path(folder).resolve())
        run_id = uuid.uuid4().hex
        cpus = min(options.workers, self.largest_machine())
        ref = self._task.options(num_cpus=cpus, max_retries=0).remote(folder, week, options, run_id, self.board)
        handle = RayHandle(self, ref, run_id, folder, week, on_progress)
        with self._lock:
            self._running[run_id] = handle
        return handle

    def _follow(self) -> None:
        """The engine's thread: what the tasks reported to the board, handed to their handles."""
        while not self._closed.wait(POLL_SECONDS):
            with self._lock:
                handles = list(self._running.values())
            if not handles:
                continue
            try:
                reports = self.ray.get(self.board.reports.remote([h.run_id for h in handles]), timeout=10 * POLL_SECONDS)
            except Exception:  # noqa: BLE001 - a busy or lost cluster: the runs' own results say what happened
                continue
            for handle in handles:
                progress, handle.sealed = reports.get(handle.run_id, (None, handle.sealed))
                if progress is not None and progress != handle.progress:
                    handle.progress = progress
                    if handle.on_progress is not None:
                        with contextlib.suppress(Exception):  # a failing listener must not stop the engine
                            handle.on_progress(progress)

    def stop(self) -> None:
        self.board.stop.remote(None)

    def wait(self, handles: Sequence[Handle], timeout: float) -> list[Handle]:
        pending = {handle.ref: handle for handle in handles if isinstance(handle, RayHandle)}
        if not pending:
            return list(handles)
        ready, _ = self.ray.wait(list(pending), num_returns=len(pending), timeout=timeout, fetch_local=False)
        return [pending[ref] for ref in ready]

    def _forget(self, handle: RayHandle) -> None:
        with self._lock:
            self._running.pop(handle.run_id, None)
        with contextlib.suppress(Exception):  # the board is gone with the cluster: nothing to forget
            self.board.forget.remote(handle.run_id)

    def _handles(self) -> list[RayHandle]:
        with self._lock:
            return list(self._running.values())

    def abort(self) -> None:
        """Tasks still going are cancelled at once; Ray ends if it was started here."""
        self.stop()
        for handle in self._handles():
            self.ray.cancel(handle.ref, force=True)
        with self._lock:
            self._running.clear()
        self._end()

    def close(self) -> None:
        """Runs still going are stopped and awaited (they write their best roster); Ray ends if it was started here."""
        if self._running:
            self.stop()
            for handle in self._handles():
                handle.result()
        self._end()

    def _end(self) -> None:
        self._closed.set()
        follower = getattr(self, "_follower", None)
        if follower is not None and follower is not threading.current_thread():
            follower.join()
        if self._started:
            self.ray.shutdown()
