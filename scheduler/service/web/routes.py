"""The page's routes: `/`, `/login`, `/logout` and `/static/…`, plus the supply figures the page shows."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from scheduler.models import PlanningWeek
from scheduler.service.auth import AccessError, authenticate
from scheduler.service.deps import Place, reader, service, week_label
from scheduler.service.web.session import COOKIE, LANG_COOKIE, csrf_token
from scheduler.service.web.texts import texts

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=HERE / "templates")
router = APIRouter(include_in_schema=False)
api = APIRouter(tags=["page"])
static = StaticFiles(directory=HERE / "static")
SESSION_SECONDS = 30 * 24 * 3600


def _lang(request: Request) -> str:
    chosen = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE) or "zh"
    return "en" if chosen == "en" else "zh"


def _holder(state, secret: str | None):
    """The token's holder, or None when the token is missing, unknown or revoked."""
    if not secret:
        return None
    try:
        with state.db.session() as session:
            return authenticate(session, secret)
    except AccessError:
        return None


@router.get("/", response_class=HTMLResponse)
def page(request: Request, state=Depends(service)) -> Response:
    """The coordinator's page; the login form when the browser has no valid session."""
    lang = _lang(request)
    secret = request.cookies.get(COOKIE)
    holder = _holder(state, secret)
    signed_in = holder is not None
    words = texts(lang)
    response = templates.TemplateResponse(request, "index.html", {
        "lang": lang, "t": words, "signed_in": signed_in, "admin": signed_in and holder.admin,
        "csrf": csrf_token(secret) if signed_in else "",
        "next_week": PlanningWeek.after(dt.date.today()).label,
        "words_json": json.dumps(words, ensure_ascii=False).replace("</", "<\\/"),
        "bad_login": request.query_params.get("login") == "bad",
    })
    if request.query_params.get("lang"):
        response.set_cookie(LANG_COOKIE, lang, max_age=SESSION_SECONDS, samesite="strict")
    return response


def _signed_in(secret: str) -> Response:
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(COOKIE, secret, max_age=SESSION_SECONDS, httponly=True, samesite="strict")
    return response


@router.get("/login")
def login_link(request: Request, token: str = "", state=Depends(service)) -> Response:
    """A login link (`/login?token=…`, as `roster serve` prints it): the token becomes the session cookie,
    and the browser is sent to `/` without it in the address."""
    if _holder(state, token) is None:
        return RedirectResponse("/?login=bad", status_code=303)
    return _signed_in(token.strip())


@router.post("/login")
def login_form(request: Request, token: str = Form(""), state=Depends(service)) -> Response:
    if _holder(state, token) is None:
        return RedirectResponse("/?login=bad", status_code=303)
    return _signed_in(token.strip())


@router.post("/logout")
def logout() -> Response:
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(COOKIE)
    return response


@api.get("/communities/{cid}/weeks/{week}/supply")
def supply(week: str, lang: str | None = None, place: Place = Depends(reader)) -> dict:
    """The week's supply check before planning, as `roster solve` prints it: the certain shortfalls, in words."""
    import scheduler
    from scheduler.supply import cannot_meet_lines, headline

    problem = scheduler.load(place.folder, week=week_label(week))
    language = lang or problem.rules.language
    found = scheduler.supply(problem)
    return {"week": problem.week.label, "seats": found.week.seats, "seats_short": found.seats_short,
            "time_limit": problem.rules.time_limit,
            "headline": headline(found, language),
            "lines": [line.strip() for line in cannot_meet_lines(found, problem, language)]}
