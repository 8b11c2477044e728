"""Registers to Volunteers: every format gives the same people, every mistake one exact finding."""

import csv
import datetime as dt
import io
import json

import openpyxl
import pandas as pd
import pytest

from scheduler.domain.models import DateRange, Gender, Health, Volunteer, Window
from scheduler.loading.tables import table_from_frame, table_from_records
from scheduler.loading.volunteers import load_volunteers, parse_volunteers

TODAY = dt.date(2026, 11, 27)
HEADER = ["编号", "姓名", "性别", "出生日期", "年龄", "健康状况", "队伍", "特长", "身份", "可服务时间",
          "不可服务日期", "每周最多班次", "意向", "不愿意", "结伴", "联系电话", "身份证号", "在册"]
ROWS = [
    ["007", "王秀英", "女", "1958-03-12", "", "良好", "civility;service", "first_aid", "party_member",
     "Mon-Fri 07:00-11:00; Sat 全天", "2026-12-01..2026-12-07", "2", "patrol", "", "008",
     "13912345678", "310101195803120022", "是"],
    ["008", "李明", "男", "1960-05-01", "", "一般", "service", "", "",
     "周一、三、五 上午", "", "", "", "crossing", "007", "13800001111", "310101196005010011", ""],
    ["012", "张桂兰", "女", "", "71", "较差", "civility", "english、reading", "building_leader",
     "", "2026-12-15", "1", "", "", "", "", "", "否"],
]
EXPECTED = [
    Volunteer(id="007", name="王秀英", gender=Gender.FEMALE, birth_date=dt.date(1958, 3, 12), health=Health.GOOD,
              teams={"civility", "service"}, skills={"first_aid"}, roles={"party_member"},
              availability=(Window(days={0, 1, 2, 3, 4}, start=420, end=660), Window(days={5}, start=0, end=1440)),
              unavailable=(DateRange(first=dt.date(2026, 12, 1), last=dt.date(2026, 12, 7)),),
              max_shifts_per_week=2, prefers={"patrol"}, partner="008", phone="13912345678", active=True),
    Volunteer(id="008", name="李明", gender=Gender.MALE, birth_date=dt.date(1960, 5, 1), health=Health.FAIR,
              teams={"service"}, availability=(Window(days={0, 2, 4}, start=360, end=720),),
              avoids={"crossing"}, partner="007", phone="13800001111"),
    Volunteer(id="012", name="张桂兰", gender=Gender.FEMALE, age=71, health=Health.POOR, teams={"civility"},
              skills={"english", "reading"}, roles={"building_leader"},
              unavailable=(DateRange(first=dt.date(2026, 12, 15), last=dt.date(2026, 12, 15)),),
              max_shifts_per_week=1, active=False),
]


def without_rows(volunteers):
    return [v.model_copy(update={"row": None}) for v in volunteers]


def csv_text(header=HEADER, rows=ROWS):
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([header, *rows])
    return buffer.getvalue()


def write_csv(path, header=HEADER, rows=ROWS, encoding="utf-8"):
    path.write_bytes(csv_text(header, rows).encode(encoding))
    return path


def write_xlsx(path):
    """The register as Excel keeps it: a title row, ids and phones as numbers, dates as dates."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["延吉七村居民区志愿者花名册"])
    sheet.merge_cells("A1:R1")
    sheet.append(HEADER)
    for row in ROWS:
        cells = list(row)
        cells[0] = int(cells[0])
        cells[3] = dt.datetime.fromisoformat(cells[3]) if cells[3] else None
        cells[4] = int(cells[4]) if cells[4] else None
        cells[11] = int(cells[11]) if cells[11] else None
        cells[15] = int(cells[15]) if cells[15] else None
        cells[16] = int(cells[16]) if cells[16] else None
        sheet.append([None if cell == "" else cell for cell in cells])
        sheet.cell(row=sheet.max_row, column=1).number_format = "000"
    workbook.save(path)
    return path


def load(path):
    return load_volunteers(path, today=TODAY)


def parse(header=HEADER, rows=ROWS, file="<records>"):
    return parse_volunteers(table_from_records([dict(zip(header, row)) for row in rows], file), today=TODAY)


# ----------------------------------------------------------------------------- every format, same people


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_in_every_encoding_loads_the_register(tmp_path, encoding):
    volunteers, findings = load(write_csv(tmp_path / "volunteers.csv", encoding=encoding))
    assert findings == []
    assert without_rows(volunteers) == EXPECTED
    assert [v.row for v in volunteers] == [2, 3, 4]


def test_xlsx_with_title_row_numbers_and_dates_loads_the_same_register(tmp_path):
    volunteers, findings = load(write_xlsx(tmp_path / "volunteers.xlsx"))
    assert findings == []
    assert without_rows(volunteers) == EXPECTED
    assert [v.row for v in volunteers] == [3, 4, 5]  # the sheet's own row numbers, below the title


def test_json_loads_the_same_register(tmp_path):
    records = [dict(zip(HEADER, row)) for row in ROWS]
    records[0]["队伍"] = ["civility", "service"]  # lists may be JSON arrays
    records[0]["可服务时间"] = ["Mon-Fri 07:00-11:00", "Sat 全天"]
    records[2]["年龄"] = 71
    path = tmp_path / "volunteers.json"
    path.write_text(json.dumps({"volunteers": records}, ensure_ascii=False), encoding="utf-8")
    volunteers, findings = load(path)
    assert findings == []
    assert without_rows(volunteers) == EXPECTED
    assert [v.row for v in volunteers] == [1, 2, 3]


def test_dataframe_and_records_load_the_same_register():
    frame = pd.DataFrame(ROWS, columns=HEADER)
    from_frame, findings = parse_volunteers(table_from_frame(frame), today=TODAY)
    assert findings == []
    assert without_rows(from_frame) == EXPECTED
    from_records, findings = parse()
    assert findings == []
    assert without_rows(from_records) == EXPECTED


def test_english_headers_in_any_case(tmp_path):
    english = ["ID", "Name", "gender", "Birth Date", "age", "health", "teams", "skills", "roles",
               "availability", "unavailable", "max_shifts_per_week", "prefers", "avoids", "partner",
               "phone", "id_card", "active"]
    volunteers, findings = load(write_csv(tmp_path / "v.csv", header=english))
    assert findings == []
    assert without_rows(volunteers) == EXPECTED


def test_unknown_columns_are_never_copied(tmp_path):
    volunteers, _ = load(write_csv(tmp_path / "v.csv"))
    assert "310101195803120022" not in repr([v.model_dump() for v in volunteers])


def test_full_width_text_and_aligned_names(tmp_path):
    rows = [["００７", "王　秀", "Ｆ", "１９５８年３月", "", "", "", "", "", "周一至周五 ０７：００－０９：００", "", "２", "", "", "", "", "", ""]]
    (volunteer,), findings = parse(rows=rows)
    assert findings == []
    assert (volunteer.id, volunteer.name, volunteer.birth_date) == ("007", "王秀", dt.date(1958, 3, 1))
    assert volunteer.availability == (Window(days={0, 1, 2, 3, 4}, start=420, end=540),)
    assert volunteer.max_shifts_per_week == 2


def test_birth_date_wins_over_age_and_age_is_the_fallback():
    header = ["id", "name", "gender", "birth_date", "age"]
    volunteers, findings = parse(header, [["1", "A", "F", "1958-03-12", "40"], ["2", "B", "M", "", "67"]])
    assert findings == []
    assert [v.age_on(TODAY) for v in volunteers] == [68, 67]


def test_age_alone_is_enough():
    (volunteer,), findings = parse(["编号", "姓名", "性别", "年龄"], [["1", "A", "女", "67"]])
    assert findings == []
    assert volunteer.age == 67 and volunteer.birth_date is None


# ----------------------------------------------------------------------------- one mistake, one finding

BASE = {"编号": "007", "姓名": "王秀英", "性别": "女", "出生日期": "1958-03-12", "可服务时间": "", "结伴": ""}


@pytest.mark.parametrize("column, value, message, fix", [
    ("编号", "", "id is empty", "give every volunteer an id (编号), e.g. 007"),
    ("姓名", " ", "name is empty", "write the volunteer's name (姓名)"),
    ("性别", "X", "gender must be F or M (女/男)", "write 女 or 男 (or F / M)"),
    ("性别", "", "gender is empty", "write 女 or 男 (or F / M)"),
    ("健康状况", "很好", "health must be good, fair or poor (良好/一般/较差)",
     "write 良好, 一般 or 较差 (or good / fair / poor), or leave it empty for 良好"),
    ("出生日期", "1958-02-30", "birth_date is not a real date", "check the day and the month"),
    ("出生日期", "1958-13", "birth_date is not a real date", "check the day and the month"),
    ("出生日期", "2030-01-01", "birth_date is in the future", "check the year"),
    ("出生日期", "1890-01-01", "birth_date makes the volunteer older than 120", "check the year"),
    ("出生日期", "spring", "birth_date is not a date", "write it like 1958-03-12, 1958/3/12 or 1958年3月"),
    ("出生日期", "", "birth_date and age are both empty",
     "write the birth date (出生日期), e.g. 1958-03-12, or the age (年龄)"),
    ("年龄", "130", "age must be a whole number from 0 to 120",
     "write the age in whole years, e.g. 67, or give the birth date instead"),
    ("可服务时间", "周八 上午", "availability text does not parse: '周八' is not a day or a time",
     "write windows like 'Mon-Fri 07:00-11:00; Sat 全天': days Mon..Sun or 周一..周日, 工作日, 双休日, 每天; "
     "times 07:00-11:30, 上午, 下午, 晚上, 全天"),
    ("可服务时间", "Fri 22:00-06:00",
     "availability time '22:00-06:00' ends before it starts (windows do not run past midnight)",
     "split it at midnight into two windows, e.g. 'Fri 22:00-24:00; Sat 00:00-06:00'"),
    ("不可服务日期", "2026-12-07..2026-12-01", "unavailable range '2026-12-07..2026-12-01' ends before it starts",
     "write the earlier date first, e.g. 2026-12-01..2026-12-07"),
    ("不可服务日期", "2026-02-30", "unavailable date '2026-02-30' does not exist", "check the day and the month"),
    ("每周最多班次", "-1", "max_shifts_per_week must be a whole number, 0 or more",
     "write a number such as 2, or leave it empty for the rules' default"),
    ("每周最多班次", "两次", "max_shifts_per_week must be a whole number, 0 or more",
     "write a number such as 2, or leave it empty for the rules' default"),
    ("在册", "maybe", "active must be yes or no (是/否)", "write 是 or 否 (or yes / no), or leave it empty for 是"),
    ("结伴", "099", "partner names no volunteer in the register",
     "write the id (编号) of another volunteer, or leave it empty"),
    ("结伴", "007", "partner is the volunteer themself", "write the id of another volunteer, or leave it empty"),
    ("结伴", "李明", "partner must be an id (编号), not a name", "write 008 (the id of 李明)"),
])
def test_each_mistake_has_its_exact_finding(tmp_path, column, value, message, fix):
    first = {**BASE, "年龄": "", "健康状况": "", "不可服务日期": "", "每周最多班次": "", "在册": "", column: value}
    second = {**BASE, "编号": "008", "姓名": "李明", "性别": "男", "年龄": "", "健康状况": "", "不可服务日期": "",
              "每周最多班次": "", "在册": ""}
    path = write_csv(tmp_path / "v.csv", header=list(first), rows=[list(first.values()), list(second.values())])
    volunteers, findings = load(path)
    shown = "良好 / 一般 / 较差 (good / fair / poor)" if column == "健康状况" else value  # never the cell's text
    assert [(f.file, f.row, f.column, f.value, f.message, f.fix) for f in findings] == [
        (str(path), 2, column, shown, message, fix)
    ]
    assert [v.id for v in volunteers] == ["008"]  # a row with a problem gives no volunteer


def test_five_mistakes_give_five_located_findings(tmp_path):
    rows = [list(row) for row in ROWS]
    rows[0][2] = "X"  # gender
    rows[1][3] = "1960-02-30"  # impossible date
    rows[1][9] = "周八 上午"  # availability
    rows[2][0] = "007"  # duplicate id
    rows[2][14] = "099"  # partner naming nobody
    path = write_csv(tmp_path / "v.csv", rows=rows)
    volunteers, findings = load(path)
    assert volunteers == []
    assert [(f.file, f.row, f.column, f.value) for f in findings] == [
        (str(path), 2, "性别", "X"),
        (str(path), 3, "出生日期", "1960-02-30"),
        (str(path), 3, "可服务时间", "周八 上午"),
        (str(path), 4, "编号", "007"),
        (str(path), 4, "结伴", "099"),
    ]
    assert findings[3].message == "id is already used on row 2"
    assert findings[3].fix == "give each volunteer a different id"


def test_missing_required_columns_are_named_in_both_languages():
    _, findings = parse(["姓名", "队伍"], [["王秀英", "civility"]])
    assert [(f.message, f.fix, f.row, f.column) for f in findings] == [
        ("column id (编号) is missing", "add a column headed 编号 or id", None, None),
        ("column gender (性别) is missing", "add a column headed 性别 or gender", None, None),
        ("column birth_date (出生日期) or age (年龄) is missing",
         "add a column headed 出生日期 (or 出生年月, birth_date) or 年龄 (age)", None, None),
    ]


def test_missing_columns_name_the_header_row_of_a_file(tmp_path):
    path = tmp_path / "v.csv"
    path.write_text("花名册\n姓名,性别,年龄\n王秀英,女,67\n", encoding="utf-8")
    volunteers, findings = load(path)
    assert volunteers == []
    assert [(f.row, f.message) for f in findings] == [(2, "column id (编号) is missing")]


def test_two_columns_for_one_field():
    header = ["编号", "姓名", "性别", "出生日期", "出生年月", "id"]
    volunteers, findings = parse(header, [["007", "王秀英", "女", "1958-03-12", "1958-03", "7"]])
    assert volunteers == []
    assert [(f.column, f.message, f.fix) for f in findings] == [
        ("出生年月", "columns '出生日期' and '出生年月' both give birth_date", "keep one of them and delete the other"),
        ("id", "columns '编号' and 'id' both give id", "keep one of them and delete the other"),
    ]


def test_the_same_header_twice(tmp_path):
    path = write_csv(tmp_path / "v.csv", header=["编号", "姓名", "性别", "年龄", "编号"], rows=[["1", "A", "女", "60", "2"]])
    _, findings = load(path)
    assert [(f.row, f.column, f.message) for f in findings] == [(1, "编号", "column '编号' appears twice")]


def test_every_later_duplicate_points_at_the_first_row():
    header = ["id", "name", "gender", "age"]
    _, findings = parse(header, [["1", "A", "F", "60"], ["1", "B", "F", "60"], ["1", "C", "F", "60"]])
    assert [(f.row, f.message) for f in findings] == [(2, "id is already used on row 1"), (3, "id is already used on row 1")]


def test_a_reading_problem_is_returned_as_a_finding(tmp_path):
    volunteers, findings = load(tmp_path / "volunteers.ods")
    assert volunteers == []
    assert [f.message for f in findings] == ["the register must be a .csv, .xlsx or .json file"]


# ----------------------------------------------------------------------------- size


def test_a_register_of_thousands_loads():
    """A quick check, not a timing: the 50,000-row figure is measured by hand (see the report)."""
    availability = ["Mon-Fri 07:00-11:00; Sat 全天", "工作日 上午", "", "周末 全天", "每天 晚上"]
    records = [
        {"编号": f"{i:05d}", "姓名": f"志愿者{i}", "性别": "女男"[i % 2], "出生日期": f"{1945 + i % 50}-{1 + i % 12:02d}-15",
         "可服务时间": availability[i % 5], "队伍": "civility;service", "结伴": f"{(i + 1) % 5000:05d}"}
        for i in range(5000)
    ]
    volunteers, findings = parse_volunteers(table_from_records(records), today=TODAY)
    assert findings == []
    assert len(volunteers) == 5000
    assert volunteers[-1].partner == "00000"
