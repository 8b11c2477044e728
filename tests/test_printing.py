"""The printed 值勤表: the workbook's print setup read back, roster.pdf measured, namesakes, per-team tables.

The Yanji-size week is the sample's real week (18 posts, 146 seats) filled round-robin from the
register without solving: only the layout is under test here, not the roster.
"""

from __future__ import annotations

import datetime as dt
import io
from itertools import cycle

import openpyxl
import pdfplumber
import pypdfium2
import pypdfium2.raw as pdfium_c
import pytest

import scheduler.api as api
from scheduler.domain.models import Problem, Volunteer
from scheduler.domain.roster import Assignment, Roster, Unfilled, period_of
from scheduler.io import printing
from scheduler.io.writers import duty_table, roster_xlsx
from tests.conftest import YANJI

PRINTED = dt.date(2026, 12, 1)
A4_LANDSCAPE = (841.89, 595.28)  # points


@pytest.fixture(scope="module")
def yanji() -> Problem:
    return api.load(YANJI, week="2026-W50")


def filled(problem: Problem, short: dict[str, int] | None = None) -> Roster:
    """Every shift of the week given its `need` people in register order, less the `short` seats left empty."""
    short = short or {}
    people = cycle([v for v in problem.volunteers if v.active])
    assignments, unfilled = [], []
    for shift in problem.shifts:
        empty = short.get(shift.id, 0)
        for _ in range(shift.need - empty):
            assignments.append(Assignment.of(shift, next(people)))
        if empty:
            unfilled.append(Unfilled(shift=shift.id, name=shift.name, date=shift.date.isoformat(), need=shift.need,
                                     assigned=shift.need - empty, missing=empty))
    return Roster(week=problem.week.label, period=period_of(problem), status="partial" if short else "complete",
                  assignments=assignments, unfilled=unfilled)


def with_rules(problem: Problem, **rules) -> Problem:
    return rebuilt(problem, rules=problem.rules.model_copy(update=rules))


def rebuilt(problem: Problem, **fields) -> Problem:
    """The problem with some fields replaced, made anew (model_copy would keep its cached look-ups)."""
    return Problem(**{**{name: getattr(problem, name) for name in Problem.model_fields}, **fields})


def pdf_font_sizes(data: bytes) -> list[float]:
    """The font size (pt) of every character drawn on every page, as pdfium reads the PDF."""
    sizes = []
    for page in pypdfium2.PdfDocument(data):
        text = page.get_textpage()
        sizes += [pdfium_c.FPDFText_GetFontSize(text.raw, i) for i in range(text.count_chars())
                  if not text.get_text_range(i, 1).isspace()]
    return sizes


def column_widths(sheet) -> list[float]:
    """Each column's width; a group of equal columns is stored once, with its first and last column."""
    widths = {}
    for dimension in sheet.column_dimensions.values():
        for column in range(dimension.min, dimension.max + 1):
            widths[column] = dimension.width
    return [widths[c] for c in sorted(widths)]


def pdf_pages_text(data: bytes) -> list[str]:
    return [page.get_textpage().get_text_range() for page in pypdfium2.PdfDocument(data)]


# ---------------------------------------------------------------- the workbook's print setup


def test_the_yanji_week_prints_on_one_a4_landscape_page_at_10_pt_or_more(yanji):
    roster = filled(yanji, {"crossing-am@2026-12-09": 2, "cleanup@2026-12-12": 3})
    sheet = openpyxl.load_workbook(io.BytesIO(roster_xlsx(roster, yanji, "zh", PRINTED)))["值勤表"]
    setup = sheet.page_setup
    assert setup.orientation == "landscape" and str(setup.paperSize) == "9"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and int(setup.fitToHeight) == 0
    assert sheet.print_title_rows == "$1:$2"
    assert sheet.row_breaks.brk == []  # one page: no break
    grid = list(sheet.iter_rows(min_row=2, max_row=sheet.max_row))
    assert len(grid) == 1 + 17  # the header and a row per post and time (the picture books are not this week)
    assert min(cell.font.sz for row in grid for cell in row) >= 10
    # Printed at 100 %: the columns together are no wider than the page inside its margins.
    widths_mm = [width * 7 * 25.4 / 96 for width in column_widths(sheet)]  # 7 pixels a character at 96 dpi
    margins_mm = (sheet.page_margins.left + sheet.page_margins.right) * 25.4
    assert sum(widths_mm) <= 297 - margins_mm
    heights_pt = [sheet.row_dimensions[r].height for r in range(1, sheet.max_row + 1)]
    assert sum(heights_pt) * 25.4 / 72 <= 210 - (sheet.page_margins.top + sheet.page_margins.bottom) * 25.4


def test_a_cell_with_many_names_wraps_instead_of_widening_the_week(yanji):
    sheet = openpyxl.load_workbook(io.BytesIO(roster_xlsx(filled(yanji), yanji, "zh", PRINTED)))["值勤表"]
    widths = column_widths(sheet)
    assert len(widths) == 9 and len(set(widths[2:])) == 1  # every day equally wide
    cleanup = next(r for r in range(3, sheet.max_row + 1) if sheet.cell(r, 1).value == "清洁家园（周六）")
    saturday = sheet.cell(cleanup, 8)
    assert saturday.value.count("、") + saturday.value.count("\n") == 7 and saturday.alignment.wrap_text
    assert "\n" in saturday.value  # the layout's line breaks, between names
    assert sheet.row_dimensions[cleanup].height > 2 * sheet.row_dimensions[3].height  # eight names: several lines


def test_empty_seats_are_shaded_and_counted(yanji):
    roster = filled(yanji, {"crossing-am@2026-12-09": 2, "cleanup@2026-12-12": 3})
    book = openpyxl.load_workbook(io.BytesIO(roster_xlsx(roster, yanji, "zh", PRINTED)))
    sheet = book["值勤表"]
    shaded = [cell for row in sheet.iter_rows(min_row=3) for cell in row if cell.fill.fgColor.rgb == "FFD9D9D9"]
    assert len(shaded) == 2 and "（缺2人）" in [cell.value for cell in shaded]
    assert any(cell.value.replace("\n", "、").endswith("、（缺3人）") for cell in shaded)
    assert "灰底为缺人岗位，本周共缺 5 人次" in sheet.oddFooter.right.text


def test_title_and_footer_come_from_the_rules(yanji):
    sheet = openpyxl.load_workbook(io.BytesIO(roster_xlsx(filled(yanji), yanji, "zh", PRINTED)))["值勤表"]
    assert sheet["A1"].value == "延吉七村居民区 创全志愿者值勤表 12月7日—12月13日"
    assert sheet["A1"].font.sz == 16
    assert "联系：居委会 电话 6543 2100" in sheet.oddFooter.left.text
    assert "打印日期：2026-12-01" in sheet.oddFooter.left.text
    assert "本周各岗位均已排满" in sheet.oddFooter.right.text


def test_without_a_committee_the_folder_names_the_table(yanji):
    plain = with_rules(yanji, committee="", duty_table_title="", contact="")
    sheet = openpyxl.load_workbook(io.BytesIO(roster_xlsx(filled(plain), plain, "en", PRINTED)))["Duty roster"]
    assert sheet["A1"].value == "yanji7 Volunteer duty roster 7 Dec – 13 Dec"
    assert "Contact" not in sheet.oddFooter.left.text and "Printed 2026-12-01" in sheet.oddFooter.left.text


def test_the_grid_keeps_the_other_sheets_and_reads_back(yanji, tmp_path):
    roster = filled(yanji)
    path = tmp_path / "roster.xlsx"
    path.write_bytes(roster_xlsx(roster, yanji, "zh", PRINTED))
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["值勤表", "安排明细", "缺岗", "工作量"]
    assert len(api.read_roster(path).assignments) == len(roster.assignments)
    rows = [["" if v is None else v for v in row] for row in book["值勤表"].iter_rows(min_row=2, values_only=True)]
    assert [[str(v).replace("\n", "、") for v in row] for row in rows[1:]] == duty_table(roster, yanji, "zh").values.tolist()


def test_a_week_too_big_for_one_page_repeats_title_and_header_on_each(yanji):
    """Three times the posts: more pages, the breaks the same in the workbook and the PDF."""
    definitions = tuple(d.model_copy(update={"id": f"{d.id}-{n}", "name": f"{d.name}{n}"})
                        for n in range(3) for d in yanji.definitions)
    from scheduler.domain.models import expand

    big = rebuilt(yanji, definitions=definitions, shifts=expand(definitions, yanji.week))
    roster = filled(big)
    plan = printing.layout(printing.duty_pages(roster, big, "zh", PRINTED)[0], "zh")
    assert plan.font_size == 10 and len(plan.pages) >= 2
    sheet = openpyxl.load_workbook(io.BytesIO(roster_xlsx(roster, big, "zh", PRINTED)))["值勤表"]
    assert [b.id for b in sheet.row_breaks.brk] == [2 + part.start for part in plan.pages[1:]]
    assert sheet.print_title_rows == "$1:$2"
    data = printing.roster_pdf(roster, big, "zh", PRINTED)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) == len(plan.pages)
    texts = pdf_pages_text(data)
    assert all("岗位" in text and "12-07 周一" in text for text in texts)
    assert "（续）" in texts[1] and "（续）" not in texts[0]
    assert f"第 2 页，共 {len(texts)} 页" in texts[1]


# ---------------------------------------------------------------- roster.pdf


def test_the_pdf_is_one_a4_landscape_page_with_the_names_at_10_pt_or_more(yanji):
    roster = filled(yanji, {"crossing-am@2026-12-09": 2})
    data = printing.roster_pdf(roster, yanji, "zh", PRINTED)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) == 1
        assert (round(pdf.pages[0].width, 2), round(pdf.pages[0].height, 2)) == A4_LANDSCAPE
    (text,) = pdf_pages_text(data)
    assert "延吉七村居民区 创全志愿者值勤表 12月7日—12月13日" in text
    assert "（缺2人）" in text and "联系：居委会 电话 6543 2100" in text
    plan = printing.layout(printing.duty_pages(roster, yanji, "zh", PRINTED)[0], "zh")
    sizes = pdf_font_sizes(data)
    footer = len("".join(text.split("\n")[-1].split()))  # the footer line is the only 9-pt text
    assert sorted(sizes)[footer] >= 10 and max(sizes) == printing.TITLE_SIZE
    assert sizes.count(plan.font_size) > 0.8 * len(sizes) and plan.font_size >= 10


def test_the_pdf_embeds_the_chinese_font(yanji):
    data = printing.roster_pdf(filled(yanji), yanji, "zh", PRINTED)
    assert b"/FontFile3" in data and b"NotoSansSC" in data  # embedded (a subset), not referred to by name
    assert 20_000 < len(data) < 400_000


def test_pdf_in_english(yanji):
    (text,) = pdf_pages_text(printing.roster_pdf(filled(yanji), yanji, "en", PRINTED))
    assert "Mon 12-07" in text and "Page 1 of 1" in text and "Printed 2026-12-01" in text


# ---------------------------------------------------------------- namesakes and teams


def namesakes(yanji: Problem, buildings: tuple[str, str] = ("", "")) -> Problem:
    """Two 王秀英 in the register (X012 and X112): both serve this week."""
    volunteers = list(yanji.volunteers)
    for index, (vid, building) in enumerate(zip(("X012", "X112"), buildings)):
        volunteers[index] = Volunteer(id=vid, name="王秀英", gender="F", age=66, building=building)
    return rebuilt(yanji, volunteers=tuple(volunteers))


def test_namesakes_are_told_apart_by_their_id(yanji):
    problem = namesakes(yanji)
    printed = printing.printed_names(filled(problem), problem, "zh")
    assert printed["X012"] == "王秀英（X012）" and printed["X112"] == "王秀英（X112）"
    pages = printing.duty_pages(filled(problem), problem, "zh", PRINTED)
    assert "同名者括号内为楼号或编号" in pages[0].footer_right


def test_namesakes_are_told_apart_by_building_on_the_printed_page(yanji):
    """The PDF names the building; the workbook and the CSV keep the id, which is how the grid is read back."""
    problem = namesakes(yanji, ("3", "12号楼"))
    roster = filled(problem)
    printed = printing.printed_names(roster, problem, "zh")
    assert printed["X012"] == "王秀英（3号楼）" and printed["X112"] == "王秀英（12号楼）"
    assert "王秀英（3号楼）" in "".join(pdf_pages_text(printing.roster_pdf(roster, problem, "zh", PRINTED)))
    assert "王秀英（X012）" in duty_table(roster, problem, "zh").to_string()
    sheet = openpyxl.load_workbook(io.BytesIO(roster_xlsx(roster, problem, "zh", PRINTED)))["值勤表"]
    assert "王秀英（X012）" in [cell.value for row in sheet.iter_rows(min_row=3) for cell in row]


def test_the_whole_set_lays_the_tables_out_once_unless_the_pdf_names_buildings(yanji):
    """`render_outputs` lays the printed tables out once for the workbook and the PDF; where the PDF tells
    namesakes apart by building, it prints tables of its own."""
    from scheduler.io.writers import render_outputs, shared_tables

    by_id = namesakes(yanji)
    assert list(shared_tables(filled(by_id), by_id, "zh")) == ["roster.xlsx", "roster.pdf"]
    by_building = namesakes(yanji, ("3", "12号楼"))
    roster = filled(by_building)
    assert list(shared_tables(roster, by_building, "zh")) == ["roster.xlsx"]
    files = render_outputs(roster, by_building, "zh")
    assert "王秀英（3号楼）" in "".join(pdf_pages_text(files["roster.pdf"]))
    sheet = openpyxl.load_workbook(io.BytesIO(files["roster.xlsx"]))["值勤表"]
    assert "王秀英（X012）" in [cell.value for row in sheet.iter_rows(min_row=3) for cell in row]


def test_the_grid_with_namesakes_reads_back_as_the_roster(yanji, tmp_path):
    from scheduler.loading.dutygrid import read_duty_grid

    problem = namesakes(yanji)
    roster = filled(problem)
    path = tmp_path / "roster.xlsx"
    path.write_bytes(roster_xlsx(roster, problem, "zh", PRINTED))
    grid = read_duty_grid(path, problem, api.read_roster(path).assignments)
    assert grid.findings == [] and sorted(grid.pairs) == sorted(roster.pairs())


def test_one_sheet_and_page_per_team_when_the_rules_ask(yanji):
    problem = with_rules(yanji, duty_table_per_team=True)
    roster = filled(problem)
    book = openpyxl.load_workbook(io.BytesIO(roster_xlsx(roster, problem, "zh", PRINTED)))
    assert book.sheetnames == ["值勤表-civility", "值勤表-service", "安排明细", "缺岗", "工作量"]
    assert book["值勤表-service"]["A1"].value == "延吉七村居民区 创全志愿者值勤表（service） 12月7日—12月13日"
    posts = [row[0] for row in book["值勤表-civility"].iter_rows(min_row=3, values_only=True)]
    assert len(posts) == 12 and "清洁家园（周六）" not in posts
    texts = pdf_pages_text(printing.roster_pdf(roster, problem, "zh", PRINTED))
    assert len(texts) == 2 and "（civility）" in texts[0] and "清洁家园" in texts[1] and "清洁家园" not in texts[0]


# ---------------------------------------------------------------- the layout's pieces


def test_names_wrap_between_names_never_inside_one():
    assert printing.wrap_names(["殷海英", "王海英", "周海英"], 7, "、") == ["殷海英、王海英", "周海英"]
    assert printing.wrap_names(["Wang Li", "Zhou Ting"], 5, ", ") == ["Wang Li", "Zhou Ting"]
    assert printing.wrap_names(["（缺3人）"], 10, "、") == ["（缺3人）"]
    assert printing.wrap_names([], 5, "、") == [""]


def test_text_width_counts_chinese_as_one_em_and_digits_as_about_half():
    assert printing.text_em("王秀英") == 3
    assert printing.text_em("07:00-09:00") == pytest.approx(8 * 0.56 + 2 * 0.28 + 0.36)


def test_the_register_s_building_column_is_read(tmp_path):
    from scheduler.loading.volunteers import load_volunteers

    register = tmp_path / "volunteers.csv"
    register.write_text("编号,姓名,性别,年龄,楼号\nV1,王秀英,女,66,3号楼\nV2,王秀英,女,70,\n", encoding="utf-8")
    volunteers, findings = load_volunteers(register)
    assert findings == [] and [v.building for v in volunteers] == ["3号楼", ""]
