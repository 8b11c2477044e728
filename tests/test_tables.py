"""Reading register files into tables of text cells: encodings, title rows, Excel numbers, JSON."""

import datetime as dt
import json

import numpy as np
import openpyxl
import pandas as pd
import pytest

from scheduler.loading.tables import cell_text, decode, header_key, read_table, table_from_frame, table_from_records

CSV_TEXT = "编号,姓名,联系电话,身份证号\n007,王秀英,13912345678,310101195803120022\n008,李明,,\n"


def cells(table):
    return table.frame.to_dict("records")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_csv_encodings_are_detected(tmp_path, encoding):
    path = tmp_path / "volunteers.csv"
    path.write_bytes(CSV_TEXT.encode(encoding))
    table = read_table(path)
    assert table.findings == []
    assert list(table.frame.columns) == ["编号", "姓名", "联系电话", "身份证号"]
    assert cells(table)[0] == {"编号": "007", "姓名": "王秀英", "联系电话": "13912345678", "身份证号": "310101195803120022"}
    assert table.rows == [2, 3]
    assert table.file == str(path)


def test_decode_falls_back_to_a_best_guess():
    data = ("id,name\n007,Zoë Müller\n008,José\n" * 5).encode("cp1252")  # neither UTF-8 nor GB18030
    assert decode(data).startswith("id,name\n007,Zo")


def test_csv_cells_stay_text_and_empty_cells_are_empty(tmp_path):
    path = tmp_path / "v.csv"
    path.write_text("id,name,age,active\n007,Wang,NA,\n0012,Li,1e3,null\n", encoding="utf-8")
    assert cells(read_table(path)) == [
        {"id": "007", "name": "Wang", "age": "NA", "active": ""},
        {"id": "0012", "name": "Li", "age": "1e3", "active": "null"},
    ]


def test_csv_title_rows_and_blank_rows_keep_spreadsheet_row_numbers(tmp_path):
    path = tmp_path / "v.csv"
    path.write_text("延吉七村居民区志愿者花名册\n\n 编号 ,　姓名　\n007,王秀英\n\n008,李明\n,\n", encoding="utf-8")
    table = read_table(path)
    assert list(table.frame.columns) == ["编号", "姓名"]  # headers stripped, full-width spaces too
    assert table.header_row == 3
    assert table.rows == [4, 6]
    assert cells(table) == [{"编号": "007", "姓名": "王秀英"}, {"编号": "008", "姓名": "李明"}]


def test_a_quoted_cell_with_a_line_break_is_one_row(tmp_path):
    path = tmp_path / "v.csv"
    path.write_text('id,availability\n007,"Mon 上午\nTue 下午"\n008,全天\n', encoding="utf-8")
    table = read_table(path)
    assert table.rows == [2, 3]
    assert cells(table)[0]["availability"] == "Mon 上午\nTue 下午"


def test_tab_separated_text(tmp_path):
    path = tmp_path / "v.txt"
    path.write_bytes("编号\t姓名\n007\t王秀英, 组长\n".encode("utf-16"))
    assert cells(read_table(path)) == [{"编号": "007", "姓名": "王秀英, 组长"}]


def test_columns_without_a_header_are_dropped(tmp_path):
    path = tmp_path / "v.csv"
    path.write_text("id,,name\n007,x,Wang,extra\n", encoding="utf-8")
    table = read_table(path)
    assert list(table.frame.columns) == ["id", "name"]
    assert cells(table) == [{"id": "007", "name": "Wang"}]


def make_xlsx(path, rows, formats=None):
    """A workbook whose first sheet holds `rows`; `formats` maps (row, column) to a number format."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    for (row, column), number_format in (formats or {}).items():
        sheet.cell(row=row, column=column).number_format = number_format
    workbook.create_sheet("其他")["A1"] = "ignored"
    workbook.save(path)
    return path


def test_xlsx_header_below_a_title_row_and_numbers_as_text(tmp_path):
    path = make_xlsx(tmp_path / "v.xlsx", [
        ["延吉七村居民区志愿者花名册"],
        ["制表：居委会", None, "2026年11月"],
        ["编号", "姓名", "联系电话", "出生日期", "身份证号", "每周最多班次"],
        [7, "王秀英", 13912345678.0, dt.datetime(1958, 3, 12), 1.1e17, 2.0],
        [None, None, None, None, None, None],
        [12, "李明", 13800001111, dt.date(1960, 5, 1), "310101196005010011", 2.5],
    ], formats={(4, 1): "000", (6, 1): "000"})
    table = read_table(path)
    assert table.findings == []
    assert table.header_row == 3
    assert table.rows == [4, 6]
    assert cells(table) == [
        {"编号": "007", "姓名": "王秀英", "联系电话": "13912345678", "出生日期": "1958-03-12",
         "身份证号": "110000000000000000", "每周最多班次": "2"},
        {"编号": "012", "姓名": "李明", "联系电话": "13800001111", "出生日期": "1960-05-01",
         "身份证号": "310101196005010011", "每周最多班次": "2.5"},
    ]


def test_xlsx_number_without_a_padding_format_is_its_digits(tmp_path):
    path = make_xlsx(tmp_path / "v.xlsx", [["id", "name", "active"], [7, "Wang", True]])
    assert cells(read_table(path)) == [{"id": "7", "name": "Wang", "active": "yes"}]


def test_json_list_and_wrapped_list(tmp_path):
    records = [{"id": "007", "name": "王秀英", "teams": ["civility", "service"], "age": 67},
               {"id": 8, "name": "李明", "phone": None, "active": False}]
    for data in (records, {"volunteers": records}):
        path = tmp_path / "v.json"
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        table = read_table(path)
        assert table.findings == []
        assert table.rows == [1, 2]
        assert cells(table) == [
            {"id": "007", "name": "王秀英", "teams": "civility;service", "age": "67", "phone": "", "active": ""},
            {"id": "8", "name": "李明", "teams": "", "age": "", "phone": "", "active": "no"},
        ]


def test_json_that_is_not_a_list(tmp_path):
    path = tmp_path / "v.json"
    path.write_text('{"people": []}', encoding="utf-8")
    (finding,) = read_table(path).findings
    assert finding.message == "the JSON register must be a list of volunteers"


def test_broken_json_names_the_line(tmp_path):
    path = tmp_path / "v.json"
    path.write_text('[\n{"id": "007",}\n]', encoding="utf-8")
    (finding,) = read_table(path).findings
    assert finding.message.startswith("the file is not valid JSON")
    assert finding.row == 2


def test_records_that_are_not_objects_are_reported_and_skipped():
    table = table_from_records([{"id": "007"}, "oops", {"id": "009"}])
    assert table.rows == [1, 3]
    (finding,) = table.findings
    assert (finding.row, finding.value, finding.message) == (2, '"oops"', "a volunteer must be an object with named fields")


def test_table_from_frame_turns_every_cell_into_text():
    frame = pd.DataFrame({
        "id": ["007", "008"], " name ": ["Wang", None], "age": [67.0, np.nan],
        "born": pd.to_datetime(["1958-03-12", None]), "count": np.array([2, 3], dtype="int64"),
    })
    table = table_from_frame(frame)
    assert table.file == "<DataFrame>"
    assert table.rows == [2, 3]
    assert cells(table) == [
        {"id": "007", "name": "Wang", "age": "67", "born": "1958-03-12", "count": "2"},
        {"id": "008", "name": "", "age": "", "born": "", "count": "3"},
    ]


@pytest.mark.parametrize("name, content, message", [
    ("v.ods", b"", "the register must be a .csv, .xlsx or .json file"),
    ("v.xls", b"", "the register is in the old Excel format (.xls), which cannot be read"),
    ("v.csv", b"", "the register is empty"),
    ("v.csv", b"\n ,\n", "the register is empty"),
    ("v.xlsx", b"not a zip", "the file is not a readable Excel workbook"),
])
def test_unreadable_files_give_findings(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    table = read_table(path)
    assert [f.message for f in table.findings] == [message]
    assert table.findings[0].file == str(path)
    assert table.frame.empty


def test_a_missing_file_gives_a_finding(tmp_path):
    (finding,) = read_table(tmp_path / "nowhere.csv").findings
    assert finding.message == "the file does not exist"


@pytest.mark.parametrize("header, key", [
    ("编号", "编号"), (" ID ", "id"), ("Birth Date", "birthdate"), ("birth_date", "birthdate"),
    ("姓名*", "姓名"), ("出生日期（必填）", "出生日期"), ("出生\n日期", "出生日期"), ("ＩＤ", "id"),
])
def test_header_keys(header, key):
    assert header_key(header) == key


@pytest.mark.parametrize("value, text", [
    (None, ""), (float("nan"), ""), (7, "7"), (7.0, "7"), (13912345678.0, "13912345678"),
    (1.1e17, "110000000000000000"), (2.5, "2.5"), (True, "yes"), (False, "no"),
    (dt.datetime(1958, 3, 12), "1958-03-12"), (dt.date(1958, 3, 12), "1958-03-12"),
    (dt.datetime(2026, 12, 1, 7, 30), "2026-12-01 07:30:00"), (dt.time(7, 30), "07:30"),
    (["a", "b"], "a;b"), (np.int64(3), "3"), (pd.NaT, ""),
])
def test_cell_text(value, text):
    assert cell_text(value) == text
