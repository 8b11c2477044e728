"""Request and response bodies of the API (pydantic v2), apart from the storage models in `db.py`."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from scheduler.domain.errors import Finding

YAML_SUFFIXES = (".yaml", ".yml")


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FindingOut(BaseModel):
    """The command line's error record: where (file, row or line, column, value), what, and how to fix it."""

    file: str
    row: int | None = None
    line: int | None = Field(None, description="the line of a YAML file (then `row` is null)")
    column: str | None = None
    value: object = Field(None, description="as messages quote it: cut to 40 characters, long numbers masked")
    message: str
    fix: str = ""

    @classmethod
    def of(cls, finding: Finding) -> FindingOut:
        yaml = str(finding.file).lower().endswith(YAML_SUFFIXES)
        value = finding.shown_value()
        if not isinstance(value, (str, int, float, bool, type(None))):
            value = str(value)
        return cls(file=str(finding.file), row=None if yaml else finding.row, line=finding.row if yaml else None,
                   column=finding.column, value=value, message=finding.message, fix=finding.fix)


def findings(found: list[Finding]) -> list[FindingOut]:
    return [FindingOut.of(f) for f in found]


class Detail(BaseModel):
    detail: str


class Errors(BaseModel):
    errors: list[FindingOut]


class CommunityIn(Body):
    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$", examples=["yanji7"])
    name: str = Field("", max_length=200, examples=["延吉七村"])


class CommunityOut(BaseModel):
    id: str
    name: str
    created_at: str


class AuditOut(BaseModel):
    at: str
    token_name: str
    action: str
    detail: dict


class FileStored(BaseModel):
    file: str
    sha256: str
    warnings: list[FindingOut] = Field(default_factory=list)


class ValidationOut(BaseModel):
    ok: bool
    errors: list[FindingOut]
    warnings: list[FindingOut]
    summary: dict | None = Field(None, description="the figures `roster validate` prints, when the inputs load")


class RunOptions(Body):
    """What `roster solve` is told: the time budget of the whole run, the seed, a fresh plan, frozen days, language."""

    time_limit: float | None = Field(None, gt=0, le=3600, description="seconds for the whole run; "
                                     "default: the rules file's time_limit (30 without one)")
    seed: int = 0
    fresh: bool = False
    freeze_until: dt.date | None = None
    lang: Literal["zh", "en"] | None = None


class RunProgress(BaseModel):
    elapsed: float
    missing: int
    objective: int
    bound: int


class UnfilledOut(BaseModel):
    shift: str
    name: str = ""
    date: str = ""
    need: int
    assigned: int
    missing: int


class RunResult(BaseModel):
    status: Literal["complete", "partial"]
    seats_filled: int
    seats_needed: int
    unfilled: list[UnfilledOut]
    interrupted: bool = False


class RunOut(BaseModel):
    id: int
    community: str
    week: str
    status: Literal["queued", "running", "completed", "stopped", "failed"]
    created_at: str
    started_at: str | None
    finished_at: str | None
    options: dict
    progress: RunProgress | None
    result: RunResult | None
    error: list[FindingOut] | str | None


class LatestRun(BaseModel):
    id: int
    status: str


class WeekOut(BaseModel):
    week: str
    status: Literal["complete", "partial"] | None = Field(description="the current roster's, null when none is written")
    latest_run: LatestRun | None


class Person(BaseModel):
    volunteer: str
    name: str


class ExplainOut(BaseModel):
    kind: Literal["volunteer", "shift", "objective"]
    subject: str | None
    shifts: list[str] = Field(default_factory=list, description="a volunteer's shifts, or the people on a shift")
    candidates: list[Person] = Field(default_factory=list, description="of a shift: who else could take it, best first")
    text: str
    lang: str


class CoverIn(Body):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    shift: str = Field(examples=["east-gate-am@2026-11-30"])
    without: str | None = Field(None, examples=["V007"], description="who cannot come")
    with_: str | None = Field(None, alias="with", description="one stand-in to place instead of ranking everyone")
    apply: int | None = Field(None, ge=1, description="put the N-th replacement on the shift and rewrite the roster")
    lang: Literal["zh", "en"] | None = None


class CandidateOut(BaseModel):
    rank: int
    volunteer: str
    name: str
    points: int = Field(description="change of the weighted soft-goal points")
    goals: dict[str, int]


class CoverOut(BaseModel):
    shift: str
    without: str | None
    candidates: list[CandidateOut]
    text: str
    applied: CandidateOut | None = None
    written: list[str] = Field(default_factory=list)


class ViolationOut(BaseModel):
    rule: str
    message: str = Field(description="what is broken, in the asked language (`lang`)")
    volunteer: str | None = None
    shift: str | None = None
    where: str = Field("", description="where in the file the assignment that breaks it is")
    code: str = Field("", description="what is broken, as the rule's code (`too_many`, `not_free` …)")
    params: dict[str, Any] = Field(default_factory=dict, description="the figures of the code: counts, limits, names")


class CheckOut(BaseModel):
    ok: bool
    assignments: int
    violations: list[ViolationOut]
    differences: list[str] = Field(default_factory=list,
                                   description="where a workbook's duty grid and its assignments sheet disagree")


class HoursOut(BaseModel):
    first: str | None
    last: str | None
    weeks: list[str]
    totals: list[dict]
    detail: list[dict]
    absent: int
    unmarked: int
    text: str
