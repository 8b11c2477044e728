"""Telling volunteers when to come: a WeChat message each, the group announcement, calendar files.

`build_notices` turns a week's roster into `Notices`: per volunteer a short message to paste into
WeChat (`王秀英阿姨：本周请于 12月9日（周三）07:00-09:00 参加小区东门文明劝导（早高峰），同岗：李桂兰。
如不能到岗请联系居委会。`), one announcement for the committee's group chat, an `.ics` calendar
file per volunteer and one for the whole week. After a re-plan, given the week's changes, only
the people whose shifts changed get a notice, saying what was cancelled (取消) and added (新增);
their calendar file cancels the lost shifts (same event id, STATUS:CANCELLED).

The message is the rules' `notice_template` (or the built-in one), with the blanks `{称呼}`
(`{address}`), `{姓名}` (`{name}`), `{安排}` (`{shifts}`), `{周}` (`{week}`), and for a change
`{变动}` (`{changes}`) and `{现安排}` (`{now}`). Nothing here carries a phone number: the roster
has none, and the committee's contact line is only printed on the duty table.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from scheduler.domain.errors import RosterError
from scheduler.domain.models import Gender, Problem
from scheduler.domain.roster import Assignment, Roster
from scheduler.io.changes import Change
from scheduler.io.printing import minutes_of, month_day, natural_key, occurrence, page_title, printed_names
from scheduler.loading.csvsafe import csv_bytes, original_cell
from scheduler.render.texts import TEXTS, t, weekday

NOTICES_DIR = "notices"
ELDER_AGE = 50  # from this age a committee says 阿姨 / 叔叔
PRODUCT_ID = "-//volunteer-roster//notices//ZH"
BLANKS = {"称呼": "address", "姓名": "name", "安排": "shifts", "周": "week", "变动": "changes", "现安排": "now"}
"""The template's blanks: each Chinese name and its English twin mean the same."""


@dataclass(frozen=True)
class Duty:
    """One shift of one volunteer, as a notice and a calendar event tell it."""

    shift: str
    post: str
    date: str
    start: str
    end: str
    partners: tuple[str, ...] = ()


@dataclass(frozen=True)
class Notice:
    """The message for one volunteer, and the shifts it tells of."""

    volunteer: str
    name: str
    text: str
    duties: tuple[Duty, ...]
    cancelled: tuple[Duty, ...] = ()
    added: tuple[Duty, ...] = ()


@dataclass(frozen=True)
class Notices:
    """A week's notices: one per volunteer told, the group announcement, the calendar files."""

    week: str
    lang: str
    people: list[Notice]
    announcement: str
    calendars: dict[str, bytes] = field(default_factory=dict)  # volunteer id -> .ics
    week_calendar: bytes = b""
    changed: bool = False

    def files(self) -> dict[str, bytes]:
        """Every file by its path under the notices folder: notices.txt and .csv, group.txt, week.ics, calendars/."""
        files = {
            "notices.txt": "\n\n".join(f"{n.name}（{n.volunteer}）\n{n.text}" if self.lang == "zh" else
                                       f"{n.name} ({n.volunteer})\n{n.text}" for n in self.people).encode("utf-8"),
            "notices.csv": csv_bytes(["volunteer", "name", "message"],
                                     [[n.volunteer, n.name, n.text] for n in self.people]),
            "group.txt": (self.announcement + "\n").encode("utf-8"),
            "week.ics": self.week_calendar,
        }
        files.update({f"calendars/{volunteer}.ics": data for volunteer, data in self.calendars.items()})
        return files


# ---------------------------------------------------------------- building


def build_notices(roster: Roster, problem: Problem, lang: str, changes: list[Change] | None = None) -> Notices:
    """The week's notices; with `changes` (a re-plan's), only for the people whose shifts changed.

    Raises RosterError when the rules' template has a blank we do not know.
    """
    names = printed_names(roster, problem, lang)
    duties = _duties(roster, names)
    people = []
    if changes is None:
        for volunteer in sorted(duties, key=natural_key):
            people.append(_notice(problem, lang, volunteer, names, duties[volunteer]))
    else:
        by_person: dict[str, list[Change]] = defaultdict(list)
        for change in changes:
            by_person[change.volunteer].append(change)
        for volunteer in sorted(by_person, key=natural_key):
            people.append(_changed_notice(problem, lang, volunteer, names, duties.get(volunteer, []),
                                          by_person[volunteer]))
    calendars = {n.volunteer: person_calendar(problem, n, lang) for n in people}
    return Notices(week=roster.week, lang=lang, people=people, announcement=announcement(roster, problem, lang),
                   calendars=calendars, week_calendar=week_calendar(roster, problem, lang, names),
                   changed=changes is not None)


def _duties(roster: Roster, names: dict[str, str]) -> dict[str, list[Duty]]:
    """Each volunteer's shifts in time order, with who else serves on each."""
    on_shift: dict[str, list[Assignment]] = defaultdict(list)
    for a in roster.assignments:
        on_shift[a.shift].append(a)
    duties: dict[str, list[Duty]] = defaultdict(list)
    for group in on_shift.values():
        for a in group:
            partners = tuple(names.get(o.volunteer, o.volunteer_name) for o in
                             sorted(group, key=lambda o: natural_key(o.volunteer)) if o.volunteer != a.volunteer)
            duties[a.volunteer].append(_duty(a, partners))
    for items in duties.values():
        items.sort(key=lambda d: (d.date, minutes_of(d.start), d.shift))
    return duties


def _duty(item: Assignment | Change, partners: tuple[str, ...] = ()) -> Duty:
    definition, day = occurrence(item.shift, item.date)
    return Duty(shift=item.shift, post=item.name or definition, date=item.date or day, start=item.start,
                end=item.end, partners=partners)


def address(problem: Problem, lang: str, volunteer: str, name: str) -> str:
    """How a committee addresses the person: 王秀英阿姨 / 李建国叔叔 from 50 on, else the name."""
    person = problem.volunteer.get(volunteer)
    if person is None or problem.rules.notice_address == "name":
        return name
    age = person.age_on(problem.week.monday)
    if age is None or age < ELDER_AGE:
        return name
    return t(lang, "notice.aunt" if person.gender == Gender.FEMALE else "notice.uncle", name=name)


def duty_text(lang: str, duty: Duty, with_partners: bool = True) -> str:
    """`12月9日（周三）07:00-09:00 参加小区东门文明劝导（早高峰），同岗：李桂兰`."""
    try:
        day = dt.date.fromisoformat(duty.date)
        date, weekday_name = month_day(lang, day), weekday(lang, day)
    except ValueError:
        date, weekday_name = duty.date, ""
    text = t(lang, "notice.shift", date=date, weekday=weekday_name, time=f"{duty.start}-{duty.end}", post=duty.post)
    if with_partners and duty.partners:
        text += t(lang, "notice.partners", names=t(lang, "join.names").join(duty.partners))
    return text


def _duties_text(lang: str, duties: list[Duty] | tuple[Duty, ...], with_partners: bool = True) -> str:
    return t(lang, "notice.shifts_sep").join(duty_text(lang, d, with_partners) for d in duties)


def _fill(template: str, blanks: dict[str, str]) -> str:
    """The template with its blanks filled; an unknown blank is a RosterError that names the known ones."""
    values = {**blanks, **{chinese: blanks.get(english, "") for chinese, english in BLANKS.items()}}
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError) as exc:
        known = "、".join("{" + name + "}" for name in BLANKS)
        raise RosterError(f"the rules' notice template cannot be filled in ({exc}): {template!r}. "
                          f"Fix: use only the blanks {known}, and write a literal brace as {{{{ or }}}}") from None


def _notice(problem: Problem, lang: str, volunteer: str, names: dict[str, str], duties: list[Duty]) -> Notice:
    name = names.get(volunteer, volunteer)
    template = problem.rules.notice_template or cast(str, TEXTS[lang]["notice.template"])  # text, not a pair
    text = _fill(template, {"address": address(problem, lang, volunteer, _plain(problem, volunteer, name)),
                            "name": name, "shifts": _duties_text(lang, duties), "week": problem.week.label,
                            "changes": "", "now": ""})
    return Notice(volunteer, name, text, tuple(duties))


def _changed_notice(problem: Problem, lang: str, volunteer: str, names: dict[str, str], duties: list[Duty],
                    changes: list[Change]) -> Notice:
    name = names.get(volunteer) or next((c.volunteer_name for c in changes if c.volunteer_name), volunteer)
    lost = tuple(_duty(c) for c in changes if c.change == "lost")
    gained = {c.shift for c in changes if c.change == "gained"}
    added = tuple(d for d in duties if d.shift in gained) or tuple(_duty(c) for c in changes if c.change == "gained")
    parts = []
    if lost:
        parts.append(t(lang, "notice.cancelled", shifts=_duties_text(lang, lost, with_partners=False)))
    if added:
        parts.append(t(lang, "notice.added", shifts=_duties_text(lang, added)))
    now = t(lang, "notice.now", shifts=_duties_text(lang, duties)) if duties else t(lang, "notice.now_none")
    template = problem.rules.notice_changed_template or cast(str, TEXTS[lang]["notice.changed_template"])
    text = _fill(template, {"address": address(problem, lang, volunteer, _plain(problem, volunteer, name)),
                            "name": name, "shifts": _duties_text(lang, duties), "week": problem.week.label,
                            "changes": t(lang, "notice.changes_sep").join(parts), "now": now})
    return Notice(volunteer, name, text, tuple(duties), cancelled=lost, added=added)


def _plain(problem: Problem, volunteer: str, printed: str) -> str:
    """The name without the tag that tells namesakes apart: a message is addressed to one person anyway."""
    person = problem.volunteer.get(volunteer)
    return person.name if person else printed


def announcement(roster: Roster, problem: Problem, lang: str) -> str:
    """The group chat's announcement: the title, then day by day each shift's time, post and names."""
    names = printed_names(roster, problem, lang)
    on_shift: dict[str, list[str]] = defaultdict(list)
    details: dict[str, Duty] = {}
    for a in roster.assignments:
        on_shift[a.shift].append(a.volunteer)
        details.setdefault(a.shift, _duty(a))
    missing = {u.shift: u.missing for u in roster.unfilled if u.missing > 0}
    for u in roster.unfilled:
        if u.missing > 0 and u.shift not in details:
            details[u.shift] = Duty(u.shift, u.name or occurrence(u.shift, u.date)[0],
                                    u.date or occurrence(u.shift, "")[1], u.start, u.end)
    lines = [t(lang, "notice.group_title", title=page_title(problem, lang))]
    by_day: dict[str, list[Duty]] = defaultdict(list)
    for duty in details.values():
        by_day[duty.date].append(duty)
    for date in sorted(by_day):
        day = dt.date.fromisoformat(date)
        lines += ["", t(lang, "notice.group_day", date=month_day(lang, day), weekday=weekday(lang, day))]
        for duty in sorted(by_day[date], key=lambda d: (minutes_of(d.start), d.post, d.shift)):
            people = [names.get(v, v) for v in sorted(on_shift.get(duty.shift, []), key=natural_key)]
            if duty.shift in missing:
                people.append(t(lang, "notice.group_missing", n=missing[duty.shift]))
            lines.append(t(lang, "notice.group_line", time=f"{duty.start}-{duty.end}", post=duty.post,
                           names=t(lang, "join.names").join(people)))
    lines += ["", t(lang, "notice.group_end")]
    return "\n".join(lines)


# ---------------------------------------------------------------- calendars (.ics)


def _event(duty: Duty, lang: str, uid: str, description: str, cancelled: bool = False):
    """One shift as a calendar event in local time (floating: the committee's own clock)."""
    from icalendar import Event

    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", dt.datetime.now(dt.UTC).replace(microsecond=0))
    start = dt.datetime.combine(dt.date.fromisoformat(duty.date), dt.time(0)) + dt.timedelta(
        minutes=minutes_of(duty.start))
    length = (minutes_of(duty.end) - minutes_of(duty.start)) % (24 * 60) or 24 * 60
    event.add("dtstart", start)
    event.add("dtend", start + dt.timedelta(minutes=length))
    event.add("summary", t(lang, "notice.event", post=duty.post))
    if description:
        event.add("description", description)
    if cancelled:
        event.add("status", "CANCELLED")
        event.add("sequence", 1)
    return event


def _calendar(name: str):
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    return calendar


def _uid(shift: str, volunteer: str) -> str:
    """The same event id for the same person on the same shift in every re-plan, so a calendar updates it."""
    return f"{shift}.{volunteer}@volunteer-roster"


def person_calendar(problem: Problem, notice: Notice, lang: str) -> bytes:
    """A volunteer's `.ics`: their shifts this week, and the ones a re-plan cancelled."""
    calendar = _calendar(page_title(problem, lang))
    for duty in notice.duties:
        partners = t(lang, "notice.partners", names=t(lang, "join.names").join(duty.partners)).lstrip("，, ")
        calendar.add_component(_event(duty, lang, _uid(duty.shift, notice.volunteer), partners if duty.partners else ""))
    for duty in notice.cancelled:
        calendar.add_component(_event(duty, lang, _uid(duty.shift, notice.volunteer), "", cancelled=True))
    return calendar.to_ical()


def week_calendar(roster: Roster, problem: Problem, lang: str, names: dict[str, str]) -> bytes:
    """The week's `.ics`: one event per shift with the names of who serves (no other personal data)."""
    calendar = _calendar(page_title(problem, lang))
    people: dict[str, list[str]] = defaultdict(list)
    details: dict[str, Duty] = {}
    for a in sorted(roster.assignments, key=lambda a: natural_key(a.volunteer)):
        people[a.shift].append(names.get(a.volunteer, a.volunteer_name))
        details.setdefault(a.shift, _duty(a))
    for shift in sorted(details, key=lambda s: (details[s].date, minutes_of(details[s].start), s)):
        calendar.add_component(_event(details[shift], lang, f"{shift}@volunteer-roster",
                                      t(lang, "join.names").join(people[shift])))
    return calendar.to_ical()


# ---------------------------------------------------------------- reading the earlier plan and writing


def read_changes(path: str | Path) -> list[Change]:
    """The changes of a re-plan from the week's `changes.csv` (as `scheduler.io.changes.write_changes` writes it)."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    fields = ("volunteer", "volunteer_name", "shift", "name", "date", "start", "end", "change")
    try:
        return [Change(**{key: original_cell(row[key]) for key in fields}) for row in rows  # type: ignore[arg-type]  # CSV texts; `change` is checked on the next line
                if row.get("change") in ("gained", "lost")]
    except KeyError as exc:
        raise RosterError(f"{path}: not a changes file (no column {exc}). "
                          "Fix: re-plan the week with 'roster solve' to write it again") from None


def week_notices(folder: str | Path, problem: Problem, changed: bool = False, lang: str | None = None) -> Notices:
    """The notices of the week planned under `folder/rosters/<week>/`; with `changed`, for the last re-plan.

    The re-plan's changes come from the week's `changes.csv`, else from comparing `roster.json`
    with the newest earlier roster kept in `previous/`. Raises RosterError when the week has not
    been planned, or, with `changed`, not re-planned.
    """
    from scheduler.analysis.tracing import read_week_roster, week_roster_path
    from scheduler.io.changes import CHANGES_FILE, diff_rosters
    from scheduler.io.writers import PREVIOUS_DIR
    from scheduler.loading.rosterfile import read_roster

    roster = read_week_roster(folder, problem)
    lang = lang or roster.language
    if not changed:
        return build_notices(roster, problem, lang)
    week_dir = week_roster_path(folder, problem).parent
    if (week_dir / CHANGES_FILE).is_file():
        return build_notices(roster, problem, lang, read_changes(week_dir / CHANGES_FILE))
    earlier = sorted((week_dir / PREVIOUS_DIR).glob("roster-*.json"), key=lambda p: p.stat().st_mtime)
    if not earlier:
        raise RosterError(f"week {problem.week.label} has not been re-planned: there is no {week_dir / CHANGES_FILE} "
                          f"and no earlier roster in {week_dir / PREVIOUS_DIR}. Fix: leave out --changed to write "
                          "everyone's notices")
    return build_notices(roster, problem, lang, diff_rosters(read_roster(earlier[-1]), roster))


def notices_folder(folder: str | Path, problem: Problem, changed: bool = False) -> Path:
    """Where the notices go by default: `rosters/<week>/notices/` (`notices-changed/` after a re-plan)."""
    from scheduler.analysis.tracing import week_roster_path

    return week_roster_path(folder, problem).parent / (f"{NOTICES_DIR}-changed" if changed else NOTICES_DIR)


def write_notices(notices: Notices, out_dir: str | Path) -> list[Path]:
    """Write the notices' files under `out_dir` atomically (replacing an earlier set's calendars)."""
    from scheduler.io.changes import write_atomically

    out_dir = Path(out_dir)
    files = {out_dir / name: data for name, data in notices.files().items()}
    written = write_atomically(files)
    calendars = out_dir / "calendars"
    if calendars.is_dir():  # a calendar of someone no longer told would be stale: it goes
        for stale in set(calendars.glob("*.ics")) - set(files):
            stale.unlink()
    return written
