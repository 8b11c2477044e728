"""Dependencies of the routes: the service, the caller's token, and the community it may read or write."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fastapi import Depends, Request
from starlette.datastructures import State

from scheduler.service.auth import (
    COOKIE,
    CSRF_HEADER,
    AccessError,
    Principal,
    audit,
    authenticate,
    bearer,
    community_access,
    from_cookie,
)
from scheduler.service.files import WEEK_LABEL, community_dir

UPLOAD_LIMIT = 20 * 1024 * 1024  # bytes: a register of 20 000 people is under 5 MB


def service(request: Request):
    return request.app.state.service


def principal(request: Request, state=Depends(service)) -> Principal:
    """The caller, from `Authorization: Bearer <token>` or the page's session cookie; 401 without either."""
    token = bearer(request.headers.get("authorization"))
    cookie = request.cookies.get(COOKIE)
    with state.db.session() as session:
        if token is None and cookie:
            return from_cookie(session, cookie, request.method, request.headers.get(CSRF_HEADER))
        return authenticate(session, token)


@dataclass(frozen=True)
class Place:
    """A community the caller may use, its folder, and the service."""

    who: Principal
    community: str
    folder: Path
    state: State  # the application's: db, runs, data

    def audit(self, action: str, **detail) -> None:
        with self.state.db.session() as session:
            audit(session, self.who, self.community, action, **detail)


def _place(cid: str, who: Principal, state, write: bool) -> Place:
    with state.db.session() as session:
        community_access(session, who, cid, write=write)
    return Place(who=who, community=cid, folder=community_dir(state.data, cid), state=state)


def reader(cid: str, who: Principal = Depends(principal), state=Depends(service)) -> Place:
    return _place(cid, who, state, write=False)


def writer(cid: str, who: Principal = Depends(principal), state=Depends(service)) -> Place:
    return _place(cid, who, state, write=True)


def week_label(week: str) -> str:
    """A week in a path must be `2026-W49` (it names a folder)."""
    text = week.strip().upper()
    if not WEEK_LABEL.fullmatch(text):
        from scheduler.domain.errors import Finding, InputError

        raise InputError([Finding(file="(request)", column="week", value=week, message="not an ISO week",
                                  fix="write the week as 2026-W49")])
    return text


async def read_body(request: Request, limit: int = UPLOAD_LIMIT) -> bytes:
    """The request body, refused with 413 as soon as it passes `limit` bytes."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise AccessError(413, f"the file is larger than {limit // (1024 * 1024)} MB")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise AccessError(413, f"the file is larger than {limit // (1024 * 1024)} MB")
        chunks.append(chunk)
    return b"".join(chunks)

