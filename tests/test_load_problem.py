"""load_problem: from a folder, from files one by one, from Python objects and DataFrames.

The same problem must come out whichever way it goes in, and every mistake in any of the three
inputs must come back in one InputError.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
import yaml

from scheduler.domain.errors import InputError
from scheduler.domain.models import PlanningWeek, Rules, Weights
from scheduler.loading import find_inputs, load_problem

SAMPLES = Path(__file__).resolve().parent.parent / "sample_data"
TUTORIAL = SAMPLES / "tutorial"
YANJI7 = SAMPLES / "yanji7"
WEEK = "2026-W49"

ONE_SHIFT = """shifts:
  - id: evening
    name: Evening patrol
    days: [Tue]
    start: "19:00"
    end: "21:00"
    need: 1
"""


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def people(problem) -> list[dict]:
    """The volunteers without the register row they came from."""
    return [v.model_dump(exclude={"row"}) for v in problem.volunteers]


def posts(problem) -> list[dict]:
    """The shift definitions without the line they came from."""
    return [d.model_dump(exclude={"line"}) for d in problem.definitions]


def occurrences(problem) -> list[tuple]:
    return [(s.id, s.start, s.end) for s in problem.shifts]


def register_frame(folder: Path) -> pd.DataFrame:
    """The register as a coordinator's pandas code would read it: every cell text, blanks empty."""
    return pd.read_csv(folder / "volunteers.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")


@pytest.fixture
def tutorial_copy(tmp_path) -> Path:
    folder = tmp_path / "tutorial"
    shutil.copytree(TUTORIAL, folder, ignore=shutil.ignore_patterns("rosters"))
    return folder


# ------------------------------------------------------------------------------ sample folders


def test_yanji7_for_week_49():
    problem = load_problem(YANJI7, week=WEEK)
    assert problem.week == PlanningWeek(year=2026, week=49)
    assert len(problem.volunteers) == 232
    assert len(problem.definitions) == 18
    # 12 daily posts x 7 days, plus care-pair (Mon, Fri), visit-alone (Tue, Thu), visit-hardship (Wed),
    # cleanup (Sat), english-class (Sun) and picture-books on its one date inside the week (Sat 12-05).
    assert len(problem.shifts) == 12 * 7 + 2 + 2 + 1 + 1 + 1 + 1 == 92
    per_day = Counter(s.date for s in problem.shifts)
    assert [per_day[d] for d in problem.week.dates] == [13, 13, 13, 13, 13, 14, 13]
    assert problem.shift["picture-books@2026-12-05"].name
    assert problem.rules == Rules(committee="延吉七村居民区", duty_table_title="创全志愿者值勤表", contact="居委会 电话 6543 2100")
    assert problem.volunteers[0].row == 2  # the header is row 1


def test_yanji7_in_a_week_without_picture_books():
    problem = load_problem(YANJI7, week="2026-W50")
    assert len(problem.shifts) == 91


def test_tutorial_for_week_49():
    problem = load_problem(TUTORIAL, week=WEEK)
    assert [v.id for v in problem.volunteers] == ["001", "002", "003", "004", "005", "006", "007", "008"]
    assert [d.id for d in problem.definitions] == ["gate-am", "cleanup", "reading-1205"]
    assert [s.id for s in problem.shifts] == [
        "gate-am@2026-11-30", "gate-am@2026-12-01", "gate-am@2026-12-02", "gate-am@2026-12-03",
        "gate-am@2026-12-04", "cleanup@2026-12-05", "reading-1205@2026-12-05",
    ]
    assert problem.rules == Rules(language="en")


def test_the_default_week_is_the_one_after_today():
    problem = load_problem(TUTORIAL, today=dt.date(2026, 11, 25))
    assert problem.week.label == "2026-W49"


def test_sources_carry_the_sha256_of_each_file():
    problem = load_problem(TUTORIAL, week=WEEK)
    assert {key: (Path(source.path), source.sha256) for key, source in problem.sources.items()} == {
        "volunteers": (TUTORIAL / "volunteers.csv", sha256(TUTORIAL / "volunteers.csv")),
        "shifts": (TUTORIAL / "shifts.yaml", sha256(TUTORIAL / "shifts.yaml")),
        "rules": (TUTORIAL / "rules.yaml", sha256(TUTORIAL / "rules.yaml")),
    }


def test_without_a_rules_file_the_defaults_apply(tutorial_copy):
    (tutorial_copy / "rules.yaml").unlink()
    problem = load_problem(tutorial_copy, week=WEEK)
    assert problem.rules == Rules()
    assert problem.sources["rules"].path == "(defaults)" and problem.sources["rules"].sha256 == ""


def test_a_changed_file_changes_its_hash(tutorial_copy):
    before = load_problem(tutorial_copy, week=WEEK).sources
    (tutorial_copy / "rules.yaml").write_text("max_shifts_per_day: 1\n", encoding="utf-8")
    after = load_problem(tutorial_copy, week=WEEK).sources
    assert after["rules"].sha256 != before["rules"].sha256
    assert after["shifts"] == before["shifts"] and after["volunteers"] == before["volunteers"]


def test_json_and_yml_files_are_found(tutorial_copy):
    shifts = yaml.safe_load((tutorial_copy / "shifts.yaml").read_text(encoding="utf-8"))
    (tutorial_copy / "shifts.yaml").rename(tutorial_copy / "shifts.yml")
    (tutorial_copy / "rules.yaml").unlink()
    (tutorial_copy / "rules.json").write_text('{"language": "en"}', encoding="utf-8")
    problem = load_problem(tutorial_copy, week=WEEK)
    assert problem.sources["shifts"].path.endswith("shifts.yml") and problem.rules == Rules(language="en")
    assert len(problem.definitions) == len(shifts["shifts"])


# ---------------------------------------------------------------------------- files one by one


def test_files_one_by_one_give_the_folders_problem():
    from_folder = load_problem(TUTORIAL, week=WEEK)
    one_by_one = load_problem(volunteers=TUTORIAL / "volunteers.csv", shifts=TUTORIAL / "shifts.yaml",
                              rules=TUTORIAL / "rules.yaml", week=WEEK)
    assert one_by_one == from_folder


def test_files_given_one_by_one_override_the_folders(tmp_path):
    shifts = tmp_path / "other-shifts.yaml"
    shifts.write_text(ONE_SHIFT, encoding="utf-8")
    rules = tmp_path / "other-rules.yaml"
    rules.write_text("max_shifts_per_week: 1\n", encoding="utf-8")
    problem = load_problem(TUTORIAL, shifts=shifts, rules=rules, week=WEEK)
    assert [s.id for s in problem.shifts] == ["evening@2026-12-01"]
    assert problem.rules == Rules(max_shifts_per_week=1)
    assert len(problem.volunteers) == 8  # still the folder's register
    assert problem.sources["shifts"].path == str(shifts) and problem.sources["shifts"].sha256 == sha256(shifts)


def test_a_file_given_one_by_one_stands_in_for_one_the_folder_lacks(tutorial_copy, tmp_path):
    (tutorial_copy / "shifts.yaml").unlink()
    shifts = tmp_path / "other-shifts.yaml"
    shifts.write_text(ONE_SHIFT, encoding="utf-8")
    problem = load_problem(tutorial_copy, shifts=shifts, week=WEEK)
    assert [s.id for s in problem.shifts] == ["evening@2026-12-01"]
    assert problem.sources["shifts"].path == str(shifts)
    assert problem.rules == Rules(language="en")  # the folder's own rules still apply


def test_a_register_given_one_by_one_stands_in_for_the_folders(tutorial_copy):
    (tutorial_copy / "volunteers.csv").unlink()
    problem = load_problem(tutorial_copy, volunteers=TUTORIAL / "volunteers.csv", week=WEEK)
    assert len(problem.volunteers) == 8
    assert problem.sources["volunteers"].path == str(TUTORIAL / "volunteers.csv")
    assert problem.sources["shifts"].path == str(tutorial_copy / "shifts.yaml")


def test_a_folder_lacking_a_file_not_given_is_still_an_error(tutorial_copy, tmp_path):
    (tutorial_copy / "shifts.yaml").unlink()
    with pytest.raises(InputError) as caught:
        load_problem(tutorial_copy, rules=TUTORIAL / "rules.yaml", week=WEEK)
    assert [str(f) for f in caught.value.findings] == [
        f"{tutorial_copy}: the folder has no shifts file. Fix: add one of: shifts.yaml, shifts.yml, shifts.json"
    ]


# ------------------------------------------------------------------------------ Python objects


def test_volunteers_from_a_dataframe_are_the_same_as_from_the_file():
    from_file = load_problem(TUTORIAL, week=WEEK)
    from_frame = load_problem(TUTORIAL, volunteers=register_frame(TUTORIAL), week=WEEK)
    assert people(from_frame) == people(from_file)
    assert from_frame.sources["volunteers"].path == "<DataFrame>"


def test_a_chinese_dataframe_gives_the_same_register():
    from_file = load_problem(YANJI7, week=WEEK)
    from_frame = load_problem(volunteers=register_frame(YANJI7), shifts=YANJI7 / "shifts.yaml", week=WEEK)
    assert people(from_frame) == people(from_file)


def test_everything_from_python_data_gives_the_same_problem():
    from_files = load_problem(TUTORIAL, week=WEEK)
    records = register_frame(TUTORIAL).to_dict("records")
    shifts = yaml.safe_load((TUTORIAL / "shifts.yaml").read_text(encoding="utf-8"))["shifts"]
    rules = yaml.safe_load((TUTORIAL / "rules.yaml").read_text(encoding="utf-8"))
    from_data = load_problem(volunteers=records, shifts=shifts, rules=rules, week=WEEK)
    assert people(from_data) == people(from_files)
    assert posts(from_data) == posts(from_files)
    assert occurrences(from_data) == occurrences(from_files)
    assert from_data.rules == from_files.rules
    assert {key: source.path for key, source in from_data.sources.items()} == {
        "volunteers": "<records>", "shifts": "<shifts data>", "rules": "<rules data>"}
    assert all(len(source.sha256) == 64 for source in from_data.sources.values())


def test_shifts_as_a_mapping_and_rules_as_objects():
    from_files = load_problem(TUTORIAL, week=WEEK)
    shifts = yaml.safe_load((TUTORIAL / "shifts.yaml").read_text(encoding="utf-8"))
    problem = load_problem(volunteers=list(from_files.volunteers), shifts=shifts,
                           rules=Rules(language="en", weights=Weights()), week=WEEK)
    assert posts(problem) == posts(from_files) and problem.rules == from_files.rules
    again = load_problem(volunteers=list(from_files.volunteers), shifts=list(from_files.definitions), week=WEEK)
    assert again.definitions == from_files.definitions and again.volunteers == from_files.volunteers
    assert again.rules == Rules()


def test_the_same_data_gives_the_same_hash():
    shifts = yaml.safe_load((TUTORIAL / "shifts.yaml").read_text(encoding="utf-8"))["shifts"]
    first = load_problem(TUTORIAL, shifts=shifts, week=WEEK).sources["shifts"].sha256
    second = load_problem(TUTORIAL, shifts=[dict(s) for s in shifts], week=WEEK).sources["shifts"].sha256
    shifts[0]["need"] = 2
    third = load_problem(TUTORIAL, shifts=shifts, week=WEEK).sources["shifts"].sha256
    assert first == second != third


def test_mistakes_in_python_data_are_findings_too():
    with pytest.raises(InputError) as caught:
        load_problem(TUTORIAL, shifts=[{"id": "gate", "days": ["Mon"], "start": "07:00", "end": "09:00"}],
                     rules={"max_shift_per_day": 1}, week=WEEK)
    assert [str(f) for f in caught.value.findings] == [
        "<shifts data>, column 'need': shift 'gate': need is missing. Fix: say how many people the shift wants, e.g. need: 2",
        "<rules data>, column 'max_shift_per_day': unknown key 'max_shift_per_day' in the rules file. "
        "Fix: did you mean 'max_shifts_per_day'?",
    ]


# ------------------------------------------------------------------------------- bad folders


def test_a_folder_without_its_shifts_file(tutorial_copy):
    (tutorial_copy / "shifts.yaml").unlink()
    with pytest.raises(InputError) as caught:
        load_problem(tutorial_copy, week=WEEK)
    assert [str(f) for f in caught.value.findings] == [
        f"{tutorial_copy}: the folder has no shifts file. Fix: add one of: shifts.yaml, shifts.yml, shifts.json"
    ]


def test_a_folder_with_both_a_csv_and_an_xlsx_register(tutorial_copy):
    register_frame(tutorial_copy).to_excel(tutorial_copy / "volunteers.xlsx", index=False)
    with pytest.raises(InputError) as caught:
        load_problem(tutorial_copy, week=WEEK)
    assert [str(f) for f in caught.value.findings] == [
        f"{tutorial_copy}: the folder has several volunteers files: volunteers.csv, volunteers.xlsx. "
        "Fix: keep only one of them"
    ]


def test_an_empty_folder_lists_both_missing_files(tmp_path):
    with pytest.raises(InputError) as caught:
        find_inputs(tmp_path)
    assert [f.message for f in caught.value.findings] == [
        "the folder has no volunteers file", "the folder has no shifts file"]
    assert caught.value.findings[0].fix == "add one of: volunteers.csv, volunteers.xlsx, volunteers.json"


def test_a_folder_that_does_not_exist(tmp_path):
    missing = tmp_path / "yanji8"
    with pytest.raises(InputError) as caught:
        load_problem(missing, week=WEEK)
    assert str(caught.value) == (f"1 problem in the inputs:\n  - {missing}: no such problem folder. "
                                 "Fix: give the folder that holds volunteers.csv and shifts.yaml")


def test_a_file_given_as_the_folder(tmp_path):
    with pytest.raises(InputError) as caught:
        load_problem(TUTORIAL / "shifts.yaml", week=WEEK)
    assert [f.message for f in caught.value.findings] == ["no such problem folder"]


def test_no_inputs_at_all():
    with pytest.raises(InputError) as caught:
        load_problem(week=WEEK)
    assert [str(f) for f in caught.value.findings] == [
        "(inputs): no volunteers given. Fix: pass --volunteers FILE or a problem folder",
        "(inputs): no shifts given. Fix: pass --shifts FILE or a problem folder",
    ]


def test_a_missing_file_given_one_by_one(tmp_path):
    with pytest.raises(InputError) as caught:
        load_problem(TUTORIAL, rules=tmp_path / "rulez.yaml", week=WEEK)
    assert [str(f) for f in caught.value.findings] == [
        f"{tmp_path / 'rulez.yaml'}: cannot read the file: No such file or directory. "
        "Fix: check the path and that the file is not open elsewhere"
    ]


def test_a_bad_week_is_an_input_error():
    with pytest.raises(InputError) as caught:
        load_problem(TUTORIAL, week="2025-W53")
    assert [(f.file, f.value, f.message) for f in caught.value.findings] == [("--week", "2025-W53", "2025 has no week 53")]
    assert [f.fix for f in caught.value.findings] == [
        "write the week as 2026-W49 (year, W, week number) or a date in it such as 2026-12-01"]


def test_a_bad_week_comes_together_with_the_files_problems(tmp_path):
    (tmp_path / "volunteers.csv").write_text("id,name,gender,age\nV1,Ann,X,70\n", encoding="utf-8")
    (tmp_path / "shifts.yaml").write_text(ONE_SHIFT.replace("need: 1", "need: -1"), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_problem(tmp_path, week="2026-W60")
    findings = caught.value.findings
    assert [Path(f.file).name for f in findings] == ["--week", "volunteers.csv", "shifts.yaml"]
    assert [(f.row, f.column, f.value) for f in findings] == [(None, None, "2026-W60"), (2, "gender", "X"),
                                                             (7, "need", -1)]
    assert str(findings[0]) == ("--week: not an ISO week (weeks run from W01 to W52 or W53) (value: '2026-W60'). "
                                "Fix: write the week as 2026-W49 (year, W, week number) or a date in it such as 2026-12-01")
    assert str(caught.value).startswith("3 problems in the inputs:\n  - --week: ")


def test_a_date_as_the_week_plans_the_week_it_falls_in():
    assert load_problem(TUTORIAL, week="2026-12-06").week == PlanningWeek(year=2026, week=49)


def test_errors_from_all_three_files_come_in_one_input_error(tmp_path):
    (tmp_path / "volunteers.csv").write_text("id,name,gender,age\nV1,Ann,X,70\n", encoding="utf-8")
    (tmp_path / "shifts.yaml").write_text(ONE_SHIFT.replace("need: 1", "need: -1"), encoding="utf-8")
    (tmp_path / "rules.yaml").write_text("weights:\n  fairness: 10\n  stabilty: 5\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_problem(tmp_path, week=WEEK)
    findings = caught.value.findings
    assert [Path(f.file).name for f in findings] == ["volunteers.csv", "shifts.yaml", "rules.yaml"]
    assert [(f.row, f.column, f.value) for f in findings] == [(2, "gender", "X"), (7, "need", -1),
                                                             (3, "stabilty", None)]
    assert str(findings[1]) == (f"{tmp_path / 'shifts.yaml'}, row 7, column 'need': shift 'evening': need must be "
                                "a whole number, 0 or more (value: -1). Fix: write a number such as 2")
    assert str(findings[2]) == (f"{tmp_path / 'rules.yaml'}, row 3, column 'stabilty': unknown key 'stabilty' in "
                                "weights. Fix: did you mean 'stability'?")
    assert str(caught.value).startswith("3 problems in the inputs:\n  - ")
