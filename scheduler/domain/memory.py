"""Pausing Python's cycle collector while a big week's many small objects are made.

The collector runs each time some hundreds of objects more have been made than freed, and every
so often walks all the objects alive: loading a week of 20,000 volunteers (137,000 YAML nodes,
20,000 models) or building its eligible lists made it walk them again and again, half of the
loading time. Those objects hold no reference cycles; what garbage in cycles a block leaves (a
few pandas frames) is collected as usual once the collector is back.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused_collector() -> Iterator[None]:
    """The cycle collector off within the block, back as it was after (a nested pause changes nothing)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        # The objects made meanwhile (a week's models) live as long as the run: they join the oldest
        # generation at once, as they would after surviving two collections, instead of being
        # examined all together by the first collection after the pause (a sixth of a second).
        gc.freeze()
        gc.unfreeze()
        if was_on:
            gc.enable()
