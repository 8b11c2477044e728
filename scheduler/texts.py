"""Every human-facing word of the outputs, in Chinese (`zh`) and English (`en`).

One dict per language, keyed by dotted names so that `grep 'unmet.female'` finds both the text
and its uses. `t(lang, key, **kw)` fills in the blanks. An English entry may be a pair
`(singular, plural)`: `t` picks by the keyword `n`. Chinese needs no plurals.

Machine-read headers (`assignments.csv`, `roster.json`) stay the spec's English field names and
are not here: they must read back whatever the language.
"""

from __future__ import annotations

import datetime as dt

LANGUAGES = ("zh", "en")

WEEKDAY_NAMES = {
    "zh": ("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}

ZH: dict[str, str | tuple[str, str]] = {
    # duty table (值勤表)
    "duty.title": "{week} 值勤表 ({start} – {end})",
    "duty.post": "岗位",
    "duty.time": "时间",
    "duty.date_header": "{month_day} {weekday}",
    "duty.missing": "（缺{n}人）",
    "join.names": "、",
    "join.items": "、",
    # workbook sheets
    "sheet.duty": "值勤表",
    "sheet.assignments": "安排明细",
    "sheet.unfilled": "缺岗",
    "sheet.load": "工作量",
    # assignments sheet, one header per spec field
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
    # unfilled sheet
    "col.time": "时间",
    "col.need": "需要人数",
    "col.assigned": "已安排",
    "col.missing": "缺人数",
    "col.unmet": "缺少的构成",
    "col.reasons": "原因",
    # load sheet
    "col.shifts": "班次数",
    "col.hours": "小时",
    "col.offered": "可排班次",
    # status
    "status.complete": "完整",
    "status.partial": "部分",
    # unmet composition
    "unmet.female": "缺女性{n}人",
    "unmet.male": "缺男性{n}人",
    "unmet.tag": "缺{tag}{n}人",
    "tag.first_aid": "急救技能",
    "tag.english": "英语",
    "tag.reading": "绘本阅读",
    "tag.party_member": "党员",
    "tag.building_leader": "楼组长",
    # summary
    "summary.week": "计划周：{week}（{start} 至 {end}）",
    "summary.status": "状态：{status}",
    "summary.status_missing": "状态：{status}（共缺 {n} 人次）",
    "summary.coverage": "覆盖：已排 {filled} / 需要 {needed} 人次（{percent}）",
    "summary.unfilled_none": "未排满的班次：无",
    "summary.unfilled": "未排满的班次（{n} 个）：",
    "summary.unfilled_line": "{name}  {day}  {time}  {what}",
    "summary.missing": "缺{n}人",
    "summary.unmet": "（{unmet}）",
    "summary.reason": "原因：{reason}",
    "summary.load": "工作量（在册 {n} 人）：{counts}",
    "summary.load_count": "{n} 班 {people} 人",
    "summary.load_none": "工作量：无在册志愿者",
    "summary.offered": "已排/可排：最低 {low}，最高 {high}（有可排班次的 {n} 人）",
    "summary.offered_nobody": "已排/可排：本周无人有可排班次",
    "summary.solver": "求解器：{status}，目标值 {objective}，最优界 {bound}，差距 {gap}，用时 {seconds} 秒，随机种子 {seed}，线程数 {workers}",
    "summary.solver_none": "求解器：无记录",
    "summary.interrupted": "（已中断）",
    "solver.OPTIMAL": "最优",
    "solver.FEASIBLE": "可行",
    "solver.INFEASIBLE": "无解",
    "solver.UNKNOWN": "未知",
    "solver.MODEL_INVALID": "模型无效",
    # reasons for an unfilled seat
    "reason.funnel_step": "{label} {n}",
    "reason.too_few": "能安排的人太少：{funnel}",
    "reason.competition": "能安排的 {n} 人都已被占用：{causes}",
    "reason.cause": "{rule} {n} 人（{people}）",
    "reason.free_but_left": "{n} 人未受硬性规则限制，但安排他们会减少其他班次的覆盖",
    "reason.subject.female": "女性",
    "reason.subject.male": "男性",
    "reason.subject.tag": "具备{tag}的人",
    "reason.for_subject": "{subject}：{text}",
    "funnel.everyone": "全部",
    "funnel.inactive": "在册",
    "funnel.team": "属于队伍",
    "funnel.too_young": "年龄不低于下限",
    "funnel.too_old": "年龄不超过上限",
    "funnel.age_unknown": "年龄已知",
    "funnel.health": "健康符合",
    "funnel.blocked": "当日未请假",
    "funnel.not_free": "该时段有空",
    "rule.no_overlap": "同一时间已有班次",
    "rule.max_shifts_per_day": "当天已达上限",
    "rule.max_shifts_per_week": "本周已达上限",
    "rule.min_rest_hours": "休息时间不足",
    "rule.max_consecutive_days": "连续工作天数已达上限",
    # roster diff: who gained and who lost which shift
    "changes.none": "两份排班的人员安排相同，没有变动。",
    "changes.who": "{name}（{id}）",
    "changes.person": "{who}：{groups}",
    "changes.shift": "{name} {day} {time}",
    "changes.gained_item": "+{shift}",
    "changes.lost_item": "−{shift}",
    "changes.gained": "{items}",
    "changes.lost": "{items}",
    "changes.items_sep": "；",
    "changes.groups_sep": "；",
    "changes.total": "共 {people}，{changes}",
    "changes.people": "{n} 人受影响",
    "changes.count": "{n} 处变动",
    "changes.weeks_differ": "注意：两份排班不是同一周（{old} 与 {new}）。",
    "file.written": "写入：{paths}",
    # roster hours: the service-hours ledger (志愿时长)
    "hours.title": "志愿服务时长：{start} 至 {end}（{weeks}）",
    "hours.weeks": "{n} 周排班",
    "hours.none_found": "{folder} 中没有找到排班（rosters/<周>/roster.json）。",
    "hours.none_in_span": "{start} 至 {end} 之间没有排班。",
    "hours.total": "合计：{people}，{shifts}，{hours} 小时",
    "hours.people": "{n} 人",
    "hours.shifts": "{n} 个班次",
    "hours.absent": "缺勤、不计时长：{n} 个班次",
    "hours.unmarked_counted": "未填出勤、按到岗计：{n} 个班次",
    "hours.unmarked_skipped": "未填出勤、不计时长（--served-only）：{n} 个班次",
    "hours.rounding.nearest": "每个班次的时长按 {step} 小时四舍五入。",
    "hours.rounding.down": "每个班次的时长按 {step} 小时向下取整。",
    "hours.rounding.up": "每个班次的时长按 {step} 小时向上取整。",
    "hours.hint": "用 --out 文件.csv 写出明细（每个到岗班次一行，可导入志愿服务记录平台），用 --totals 文件.csv 写出每人合计。",
}

EN: dict[str, str | tuple[str, str]] = {
    "duty.title": "{week} Duty roster ({start} – {end})",
    "duty.post": "Post",
    "duty.time": "Time",
    "duty.date_header": "{weekday} {month_day}",
    "duty.missing": "({n} missing)",
    "join.names": ", ",
    "join.items": ", ",
    "sheet.duty": "Duty roster",
    "sheet.assignments": "Assignments",
    "sheet.unfilled": "Unfilled",
    "sheet.load": "Load",
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
    "col.time": "Time",
    "col.need": "Need",
    "col.assigned": "Assigned",
    "col.missing": "Missing",
    "col.unmet": "Missing composition",
    "col.reasons": "Reasons",
    "col.shifts": "Shifts",
    "col.hours": "Hours",
    "col.offered": "Shifts offered",
    "status.complete": "complete",
    "status.partial": "partial",
    "unmet.female": ("{n} woman missing", "{n} women missing"),
    "unmet.male": ("{n} man missing", "{n} men missing"),
    "unmet.tag": "{n} {tag} missing",
    "summary.week": "Week {week} ({start} – {end})",
    "summary.status": "Status: {status}",
    "summary.status_missing": ("Status: {status} ({n} seat missing)", "Status: {status} ({n} seats missing)"),
    "summary.coverage": "Coverage: {filled} of {needed} seats filled ({percent})",
    "summary.unfilled_none": "Unfilled shifts: none",
    "summary.unfilled": "Unfilled shifts ({n}):",
    "summary.unfilled_line": "{name}, {day}, {time}: {what}",
    "summary.missing": "missing {n}",
    "summary.unmet": " ({unmet})",
    "summary.reason": "reason: {reason}",
    "summary.load": "Load ({n} active volunteers): {counts}",
    "summary.load_count": ("{people} with {n} shift", "{people} with {n} shifts"),
    "summary.load_none": "Load: no active volunteers",
    "summary.offered": "Shifts given / shifts offered: lowest {low}, highest {high} ({n} people offered at least one)",
    "summary.offered_nobody": "Shifts given / shifts offered: nobody could take a shift this week",
    "summary.solver": "Solver: {status}, objective {objective}, best bound {bound}, gap {gap}, time {seconds} s, seed {seed}, workers {workers}",
    "summary.solver_none": "Solver: not recorded",
    "summary.interrupted": " (interrupted)",
    "reason.funnel_step": "{label}: {n}",
    "reason.too_few": "too few people can ever take it: {funnel}",
    "reason.competition": "all {n} who could take it are held by other rules: {causes}",
    "reason.cause": "{rule}: {n} ({people})",
    "reason.free_but_left": "{n} are free of every hard rule, but taking them would leave other shifts shorter",
    "reason.subject.female": "women",
    "reason.subject.male": "men",
    "reason.subject.tag": "people with {tag}",
    "reason.for_subject": "{subject}: {text}",
    "funnel.everyone": "everyone",
    "funnel.inactive": "active",
    "funnel.team": "in the team",
    "funnel.too_young": "old enough",
    "funnel.too_old": "young enough",
    "funnel.age_unknown": "of known age",
    "funnel.health": "fit enough",
    "funnel.blocked": "not blocked that day",
    "funnel.not_free": "free then",
    "rule.no_overlap": "on another shift at that time",
    "rule.max_shifts_per_day": "at the daily limit",
    "rule.max_shifts_per_week": "at the weekly limit",
    "rule.min_rest_hours": "too little rest",
    "rule.max_consecutive_days": "at the limit of days in a row",
    "changes.none": "No changes: both rosters put the same people on the same shifts.",
    "changes.who": "{name} ({id})",
    "changes.person": "{who} {groups}",
    "changes.shift": "{name} {day} {time}",
    "changes.gained_item": "{shift}",
    "changes.lost_item": "{shift}",
    "changes.gained": "gained {items}",
    "changes.lost": "lost {items}",
    "changes.items_sep": ", ",
    "changes.groups_sep": "; ",
    "changes.total": "{people}, {changes}",
    "changes.people": ("{n} person affected", "{n} people affected"),
    "changes.count": ("{n} change", "{n} changes"),
    "changes.weeks_differ": "Note: the rosters are for different weeks ({old} and {new}).",
    "file.written": "Written: {paths}",
    "hours.title": "Service hours {start} – {end} ({weeks})",
    "hours.weeks": ("roster of {n} week", "rosters of {n} weeks"),
    "hours.none_found": "No rosters found in {folder} (rosters/<week>/roster.json).",
    "hours.none_in_span": "No rostered shifts between {start} and {end}.",
    "hours.total": "Total: {people}, {shifts}, {hours} h",
    "hours.people": ("{n} volunteer", "{n} volunteers"),
    "hours.shifts": ("{n} shift", "{n} shifts"),
    "hours.absent": ("Absent, not counted: {n} shift", "Absent, not counted: {n} shifts"),
    "hours.unmarked_counted": ("No attendance marked, counted as served: {n} shift",
                               "No attendance marked, counted as served: {n} shifts"),
    "hours.unmarked_skipped": ("No attendance marked, not counted (--served-only): {n} shift",
                               "No attendance marked, not counted (--served-only): {n} shifts"),
    "hours.rounding.nearest": "Each shift's hours are rounded to the nearest {step} h.",
    "hours.rounding.down": "Each shift's hours are rounded down to a multiple of {step} h.",
    "hours.rounding.up": "Each shift's hours are rounded up to a multiple of {step} h.",
    "hours.hint": "Use --out FILE.csv to write the detail (one row per shift served, for a volunteer-service "
                  "record platform) and --totals FILE.csv for the totals per volunteer.",
}

TEXTS = {"zh": ZH, "en": EN}


def check_lang(lang: str) -> str:
    """The language itself when it is one we have, else a ValueError saying which ones exist."""
    if lang not in TEXTS:
        raise ValueError(f"unknown language {lang!r}: use one of {', '.join(LANGUAGES)}")
    return lang


def t(lang: str, key: str, **kw: object) -> str:
    """The text for `key` in `lang`, blanks filled from `kw`; a (singular, plural) pair picks by `n`."""
    text = TEXTS[check_lang(lang)][key]
    if isinstance(text, tuple):
        text = text[0] if kw.get("n") == 1 else text[1]
    return text.format(**kw)


def has(lang: str, key: str) -> bool:
    """Whether `lang` has a text for `key` (optional entries such as tag or solver-status names)."""
    return key in TEXTS[check_lang(lang)]


def weekday(lang: str, day: dt.date) -> str:
    """`周一` / `Mon` for a date."""
    return WEEKDAY_NAMES[check_lang(lang)][day.weekday()]


def date_header(lang: str, day: dt.date) -> str:
    """A duty-table column header: `11-30 周一` / `Mon 11-30`."""
    return t(lang, "duty.date_header", month_day=day.strftime("%m-%d"), weekday=weekday(lang, day))


def day_label(lang: str, day: dt.date) -> str:
    """A full date with its weekday: `2026-11-30 周一` / `Mon 2026-11-30`."""
    return t(lang, "duty.date_header", month_day=day.isoformat(), weekday=weekday(lang, day))


def day_label_text(lang: str, iso: str) -> str:
    """`day_label` for an ISO date string; anything unparsable is shown as it is."""
    try:
        return day_label(lang, dt.date.fromisoformat(iso))
    except ValueError:
        return iso


def tag_label(lang: str, tag: str) -> str:
    """A skill or role tag in words when we know it (`first_aid` -> `急救技能`), else the tag itself."""
    key = f"tag.{tag}"
    return t(lang, key) if has(lang, key) else tag


def unmet_text(lang: str, unmet: dict[str, int]) -> str:
    """What an unfilled shift still lacks: `缺女性1人、缺急救技能1人` / `1 woman missing, 1 first_aid missing`."""
    parts = []
    for what, n in unmet.items():
        if what in ("female", "male"):
            parts.append(t(lang, f"unmet.{what}", n=n))
        else:
            parts.append(t(lang, "unmet.tag", n=n, tag=tag_label(lang, what)))
    return t(lang, "join.items").join(parts)


def status_word(lang: str, status: str) -> str:
    """`完整`/`部分` or `complete`/`partial` for a roster status."""
    return t(lang, f"status.{status}") if has(lang, f"status.{status}") else status


def solver_status(lang: str, status: str) -> str:
    """CP-SAT's status in words where we have them: `最优（OPTIMAL）`; English keeps the status as is."""
    key = f"solver.{status}"
    return f"{t(lang, key)}（{status}）" if has(lang, key) else status
