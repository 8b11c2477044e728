"""A community's input files, up and down, each checked on its own before it replaces the earlier one."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse
from starlette.concurrency import run_in_threadpool

from scheduler.service.auth import AccessError
from scheduler.service.deps import Place, read_body, reader, writer
from scheduler.service.files import KINDS, kind_of, media_type, store
from scheduler.service.schemas import Detail, Errors, FileStored

router = APIRouter(tags=["files"])
NAMES = ", ".join(name for names in KINDS.values() for name in names)


def _known(name: str) -> str:
    if kind_of(name) is None:
        raise AccessError(404, f"no file kind {name!r}: the files are {NAMES}")
    return name


@router.put("/communities/{cid}/files/{name}", response_model=FileStored,
            responses={422: {"model": Errors}, 413: {"model": Detail}, 403: {"model": Detail}},
            openapi_extra={"requestBody": {"required": True, "content": {"application/octet-stream": {
                "schema": {"type": "string", "format": "binary"}}}}})
async def put_file(name: str, request: Request, place: Place = Depends(writer)):
    """Store the file (the body is its bytes), replacing the earlier file of its kind, in any format.

    A file with problems answers 422 with every finding, and the earlier file stays."""
    _known(name)
    content = await read_body(request)
    sha256, found = await run_in_threadpool(store, place.folder, name, content)
    if found:
        from scheduler.domain.errors import InputError

        raise InputError(found)
    await run_in_threadpool(place.audit, "upload", file=name, sha256=sha256, bytes=len(content))
    return FileStored(file=name, sha256=sha256)


@router.get("/communities/{cid}/files/{name}", response_class=FileResponse,
            responses={200: {"content": {"application/octet-stream": {}}}, 404: {"model": Detail}})
def get_file(name: str, place: Place = Depends(reader)):
    """The stored file, byte for byte."""
    path = place.folder / _known(name)
    if not path.is_file():
        raise AccessError(404, f"{name} has not been uploaded")
    return FileResponse(path, media_type=media_type(name), filename=name)
