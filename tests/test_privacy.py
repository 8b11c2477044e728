"""Personal data never leaks: phones, ID-card numbers and health notes stay in the register.

A small register holds full phone numbers, an extra 身份证号 column with 18-digit ID numbers and a
备注 column with health notes such as 高血压. Solving it and writing every output, and running
validate, solve and check through the command line (also with mistakes next to those columns, so
that error messages are printed), must never show any of them. A masked phone (`139****5678`) is
allowed; the full number is not. `Volunteer` objects carry no column the tool does not know.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import openpyxl
import pytest

import scheduler.api as api
from scheduler.domain.errors import Finding, InputError
from scheduler.domain.models import Volunteer
from tests.conftest import run_cli as run

WEEK = "2026-W49"
HEADER = ["编号", "姓名", "性别", "出生日期", "队伍", "可服务时间", "联系电话", "身份证号", "备注", "在册"]
PEOPLE = [
    ["V01", "王秀英", "女", "1956-04-12", "civility", "周一至周五 上午",
     "13912345678", "310101195604120026", "高血压，不宜久站", "是"],
    ["V02", "李桂英", "女", "1958-09-03", "civility", "工作日 全天",
     "18621097733", "31010419580903004X", "糖尿病 按时用药", "是"],
    ["V03", "张建国", "男", "1950-01-20", "civility", "每天",
     "13764019852", "310110195001200519", "心脏搭桥术后", "是"],
    ["V04", "陈美华", "女", "1962-06-30", "civility", "双休日 全天",
     "15000912846", "310115196206300028", "腰椎间盘突出", "是"],
]
PHONES = [row[6] for row in PEOPLE]
ID_NUMBERS = [row[7] for row in PEOPLE]
HEALTH_NOTES = [row[8] for row in PEOPLE]
# Every fragment of a health note a message or file could carry, down to the diagnosis words.
NOTE_WORDS = ["高血压", "糖尿病", "心脏搭桥", "腰椎间盘", "不宜久站", "按时用药"]
SECRETS = PHONES + ID_NUMBERS + HEALTH_NOTES + NOTE_WORDS

SHIFTS = """\
shifts:
  - id: gate-am
    name: 东门文明劝导
    kind: patrol
    post: east-gate
    teams: [civility]
    days: [Mon, Tue, Wed, Thu, Fri]
    start: "07:00"
    end: "09:00"
    need: 1
  - id: weekend-visit
    name: 独居老人探访
    kind: visit
    post: homes
    days: [Sat]
    start: "09:00"
    end: "11:00"
    need: 3
    min_male: 1
"""


def register_csv(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def make_problem(folder: Path, register: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "volunteers.csv").write_text(register or register_csv([HEADER, *PEOPLE]), encoding="utf-8")
    (folder / "shifts.yaml").write_text(SHIFTS, encoding="utf-8")
    return folder


def leaks(text: str) -> list[str]:
    """The personal data found in `text`."""
    return [secret for secret in SECRETS if secret in text]


def texts_of_outputs(folder: Path) -> dict[str, str]:
    """Every file under `folder` as text: CSV and JSON as they are, workbooks cell by cell and as raw XML."""
    texts = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if path.suffix == ".xlsx":
            workbook = openpyxl.load_workbook(io.BytesIO(data))
            cells = [str(cell.value) for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row
                     if cell.value is not None]
            archive = zipfile.ZipFile(io.BytesIO(data))
            raw = [archive.read(name).decode("utf-8", errors="replace") for name in archive.namelist()]
            texts[str(path)] = "\n".join(cells + raw)
        elif path.suffix == ".pdf":
            texts[str(path)] = pdf_text(data)
        else:
            texts[str(path)] = data.decode("utf-8-sig")
    return texts


def pdf_text(data: bytes) -> str:
    """The text of every page of a PDF, as a reader copies it out (pdfium decodes the embedded CID font)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    return "\n".join(page.get_textpage().get_text_range() for page in document)


@pytest.fixture
def problem(tmp_path: Path) -> Path:
    return make_problem(tmp_path / "village")


# ----------------------------------------------------------------------------- the library


def test_volunteers_carry_no_unknown_columns(problem: Path):
    loaded = api.load(problem, week=WEEK)
    assert [v.id for v in loaded.volunteers] == ["V01", "V02", "V03", "V04"]
    for volunteer in loaded.volunteers:
        dumped = volunteer.model_dump()
        assert set(dumped) <= set(Volunteer.model_fields)
        assert not leaks(json.dumps(dumped, ensure_ascii=False, default=str).replace(volunteer.phone or "", ""))
    assert [v.phone for v in loaded.volunteers] == PHONES  # a known column, kept for masking only
    assert loaded.volunteers[0].masked_phone() == "139****5678"


def test_problem_sources_and_dump_hold_no_id_numbers_or_notes(problem: Path):
    loaded = api.load(problem, week=WEEK)
    text = json.dumps(loaded.model_dump(mode="json"), ensure_ascii=False)
    assert not [secret for secret in ID_NUMBERS + HEALTH_NOTES + NOTE_WORDS if secret in text]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_solved_and_written_outputs_hold_no_personal_data(problem: Path, tmp_path: Path, lang: str):
    loaded = api.load(problem, week=WEEK)
    roster = api.solve(loaded, time_limit=2, workers=1, language=lang)
    assert roster.assignments, "the tiny week must give a roster with people in it"
    assert roster.unfilled, "the Saturday visit lacks a man: its reasons must be written too"
    out = tmp_path / "out"
    written = api.write(roster, loaded, out, lang)
    api.write(api.solve(loaded, time_limit=2, workers=1, seed=1, language=lang), loaded, out, lang)  # keeps previous/
    assert sorted(p.name for p in written) == ["assignments.csv", "duty_table.csv", "roster.json", "roster.pdf",
                                               "roster.xlsx"]
    texts = texts_of_outputs(out)
    assert len(texts) >= 4
    for path, text in texts.items():
        assert not leaks(text), f"{path} holds {leaks(text)}"
    frame_text = roster.assignments_frame().to_csv()
    assert not leaks(frame_text)


# ----------------------------------------------------------------------------- the command line


def test_validate_solve_check_print_no_personal_data(problem: Path):
    outputs = [run("validate", problem, "--week", WEEK)]
    outputs.append(run("solve", problem, "--week", WEEK, "--time-limit", "2", "--workers", "1"))
    roster_dir = problem / "rosters" / WEEK
    outputs.append(run("check", problem, roster_dir / "roster.json"))
    outputs.append(run("check", problem, roster_dir / "assignments.csv"))
    outputs.append(run("solve", problem, "--week", WEEK, "--time-limit", "2", "--workers", "1", "--lang", "en"))
    assert [r.exit_code for r in outputs] == [0, 3, 0, 0, 3], [r.output for r in outputs]
    for result in outputs:
        assert not leaks(result.output), result.output
    for path, text in texts_of_outputs(problem / "rosters").items():
        assert not leaks(text), f"{path} holds {leaks(text)}"


def _with_cell(row: int, column: str, value: str) -> list[list[str]]:
    rows = [list(r) for r in [HEADER, *PEOPLE]]
    rows[row - 1][HEADER.index(column)] = value
    return rows


BROKEN_NEAR = {
    # a cell right before 联系电话, one after 备注, a bad gender and a duplicate id on rows holding all three
    "availability-next-to-phone": _with_cell(2, "可服务时间", "周八 上午"),
    "active-after-health-note": _with_cell(3, "在册", "也许"),
    "gender-on-a-full-row": _with_cell(4, "性别", "未知"),
    "duplicate-id": _with_cell(5, "编号", "V01"),
    "birth-date-in-2090": _with_cell(2, "出生日期", "2090-04-12"),
    "phone-typed-into-active": _with_cell(3, "在册", PHONES[1]),
}


@pytest.mark.parametrize("name", sorted(BROKEN_NEAR))
def test_error_messages_about_neighbouring_cells_print_no_personal_data(tmp_path: Path, name: str):
    problem = make_problem(tmp_path / "village", register_csv(BROKEN_NEAR[name]))
    roster = tmp_path / "roster.json"
    roster.write_text(json.dumps({"week": WEEK, "assignments": [{"shift": "gate-am@2026-11-30", "volunteer": "V01"}]}),
                      encoding="utf-8")
    for command in (["validate", problem, "--week", WEEK], ["solve", problem, "--week", WEEK, "--time-limit", "2"],
                    ["check", problem, roster]):
        result = run(*command)  # the folder has no rules file: Chinese, the rules' default
        assert result.exit_code == 2, result.output
        assert "volunteers.csv，第 " in result.output and "改法：" in result.output
        assert not leaks(result.output), result.output
        result = run(*command, "--lang", "en")
        assert result.exit_code == 2, result.output
        assert "volunteers.csv, row" in result.output and "Fix:" in result.output
        assert not leaks(result.output), result.output
    assert not (problem / "rosters").exists()


def test_library_findings_hold_no_personal_data(tmp_path: Path):
    problem = make_problem(tmp_path / "village", register_csv(BROKEN_NEAR["availability-next-to-phone"]))
    with pytest.raises(InputError) as caught:
        api.load(problem, week=WEEK)
    assert not leaks(str(caught.value))
    assert not leaks(repr(caught.value.findings))


def test_a_row_with_cells_shifted_by_a_comma_prints_no_personal_data(tmp_path: Path):
    lines = register_csv([HEADER, *PEOPLE]).splitlines()
    # Row 2 written by hand without quotes around a comma: 周一,周三 上午 becomes two cells.
    lines[1] = lines[1].replace("周一至周五 上午", "周一,周三 上午")
    problem = make_problem(tmp_path / "village", "\n".join(lines) + "\n")
    result = run("validate", problem, "--week", WEEK)
    assert result.exit_code == 2, result.output
    assert "第 2 行" in result.output
    assert not leaks(result.output), result.output


def test_a_quoted_value_is_cut_short_and_its_long_numbers_masked():
    id_number = Finding(file="v.csv", row=2, column="在册", value=ID_NUMBERS[0], code="input.value.active")
    assert ID_NUMBERS[0] not in str(id_number) and "(value: '**************0026')" in str(id_number)
    long = Finding(file="v.csv", row=2, column="在册", value="可以" * 40, code="input.value.active")
    assert "可以" * 20 not in str(long) and "…" in str(long)
    ids = Finding(file="v.csv", row=3, column="编号", value="110000000000000000", value_is_id=True,
                  code="input.register.id_twice", params={"first_row": 2})
    assert "(value: '110000000000000000')" in str(ids)  # ids are printed on every roster: shown as written
