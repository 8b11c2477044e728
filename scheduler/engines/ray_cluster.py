"""The Ray engine: one Ray task per run, on a cluster (`address="auto"`) or a Ray started here.

Install with `pip install 'volunteer-roster[ray]'`. Each task asks Ray for as many CPUs as the
run's solver workers (at most what the largest machine has), so a machine never runs more
searches than it has cores for. Every machine must see the community folders at the same path
(a shared disk): a task reads and writes the folder exactly as `roster solve` would.

Stopping goes through a small actor that holds the ids of stopped runs; a thread in each task
asks it twice a second and stops the search, which then writes its best roster. (Ray's own
`ray.cancel` would raise KeyboardInterrupt in the task, which aborts without writing.)
"""

from __future__ import annotations

import signal
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path

from scheduler.domain.errors import RosterError
from scheduler.engines import Engine, Handle, Outcome, RunOptions, masked, run_one, stop_until_done
from scheduler.solving.solver import Progress, Stopper

POLL_SECONDS = 0.5
"""How often a running task asks whether it was stopped."""
START_SECONDS = 120.0
"""How long the engine waits for its first actor to start on the cluster."""


def _ray():
    try:
        import ray
    except ImportError:
        raise RosterError("the ray engine needs Ray, which is not installed. "
                          "Fix: pip install 'volunteer-roster[ray]', or use --engine local") from None
    return ray


def failure_text(exc: Exception) -> str:
    """The last line of a Ray error (its cause, without the traceback), masked and cut short."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    text = masked(lines[-1] if lines else type(exc).__name__)
    return text if len(text) <= 200 else text[:199] + "…"


class StopBoard:
    """The actor that remembers which runs were stopped (`None`: all of them)."""

    def __init__(self) -> None:
        self.stopped: set[str] = set()
        self.everything = False

    def stop(self, run_id: str | None = None) -> None:
        if run_id is None:
            self.everything = True
        else:
            self.stopped.add(run_id)

    def is_stopped(self, run_id: str) -> bool:
        return self.everything or run_id in self.stopped


def ray_task(folder: str, week: str, options: RunOptions, run_id: str, board) -> Outcome:
    """The body of one Ray task: `run_one`, with a thread that turns the board's stop into a Stopper."""
    ray = _ray()
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a stop comes from the board, never from a terminal
    stopper = Stopper()
    if ray.get(board.is_stopped.remote(run_id)):
        return Outcome(folder=folder, week=week, status="skipped")
    finished = threading.Event()

    def watch() -> None:
        while not finished.wait(POLL_SECONDS):
            try:
                stopped = ray.get(board.is_stopped.remote(run_id))
            except Exception:  # noqa: BLE001 - the board is gone: the driver ended; let the run finish
                return
            if stopped:
                return stop_until_done(stopper, finished)

    threading.Thread(target=watch, name="roster-stop-watch", daemon=True).start()
    try:
        return run_one(folder, week, options, stopper)
    finally:
        finished.set()


class RayHandle(Handle):
    def __init__(self, engine: RayEngine, ref, run_id: str, folder: str, week: str):
        super().__init__(folder, week)
        self._engine, self.ref, self.run_id = engine, ref, run_id
        self._outcome: Outcome | None = None

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
                self._outcome = Outcome(folder=self.folder, week=self.week, status="crashed",
                                        message=f"the Ray task failed: {failure_text(exc)}")
            self._engine._forget(self)
        return self._outcome

    def stop(self) -> None:
        self._engine.board.stop.remote(self.run_id)


class RayEngine(Engine):
    """Runs as Ray tasks: `address="auto"` joins a running cluster, None starts Ray on this machine."""

    name = "ray"

    def __init__(self, address: str | None = None, **init):
        self.ray = ray = _ray()
        self._started = not ray.is_initialized()
        if self._started:
            try:
                ray.init(address=address, include_dashboard=False, logging_level="warning", **init)
            except ConnectionError as exc:
                raise RosterError(f"cannot reach the Ray cluster at {address}: {exc}. "
                                  "Fix: start it with `ray start --head` (see the README), "
                                  "or leave out --ray-address to use Ray on this machine only") from None
        self._running: dict[str, RayHandle] = {}
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

    def largest_machine(self) -> int:
        """CPUs of the largest living machine of the cluster (asked at most once a minute): no task may ask for more."""
        if self._largest is None or time.monotonic() - self._largest[0] > 60:
            cpus = [node["Resources"].get("CPU", 0) for node in self.ray.nodes() if node.get("Alive")]
            self._largest = time.monotonic(), max(1, int(max(cpus, default=1)))
        return self._largest[1]

    def submit(self, folder, week, options, on_progress: Callable[[Progress], None] | None = None) -> RayHandle:
        folder = str(Path(folder).resolve())
        run_id = uuid.uuid4().hex
        cpus = min(options.workers, self.largest_machine())
        ref = self._task.options(num_cpus=cpus, max_retries=0).remote(folder, week, options, run_id, self.board)
        handle = RayHandle(self, ref, run_id, folder, week)
        self._running[run_id] = handle
        return handle

    def stop(self) -> None:
        self.board.stop.remote(None)

    def wait(self, handles: Sequence[Handle], timeout: float) -> list[Handle]:
        pending = {handle.ref: handle for handle in handles if isinstance(handle, RayHandle)}
        if not pending:
            return list(handles)
        ready, _ = self.ray.wait(list(pending), num_returns=len(pending), timeout=timeout, fetch_local=False)
        return [pending[ref] for ref in ready]

    def _forget(self, handle: RayHandle) -> None:
        self._running.pop(handle.run_id, None)

    def _handles(self) -> Sequence[Handle]:
        return list(self._running.values())

    def abort(self) -> None:
        """Tasks still going are cancelled at once; Ray ends if it was started here."""
        self.stop()
        for handle in list(self._running.values()):
            self.ray.cancel(handle.ref, force=True)
        self._running.clear()
        if self._started:
            self.ray.shutdown()

    def close(self) -> None:
        """Runs still going are stopped and awaited (they write their best roster); Ray ends if it was started here."""
        if self._running:
            self.stop()
            for handle in list(self._running.values()):
                handle.result()
        if self._started:
            self.ray.shutdown()
