"""The service's queue over an engine (`create_app(engine=…)`), in process, with an engine that answers as told.

What `roster serve --engine ray` does with each answer of the engine: a run planned for real
(the tutorial week, through `run_one`, as a task runs it), a cluster that cannot be reached, a
folder the cluster's machine cannot see, a task that died. Real Ray is in test_ray_engine.py.
"""

from __future__ import annotations

import time
from pathlib import Path

from fastapi.testclient import TestClient

from scheduler.domain.errors import Finding
from scheduler.engines import Engine, Finished, Handle, Outcome, run_one
from scheduler.service.app import create_app
from scheduler.service.auth import create_token
from scheduler.service.engine_runs import community_language, end_of

from .support import ROOT, WEEK, bearer

TUTORIAL = ROOT / "sample_data" / "tutorial"
API = "/api/v1"


class Answered(Handle):
    def __init__(self, folder, week, outcome: Outcome):
        super().__init__(folder, week)
        self.finished = Finished()
        self.finished.set(outcome)

    def done(self) -> bool:
        return True

    def result(self, timeout=None) -> Outcome:
        return self.finished.get(timeout)

    def stop(self) -> None:
        pass


class ToldEngine(Engine):
    """Answers each run with the next of `answers`: `plan` (a real run), `unreachable`, or an Outcome's reason."""

    name = "told"

    def __init__(self, answers: list[str]):
        self.answers, self.options, self.closed = list(answers), [], False

    def submit(self, folder, week, options, on_progress=None) -> Handle:
        self.options.append(options)
        answer = self.answers.pop(0)
        if answer == "unreachable":
            raise ConnectionError("GCS at 10.0.0.9:6379 did not answer\nin time")
        if answer == "plan":
            return Answered(folder, week, run_one(folder, week, options, on_progress=on_progress))
        return Answered(folder, week, Outcome(folder=folder, week=week, status="error" if answer == "no_folder" else
                                              "crashed", reason=answer, message="worker 1a2b died"))

    def _handles(self):
        return []

    def close(self) -> None:
        self.closed = True


def test_each_answer_of_the_engine_becomes_the_run_record_and_the_queue_goes_on(tmp_path):
    engine = ToldEngine(["unreachable", "no_folder", "task_failed", "plan"])
    app = create_app(tmp_path / "data", engine=engine)
    with TestClient(app) as http:
        with app.state.service.db.session() as session:
            admin = bearer(create_token(session, role="admin"))
        assert http.post(f"{API}/communities", json={"id": "tutorial"}, headers=admin).status_code == 201
        for name in ("volunteers.csv", "shifts.yaml", "rules.yaml"):
            http.put(f"{API}/communities/tutorial/files/{name}", content=(TUTORIAL / name).read_bytes(), headers=admin)
        runs = [http.post(f"{API}/communities/tutorial/weeks/{WEEK}/runs", json=body, headers=admin).json()["id"]
                for body in ({"freeze_until": "2026-12-02"}, {"lang": "zh"}, {}, {"seed": 3})]
        ended = [_finished(http, admin, run_id) for run_id in runs]
    assert engine.closed  # the service closes the engine it was given when it stops

    unreachable, no_folder, lost, planned = ended
    assert unreachable["status"] == "failed"
    assert unreachable["error"] == ("The cluster (Ray) could not be reached (in time); nothing was planned. "
                                    "Check that the cluster is running (ray status), then plan again")
    assert no_folder["status"] == "failed" and no_folder["error"].startswith("计算集群（Ray）的机器上找不到这个社区的文件夹")
    assert lost["status"] == "failed" and "(worker 1a2b died)" in lost["error"]  # the tutorial speaks English
    assert planned["status"] == "completed" and planned["error"] is None, planned
    assert planned["result"] == {"status": "complete", "seats_filled": 10, "seats_needed": 10, "unfilled": [],
                                 "interrupted": False}
    assert planned["progress"]["missing"] == 0
    assert engine.options[0].freeze_until == "2026-12-02" and engine.options[1].lang == "zh"
    told = engine.options[-1]
    assert (told.time_limit, told.seed, told.freeze_until, told.lang, told.workers) == (None, 3, None, None, 8)
    assert (tmp_path / "data/communities/tutorial/rosters" / WEEK / "roster.json").is_file()


def test_a_run_refused_by_its_inputs_names_the_files_within_the_community(tmp_path):
    folder = tmp_path / "communities" / "yanji7"
    found = Finding(file=str(folder / "volunteers.csv"), code="input.value.gender", row=3, column="性别")
    end = end_of(Outcome(folder=str(folder), week=WEEK, status="invalid", findings=(found,)), str(folder), "zh", False)
    assert end["status"] == "failed" and end["result"] is None
    assert [(e["file"], e["row"], e["column"]) for e in end["error"]] == [("volunteers.csv", 3, "性别")]
    assert end["error"][0]["message"] == "性别只能是 女 或 男" and end["error"][0]["code"] == "input.value.gender"
    stopped = end_of(Outcome(folder=str(folder), week=WEEK, status="skipped"), str(folder), "zh", False)
    assert stopped == {"status": "stopped", "result": None, "error": None}


def test_the_community_language_comes_from_the_run_then_the_rules_file(tmp_path):
    assert community_language(TUTORIAL) == "en"
    assert community_language(TUTORIAL, "zh") == "zh"
    assert community_language(ROOT / "sample_data" / "yanji7") == "zh"
    assert community_language(Path(tmp_path)) == "zh"  # no rules file: the rules' default


def _finished(http, headers, run_id: int, timeout: float = 120) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = http.get(f"{API}/runs/{run_id}", headers=headers).json()
        if run["status"] in ("completed", "stopped", "failed"):
            return run
        time.sleep(0.05)
    raise AssertionError(f"run {run_id} is still {run['status']}")
