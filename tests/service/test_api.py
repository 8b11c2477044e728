"""The API surface in process (FastAPI's TestClient): access, files, validation, weeks, errors as JSON.

The run queue is not started here (runs stay queued); real solves are in test_server.py.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from scheduler.service.app import create_app
from scheduler.service.auth import create_token

from .support import WEEK, bearer, sample_files

API = "/api/v1"


class Client:
    """The app with an admin, a coordinator and a viewer token of yanji7 and a coordinator of another community."""

    def __init__(self, data, db_url):
        self.app = create_app(data, db_url, run_queue=False)
        self.http = TestClient(self.app, raise_server_exceptions=False)
        with self.app.state.service.db.session() as session:
            self.admin = create_token(session, role="admin")
            self.coordinator = create_token(session, role="coordinator", community="yanji7", name="li")
            self.viewer = create_token(session, role="viewer", community="yanji7", name="wang")
            self.other = create_token(session, role="coordinator", community="other", name="zhao")

    def call(self, method: str, path: str, token: str | None = None, **kwargs):
        headers = bearer(token) if token else {}
        return self.http.request(method, API + path, headers=headers, **kwargs)

    def upload_sample(self) -> None:
        for name, content in sample_files().items():
            assert self.call("PUT", f"/communities/yanji7/files/{name}", self.coordinator, content=content).status_code == 200


@pytest.fixture
def client(tmp_path, db_url):
    made = Client(tmp_path / "data", db_url)
    with made.http:
        yield made
    made.app.state.service.db.dispose()


def test_healthz_needs_no_token(client):
    assert client.http.get("/healthz").json() == {"ok": True}


@pytest.mark.parametrize("path", ["/communities", "/communities/yanji7/files/volunteers.csv", "/runs/1",
                                  "/communities/nowhere/weeks", "/anything"])
def test_no_token_or_a_wrong_one_is_401_always(client, path):
    assert client.call("GET", path).status_code == 401
    answer = client.call("GET", path, "rst_not-a-token")
    assert answer.status_code == 401
    assert answer.headers["www-authenticate"] == "Bearer"
    assert set(answer.json()) == {"detail"}


def test_another_communitys_data_is_404_even_for_its_viewer(client):
    client.upload_sample()
    for path in ("/communities/yanji7/files/volunteers.csv", f"/communities/yanji7/weeks/{WEEK}/roster.json",
                 "/communities/yanji7/weeks"):
        assert client.call("GET", path, client.other).status_code == 404
    assert client.call("PUT", "/communities/yanji7/files/rules.yaml", client.other, content=b"x").status_code == 404
    # the same answer as for a community that does not exist
    assert client.call("GET", "/communities/nowhere/weeks", client.other).json() == {"detail": "no community 'nowhere'"}
    assert client.call("GET", "/communities/nowhere/weeks", client.coordinator).status_code == 404


def test_a_viewer_reads_but_writing_is_403(client):
    client.upload_sample()
    assert client.call("GET", "/communities/yanji7/files/rules.yaml", client.viewer).status_code == 200
    answer = client.call("PUT", "/communities/yanji7/files/rules.yaml", client.viewer, content=b"language: en\n")
    assert answer.status_code == 403
    assert client.call("POST", f"/communities/yanji7/weeks/{WEEK}/runs", client.viewer, json={}).status_code == 403
    assert client.call("POST", "/communities", client.viewer, json={"id": "x"}).status_code == 403


def test_communities_are_created_by_an_admin_and_seen_by_their_tokens(client):
    created = client.call("POST", "/communities", client.admin, json={"id": "xinhua3", "name": "新华三村"})
    assert created.status_code == 201
    assert created.json()["name"] == "新华三村"
    assert client.call("POST", "/communities", client.admin, json={"id": "xinhua3"}).status_code == 409
    assert [c["id"] for c in client.call("GET", "/communities", client.admin).json()] == ["other", "xinhua3", "yanji7"]
    assert [c["id"] for c in client.call("GET", "/communities", client.viewer).json()] == ["yanji7"]


def test_upload_stores_the_bytes_and_answers_their_hash(client):
    import hashlib

    content = sample_files()["volunteers.csv"]
    answer = client.call("PUT", "/communities/yanji7/files/volunteers.csv", client.coordinator, content=content)
    assert answer.json() == {"file": "volunteers.csv", "sha256": hashlib.sha256(content).hexdigest(), "warnings": []}
    assert client.call("GET", "/communities/yanji7/files/volunteers.csv", client.viewer).content == content


def test_a_bad_register_is_422_with_row_column_and_value_and_the_earlier_file_stays(client):
    client.upload_sample()
    good = sample_files()["volunteers.csv"]
    bad = good.replace(b"V002,\xe8\xa2\x81\xe9\x9b\x85\xe8\x8a\xac,\xe5\xa5\xb3", b"V002,\xe8\xa2\x81\xe9\x9b\x85\xe8\x8a\xac,X")
    answer = client.call("PUT", "/communities/yanji7/files/volunteers.csv", client.coordinator, content=bad)
    assert answer.status_code == 422
    (finding,) = answer.json()["errors"]
    assert finding == {"file": "volunteers.csv", "row": 3, "line": None, "column": "性别", "value": "X",
                       "message": "gender must be F or M (女/男)", "fix": "write 女 or 男 (or F / M)"}
    assert client.call("GET", "/communities/yanji7/files/volunteers.csv", client.viewer).content == good


def test_a_bad_shifts_file_names_the_yaml_line(client):
    answer = client.call("PUT", "/communities/yanji7/files/shifts.yaml", client.coordinator,
                         content=b"shifts:\n  - id: a\n    start: 25:00\n")
    assert answer.status_code == 422
    errors = answer.json()["errors"]
    assert errors and all(e["file"] == "shifts.yaml" and e["row"] is None for e in errors)
    assert any(e["line"] is not None for e in errors)


def test_long_numbers_are_masked_in_findings(client):
    client.upload_sample()
    bad = sample_files()["volunteers.csv"].replace(b"1971-04-01", b"13812345678")
    errors = client.call("PUT", "/communities/yanji7/files/volunteers.csv", client.coordinator, content=bad).json()
    assert "13812345678" not in str(errors)
    assert "*******5678" in str(errors)


def test_another_register_format_replaces_the_old_file(client, tmp_path):
    import pandas as pd

    client.upload_sample()
    frame = pd.read_csv(tmp_path / "data/communities/yanji7/volunteers.csv", dtype=str, keep_default_na=False)
    frame.to_excel(tmp_path / "v.xlsx", index=False)
    answer = client.call("PUT", "/communities/yanji7/files/volunteers.xlsx", client.coordinator,
                         content=(tmp_path / "v.xlsx").read_bytes())
    assert answer.status_code == 200, answer.text
    folder = tmp_path / "data/communities/yanji7"
    assert not (folder / "volunteers.csv").exists() and (folder / "volunteers.xlsx").is_file()
    assert client.call("GET", "/communities/yanji7/files/volunteers.csv", client.viewer).status_code == 404
    assert not [p for p in folder.iterdir() if p.name.startswith(".upload-")]


def test_an_unknown_file_name_is_404(client):
    assert client.call("PUT", "/communities/yanji7/files/passwd", client.coordinator, content=b"x").status_code == 404
    assert client.call("GET", "/communities/yanji7/files/..%2Froster.db", client.coordinator).status_code == 404


def test_uploads_above_20_mb_are_413(client):
    answer = client.call("PUT", "/communities/yanji7/files/volunteers.csv", client.coordinator,
                         content=b"x" * (20 * 1024 * 1024 + 1))
    assert answer.status_code == 413
    assert set(answer.json()) == {"detail"}


def test_validate_reports_the_week_or_every_problem(client):
    client.upload_sample()
    answer = client.call("POST", f"/communities/yanji7/weeks/{WEEK}/validate", client.viewer).json()
    assert answer["ok"] is True and answer["errors"] == []
    assert answer["summary"]["week"] == WEEK and answer["summary"]["volunteers_active"] > 0
    (client.app.state.service.data / "communities/yanji7/shifts.yaml").unlink()
    answer = client.call("POST", f"/communities/yanji7/weeks/{WEEK}/validate", client.viewer).json()
    assert answer["ok"] is False and answer["summary"] is None
    assert answer["errors"][0]["file"] == "."
    assert "shifts" in answer["errors"][0]["message"]


def test_a_run_of_invalid_inputs_is_422_and_creates_no_run(client):
    answer = client.call("POST", f"/communities/yanji7/weeks/{WEEK}/runs", client.coordinator, json={})
    assert answer.status_code == 422
    assert answer.json()["errors"]
    assert client.call("GET", "/runs/1", client.coordinator).status_code == 404


def test_a_run_is_queued_with_its_location_and_a_queued_run_stops_at_once(client):
    client.upload_sample()
    answer = client.call("POST", f"/communities/yanji7/weeks/{WEEK}/runs", client.coordinator,
                         json={"time_limit": 5, "seed": 3})
    assert answer.status_code == 202
    run = answer.json()
    assert answer.headers["location"] == f"/api/v1/runs/{run['id']}"
    assert run["status"] == "queued" and run["options"]["seed"] == 3 and run["result"] is None
    assert client.call("GET", f"/runs/{run['id']}", client.other).status_code == 404
    assert client.call("DELETE", f"/runs/{run['id']}", client.viewer).status_code == 403
    stopped = client.call("DELETE", f"/runs/{run['id']}", client.coordinator)
    assert stopped.status_code == 202 and stopped.json()["status"] == "stopped"
    assert client.call("DELETE", f"/runs/{run['id']}", client.coordinator).status_code == 409
    weeks = client.call("GET", "/communities/yanji7/weeks", client.viewer).json()
    assert weeks == [{"week": WEEK, "status": None, "latest_run": {"id": run["id"], "status": "stopped"}}]


def test_run_options_are_checked(client):
    client.upload_sample()
    answer = client.call("POST", f"/communities/yanji7/weeks/{WEEK}/runs", client.coordinator,
                         json={"time_limit": -1, "colour": "red"})
    assert answer.status_code == 422
    assert {e["column"] for e in answer.json()["errors"]} == {"time_limit", "colour"}
    assert client.call("POST", "/communities/yanji7/weeks/2026-49/runs", client.coordinator, json={}).status_code == 422


def test_a_week_not_planned_has_no_roster_and_nothing_to_explain(client):
    client.upload_sample()
    for path in (f"/communities/yanji7/weeks/{WEEK}/roster.json", f"/communities/yanji7/weeks/{WEEK}/explain"):
        answer = client.call("GET", path, client.viewer)
        assert answer.status_code == 404 and set(answer.json()) == {"detail"}


def test_writes_are_in_the_audit_log_without_contents(client):
    from sqlalchemy import select

    from scheduler.service.db import AuditEntry

    client.upload_sample()
    with client.app.state.service.db.session() as session:
        entries = [(e.token_name, e.community, e.action, e.detail) for e in session.scalars(select(AuditEntry))]
    assert [e[:3] for e in entries] == [("li", "yanji7", "upload")] * 3
    assert "王敏" not in str(entries) and "18600009127" not in str(entries)


def test_errors_are_json_never_html(client):
    for method, path in (("GET", "/nowhere"), ("POST", "/healthz"), ("GET", "/api/v1")):
        answer = client.http.request(method, path)
        assert answer.headers["content-type"] == "application/json", (method, path)


def test_the_docs_page_is_self_contained(client):
    page = client.http.get("/docs").text
    assert "/openapi.json" in page and "http" not in page.replace("/openapi.json", "")


def test_the_audit_log_is_readable_by_the_communitys_tokens(client):
    client.upload_sample()
    entries = client.call("GET", "/communities/yanji7/audit", client.viewer).json()
    assert [(e["token_name"], e["action"], e["detail"]["file"]) for e in entries][:1] == [("li", "upload", "rules.yaml")]
    assert client.call("GET", "/communities/yanji7/audit", client.other).status_code == 404


def test_the_login_link_gives_an_httponly_strict_cookie_and_writes_need_the_csrf_token(client):
    answer = client.http.get("/login", params={"token": client.coordinator}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/"
    cookie = answer.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and client.coordinator not in cookie
    session = client.http.get(API + "/session").json()
    assert session["community"] == "yanji7" and session["csrf"]
    content = sample_files()["rules.yaml"]
    assert client.http.put(API + "/communities/yanji7/files/rules.yaml", content=content).status_code == 403
    written = client.http.put(API + "/communities/yanji7/files/rules.yaml", content=content,
                              headers={"X-CSRF-Token": session["csrf"]})
    assert written.status_code == 200
    assert client.http.delete(API + "/session", headers={"X-CSRF-Token": session["csrf"]}).status_code == 204
    client.http.cookies.clear()
    assert client.http.get(API + "/communities").status_code == 401
    stale = client.http.get("/login", params={"token": "rst_wrong"}, follow_redirects=False)
    assert stale.status_code == 303 and stale.headers["location"] == "/?login=bad"  # the page says it in words
    assert "set-cookie" not in stale.headers
