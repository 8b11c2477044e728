"""`roster serve --engine ray` as a real process: each run is a Ray task on a Ray the server starts on this machine.

One server (and one Ray) serves every test of this file, since Ray takes seconds to start; it is
stopped at the end and Ray with it. The API is the same as with the local engine: the run's
progress and end come back to the run record, a stop writes the best roster, a lost task fails
its run with a message in the community's language and the queue goes on.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from scheduler import api

from .support import (
    ROOT,
    WEEK,
    Server,
    alive,
    community,
    events,
    free_port,
    long_files,
    running,
    wait_for,
)

pytest.importorskip("ray", reason="Ray is not installed (pip install 'volunteer-roster[ray]')")

SEED = 3
TUTORIAL = ROOT / "sample_data" / "tutorial"
TUTORIAL_FILES = ("volunteers.csv", "shifts.yaml", "rules.yaml")
FINISHED = ("completed", "stopped", "failed")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The server of this file's tests; the last test stops it with SIGTERM (this only makes sure it is gone)."""
    served = Server(tmp_path_factory.mktemp("ray") / "data", options=("--engine", "ray")).start()
    yield served
    served.stop()


def test_a_run_on_ray_writes_the_roster_the_local_engine_writes(server, tmp_path):
    admin = server.client()
    community(admin, "tutorial", {name: (TUTORIAL / name).read_bytes() for name in TUTORIAL_FILES})
    run_id = admin.post(f"/communities/tutorial/weeks/{WEEK}/runs", json={"time_limit": 5, "seed": SEED}).json()["id"]
    stream = events(admin, run_id)
    assert [name for name, _ in stream] == ["progress"] * (len(stream) - 1) + ["end"] and len(stream) > 1
    run = stream[-1][1]
    assert run["status"] == "completed", run
    assert run["result"] == {"status": "complete", "seats_filled": 10, "seats_needed": 10, "unfilled": [],
                             "interrupted": False}
    assert run["progress"]["missing"] == 0 and run["progress"]["objective"] == run["progress"]["bound"]

    alone = tmp_path / "tutorial"
    shutil.copytree(TUTORIAL, alone, ignore=shutil.ignore_patterns("rosters"))
    api.plan_week(alone, WEEK, time_limit=5, seed=SEED)  # what the local engine runs in its worker
    for name in ("assignments.csv", "duty_table.csv"):
        assert admin.get(f"/communities/tutorial/weeks/{WEEK}/{name}").content == (alone / "rosters" / WEEK / name).read_bytes()
    served = _deterministic(admin.get(f"/communities/tutorial/weeks/{WEEK}/roster.json").content)
    assert served == _deterministic((alone / "rosters" / WEEK / "roster.json").read_bytes())
    assert served["solver"]["status"] == "OPTIMAL" and served["solver"]["deterministic"] is True


def test_a_stop_ends_the_ray_task_and_writes_its_best_roster(server):
    admin = server.client()
    community(admin, "yanji7", long_files())
    run_id = running(admin, "yanji7")
    asked = time.monotonic()
    assert admin.delete(f"/runs/{run_id}").status_code == 202
    run = wait_for(admin, run_id, FINISHED, timeout=10)
    assert time.monotonic() - asked < 5.0
    assert run["status"] == "stopped" and run["result"]["interrupted"] is True
    folder = server.data / "communities" / "yanji7"
    roster = json.loads((folder / "rosters" / WEEK / "roster.json").read_text(encoding="utf-8"))
    assert roster["solver"]["interrupted"] is True
    assert api.check(api.load(folder, week=WEEK), folder / "rosters" / WEEK / "roster.json") == []


def test_a_lost_ray_task_fails_its_run_in_the_communitys_language_and_the_queue_goes_on(server):
    admin = server.client()
    community(admin, "east", long_files())
    run_id = running(admin, "east")
    queued = admin.post(f"/communities/east/weeks/{WEEK}/runs", json={"time_limit": 2}).json()["id"]
    tasks = [pid for pid in _descendants(server.process.pid) if _command_line(pid).startswith("ray::ray_task")]
    assert tasks
    for pid in tasks:
        os.kill(pid, signal.SIGKILL)
    run = wait_for(admin, run_id, FINISHED, timeout=30)
    assert run["status"] == "failed" and run["error"].startswith("排班任务在计算集群（Ray）上意外中断"), run
    assert "ray status" in run["error"]
    assert wait_for(admin, queued, FINISHED, timeout=120)["status"] == "completed"


def test_sigterm_stops_the_ray_task_which_keeps_its_best_roster_and_ray_ends_with_the_server(server):
    """The last test of the file: it stops the server."""
    admin = server.client()
    community(admin, "west", long_files())
    run_id = running(admin, "west")
    ray_processes = _descendants(server.process.pid)
    assert any(_command_line(pid).startswith("ray::ray_task") for pid in ray_processes)
    server.process.send_signal(signal.SIGTERM)
    assert server.process.wait(30) == 0
    roster = json.loads((server.data / "communities/west/rosters" / WEEK / "roster.json").read_text(encoding="utf-8"))
    assert roster["solver"]["interrupted"] is True
    deadline = time.monotonic() + 20
    while any(alive(pid) and "Agent" not in _command_line(pid) for pid in ray_processes):
        assert time.monotonic() < deadline, "Ray outlived the server"
        time.sleep(0.2)
    again = Server(server.data).start()  # the record, read by a server with the local engine (no Ray to start)
    try:
        assert again.client().get(f"/runs/{run_id}").json()["status"] == "stopped"
    finally:
        again.stop()


def test_a_lost_cluster_fails_the_running_run_and_the_next_one_at_once(tmp_path):
    """Ray's head (its GCS) killed under a run: the run fails within seconds, the next one at once, and SIGTERM
    still stops the server cleanly."""
    lost = Server(tmp_path / "data", options=("--engine", "ray")).start()
    below = _descendants(lost.process.pid)
    try:
        admin = lost.client()
        community(admin, "north", long_files())
        run_id = running(admin, "north")
        for pid in below:
            if "gcs_server" in _command_line(pid):
                os.kill(pid, signal.SIGKILL)
        run = wait_for(admin, run_id, FINISHED, timeout=30)
        assert run["status"] == "failed" and run["error"].startswith("无法联系计算集群（Ray）"), run
        posted = admin.post(f"/communities/north/weeks/{WEEK}/runs", json={"time_limit": 2}).json()["id"]
        assert wait_for(admin, posted, FINISHED, timeout=10)["error"].startswith("无法联系计算集群（Ray）")
        below += _descendants(lost.process.pid)
        lost.process.send_signal(signal.SIGTERM)  # and the server still stops cleanly, waiting on nothing
        assert lost.process.wait(30) == 0
    finally:  # Ray's helpers of a Ray whose head was killed stay behind: they end here
        lost.stop()
        for pid in below:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


def test_a_ray_address_that_does_not_answer_stops_the_start_with_exit_code_2(tmp_path):
    data = tmp_path / "data"
    done = subprocess.run([sys.executable, "-m", "scheduler", "serve", "--data", str(data), "--engine", "ray",
                           "--ray-address", f"127.0.0.1:{free_port()}"], check=False, capture_output=True, text=True,
                          timeout=120,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert done.returncode == 2, done.stderr
    assert "cannot reach the Ray cluster at 127.0.0.1:" in done.stderr and "Fix: start it with `ray start --head`" in done.stderr
    assert not data.exists()  # nothing written, no admin token made


def _deterministic(roster_json: bytes) -> dict:
    record = json.loads(roster_json)
    record.pop("generated_at")
    for field in ("wall_seconds", "build_seconds"):
        record["solver"].pop(field)
    return record


def _descendants(root: int) -> list[int]:
    """Every process below `root`: Ray's own (gcs_server, raylet) and its workers (ray::…)."""
    found = subprocess.run(["ps", "-eo", "pid=,ppid="], check=True, capture_output=True, text=True).stdout.split()
    children: dict[int, list[int]] = {}
    for pid, ppid in zip(found[::2], found[1::2]):
        children.setdefault(int(ppid), []).append(int(pid))
    below, todo = [], [root]
    while todo:
        found_below = children.get(todo.pop(), [])
        below += found_below
        todo += found_below
    return below


def _command_line(pid: int) -> str:
    try:
        return open(f"/proc/{pid}/cmdline", "rb").read().replace(b"\0", b" ").decode()
    except OSError:
        return ""
