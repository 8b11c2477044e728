"""The printed 值勤表: the grid, its page composition and layout on A4 landscape, and `roster.pdf`.

One layout serves the workbook's duty sheet and the PDF, so that both print the same page:
the largest font size (12 pt down to 10 pt) and post-column width at which the week fits one
A4 landscape page, names never split across lines, each day column equally wide (a cell with
many names wraps instead of widening the week). Only a week too big for one page at 10 pt goes
on to more pages, each repeating the title and the header row.

The PDF embeds Noto Sans SC (the `pylopdf-fonts-zh-cn` package, installed with the tool), so a
phone without a Chinese font shows it as printed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import tempfile
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pylopdf_fonts_zh_cn

from scheduler.domain.clock import DAY_MINUTES, clock, parse_clock
from scheduler.domain.ids import SHIFT_ID_SEPARATOR, split_shift_id
from scheduler.domain.models import Problem
from scheduler.domain.roster import Assignment, Roster, Unfilled
from scheduler.render.texts import date_header, t

# ---------------------------------------------------------------- the grid


@lru_cache(maxsize=1 << 17)
def natural_key(text: str) -> tuple:
    """Sort key that orders `V2` before `V10` and keeps `007` apart from `7`.

    Cached: a week sorts the same ids over and over (each cell of the grid, every list).
    """
    return tuple((0, int(part), part) if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", text))


@lru_cache(maxsize=1 << 12)
def minutes_of(text: str) -> int:
    """`07:00` -> 420, so that a hand-edited `7:00` still sorts before `10:00`; unreadable sorts last.

    Cached: a week's 45,000 assignments start at a few dozen times.
    """
    minutes = parse_clock(text)
    return DAY_MINUTES + 1 if minutes is None else minutes


def occurrence(shift: str, date: str) -> tuple[str, str]:
    """(definition id, ISO date) of a shift id `<definition>@<date>`; a bare id falls back to `date`."""
    definition, day = split_shift_id(shift)
    return (definition, day) if SHIFT_ID_SEPARATOR in shift else (shift, date)


@dataclass(frozen=True)
class GridCell:
    """One post on one date: who serves (names as printed) and how many seats stay empty."""

    occurs: bool = False
    names: tuple[str, ...] = ()
    missing: int = 0

    def text(self, lang: str) -> str:
        parts = [*self.names, *([t(lang, "duty.missing", n=self.missing)] if self.missing else [])]
        return t(lang, "join.names").join(parts)


@dataclass(frozen=True)
class GridRow:
    """One post and time of the week, a cell per date."""

    post: str
    time: str
    cells: tuple[GridCell, ...]
    teams: frozenset[str] = frozenset()


@dataclass
class _Post:
    name: str
    start: str
    end: str
    teams: frozenset[str] = frozenset()
    dates: set[str] = field(default_factory=set)


def _posts(roster: Roster, problem: Problem) -> dict[str, _Post]:
    """The grid's rows by definition id, from the week's shifts and whatever the roster names."""
    posts: dict[str, _Post] = {}
    for shift in problem.shifts:
        spec = shift.definition
        if spec.id not in posts:  # a row is made once per definition, not once per shift
            posts[spec.id] = _Post(spec.name, clock(spec.start), clock(spec.end), spec.teams)
        posts[spec.id].dates.add(shift.date.isoformat())
    # A hand-edited roster may name shifts the problem no longer has: they keep a row, nothing is hidden.
    items: list[Assignment | Unfilled] = [*roster.assignments, *roster.unfilled]
    for item in items:
        definition, day = occurrence(item.shift, item.date)
        if definition not in posts:
            posts[definition] = _Post(item.name or definition, item.start, item.end)
        posts[definition].dates.add(day)
    return posts


def printed_names(roster: Roster, problem: Problem, lang: str, buildings: bool = True) -> dict[str, str]:
    """The name each volunteer of the roster is printed under: people sharing a name get a tag.

    Names are compared over the whole register, not only this week's roster: a reader who knows
    two 王秀英 cannot tell which one is meant. The tag is the building when `buildings` and the
    register has a different one for each of them (`王秀英（3号楼）`), else the id (`王秀英（V012）`),
    which is also how the workbook's grid is read back (`scheduler.loading.dutygrid`).
    """
    wanted = {a.volunteer for a in roster.assignments}
    printed = {}
    for name, ids in _by_name(roster, problem).items():
        tags = _tags(ids, problem, lang, buildings) if len(ids) > 1 else {}
        for volunteer in ids:
            if volunteer in wanted:
                printed[volunteer] = t(lang, "print.tag", name=name, tag=tags[volunteer]) if tags else name
    return printed


def _names(roster: Roster, problem: Problem) -> dict[str, str]:
    """Everyone's name by id: the register's, and for the roster's people the name it records (as it
    was when the week was planned)."""
    names = {v.id: v.name for v in problem.volunteers}
    for a in roster.assignments:
        names[a.volunteer] = a.volunteer_name or names.get(a.volunteer, a.volunteer)
    return names


def _by_name(roster: Roster, problem: Problem) -> dict[str, list[str]]:
    """Everyone's id by name (`_names`): the ids under one name are namesakes."""
    by_name: dict[str, list[str]] = defaultdict(list)
    for volunteer, name in _names(roster, problem).items():
        by_name[name].append(volunteer)
    return by_name


def _tags(ids: list[str], problem: Problem, lang: str, buildings: bool) -> dict[str, str]:
    found = _buildings(ids, problem) if buildings else None
    if found:
        return {v: t(lang, "print.building", building=b) if b.isdigit() else b for v, b in found.items()}
    return {v: v for v in ids}


def _buildings(ids: list[str], problem: Problem) -> dict[str, str] | None:
    """Each namesake's building, when the register has a different one for each of them."""
    found = {v: (problem.volunteer[v].building if v in problem.volunteer else "") for v in ids}
    return found if all(found.values()) and len(set(found.values())) == len(ids) else None


def tables_alike(roster: Roster, problem: Problem) -> bool:
    """Whether the PDF's tables are the workbook's: they differ only where the PDF tells namesakes of the
    roster apart by building (`printed_names`), so when none is, one layout serves both."""
    wanted = {a.volunteer for a in roster.assignments}
    return not any(len(ids) > 1 and not wanted.isdisjoint(ids) and _buildings(ids, problem)
                   for ids in _by_name(roster, problem).values())


def duty_rows(roster: Roster, problem: Problem, lang: str, printed: dict[str, str] | None = None) -> list[GridRow]:
    """The 值勤表's rows: a row per post and time (by start, then name), a cell per date of the week.

    `printed` is `printed_names` when the caller has it already.
    """
    posts = _posts(roster, problem)
    printed = printed if printed is not None else printed_names(roster, problem, lang)
    people: dict[tuple[str, str], list[str]] = defaultdict(list)
    for a in roster.assignments:
        people[occurrence(a.shift, a.date)].append(a.volunteer)
    missing = {occurrence(u.shift, u.date): u.missing for u in roster.unfilled if u.missing > 0}
    rows = []
    for definition in sorted(posts, key=lambda d: (minutes_of(posts[d].start), posts[d].name, d)):
        post = posts[definition]
        cells = []
        for day in problem.week.dates:
            key = (definition, day.isoformat())
            # A date the shift does not occur on stays empty; an occurrence nobody fills shows what is missing.
            if key[1] not in post.dates:
                cells.append(GridCell())
                continue
            ids = sorted(dict.fromkeys(people.get(key, [])), key=natural_key)
            cells.append(GridCell(True, tuple(printed[v] for v in ids), missing.get(key, 0)))
        rows.append(GridRow(post.name, f"{post.start}-{post.end}", tuple(cells), post.teams))
    return rows


def grid_header(problem: Problem, lang: str) -> list[str]:
    return [t(lang, "duty.post"), t(lang, "duty.time")] + [date_header(lang, day) for day in problem.week.dates]


# ---------------------------------------------------------------- the page's words


@dataclass(frozen=True)
class DutyPage:
    """One printed table: a title, the header, the rows, and the footer's lines."""

    title: str
    header: list[str]
    rows: list[GridRow]
    footer_left: str
    footer_right: str
    missing: int
    team: str = ""
    sheet: str = ""

    def texts(self, lang: str) -> list[list[str]]:
        """The rows as the cells' texts: post, time, one per date."""
        return [[row.post, row.time, *(cell.text(lang) for cell in row.cells)] for row in self.rows]


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")  # whatever the locale


def month_day(lang: str, day: dt.date) -> str:
    """`12月7日` / `7 Dec`."""
    return t(lang, "print.month_day", month=day.month, day=day.day, month_name=MONTHS[day.month - 1])


def committee_name(problem: Problem) -> str:
    """The committee's name: the rules' `committee`, else the problem folder's name."""
    if problem.rules.committee:
        return problem.rules.committee
    for source in problem.sources.values():
        folder = Path(source.path).parent.name
        if folder:
            return folder
    return ""


def page_title(problem: Problem, lang: str, team: str = "") -> str:
    """`延吉七村居民区 创全志愿者值勤表 12月7日—12月13日`."""
    week = problem.week
    title = problem.rules.duty_table_title or t(lang, "print.default_title")
    if team:
        title += t(lang, "print.team", team=team)
    period = t(lang, "print.period", first=month_day(lang, week.monday), last=month_day(lang, week.sunday))
    return " ".join(t(lang, "print.title", committee=committee_name(problem), title=title, period=period).split())


def duty_pages(roster: Roster, problem: Problem, lang: str, printed: dt.date | None = None,
               buildings: bool = True) -> list[DutyPage]:
    """The printed tables of the week: one, or one per team when the rules' `duty_table_per_team` says so.

    With one per team, a post goes on the table of its team(s); posts open to anyone on the table
    of everyone (全体). `buildings`: namesakes may be told apart by building (the PDF); the
    workbook, which is read back, tells them apart by id.
    """
    names = printed_names(roster, problem, lang, buildings)
    rows = duty_rows(roster, problem, lang, names)
    header = grid_header(problem, lang)
    if problem.rules.duty_table_per_team:
        groups: dict[str, list[GridRow]] = defaultdict(list)
        for row in rows:
            groups[t(lang, "join.names").join(sorted(row.teams)) or t(lang, "print.all_teams")].append(row)
        parts = sorted(groups.items(), key=lambda item: (item[0] == t(lang, "print.all_teams"), item[0]))
    else:
        parts = [("", rows)]
    plain = _names(roster, problem)
    namesakes = any(name != plain[volunteer] for volunteer, name in names.items())
    pages = []
    for team, team_rows in parts:
        missing = sum(cell.missing for row in team_rows for cell in row.cells)
        left, right = _footer(problem, lang, missing, namesakes, printed or dt.date.today())
        sheet = t(lang, "sheet.duty") + (f"-{team}" if team else "")
        pages.append(DutyPage(page_title(problem, lang, team), header, team_rows, left, right, missing, team,
                              sheet_name(sheet)))
    return pages


def _footer(problem: Problem, lang: str, missing: int, namesakes: bool, printed: dt.date) -> tuple[str, str]:
    """The footer's left (contact, print date) and right (empty seats, what the brackets mean) texts."""
    left = [t(lang, "print.contact", contact=problem.rules.contact)] if problem.rules.contact else []
    left.append(t(lang, "print.printed", date=printed.isoformat()))
    right = [t(lang, "print.missing", n=missing) if missing else t(lang, "print.full")]
    if namesakes:
        right.append(t(lang, "print.same_name"))
    return "   ".join(left), t(lang, "print.footer_sep").join(right)


def sheet_name(text: str) -> str:
    """A valid, unique-enough Excel sheet name: no `[]:*?/\\`, at most 31 characters."""
    return re.sub(r"[\[\]:*?/\\]", "_", text)[:31]


# ---------------------------------------------------------------- the layout on A4 landscape

PAGE_WIDTH, PAGE_HEIGHT = 297.0, 210.0  # mm, A4 landscape
MARGIN = 8.0  # mm on every side; the footer prints inside the bottom margin
PT = 25.4 / 72  # mm per point
FONT_SIZES = (12.0, 11.0, 10.5, 10.0)  # the grid's names never go below 10 pt
TITLE_SIZE = 16.0
FOOTER_SIZE = 9.0
LINE_SPACING = 1.4  # line height as a multiple of the font size (Excel and LibreOffice need it for CJK)
PAD_X, PAD_Y = 1.0, 0.9  # mm inside each cell
NARROW_EM = {":": 0.28, "-": 0.36, " ": 0.25, ".": 0.28, "·": 0.28}  # digits and letters: 0.56 em
"""Widths in em of the narrow characters that time and names use, as Noto Sans SC draws them."""
TITLE_GAP = 3.0  # mm between the title and the table


@lru_cache(maxsize=1 << 17)
def text_em(text: str) -> float:
    """The width of a text in em: Chinese characters are one em, narrow characters a little over half.

    Cached: a week repeats the same names, times and posts thousands of times.
    """
    return sum(_char_em(ch) for ch in text)


@lru_cache(maxsize=1 << 14)
def _char_em(ch: str) -> float:
    return 1.0 if unicodedata.east_asian_width(ch) in "WF" else NARROW_EM.get(ch, 0.56)


def wrap_names(names: list[str], width_em: float, separator: str) -> list[str]:
    """Lines of names joined by `separator` within `width_em`, a line break only between names.

    The line break itself separates the names on either side of it: a separator that would end
    a line is left out (it would stick out of the cell).
    """
    lines: list[str] = []
    current = ""
    used: float = 0  # text_em(current) from the cached widths of its names: see _overflows
    for index, name in enumerate(names):
        piece = name + (separator if index < len(names) - 1 else "")
        if current and _overflows(current, used, name, width_em):
            lines.append(current.rstrip().removesuffix(separator.strip()))
            current, used = "", 0
        width = text_em(piece)
        if width > width_em:  # perhaps one name wider than the column (the trailing space of `, ` aside)
            whole, piece, width = _cut(piece, width_em)
            lines += whole
        current += piece
        used += width
    if current or not lines:
        lines.append(current.rstrip())
    return lines


@lru_cache(maxsize=1 << 16)
def _cut(piece: str, width_em: float) -> tuple[tuple[str, ...], str, float]:
    """A name (and its separator) too wide for the column, cut at characters: the full lines, what is
    left over and its width. Cached: such a name (one tagged with its id) is in several cells."""
    lines = []
    while text_em(piece.rstrip()) > width_em and len(piece) > 1:
        cut = _fitting(piece, width_em)
        lines.append(piece[:cut])
        piece = piece[cut:]
    return tuple(lines), piece, text_em(piece)


WIDTH_EPSILON = 1e-6
"""Far more than the rounding of a line's width in em summed in another order (about 1e-13), far less
than the narrowest character (0.25 em)."""


def _overflows(current: str, used: float, name: str, width_em: float) -> bool:
    """Whether `current` then `name` is wider than `width_em`, exactly as text_em(current + name) says.

    `used` is text_em(current) summed from the names' cached widths rather than character by
    character, so it may differ from it in the last bits: only a line within WIDTH_EPSILON of
    the width is measured again character by character. A week's cells have tens of thousands
    of lines; this keeps the breaks where they were at a fraction of the cost.
    """
    estimate = used + text_em(name)
    if abs(estimate - width_em) > WIDTH_EPSILON:
        return estimate > width_em
    return _added(0, current + name) > width_em


def _added(used: float, text: str) -> float:
    """`used` plus the width of `text`, one character at a time: text_em(a + b) is _added(text_em(a), b)."""
    for ch in text:
        used += _char_em(ch)
    return used


OPENING, CLOSING = "（([【《“", "）)]】》”、，。：；·"
"""Brackets that never end a line and punctuation that never starts one (the rules of 禁则)."""


def wrap_text(text: str, width_em: float) -> list[str]:
    """A post's name broken at characters within `width_em` (Chinese has no spaces to break at).

    A break goes before an opening bracket when one is in the second half of the line
    (`小区东门文明劝导` / `（早高峰）`), and never leaves a closing bracket at a line's start.
    """
    return list(_wrapped_text(text, width_em))


@lru_cache(maxsize=1 << 14)
def _wrapped_text(text: str, width_em: float) -> tuple[str, ...]:
    """wrap_text's lines, cached: the layout wraps every row's post and time again for each width it tries,
    and a week has far fewer posts than rows."""
    lines = []
    for paragraph in text.splitlines() or [""]:
        while text_em(paragraph) > width_em and len(paragraph) > 1:
            cut = _break_at(paragraph, _fitting(paragraph, width_em))
            lines.append(paragraph[:cut])
            paragraph = paragraph[cut:]
        lines.append(paragraph)
    return tuple(lines)


def _break_at(text: str, cut: int) -> int:
    """Move a break at `cut` back to where Chinese typesetting allows it."""
    bracket = max(text.rfind(ch, 0, cut) for ch in OPENING)
    if bracket >= max(1, cut // 2):
        return bracket
    while cut > 1 and (text[cut] in CLOSING or text[cut - 1] in OPENING):
        cut -= 1
    return cut


@lru_cache(maxsize=1 << 18)
def _fitting(text: str, width_em: float) -> int:
    """How many leading characters of `text` fit in `width_em` (at least one).

    Cached: a name too long for its column (with its id) is cut again in every cell it is in.
    """
    used = 0.0
    for index, ch in enumerate(text):
        used += _char_em(ch)
        if used > width_em:
            return max(1, index)
    return len(text)


@dataclass(frozen=True)
class Layout:
    """Where everything goes, in mm and points: the same for the workbook and the PDF."""

    font_size: float  # pt, the grid's text
    widths: list[float]  # mm per column: post, time, the dates
    header_lines: list[list[str]]
    lines: list[list[list[str]]]  # per row, per column: the printed lines
    row_heights: list[float]  # mm per body row
    header_height: float
    pages: list[range]  # body rows on each page

    @property
    def line_height(self) -> float:
        return self.font_size * LINE_SPACING * PT


def _cell_parts(page: DutyPage, lang: str) -> list[list[list[str]]]:
    """Per row, per date: the texts a cell prints (the names, then what is missing), worded once for
    every width the layout tries."""
    return [[[*cell.names, *([t(lang, "duty.missing", n=cell.missing)] if cell.missing else [])]
             for cell in row.cells] for row in page.rows]


def _cell_lines(row: GridRow, parts: list[list[str]], inner: list[float], separator: str) -> list[list[str]]:
    """A row's printed lines per column, `inner` the columns' widths in em inside their padding."""
    lines = [wrap_text(row.post, inner[0]), wrap_text(row.time, inner[1])]
    for cell_parts, width in zip(parts, inner[2:]):
        lines.append(wrap_names(cell_parts, width, separator) if cell_parts else [""])
    return lines


def _height(lines: list[list[str]], size: float) -> float:
    return max(len(column) for column in lines) * size * LINE_SPACING * PT + 2 * PAD_Y


def body_height() -> float:
    """The height left for the table on one page, below the title."""
    return PAGE_HEIGHT - 2 * MARGIN - TITLE_SIZE * LINE_SPACING * PT - TITLE_GAP


def layout(page: DutyPage, lang: str) -> Layout:
    """The largest font at which the week fits one page, with the post-column width that makes the
    table shortest; else 10 pt over as few pages as it takes.

    The time column fits its longest time on one line; the post column is tried from wide to
    narrow (wrapping long names over lines), the rest shared equally by the dates.
    """
    usable = PAGE_WIDTH - 2 * MARGIN
    smallest = FONT_SIZES[-1]
    # A week whose rows could not fit one page even on a single line each goes straight to the smallest size.
    one_line = (len(page.rows) + 1) * (smallest * LINE_SPACING * PT + 2 * PAD_Y)
    for size in FONT_SIZES if one_line <= body_height() else (smallest,):
        options = list(_options(page, lang, size, usable))
        if not options:
            continue
        # The shortest table wins (the fewest lines broken), then the widest post column.
        fitting = [option for option in options if option[0] <= body_height()]
        best = min(fitting or options, key=lambda option: (round(option[0]), -option[1][0]))
        if fitting:
            break
    _, widths, header_lines, lines, heights, header_height = best
    return Layout(size, widths, header_lines, lines, heights, header_height, _paginate(heights, header_height))


def _options(page: DutyPage, lang: str, size: float, usable: float):
    """(table height, widths, header lines, lines, row heights, header height) per post-column width tried."""
    em = size * PT
    time_width = max(text_em(text) for text in [page.header[1], *(r.time for r in page.rows)]) * em + 2 * PAD_X
    longest = max([text_em(r.post) for r in page.rows] + [text_em(page.header[0])])
    days = max(1, len(page.header) - 2)
    # A day column holds the longest name (with its tag) whole, or the size is not an option.
    widest = max([text_em(name) for row in page.rows for cell in row.cells for name in cell.names] + [3.0])
    parts, separator = _cell_parts(page, lang), t(lang, "join.names")
    for post_em in sorted({min(longest, max(4.0, longest / k)) for k in (1, 2, 3, 4)}, reverse=True):
        post_width = post_em * em + 2 * PAD_X + 0.5
        day_width = (usable - post_width - time_width) / days
        if day_width - 2 * PAD_X < widest * em and size > FONT_SIZES[-1]:
            continue
        widths = [post_width, time_width] + [day_width] * days
        inner = [(w - 2 * PAD_X) / em for w in widths]
        lines = [_cell_lines(row, row_parts, inner, separator) for row, row_parts in zip(page.rows, parts)]
        header_lines = [wrap_text(text, (w - 2 * PAD_X) / em) for text, w in zip(page.header, widths)]
        heights = [_height(row_lines, size) for row_lines in lines]
        header_height = _height(header_lines, size)
        yield header_height + sum(heights), widths, header_lines, lines, heights, header_height


def _paginate(heights: list[float], header_height: float) -> list[range]:
    """Body rows per page: as many as fit under the repeated title and header."""
    pages, start, used = [], 0, header_height
    for index, height in enumerate(heights):
        if used + height > body_height() and index > start:
            pages.append(range(start, index))
            start, used = index, header_height
        used += height
    pages.append(range(start, len(heights)))
    return pages


# ---------------------------------------------------------------- roster.pdf

HEADER_FILL = (221, 235, 247)  # the workbook's header blue
MISSING_FILL = (217, 217, 217)  # grey: prints the same on a black-and-white printer
BORDER_GREY = (128, 128, 128)


def font_path() -> Path:
    """Noto Sans SC from the `pylopdf-fonts-zh-cn` package (a dependency: nothing is fetched at run time)."""
    return Path(pylopdf_fonts_zh_cn.sans_path())


def _open_font():
    """The font, opened when the tool starts: a process that then changes account (a colleague's run in a
    forked copy) may no longer reach the interpreter's folder, but can still read an open file."""
    try:
        return open(font_path(), "rb")  # held for the life of the process, read by offset
    except OSError:
        return None


FONT = _open_font()


@contextlib.contextmanager
def readable_font():
    """A path to the font that this account can open: its own, or a private copy made from `FONT`."""
    path = font_path()
    if os.access(path, os.R_OK) or FONT is None:
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="roster-font-") as folder:
        copy = Path(folder) / path.name
        with open(copy, "wb") as target:
            offset = 0
            while chunk := os.pread(FONT.fileno(), 1 << 20, offset):
                target.write(chunk)
                offset += len(chunk)
        yield copy


@dataclass(frozen=True)
class PrintedTables:
    """A week's printed tables and their layouts, for the workbook and the PDF to print from."""

    pages: list[DutyPage]
    plans: list[Layout]


def printed_tables(roster: Roster, problem: Problem, lang: str, printed: dt.date | None = None,
                   buildings: bool = True) -> PrintedTables:
    """The week's `duty_pages`, each laid out (`layout`)."""
    pages = duty_pages(roster, problem, lang, printed, buildings)
    return PrintedTables(pages, [layout(page, lang) for page in pages])


def roster_pdf(roster: Roster, problem: Problem, lang: str, printed: dt.date | None = None,
               tables: PrintedTables | None = None) -> bytes:
    """`roster.pdf`: the duty table(s) on A4 landscape pages, the Chinese font embedded (only the glyphs used).

    `tables`: the `printed_tables` when the caller has them already.
    """
    with readable_font() as font:
        return _render_pdf(tables or printed_tables(roster, problem, lang, printed), lang, font)


def _render_pdf(tables: PrintedTables, lang: str, font: Path) -> bytes:
    from fpdf import FPDF  # imported when a PDF is made: it takes a while, and most commands make none

    pdf = FPDF(orientation="landscape", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.add_font("noto", fname=str(font))
    pdf.set_creator("volunteer-roster")
    pages, plans = tables.pages, tables.plans  # laid out once: the page count comes first
    pdf.set_title(pages[0].title if pages else "")
    total = sum(len(plan.pages) for plan in plans)
    number = 0
    for page, plan in zip(pages, plans):
        for part, rows in enumerate(plan.pages):
            number += 1
            pdf.add_page()
            _pdf_title(pdf, page.title + (t(lang, "print.continued") if part else ""))
            y = _pdf_row(pdf, MARGIN + TITLE_SIZE * LINE_SPACING * PT + TITLE_GAP, plan.header_lines, plan,
                         plan.header_height, fills=[HEADER_FILL] * len(plan.widths), centre=True)
            for index in rows:
                fills = [None, None] + [MISSING_FILL if cell.missing else None for cell in page.rows[index].cells]
                y = _pdf_row(pdf, y, plan.lines[index], plan, plan.row_heights[index], fills=fills)
            _pdf_footer(pdf, page, lang, number, total)
    return bytes(pdf.output())


def _pdf_title(pdf, title: str) -> None:
    pdf.set_font("noto", size=TITLE_SIZE)
    pdf.set_text_color(0, 0, 0)
    pdf.set_xy(MARGIN, MARGIN)
    pdf.cell(PAGE_WIDTH - 2 * MARGIN, TITLE_SIZE * LINE_SPACING * PT, title, align="C")


def _pdf_row(pdf, y: float, lines: list[list[str]], plan: Layout, height: float, fills, centre: bool = False) -> float:
    """One row of bordered cells at `y`; returns the y of the next row."""
    pdf.set_draw_color(*BORDER_GREY)
    pdf.set_line_width(0.2)
    pdf.set_font("noto", size=plan.font_size)
    x = MARGIN
    for column, (width, cell_lines, fill) in enumerate(zip(plan.widths, lines, fills)):
        if fill:
            pdf.set_fill_color(*fill)
        pdf.rect(x, y, width, height, style="DF" if fill else "D")
        # text() places a line by its baseline and is much faster than cell() on a city's hundred pages.
        baseline = y + PAD_Y + (plan.line_height + plan.font_size * PT * 0.76) / 2
        for number, line in enumerate(cell_lines):
            left = x + PAD_X
            if centre or column == 1:
                left = x + (width - pdf.get_string_width(line)) / 2
            pdf.text(left, baseline + number * plan.line_height, line)
        x += width
    return y + height


def _pdf_footer(pdf, page: DutyPage, lang: str, number: int, total: int) -> None:
    pdf.set_font("noto", size=FOOTER_SIZE)
    pdf.set_text_color(64, 64, 64)
    y = PAGE_HEIGHT - MARGIN + 1.5
    width = PAGE_WIDTH - 2 * MARGIN
    pdf.set_xy(MARGIN, y)
    pdf.cell(width, FOOTER_SIZE * PT * LINE_SPACING, page.footer_left, align="L")
    pdf.set_xy(MARGIN, y)
    pdf.cell(width, FOOTER_SIZE * PT * LINE_SPACING, t(lang, "print.page", page=number, pages=total), align="C")
    pdf.set_xy(MARGIN, y)
    pdf.cell(width, FOOTER_SIZE * PT * LINE_SPACING, page.footer_right, align="R")
