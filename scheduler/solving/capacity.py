"""How much memory planning a week takes, and the refusal of a week that would not fit.

Memory grows with the eligible (volunteer, shift) pairs: those of the whole week (the eligibility
lists, the warm start, the roster) and, much more, those of the largest independent part, the
one CP-SAT holds a model of at a time (its 8 workers each copy it). The figures are measured by
`benchmarks/memory.py` (peak RSS of `roster solve` on generated weeks, with the model built, up
to 2.2 M pairs in one part) and rounded up, so the estimate errs on the side of refusing.

A week is refused before its model is built, with its size and what to do, rather than found
out by the operating system halfway through the search.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from scheduler.domain.errors import ProblemTooLargeError

BASE_GB = 0.4
"""Python, OR-Tools and the loaded week before any pair (measured: 0.2 GB)."""

GB_PER_WEEK_PAIR = 0.25e-6
"""Per eligible pair of the whole week (measured: 0.15 KB at 1.7 M pairs in 87 parts)."""

GB_PER_PART_PAIR = 5e-6
"""Per eligible pair of the largest part, its model and search (measured: 2.4-4.7 KB, 8 workers)."""


def estimate_gb(week_pairs: int, largest_part: int) -> float:
    """The estimated peak memory (GB) of planning a week of this size."""
    return BASE_GB + GB_PER_WEEK_PAIR * week_pairs + GB_PER_PART_PAIR * largest_part


def available_gb() -> float | None:
    """The memory this machine can give now (MemAvailable), or the physical memory; None if unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) / 1024**2
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    except (OSError, ValueError, AttributeError):
        return None


def check_fits(part_sizes: Iterable[int], max_memory: float | None = None, language: str = "zh") -> float:
    """The estimated peak (GB) of a week whose parts have these pair counts; raises if it would not fit.

    `max_memory` (GB) is the limit; by default, the memory available on this machine now.
    Raises ProblemTooLargeError, with the size and a fix, before anything is built.
    """
    sizes = list(part_sizes)
    week_pairs, largest = sum(sizes), max(sizes, default=0)
    needed = estimate_gb(week_pairs, largest)
    limit = available_gb() if max_memory is None else max_memory
    if limit is not None and needed > limit:
        raise ProblemTooLargeError(too_large_text(week_pairs, largest, needed, limit, max_memory is None, language))
    return needed


def too_large_text(week_pairs: int, largest: int, needed: float, limit: float, machine: bool, language: str) -> str:
    if language == "zh":
        where = "本机当前可用内存" if machine else "--max-memory 限定的"
        return (f"这一周太大，无法排班：共 {week_pairs:,} 个可排（志愿者，班次）组合，其中最大的一组相互关联的"
                f"志愿者和班次有 {largest:,} 个，估计需要 {needed:.2f} GB 内存，超过{where} {limit:.2f} GB。"
                "什么也没有写入。解决办法：把每个小区（或队伍）作为单独的问题文件夹分别排班；"
                "或在内存更大的机器上运行，并用 --max-memory 放宽限制。")
    where = "the memory available on this machine now" if machine else "the --max-memory limit"
    return (f"this week is too large to plan: {week_pairs:,} possible (volunteer, shift) pairs, {largest:,} of them "
            f"in one group of volunteers and shifts that share shifts; it would need about {needed:.2f} GB of memory, "
            f"more than {where} ({limit:.2f} GB). Nothing was written. Fix: plan each community (or team) as its "
            "own problem folder, or run on a machine with more memory and raise --max-memory.")
