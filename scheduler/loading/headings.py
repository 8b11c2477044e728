"""The headings of the files the tool writes and reads back, in both languages.

`roster.xlsx` carries its sheets' names and its columns' headers in the roster's language (值勤表,
安排明细, 班次 … / Duty roster, Assignments, Shift …), and `roster check` reads a hand-edited
workbook back by them, whichever language wrote it. So these few words are a part of the file
format: they live here, with the readers (`rosterfile`, `dutygrid`), and the words catalogue
(`scheduler.render.zh` / `en`) takes them from here for the writers.
"""

from __future__ import annotations

import datetime as dt

LANGUAGES = ("zh", "en")

WEEKDAY_NAMES = {
    "zh": ("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}

HEADINGS: dict[str, dict[str, str]] = {
    "zh": {
        "duty.post": "岗位",
        "duty.date_header": "{month_day} {weekday}",
        "sheet.duty": "值勤表",
        "sheet.assignments": "安排明细",
        "col.shift": "班次",
        "col.shift_id": "岗位编号",
        "col.date": "日期",
        "col.weekday": "星期",
        "col.start": "开始",
        "col.end": "结束",
        "col.name": "岗位/活动",
        "col.kind": "类别",
        "col.post": "地点",
        "col.volunteer": "志愿者编号",
        "col.volunteer_name": "志愿者",
        "col.attendance": "出勤（served 到岗 / absent 缺勤）",
    },
    "en": {
        "duty.post": "Post",
        "duty.date_header": "{weekday} {month_day}",
        "sheet.duty": "Duty roster",
        "sheet.assignments": "Assignments",
        "col.shift": "Shift",
        "col.shift_id": "Shift id",
        "col.date": "Date",
        "col.weekday": "Day",
        "col.start": "Start",
        "col.end": "End",
        "col.name": "Post / activity",
        "col.kind": "Kind",
        "col.post": "Place",
        "col.volunteer": "Volunteer id",
        "col.volunteer_name": "Volunteer",
        "col.attendance": "Attendance (served / absent)",
    },
}


def heading(lang: str, key: str) -> str:
    """A heading in `lang`: `heading("zh", "sheet.duty")` is 值勤表."""
    return HEADINGS[lang][key]


def every_language(key: str) -> tuple[str, ...]:
    """A heading as each language writes it (值勤表, Duty roster): what a file read back may carry."""
    return tuple(heading(lang, key) for lang in LANGUAGES)


def date_header(lang: str, day: dt.date) -> str:
    """A duty-table column header: `11-30 周一` / `Mon 11-30`."""
    return heading(lang, "duty.date_header").format(month_day=day.strftime("%m-%d"),
                                                    weekday=WEEKDAY_NAMES[lang][day.weekday()])
