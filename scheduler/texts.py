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
    "summary.participation": "每人至少一班：本周 {n} 人未排，其中 {none} 人无可排岗位",
    "summary.solver": "求解器：{status}，目标值 {objective}，最优界 {bound}，差距 {gap}，用时 {seconds} 秒，随机种子 {seed}，线程数 {workers}",
    "summary.solver_none": "求解器：无记录",
    "summary.interrupted": "（已中断）",
    "solver.OPTIMAL": "最优",
    "solver.FEASIBLE": "可行",
    "solver.INFEASIBLE": "无解",
    "solver.UNKNOWN": "未知",
    "solver.MODEL_INVALID": "模型无效",
    # supply against demand, before solving (roster validate, roster solve)
    "supply.headline": "排班前核算：本周 {shifts}共需 {seats}；{people}至少能担任其中一个班次，最多可提供 {offered}。",
    "supply.n.seats": "{n} 人次",
    "supply.n.shifts": "{n} 个班次",
    "supply.n.people": "{n} 人",
    "supply.n.offered": "{n} 人次",
    "supply.n.needed": "{n} 人次",
    "supply.all_possible": "按人数核算，没有注定排不满的班次。",
    "supply.cannot.title": "无论怎样排班都无法满足：",
    "supply.cannot.seats": "{label}：需要 {seats}，最多只能提供 {offered}（可安排 {people}）：至少 {n} 个空缺",
    "supply.cannot.requirement": "{label}：需要 {seats}，最多只能提供 {offered}（符合条件 {people}）：至少 {n} 项要求无法满足",
    "supply.cannot.total": "合计：{seats} 人次中至少 {n} 个会空缺。",
    "supply.label.week": "{week} 全周",
    "supply.label.time": "{day} {period}",
    "supply.label.team": "队伍 {team} 的班次",
    "supply.label.shift": "{name} {day} {time}",
    "supply.period.morning": "上午",
    "supply.period.afternoon": "下午",
    "supply.period.evening": "晚上",
    "supply.requirement.female": "女性（min_female）",
    "supply.requirement.male": "男性（min_male）",
    "supply.requirement.tag": "具备{tag}的人（require）",
    "supply.title.time": "按时段（上午 12:00 前开始，下午 12:00–18:00，晚上 18:00 起）的需求与供给：",
    "supply.title.team": "按队伍（只计该队伍的班次）：",
    "supply.title.tag": "按构成要求（女性、男性、技能或身份）：",
    "supply.col.group": "分组",
    "supply.col.shifts": "班次",
    "supply.col.seats": "人次",
    "supply.col.needed": "要求",
    "supply.col.people": "可安排",
    "supply.col.offered": "最多提供",
    "supply.flag_short": " <- 不足",
    "supply.note": "最多提供：每人按其在该组可担任的班次计，且不超过每周上限、每天上限、连续天数与休息时间所允许的数目；低于需求的部分无论怎样排班都会空缺。",
    # roster explain: why a person has these shifts, why a shift has these people
    "goal.coverage": "覆盖",
    "goal.shortage_spread": "缺额分散",
    "goal.participation": "人人有班",
    "goal.fairness": "公平",
    "goal.preference": "意向",
    "goal.rotation": "轮换",
    "goal.partner": "结伴",
    "goal.stability": "稳定",
    "explain.person": "{name}（{id}）",
    "explain.shift": "{name} {day} {time}",
    "explain.goal_points": "{goal} {points}",
    "explain.group": "{label}：{n}（如 {examples}）",
    "explain.more": "……另有 {n} 个",
    "explain.fact.count": "本周第 {k} 班，往期 {earlier} 班，可排 {offered} 班",
    "explain.fact.would_be": "将是本周第 {k} 班，往期 {earlier} 班，可排 {offered} 班",
    "explain.fact.rotation": "往期已有 {n} 周在同一岗位同一时间",
    "explain.wish.avoids": "不愿意此类班次",
    "explain.wish.prefers": "意向此类班次",
    "explain.wish.not_preferred": "不在其意向之内",
    "explain.partner.with": "与结伴者同班",
    "explain.partner.apart": "结伴者也可担任但未同班",
    "explain.reason.inactive": "不在册",
    "explain.reason.team": "不属于该班次的队伍",
    "explain.reason.too_young": "低于最低年龄",
    "explain.reason.too_old": "超过最高年龄",
    "explain.reason.age_unknown": "年龄未知而班次有年龄限制",
    "explain.reason.health": "健康状况低于要求",
    "explain.reason.blocked": "当日不可服务（不可服务日期）",
    "explain.reason.not_free": "该时段没空（可服务时间）",
    "explain.reason_person.inactive": "不在册",
    "explain.reason_person.team": "不属于队伍",
    "explain.reason_person.too_young": "年龄低于下限",
    "explain.reason_person.too_old": "年龄超过上限",
    "explain.reason_person.age_unknown": "年龄未知",
    "explain.reason_person.health": "健康状况不符",
    "explain.reason_person.blocked": "当日请假",
    "explain.reason_person.not_free": "该时段没空",
    "explain.v.title": "{who}，{week}：{n} 个班次（每周上限 {limit}，可排 {offered}）",
    "explain.v.inactive": "名册中“在册”为否：不在册的人不会被安排。",
    "explain.v.held": "{shift}：{points}",
    "explain.v.idle_limit": "本周未排班：每周最多班次为 0（名册“每周最多班次”）。",
    "explain.v.idle_nothing": "本周未排班：没有可担任的班次（原因见下）。",
    "explain.v.idle": "本周未排班（{points}）。",
    "explain.v.idle_streak": "本周未排班，此前已连续 {n} 周未排（{points}）。",
    "explain.v.idle_bound": "为什么没有更好的排法：按各班次最多人数计算，报名者中最多 {bound} 人能同时各排到一班，本表已排 {placed} 人——再给此人一班，就会有另一位报名者一班都没有；上周未排到的人优先。",
    "explain.v.idle_optimal": "为什么没有更好的排法：求解已证明最优，在覆盖不变的前提下，没有哪份排班能让未排到的人更少（按此前连续未排的周数加权）；报名者中最多 {bound} 人能同时各排到一班（只按席位计算，未计其他规则），本表已排 {placed} 人。",
    "explain.v.idle_unproven": "搜索未证明最优：报名者中最多 {bound} 人能同时各排到一班，本表已排 {placed} 人；延长 --time-limit 可能排到此人。",
    "explain.v.eligible": "本周 {total} 个班次中可担任 {n} 个。",
    "explain.v.excluded": "不能担任的 {n} 个：",
    "explain.v.not_held": "可担任但未安排的 {n} 个：",
    "explain.v.weekly_limit": "（已有 {n} 个班次，每周上限 {limit}）",
    "explain.v.taken": "已由他人担任：{n} 个",
    "explain.v.taken_by": "{shift}：{who}",
    "explain.v.swap": "；换下{other}将使目标值变化 {total}（{points}）",
    "explain.v.swap_tie": "；换下{other}目标值不变（同样好）",
    "explain.v.swap_lost": "；换下{other}会造成{unmet}",
    "explain.v.open": "仍有空缺且没有硬性规则限制：{n} 个（如 {examples}）——搜索在找到这一安排前已停止，延长 --time-limit 应可排上",
    "explain.v.traded": "目标值的权衡：",
    "explain.v.fairness_history": "公平：往期（{labels}）共服务 {n} 次",
    "explain.v.fairness_no_history": "公平：未计入往期排班",
    "explain.v.peers": "也能担任这些班次的其他 {n} 人中，往期服务比其少的 {fewer} 人，比其多的 {more} 人",
    "explain.v.peers_examples": "（较少的如 {examples}）",
    "explain.v.offer": "本周可排 {n} 个班次（每周上限 {limit}）；每多一班成本更高，第 k 班为 100 ×（往期 + k）÷ 可排班次 分（再乘权重）",
    "explain.v.preferences": "意向：意向 {prefers}，不愿意 {avoids}；{n} 个班次中 {honoured} 个符合",
    "explain.v.rotation": "轮换：往期已在同一岗位同一时间：{shifts}",
    "explain.v.partner": "结伴：与{who}同班 {together} 次，对方也可担任却未同班 {apart} 次",
    "explain.v.points": "roster.json 中此人的分值（volunteers[].objective）：{points}，合计 {total}，全表目标值 {roster}。",
    "explain.v.points_differ": "按当前输入重算：{points}（排班之后输入或往期排班有变动）",
    "explain.s.title": "{shift}（{id}）：需要 {need} 人，最多 {max} 人；已排 {n} 人。",
    "explain.s.short": "缺口：{what}",
    "explain.s.funnel": "谁能担任：{funnel}",
    "explain.s.excluded": "不能担任：{n} 人",
    "explain.s.chosen": "已安排的人及其在目标值中的成本（加权分）：",
    "explain.s.nobody": "没有人被安排在这个班次。",
    "explain.s.charge": "{who}：{total}（{points}）——{facts}",
    "explain.s.candidates": "其他可担任且不受硬性规则限制的候选人（{n} 人），以及改由他们担任会增加的分值：",
    "explain.s.candidates_full": "其他可担任且不受硬性规则限制的候选人（{n} 人）；该班次已满（{max} 人），只能替换已安排的人。各人会增加的分值及替换后的变化：",
    "explain.s.swap": "；换下{other}：{total}",
    "explain.s.swap_tie": "；换下{other}：不变（同样好）",
    "explain.s.swap_lost": "；换下{other}会造成{unmet}",
    "explain.s.held": "可担任但受硬性规则限制：{n} 人",
    "explain.o.title": "{week}：目标值 {total}（求解器记录 {solver}），各目标的加权分：",
    "explain.o.person": "{name}（{id}）{points}",
    "explain.o.goal": "{goal} {points}，涉及 {n} 人：{people}",
    "explain.o.coverage": "覆盖：{shifts} 个班次共缺 {n} 人次（见未排满的班次）",
    "explain.o.hint": "查看某人分值来自哪些班次：roster explain 问题文件夹 --week 周 --volunteer 编号",
    # roster cover: replacements for a drop-out
    "cover.title": "{shift}（{id}）：{who} 不能到岗。",
    "cover.removed": "去掉{who}后，软目标分值变化 {total}（{points}）；以下各人的代价在此基础上计算。",
    "cover.found": "在其余排班不变的前提下，{n} 人可以顶替且不违反任何硬性规则，按代价从低到高：",
    "cover.none": "没有人能在其余排班不变的前提下顶替而不违反硬性规则。",
    "cover.line": "{rank}. {who}：{total}（{points}）",
    "cover.facts": "本周已有 {load} 班（可排 {offered}），往期 {earlier} 班",
    "cover.rest_before": "之前休息 {hours} 小时（{shift} 之后）",
    "cover.rest_after": "之后休息 {hours} 小时（{shift} 之前）",
    "cover.rest_none": "本周前后无其他班次",
    "cover.leaves": "会造成{unmet}",
    "cover.held": "可担任但受硬性规则限制：{n} 人",
    "cover.base_violations": "注意：去掉 {who} 后的排班本身已有 {n} 处违反规则，候选人只按其是否带来新的违规筛选：",
    "cover.apply_hint": "用 --apply 序号 采用其中一人（会重写排班，原排班保存在 previous/ 中）。",
    "cover.applied": "已采用：{who} 顶替 {out} 担任 {shift}。",
    "cover.change_out": "−{who}：{shift}",
    "cover.change_in": "+{who}：{shift}",
    "cover.objective": "目标值：{before} → {after}（{change}）",
    "cover.written": "写入：{paths}",
    "solver.EDITED": "人工调整",
    # reasons for an unfilled seat
    "reason.funnel_step": "{label} {n}",
    "reason.too_few": "能安排的人太少：{funnel}",
    "reason.competition": "能安排的 {n} 人都已被占用：{causes}",
    "reason.cause": "{rule} {n} 人（{people}）",
    "reason.free_but_left": "{n} 人（{people}）未受硬性规则限制、可以担任：搜索在找到这一安排前已停止，延长 --time-limit 应可排上",
    "reason.competition_some": "能安排的 {total} 人中有 {n} 人已被占用：{causes}",
    "reason.frozen": "{n} 人（{people}）未受硬性规则限制，但该日已冻结（--freeze-until），保持原排班",
    "reason.full": "另有 {n} 人（{people}）未受硬性规则限制，但该班次已达最多 {max} 人",
    "reason.holding_sep": "，",
    "reason.holding": "他们已排的班次如 {shifts}",
    "reason.holding_item": "{shift}（{n} 人）",
    "reason.shift": "{name} {day} {time}",
    "join.rules": "且",
    "join.causes": "；",
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
    "summary.participation": ("At least one shift each: {n} person left out this week, {none} of them with no shift "
                              "they could take", "At least one shift each: {n} people left out this week, {none} of "
                              "them with no shift they could take"),
    "summary.solver": "Solver: {status}, objective {objective}, best bound {bound}, gap {gap}, time {seconds} s, seed {seed}, workers {workers}",
    "summary.solver_none": "Solver: not recorded",
    "summary.interrupted": " (interrupted)",
    "supply.headline": "Before solving: {seats} on {shifts} this week; {people} could take at least one of them, "
                       "offering at most {offered}.",
    "supply.n.seats": ("{n} seat", "{n} seats"),
    "supply.n.shifts": ("{n} shift", "{n} shifts"),
    "supply.n.people": ("{n} person", "{n} people"),
    "supply.n.offered": ("{n} person-shift", "{n} person-shifts"),
    "supply.n.needed": "{n} needed",
    "supply.all_possible": "On these counts, no seat is certain to stay empty.",
    "supply.cannot.title": "Cannot be met, whatever the roster:",
    "supply.cannot.seats": "{label}: {seats}, at most {offered} offered ({people} eligible): at least {n} will stay empty",
    "supply.cannot.requirement": ("{label}: {seats}, at most {offered} offered ({people} eligible): "
                                  "at least {n} will stay unmet"),
    "supply.cannot.total": "In all, at least {n} of the {seats} seats will stay empty.",
    "supply.label.week": "the whole week {week}",
    "supply.label.time": "{day} {period}",
    "supply.label.team": "team {team}'s shifts",
    "supply.label.shift": "{name} {day} {time}",
    "supply.period.morning": "morning",
    "supply.period.afternoon": "afternoon",
    "supply.period.evening": "evening",
    "supply.requirement.female": "women (min_female)",
    "supply.requirement.male": "men (min_male)",
    "supply.requirement.tag": "people with {tag} (require)",
    "supply.title.time": "Seats and what volunteers offer, per time of day (morning: starts before 12:00, "
                         "afternoon 12:00-18:00, evening from 18:00):",
    "supply.title.team": "Per team, counting only the team's shifts:",
    "supply.title.tag": "Per requirement (women, men, skills and roles):",
    "supply.col.group": "group",
    "supply.col.shifts": "shifts",
    "supply.col.seats": "seats",
    "supply.col.needed": "needed",
    "supply.col.people": "people",
    "supply.col.offered": "offered",
    "supply.flag_short": "  <- short",
    "supply.note": "offered: each person counts at most the shifts of the group they could take, within their weekly "
                   "limit, the daily limit, days in a row and rest; seats above it stay empty whatever the roster.",
    "goal.coverage": "coverage",
    "goal.shortage_spread": "shortage spread",
    "goal.participation": "participation",
    "goal.fairness": "fairness",
    "goal.preference": "preference",
    "goal.rotation": "rotation",
    "goal.partner": "partner",
    "goal.stability": "stability",
    "explain.person": "{name} ({id})",
    "explain.shift": "{name} {day} {time}",
    "explain.goal_points": "{goal} {points}",
    "explain.group": "{label}: {n} (e.g. {examples})",
    "explain.more": "… and {n} more",
    "explain.fact.count": "shift {k} of their week, {earlier} earlier, offered {offered}",
    "explain.fact.would_be": "would be shift {k} of their week, {earlier} earlier, offered {offered}",
    "explain.fact.rotation": ("held this post and time in {n} earlier week", "held this post and time in {n} earlier weeks"),
    "explain.wish.avoids": "avoids it",
    "explain.wish.prefers": "prefers it",
    "explain.wish.not_preferred": "not among their preferences",
    "explain.partner.with": "with their partner",
    "explain.partner.apart": "without their partner, who could take it too",
    "explain.reason.inactive": "not active in the register",
    "explain.reason.team": "not in the shift's team",
    "explain.reason.too_young": "below the minimum age",
    "explain.reason.too_old": "above the maximum age",
    "explain.reason.age_unknown": "age unknown and the shift has an age limit",
    "explain.reason.health": "health below the shift's minimum",
    "explain.reason.blocked": "unavailable that day (unavailable)",
    "explain.reason.not_free": "not free then (availability)",
    "explain.reason_person.inactive": "inactive",
    "explain.reason_person.team": "not in the team",
    "explain.reason_person.too_young": "too young",
    "explain.reason_person.too_old": "too old",
    "explain.reason_person.age_unknown": "age unknown",
    "explain.reason_person.health": "health below the minimum",
    "explain.reason_person.blocked": "unavailable that day",
    "explain.reason_person.not_free": "not free then",
    "explain.v.title": ("{who}, week {week}: {n} shift (weekly limit {limit}, offered {offered})",
                        "{who}, week {week}: {n} shifts (weekly limit {limit}, offered {offered})"),
    "explain.v.inactive": "Not active in the register (active: no): the tool schedules nobody who is inactive.",
    "explain.v.held": "{shift}: {points}",
    "explain.v.idle_limit": "No shift this week: the weekly limit is 0 (max_shifts_per_week in the register).",
    "explain.v.idle_nothing": "No shift this week: no shift is open to this person (why below).",
    "explain.v.idle": "No shift this week ({points}).",
    "explain.v.idle_streak": ("No shift this week, after {n} week left out before ({points}).",
                              "No shift this week, after {n} weeks in a row left out before ({points})."),
    "explain.v.idle_bound": ("Why no roster does better: counting each shift's most people, at most {bound} of the people "
                             "who offered can all have a shift at once and this roster gives {placed} of them one, so a "
                             "shift for this person would leave another with none; those left out last week come first."),
    "explain.v.idle_optimal": ("Why no roster does better: the search proved this roster optimal, so no roster with the "
                               "same coverage leaves fewer people out (weighted by the weeks each was left out before); "
                               "at most {bound} of the people who offered could all have a shift counting seats alone, "
                               "and this roster gives {placed} of them one."),
    "explain.v.idle_unproven": ("The search did not prove this roster optimal: at most {bound} of the people who offered "
                                "could all have a shift and this roster gives {placed} of them one; a longer "
                                "--time-limit may find this person a shift."),
    "explain.v.eligible": "Eligible for {n} of the week's {total} shifts.",
    "explain.v.excluded": "Not eligible for {n}:",
    "explain.v.not_held": "Eligible but not on {n}:",
    "explain.v.weekly_limit": ("(has {n} shift, the weekly limit is {limit})", "(has {n} shifts, the weekly limit is {limit})"),
    "explain.v.taken": "filled by others: {n}",
    "explain.v.taken_by": "{shift}: {who}",
    "explain.v.swap": "; in place of {other} the objective would change by {total} ({points})",
    "explain.v.swap_tie": "; in place of {other} the objective would not change (a tie)",
    "explain.v.swap_lost": "; in place of {other} it would leave {unmet}",
    "explain.v.open": ("still open and no hard rule stops them: {n} (e.g. {examples}): the search stopped before finding "
                       "this; a longer --time-limit should fill it"),
    "explain.v.traded": "What the objective weighed:",
    "explain.v.fairness_history": ("fairness: served {n} time in the earlier weeks taken into account ({labels})",
                                   "fairness: served {n} times in the earlier weeks taken into account ({labels})"),
    "explain.v.fairness_no_history": "fairness: no earlier weeks are taken into account",
    "explain.v.peers": "of the {n} others who could take these shifts, {fewer} served fewer times and {more} more",
    "explain.v.peers_examples": " (fewer: {examples})",
    "explain.v.offer": (("offered {n} shift this week (weekly limit {limit}); each further shift costs more: the "
                         "k-th costs 100 × (earlier + k) / offered points, times the weight"),
                        ("offered {n} shifts this week (weekly limit {limit}); each further shift costs more: the "
                         "k-th costs 100 × (earlier + k) / offered points, times the weight")),
    "explain.v.preferences": "preferences: prefers {prefers}, avoids {avoids}; {honoured} of {n} shifts match",
    "explain.v.rotation": "rotation: held the same post and time in earlier weeks: {shifts}",
    "explain.v.partner": ("partner {who}: together on {together}, apart on {apart} the partner could also take"),
    "explain.v.points": "Points in roster.json (volunteers[].objective): {points}, total {total} of the roster's {roster}.",
    "explain.v.points_differ": "Recomputed from today's inputs: {points} (the inputs or the history changed since the roster was made)",
    "explain.s.title": "{shift} ({id}): needs {need}, at most {max}; {n} on it.",
    "explain.s.short": "short: {what}",
    "explain.s.funnel": "Who could take it: {funnel}",
    "explain.s.excluded": "Not eligible: {n}",
    "explain.s.chosen": "Chosen, with what each costs the objective (weighted points):",
    "explain.s.nobody": "Nobody is on it.",
    "explain.s.charge": "{who}: {total} ({points}) — {facts}",
    "explain.s.candidates": "Next candidates ({n} free of every hard rule), with what each would add:",
    "explain.s.candidates_full": ("Next candidates ({n} free of every hard rule); the shift is full ({max} people), so each "
                                  "could only take someone's place. What each would add, and the change of that swap:"),
    "explain.s.swap": "; in place of {other}: {total}",
    "explain.s.swap_tie": "; in place of {other}: no change (a tie)",
    "explain.s.swap_lost": "; in place of {other} it would leave {unmet}",
    "explain.s.held": "Eligible but held by hard rules: {n}",
    "explain.o.title": "Week {week}: objective {total} (solver: {solver}), per goal in weighted points:",
    "explain.o.person": "{name} ({id}) {points}",
    "explain.o.goal": "{goal} {points}, carried by {n}: {people}",
    "explain.o.coverage": "coverage: {n} seats missing on {shifts} shifts (see unfilled)",
    "explain.o.hint": "The shifts behind a person's points: roster explain PROBLEM --week W --volunteer ID",
    "cover.title": "{shift} ({id}): {who} cannot come.",
    "cover.removed": "Without {who} the soft goals' points change by {total} ({points}); each cost below comes on top.",
    "cover.found": ("{n} person can step in without breaking any hard rule, the rest of the roster unchanged:",
                    "{n} people can step in without breaking any hard rule, the rest of the roster unchanged, "
                    "cheapest first:"),
    "cover.none": "Nobody can step in without breaking a hard rule while the rest of the roster stays as it is.",
    "cover.line": "{rank}. {who}: {total} ({points})",
    "cover.facts": "has {load} this week (offered {offered}), {earlier} earlier",
    "cover.rest_before": "{hours} h rest before (after {shift})",
    "cover.rest_after": "{hours} h rest after (before {shift})",
    "cover.rest_none": "no other shift near it",
    "cover.leaves": "leaves {unmet}",
    "cover.held": "Eligible but held by hard rules: {n}",
    "cover.base_violations": ("Note: without {who} the roster already breaks {n} rule; candidates are only checked for new "
                              "violations:", "Note: without {who} the roster already breaks {n} rules; candidates are "
                              "only checked for new violations:"),
    "cover.apply_hint": "Take one with --apply N (the roster is rewritten; the earlier one is kept under previous/).",
    "cover.applied": "Applied: {who} replaces {out} on {shift}.",
    "cover.change_out": "−{who}: {shift}",
    "cover.change_in": "+{who}: {shift}",
    "cover.objective": "Objective: {before} → {after} ({change})",
    "cover.written": "Written: {paths}",
    "reason.funnel_step": "{label}: {n}",
    "reason.too_few": "too few people can ever take it: {funnel}",
    "reason.competition": "all {n} who could take it are held by other rules: {causes}",
    "reason.cause": "{rule}: {n} ({people})",
    "reason.free_but_left": ("{n} is free of every hard rule and could take it ({people}): the search stopped before "
                             "finding that; a longer --time-limit should fill it",
                             "{n} are free of every hard rule and could take it ({people}): the search stopped before "
                             "finding that; a longer --time-limit should fill it"),
    "reason.competition_some": "{n} of the {total} who could take it are held by other rules: {causes}",
    "reason.frozen": "{n} free of every hard rule ({people}), but the day is frozen (--freeze-until) and keeps the earlier roster",
    "reason.full": ("{n} more is free of every hard rule ({people}), but the shift already has its maximum of {max} people",
                    "{n} more are free of every hard rule ({people}), but the shift already has its maximum of {max} people"),
    "reason.holding_sep": " — ",
    "reason.holding": "they hold e.g. {shifts}",
    "reason.holding_item": "{shift} ({n} of them)",
    "reason.shift": "{name} {day} {time}",
    "join.rules": " and ",
    "join.causes": "; ",
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
