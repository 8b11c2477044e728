"""Runs: a solve of a community's week, queued in the database, followed by polling or server-sent events."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse, StreamingResponse
from sqlalchemy import update
from starlette.concurrency import run_in_threadpool

import scheduler.api as api
from scheduler.service.auth import AccessError, Principal, audit, community_access
from scheduler.service.db import Run, now
from scheduler.service.deps import Place, principal, service, week_label, writer
from scheduler.service.runs import FINISHED
from scheduler.service.schemas import Detail, Errors, RunOptions, RunOut

router = APIRouter(tags=["runs"])
HEARTBEAT_SECONDS = 15.0
POLL_SECONDS = 0.25


def run_out(run: Run) -> RunOut:
    return RunOut(id=run.id, community=run.community, week=run.week, status=run.status, created_at=run.created_at,
                  started_at=run.started_at, finished_at=run.finished_at, options=run.options or {},
                  progress=run.progress, result=run.result, error=run.error)


@router.post("/communities/{cid}/weeks/{week}/runs", status_code=202, response_model=RunOut,
             responses={422: {"model": Errors}, 403: {"model": Detail}})
def create_run(week: str, options: RunOptions | None = None, place: Place = Depends(writer)):
    """Queue a solve of the week, exactly what `roster solve` does; inputs `roster validate` refuses answer 422."""
    options = options or RunOptions()
    label = week_label(week)
    api.load(place.folder, week=label)  # raises InputError: 422 with the findings, no run created
    with place.state.db.session() as session:
        run = Run(community=place.community, week=label, status="queued", created_at=now(),
                  options=options.model_dump(mode="json"), stop_requested=False, token_name=place.who.name)
        session.add(run)
        session.flush()
        audit(session, place.who, place.community, "run", run=run.id, week=label, options=run.options)
        out = run_out(run)
    place.state.runs.submitted()
    return JSONResponse(out.model_dump(mode="json"), status_code=202, headers={"Location": f"/api/v1/runs/{out.id}"})


def _run(state, who: Principal, run_id: int, write: bool = False) -> Run:
    """The run if the caller may see it: another community's run is 404, like the community."""
    with state.db.session() as session:
        run = session.get(Run, run_id)
        if run is None or not who.sees(run.community):
            raise AccessError(404, f"no run {run_id}")
        community_access(session, who, run.community, write=write)
        return run


@router.get("/runs/{run_id}", response_model=RunOut, responses={404: {"model": Detail}})
def get_run(run_id: int, who: Principal = Depends(principal), state=Depends(service)):
    """The run: status, progress while it solves, the result when it has finished."""
    return run_out(_run(state, who, run_id))


@router.get("/runs/{run_id}/events", response_class=StreamingResponse,
            responses={200: {"content": {"text/event-stream": {}}}, 404: {"model": Detail}})
async def run_events(run_id: int, who: Principal = Depends(principal), state=Depends(service)):
    """Server-sent events: `progress` (elapsed, missing, objective, bound) as the search improves, then one `end`
    with the final run object."""
    await run_in_threadpool(_run, state, who, run_id)
    return StreamingResponse(_events(state, who, run_id), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


async def _events(state, who: Principal, run_id: int):
    shown, quiet = None, 0.0
    while not state.closing:
        run = run_out(await run_in_threadpool(_run, state, who, run_id))
        if run.status in FINISHED:
            if run.progress is not None and run.progress != shown:  # the last figures, even of a short run
                yield f"event: progress\ndata: {run.progress.model_dump_json()}\n\n"
            yield f"event: end\ndata: {run.model_dump_json()}\n\n"
            return
        if run.progress is not None and run.progress != shown:
            shown, quiet = run.progress, 0.0
            yield f"event: progress\ndata: {run.progress.model_dump_json()}\n\n"
        elif quiet >= HEARTBEAT_SECONDS:
            quiet = 0.0
            yield ": waiting\n\n"
        await asyncio.sleep(POLL_SECONDS)
        quiet += POLL_SECONDS


@router.delete("/runs/{run_id}", status_code=202, response_model=RunOut,
               responses={409: {"model": Detail}, 404: {"model": Detail}, 403: {"model": Detail}})
def stop_run(run_id: int, who: Principal = Depends(principal), state=Depends(service)):
    """Stop the run: a queued run at once (nothing written); a running one within 5 s, writing the best roster so
    far, marked interrupted. A finished run answers 409."""
    run = _run(state, who, run_id, write=True)
    with state.db.session() as session:
        dropped = session.execute(update(Run).where(Run.id == run_id, Run.status == "queued")
                                  .values(status="stopped", finished_at=now(), stop_requested=True)).rowcount
        if not dropped:
            stopping = session.execute(update(Run).where(Run.id == run_id, Run.status == "running")
                                       .values(stop_requested=True)).rowcount
            if not stopping:
                raise AccessError(409, f"run {run_id} has finished ({session.get(Run, run_id).status})")
        audit(session, who, run.community, "stop", run=run_id)
    if not dropped:
        state.runs.request_stop(run_id)
    return run_out(_run(state, who, run_id))
