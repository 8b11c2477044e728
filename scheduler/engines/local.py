"""The local engine: runs in worker processes on this machine, `parallel` at a time.

Workers are started with the `spawn` method, never `fork`: CP-SAT runs threads, and a forked
copy of a threaded process can deadlock. Each worker is a long-lived process that plans one
community at a time, talking to the engine over a pipe:

    engine -> worker   ("run", id, folder, week, options)   ("stop", id)   ("exit",)
    worker -> engine   ("progress", id, Progress)            ("done", id, Outcome)

A worker that dies (killed, out of memory, a crash in native code) costs only the run it was
doing, reported as `crashed`; a fresh worker takes the next run. Workers ignore Ctrl-C (the
terminal sends it to every process of the group): the engine decides what a stop means.
"""

from __future__ import annotations

import collections
import contextlib
import itertools
import multiprocessing
import os
import queue
import signal
import threading
import time
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection, wait
from pathlib import Path

from scheduler.engines import Engine, Finished, Handle, Outcome, RunOptions, run_one, stop_until_done
from scheduler.solving.solver import Progress, Stopper

PROGRESS_EVERY_SECONDS = 0.5
"""A worker sends at most one progress line per run this often."""
EXIT_GRACE_SECONDS = 10.0
"""How long `close()` waits for stopped runs to write before ending the workers."""


def default_parallel(workers: int) -> int:
    """Runs at a time: the machine's cores shared out by solver workers, at least 1."""
    return max(1, (os.cpu_count() or 1) // max(1, workers))


class LocalHandle(Handle):
    def __init__(self, engine: LocalEngine, run_id: int, folder: str | Path, week: str, options: RunOptions,
                 on_progress: Callable[[Progress], None] | None):
        super().__init__(folder, week)
        self._engine, self.run_id, self.options, self.on_progress = engine, run_id, options, on_progress
        self.finished = Finished()
        self.stop_requested = False

    def done(self) -> bool:
        return self.finished.is_set()

    def result(self, timeout: float | None = None) -> Outcome:
        return self.finished.get(timeout)

    def stop(self) -> None:
        self._engine._stop(self)


class _Worker:
    """One worker process and the engine's end of its pipe."""

    def __init__(self, context) -> None:
        self.conn, child = context.Pipe(duplex=True)
        self.process = context.Process(target=worker_main, args=(child,), name="roster-worker", daemon=True)
        self.process.start()
        child.close()
        self.handle: LocalHandle | None = None
        self.stop_sent = False

    def start(self, handle: LocalHandle) -> None:
        self.handle, self.stop_sent = handle, False
        self.send(("run", handle.run_id, handle.folder, handle.week, handle.options))

    def send(self, message) -> None:
        try:
            self.conn.send(message)
        except OSError:  # the worker died: the dispatcher sees its process gone and reports the run
            pass


class LocalEngine(Engine):
    """Runs in `parallel` spawned worker processes (default: cores // workers, at least 1)."""

    name = "local"

    def __init__(self, parallel: int | None = None, workers: int = 8):
        self.parallel = parallel or default_parallel(workers)
        self._context = multiprocessing.get_context("spawn")
        self._lock = threading.Lock()
        self._queued: collections.deque[LocalHandle] = collections.deque()
        self._workers: list[_Worker] = []
        self._ids = itertools.count(1)
        self._closing = False
        self._thread = threading.Thread(target=self._dispatch, name="roster-engine", daemon=True)
        self._thread.start()

    def submit(self, folder, week, options, on_progress=None) -> LocalHandle:
        handle = LocalHandle(self, next(self._ids), folder, week, options, on_progress)
        with self._lock:
            if self._closing:
                raise RuntimeError("the engine is closed")
            self._queued.append(handle)
        return handle

    def _handles(self) -> Sequence[Handle]:
        with self._lock:
            return list(self._queued) + [w.handle for w in self._workers if w.handle is not None]

    def _stop(self, handle: LocalHandle) -> None:
        with self._lock:
            handle.stop_requested = True
            if handle in self._queued:
                self._queued.remove(handle)
                handle.finished.set(Outcome(folder=handle.folder, week=handle.week, status="skipped"))
        # A running one is told by the dispatcher thread, the only one that writes to the pipes.

    # ------------------------------------------------------------------ the dispatcher thread

    def _dispatch(self) -> None:
        while True:
            with self._lock:
                if self._closing and not self._queued and not any(w.handle for w in self._workers):
                    break
                self._start_queued()
                self._send_stops()
                busy = [w for w in self._workers if w.handle is not None]
            if not busy:
                time.sleep(0.05)
                continue
            wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout=0.1)
            for worker in busy:
                self._collect(worker)
        for worker in self._workers:
            self._end(worker)

    def _start_queued(self) -> None:
        for worker in [w for w in self._workers if w.handle is None and not w.process.is_alive()]:
            self._workers.remove(worker)  # died between runs: nothing lost, a fresh one replaces it
        idle = [w for w in self._workers if w.handle is None]
        while self._queued and (idle or len(self._workers) < self.parallel):
            if not idle:
                self._workers.append(_Worker(self._context))
                idle.append(self._workers[-1])
            idle.pop().start(self._queued.popleft())

    def _send_stops(self) -> None:
        for worker in self._workers:
            if worker.handle is not None and worker.handle.stop_requested and not worker.stop_sent:
                worker.send(("stop", worker.handle.run_id))
                worker.stop_sent = True

    def _collect(self, worker: _Worker) -> None:
        """Read what the worker sent; a worker that died without answering costs its run only."""
        handle = worker.handle
        try:
            while handle is not None and worker.conn.poll():
                kind, run_id, payload = worker.conn.recv()
                if run_id != handle.run_id:
                    continue
                if kind == "progress" and handle.on_progress is not None:
                    with contextlib.suppress(Exception):  # a failing listener must not stop the engine
                        handle.on_progress(payload)
                elif kind == "done":
                    handle.finished.set(payload)
                    worker.handle = handle = None
        except (EOFError, OSError):
            pass
        if handle is not None and not worker.process.is_alive():
            worker.process.join()
            handle.finished.set(Outcome(
                folder=handle.folder, week=handle.week, status="crashed",
                message=f"the worker process ended unexpectedly (exit code {worker.process.exitcode})"))
            with self._lock:
                self._workers.remove(worker)

    def _end(self, worker: _Worker) -> None:
        worker.send(("exit", 0, None))
        worker.process.join(EXIT_GRACE_SECONDS)
        if worker.process.is_alive():
            worker.process.terminate()
            worker.process.join()
        worker.conn.close()

    def close(self) -> None:
        """Queued runs are dropped, running ones stopped (they write their best roster), workers ended."""
        self._drop_queued()
        for handle in self._handles():
            handle.stop()
        self._thread.join()

    def abort(self) -> None:
        """Queued runs are dropped and the workers ended at once (SIGTERM), except while writing files."""
        self._drop_queued()
        with self._lock:
            workers = list(self._workers)
        for worker in workers:
            if worker.process.is_alive():
                worker.process.terminate()
        self._thread.join()

    def _drop_queued(self) -> None:
        with self._lock:
            self._closing = True
            queued = list(self._queued)
        for handle in queued:
            self._stop(handle)


# ---------------------------------------------------------------------- in the worker process

def worker_main(conn: Connection) -> None:
    """A worker's life: plan the runs the engine sends, one at a time, until told to exit."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    sending = threading.Lock()
    runs: queue.Queue = queue.Queue()
    stoppers: dict[int, tuple[Stopper, threading.Event]] = {}  # per run: its stopper, set when it ends
    leaving = threading.Event()

    def on_abort(signum, frame) -> None:
        # Ended by the engine's abort: at once, unless files are being written (they are finished first).
        if any(stopper.sealed and not ended.is_set() for stopper, ended in list(stoppers.values())):
            leaving.set()
        else:
            os._exit(128 + signum)

    signal.signal(signal.SIGTERM, on_abort)

    def send(message) -> None:
        with sending:
            conn.send(message)

    def listen() -> None:
        # The pipe is read in this thread so that a stop reaches a run while it searches.
        while True:
            try:
                kind, run_id, *rest = conn.recv()
            except (EOFError, OSError):
                kind, run_id = "exit", 0
            if kind == "run":
                stoppers[run_id] = Stopper(), threading.Event()
                runs.put((run_id, *rest))
            elif kind == "stop" and run_id in stoppers:
                threading.Thread(target=stop_until_done, args=stoppers[run_id], daemon=True).start()
            elif kind == "exit":
                runs.put(None)
                return

    threading.Thread(target=listen, name="roster-listen", daemon=True).start()
    while (run := runs.get()) is not None:
        run_id, folder, week, options = run
        stopper, ended = stoppers[run_id]
        outcome = run_one(folder, week, options, stopper, _throttled(send, run_id))
        ended.set()
        send(("done", run_id, outcome))
        del stoppers[run_id]
        if leaving.is_set():
            break
    conn.close()


def _throttled(send, run_id: int) -> Callable[[Progress], None]:
    last = [0.0]

    def on_progress(progress: Progress) -> None:
        if time.monotonic() - last[0] >= PROGRESS_EVERY_SECONDS:
            last[0] = time.monotonic()
            send(("progress", run_id, progress))

    return on_progress
