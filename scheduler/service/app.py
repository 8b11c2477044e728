"""The FastAPI application: routers per resource, errors as JSON in one place, a log without personal data.

`create_app(data, db_url, jobs, engine=…, ray_address=…)` is what `roster serve` runs and what the tests drive.
"""

from __future__ import annotations

import logging
import os
import re
import time
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from scheduler.api import rules_language
from scheduler.domain.errors import Finding, InputError, RosterError, RosterLockedError
from scheduler.domain.models import Rules
from scheduler.engines import Engine
from scheduler.service.auth import AccessError
from scheduler.service.db import Database, default_url
from scheduler.service.engine_runs import open_backend
from scheduler.service.files import relative
from scheduler.service.runs import RunManager
from scheduler.service.schemas import FindingOut, findings

log = logging.getLogger("roster.service")
API = "/api/v1"
ENGINE_VARIABLE, RAY_ADDRESS_VARIABLE = "ROSTER_ENGINE", "ROSTER_RAY_ADDRESS"
DESCRIPTION = ("Weekly duty rosters for community volunteer teams: upload the register and the posts, validate, "
               "plan a week, read the roster, explain it, cover a drop-out. Every `/api/` call carries "
               "`Authorization: Bearer <token>`.")


@dataclass
class Service:
    """What every request needs: the data folder, the database and the run queue."""

    data: Path
    db: Database
    runs: RunManager
    closing: bool = field(default=False)


def create_app(data: str | Path, db_url: str | None = None, jobs: int | None = 1, run_queue: bool = True,
               engine: str | Engine | None = None, ray_address: str | None = None) -> FastAPI:
    """The service over `data` (`DATA/communities/<id>/`); `run_queue=False` leaves runs queued (for tests).

    `engine` carries out the runs: `local` (the service's own worker processes), `ray` (one Ray task
    per run, on the cluster at `ray_address`, e.g. "auto", or on a Ray started here) or an open
    Engine, which the service closes when it stops. Unset, they come from the environment:
    ROSTER_ENGINE (default `local`) and ROSTER_RAY_ADDRESS. `jobs=None`: as many runs at once as
    the engine can carry (local: one per two cores). Raises RosterError when Ray cannot be reached.
    """
    data = Path(data).resolve()
    backend = open_backend(engine or os.environ.get(ENGINE_VARIABLE) or "local",
                           ray_address or os.environ.get(RAY_ADDRESS_VARIABLE) or None)
    data.mkdir(parents=True, exist_ok=True)
    db = Database(db_url or default_url(data))
    db.migrate()
    queue = RunManager(db=db, data=data, jobs=jobs or backend.default_jobs(), backend=backend)
    service = Service(data=data, db=db, runs=queue)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if run_queue:
            service.runs.start()
        yield
        service.closing = True
        service.runs.close()
        db.dispose()

    from scheduler import __version__
    from scheduler.service.routers import analysis, communities, files, health, pages, runs, session, weeks

    app = FastAPI(title="volunteer-roster service", version=__version__, description=DESCRIPTION,
                  lifespan=lifespan, docs_url=None, redoc_url=None)
    app.state.service = service
    from scheduler.service.web import routes as web

    app.include_router(health.router)
    app.include_router(pages.router)
    app.include_router(session.pages)
    app.include_router(web.router)
    app.mount("/static", web.static, name="static")
    app.include_router(web.api, prefix=API)  # before weeks: its /weeks/{week}/supply is not a roster file
    for module in (session, communities, files, analysis, weeks, runs):
        app.include_router(module.router, prefix=API)
    app.include_router(communities.fallback, prefix="/api")
    _error_handlers(app, data)
    app.add_middleware(Guard)
    return app


def _error_handlers(app: FastAPI, data: Path) -> None:
    """Every error answers JSON: `{"errors": [finding…]}` for 422, `{"detail": …}` for the rest."""
    communities = data / "communities"

    def shown(finding: Finding) -> Finding:
        text = str(finding.file)
        if text.startswith(str(communities) + "/"):
            community = text[len(str(communities)) + 1:].split("/", 1)[0]
            return relative(finding, communities / community)
        return finding

    @app.exception_handler(AccessError)
    async def access(request: Request, exc: AccessError):
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return JSONResponse({"detail": exc.detail}, status_code=exc.status, headers=headers)

    @app.exception_handler(InputError)
    async def bad_input(request: Request, exc: InputError):
        cid = str(request.path_params.get("cid", ""))  # the community's rules say the language of its findings
        known = COMMUNITY_ID.fullmatch(cid) and (communities / cid).is_dir()
        lang = rules_language(communities / cid) if known else Rules().language
        return JSONResponse({"errors": [f.model_dump() for f in findings([shown(f) for f in exc.findings], lang)]},
                            status_code=422)

    @app.exception_handler(RosterLockedError)
    async def busy(request: Request, exc: RosterLockedError):
        return JSONResponse({"detail": _without(str(exc), data)}, status_code=409)

    @app.exception_handler(RosterError)
    async def refused(request: Request, exc: RosterError):
        message, _, fix = _without(str(exc), data).partition(". Fix: ")
        finding = FindingOut(file="(request)", message=message, fix=fix)
        return JSONResponse({"errors": [finding.model_dump()]}, status_code=422)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError):
        errors = [FindingOut(file="(request)", column=".".join(str(part) for part in error.get("loc", ())[1:]) or None,
                             message=error.get("msg", "invalid"), fix="see the API description at /docs").model_dump()
                  for error in exc.errors()]
        return JSONResponse({"errors": errors}, status_code=422)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException):
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=getattr(exc, "headers", None))


COMMUNITY_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")


def _without(text: str, data: Path) -> str:
    """A message without the server's paths: a community's files are named within its folder."""
    return re.sub(re.escape(str(data / "communities")) + r"/[^/\s]+/?", "", text).replace(str(data), "")


def _where(exc: Exception) -> str:
    """Where an error arose, as file:line of the frames in this project: enough for a report, without the
    exception's message (it may quote a person's data)."""
    import traceback

    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "site-packages" not in f.filename]
    return " < ".join(f"{Path(f.filename).name}:{f.lineno}" for f in reversed(frames[-4:])) or "?"


class Guard:
    """The outermost layer: one log line per request (method, path, status, time: no query, no body, no token),
    and a JSON 500 instead of a traceback for anything unexpected."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started, answer = time.monotonic(), {"status": 500, "sent": False}

        async def sending(message):
            if message["type"] == "http.response.start":
                answer["status"], answer["sent"] = message["status"], True
            await send(message)

        try:
            await self.app(scope, receive, sending)
        except Exception as exc:  # noqa: BLE001 - the contract: never a traceback, never an HTML page
            log.error("%s %s failed: %s at %s", scope["method"], scope["path"], type(exc).__name__, _where(exc))
            if not answer["sent"]:
                response = JSONResponse({"detail": "internal error: the service failed unexpectedly; please report "
                                                   "the time and what you did"}, status_code=500)
                await response(scope, receive, sending)
        finally:
            log.info("%s %s %s %.0f ms", scope["method"], scope["path"], answer["status"],
                     1000 * (time.monotonic() - started))
