"""The domain: volunteers, shift definitions and their weekly occurrences, rules, the planned week.

Pure pydantic models, frozen and described; nothing here reads files, knows pandas or OR-Tools.
Times of day are minutes after midnight (0..1440) so that windows and shifts compare cheaply.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from enum import StrEnum
from functools import cached_property
from typing import Annotated, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, model_validator

from scheduler.domain.clock import clock
from scheduler.domain.errors import Finding
from scheduler.domain.ids import shift_id, split_shift_id

VolunteerId = str
"""A volunteer's id exactly as written in the register (`007` stays `007`)."""
ShiftId = str
"""One occurrence of a shift in the planned week: `<definition id>@<ISO date>`."""
DefinitionId = str
"""The id of a shift definition in the shifts file."""
Tag = str
"""A skill or role carried by a volunteer and counted by a shift's `require`."""
Minutes = Annotated[int, Field(ge=0, le=24 * 60)]

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
DAY = dt.timedelta(days=1)


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Gender(StrEnum):
    FEMALE = "F"
    MALE = "M"


class Health(StrEnum):
    """A fitness level set by the coordinator; never a diagnosis."""

    GOOD = "good"
    FAIR = "fair"
    POOR = "poor"

    @property
    def rank(self) -> int:
        return {"poor": 0, "fair": 1, "good": 2}[self.value]

    def at_least(self, other: Health) -> bool:
        return self.rank >= other.rank


class Window(Frozen):
    """A weekly availability window: these weekdays, from `start` to `end` (minutes)."""

    days: frozenset[int] = Field(description="weekday numbers, 0 = Monday")
    start: Minutes = Field(description="minutes after midnight")
    end: Minutes = Field(description="minutes after midnight, 1440 = end of day")

    def covers(self, weekday: int, start: int, end: int) -> bool:
        return weekday in self.days and self.start <= start and end <= self.end

    def __str__(self) -> str:
        days = ",".join(WEEKDAYS[d] for d in sorted(self.days))
        return f"{days} {clock(self.start)}-{clock(self.end)}"


class DateRange(Frozen):
    """Dates from `first` to `last`, both included."""

    first: dt.date
    last: dt.date

    def contains(self, day: dt.date) -> bool:
        return self.first <= day <= self.last


class Volunteer(Frozen):
    """One row of the register."""

    id: VolunteerId = Field(description="unique id as written in the register")
    name: str
    gender: Gender
    birth_date: dt.date | None = Field(None, description="a month alone means its 1st")
    age: int | None = Field(None, ge=0, description="age on the planned week's Monday, used only without birth_date")
    health: Health = Health.GOOD
    teams: frozenset[str] = frozenset()
    skills: frozenset[Tag] = frozenset()
    roles: frozenset[Tag] = frozenset()
    availability: tuple[Window, ...] | None = Field(None, description="None means any time")
    unavailable: tuple[DateRange, ...] = ()
    max_shifts_per_week: int | None = Field(None, ge=0, description="overrides the rules' default")
    prefers: frozenset[str] = Field(frozenset(), description="shift kinds or definition ids")
    avoids: frozenset[str] = Field(frozenset(), description="shift kinds or definition ids")
    partner: VolunteerId | None = None
    phone: str | None = Field(None, description="never written unmasked")
    active: bool = True
    building: str = Field("", description="the building (楼号) the person lives in: tells people of the same name apart")
    row: int | None = Field(None, description="row in the register as a spreadsheet shows it")

    @property
    def tags(self) -> frozenset[Tag]:
        return self.skills | self.roles

    def age_on(self, day: dt.date) -> int | None:
        if self.birth_date is None:
            return self.age
        born = self.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    def is_blocked(self, day: dt.date) -> bool:
        return any(blocked.contains(day) for blocked in self.unavailable)

    def is_blocked_during(self, start: dt.datetime, end: dt.datetime) -> bool:
        """Any day touched by [start, end) is a blocked date (a shift ending at midnight touches one day)."""
        return any(self.is_blocked(day) for day, _, _ in day_pieces(start, end))

    def is_available(self, start: dt.datetime, end: dt.datetime) -> bool:
        """The whole of [start, end) lies inside one weekly window on each day it touches."""
        if self.availability is None:
            return True
        return all(
            any(w.covers(day.weekday(), lo, hi) for w in self.availability)
            for day, lo, hi in day_pieces(start, end)
        )

    def is_free(self, start: dt.datetime, end: dt.datetime) -> bool:
        return not self.is_blocked_during(start, end) and self.is_available(start, end)

    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    def matches(self, wishes: frozenset[str], shift: Shift) -> bool:
        return shift.kind in wishes or shift.definition_id in wishes


def mask_phone(phone: str | None) -> str:
    """`13912345678` -> `139****5678`; anything short is hidden completely."""
    if not phone:
        return ""
    digits = "".join(ch for ch in phone if ch.isdigit())
    if len(digits) < 7:
        return "****"
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def day_pieces(start: dt.datetime, end: dt.datetime) -> list[tuple[dt.date, int, int]]:
    """Split [start, end) at midnights into (date, start minute, end minute) pieces."""
    pieces: list[tuple[dt.date, int, int]] = []
    day = start.date()
    lo = start.hour * 60 + start.minute
    while True:
        midnight = dt.datetime.combine(day + DAY, dt.time(0))
        if end <= midnight:
            if end > dt.datetime.combine(day, dt.time(0)) or not pieces:
                pieces.append((day, lo, int((end - dt.datetime.combine(day, dt.time(0))).total_seconds() // 60)))
            return pieces
        pieces.append((day, lo, 24 * 60))
        day, lo = day + DAY, 0


class Requirement(NamedTuple):
    """A composition minimum of a shift: at least `count` people for whom `counts(volunteer)` holds."""

    item: str  # "female", "male", or a skill/role tag
    count: int  # type: ignore[assignment]  # a field named like tuple.count, which it hides on purpose
    counts: Callable[[Volunteer], bool]


def counts_for(item: str) -> Callable[[Volunteer], bool]:
    """Who counts towards an item: women, men, or carriers of a tag ("seats": everyone)."""
    if item == "seats":
        return lambda volunteer: True
    if item in ("female", "male"):
        gender = Gender.FEMALE if item == "female" else Gender.MALE
        return lambda volunteer: volunteer.gender == gender
    return lambda volunteer: item in volunteer.tags


class ShiftDefinition(Frozen):
    """A post or activity from the shifts file, recurring on `days` and/or happening on `dates`."""

    id: DefinitionId
    name: str
    kind: str = Field("", description="free tag used by prefers/avoids, rotation and reports")
    post: str = Field("", description="where; rotation moves people between posts")
    teams: frozenset[str] = Field(frozenset(), description="empty: anyone may staff it")
    days: frozenset[int] = Field(frozenset(), description="weekday numbers, 0 = Monday")
    dates: tuple[dt.date, ...] = ()
    start: Minutes
    end: Minutes = Field(description="an end before start runs past midnight")
    need: int = Field(ge=0)
    max: int = Field(ge=0)
    min_age: int | None = Field(None, ge=0)
    max_age: int | None = Field(None, ge=0)
    min_health: Health | None = None
    min_female: int = Field(0, ge=0)
    min_male: int = Field(0, ge=0)
    require: dict[Tag, int] = Field(default_factory=dict)
    line: int | None = Field(None, description="line in the shifts file")

    @property
    def minutes(self) -> int:
        return (self.end - self.start) % (24 * 60)

    def requirements(self) -> list[Requirement]:
        """The composition minimums: women, men, then each required tag (the order reports use)."""
        wanted = [("female", self.min_female), ("male", self.min_male), *sorted(self.require.items())]
        return [Requirement(item, count, counts_for(item)) for item, count in wanted if count]


class Shift(Frozen):
    """One occurrence of a shift definition on one date of the planned week."""

    definition: ShiftDefinition
    date: dt.date

    @cached_property
    def id(self) -> ShiftId:
        return shift_id(self.definition.id, self.date)

    @cached_property
    def start(self) -> dt.datetime:
        return dt.datetime.combine(self.date, dt.time(0)) + dt.timedelta(minutes=self.definition.start)

    @cached_property
    def end(self) -> dt.datetime:
        return self.start + dt.timedelta(minutes=self.definition.minutes)

    @property
    def week_monday(self) -> dt.date:
        """Ages are counted on the Monday of the week the shift belongs to."""
        return self.date - dt.timedelta(days=self.date.weekday())

    @property
    def definition_id(self) -> DefinitionId:
        return self.definition.id

    @property
    def name(self) -> str:
        return self.definition.name

    @property
    def kind(self) -> str:
        return self.definition.kind

    @property
    def post(self) -> str:
        return self.definition.post

    @property
    def need(self) -> int:
        return self.definition.need

    @property
    def max(self) -> int:
        return self.definition.max

    @property
    def hours(self) -> float:
        return self.definition.minutes / 60

    @property
    def time_label(self) -> str:
        return f"{clock(self.definition.start)}-{clock(self.definition.end)}"

    @property
    def slot(self) -> tuple[str, int]:
        """Where and at what time of day: the unit of rotation (see PastShift.slot)."""
        return (self.post or self.definition_id, self.definition.start)

    def overlaps(self, other: Shift) -> bool:
        return self.start < other.end and other.start < self.end


class PastShift(Frozen):
    """A shift a volunteer held in an earlier week, as that week's roster records it."""

    week: str
    volunteer: VolunteerId
    shift: str = Field(description="`<definition id>@<date>`; the definition may no longer exist")
    post: str = ""
    kind: str = ""
    start: dt.datetime
    end: dt.datetime
    served: bool = Field(True, description="False when the roster marks the person absent")

    @property
    def slot(self) -> tuple[str, int]:
        """Where and at what time of day: the unit of rotation."""
        return (self.post or split_shift_id(self.shift)[0], self.start.hour * 60 + self.start.minute)


class History(Frozen):
    """The rosters of the weeks before the planned one.

    `left_out`: (week, volunteer) for each person that week's roster records as having offered
    shifts and been given none (participation looks back on it).
    """

    weeks: tuple[str, ...] = ()
    shifts: tuple[PastShift, ...] = ()
    left_out: tuple[tuple[str, str], ...] = ()


MAX_WEIGHT = 1000  # a goal 1000 times another's is already absolute; more only overflows the solver


class Weights(Frozen):
    """Relative weights of the soft goals; coverage dominates them all."""

    shortage_spread: int = Field(10, ge=0, le=MAX_WEIGHT,
                                 description="seats that must stay empty spread over shifts and days, no post left empty")
    participation: int = Field(10, ge=0, le=MAX_WEIGHT,
                               description="everybody who offered gets a turn, those left out last week first")
    fairness: int = Field(10, ge=0, le=MAX_WEIGHT, description="load spread in proportion to what each person offered")
    preference: int = Field(3, ge=0, le=MAX_WEIGHT, description="prefers / avoids")
    rotation: int = Field(2, ge=0, le=MAX_WEIGHT, description="moving people between posts and times over the weeks")
    partner: int = Field(2, ge=0, le=MAX_WEIGHT, description="partners serving together")
    stability: int = Field(50, ge=0, le=MAX_WEIGHT, description="keeping an earlier roster of the same week")


class Rules(Frozen):
    """Limits and weights from the rules file; the defaults apply without one.

    The upper bounds are far beyond any real week; they keep typos (`1e300`, `.inf`) from
    reaching the solver, whose numbers must fit in 64 bits.
    """

    max_shifts_per_week: int = Field(3, ge=0, le=50, description="default per person; the register may override it")
    max_shifts_per_day: int = Field(1, ge=0, le=10)
    min_rest_hours: float = Field(10, ge=0, le=168, allow_inf_nan=False,
                                  description="between the end of a shift and the start of the next")
    max_consecutive_days: int = Field(4, ge=1, le=31)
    history_weeks: int = Field(4, ge=0, le=52, description="earlier weeks that fairness and rotation look back on")
    language: str = Field("zh", pattern="^(zh|en)$", description="language of duty tables and summaries")
    time_limit: float = Field(30.0, ge=0.1, le=3600, allow_inf_nan=False,
                              description="seconds a whole planning run may take when the command (--time-limit) "
                              "or the service's run does not say")
    hours_round_to: float = Field(0.0, ge=0, le=24, allow_inf_nan=False,
                                  description="service hours of each assignment are rounded to a "
                                  "multiple of this many hours (0.5 = half hours); 0 = no rounding")
    hours_rounding: Literal["nearest", "down", "up"] = Field(
        "nearest", description="how `hours_round_to` rounds: to the nearest multiple (halves up), down or up")
    weights: Weights = Weights()
    # What the printed duty table and the notices say (see `scheduler.io.printing`, `scheduler.weekly.notices`).
    committee: str = Field("", max_length=60, description="the committee's name in titles, e.g. 延吉七村居民区")
    duty_table_title: str = Field("", max_length=60, description="the printed table's title after the committee's "
                                  "name, e.g. 创全志愿者值勤表; empty: 志愿者值勤表")
    contact: str = Field("", max_length=120, description="the contact line in the printed table's footer")
    duty_table_per_team: bool = Field(False, description="one printed table (sheet and page) per team")
    notice_address: Literal["auto", "name"] = Field(
        "auto", description="how notices address people: auto = 阿姨/叔叔 from age and gender, name = the name alone")
    notice_template: str = Field("", max_length=500, description="a volunteer's notice; empty: the built-in text")
    notice_changed_template: str = Field("", max_length=500,
                                         description="the notice after a re-plan changed someone's shifts")

    def weekly_cap(self, volunteer: Volunteer) -> int:
        if volunteer.max_shifts_per_week is not None:
            return volunteer.max_shifts_per_week
        return self.max_shifts_per_week


class PlanningWeek(Frozen):
    """An ISO week, Monday to Sunday."""

    year: int
    week: int = Field(ge=1, le=53)

    @model_validator(mode="after")
    def _exists(self) -> PlanningWeek:
        dt.date.fromisocalendar(self.year, self.week, 1)  # raises ValueError for week 53 of a short year
        return self

    @classmethod
    def parse(cls, text: str) -> PlanningWeek:
        """`2026-W49` (also `2026W49`, `2026-w49`)."""
        cleaned = text.strip().upper().replace("W", "-W").replace("--", "-")
        year, _, week = cleaned.partition("-W")
        return cls(year=int(year), week=int(week))

    @classmethod
    def containing(cls, day: dt.date) -> PlanningWeek:
        year, week, _ = day.isocalendar()
        return cls(year=year, week=week)

    @classmethod
    def after(cls, day: dt.date) -> PlanningWeek:
        """The week after the one containing `day`: the default planned week."""
        return cls.containing(day + dt.timedelta(days=7))

    @property
    def monday(self) -> dt.date:
        return dt.date.fromisocalendar(self.year, self.week, 1)

    @property
    def sunday(self) -> dt.date:
        return self.monday + 6 * DAY

    @property
    def dates(self) -> list[dt.date]:
        return [self.monday + i * DAY for i in range(7)]

    @property
    def label(self) -> str:
        return f"{self.year}-W{self.week:02d}"

    def __str__(self) -> str:
        return self.label


class Source(Frozen):
    """Where an input came from, for messages and for the inputs' hashes in roster.json."""

    path: str
    sha256: str = ""


class Problem(Frozen):
    """Everything one weekly plan needs."""

    week: PlanningWeek
    volunteers: tuple[Volunteer, ...]
    definitions: tuple[ShiftDefinition, ...]
    shifts: tuple[Shift, ...] = Field(description="the definitions' occurrences in the week, in time order")
    rules: Rules = Rules()
    sources: dict[str, Source] = Field(default_factory=dict, description="volunteers/shifts/rules files")
    notes: tuple[Finding, ...] = Field(default=(), description="what loading noticed and did: rows skipped as "
                                       "no volunteers, the sheet read, columns ignored (warnings)")

    @cached_property
    def volunteer(self) -> dict[VolunteerId, Volunteer]:
        return {v.id: v for v in self.volunteers}

    @cached_property
    def shift(self) -> dict[ShiftId, Shift]:
        return {s.id: s for s in self.shifts}

    @property
    def active_volunteers(self) -> list[Volunteer]:
        return [v for v in self.volunteers if v.active]


def expand(definitions: tuple[ShiftDefinition, ...] | list[ShiftDefinition], week: PlanningWeek) -> tuple[Shift, ...]:
    """Occurrences of each definition in the week: on its weekdays and on its dates inside the week."""
    shifts = []
    for definition in definitions:
        for day in week.dates:
            if day.weekday() in definition.days or day in definition.dates:
                shifts.append(Shift(definition=definition, date=day))
    return tuple(sorted(shifts, key=lambda s: (s.start, s.end, s.id)))
