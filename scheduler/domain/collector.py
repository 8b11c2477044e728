"""Python's cycle collector on a big week: paused while long-lived objects are built, and told to
leave them alone once they are.

A week of 20,000 volunteers holds millions of objects (the register, the shifts, the eligible
lists, the roster record), nearly all alive until the run ends and none of them in reference
cycles. The collector walks every one of them at each full collection, which the many small
objects each phase allocates set off again and again. Measured on the generated 20,000-volunteer
week (`benchmarks/phases.py`): loading took 3.5 s of CPU with the collector, 2.0 s without it; the
engine's phases 7.8 s, 7.2 s once the loaded week was left alone (`settle`); the roster record a
further 0.4 s. Objects without cycles are freed as always (by their reference counts); only
cyclic garbage made while the collector is paused waits for it to run again.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """The collector off for a block that builds long-lived objects without cycles (as it was after)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        _hand_over()
        if enabled:
            gc.enable()


def _hand_over() -> None:
    """The objects a pause made leave the youngest generation without being walked: else the first
    collection after it walks every one of them (0.2 s after loading the 20,000-volunteer week, as
    much after its eligible lists). In a run that settles its objects they join the settled ones;
    elsewhere they join the oldest generation, which only a full collection walks."""
    with frozen():
        pass


@contextlib.contextmanager
def frozen() -> Iterator[None]:
    """Everything alive now kept out of the collections for the block (a forked child inherits it so, and
    its collector copies no page by walking it); a run that settled its objects keeps them settled after."""
    settled = gc.get_freeze_count() > 0
    gc.freeze()
    try:
        yield
    finally:
        if not settled:
            gc.unfreeze()


def settle() -> None:
    """Everything alive now lives to the end of the run: later collections do not walk it (`gc.freeze`)."""
    gc.freeze()


@contextlib.contextmanager
def one_run() -> Iterator[None]:
    """A run whose `settle`d objects go back to the collector's care when it ends, so that a long-lived
    process (the service) collects them like any other once they are garbage."""
    try:
        yield
    finally:
        gc.unfreeze()
