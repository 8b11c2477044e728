"""Notices: each volunteer's WeChat message, the group announcement, the .ics calendars, and --changed."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from icalendar import Calendar

import scheduler
import scheduler.api as api
from scheduler.domain.errors import RosterError
from scheduler.domain.models import PlanningWeek, Problem, Rules, ShiftDefinition, Volunteer, expand
from scheduler.domain.roster import Assignment, Roster, Unfilled, period_of
from scheduler.io.changes import diff_rosters, write_changes
from scheduler.weekly.notices import build_notices
from tests.conftest import TUTORIAL
from tests.conftest import run_cli as run

WEEK = PlanningWeek.parse("2026-W50")
PHONES = ("13912345678", "13800001111")


def make_problem(**rules) -> Problem:
    definitions = (
        ShiftDefinition(id="east-am", name="东门文明劝导", days=frozenset({2}), start=7 * 60, end=9 * 60, need=2, max=2),
        ShiftDefinition(id="bins-pm", name="垃圾分类值守", days=frozenset({4}), start=18 * 60, end=20 * 60,
                        need=1, max=1),
    )
    volunteers = (
        Volunteer(id="V1", name="王秀英", gender="F", age=66, phone=PHONES[0]),
        Volunteer(id="V2", name="李桂兰", gender="F", age=63, phone=PHONES[1]),
        Volunteer(id="V3", name="张建国", gender="M", age=71),
        Volunteer(id="V4", name="周婷", gender="F", age=32),
    )
    return Problem(week=WEEK, volunteers=volunteers, definitions=definitions, shifts=expand(definitions, WEEK),
                   rules=Rules(committee="延吉七村居民区", duty_table_title="创全志愿者值勤表", **rules))


def make_roster(problem: Problem, pairs: list[tuple[str, str]], unfilled: list[Unfilled] = ()) -> Roster:
    assignments = [Assignment.of(problem.shift[s], problem.volunteer[v]) for v, s in pairs]
    return Roster(week=WEEK.label, period=period_of(problem), status="complete", assignments=assignments,
                  unfilled=list(unfilled))


PLAN = [("V1", "east-am@2026-12-09"), ("V2", "east-am@2026-12-09"), ("V3", "bins-pm@2026-12-11")]


def test_each_volunteer_gets_a_message_with_time_post_and_partners():
    problem = make_problem()
    found = scheduler.notices(problem, make_roster(problem, PLAN))
    texts = {n.volunteer: n.text for n in found.people}
    assert texts == {
        "V1": "王秀英阿姨：本周请于 12月9日（周三）07:00-09:00 参加东门文明劝导，同岗：李桂兰。如不能到岗请联系居委会。",
        "V2": "李桂兰阿姨：本周请于 12月9日（周三）07:00-09:00 参加东门文明劝导，同岗：王秀英。如不能到岗请联系居委会。",
        "V3": "张建国叔叔：本周请于 12月11日（周五）18:00-20:00 参加垃圾分类值守。如不能到岗请联系居委会。",
    }


def test_younger_people_and_the_plain_name_rule_are_addressed_by_name():
    problem = make_problem()
    pairs = [("V4", "bins-pm@2026-12-11")]
    assert build_notices(make_roster(problem, pairs), problem, "zh").people[0].text.startswith("周婷：")
    plain = make_problem(notice_address="name")
    assert build_notices(make_roster(plain, PLAN), plain, "zh").people[0].text.startswith("王秀英：")


def test_the_rules_template_is_used_with_chinese_or_english_blanks():
    problem = make_problem(notice_template="{称呼}您好，{周} 请于 {shifts} 到岗。")
    (notice, *_) = build_notices(make_roster(problem, PLAN), problem, "zh").people
    assert notice.text == "王秀英阿姨您好，2026-W50 请于 12月9日（周三）07:00-09:00 参加东门文明劝导，同岗：李桂兰 到岗。"


def test_a_template_with_an_unknown_blank_says_which_blanks_exist():
    problem = make_problem(notice_template="{称呼}：{时间}")
    with pytest.raises(RosterError, match=r"notice template cannot be filled in .*\{称呼\}、\{姓名\}、\{安排\}"):
        build_notices(make_roster(problem, PLAN), problem, "zh")


def test_the_group_announcement_lists_each_day_and_what_is_missing():
    problem = make_problem()
    short = Unfilled(shift="bins-pm@2026-12-11", name="垃圾分类值守", date="2026-12-11", start="18:00", end="20:00",
                     need=1, assigned=0, missing=1)
    found = build_notices(make_roster(problem, PLAN[:2], [short]), problem, "zh")
    assert found.announcement.splitlines() == [
        "【延吉七村居民区 创全志愿者值勤表 12月7日—12月13日】",
        "",
        "12月9日（周三）",
        "07:00-09:00 东门文明劝导：王秀英、李桂兰",
        "",
        "12月11日（周五）",
        "18:00-20:00 垃圾分类值守：（缺1人）",
        "",
        "请各位志愿者准时到岗，如不能到岗请提前联系居委会。谢谢大家！",
    ]


def test_calendars_parse_back_with_the_shifts():
    problem = make_problem()
    found = build_notices(make_roster(problem, PLAN), problem, "zh")
    (event,) = Calendar.from_ical(found.calendars["V1"]).walk("VEVENT")
    assert event.decoded("dtstart") == dt.datetime(2026, 12, 9, 7, 0)
    assert event.decoded("dtend") == dt.datetime(2026, 12, 9, 9, 0)
    assert str(event["summary"]) == "值勤：东门文明劝导" and str(event["description"]) == "同岗：李桂兰"
    assert str(event["uid"]) == "east-am@2026-12-09.V1@volunteer-roster"
    week = Calendar.from_ical(found.week_calendar)
    events = week.walk("VEVENT")
    assert [str(e["description"]) for e in events] == ["王秀英、李桂兰", "张建国"]
    assert str(week["version"]) == "2.0" and str(week["prodid"]).startswith("-//volunteer-roster")


def test_after_a_replan_only_the_people_moved_are_told_what_changed():
    problem = make_problem()
    before = make_roster(problem, PLAN)
    after = make_roster(problem, [("V1", "east-am@2026-12-09"), ("V4", "east-am@2026-12-09"),
                                  ("V3", "bins-pm@2026-12-11")])
    found = build_notices(after, problem, "zh", diff_rosters(before, after))
    texts = {n.volunteer: n.text for n in found.people}
    assert texts == {
        "V2": "李桂兰阿姨：本周值勤安排有变动，取消：12月9日（周三）07:00-09:00 参加东门文明劝导。本周已无值勤安排。"
              "如不能到岗请联系居委会。",
        "V4": "周婷：本周值勤安排有变动，新增：12月9日（周三）07:00-09:00 参加东门文明劝导，同岗：王秀英。"
              "现在的安排：12月9日（周三）07:00-09:00 参加东门文明劝导，同岗：王秀英。如不能到岗请联系居委会。",
    }
    (cancelled,) = Calendar.from_ical(found.calendars["V2"]).walk("VEVENT")
    assert str(cancelled["status"]) == "CANCELLED" and str(cancelled["uid"]) == "east-am@2026-12-09.V2@volunteer-roster"


def test_english_notices():
    problem = make_problem()
    found = build_notices(make_roster(problem, PLAN), problem, "en")
    assert found.people[0].text == ("王秀英: this week please come on Wed 9 Dec 07:00-09:00, 东门文明劝导, with 李桂兰. "
                                    "If you cannot come, please tell the committee.")


# ---------------------------------------------------------------- the command


@pytest.fixture
def planned(tmp_path: Path) -> Path:
    """The tutorial folder with its week planned once (roster written as `roster solve` writes it)."""
    folder = tmp_path / "tutorial"
    shutil.copytree(TUTORIAL, folder)
    problem = api.load(folder, week="2026-W49")
    roster = Roster(week="2026-W49", period=period_of(problem), status="complete", language="en",
                    assignments=[Assignment.of(problem.shift[s], problem.volunteer[v]) for v, s in
                                 [("001", "gate-am@2026-11-30"), ("002", "gate-am@2026-11-30"),
                                  ("004", "cleanup@2026-12-05")]])
    api.write(roster, problem, folder / "rosters" / "2026-W49", "en")
    return folder


def test_notices_command_writes_every_file_without_phone_numbers(planned):
    result = run("notices", planned, "--week", "2026-W49")
    assert result.exit_code == 0, result.output
    out = planned / "rosters" / "2026-W49" / "notices"
    assert "for 3 volunteers written to" in result.output
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()) == [
        "calendars/001.ics", "calendars/002.ics", "calendars/004.ics", "group.txt", "notices.csv", "notices.txt",
        "week.ics"]
    for path in out.rglob("*.*"):
        text = path.read_text(encoding="utf-8-sig")
        assert "1380000000" not in text, path  # the register's phone numbers never reach a notice
    assert "Wang Xiuying: this week please come on Mon 30 Nov 07:00-09:00, Morning gate patrol, with Li Guiying." \
           in (out / "notices.txt").read_text(encoding="utf-8")


def test_notices_changed_after_a_replan(planned):
    problem = api.load(planned, week="2026-W49")
    week = planned / "rosters" / "2026-W49"
    before = api.read_roster(week / "roster.json")
    after = before.model_copy(update={"assignments": [*before.assignments[:1],
                                                      Assignment.of(problem.shift["gate-am@2026-11-30"],
                                                                    problem.volunteer["003"]),
                                                      *before.assignments[2:]]})
    api.write(after, problem, week, "en")
    write_changes(week, diff_rosters(before, after), "en")
    result = run("notices", planned, "--week", "2026-W49", "--changed")
    assert result.exit_code == 0, result.output
    out = week / "notices-changed"
    assert sorted(p.name for p in (out / "calendars").iterdir()) == ["002.ics", "003.ics"]
    text = (out / "notices.txt").read_text(encoding="utf-8")
    assert "cancelled Mon 30 Nov 07:00-09:00, Morning gate patrol" in text and "added Mon 30 Nov" in text


def test_notices_changed_without_a_replan_is_an_error_and_writes_nothing(planned):
    result = run("notices", planned, "--week", "2026-W49", "--changed")
    assert result.exit_code == 2
    assert "has not been re-planned" in result.output and "leave out --changed" in result.output
    assert not (planned / "rosters" / "2026-W49" / "notices-changed").exists()


def test_notices_for_a_week_not_planned_exits_2(planned):
    result = run("notices", planned, "--week", "2026-W51")
    assert result.exit_code == 2 and "has not been planned" in result.output
