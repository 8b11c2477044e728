"""Rendering a large week's files in another process, side by side with the workbook.

On a 20,000-volunteer week the workbook takes longer than all the other files together, and the
machines the tool runs on have two cores or more: the other files are rendered by a child
process (forked, so it starts at once with the roster already in memory) while this process
renders the workbook (`scheduler.io.writers.APART_FILES`). A child renders bytes and sends
them back; it writes nothing.
The files are still switched as one set by `scheduler.io.atomic.commit`, after every child has
answered, so a child that fails (an exception, a crash, a kill) means no switch at all: nothing
written, the earlier roster untouched, and an error saying so.

The child is `scheduler.domain.aside`'s. Signals: Ctrl-C reaches every process of the terminal's
group. The children ignore it (this process decides): the command line ignores a signal once the
roster is sealed, and a library caller whose Ctrl-C raises KeyboardInterrupt here has the children
killed before anything is written.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping

from scheduler.domain import aside
from scheduler.domain.errors import OutputError


def available() -> bool:
    """Whether children can be forked here (see `scheduler.domain.aside.available`: not in the service's
    daemonic worker processes, which may have no children)."""
    return aside.available()


@contextlib.contextmanager
def rendering(jobs: Mapping[str, Callable[[], bytes]]) -> Iterator[Callable[[], dict[str, bytes]]]:
    """Start a child per job (file names -> a function rendering their bytes); yields `collect`, which waits
    for them all and returns their bytes by name, raising what a child raised, or OutputError for a child
    that died without finishing. Whatever ends the block early (an error here, a Ctrl-C), the children
    still running are killed."""
    with aside.aside(jobs) as collect:
        def rendered() -> dict[str, bytes]:
            try:
                return collect()
            except aside.ChildDied as died:
                raise OutputError(f"{died.name} could not be rendered: the process rendering it ended ({died.how}) "
                                  "without finishing it. Nothing was written; an earlier roster is unchanged. Fix: "
                                  "run again (if the machine ran out of memory, when fewer other runs are going)"
                                  ) from None

        yield rendered
