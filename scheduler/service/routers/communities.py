"""Communities: an admin creates them; a token sees its own (an admin token sees all)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query
from sqlalchemy import select

from scheduler.service.auth import AccessError, Principal, audit
from scheduler.service.db import AuditEntry, Community, now
from scheduler.service.deps import Place, principal, reader, service
from scheduler.service.files import community_dir
from scheduler.service.schemas import AuditOut, CommunityIn, CommunityOut, Detail

router = APIRouter(tags=["communities"])
fallback = APIRouter(include_in_schema=False)


@router.post("/communities", status_code=201, response_model=CommunityOut,
             responses={403: {"model": Detail}, 409: {"model": Detail}})
def create_community(body: CommunityIn, who: Principal = Depends(principal), state=Depends(service)):
    """Create a community (admin tokens only) and its folder."""
    if not who.admin:
        raise AccessError(403, "only an admin token creates communities")
    with state.db.session() as session:
        if session.get(Community, body.id) is not None:
            raise AccessError(409, f"the community {body.id!r} exists already")
        community = Community(id=body.id, name=body.name or body.id, created_at=now())
        session.add(community)
        audit(session, who, body.id, "create community", name=community.name)
    community_dir(state.data, body.id).mkdir(parents=True, exist_ok=True)
    return CommunityOut(id=community.id, name=community.name, created_at=community.created_at)


@router.get("/communities", response_model=list[CommunityOut])
def list_communities(who: Principal = Depends(principal), state=Depends(service)):
    """The communities this token sees."""
    with state.db.session() as session:
        query = select(Community).order_by(Community.id)
        if not who.admin:
            query = query.where(Community.id == who.community)
        return [CommunityOut(id=c.id, name=c.name, created_at=c.created_at) for c in session.scalars(query)]


@router.get("/communities/{cid}/audit", response_model=list[AuditOut], responses={404: {"model": Detail}})
def community_audit(limit: int = Query(100, ge=1, le=1000), place: Place = Depends(reader)):
    """The community's audit log, newest first: who changed what and when (never file contents)."""
    with place.state.db.session() as session:
        entries = session.scalars(select(AuditEntry).where(AuditEntry.community == place.community)
                                  .order_by(AuditEntry.id.desc()).limit(limit))
        return [AuditOut(at=e.at, token_name=e.token_name, action=e.action, detail=e.detail) for e in entries]


@fallback.api_route("/{path:path}", methods=["GET", "POST", "PUT", "DELETE", "PATCH"])
def unknown(path: str, who: Principal = Depends(principal)):
    """Anything else under /api/: 401 without a token, like every API call, then 404."""
    raise AccessError(404, "no such resource: see /docs")
