"""Tokens and roles: who may read and write which community.

A token is 32 random bytes shown once; the database keeps only its SHA-256 (a random secret
needs no slow hash). The access order is the contract's: no or unknown token is 401, always;
another community's data is 404, so its existence is not revealed; a viewer writing is 403.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.service.db import AuditEntry, BrowserSession, Community, Token, now

ROLES = ("coordinator", "viewer")
COOKIE = "roster_session"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
ADMIN = "admin"
PREFIX = "rst_"


class AccessError(Exception):
    """An access refusal with its HTTP status (401, 403 or 404)."""

    def __init__(self, status: int, detail: str):
        super().__init__(detail)
        self.status, self.detail = status, detail


@dataclass(frozen=True)
class Principal:
    """The holder of a valid token."""

    token_id: int
    name: str
    role: str
    community: str | None

    @property
    def admin(self) -> bool:
        return self.role == ADMIN

    def sees(self, community: str) -> bool:
        return self.admin or self.community == community


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_secret() -> str:
    return PREFIX + secrets.token_urlsafe(32)


def create_token(session: Session, *, role: str, community: str | None = None, name: str = "") -> str:
    """Store a new token and return its secret (the only time it exists in clear)."""
    if role != ADMIN and role not in ROLES:
        raise ValueError(f"unknown role {role!r}: choose coordinator or viewer")
    if role != ADMIN:
        if community is None:
            raise ValueError("a coordinator or viewer token belongs to a community")
        if session.get(Community, community) is None:
            session.add(Community(id=community, name=community, created_at=now()))
    secret = new_secret()
    token = Token(name=name or (f"{community}-{role}" if community else "admin"), digest=digest(secret), role=role,
                  community=community if role != ADMIN else None, created_at=now())
    session.add(token)
    session.flush()
    return secret


def has_admin(session: Session) -> bool:
    return session.scalar(select(Token.id).where(Token.role == ADMIN, Token.revoked_at.is_(None)).limit(1)) is not None


def authenticate(session: Session, secret: str | None) -> Principal:
    if not secret:
        raise AccessError(401, "a token is needed: send the header 'Authorization: Bearer <token>'")
    token = session.scalar(select(Token).where(Token.digest == digest(secret.strip())))
    return _valid(token)


def _valid(token: Token | None) -> Principal:
    if token is None or token.revoked_at is not None:
        raise AccessError(401, "the token is unknown or revoked: ask the administrator for a new one")
    return Principal(token_id=token.id, name=token.name, role=token.role, community=token.community)


def from_cookie(session: Session, cookie: str, method: str, csrf: str | None) -> Principal:
    """The page's caller, by its session cookie; a write must also carry the session's CSRF token (403 without)."""
    found = session.get(BrowserSession, digest(cookie))
    if found is None:
        raise AccessError(401, "the session has ended: log in again")
    who = _valid(session.get(Token, found.token_id))
    if method not in SAFE_METHODS and not (csrf and secrets.compare_digest(csrf, found.csrf)):
        raise AccessError(403, f"a write from the page needs the {CSRF_HEADER} header of its session")
    return who


def open_session(session: Session, secret: str) -> tuple[str, str]:
    """Exchange a token for a browser session: (the cookie's secret, the CSRF token)."""
    who = authenticate(session, secret)
    cookie, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
    session.add(BrowserSession(digest=digest(cookie), token_id=who.token_id, csrf=csrf, created_at=now()))
    return cookie, csrf


def csrf_of(session: Session, cookie: str | None) -> str | None:
    found = session.get(BrowserSession, digest(cookie)) if cookie else None
    return found.csrf if found else None


def close_session(session: Session, cookie: str | None) -> None:
    found = session.get(BrowserSession, digest(cookie)) if cookie else None
    if found is not None:
        session.delete(found)


def bearer(header: str | None) -> str | None:
    if not header:
        return None
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def community_access(session: Session, who: Principal, community: str, write: bool = False) -> Community:
    """The community if `who` may see it (and write it when `write`), else AccessError 404 or 403."""
    found = session.get(Community, community) if who.sees(community) else None
    if found is None:
        raise AccessError(404, f"no community {community!r}")
    if write and who.role == "viewer":
        raise AccessError(403, "this token may only read: writing needs a coordinator token")
    return found


def list_tokens(session: Session) -> list[Token]:
    return list(session.scalars(select(Token).order_by(Token.id)))


def revoke(session: Session, token_id: int) -> bool:
    token = session.get(Token, token_id)
    if token is None or token.revoked_at is not None:
        return False
    token.revoked_at = now()
    return True


def audit(session: Session, who: Principal | str, community: str | None, action: str, **detail) -> None:
    """Record a write: the time, the token's name, the community and what changed (never contents)."""
    session.add(AuditEntry(at=now(), token_name=who if isinstance(who, str) else who.name, community=community,
                           action=action, detail=detail))
