"""Fuzzing every input: whatever a file holds, the tool loads it or says what is wrong, never crashes.

The property, for the library: `scheduler.load` (then `scheduler.validate`, as `roster validate`
does) either returns or raises `InputError` whose findings each carry a message; nothing else may
escape. For the command line: exit 0 or 2, never a traceback. Inputs are random bytes, damaged
copies of the tutorial's good files, random cells in an otherwise valid register, random YAML and
random nested data as the shifts and rules files, and random availability and date texts.

Derandomised and with modest example counts, so that the file runs in well under a minute.
A known defect gets a strict-xfail test with its smallest example, and the fuzzing strategies
leave its trigger out (see `KNOWN_TRIGGERS`) so that they keep guarding everything else; the
defects found so far are fixed and their smallest examples guard the fixes (at the end).
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
import zipfile
from pathlib import Path

import openpyxl
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

import scheduler.api as api
from scheduler.cli import main
from scheduler.domain.errors import InputError, RosterError
from scheduler.loading.availability import parse_availability, parse_unavailable
from scheduler.loading.rules import parse_rules
from scheduler.loading.shifts import parse_shifts
from scheduler.loading.values import BadValue
from tests.conftest import TUTORIAL

WEEK = "2026-W49"
REGISTER = (TUTORIAL / "volunteers.csv").read_text(encoding="utf-8")
HEADER = next(csv.reader(io.StringIO(REGISTER)))
ROWS = list(csv.reader(io.StringIO(REGISTER)))[1:]
SHIFTS_DOC = yaml.safe_load((TUTORIAL / "shifts.yaml").read_text(encoding="utf-8"))
RULES_DOC = yaml.safe_load((TUTORIAL / "rules.yaml").read_text(encoding="utf-8"))

FUZZ = settings(max_examples=60, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
FEW = settings(FUZZ, max_examples=25)


# Known defects: name -> a predicate on the fuzzed input that triggers it. The strategies leave
# such inputs out (assume(not …)) so that they keep guarding everything else, while a strict-xfail
# test holds the smallest example. Empty: every defect found so far is fixed, and its smallest
# example is a regression test at the end of this file.
KNOWN_TRIGGERS: dict[str, object] = {}


# ----------------------------------------------------------------------------- the properties


def load_or_input_error(**inputs) -> object:
    """Load (and validate, as `roster validate` does); an InputError must explain itself."""
    try:
        problem = api.load(week=WEEK, **inputs)
    except InputError as error:
        assert error.findings, "an InputError without findings"
        for finding in error.findings:
            assert finding.message.strip(), finding
            assert str(finding).strip()
        return error
    api.validate(problem)
    return problem


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def load_files(volunteers: tuple[str, bytes] | None = None, shifts: tuple[str, bytes] | None = None,
               rules: tuple[str, bytes] | None = None) -> object:
    """Load the tutorial with some of its files replaced by the given (name, bytes)."""
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        paths = {
            "volunteers": write(folder, *volunteers) if volunteers else TUTORIAL / "volunteers.csv",
            "shifts": write(folder, *shifts) if shifts else TUTORIAL / "shifts.yaml",
            "rules": write(folder, *rules) if rules else TUTORIAL / "rules.yaml",
        }
        return load_or_input_error(**paths)


def load_register(name: str, data: bytes) -> object:
    """`load_files` with a fuzzed register, leaving out the known defects' triggers."""
    return load_files(volunteers=(name, data))


def cli_validate(name: str, data: bytes) -> None:
    """`roster validate` on the tutorial with one file replaced: exit 0 or 2, never a traceback."""
    with tempfile.TemporaryDirectory() as folder:
        problem = Path(folder) / "p"
        problem.mkdir()
        for source in TUTORIAL.iterdir():
            if source.name.split(".")[0] != name.split(".")[0]:
                write(problem, source.name, source.read_bytes())
        write(problem, name, data)
        result = CliRunner().invoke(main, ["validate", str(problem), "--week", WEEK])
        assert "Traceback" not in result.output, result.output
        assert result.exit_code in (0, 2), result.output
        if result.exit_code == 2:  # in the tutorial's English, or in Chinese when the rules file itself is broken
            english = "Cannot use the inputs" in result.output and "Fix:" in result.output
            chinese = "输入文件用不了" in result.output and "改法：" in result.output
            assert english or chinese, result.output


# ----------------------------------------------------------------------------- strategies


def csv_of(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


def xlsx_of(rows: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


GOOD = {
    "volunteers.csv": csv_of([HEADER, *ROWS]),
    "volunteers.json": json.dumps([dict(zip(HEADER, row)) for row in ROWS], ensure_ascii=False).encode(),
    "volunteers.xlsx": xlsx_of([HEADER, *ROWS]),
}

# Pieces a coordinator really types, so that random texts reach deep into the parsers.
PIECES = [
    "Mon", "fri", "Sat,Sun", "周一", "至", "周五", "星期天", "工作日", "双休日", "每天", "weekends", "-", "~", "到",
    "07:00", "7:30", "11:30", "24:00", "25:61", "7点", "半", "上午", "下午", "晚上", "全天", "all day", ";", "；",
    ",", "、", "|", " ", "\u3000", "\n", "０７：００", "2026-12-01", "..", "1958年3月", "19580312", "21256",
    "#N/A", "nan", "None", "1e309", "-0", "0", "007", "女", "M", "良好", "是", "否", "=1/0", "\x00", "🙂",
]
typed = st.lists(st.sampled_from(PIECES), max_size=8).map("".join)
cell_text = st.one_of(st.text(max_size=30), typed)


def _mutate(data: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    """Apply (position, how many bytes to drop, bytes to insert) edits to a copy of `data`."""
    out = bytearray(data)
    for position, drop, insert in edits:
        at = position % (len(out) + 1)
        out[at:at + drop] = insert
    return bytes(out)


edits = st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 8), st.binary(max_size=8)), min_size=1, max_size=6)
register_names = st.sampled_from(sorted(GOOD))


# ----------------------------------------------------------------------------- the register as bytes


@FUZZ
@given(name=register_names, data=st.binary(max_size=2000))
def test_random_bytes_as_a_register_load_or_input_error(name, data):
    load_register(name, data)


@FUZZ
@given(name=st.sampled_from(["volunteers.csv", "volunteers.json"]), changes=edits)
def test_damaged_text_registers_load_or_input_error(name, changes):
    load_register(name, _mutate(GOOD[name], changes))


@FEW
@given(prefix=st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"PK\x03\x04"]),
       data=st.binary(max_size=600))
def test_random_bytes_behind_a_bom_or_zip_magic_load_or_input_error(prefix, data):
    for name in GOOD:
        load_register(name, prefix + data)


def _replace_member(data: bytes, member: str, content: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, content if item.filename == member else source.read(item.filename))
    return out.getvalue()


XLSX_MEMBERS = sorted(zipfile.ZipFile(io.BytesIO(GOOD["volunteers.xlsx"])).namelist())


@FEW
@given(member=st.sampled_from(XLSX_MEMBERS), changes=edits)
def test_damaged_xlsx_parts_load_or_input_error(member, changes):
    original = zipfile.ZipFile(io.BytesIO(GOOD["volunteers.xlsx"])).read(member)
    damaged = _replace_member(GOOD["volunteers.xlsx"], member, _mutate(original, changes))
    load_register("volunteers.xlsx", damaged)


def test_a_workbook_with_damaged_xml_is_an_input_error():
    sheet = zipfile.ZipFile(io.BytesIO(GOOD["volunteers.xlsx"])).read("xl/worksheets/sheet1.xml")
    damaged = _replace_member(GOOD["volunteers.xlsx"], "xl/worksheets/sheet1.xml", sheet[: len(sheet) // 2])
    assert isinstance(load_files(volunteers=("volunteers.xlsx", damaged)), InputError)


@FEW
@given(name=register_names, data=st.binary(max_size=800))
def test_cli_validate_on_a_random_register_exits_0_or_2(name, data):
    cli_validate(name, data)


# ----------------------------------------------------------------------------- random cells in a good register

row_cells = st.fixed_dictionaries({column: cell_text for column in HEADER})


def _register_with(row_index: int, cells: dict[str, str]) -> list[list[str]]:
    rows = [list(row) for row in ROWS]
    rows[row_index] = [cells[column] for column in HEADER]
    return [HEADER, *rows]


@FUZZ
@given(row_index=st.integers(0, len(ROWS) - 1), cells=row_cells)
def test_random_cells_in_a_csv_register_load_or_input_error(row_index, cells):
    load_register("volunteers.csv", csv_of(_register_with(row_index, cells)))


@FUZZ
@given(row_index=st.integers(0, len(ROWS) - 1), cells=row_cells)
def test_random_cells_as_records_load_or_input_error(row_index, cells):
    rows = _register_with(row_index, cells)
    load_or_input_error(volunteers=[dict(zip(HEADER, row)) for row in rows[1:]],
                        shifts=TUTORIAL / "shifts.yaml", rules=TUTORIAL / "rules.yaml")


json_scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20), typed)
json_value = st.recursive(json_scalar, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                               st.dictionaries(st.text(max_size=8), inner, max_size=3)),
                          max_leaves=8)


@FUZZ
@given(row_index=st.integers(0, len(ROWS) - 1), column=st.sampled_from(HEADER), value=json_value)
def test_any_json_value_in_a_register_cell_load_or_input_error(row_index, column, value):
    records = [dict(zip(HEADER, row)) for row in ROWS]
    records[row_index][column] = value
    load_register("volunteers.json", json.dumps(records, ensure_ascii=False).encode())


xlsx_cell = st.one_of(st.none(), st.integers(-10**20, 10**20), st.floats(allow_nan=False, allow_infinity=False),
                      st.booleans(), st.dates(), st.datetimes(), typed.map(lambda t: ILLEGAL_CHARACTERS_RE.sub("", t)),
                      st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=20))


@FEW
@given(row_index=st.integers(0, len(ROWS) - 1), cells=st.fixed_dictionaries({c: xlsx_cell for c in HEADER}))
def test_random_typed_cells_in_an_xlsx_register_load_or_input_error(row_index, cells):
    rows = [list(row) for row in ROWS]
    rows[row_index] = [cells[column] for column in HEADER]
    load_register("volunteers.xlsx", xlsx_of([HEADER, *rows]))


@FEW
@given(row_index=st.integers(0, len(ROWS) - 1), cells=row_cells)
def test_cli_validate_on_random_cells_exits_0_or_2(row_index, cells):
    cli_validate("volunteers.csv", csv_of(_register_with(row_index, cells)))


# ----------------------------------------------------------------------------- shifts and rules

yaml_text = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(["shifts:", "\n", "  - ", "id: a", "days: [Mon", "]", "start: ", "07:00", "end: 09:00",
                              "need: ", "2", "-1", "{", "}", ": ", "'", '"', "\t", "    ", "&a", "*a", "!!python/object",
                              "---", "...", "? ", "require: {x: 1}", "max: 1e9", "min_female: 3", "dates: [2026-02-30]",
                              "weights:", "fairness: ", ".inf", ".nan", "language: ", "zh", "~", "null", "0o17"]),
             max_size=40).map("".join),
)


@FUZZ
@given(text=yaml_text, name=st.sampled_from(["shifts.yaml", "shifts.json"]))
def test_random_text_as_the_shifts_file_load_or_input_error(text, name):
    load_files(shifts=(name, text.encode("utf-8")))


@FUZZ
@given(text=yaml_text, name=st.sampled_from(["rules.yaml", "rules.json"]))
def test_random_text_as_the_rules_file_load_or_input_error(text, name):
    load_files(rules=(name, text.encode("utf-8")))


@FEW
@given(text=yaml_text, name=st.sampled_from(["shifts.yaml", "rules.yaml"]))
def test_cli_validate_on_random_shifts_or_rules_text_exits_0_or_2(text, name):
    cli_validate(name, text.encode("utf-8"))


yaml_value = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=True), st.text(max_size=12),
              st.dates(), st.sampled_from(["07:00", "24:00", "Mon-Fri", "周六", "good", "fair", "2026-12-05"])),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)),
    max_leaves=12,
)
shift_keys = st.sampled_from(list(SHIFTS_DOC["shifts"][0]) + ["dates", "min_age", "max_age", "min_health",
                                                              "min_female", "min_male", "require", "min_femal"])


@FUZZ
@given(document=yaml_value)
def test_random_nested_data_as_shifts_or_rules(document):
    for parse in (parse_shifts, parse_rules):
        _, findings = parse(document, "<fuzz>")
        assert all(f.message for f in findings)
    load_files(shifts=("shifts.yaml", yaml.safe_dump(document, allow_unicode=True).encode()))
    load_files(rules=("rules.yaml", yaml.safe_dump(document, allow_unicode=True).encode()))


@FUZZ
@given(entry=st.integers(0, len(SHIFTS_DOC["shifts"]) - 1), key=shift_keys, value=yaml_value)
def test_one_random_value_in_a_good_shifts_file(entry, key, value):
    document = json.loads(json.dumps(SHIFTS_DOC, default=str))
    document["shifts"][entry][key] = value
    load_files(shifts=("shifts.yaml", yaml.safe_dump(document, allow_unicode=True).encode()))


rule_keys = st.sampled_from(list(RULES_DOC) + ["weights.fairness", "weights.stability", "max_shift_per_week"])
rule_values = st.one_of(yaml_value, st.sampled_from([".inf", "-.inf", ".nan", "1e300", "10**9", "-0"]).map(yaml.safe_load))


@FUZZ
@given(key=rule_keys, value=rule_values)
def test_one_random_value_in_a_good_rules_file(key, value):
    document = json.loads(json.dumps(RULES_DOC))
    if key.startswith("weights."):
        document["weights"][key.split(".")[1]] = value
    else:
        document[key] = value
    load_files(rules=("rules.yaml", yaml.safe_dump(document, allow_unicode=True).encode()))


# ----------------------------------------------------------------------------- rosters given to `roster check`

GOOD_ROSTER = {"week": WEEK, "assignments": [{"shift": "gate-am@2026-11-30", "volunteer": "006"},
                                              {"shift": "cleanup@2026-12-05", "volunteer": "004"}]}
roster_value = st.one_of(
    json_value,
    st.fixed_dictionaries({"week": st.one_of(st.just(WEEK), json_value),
                           **{key: json_value for key in ("period", "status", "replan", "history")},
                           "assignments": st.lists(st.one_of(
                               st.fixed_dictionaries({"shift": st.one_of(st.sampled_from(
                                   ["gate-am@2026-11-30", "cleanup@2026-12-05", "x@2026-02-30", "@", ""]), json_value),
                                   "volunteer": st.one_of(st.sampled_from(["001", "006", "999", ""]), json_value)},
                                   optional={"attendance": st.one_of(st.sampled_from(["served", "缺勤", "√", ""]),
                                                                     json_value)}),
                               json_value), max_size=4)}),
)


def check_roster(name: str, data: bytes) -> None:
    """Read a roster and check it against the tutorial: a result, or RosterError / InputError."""
    with tempfile.TemporaryDirectory() as folder:
        path = write(Path(folder), name, data)
        try:
            api.check(api.load(TUTORIAL, week=WEEK), api.read_roster(path))
        except (RosterError, InputError) as error:
            assert str(error).strip()


@FUZZ
@given(name=st.sampled_from(["roster.json", "assignments.csv"]), data=st.binary(max_size=1000))
def test_random_bytes_as_a_roster_read_or_roster_error(name, data):
    check_roster(name, data)


@FUZZ
@given(value=roster_value)
def test_any_json_as_a_roster_read_or_roster_error(value):
    check_roster("roster.json", json.dumps(value, ensure_ascii=False).encode())


@FEW
@given(value=roster_value)
def test_cli_check_on_any_json_roster_exits_0_2_or_4(value):
    with tempfile.TemporaryDirectory() as folder:
        path = write(Path(folder), "roster.json", json.dumps(value, ensure_ascii=False).encode())
        result = CliRunner().invoke(main, ["check", str(TUTORIAL), str(path), "--week", WEEK])
        assert "Traceback" not in result.output, result.output
        assert result.exit_code in (0, 2, 4), result.output


# ----------------------------------------------------------------------------- availability and dates


@settings(FUZZ, max_examples=300)
@given(text=st.one_of(st.text(max_size=40), typed, st.lists(typed, max_size=3).map(";".join)))
def test_availability_parses_or_raises_bad_value(text):
    try:
        windows = parse_availability(text)
    except BadValue as problem:
        assert problem.message and problem.fix
        return
    for window in windows or ():
        assert 0 <= window.start < window.end <= 24 * 60 and window.days


@settings(FUZZ, max_examples=200)
@given(text=st.one_of(st.text(max_size=40), typed,
                      st.lists(st.one_of(st.dates().map(str), typed), max_size=4).map(lambda parts: "..".join(parts))))
def test_unavailable_parses_or_raises_bad_value(text):
    try:
        ranges = parse_unavailable(text)
    except BadValue as problem:
        assert problem.message and problem.fix
        return
    assert all(r.first <= r.last for r in ranges)


# ----------------------------------------------------------------------------- fixed defects, smallest examples


def test_a_superscript_digit_in_a_shift_time_is_an_input_error():
    text = (TUTORIAL / "shifts.yaml").read_text(encoding="utf-8").replace('start: "07:00"', 'start: "0²:00"')
    assert isinstance(load_files(shifts=("shifts.yaml", text.encode())), InputError)


def test_a_control_character_in_a_yaml_file_is_an_input_error():
    text = (TUTORIAL / "rules.yaml").read_text(encoding="utf-8").replace("language: en", "language: en\x0c")
    assert isinstance(load_files(rules=("rules.yaml", text.encode())), InputError)


def test_a_list_as_a_yaml_key_is_an_input_error():
    text = (TUTORIAL / "shifts.yaml").read_text(encoding="utf-8").replace("days: [Sat]", "[Sat]: days")
    assert isinstance(load_files(shifts=("shifts.yaml", text.encode())), InputError)


def test_an_endless_rest_is_an_input_error():
    text = (TUTORIAL / "rules.yaml").read_text(encoding="utf-8").replace("min_rest_hours: 10", "min_rest_hours: .inf")
    assert isinstance(load_files(rules=("rules.yaml", text.encode())), InputError)
