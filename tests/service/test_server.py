"""`roster serve` as a real process, driven over HTTP: the sample week end to end, stop, many communities at once,
and a hard kill with a run queued and another running.

Each test solves the sample week, so these take seconds each, not milliseconds.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time

import scheduler.api as api

from .support import ROOT, SAMPLE, WEEK, alive, community, events, long_files, running, sample_files, wait_for

SEED = 3
TIME_LIMIT = 10
TUTORIAL = ROOT / "sample_data" / "tutorial"


def solve_with_the_command_line(source, folder):
    shutil.copytree(source, folder, ignore=shutil.ignore_patterns("rosters"))
    done = subprocess.run([sys.executable, "-m", "scheduler", "solve", str(folder), "--week", WEEK, "--quiet",
                           "--seed", str(SEED), "--time-limit", str(TIME_LIMIT)], capture_output=True, text=True,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert done.returncode in (0, 3), done.stderr
    return folder / "rosters" / WEEK


def deterministic(roster_json: bytes) -> dict:
    record = json.loads(roster_json)
    record.pop("generated_at")
    for field in ("wall_seconds", "build_seconds"):
        record["solver"].pop(field)
    return record


def test_the_sample_week_from_upload_to_roster_explain_cover_check_and_hours(serve, tmp_path):
    server = serve()
    admin = server.client()
    community(admin, "yanji7", sample_files())
    coordinator = server.client(_token(server, "yanji7", "coordinator"))
    viewer = server.client(_token(server, "yanji7", "viewer"))

    bad = sample_files()["volunteers.csv"].replace("V002,袁雅芬,女".encode(), "V002,袁雅芬,X".encode())
    refused = coordinator.put("/communities/yanji7/files/volunteers.csv", content=bad)
    assert refused.status_code == 422
    assert [(e["row"], e["column"], e["value"]) for e in refused.json()["errors"]] == [(3, "性别", "X")]

    checked = viewer.post(f"/communities/yanji7/weeks/{WEEK}/validate").json()
    assert checked["ok"] and checked["summary"]["volunteers_total"] == 232

    posted = coordinator.post(f"/communities/yanji7/weeks/{WEEK}/runs", json={"time_limit": 15, "seed": SEED})
    assert posted.status_code == 202
    run_id = posted.json()["id"]
    stream = events(viewer, run_id)
    assert stream[-1][0] == "end" and [name for name, _ in stream[:-1]] == ["progress"] * (len(stream) - 1)
    assert len(stream) > 1 and set(stream[0][1]) == {"elapsed", "missing", "objective", "bound"}
    run = stream[-1][1]
    assert run["status"] == "completed", run
    assert run["result"]["status"] == "complete" and run["result"]["seats_filled"] == run["result"]["seats_needed"]

    served = viewer.get(f"/communities/yanji7/weeks/{WEEK}/roster.json").content
    assert json.loads(served)["status"] == "complete"
    assert api.check(api.load(SAMPLE, week=WEEK), server.data / "communities/yanji7/rosters" / WEEK / "roster.json") == []
    before = viewer.get(f"/communities/yanji7/weeks/{WEEK}/assignments.csv").content
    xlsx = viewer.get(f"/communities/yanji7/weeks/{WEEK}/roster.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert viewer.get("/communities/yanji7/weeks").json() == [
        {"week": WEEK, "status": "complete", "latest_run": {"id": run_id, "status": "completed"}}]

    first = json.loads(served)["assignments"][0]
    why = viewer.get(f"/communities/yanji7/weeks/{WEEK}/explain", params={"volunteer": first["volunteer"]}).json()
    assert why["kind"] == "volunteer" and first["shift"] in why["shifts"] and first["volunteer_name"] in why["text"]
    who = viewer.get(f"/communities/yanji7/weeks/{WEEK}/explain", params={"shift": first["shift"], "lang": "en"})
    assert first["volunteer"] in who.json()["shifts"] and who.json()["lang"] == "en"

    body = {"shift": first["shift"], "without": first["volunteer"]}
    offered = coordinator.post(f"/communities/yanji7/weeks/{WEEK}/cover", json=body).json()
    assert offered["candidates"] and offered["applied"] is None
    assert viewer.post(f"/communities/yanji7/weeks/{WEEK}/cover", json={**body, "apply": 1}).status_code == 403
    applied = coordinator.post(f"/communities/yanji7/weeks/{WEEK}/cover", json={**body, "apply": 1}).json()
    assert applied["applied"] == offered["candidates"][0] and "roster.json" in applied["written"]
    now = viewer.get(f"/communities/yanji7/weeks/{WEEK}/assignments.csv").content
    assert f"{first['shift']},".encode() in now and now != before

    verdict = viewer.post(f"/communities/yanji7/weeks/{WEEK}/check", content=now).json()
    assert verdict == {"ok": True, "assignments": len(json.loads(served)["assignments"]), "violations": [],
                       "differences": []}
    doubled = now + now.splitlines(keepends=True)[1]
    assert viewer.post(f"/communities/yanji7/weeks/{WEEK}/check", content=doubled).json()["ok"] is False

    hours = viewer.get("/communities/yanji7/hours", params={"from": "2026-11-30", "to": "2026-12-06"}).json()
    assert hours["weeks"] == [WEEK] and len(hours["detail"]) == len(json.loads(served)["assignments"])
    table = viewer.get("/communities/yanji7/hours", params={"format": "csv"})
    assert table.headers["content-type"].startswith("text/csv") and table.text.lstrip("\ufeff").startswith("name,id")

    log = server.log.read_text()
    assert "18600009127" not in log and "volunteer=" not in log and "V002" not in log
    assert log.count(server.admin) == 2  # the first start's banner (token and login link), never after


def test_a_run_writes_byte_for_byte_what_roster_solve_writes(serve, tmp_path):
    """The tutorial week: its search ends proven optimal, so both rosters are the same whatever the machine's load."""
    server = serve()
    admin = server.client()
    community(admin, "tutorial", {name: (TUTORIAL / name).read_bytes()
                                  for name in ("volunteers.csv", "shifts.yaml", "rules.yaml")})
    run_id = admin.post(f"/communities/tutorial/weeks/{WEEK}/runs", json={"time_limit": TIME_LIMIT, "seed": SEED}).json()["id"]
    assert wait_for(admin, run_id, ("completed", "stopped", "failed"))["status"] == "completed"
    expected = solve_with_the_command_line(TUTORIAL, tmp_path / "cli")
    for name in ("assignments.csv", "duty_table.csv"):
        assert admin.get(f"/communities/tutorial/weeks/{WEEK}/{name}").content == (expected / name).read_bytes()
    served = admin.get(f"/communities/tutorial/weeks/{WEEK}/roster.json").content
    assert deterministic(served) == deterministic((expected / "roster.json").read_bytes())
    assert json.loads(served)["solver"]["status"] == "OPTIMAL"


def test_stop_within_5_seconds_writes_the_best_roster_marked_interrupted(serve):
    server = serve()
    admin = server.client()
    community(admin, "yanji7", long_files())
    run_id = running(admin, "yanji7")
    asked = time.monotonic()
    assert admin.delete(f"/runs/{run_id}").status_code == 202
    run = wait_for(admin, run_id, ("stopped", "completed", "failed"), timeout=10)
    assert time.monotonic() - asked < 5.0
    assert run["status"] == "stopped" and run["result"]["interrupted"] is True
    roster = json.loads(admin.get(f"/communities/yanji7/weeks/{WEEK}/roster.json").content)
    assert roster["solver"]["interrupted"] is True
    assert admin.delete(f"/runs/{run_id}").status_code == 409


def test_a_crashed_worker_marks_its_run_failed_with_the_reason(serve):
    server = serve()
    admin = server.client()
    community(admin, "yanji7", long_files())
    run_id = running(admin, "yanji7")
    workers = [pid for pid in server.children() if "spawn_main" in _command_line(pid)]
    assert workers
    for pid in workers:  # the run's worker, and the spare waiting for the next run
        os.kill(pid, signal.SIGKILL)
    run = wait_for(admin, run_id, ("completed", "stopped", "failed"), timeout=30)
    assert run["status"] == "failed" and "ended unexpectedly" in run["error"]
    assert not (server.data / "communities/yanji7/rosters" / WEEK / "roster.json").exists()


def test_sigterm_stops_the_server_and_its_solves_keep_their_best_roster(serve):
    server = serve()
    admin = server.client()
    community(admin, "yanji7", long_files())
    run_id = running(admin, "yanji7")
    workers = server.children()
    server.process.send_signal(signal.SIGTERM)
    assert server.process.wait(30) == 0
    _gone(workers)
    roster = json.loads((server.data / "communities/yanji7/rosters" / WEEK / "roster.json").read_text(encoding="utf-8"))
    assert roster["solver"]["interrupted"] is True
    server.start()
    assert server.client().get(f"/runs/{run_id}").json()["status"] == "stopped"


def test_four_communities_submitted_at_once_all_finish_with_valid_rosters(serve):
    server = serve(jobs=2)
    admin = server.client()
    names = [f"village{n}" for n in range(4)]
    for name in names:
        community(admin, name, sample_files())
    runs = [admin.post(f"/communities/{name}/weeks/{WEEK}/runs", json={"time_limit": 2, "seed": n}).json()["id"]
            for n, name in enumerate(names)]
    for run_id in runs:
        assert wait_for(admin, run_id, ("completed", "stopped", "failed"), timeout=240)["status"] == "completed"
    for name in names:
        folder = server.data / "communities" / name
        problem = api.load(folder, week=WEEK)
        assert api.check(problem, folder / "rosters" / WEEK / "roster.json") == []


def test_a_hard_kill_loses_nothing_queued_and_leaves_no_worker_nor_half_written_roster(serve):
    server = serve(jobs=1)
    admin = server.client()
    community(admin, "east", long_files())
    community(admin, "west", sample_files())
    busy = running(admin, "east")
    queued = admin.post(f"/communities/west/weeks/{WEEK}/runs", json={"time_limit": 3}).json()["id"]
    assert admin.get(f"/runs/{queued}").json()["status"] == "queued"
    workers = server.children()
    assert workers
    server.kill()
    _gone(workers)

    server.start()
    admin = server.client()
    failed = admin.get(f"/runs/{busy}").json()
    assert failed["status"] == "failed" and failed["error"] == "server restarted"
    assert not (server.data / "communities/east/rosters" / WEEK / "roster.json").exists()
    assert wait_for(admin, queued, ("completed", "stopped", "failed"), timeout=120)["status"] == "completed"
    folder = server.data / "communities/west"
    assert api.check(api.load(folder, week=WEEK), folder / "rosters" / WEEK / "roster.json") == []


def _gone(workers: list[int], seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while any(alive(pid) for pid in workers):
        assert time.monotonic() < deadline, "a worker outlived the server"
        time.sleep(0.1)


def _command_line(pid: int) -> str:
    try:
        return open(f"/proc/{pid}/cmdline", "rb").read().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _token(server, community: str, role: str) -> str:
    made = subprocess.run([sys.executable, "-m", "scheduler", "token", "create", community, "--role", role,
                           "--data", str(server.data)] + (["--db", server.db_url] if server.db_url else []),
                          capture_output=True, text=True, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert made.returncode == 0, made.stderr
    return made.stdout.splitlines()[-1]
