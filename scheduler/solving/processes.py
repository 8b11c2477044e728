"""Independent parts of a week prepared in worker processes: the warm start and polishing, side by side.

Why: the phases before the search (greedy fill, polishing, the minimum-cost flow's start and
bound) are pure Python, about 0.5–0.8 s a part, and on a big week they take most of a run on one
core. The parts are independent (see `scheduler.solving.parts`), so each can be prepared in a
process of its own; the search stays in the solve's process (CP-SAT is multi-threaded already).

What a worker runs for a part is the very function the in-process path runs (the solver hands it
in), on the same part, in the same rounds (every part's warm start, then every part's polishing,
in search order), so when no halt fires the results are the same whatever the number of
processes. Deadlines are `time.perf_counter()` moments: on Linux that is CLOCK_MONOTONIC, one
clock for every process of the machine, so a worker keeps the solve's deadlines as they are.

Start method: forkserver. Plain fork is not safe in a process that may have threads (the CLI's
signal threads, a service, a Ray worker); spawn starts a fresh interpreter per worker that must
import the package again (measured on 2 cores: 2.0–2.2 s for a pool of 2, each time), while the
fork server imports it once per process (0.7–1.2 s the first time) and then forks ready workers
(0.03–0.3 s for a pool of 2, depending on the load). A `Pool` lives for one solve's phases before the search, no longer.
The fork server is the only process left between solves (idle; it ends with its process).

Stop: the parent keeps polling the solve's `Stopper` and forwards a stop to the workers
(`SharedStop`, read by their halt functions); after the stop's grace the parts not back yet are
left to the caller, and the workers still at them are ended with the pool. A worker that dies
(or fails) loses nothing but its part, which the caller prepares in process instead.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.forkserver
import signal
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any, Protocol

PARALLEL_MIN_PAIRS = 150_000
"""Weeks with fewer eligible (volunteer, shift) pairs than this are prepared in process: the pool's
start-up would cost more than it saves. Measured on 2 cores: preparing the parts takes about
0.03 ms a pair in process (2.6 s for the 1,000-volunteer week's 91,000 pairs in 4 parts), and the
pool of 2 starts in 0.5–1.2 s the first time in a process (the fork server importing the engine),
0.03–0.3 s after that; from these figures, 2 processes with a core free each pay from about
70,000 pairs, and this threshold leaves as much again for a busy machine. The 1,000-volunteer week
stays in process; the 5,000-volunteer week (411,000 pairs, 22 parts) goes to the pool, and on a
nearly idle machine its warm start and polishing take 7.2 s instead of 10.0 (with no core free the
pool gains nothing: README, "Where the time of a run goes")."""

POLL_SECONDS = 0.05
"""How often the parent looks at the solve's stopper while the workers run."""

END_SECONDS = 1.0
"""How long a worker asked to end may take before it is terminated."""


class StopSignal(Protocol):
    """What a halt function asks of a stop: the solve's `Stopper`, or a worker's `SharedStop`."""

    @property
    def requested(self) -> bool: ...

    @property
    def requested_at(self) -> float | None: ...


class SharedStop:
    """A stop as the worker processes see it: set by the parent when the solve's stopper is stopped."""

    def __init__(self, context: Any):
        self._event = context.Event()
        self._at = context.Value("d", 0.0, lock=False)  # time.perf_counter() of the stop

    @property
    def requested(self) -> bool:
        return self._event.is_set()

    @property
    def requested_at(self) -> float | None:
        return self._at.value if self._event.is_set() else None

    def forward(self, stopper: StopSignal | None) -> None:
        if stopper is not None and stopper.requested and not self._event.is_set():
            self._at.value = stopper.requested_at or time.perf_counter()
            self._event.set()


def usable(requested: int, parts: int, pairs: int) -> int:
    """The worker processes worth starting: none (1, in process) for a small week, one part, or a daemon.

    A daemonic process (a plan run in a `multiprocessing` worker of the service) may not start
    processes of its own: it prepares the parts in process.
    """
    if requested < 2 or parts < 2 or pairs < PARALLEL_MIN_PAIRS or multiprocessing.current_process().daemon:
        return 1
    return min(requested, parts)


@dataclass
class _Worker:
    process: Any
    connection: Connection
    task: int | None = None  # the index of the part it is working on


class Pool:
    """Worker processes for one solve, each run of `run` a round of parts; ended on leaving the `with` block.

    `preload` names the module of the work functions (workers import it by name, once, in the fork
    server). After a stop's `grace`, a round ends without the parts not back yet, and the workers
    still at them are ended with the pool.
    """

    def __init__(self, processes: int, stopper: StopSignal | None, grace: float, preload: str):
        self._context = multiprocessing.get_context("forkserver")
        # Once per process: the fork server imports the engine, so its workers start ready.
        self._context.set_forkserver_preload([__name__, preload])
        self.stop = SharedStop(self._context)
        self._processes, self._stopper, self._grace = processes, stopper, grace
        self._workers: list[_Worker] = []

    def __enter__(self) -> Pool:
        for _ in range(self._processes):
            mine, theirs = self._context.Pipe()
            process = self._context.Process(target=_serve, args=(theirs, self.stop), name="roster-part", daemon=True)
            try:
                _start(process)
            except (OSError, EOFError, RuntimeError):  # no process to be had: those started do the work, or the caller
                mine.close()
                break
            finally:
                theirs.close()
            self._workers.append(_Worker(process, mine))
        return self

    def __exit__(self, *exc: object) -> None:
        _end(self._workers)

    def stopped(self) -> bool:
        """The solve's stopper, forwarded to the workers: True once it is stopped."""
        self.stop.forward(self._stopper)
        return self.stop.requested

    def run(self, work: Callable[[Any, SharedStop], Any], tasks: Sequence[Any],
            on_result: Callable[[int], None] = lambda i: None) -> dict[int, Any]:
        """`work(task, stop)` for each task, in order, on the idle workers: the answers by index.

        A task is missing from the answer when its worker died or failed, or when a stop left it
        unfinished. `on_result(i)` is told of each answer as it arrives.
        """
        results: dict[int, Any] = {}
        waiting = list(range(len(tasks)))[::-1]

        def give(worker: _Worker) -> None:
            worker.task = None
            if waiting and not self.stop.requested:
                worker.task = waiting.pop()
                try:
                    worker.connection.send((work, tasks[worker.task]))
                except OSError:  # died between two parts: its part goes back to the others
                    waiting.append(worker.task)
                    self._drop(worker)

        for worker in [w for w in self._workers if w.task is None]:
            give(worker)
        while busy := [w for w in self._workers if w.task is not None]:
            if self.stopped() and time.perf_counter() >= (self.stop.requested_at or 0.0) + self._grace:
                break
            ready = wait([w.connection for w in busy] + [w.process.sentinel for w in busy], POLL_SECONDS)
            for worker in busy:
                if worker.connection in ready or worker.process.sentinel in ready:
                    answered = _collect(worker, results, on_result)
                    if answered:
                        give(worker)
                    elif answered is False:
                        self._drop(worker)
        return results

    def _drop(self, worker: _Worker) -> None:
        """A worker that died: its part stays unanswered (the caller prepares it in process)."""
        self._workers.remove(worker)
        worker.process.join(END_SECONDS)
        if worker.process.is_alive():
            worker.process.terminate()
        worker.connection.close()


def _collect(worker: _Worker, results: dict[int, Any], on_result: Callable[[int], None]) -> bool | None:
    """The worker's answer for its part: True once answered (a None answer: the part failed there),
    None while it is still at work, False when it died."""
    try:
        answered = worker.connection.poll()
        answer = worker.connection.recv() if answered else None
    except (EOFError, OSError):
        return False
    if not answered:
        return None if worker.process.is_alive() else False
    if answer is not None and worker.task is not None:
        results[worker.task] = answer
        on_result(worker.task)
    return True


def start_early(preload: str) -> None:
    """Start the fork server now, so that it imports the engine while this process goes on working.

    A process's first pool otherwise waits for that import (0.7–1.2 s on 2 cores, see the module's
    docstring); started as soon as a run knows its week is big (its eligible lists made), the server
    is ready by the time the parts are. It does nothing when the server is running already.
    """
    # (The server imports only `preload`, never the main script: that is each worker's start, `_start`.)
    multiprocessing.get_context("forkserver").set_forkserver_preload([__name__, preload])
    multiprocessing.forkserver.ensure_running()


def _start(process: Any) -> None:
    """Start a worker without the main module. Spawn and forkserver otherwise run the main script
    again in the new process, and a script without an `if __name__ == "__main__":` guard would plan
    its week again there; the workers need nothing of it (their work is the engine's)."""
    main = sys.modules["__main__"]
    saved: dict[str, Any] = {name: main.__dict__[name] for name in ("__file__", "__spec__") if name in main.__dict__}
    main.__dict__.pop("__file__", None)
    main.__dict__["__spec__"] = None
    try:
        process.start()
    finally:
        main.__dict__.pop("__spec__", None)
        main.__dict__.update(saved)


def _end(workers: list[_Worker]) -> None:
    for worker in workers:
        try:
            worker.connection.send(None)
        except OSError:
            pass
    ends = time.perf_counter() + END_SECONDS
    for worker in workers:
        if worker.task is None:
            worker.process.join(max(0.0, ends - time.perf_counter()))
        if worker.process.is_alive():
            worker.process.terminate()  # still busy after a stop: its part is the caller's now
            worker.process.join(END_SECONDS)
        worker.connection.close()


def _serve(connection: Connection, stop: SharedStop) -> None:
    """A worker: run the (work, task) it is sent until told to end (None) or the parent is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole terminal group: the parent forwards it
    while True:
        try:
            message = connection.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        work, task = message
        try:
            answer = work(task, stop)
        except Exception:  # noqa: BLE001 - the parent prepares the part in process, where the error shows
            answer = None
        try:
            connection.send(answer)
        except OSError:  # the parent is gone
            return
