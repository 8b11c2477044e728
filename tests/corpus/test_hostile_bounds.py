"""Small hostile files cost bounded time and memory: the bombs of the catalogue in a process of their own.

`roster validate` runs in a fresh Python process (so that its peak memory is the tool's own) on
copies of the tutorial folder, each holding one hostile file. It must answer within a generous timeout (the
unguarded tool ran for minutes), exit 2 with the catalogue's message, stay far below the gigabytes
the unguarded tool took (its own peak resident memory, from `resource.getrusage`), and write nothing.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .builders import TUTORIAL
from .cases import WEEK
from .hostile import BOMBS
from .test_broken_inputs import place, snapshot

ROOT = Path(__file__).resolve().parent.parent.parent
TIMEOUT_SECONDS = 120  # the unguarded tool: 120 s for the alias bomb, > 60 s for nested days, 400 s for big CSVs
PEAK_MEGABYTES = 700  # the unguarded tool: 4.4 to 7.4 GB; importing the tool alone takes about 150 MB

RUN = """
import json, resource, sys
from click.testing import CliRunner
from scheduler.cli import main
for folder in sys.argv[2:]:
    result = CliRunner().invoke(main, ["validate", folder, "--week", sys.argv[1]])
    print(json.dumps({"exit": result.exit_code, "output": result.output,
                      "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, dict]:
    """Every bomb validated, one after the other, in one fresh process (the tool is imported once).

    Peak memory only grows, so each report's peak is the highest up to and including its case:
    the first case over the bound is the one to blame.
    """
    folders, befores = [], {}
    for case in BOMBS:
        folder = tmp_path_factory.mktemp(case.id) / "tutorial"
        shutil.copytree(TUTORIAL, folder)
        place(case, folder)
        befores[case.id] = snapshot(folder)
        folders.append(folder)
    done = subprocess.run([sys.executable, "-c", RUN, WEEK, *map(str, folders)],
                          capture_output=True, text=True, timeout=TIMEOUT_SECONDS, cwd=ROOT,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()[-len(BOMBS):]
    return {case.id: {**json.loads(line), "folder": folder, "before": befores[case.id]}
            for case, folder, line in zip(BOMBS, folders, lines)}


@pytest.mark.parametrize("case", BOMBS, ids=str)
def test_a_bomb_is_refused_in_bounded_time_and_memory(case, reports):
    report = reports[case.id]
    assert report["exit"] == 2, report["output"]
    assert "Traceback" not in report["output"] and "Internal error" not in report["output"]
    assert Path(case.file).name in report["output"] and "Fix:" in report["output"], report["output"]
    for fragment in case.expect:
        assert fragment in report["output"], report["output"]
    assert report["peak_mb"] < PEAK_MEGABYTES, f"{case.id}: {report['peak_mb']:.0f} MB"
    assert snapshot(report["folder"]) == report["before"]
