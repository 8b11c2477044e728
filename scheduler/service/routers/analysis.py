"""What the command line says about a planned week: explain, cover (with apply), check, and the hours ledger."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

import scheduler.api as api
from scheduler.loading.folder import week_roster_file
from scheduler.render.check_text import difference_text
from scheduler.render.violations import violation_sentence
from scheduler.service.auth import AccessError
from scheduler.service.deps import Place, read_body, reader, week_label, writer
from scheduler.service.schemas import (
    CandidateOut,
    CheckOut,
    CoverIn,
    CoverOut,
    Detail,
    Errors,
    ExplainOut,
    HoursOut,
    Person,
    ViolationOut,
)
from scheduler.weekly.ledger import detail_csv, ledger_text, totals_csv

router = APIRouter(tags=["analysis"])
LOCK_WAIT_SECONDS = 30.0


def _planned(place: Place, week: str) -> str:
    """The week's label; 404 when the week has not been planned."""
    label = week_label(week)
    if not week_roster_file(place.folder, label).is_file():
        raise AccessError(404, f"{label} has not been planned: post a run first")
    return label


@router.get("/communities/{cid}/weeks/{week}/explain", response_model=ExplainOut,
            responses={404: {"model": Detail}, 422: {"model": Errors}})
def explain(week: str, volunteer: str | None = None, shift: str | None = None,
            lang: str | None = Query(None, pattern="^(zh|en)$"), place: Place = Depends(reader)):
    """`roster explain`: why a volunteer has these shifts (or none), who could take a shift, or (with neither)
    the objective per goal. `text` is what the command line prints."""
    found = api.explain_week(place.folder, _planned(place, week), volunteer=volunteer, shift=shift, lang=lang)
    if found.volunteer is not None:
        person = found.volunteer
        out = ExplainOut(kind="volunteer", subject=person.volunteer.id, shifts=[s.id for s, _ in person.held],
                         text=found.text(), lang=found.lang)
    elif found.shift is not None:
        seat = found.shift
        out = ExplainOut(kind="shift", subject=seat.shift.id, shifts=[c.volunteer.id for c in seat.chosen],
                         candidates=[Person(volunteer=c.volunteer.id, name=c.volunteer.name) for c in seat.candidates],
                         text=found.text(), lang=found.lang)
    else:
        out = ExplainOut(kind="objective", subject=None, text=found.text(), lang=found.lang)
    return out


@router.post("/communities/{cid}/weeks/{week}/cover", response_model=CoverOut,
             responses={404: {"model": Detail}, 409: {"model": Detail}, 422: {"model": Errors}})
def cover(week: str, body: CoverIn, place: Place = Depends(writer)):
    """`roster cover`: ranked replacements for a drop-out (`without`), or whether one named stand-in (`with`) can
    take the shift; with `apply` the N-th (1 with `with`) goes on the shift and the week's roster is rewritten
    (the earlier one kept under previous/)."""
    found = api.cover_week(place.folder, body.shift, _planned(place, week), without=body.without,
                           with_=body.with_, apply=body.apply, lang=body.lang, wait=LOCK_WAIT_SECONDS)
    candidates = [CandidateOut(rank=rank, volunteer=c.volunteer.id, name=c.volunteer.name, points=c.total,
                               goals=c.goals) for rank, c in enumerate(found.cover.candidates, start=1)]
    applied = candidates[found.rank - 1] if found.applied is not None and found.rank is not None else None
    if applied is not None:
        place.audit("cover", week=found.before.week, shift=found.cover.shift.id, without=body.without,
                    instead=applied.volunteer)
    return CoverOut(shift=found.cover.shift.id, without=body.without, candidates=candidates, text=found.text(),
                    applied=applied, written=[p.name for p in found.written])


ROSTER_SUFFIXES = {b"{": ".json", b"PK": ".xlsx"}


@router.post("/communities/{cid}/weeks/{week}/check", response_model=CheckOut,
             responses={404: {"model": Detail}, 422: {"model": Errors}, 413: {"model": Detail}},
             openapi_extra={"requestBody": {"required": True, "content": {"application/octet-stream": {
                 "schema": {"type": "string", "format": "binary"}}}}})
async def check(week: str, request: Request, lang: str | None = Query(None, pattern="^(zh|en)$"),
                place: Place = Depends(reader)):
    """`roster check`: the body is a roster file (roster.json, assignments.csv or roster.xlsx); every hard rule's
    plain-Python check runs on it. Messages are in `lang` (default: the community's rules file's)."""
    content = await read_body(request)
    return await run_in_threadpool(_check, place, week_label(week), content, lang)


def _check(place: Place, week: str, content: bytes, lang: str | None = None) -> CheckOut:
    start = content.lstrip()[:2]
    suffix = next((s for magic, s in ROSTER_SUFFIXES.items() if start.startswith(magic)), ".csv")
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / f"roster{suffix}"
        path.write_bytes(content)
        found = api.check_week(place.folder, path, week)
    lang = lang or found.language
    return CheckOut(ok=found.ok, assignments=len(found.pairs),
                    differences=[difference_text(d, found, lang) for d in found.differences],
                    violations=[ViolationOut(rule=v.violation.rule, message=violation_sentence(v.violation, lang),
                                             volunteer=v.violation.volunteer, shift=v.violation.shift, where=v.where,
                                             code=v.violation.code, params=v.violation.params)
                                for v in found.violations])


@router.get("/communities/{cid}/hours", response_model=HoursOut,
            responses={200: {"content": {"text/csv": {}}}, 422: {"model": Errors}})
def hours(start: str | None = Query(None, alias="from"), end: str | None = Query(None, alias="to"),
          served_only: bool = False, format: str = Query("json", pattern="^(json|csv|totals.csv)$"),
          lang: str | None = Query(None, pattern="^(zh|en)$"), place: Place = Depends(reader)):
    """`roster hours`: service hours per volunteer from the weekly rosters; `format=csv` gives one row per shift
    served (the command line's `--out`), `format=totals.csv` one per volunteer (`--totals`)."""
    ledger = api.ledger(place.folder, start or None, end or None, served_only=served_only)
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
