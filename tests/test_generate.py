"""`roster generate`: deterministic, loadable, with the sample's distributions and a tight but staffable week."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import constraints
import scheduler.api as api
from scheduler.analysis.validation import overview, warnings
from scheduler.cli import main
from scheduler.domain.errors import RosterError

WEEK = "2026-W49"


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def week500(tmp_path_factory):
    """A 500-volunteer folder (two compounds), loaded, with its context."""
    folder = tmp_path_factory.mktemp("gen") / "sub-district"
    api.generate(folder, 500, seed=7, week=WEEK)
    problem = api.load(folder, week=WEEK)
    return folder, problem, constraints.build_context(problem)


def test_same_seed_gives_byte_identical_files(tmp_path):
    api.generate(tmp_path / "a", 300, seed=11, week=WEEK)
    api.generate(tmp_path / "b", 300, seed=11, week=WEEK)
    api.generate(tmp_path / "c", 300, seed=12, week=WEEK)
    assert files_of(tmp_path / "a") == files_of(tmp_path / "b")
    assert files_of(tmp_path / "a")["volunteers.csv"] != files_of(tmp_path / "c")["volunteers.csv"]
    assert sorted(files_of(tmp_path / "a")) == ["rules.yaml", "shifts.yaml", "volunteers.csv"]


def test_register_is_utf8_with_bom_and_chinese_headers(tmp_path):
    api.generate(tmp_path / "g", 20, week=WEEK)
    data = (tmp_path / "g" / "volunteers.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig").splitlines()[0] == ("编号,姓名,性别,出生日期,健康状况,队伍,特长,身份,可服务时间,"
                                                        "不可服务日期,每周最多班次,意向,不愿意,结伴,联系电话,在册")


@pytest.mark.parametrize("size", [50, 200])
def test_small_folders_load_and_validate_without_warnings(tmp_path, size):
    api.generate(tmp_path / "g", size, seed=1, week=WEEK)
    problem = api.load(tmp_path / "g", week=WEEK)
    assert len(problem.volunteers) == size
    assert {t for v in problem.volunteers for t in v.teams} <= {"civility", "service"}
    assert warnings(problem, constraints.build_context(problem)) == []


def test_500_volunteers_make_compounds_with_their_own_teams_and_posts(week500):
    _, problem, context = week500
    assert len(problem.volunteers) == 500
    teams = {t for v in problem.volunteers for t in v.teams}
    assert teams == {"yanji1-civility", "yanji1-service", "yanji2-civility", "yanji2-service"}
    assert {d.id.split("-")[0] for d in problem.definitions} == {"yanji1", "yanji2"}
    assert all(d.name.startswith(("延吉一村", "延吉二村")) for d in problem.definitions)
    assert warnings(problem, context) == []


def test_distributions_follow_the_sample(week500):
    _, problem, _ = week500
    people = problem.volunteers
    n = len(people)
    share = lambda test: sum(1 for v in people if test(v)) / n  # noqa: E731
    ages = [v.age_on(problem.week.monday) for v in people]
    assert 0.66 <= share(lambda v: v.gender.value == "F") <= 0.82
    assert 0.30 <= share(lambda v: any(t.endswith("civility") for t in v.teams)) <= 0.44
    assert 0.58 <= share(lambda v: any(t.endswith("service") for t in v.teams)) <= 0.78
    assert 0.04 <= share(lambda v: len(v.teams) == 2) <= 0.15
    assert 0.60 <= sum(60 <= a <= 79 for a in ages) / n <= 0.78
    assert 0.06 <= sum(a < 40 for a in ages) / n <= 0.17
    assert all(18 <= a <= 89 for a in ages)
    assert 0.72 <= share(lambda v: v.health.value == "good") <= 0.86
    assert share(lambda v: v.health.value == "poor") <= 0.05
    assert 0.003 <= share(lambda v: not v.active) <= 0.05
    assert 0.10 <= share(lambda v: v.availability is None or len(v.availability) > 1) <= 0.80
    assert 0.02 <= share(lambda v: v.unavailable) <= 0.10
    assert 0.01 <= share(lambda v: v.partner) <= 0.07
    for v in people:
        if v.partner:
            assert problem.volunteer[v.partner].partner == v.id
            assert problem.volunteer[v.partner].teams & v.teams


def test_demand_is_about_90_percent_of_supply(week500):
    _, problem, context = week500
    view = overview(problem, context)
    seats = sum(day["seats"] for day in view.per_day)
    offered = sum(context.offered[v.id] for v in problem.active_volunteers)
    assert 0.86 <= seats / offered <= 0.93
    for team in view.per_team_supply:  # no team is asked for more than it offers
        assert 0 < team["seats"] <= team["offered"]
    for day in view.per_day:
        assert day["seats"] <= day["offered"]


def test_cli_writes_a_folder_that_validates(tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["generate", str(tmp_path / "g"), "--volunteers", "80", "--seed", "2", "--week", WEEK])
    assert result.exit_code == 0, result.output
    assert "80 volunteers in 1 compound" in result.output
    result = runner.invoke(main, ["validate", str(tmp_path / "g"), "--week", WEEK])
    assert result.exit_code == 0, result.output
    assert "No warnings." in result.output


def test_cli_refuses_a_folder_with_files_and_leaves_it_alone(tmp_path):
    folder = tmp_path / "taken"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me", encoding="utf-8")
    result = CliRunner().invoke(main, ["generate", str(folder), "--volunteers", "10"])
    assert result.exit_code == 2
    assert f"Error: {folder} is a folder with files in it; roster generate writes only into a new or empty folder" \
        in result.output
    assert files_of(folder) == {"notes.txt": b"keep me"}


def test_an_empty_folder_is_fine_but_a_file_is_refused(tmp_path):
    (tmp_path / "empty").mkdir()
    api.generate(tmp_path / "empty", 5, week=WEEK)
    assert (tmp_path / "empty" / "shifts.yaml").is_file()
    (tmp_path / "file").write_text("x")
    with pytest.raises(RosterError, match="is a file"):
        api.generate(tmp_path / "file", 5, week=WEEK)


def test_cli_rejects_a_bad_week_and_a_zero_size(tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["generate", str(tmp_path / "g"), "--volunteers", "10", "--week", "2026-W60"])
    assert result.exit_code == 2
    assert not (tmp_path / "g").exists()
    result = runner.invoke(main, ["generate", str(tmp_path / "g"), "--volunteers", "0"])
    assert result.exit_code == 2
