"""A finished weekly roster: the record written as `roster.json` and read back by `check` and history.

Field names follow the spec's `roster.json` (section 6). Nothing here depends on the solver.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from scheduler.domain.clock import clock
from scheduler.domain.models import Problem, Shift, Volunteer

ASSIGNMENT_COLUMNS = [
    "shift", "shift_id", "date", "start", "end", "name", "kind", "post", "volunteer", "volunteer_name", "attendance",
]


class Record(BaseModel):
    # Unknown keys are kept out but tolerated: hand-edited rosters may carry extra columns.
    model_config = ConfigDict(frozen=True, extra="ignore")


class Assignment(Record):
    """One volunteer on one shift."""

    shift: str = Field(description="`<definition id>@<date>`")
    shift_id: str = ""
    date: str = ""
    start: str = ""
    end: str = ""
    name: str = ""
    kind: str = ""
    post: str = ""
    volunteer: str
    volunteer_name: str = ""
    attendance: Literal["", "served", "absent"] = Field(
        "", description="filled in after the day: only hours actually served count in the ledger")

    @classmethod
    def of(cls, shift: Shift, volunteer: Volunteer) -> Assignment:
        return cls(
            shift=shift.id, shift_id=shift.definition_id, date=shift.date.isoformat(),
            start=clock(shift.definition.start), end=clock(shift.definition.end), name=shift.name,
            kind=shift.kind, post=shift.post, volunteer=volunteer.id, volunteer_name=volunteer.name,
        )


class ReasonCode(Record):
    """Why one missing item of a short shift stays missing, as a code and its figures: `too_few` (the
    funnel of eligibility tests) or `competition` (the hard rules holding the people who could take it).

    `scheduler.render.reasons` words it in either language; the params carry names, shift names
    and dates, so that needs nothing but the record.
    """

    code: str
    params: dict[str, Any] = Field(default_factory=dict)


class Unfilled(Record):
    """A shift the roster leaves short, with what is missing and why."""

    shift: str
    name: str = ""
    date: str = ""
    start: str = ""
    end: str = ""
    need: int
    assigned: int
    missing: int = Field(description="seats still empty")
    unmet: dict[str, int] = Field(default_factory=dict, description="composition still missing: female, male, tags")
    reasons: list[str] = Field(default_factory=list, description="the reasons in words, in the roster's language")
    reason_codes: list[ReasonCode] = Field(
        default_factory=list, description="the same reasons as codes, one per missing item, to word again in any language")


class VolunteerLoad(Record):
    volunteer: str
    name: str
    shifts: int
    hours: float
    offered: int = Field(0, description="the most shifts this person could serve this week (fairness's offer)")
    objective: dict[str, int] = Field(default_factory=dict, description="weighted soft-goal points of this person")


class SolverReport(Record):
    status: str
    objective: int | None = None
    best_bound: int | None = None
    gap: float | None = None
    wall_seconds: float = 0.0
    build_seconds: float = 0.0
    seed: int = 0
    workers: int = 8
    deterministic: bool = True
    time_limit: float | None = None
    interrupted: bool = False
    ortools: str = ""
    tool: str = Field("", description="volunteer-roster's version")
    variables: int = 0
    settings: dict[str, object] = Field(default_factory=dict, description="every CP-SAT setting that shapes the roster")
    parts: int = Field(1, description="independent groups of volunteers and shifts, searched one by one")
    parts_optimal: int = Field(1, description="how many of them were proven optimal")


class Replan(Record):
    """How a re-plan of the same week relates to the roster it replaced."""

    baseline_generated_at: str = ""
    kept: int = 0
    dropped: int = 0
    added: int = 0
    frozen_until: str | None = None
    locks: int = 0
    history_weeks: list[str] = Field(default_factory=list)


class Period(Record):
    start: str
    end: str


class Roster(Record):
    """The complete record of one planned week."""

    week: str
    period: Period
    status: Literal["complete", "partial"]
    language: Literal["zh", "en"] = "zh"
    generated_at: str = ""
    solver: SolverReport | None = None
    inputs: dict[str, str] = Field(default_factory=dict)
    assignments: list[Assignment] = Field(default_factory=list)
    unfilled: list[Unfilled] = Field(default_factory=list)
    volunteers: list[VolunteerLoad] = Field(default_factory=list)
    objective: dict[str, int] = Field(default_factory=dict)
    replan: Replan | None = Field(None, description="set when an earlier roster of the week was the baseline")
    history: list[str] = Field(default_factory=list, description="the earlier weeks taken into account")

    @property
    def seats_missing(self) -> int:
        return sum(u.missing for u in self.unfilled)

    def assignments_frame(self) -> pd.DataFrame:
        """The assignments as a DataFrame, one row each, columns as in `assignments.csv`."""
        return pd.DataFrame([a.model_dump() for a in self.assignments], columns=ASSIGNMENT_COLUMNS)

    def pairs(self) -> list[tuple[str, str]]:
        """(volunteer id, shift id) of every assignment."""
        return [(a.volunteer, a.shift) for a in self.assignments]


def period_of(problem: Problem) -> Period:
    return Period(start=problem.week.monday.isoformat(), end=problem.week.sunday.isoformat())


def now_stamp() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")
