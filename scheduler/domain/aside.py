"""Work done in a forked child process while this one goes on: the same answer, sooner on two cores.

A child is forked, so it starts at once with everything this process holds already in memory
(a week, its roster); it runs one function, sends back the bytes it returns (or the exception it
raised) and ends. It writes nothing. A child that dies without an answer (a crash, a kill, no
memory) raises `ChildDied`; whoever asked decides what that means (the files are not written,
or the work is done here instead).

Signals: Ctrl-C reaches every process of the terminal's group. The children ignore it (this
process decides), and whatever ends the `with` block early has them killed.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import pickle
import signal
import sys
from collections.abc import Callable, Iterator, Mapping
from multiprocessing.connection import Connection

from scheduler.domain import collector

SIGNALS = (signal.SIGINT, signal.SIGTERM)


def available() -> bool:
    """Whether children can be forked here: on Linux and the BSDs (not Windows, nor macOS, where forking
    a process that has used system frameworks is unsafe), outside a daemonic process (a plan run in
    the service's worker processes), which `multiprocessing` allows no children."""
    return (sys.platform != "darwin" and "fork" in multiprocessing.get_all_start_methods()
            and not multiprocessing.current_process().daemon)


class ChildDied(Exception):
    """A child ended without an answer: `how` says how (`signal 9`, `exit code 1`)."""

    def __init__(self, name: str, how: str):
        super().__init__(f"{name}: the process doing it ended ({how}) without an answer")
        self.name, self.how = name, how


class _Child:
    """One piece of work in a forked process; `result()` is its bytes."""

    def __init__(self, name: str, work: Callable[[], bytes]):
        self.name = name
        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(target=_work_and_send, args=(work, send), name=name, daemon=True)
        # Signals wait while the child is made, so that none reaches it before it ignores them.
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)
        try:
            self._process.start()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
            send.close()

    def result(self) -> bytes:
        """The bytes; raises what the child raised, or ChildDied when it ended without an answer."""
        try:
            message = self._receive.recv_bytes()
        except EOFError:
            message = b""
        finally:
            self._receive.close()
        self._process.join()
        if message[:1] == b"D":
            return message[1:]
        if message[:1] == b"E":
            raise pickle.loads(message[1:])
        code = self._process.exitcode
        raise ChildDied(self.name, f"signal {-code}" if code is not None and code < 0 else f"exit code {code}")

    def kill(self) -> None:
        with contextlib.suppress(OSError, ValueError, AttributeError):
            if self._process.is_alive():
                self._process.kill()
            self._process.join()
        with contextlib.suppress(OSError):
            self._receive.close()


def _work_and_send(work: Callable[[], bytes], send: Connection) -> None:
    """In the child: work, send the bytes (or the exception) back, and end."""
    for sig in SIGNALS:
        signal.signal(sig, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, SIGNALS)
    try:
        message = b"D" + work()
    except BaseException as exc:  # noqa: BLE001 - every failure goes back to the parent, which raises it
        try:
            message = b"E" + pickle.dumps(exc)
        except Exception:  # noqa: BLE001 - an exception that cannot be pickled goes back as its text
            message = b"E" + pickle.dumps(RuntimeError(f"{type(exc).__name__}: {exc}"))
    with contextlib.suppress(OSError):  # the parent gave up on it (it was stopped): nothing to tell
        send.send_bytes(message)
        send.close()


@contextlib.contextmanager
def aside(jobs: Mapping[str, Callable[[], bytes]]) -> Iterator[Callable[[], dict[str, bytes]]]:
    """Start a child per job (a name -> a function returning bytes); yields `collect`, which waits for
    them all and returns their bytes by name. Whatever ends the block early (an error here, a
    Ctrl-C), the children still running are killed."""
    children: list[_Child] = []
    try:
        # The children inherit this process's objects frozen: their collector never walks them (which
        # would copy every page they touch, and take a second of a child's five).
        with collector.frozen():
            for name, work in jobs.items():
                children.append(_Child(name, work))

        def collect() -> dict[str, bytes]:
            return {child.name: child.result() for child in children}

        yield collect
    finally:
        for child in children:
            child.kill()
