"""A whole city: solve-all over generated communities with the local engine and with Ray.

Six small communities: four ordinary, one with a broken register, one short of people. Every
engine must give each community the roster `plan_week` gives it alone, report the broken one in
its row and plan the others; Ctrl-C in a real process writes each community's roster.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import scheduler.planning
from scheduler.city import City, find_communities, generate_city, summary_text
from scheduler.cli import main
from scheduler.engines import Outcome, RunOptions, run_one
from scheduler.engines.local import LocalEngine
from scheduler.io.writers import OUTPUT_FILES

WEEK = "2026-W49"
OPTIONS = RunOptions(time_limit=20, workers=2)  # far from the wall-clock safety net, even on a busy machine
FLAGS = ["--week", WEEK, "--time-limit", "20", "--workers", "2", "--quiet"]
BROKEN, SHORT = "community-003", "community-005"
PHONE = "13812345678"


def edit_register(folder: Path, edit) -> None:
    path = folder / "volunteers.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    edit(rows)
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8-sig")


def break_register(rows: list[list[str]]) -> None:
    """A phone number typed into the birth-date cell of the second volunteer."""
    rows[2][rows[0].index("出生日期")] = PHONE


def thin_register(rows: list[list[str]]) -> None:
    """Two volunteers in three leave the register (在册 否): the week can no longer be staffed."""
    active = rows[0].index("在册")
    for n, row in enumerate(rows[1:]):
        if n % 3:
            row[active] = "否"


@pytest.fixture(scope="module")
def city_template(tmp_path_factory) -> Path:
    parent = tmp_path_factory.mktemp("city") / "city"
    generate_city(parent, 6, seed=7, week=WEEK, sizes=(20, 40))
    edit_register(parent / BROKEN, break_register)
    edit_register(parent / SHORT, thin_register)
    return parent


@pytest.fixture
def city(city_template, tmp_path) -> Path:
    return Path(shutil.copytree(city_template, tmp_path / "city"))


@pytest.fixture(scope="module")
def one_by_one(city_template, tmp_path_factory) -> dict[str, list]:
    """The roster of each plannable community, planned alone with plan_week."""
    parent = Path(shutil.copytree(city_template, tmp_path_factory.mktemp("alone") / "city"))
    rosters = {}
    for folder in find_communities(parent):
        if folder.name != BROKEN:
            plan = scheduler.plan_week(folder, WEEK, time_limit=OPTIONS.time_limit, workers=OPTIONS.workers)
            rosters[folder.name] = sorted(plan.roster.pairs())
    return rosters


def rosters_of(parent: Path) -> dict[str, list]:
    found = {}
    for roster in sorted(parent.glob(f"*/rosters/{WEEK}/roster.json")):
        record = json.loads(roster.read_text(encoding="utf-8"))
        found[roster.parents[2].name] = sorted((a["volunteer"], a["shift"]) for a in record["assignments"])
    return found


def summary_of(parent: Path) -> dict[str, dict[str, str]]:
    text = (parent / f"summary-{WEEK}.csv").read_bytes().decode("utf-8")
    assert text.startswith("\ufeff")  # for Excel
    return {row["社区"]: row for row in csv.DictReader(text[1:].splitlines())}


def assert_city_planned(parent: Path, one_by_one: dict[str, list]) -> None:
    assert rosters_of(parent) == one_by_one
    rows = summary_of(parent)
    assert list(rows) == [f"community-00{n}" for n in range(1, 7)]
    assert rows[BROKEN]["状态"] == "输入有误"
    assert "volunteers.csv，第 3 行，列「出生日期」：出生日期写得不像日期" in rows[BROKEN]["说明"]  # the table's language
    assert "*******5678" in rows[BROKEN]["说明"] and PHONE not in rows[BROKEN]["说明"]
    assert rows[SHORT]["状态"] == "部分" and int(rows[SHORT]["缺人次"]) > 0
    assert int(rows[SHORT]["已排人次"]) + int(rows[SHORT]["缺人次"]) == int(rows[SHORT]["需要人次"])
    for name in set(rows) - {BROKEN, SHORT}:
        assert rows[name]["状态"] == "完整" and rows[name]["已排人次"] == rows[name]["需要人次"]
    assert not (parent / BROKEN / "rosters").exists()


def test_finds_every_folder_with_a_register_and_shifts(city):
    (city / "notes").mkdir()
    (city / "notes" / "shifts.yaml").write_text("shifts: []\n", encoding="utf-8")  # no register: not a community
    district = city / "district" / "yanji"
    shutil.copytree(city / "community-001", district)
    found = [folder.relative_to(city).as_posix() for folder in find_communities(city)]
    assert found == [f"community-00{n}" for n in range(1, 7)] + ["district/yanji"]


def test_local_engine_plans_each_community_as_plan_week_does(city, one_by_one):
    result = CliRunner().invoke(main, ["solve-all", str(city), *FLAGS, "--parallel", "2"])
    assert result.exit_code == 2, result.output  # one community could not be planned
    assert_city_planned(city, one_by_one)
    assert "community-003  输入有误" in result.output and "community-005  部分" in result.output


def test_one_process_gives_the_same_rosters(city, one_by_one):
    done = scheduler.solve_all(city, WEEK, parallel=1, time_limit=OPTIONS.time_limit, workers=OPTIONS.workers)
    assert done.exit_status == "failed"
    assert [o.status for o in done.outcomes] == ["complete", "complete", "invalid", "complete", "partial", "complete"]
    assert_city_planned(city, one_by_one)


def test_ray_engine_plans_each_community_as_plan_week_does(city, one_by_one):
    ray = pytest.importorskip("ray", reason="Ray is not installed (pip install 'volunteer-roster[ray]')")

    ray.init(num_cpus=2, include_dashboard=False, logging_level="warning")
    try:  # solve-all --engine ray uses the Ray already started here
        result = CliRunner().invoke(main, ["solve-all", str(city), *FLAGS, "--engine", "ray"])
        assert ray.is_initialized()
    finally:
        ray.shutdown()
    assert result.exit_code == 2, result.output
    assert_city_planned(city, one_by_one)


def keep_only(parent: Path, *names: str) -> Path:
    for folder in find_communities(parent):
        if folder.name not in names:
            shutil.rmtree(folder)
    return parent


def test_exit_0_when_every_roster_is_complete(city):
    result = CliRunner().invoke(main, ["solve-all", str(keep_only(city, "community-001")), *FLAGS, "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "1 community, 1 complete, 0 partial, 0 not planned" in result.output
    assert f"Written: {city / f'summary-{WEEK}.csv'}" in result.output
    header = (city / f"summary-{WEEK}.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert header == "community,status,seats filled,seats needed,missing,left out,seconds,interrupted,message"


def test_exit_3_when_some_roster_is_partial(city):
    result = CliRunner().invoke(main, ["solve-all", str(keep_only(city, "community-001", SHORT)), *FLAGS])
    assert result.exit_code == 3, result.output


def test_a_bad_week_or_an_empty_parent_is_bad_input(tmp_path):
    result = CliRunner().invoke(main, ["solve-all", str(tmp_path), "--week", "2026-W60", "--lang", "en"])
    assert result.exit_code == 2 and "not an ISO week" in result.output
    result = CliRunner().invoke(main, ["solve-all", str(tmp_path), "--week", WEEK])  # no rules yet: Chinese
    assert result.exit_code == 2 and "里面没有找到社区文件夹" in result.output
    assert not list(tmp_path.iterdir())


def test_a_crash_is_reported_in_its_row_with_numbers_masked(city, monkeypatch):
    def crash(*args, **kwargs):
        raise RuntimeError(f"boom for {PHONE}")

    monkeypatch.setattr(scheduler.planning, "plan_week", crash)
    outcome = run_one(city / "community-001", WEEK, OPTIONS)
    assert outcome.status == "crashed" and not outcome.planned
    assert outcome.message == "internal error: RuntimeError: boom for *******5678"


def test_a_worker_that_dies_costs_only_its_own_run(city):
    with LocalEngine(parallel=1) as engine:
        first = engine.submit(city / "community-001", WEEK, OPTIONS)
        second = engine.submit(city / "community-002", WEEK, OPTIONS)
        deadline = time.monotonic() + 30
        while not engine._workers and time.monotonic() < deadline:
            time.sleep(0.05)
        os.kill(engine._workers[0].process.pid, signal.SIGKILL)
        assert first.result(60).status == "crashed"
        assert "worker process ended unexpectedly" in first.result().message
        assert second.result(60).status == "complete"
    assert not (city / "community-001" / "rosters").exists()


def test_a_stopped_queued_run_never_starts(city):
    with LocalEngine(parallel=1) as engine:
        engine.submit(city / "community-001", WEEK, OPTIONS)
        queued = engine.submit(city / "community-002", WEEK, OPTIONS)
        queued.stop()
        assert queued.result(1).status == "skipped"
    assert not (city / "community-002" / "rosters").exists()


def test_the_table_lines_up_wide_characters():
    outcomes = [Outcome(folder="/c/延吉七村", week=WEEK, status="complete", seats_filled=12, seats_needed=12, seconds=1.0),
                Outcome(folder="/c/b", week=WEEK, status="invalid", message="volunteers.csv: bad")]
    text = summary_text(City(parent=Path("/c"), week=WEEK, outcomes=outcomes, summary=Path("/c/s.csv"), seconds=2.0),
                        "zh")
    lines = text.splitlines()
    assert lines[0] == f"{WEEK}：2 个社区，完整 1，部分 0，未排成 1，共用时 2.0 秒"
    assert lines[3].startswith("延吉七村  完整") and lines[4].startswith("b         输入有误")
    assert lines[5] == "    volunteers.csv: bad"


def test_generate_city_is_deterministic_and_varied(tmp_path):
    first = generate_city(tmp_path / "a", 5, seed=2, week=WEEK, sizes=(20, 200))
    second = generate_city(tmp_path / "b", 5, seed=2, week=WEEK, sizes=(20, 200))
    assert [m.volunteers for m in first] == [m.volunteers for m in second]
    assert len({m.volunteers for m in first}) > 1 and all(20 <= m.volunteers <= 200 for m in first)
    for made in first:
        other = tmp_path / "b" / made.folder.name
        assert all((made.folder / f).read_bytes() == (other / f).read_bytes() for f in ("volunteers.csv", "shifts.yaml"))
    result = CliRunner().invoke(main, ["generate-city", str(tmp_path / "a"), "--communities", "2"])
    assert result.exit_code == 2 and "never overwrites" in result.output


def start_city(tmp_path: Path) -> tuple[Path, subprocess.Popen]:
    """`roster solve-all` on two mid-sized communities with a long time limit, once both are being planned."""
    parent = tmp_path / "city"
    generate_city(parent, 2, seed=1, week=WEEK, sizes=(300, 320))
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    process = subprocess.Popen([sys.executable, "-m", "scheduler", "solve-all", str(parent), "--week", WEEK,
                                "--time-limit", "120", "--workers", "1", "--parallel", "2", "--lang", "en"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    locks = [folder / ".roster.lock" for folder in find_communities(parent)]  # taken when a run starts
    deadline = time.monotonic() + 60
    while not all(lock.exists() for lock in locks) and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(1.0)
    return parent, process


def test_ctrl_c_stops_every_community_and_writes_each_roster(tmp_path):
    parent, process = start_city(tmp_path)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=90)
    assert process.returncode in (0, 3), err
    assert "Stopping: every community being planned writes its best roster so far" in err
    for folder in find_communities(parent):
        roster = json.loads((folder / "rosters" / WEEK / "roster.json").read_text(encoding="utf-8"))
        assert roster["solver"]["interrupted"] is True
    rows = (parent / f"summary-{WEEK}.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(rows) == 3 and all(",yes," in row for row in rows[1:])


def test_a_second_ctrl_c_stops_at_once(tmp_path):
    parent, process = start_city(tmp_path)
    process.send_signal(signal.SIGINT)
    time.sleep(0.2)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert "Stopped at once" in err
    assert not (parent / f"summary-{WEEK}.csv").exists()
    for folder in find_communities(parent):  # a roster is whole or absent
        roster = folder / "rosters" / WEEK / "roster.json"
        assert not roster.exists() or json.loads(roster.read_text(encoding="utf-8"))["assignments"]


def test_a_run_submitted_alone_reports_progress_and_its_outcome(city):
    progress = []
    with LocalEngine(parallel=1) as engine:
        handle = engine.submit(city / SHORT, WEEK, OPTIONS, on_progress=progress.append)
        outcome = handle.result(60)
    assert outcome.status == "partial" and outcome.missing > 0 and outcome.cpu_seconds > 0
    assert progress and all(p.shortfall >= outcome.missing for p in progress)
    assert [Path(path).name for path in outcome.written] == list(OUTPUT_FILES)
