"""A community's weeks: `roster validate`, the planned weeks, and each week's roster files."""

from __future__ import annotations

import dataclasses
import json

from fastapi import APIRouter, Depends
from fastapi.responses import FileResponse
from sqlalchemy import func, select

import scheduler.api as api
from scheduler.domain.errors import InputError
from scheduler.loading.folder import planned_weeks, week_folder, week_roster_file
from scheduler.service.auth import AccessError
from scheduler.service.db import Run
from scheduler.service.deps import Place, reader, week_label
from scheduler.service.files import WEEK_FILES, media_type, relative
from scheduler.service.schemas import Detail, LatestRun, ValidationOut, WeekOut, findings

router = APIRouter(tags=["weeks"])


@router.post("/communities/{cid}/weeks/{week}/validate", response_model=ValidationOut)
def validate(week: str, place: Place = Depends(reader)):
    """`roster validate`: every problem of the inputs at once, the warnings, and the week's figures."""
    try:
        problem = api.load(place.folder, week=week_label(week))
    except InputError as exc:
        shown = [relative(f, place.folder) for f in exc.findings]
        return ValidationOut(ok=False, errors=findings(shown), warnings=findings(
            [relative(f, place.folder) for f in exc.warnings]), summary=None)
    report = api.validate(problem)
    summary = dataclasses.asdict(dataclasses.replace(report.overview, supply=None))
    summary = json.loads(json.dumps(summary, default=str))
    return ValidationOut(ok=True, errors=[], warnings=findings([relative(f, place.folder) for f in report.warnings]),
                         summary={"week": problem.week.label, "monday": problem.week.monday.isoformat(),
                                  "sunday": problem.week.sunday.isoformat(), **summary})


@router.get("/communities/{cid}/weeks", response_model=list[WeekOut])
def list_weeks(place: Place = Depends(reader)):
    """Every week with a roster or a run: the current roster's status and the latest run."""
    statuses = {week: _roster_status(week_roster_file(place.folder, week)) for week in planned_weeks(place.folder)}
    with place.state.db.session() as session:
        latest = session.execute(select(Run.week, func.max(Run.id)).where(Run.community == place.community)
                                 .group_by(Run.week)).all()
        runs = {week: session.get(Run, run_id) for week, run_id in latest}
        return [WeekOut(week=week, status=statuses.get(week),
                        latest_run=LatestRun(id=runs[week].id, status=runs[week].status) if week in runs else None)
                for week in sorted(set(statuses) | set(runs))]


def _roster_status(path) -> str | None:
    try:
        return json.loads(path.read_text(encoding="utf-8")).get("status")
    except (OSError, ValueError):
        return None


@router.get("/communities/{cid}/weeks/{week}/{name}", response_class=FileResponse,
            responses={200: {"content": {"application/octet-stream": {}}}, 404: {"model": Detail}})
def week_file(week: str, name: str, place: Place = Depends(reader)):
    """The week's current roster files (roster.json, assignments.csv, duty_table.csv, roster.xlsx, changes.csv),
    byte for byte what the command line writes."""
    if name not in WEEK_FILES:
        raise AccessError(404, f"no roster file {name!r}: the files are {', '.join(WEEK_FILES)}")
    path = week_folder(place.folder, week_label(week)) / name
    if not path.is_file():
        raise AccessError(404, f"{week} has no {name}: plan the week first")
    return FileResponse(path, media_type=media_type(name), filename=name)
