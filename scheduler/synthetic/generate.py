"""`roster generate`: a realistic synthetic problem folder of any size, to try the tool and to benchmark it.

The register imitates `sample_data/yanji7`: about three women in four; ages skewed to 60-80;
health mostly good and worse with age; a civility group (创全志愿者) and a service team (志愿服务队)
that overlap; retirees free on weekdays and employed people on evenings and weekends, written
the way coordinators write availability; a few skills, roles, weekly limits, preferences,
partners, blocked dates and inactive rows.

Demand follows supply. Each volunteer's *offer* (the most shifts they could serve this week:
their weekly limit, at most one a day, on the days their availability meets a duty slot) is
spread evenly over the slots they could take, and each community gets posts and activities
for about `DEMAND_SHARE` of what its volunteers offer in every day and slot, so that the week is
tight but can be staffed. Posts with age or health limits take at most `LIMITED_SHARE` of what
the people within those limits offer. Above a few hundred volunteers the folder models a
sub-district: several compounds (延吉一村, 延吉二村 …), each with its own civility and service
teams and its own posts, all in one register and one shifts file.

Deterministic: the same volunteers, seed and week give byte-identical files.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

import numpy as np

from scheduler.domain.clock import clock
from scheduler.domain.errors import RosterError
from scheduler.domain.models import WEEKDAYS, PlanningWeek, Rules
from scheduler.loading import resolve_week
from scheduler.loading.availability import parse_availability

DEMAND_SHARE = 0.9
"""Seats asked for, as a share of what the volunteers offer, in every day and slot."""
LIMITED_SHARE = 0.7
"""At most this share of what the people within a post's age/health limits offer goes to such posts."""
COMMUNITY_SIZE = 230
"""Volunteers per compound, as in the sample; more volunteers make more compounds."""

# ----------------------------------------------------------------------------- people

SURNAMES = ("王王张张陈陈李李徐徐朱朱沈沈周周陆陆顾顾吴杨黄钱孙胡金曹蔡施俞唐姚郁袁汪潘邵秦瞿丁费宋彭"
            "马赵何邱郑谢范严倪龚戴许程蒋陶庄奚毛葛邬夏龚方")
GIVEN = {  # (female, born before about 1970)
    (True, True): "秀英 桂英 玉珍 凤英 美娟 杏芳 雅芬 月娥 根娣 巧英 文娟 玲娣 雅琴 慧英 海英 佩华 凤娟 金妹 丽娟 静芬 小妹 "
                  "红梅 素珍 美华 培英 亚萍 佩珍 丽华 美芳 卫红 慧芳 国英 丽萍 彩娣 惠珍 菊英 敏 琴 萍 英".split(),
    (False, True): "建国 国强 伟国 金根 新民 忠良 卫东 国栋 建华 志明 伟民 德明 根宝 荣根 国平 永康 宝林 海根 福根 "
                   "明华 正华 国庆 建平 伟 强 勇 军 毅 平".split(),
    (True, False): "俊 琳 丹 颖 燕 慧 佳琪 梓萱 雨桐 诗涵 欣怡 思雨 婷 静 晓雯 佳怡 雯 蕾 倩 洁 莉 晨曦 一诺 子涵".split(),
    (False, False): "俊 毅 磊 浩 杰 伟 强 宇轩 子豪 浩然 一鸣 晨 昊 斌 翔 峰 超 嘉豪 天佑 志远 文博".split(),
}
AGE_BANDS = ((18, 39, 0.11), (40, 59, 0.135), (60, 69, 0.37), (70, 79, 0.32), (80, 88, 0.065))
HEALTH_BY_AGE = ((59, 0.05, 0.0), (69, 0.12, 0.01), (79, 0.28, 0.03), (200, 0.5, 0.1))
"""(oldest age of the band, share fair, share poor)."""
TEAM_MIX = (("civility",), 0.28), (("service",), 0.63), (("civility", "service"), 0.09)
SKILLS = (("first_aid", 0.14, 0.14), ("reading", 0.13, 0.13), ("english", 0.15, 0.04))
"""(skill, share under 60, share 60 and over)."""
ROLES = (("party_member", 0.29), ("building_leader", 0.095))
PHONE_PREFIXES = ("138", "139", "186", "188", "159", "137", "135", "189", "133", "150", "158", "177", "181")
BIRTH_FORMATS = (("%Y-%m-%d", 0.3), ("%Y%m%d", 0.25), ("slash", 0.2), ("%Y.%m", 0.15), ("month", 0.1))
RETIREE_AVAILABILITY = (
    ("周一至周五 全天；周六 上午", 34), ("工作日 全天；双休日 上午", 24), ("周一至周日 全天", 22),
    ("工作日 上午；周二、周四 下午", 11), ("", 9), ("周一至周日 06:30-09:30；周一至周日 16:00-20:30", 9),
    ("周一至周五 08:00-17:00", 9), ("星期二、星期四 下午；星期六 全天", 8), ("工作日 上午；双休日 全天", 8),
    ("周一、周三、周五 上午；周二、周四 13:30-16:30", 6), ("周二、周四 全天；周六 全天", 6),
    ("Mon-Fri all day; Sat,Sun morning", 5), ("周二、周四、周六 全天", 5), ("工作日 07:00-11:00；工作日 16:00-20:00", 3),
    ("周一至周日 上午", 3), ("周一至周日 16:00-20:30", 2), ("周一至周五 上午；双休日 07:00-09:30", 2),
    ("双休日 全天；工作日 16:00-20:00", 2), ("周一、周三、周五 全天；周日 上午", 2), ("双休日 全天；周一至周五 16:00-20:00", 2),
    ("Mon-Sun 06:30-12:00; Mon-Fri 16:00-20:00", 1), ("周三 上午；周六 全天", 1),
)
EMPLOYED_AVAILABILITY = (
    ("双休日 全天", 22), ("工作日 晚上；双休日 上午", 6), ("周六 上午；周日 全天", 6), ("周六、周日 上午", 3),
    ("周日 全天；周三 18:00-21:00", 3), ("工作日 18:00-21:00；双休日 全天", 3), ("周六 全天", 2), ("Sat,Sun all day", 2),
    ("Sat 14:00-17:00; Sun all day", 1), ("周六、周日 下午", 1), ("周一至周日 16:00-20:30", 1),
    ("工作日 07:00-11:00；工作日 16:00-20:00", 1), ("周一至周日 全天", 1), ("", 1),
)
PEAK_AVAILABILITY = (  # civility members often sign up for the rush hours only
    ("周一至周日 06:30-09:30；周一至周日 16:00-20:30", 10), ("工作日 07:00-11:00；工作日 16:00-20:00", 3),
    ("周一至周五 上午；双休日 07:00-09:30", 2), ("双休日 全天；工作日 16:00-20:00", 2),
)
WISHES = {  # team -> (prefers, avoids): kinds with weights
    "civility": ((("waste", 2), ("street", 1), ("compound", 1)), (("crossing", 5), ("street", 2), ("waste", 2))),
    "service": ((("reading", 10), ("visit", 5), ("english", 2), ("cleanup", 2)),
                (("cleanup", 2), ("reading", 2), ("visit", 2), ("english", 1))),
}

# ----------------------------------------------------------------------------- posts

SLOTS = {  # the duty slots of a day: name -> (team, start, end) in minutes
    "c-am": ("civility", 7 * 60, 9 * 60), "c-pm": ("civility", 16 * 60 + 30, 18 * 60 + 30),
    "c-eve": ("civility", 18 * 60, 20 * 60),
    "s-am": ("service", 9 * 60, 11 * 60), "s-pm": ("service", 14 * 60, 16 * 60), "s-eve": ("service", 19 * 60, 21 * 60),
}
SLOT_NAMES = tuple(SLOTS)
POOLS = ("good70", "fair75", "fair", "all")
"""Who may take a post, narrowest first; each pool contains the ones before it."""
POOL_LIMITS: dict[str, dict[str, object]] = {"good70": {"max_age": 70, "min_health": "good"}, "fair75": {"max_age": 75, "min_health": "fair"},
               "fair": {"min_health": "fair"}, "all": {}}
EVERY_DAY = frozenset(range(7))


@dataclass(frozen=True)
class PostType:
    """A kind of post or activity a compound may run in a slot; `need` people each time."""

    slot: str
    key: str
    name: str
    kind: str
    post: str
    need: int
    extra: int = 1
    pool: str = "all"
    days: frozenset[int] = EVERY_DAY
    times: tuple[int, int] | None = None
    require: tuple[tuple[str, int], ...] = ()
    min_female: int = 0
    once: bool = False
    dated: bool = False


def _posts() -> tuple[PostType, ...]:
    P = PostType
    return (
        P("c-am", "east-gate-am", "东门文明劝导（早高峰）", "compound", "east-gate", 3),
        P("c-am", "crossing-am", "路口文明劝导（早高峰）", "crossing", "crossing", 2, 0, "good70"),
        P("c-am", "street-am", "周边街面文明巡查（早高峰）", "street", "street", 3),
        P("c-am", "bins-1-am", "垃圾分类值守（1号垃圾箱房·早）", "waste", "bins-1", 1),
        P("c-am", "north-gate-am", "北门文明劝导（早高峰）", "compound", "north-gate", 2),
        P("c-am", "school-am", "学校门口护学岗", "crossing", "school", 2, 0, "good70", frozenset(range(5))),
        P("c-am", "bins-2-am", "垃圾分类值守（2号垃圾箱房·早）", "waste", "bins-2", 1),
        P("c-am", "bus-stop-am", "公交站文明候车引导（早高峰）", "street", "bus-stop", 2),
        P("c-pm", "east-gate-pm", "东门文明劝导（晚高峰）", "compound", "east-gate", 3),
        P("c-pm", "crossing-pm", "路口文明劝导（晚高峰）", "crossing", "crossing", 2, 0, "good70"),
        P("c-pm", "street-pm", "周边街面文明巡查（晚高峰）", "street", "street", 3),
        P("c-pm", "north-gate-pm", "北门文明劝导（晚高峰）", "compound", "north-gate", 2),
        P("c-pm", "market-pm", "菜场周边文明劝导", "street", "market", 2),
        P("c-pm", "west-gate-pm", "西门文明劝导（晚高峰）", "compound", "west-gate", 1),
        P("c-eve", "square-eve", "广场文明引导", "street", "square", 2),
        P("c-eve", "bins-1-pm", "垃圾分类值守（1号垃圾箱房·晚）", "waste", "bins-1", 1),
        P("c-eve", "bins-2-pm", "垃圾分类值守（2号垃圾箱房·晚）", "waste", "bins-2", 1),
        P("s-am", "cleanup", "清洁家园（周六）", "cleanup", "whole-compound", 8, 4, "fair", frozenset({5}), once=True),
        P("s-am", "english-class", "英语兴趣班", "english", "activity-room", 2, 1, days=frozenset({6}),
          times=(9 * 60 + 30, 11 * 60), require=(("english", 1),), once=True),
        P("s-am", "canteen", "长者食堂助餐", "canteen", "canteen", 3),
        P("s-am", "visit-hardship", "困难家庭走访", "visit", "homes", 2, 0, "fair"),
        P("s-am", "care-pair", "老伙伴结对关爱问候", "visit", "homes", 2, 1, "fair75", times=(9 * 60 + 30, 10 * 60 + 30)),
        P("s-am", "health-check", "健康自检点服务", "health", "health-station", 2, require=(("first_aid", 1),)),
        P("s-am", "centre-am", "睦邻中心值班（上午）", "centre", "neighbour-centre", 2),
        P("s-am", "library-am", "社区书屋值班（上午）", "library", "library", 1),
        P("s-pm", "picture-books", "亲子绘本阅读", "reading", "activity-room", 3, 1, days=frozenset({5}),
          times=(14 * 60, 15 * 60 + 30), require=(("reading", 1),), once=True, dated=True),
        P("s-pm", "visit-alone", "独居老人探访", "visit", "homes", 2, 0, "fair75", min_female=1),
        P("s-pm", "anti-fraud", "反诈宣传", "publicity", "square", 2),
        P("s-pm", "centre-pm", "睦邻中心值班（下午）", "centre", "neighbour-centre", 2),
        P("s-pm", "library-pm", "社区书屋值班（下午）", "library", "library", 1),
        P("s-eve", "night-patrol", "夜间平安巡逻", "patrol", "whole-compound", 3, 1, "fair"),
        P("s-eve", "square-order", "广场舞秩序引导", "patrol", "square", 2),
        P("s-eve", "centre-eve", "睦邻中心值班（晚上）", "centre", "neighbour-centre", 1),
    )


POST_TYPES = _posts()
COMMUNITY_BASES = (("延吉", "yanji"), ("控江", "kongjiang"), ("鞍山", "anshan"), ("长白", "changbai"),
                   ("凤城", "fengcheng"), ("内江", "neijiang"), ("本溪", "benxi"), ("双阳", "shuangyang"),
                   ("松花", "songhua"), ("辽源", "liaoyuan"), ("铁岭", "tieling"), ("黄兴", "huangxing"))
CN_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1..99 in Chinese numerals: 7 -> 七, 12 -> 十二, 30 -> 三十."""
    tens, ones = divmod(n, 10)
    return (("" if tens == 1 else CN_DIGITS[tens]) + "十" if tens else "") + (CN_DIGITS[ones] if ones else "")


@dataclass
class Person:
    """One generated register row, plus what the demand sizing needs to know about it."""

    id: str
    community: int
    female: bool
    age: int
    health: str
    teams: tuple[str, ...]
    availability: str
    blocked: frozenset[int] = frozenset()
    cap: int = 3
    active: bool = True
    tags: frozenset[str] = frozenset()
    row: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Generated:
    """What `generate` wrote."""

    folder: Path
    files: list[Path]
    week: PlanningWeek
    volunteers: int
    communities: int
    definitions: int
    shifts: int
    seats: int
    offered: int


def generate(out_dir: str | Path, volunteers: int, seed: int = 0, week: str | PlanningWeek | None = None) -> Generated:
    """Write volunteers.csv, shifts.yaml and rules.yaml for `volunteers` people into the new folder `out_dir`.

    Raises RosterError when `out_dir` exists and is not an empty folder: nothing is overwritten.
    """
    folder = Path(out_dir)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        what = "is a folder with files in it" if folder.is_dir() else "is a file"
        raise RosterError(f"{folder} {what}; roster generate writes only into a new or empty folder and never "
                          "overwrites anything. Fix: give a new folder name, or empty that folder first")
    if volunteers < 1:
        raise RosterError(f"--volunteers must be at least 1 (got {volunteers})")
    planned = resolve_week(week)
    rng = random.Random(seed)
    communities = _communities(volunteers, rng)
    people = _people(communities, planned, rng)
    supply, offered = _supply(people, len(communities))
    posts = [_community_posts(c, supply[c], len(communities)) for c in range(len(communities))]
    folder.mkdir(parents=True, exist_ok=True)
    files = [folder / "volunteers.csv", folder / "shifts.yaml", folder / "rules.yaml"]
    files[0].write_bytes(_register_csv(people).encode("utf-8-sig"))
    files[1].write_text(_shifts_yaml(posts, communities, planned, volunteers, seed), encoding="utf-8")
    files[2].write_text(RULES_YAML, encoding="utf-8")
    definitions = [d for community in posts for d in community]
    return Generated(folder=folder, files=files, week=planned, volunteers=volunteers, communities=len(communities),
                     definitions=len(definitions), shifts=sum(len(d["days"]) for d in definitions),
                     seats=sum(d["need"] * len(d["days"]) for d in definitions), offered=int(offered))


# ----------------------------------------------------------------------------- the register

def _communities(volunteers: int, rng: random.Random) -> list[tuple[str, str, int]]:
    """(Chinese name, id prefix, size) of each compound; one compound without a prefix for small registers."""
    count = max(1, round(volunteers / COMMUNITY_SIZE))
    if count == 1:
        return [("", "", volunteers)]
    weights = [rng.uniform(0.75, 1.25) for _ in range(count)]
    sizes = _apportion([volunteers * w / sum(weights) for w in weights], volunteers)
    named = []
    for index, size in enumerate(sizes):
        base, number = divmod(index, 8)
        number += 1 + 8 * (base // len(COMMUNITY_BASES))
        chinese, pinyin = COMMUNITY_BASES[base % len(COMMUNITY_BASES)]
        named.append((f"{chinese}{cn_number(number)}村", f"{pinyin}{number}", size))
    return named


def _apportion(shares: list[float], total: int) -> list[int]:
    """Whole numbers summing to `total`, each the floor of its share or one more (largest remainders)."""
    whole = [int(s) for s in shares]
    order = sorted(range(len(shares)), key=lambda i: (whole[i] - shares[i], i))
    for i in order[:max(0, total - sum(whole))]:
        whole[i] += 1
    return whole


T = TypeVar("T")


def _pick(rng: random.Random, weighted: Iterable[tuple[T, float]]) -> T:
    items, weights = zip(*weighted)
    return rng.choices(items, weights)[0]


def _people(communities: list[tuple[str, str, int]], week: PlanningWeek, rng: random.Random) -> list[Person]:
    width = max(3, len(str(sum(size for _, _, size in communities))))
    people: list[Person] = []
    for index, (_, prefix, size) in enumerate(communities):
        first = len(people)
        for _ in range(size):
            people.append(_person(f"V{len(people) + 1:0{width}d}", index, prefix, week, rng))
        _pair_partners(people[first:], rng)
    return people


def _person(vid: str, community: int, prefix: str, week: PlanningWeek, rng: random.Random) -> Person:
    female = rng.random() < 0.74
    low, high, _ = _pick(rng, [(band, band[2]) for band in AGE_BANDS])
    born, text = _birth(rng.randint(low, high), week.monday, rng)
    age = week.monday.year - born.year - ((week.monday.month, week.monday.day) < (born.month, born.day))
    fair, poor = next((f, p) for top, f, p in HEALTH_BY_AGE if age <= top)
    draw = rng.random()
    health = "poor" if draw < poor else "fair" if draw < poor + fair else "good"
    teams = _pick(rng, TEAM_MIX)
    retired = age >= 58 if rng.random() < 0.9 else age < 58
    table = PEAK_AVAILABILITY if "civility" in teams and rng.random() < 0.2 else (
        RETIREE_AVAILABILITY if retired else EMPLOYED_AVAILABILITY)
    availability = _pick(rng, table)
    skills = [s for s, young, old in SKILLS if rng.random() < (young if age < 60 else old)]
    roles = [r for r, share in ROLES if rng.random() < share]
    cap_draw = rng.random()
    cap = (1 if cap_draw < 0.04 else 2 if cap_draw < 0.14 else 3) if age >= 70 else (
        1 if cap_draw < 0.01 else 2 if cap_draw < 0.04 else 3)
    person = Person(id=vid, community=community, female=female, age=age, health=health, teams=teams,
                    availability=availability, cap=cap, active=rng.random() >= 0.017,
                    tags=frozenset(skills) | frozenset(roles))
    unavailable = _unavailable(person, week, rng)
    prefers, avoids = _wishes(teams, rng)
    sep = rng.choice("；、")
    person.row = {
        "编号": vid, "姓名": _name(female, age, rng), "性别": "女" if female else "男", "出生日期": text,
        "健康状况": {"good": "良好", "fair": "一般", "poor": "较差"}[health],
        "队伍": sep.join(f"{prefix}-{t}" if prefix else t for t in teams), "特长": sep.join(skills),
        "身份": sep.join(roles), "可服务时间": availability, "不可服务日期": unavailable,
        "每周最多班次": "" if cap == 3 else str(cap), "意向": prefers, "不愿意": avoids, "结伴": "",
        "联系电话": f"{rng.choice(PHONE_PREFIXES)}0000{rng.randrange(10000):04d}", "在册": "是" if person.active else "否",
    }
    return person


def _name(female: bool, age: int, rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN[female, age >= 55])


def _birth(age: int, monday: dt.date, rng: random.Random) -> tuple[dt.date, str]:
    """A birth date giving `age` on `monday`, and how a register would write it (a month alone is its 1st)."""
    anniversary = dt.date(monday.year - age, monday.month, min(monday.day, 28))
    born = anniversary - dt.timedelta(days=rng.randrange(365))
    style = _pick(rng, BIRTH_FORMATS)
    if style in ("%Y.%m", "month"):
        text = born.strftime("%Y.%m") if style == "%Y.%m" else f"{born.year}年{born.month}月"
        return born.replace(day=1), text
    return born, f"{born.year}/{born.month}/{born.day}" if style == "slash" else born.strftime(style)


def _unavailable(person: Person, week: PlanningWeek, rng: random.Random) -> str:
    """Blocked dates for about one person in twenty; never every day the person could serve this week."""
    if rng.random() >= 0.05:
        return ""
    free_days = {day for day in range(7) if _day_mask(person.availability)[day].any()}
    first = rng.randrange(7)
    length = rng.choice((1, 1, 2, 3, 4))
    inside = set(range(first, min(7, first + length)))
    if not free_days - inside or rng.random() < 0.2:  # a trip in a later week
        start = week.monday + dt.timedelta(days=7 * rng.randint(2, 4) + first)
        return f"{start.isoformat()}..{(start + dt.timedelta(days=length + 2)).isoformat()}"
    person.blocked = frozenset(inside)
    start = week.monday + dt.timedelta(days=first)
    last = start + dt.timedelta(days=len(inside) - 1)
    text = start.isoformat() if last == start else f"{start.isoformat()}..{last.isoformat()}"
    if rng.random() < 0.3:
        text += "；" + (start + dt.timedelta(days=14)).isoformat()
    return text


def _wishes(teams: tuple[str, ...], rng: random.Random) -> tuple[str, str]:
    team = rng.choice(teams)
    prefers, avoids = WISHES[team]
    return (_pick(rng, prefers) if rng.random() < 0.095 else "", _pick(rng, avoids) if rng.random() < 0.078 else "")


def _pair_partners(people: list[Person], rng: random.Random) -> None:
    """About one person in thirty names a partner of the same compound and team, and is named back."""
    free = [p for p in people if p.active]
    for _ in range(round(len(people) * 4 / 232)):
        if len(free) < 2:
            return
        first = free.pop(rng.randrange(len(free)))
        mates = [p for p in free if set(p.teams) & set(first.teams)]
        if not mates:
            continue
        second = rng.choice(mates)
        free.remove(second)
        first.row["结伴"], second.row["结伴"] = second.id, first.id


def _register_csv(people: list[Person]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(list(people[0].row))
    writer.writerows(list(person.row.values()) for person in people)
    return buffer.getvalue()


# ----------------------------------------------------------------------------- supply and posts

@lru_cache(maxsize=1024)
def _day_mask(availability: str) -> np.ndarray:
    """[7 days, slots]: which duty slots the availability text covers on each weekday (read-only, cached)."""
    windows = parse_availability(availability)
    mask = np.ones((7, len(SLOTS)), dtype=bool)
    if windows is not None:
        for s, (_, start, end) in enumerate(SLOTS.values()):
            for day in range(7):
                mask[day, s] = any(w.covers(day, start, end) for w in windows)
    mask.flags.writeable = False
    return mask


def _pool_flags(person: Person) -> list[bool]:
    good, fair = person.health == "good", person.health != "poor"
    return [good and person.age <= 70, fair and person.age <= 75, fair, True]


def _supply(people: list[Person], communities: int) -> tuple[np.ndarray, float]:
    """Per community: [pools + tags, 7 days, slots] of offered shifts, each offer spread evenly over its cells."""
    team_slots = {team: np.array([SLOTS[s][0] == team for s in SLOT_NAMES]) for team in ("civility", "service")}
    layers = POOLS + ("female", "english", "reading", "first_aid")
    supply = np.zeros((communities, len(layers), 7, len(SLOTS)))
    total = 0.0
    for person in people:
        if not person.active:
            continue
        cells = _day_mask(person.availability) & np.any([team_slots[t] for t in person.teams], axis=0)
        if person.blocked:
            cells[sorted(person.blocked)] = False
        per_day = cells.sum(axis=1)
        days = int((per_day > 0).sum())
        if not days:
            continue
        offer = min(person.cap, days)
        total += offer
        share = np.where(cells, offer / days / np.maximum(per_day, 1)[:, None], 0.0)
        flags = _pool_flags(person) + [person.female] + [tag in person.tags for tag in layers[5:]]
        for layer, flag in enumerate(flags):
            if flag:
                supply[person.community, layer] += share
    return supply, total


def _community_posts(community: int, supply: np.ndarray, communities: int) -> list[dict]:
    """The posts of one compound, sized to DEMAND_SHARE of its supply in every day and slot."""
    shares = (supply[POOLS.index("all")] * DEMAND_SHARE).ravel()
    targets = np.array(_apportion(list(shares), round(shares.sum()))).reshape(7, len(SLOTS))
    posts = []
    for s, slot in enumerate(SLOT_NAMES):
        budgets = {pool: supply[POOLS.index(pool), :, s] * LIMITED_SHARE for pool in POOLS[:-1]}
        posts += _slot_posts(slot, targets[:, s].copy(), budgets, supply[:, :, s])
    for post in posts:
        post["community"] = community
    return posts


def _slot_posts(slot: str, left: np.ndarray, budgets: dict[str, np.ndarray], supply: np.ndarray) -> list[dict]:
    """Posts of one slot, in catalogue order and then again as second, third … crews, until the seats are placed."""
    posts = []
    catalogue = [p for p in POST_TYPES if p.slot == slot]
    for crew in range(1, 100):
        placed = False
        for kind in catalogue:
            if crew > 1 and kind.once:
                continue
            days = [d for d in sorted(kind.days) if _fits(kind, d, left, budgets, supply)]
            if not days:
                continue
            placed = True
            for d in days:
                left[d] -= kind.need
                for pool in POOLS[POOLS.index(kind.pool):-1]:
                    budgets[pool][d] -= kind.need
            posts.append({"type": kind, "crew": crew, "days": days, "need": kind.need})
        if not placed or not left.any():
            break
    return posts


def _fits(kind: PostType, day: int, left: np.ndarray, budgets: dict[str, np.ndarray], supply: np.ndarray) -> bool:
    if left[day] < kind.need:
        return False
    if any(budgets[pool][day] < kind.need for pool in POOLS[POOLS.index(kind.pool):-1]):
        return False
    layers = POOLS + ("female", "english", "reading", "first_aid")
    return all(supply[layers.index(tag), day] >= 2 * count for tag, count in kind.require)


# ----------------------------------------------------------------------------- files

def _shifts_yaml(posts: list[list[dict]], communities: list[tuple[str, str, int]], week: PlanningWeek,
                 volunteers: int, seed: int) -> str:
    lines = [
        f"# 合成数据：{volunteers} 名志愿者，{len(communities)} 个小区，种子 {seed}，计划周 {week.label}"
        "（roster generate 生成，内容虚构）",
        f"# Synthetic data: {volunteers} volunteers, {len(communities)} compound(s), seed {seed}, planned week "
        f"{week.label} (written by roster generate; invented).",
        "# Posts and activities are sized so that the seats are about 90% of what the volunteers offer.",
        "", "shifts:",
    ]
    for (name, prefix, _), community_posts in zip(communities, posts):
        for team, label in (("civility", "创全志愿者"), ("service", "志愿服务队")):
            mine = [p for p in community_posts if SLOTS[p["type"].slot][0] == team]
            if not mine:
                continue
            lines += ["", f"  # ===== {name or '本小区'} {label}（{f'{prefix}-{team}' if prefix else team}） ====="]
            for post in mine:
                lines += _post_yaml(post, name, prefix, team, week)
    return "\n".join(lines) + "\n"


def _post_yaml(post: dict, community: str, prefix: str, team: str, week: PlanningWeek) -> list[str]:
    kind: PostType = post["type"]
    crew = post["crew"]
    start, end = kind.times or SLOTS[kind.slot][1:]
    key = f"{prefix}-{kind.key}" if prefix else kind.key
    lines = [
        f"  - id: {key}{f'-{crew}' if crew > 1 else ''}",
        f"    name: {community}{kind.name}{f'·{cn_number(crew)}组' if crew > 1 else ''}",
        f"    kind: {kind.kind}",
        f"    post: {f'{prefix}-{kind.post}' if prefix else kind.post}",
        f"    teams: [{f'{prefix}-{team}' if prefix else team}]",
    ]
    if kind.dated:
        saturday = week.monday + dt.timedelta(days=5)
        later = [_first_saturday(saturday.year + (saturday.month + k - 1) // 12, (saturday.month + k - 1) % 12 + 1)
                 for k in (1, 2, 3)]
        lines.append(f"    dates: [{', '.join(d.isoformat() for d in [saturday] + later)}]")
    else:
        lines.append(f"    days: [{', '.join(WEEKDAYS[d] for d in post['days'])}]")
    lines += [f'    start: "{clock(start)}"', f'    end: "{clock(end)}"',
              f"    need: {kind.need}", f"    max: {kind.need + kind.extra}"]
    lines += [f"    {key_}: {value}" for key_, value in POOL_LIMITS[kind.pool].items()]
    if kind.min_female:
        lines.append(f"    min_female: {kind.min_female}")
    if kind.require:
        lines.append("    require: {" + ", ".join(f"{tag}: {count}" for tag, count in kind.require) + "}")
    return lines


def _first_saturday(year: int, month: int) -> dt.date:
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(5 - first.weekday()) % 7)


RULES_HEADER = "# 排班规则（roster generate 生成，与示例相同）Scheduling rules (written by roster generate, as in the sample)"
RULES_LIMITS = ("language", "max_shifts_per_week", "max_shifts_per_day", "min_rest_hours", "max_consecutive_days",
                "history_weeks")


def _rules_yaml() -> str:
    """The rules file of a generated folder: the models' own defaults, limits then every goal's weight."""
    defaults = Rules()
    limits = {key: getattr(defaults, key) for key in RULES_LIMITS}
    lines = [RULES_HEADER, *(f"{key}: {value if isinstance(value, str) else format(value, 'g')}"
                             for key, value in limits.items()), "weights:"]
    lines += [f"  {goal}: {weight}" for goal, weight in defaults.weights.model_dump().items()]
    return "\n".join(lines) + "\n"


RULES_YAML = _rules_yaml()
