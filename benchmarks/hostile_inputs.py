"""Small hostile files against `roster validate`: seconds and peak memory until the refusal.

Each bomb of the test catalogue (`tests/corpus/hostile.py`: a YAML alias bomb, nesting 100,000
deep, a workbook that decompresses to 300 MB, a 200,000-character cell, 20,000 unknown partners)
goes into a copy of the tutorial folder, and `roster validate` runs on it in a fresh process; the
figures are that process's wall time and peak resident memory. The clean tutorial is measured
the same way, as the floor (importing the tool).

    PYTHONPATH=. python3 benchmarks/hostile_inputs.py
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.corpus.builders import TUTORIAL  # noqa: E402
from tests.corpus.cases import WEEK  # noqa: E402
from tests.corpus.hostile import BOMBS  # noqa: E402
from tests.corpus.test_broken_inputs import place  # noqa: E402

RUN = """
import json, resource, sys
from click.testing import CliRunner
from scheduler.cli import main
result = CliRunner().invoke(main, ["validate", sys.argv[1], "--week", sys.argv[2]])
print(json.dumps({"exit": result.exit_code, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def measure(folder: Path) -> tuple[int, float, float]:
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", RUN, str(folder), WEEK], capture_output=True, text=True,
                          cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, check=True)
    report = json.loads(done.stdout.strip().splitlines()[-1])
    return report["exit"], time.monotonic() - started, report["peak_mb"]


def main() -> None:
    print(f"{'file':<45}{'size':>10}{'exit':>6}{'seconds':>9}{'peak MB':>9}")
    with tempfile.TemporaryDirectory() as work:
        clean = Path(work) / "clean"
        shutil.copytree(TUTORIAL, clean)
        code, seconds, peak = measure(clean)
        print(f"{'(the clean tutorial)':<45}{'':>10}{code:>6}{seconds:>9.1f}{peak:>9.0f}")
        for case in BOMBS:
            folder = Path(work) / case.id
            shutil.copytree(TUTORIAL, folder)
            target = place(case, folder)
            code, seconds, peak = measure(folder)
            size = target.stat().st_size
            print(f"{case.id:<45}{size / 1024:>8.0f}KB{code:>6}{seconds:>9.1f}{peak:>9.0f}")


if __name__ == "__main__":
    main()
