"""The page's login: `/login?token=…` (the link `roster serve` prints) or a pasted token becomes an HttpOnly,
SameSite=Strict session cookie; the page reads its CSRF token from `/api/v1/session`."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel

from scheduler.service.auth import COOKIE, AccessError, Principal, close_session, csrf_of, open_session
from scheduler.service.deps import principal, service
from scheduler.service.schemas import Body, Detail

router = APIRouter(tags=["session"])
pages = APIRouter(include_in_schema=False)


class LoginIn(Body):
    token: str


class SessionOut(BaseModel):
    name: str
    role: str
    community: str | None
    csrf: str | None = None


def _logged_in(response: Response, cookie: str) -> Response:
    response.set_cookie(COOKIE, cookie, httponly=True, samesite="strict", path="/")
    return response


@pages.get("/login")
def login_link(token: str, state=Depends(service)):
    """The login link: the token becomes the session cookie and the browser goes to the page without it."""
    try:
        with state.db.session() as session:
            cookie, _ = open_session(session, token)
    except AccessError:  # a stale or mistyped link: the page says so in words, not a JSON error
        return RedirectResponse("/?login=bad", status_code=303)
    return _logged_in(RedirectResponse("/", status_code=303), cookie)


@router.post("/session", response_model=SessionOut, responses={401: {"model": Detail}})
def login(body: LoginIn, response: Response, state=Depends(service)):
    """Log in with a pasted token: sets the session cookie and answers the session's CSRF token."""
    from scheduler.service.auth import authenticate

    with state.db.session() as session:
        who = authenticate(session, body.token)
        cookie, csrf = open_session(session, body.token)
    _logged_in(response, cookie)
    return SessionOut(name=who.name, role=who.role, community=who.community, csrf=csrf)


@router.get("/session", response_model=SessionOut, responses={401: {"model": Detail}})
def current(request: Request, who: Principal = Depends(principal), state=Depends(service)):
    """Who is logged in, and (with the cookie) the CSRF token the page's writes carry in `X-CSRF-Token`."""
    with state.db.session() as session:
        csrf = csrf_of(session, request.cookies.get(COOKIE))
    return SessionOut(name=who.name, role=who.role, community=who.community, csrf=csrf)


@router.delete("/session", status_code=204, responses={401: {"model": Detail}})
def logout(request: Request, who: Principal = Depends(principal), state=Depends(service)):
    """Log out: the session ends and its cookie is cleared."""
    with state.db.session() as session:
        close_session(session, request.cookies.get(COOKIE))
    response = Response(status_code=204)
    response.delete_cookie(COOKIE, path="/")
    return response
