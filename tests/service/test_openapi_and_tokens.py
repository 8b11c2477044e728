"""The committed OpenAPI file matches the code, and the `roster token` commands."""

from __future__ import annotations

import json

from click.testing import CliRunner

from scheduler.cli import main
from scheduler.service.openapi import COMMITTED, document, text


def test_the_committed_openapi_json_matches_the_code():
    assert COMMITTED.read_text(encoding="utf-8") == text(document()), (
        "the API changed: run `python -m scheduler.service.openapi` and commit scheduler/service/openapi.json")


def test_the_description_names_every_resource_of_the_contract():
    paths = json.loads(COMMITTED.read_text(encoding="utf-8"))["paths"]
    for path in ("/api/v1/communities", "/api/v1/communities/{cid}/files/{name}", "/api/v1/runs/{run_id}",
                 "/api/v1/runs/{run_id}/events", "/api/v1/communities/{cid}/weeks/{week}/runs",
                 "/api/v1/communities/{cid}/weeks/{week}/validate", "/api/v1/communities/{cid}/weeks/{week}/explain",
                 "/api/v1/communities/{cid}/weeks/{week}/cover", "/api/v1/communities/{cid}/weeks/{week}/check",
                 "/api/v1/communities/{cid}/hours", "/api/v1/communities/{cid}/weeks", "/healthz"):
        assert path in paths, path


def _token(runner, data, db_url, *args):
    return runner.invoke(main, ["token", *args, "--data", str(data)] + (["--db", db_url] if db_url else []))


def test_token_create_prints_the_token_alone_on_the_last_line_and_stores_only_its_hash(tmp_path, db_url):
    from fastapi.testclient import TestClient

    from scheduler.service.app import create_app

    runner = CliRunner()
    made = _token(runner, tmp_path, db_url, "create", "yanji7", "--role", "viewer", "--name", "grid-system")
    assert made.exit_code == 0, made.output
    secret = made.output.splitlines()[-1]
    assert secret.startswith("rst_") and len(secret) > 40
    listed = _token(runner, tmp_path, db_url, "list")
    assert "grid-system" in listed.output and "viewer" in listed.output and secret not in listed.output
    if db_url is None:
        assert secret.encode() not in (tmp_path / "roster.db").read_bytes()

    app = create_app(tmp_path, db_url, run_queue=False)
    with TestClient(app) as http:
        headers = {"Authorization": f"Bearer {secret}"}
        assert [c["id"] for c in http.get("/api/v1/communities", headers=headers).json()] == ["yanji7"]
        token_id = listed.output.splitlines()[1].split()[0]
        assert _token(runner, tmp_path, db_url, "revoke", token_id).exit_code == 0
        assert http.get("/api/v1/communities", headers=headers).status_code == 401
    app.state.service.db.dispose()
    assert _token(runner, tmp_path, db_url, "revoke", token_id).exit_code != 0


def test_an_admin_token_sees_every_community(tmp_path, db_url):
    runner = CliRunner()
    made = _token(runner, tmp_path, db_url, "create", "--admin")
    assert made.exit_code == 0 and made.output.splitlines()[-1].startswith("rst_")
    assert _token(runner, tmp_path, db_url, "create").exit_code == 2  # neither a community nor --admin
    assert _token(runner, tmp_path, db_url, "create", "../etc").exit_code == 2
