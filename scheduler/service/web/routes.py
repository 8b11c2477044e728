"""The page's routes: `/` and `/static/…`, plus the supply figures the page shows.

Logging in and out is the session resource's (`/login?token=…`, `POST/DELETE /api/v1/session`).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from scheduler.domain.models import PlanningWeek
from scheduler.service.auth import COOKIE, AccessError, csrf_of, from_cookie
from scheduler.service.deps import Place, reader, service, week_label
from scheduler.service.web.texts import texts

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=HERE / "templates")
router = APIRouter(include_in_schema=False)
api = APIRouter(tags=["page"])
static = StaticFiles(directory=HERE / "static")
LANG_COOKIE = "roster_lang"
LANG_SECONDS = 365 * 24 * 3600


def _lang(request: Request) -> str:
    chosen = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE) or "zh"
    return "en" if chosen == "en" else "zh"


def _session(state, cookie: str | None):
    """The session's holder and its CSRF token, or (None, "") without a live session."""
    if not cookie:
        return None, ""
    try:
        with state.db.session() as session:
            return from_cookie(session, cookie, "GET", None), csrf_of(session, cookie) or ""
    except AccessError:
        return None, ""


@router.get("/", response_class=HTMLResponse)
def page(request: Request, state=Depends(service)) -> Response:
    """The coordinator's page; the login form when the browser has no valid session."""
    lang = _lang(request)
    holder, csrf = _session(state, request.cookies.get(COOKIE))
    signed_in = holder is not None
    words = texts(lang)
    response = templates.TemplateResponse(request, "index.html", {
        "lang": lang, "t": words, "signed_in": signed_in, "admin": signed_in and holder.admin,
        "csrf": csrf,
        "next_week": PlanningWeek.after(dt.date.today()).label,
        "words_json": json.dumps(words, ensure_ascii=False).replace("</", "<\\/"),
        "bad_login": request.query_params.get("login") == "bad",
    })
    if request.query_params.get("lang"):
        response.set_cookie(LANG_COOKIE, lang, max_age=LANG_SECONDS, samesite="strict")
    return response


@api.get("/communities/{cid}/weeks/{week}/supply")
def supply(week: str, lang: str | None = None, place: Place = Depends(reader)) -> dict:
    """The week's supply check before planning, as `roster solve` prints it: the certain shortfalls, in words."""
    import scheduler
    from scheduler.render.supply_text import cannot_meet_lines, headline

    problem = scheduler.load(place.folder, week=week_label(week))
    language = lang or problem.rules.language
    found = scheduler.supply(problem)
    return {"week": problem.week.label, "seats": found.week.seats, "seats_short": found.seats_short,
            "time_limit": problem.rules.time_limit,
            "headline": headline(found, language),
            "lines": [line.strip() for line in cannot_meet_lines(found, problem, language)]}
