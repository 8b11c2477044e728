"""Registers as committees keep them: rows that are no volunteers, and one sheet per month.

A register typed by a residents' committee carries more than volunteers: a total at the bottom
(`合计：40人`), a note (`备注：周末请提前联系`, `填表人：…`), an example row left from the template
(`示例,张三,…`), and often one sheet per month (`11月`, `12月`). These rows are recognised and
skipped with one line saying so, never read as volunteers with "name is empty" errors; the sheet
of the planned month is read, and the tool says which one it read.
"""

from __future__ import annotations

import re
import unicodedata

from scheduler.domain.errors import Finding, Phrase

# The first filled cell of a row that is no volunteer. Totals and notes hold a few cells at most;
# an example row is a whole row whose first cell says it is one.
_TOTAL = re.compile(r"(?:合\s*计|总\s*计|共\s*计|小\s*计|总人数|total)(?:[\s:：]|$)", re.IGNORECASE)
_NOTE = re.compile(r"(?:备\s*注|注|说\s*明|填表说明|填表人|制表人?|制表日期|审核人?|联系人|note|notes)(?:[\s:：]|$)",
                   re.IGNORECASE)
_EXAMPLE = re.compile(r"(?:示\s*例|样\s*例|例|范例|举例|example|e\.g\.)(?:[\s:：）)]|$)", re.IGNORECASE)
FEW_CELLS = 3


_STARTS = frozenset("合总共小备注说填制审联示样例范举tneTNEＴＮＥ")  # a quick look first: most rows are volunteers


def row_kind(row: list[str]) -> str | None:
    """`total`, `note` or `example` for a row that is not a volunteer, else None."""
    start = next((cell.lstrip() for cell in row if cell.strip()), "")
    if not start or start[0] not in _STARTS:
        return None
    cells = [unicodedata.normalize("NFKC", cell).strip() for cell in row if cell.strip()]
    first = cells[0]
    if _EXAMPLE.match(first):
        return "example"
    if len(cells) <= FEW_CELLS and _TOTAL.match(first):
        return "total"
    if len(cells) <= FEW_CELLS and _NOTE.match(first):
        return "note"
    return None


def first_word(row: list[str]) -> str:
    """What a skipped row is called in the message: its first word only (`合计`, `备注`, `示例`), as
    the rest of a note may hold a phone number or a name."""
    cell = next(cell for cell in row if cell.strip())
    return re.split(r"[\s:：,，()（）]", unicodedata.normalize("NFKC", cell).strip(), maxsplit=1)[0][:10]


_ENGLISH_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
                   "october", "november", "december")


def month_sheet(names: list[str], year: int, months: tuple[int, ...]) -> str | None:
    """The sheet named after the first of `months` (of `year`) that has one: `12月`, `2026年12月`,
    `12月份`, `12月花名册`, `2026-12`, `Dec`, `December 2026`. A sheet naming another year is not it."""
    for month in months:
        for name in names:
            text = unicodedata.normalize("NFKC", name).strip().casefold()
            years = [int(y) for y in re.findall(r"(?<![0-9])(20[0-9]{2})(?![0-9])", text)]
            if years and year not in years:
                continue
            text = re.sub(r"(?<![0-9])20[0-9]{2}\s*(?:年|[-./])?", " ", text)
            english = _ENGLISH_MONTHS[month - 1]
            if (re.search(rf"(?<![0-9])0?{month}\s*月", text) or re.fullmatch(rf"\s*0?{month}\s*", text)
                    or re.search(rf"(?<![a-z]){english[:3]}(?:{english[3:]})?(?![a-z])", text)):
                return name
    return None


def notes(table, ignored: list[str]) -> list[Finding]:
    """The warnings about how a register was read: the sheet (when the workbook has several), the
    rows skipped as no volunteers, and the columns not read (their headers only, never their contents)."""
    found = []
    if table.sheet_read is not None:
        title, why, others = table.sheet_read
        found.append(Finding(file=table.file, code="input.note.sheet_read",
                             params={"sheet": title, "why": Phrase(f"register.sheet_{why}"), "others": list(others)}))
    if table.skipped:
        rows = [Phrase("register.skipped_row", {"row": row, "kind": Phrase(f"register.{kind}"), "word": word})
                for row, kind, word in table.skipped]
        found.append(Finding(file=table.file, code="input.note.skipped", params={"n": len(table.skipped), "rows": rows}))
    if ignored:
        found.append(Finding(file=table.file, row=table.header_row or None, code="input.note.ignored",
                             params={"n": len(ignored), "columns": list(ignored)}))
    return found
