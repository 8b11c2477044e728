"""What the command line says about a planned week: explain, cover (with apply), check, and the hours ledger."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

import scheduler.api as api
from scheduler.errors import Finding, InputError
from scheduler.folder import folder_lock
from scheduler.ledger import detail_csv, ledger_text, totals_csv
from scheduler.service.auth import AccessError
from scheduler.service.deps import Place, read_body, reader, run_in_threadpool, week_label, writer
from scheduler.service.schemas import (CandidateOut, Person, CheckOut, CoverIn, CoverOut, Detail, Errors, ExplainOut,
                                       HoursOut, ViolationOut)

router = APIRouter(tags=["analysis"])
LOCK_WAIT_SECONDS = 30.0


def _week(place: Place, week: str):
    """The week's problem and its current roster; 404 when the week has not been planned."""
    label = week_label(week)
    if not (place.folder / "rosters" / label / "roster.json").is_file():
        raise AccessError(404, f"{label} has not been planned: post a run first")
    problem = api.load(place.folder, week=label)
    return problem, api.read_week_roster(place.folder, problem)


@router.get("/communities/{cid}/weeks/{week}/explain", response_model=ExplainOut,
            responses={404: {"model": Detail}, 422: {"model": Errors}})
def explain(week: str, volunteer: str | None = None, shift: str | None = None,
            lang: str | None = Query(None, pattern="^(zh|en)$"), place: Place = Depends(reader)):
    """`roster explain`: why a volunteer has these shifts (or none), who could take a shift, or (with neither)
    the objective per goal. `text` is what the command line prints."""
    problem, roster = _week(place, week)
    history = api.load_history(place.folder, problem)
    if volunteer:
        found = api.explain_volunteer(problem, roster, volunteer, history=history, lang=lang)
        return ExplainOut(kind="volunteer", subject=found.volunteer.id, shifts=[s.id for s, _ in found.held],
                          text=found.text(), lang=found.lang)
    if shift:
        found = api.explain_shift(problem, roster, shift, history=history, lang=lang)
        return ExplainOut(kind="shift", subject=found.shift.id, shifts=[c.volunteer.id for c in found.chosen],
                          candidates=[Person(volunteer=c.volunteer.id, name=c.volunteer.name) for c in found.candidates],
                          text=found.text(), lang=found.lang)
    found = api.explain_objective(problem, roster, lang=lang)
    return ExplainOut(kind="objective", subject=None, text=found.text(), lang=found.lang)


@router.post("/communities/{cid}/weeks/{week}/cover", response_model=CoverOut,
             responses={404: {"model": Detail}, 409: {"model": Detail}, 422: {"model": Errors}})
def cover(week: str, body: CoverIn, place: Place = Depends(writer)):
    """`roster cover`: ranked replacements for a drop-out; with `apply` the N-th goes on the shift and the week's
    roster is rewritten (the earlier one kept under previous/)."""
    with folder_lock(place.folder, LOCK_WAIT_SECONDS):
        problem, roster = _week(place, week)
        found = api.cover(problem, roster, body.shift, body.without,
                                history=api.load_history(place.folder, problem),
                                locks=api.find_locks(place.folder), lang=body.lang)
        candidates = [CandidateOut(rank=rank, volunteer=c.volunteer.id, name=c.volunteer.name, points=c.total,
                                   goals=c.goals) for rank, c in enumerate(found.candidates, start=1)]
        out = CoverOut(shift=found.shift.id, without=found.without.id, candidates=candidates, text=found.text())
        if body.apply is None:
            return out
        changed = api.apply_cover(found, body.apply)
        written = api.write(changed, problem, place.folder / "rosters" / problem.week.label, found.lang)
    place.audit("cover", week=problem.week.label, shift=found.shift.id, without=found.without.id,
                instead=candidates[body.apply - 1].volunteer)
    return out.model_copy(update={"applied": candidates[body.apply - 1], "written": [p.name for p in written]})


ROSTER_SUFFIXES = {b"{": ".json", b"PK": ".xlsx"}


@router.post("/communities/{cid}/weeks/{week}/check", response_model=CheckOut,
             responses={404: {"model": Detail}, 422: {"model": Errors}, 413: {"model": Detail}},
             openapi_extra={"requestBody": {"required": True, "content": {"application/octet-stream": {
                 "schema": {"type": "string", "format": "binary"}}}}})
async def check(week: str, request: Request, place: Place = Depends(reader)):
    """`roster check`: the body is a roster file (roster.json, assignments.csv or roster.xlsx); every hard rule's
    plain-Python check runs on it."""
    content = await read_body(request)
    return await run_in_threadpool(_check, place, week_label(week), content)


def _check(place: Place, week: str, content: bytes) -> CheckOut:
    start = content.lstrip()[:2]
    suffix = next((s for magic, s in ROSTER_SUFFIXES.items() if start.startswith(magic)), ".csv")
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / f"roster{suffix}"
        path.write_bytes(content)
        record = api.read_roster(path)
    problem = api.load(place.folder, week=week)
    violations = api.check(problem, record)
    return CheckOut(ok=not violations, assignments=len(record.assignments),
                    violations=[ViolationOut(rule=v.rule, message=v.message, volunteer=v.volunteer, shift=v.shift)
                                for v in violations])


@router.get("/communities/{cid}/hours", response_model=HoursOut,
            responses={200: {"content": {"text/csv": {}}}, 422: {"model": Errors}})
def hours(start: str | None = Query(None, alias="from"), end: str | None = Query(None, alias="to"),
          served_only: bool = False, format: str = Query("json", pattern="^(json|csv|totals.csv)$"),
          lang: str | None = Query(None, pattern="^(zh|en)$"), place: Place = Depends(reader)):
    """`roster hours`: service hours per volunteer from the weekly rosters; `format=csv` gives one row per shift
    served (the command line's `--out`), `format=totals.csv` one per volunteer (`--totals`)."""
    ledger = api.ledger(place.folder, _date("from", start), _date("to", end), served_only=served_only)
    if format == "csv":
        return Response(detail_csv(ledger), media_type="text/csv; charset=utf-8")
    if format == "totals.csv":
        return Response(totals_csv(ledger), media_type="text/csv; charset=utf-8")
    detail = ledger.detail.astype(object).where(ledger.detail.notna(), None)
    return HoursOut(first=ledger.first and ledger.first.isoformat(), last=ledger.last and ledger.last.isoformat(),
                    weeks=list(ledger.weeks), totals=ledger.totals().to_dict(orient="records"),
                    detail=[{k: str(v) if isinstance(v, (dt.date, dt.time)) else v for k, v in row.items()}
                            for row in detail.to_dict(orient="records")],
                    absent=ledger.absent, unmarked=ledger.unmarked,
                    text=ledger_text(ledger, lang or ledger.rules.language, "."))


def _date(name: str, text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InputError([Finding(file="(request)", column=name, value=text, message="not a date",
                                  fix="write the date as 2026-12-01")]) from None
