"""Rendering a large week's big files in other processes, side by side with the rest.

On a 20,000-volunteer week the workbook and the PDF take about five seconds each, and the
machines the tool runs on have two cores or more: each is rendered by a child process of its
own (forked, so it starts at once with the roster already in memory) while this process
renders the JSON and the CSVs. A child renders bytes and sends them back; it writes nothing.
The files are still switched as one set by `scheduler.io.atomic.commit`, after every child has
answered, so a child that fails (an exception, a crash, a kill) means no switch at all: nothing
written, the earlier roster untouched, and an error saying so.

Signals: Ctrl-C reaches every process of the terminal's group. The children ignore it (this
process decides): the command line ignores a signal once the roster is sealed, and a library
caller whose Ctrl-C raises KeyboardInterrupt here has the children killed before anything is
written.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import pickle
import signal
from collections.abc import Callable, Iterator, Mapping
from multiprocessing.connection import Connection

from scheduler.domain import aside
from scheduler.domain.errors import OutputError

SIGNALS = (signal.SIGINT, signal.SIGTERM)


def available() -> bool:
    """Whether children can be forked here (see `scheduler.domain.aside.available`: not in the service's
    daemonic worker processes, which may have no children)."""
    return aside.available()


class _Child:
    """One file rendered in a forked process; `result()` is its bytes."""

    def __init__(self, name: str, render: Callable[[], bytes]):
        self.name = name
        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(target=_render_and_send, args=(render, send), name=f"render {name}",
                                        daemon=True)
        # Signals wait while the child is made, so that none reaches it before it ignores them.
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)
        try:
            self._process.start()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
            send.close()

    def result(self) -> bytes:
        """The rendered bytes; raises what the child raised, or OutputError when it died without an answer."""
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
        how = f"signal {-code}" if code is not None and code < 0 else f"exit code {code}"
        raise OutputError(f"{self.name} could not be rendered: the process rendering it ended ({how}) without "
                          "finishing it. Nothing was written; an earlier roster is unchanged. Fix: run again "
                          "(if the machine ran out of memory, when fewer other runs are going)")

    def kill(self) -> None:
        with contextlib.suppress(OSError, ValueError, AttributeError):
            if self._process.is_alive():
                self._process.kill()
            self._process.join()
        with contextlib.suppress(OSError):
            self._receive.close()


def _render_and_send(render: Callable[[], bytes], send: Connection) -> None:
    """In the child: render, send the bytes (or the exception) back, and end."""
    for sig in SIGNALS:
        signal.signal(sig, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, SIGNALS)
    try:
        message = b"D" + render()
    except BaseException as exc:  # noqa: BLE001 - every failure goes back to the parent, which raises it
        try:
            message = b"E" + pickle.dumps(exc)
        except Exception:  # noqa: BLE001 - an exception that cannot be pickled goes back as its text
            message = b"E" + pickle.dumps(RuntimeError(f"{type(exc).__name__}: {exc}"))
    with contextlib.suppress(OSError):  # the parent gave up on it (it was stopped): nothing to tell
        send.send_bytes(message)
        send.close()


@contextlib.contextmanager
def rendering(jobs: Mapping[str, Callable[[], bytes]]) -> Iterator[Callable[[], dict[str, bytes]]]:
    """Start a child per job (file name -> a function rendering its bytes); yields `collect`, which waits for
    them all and returns their bytes by name. Whatever ends the block early (an error here, a
    Ctrl-C), the children still running are killed."""
    children: list[_Child] = []
    try:
        # The children inherit this process's objects: frozen, the collector never walks them there
        # (which would copy every page they touch, and take a second of a child's five).
        gc.freeze()
        try:
            for name, render in jobs.items():
                children.append(_Child(name, render))
        finally:
            gc.unfreeze()

        def collect() -> dict[str, bytes]:
            return {child.name: child.result() for child in children}

        yield collect
    finally:
        for child in children:
            child.kill()
