"""The service tests' helpers: the sample files, and `roster serve` as a real subprocess on a free loopback port."""

from __future__ import annotations

import functools
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from scheduler import api

ROOT = Path(__file__).parent.parent.parent
SAMPLE = ROOT / "sample_data" / "yanji7"
WEEK = "2026-W49"
API = "/api/v1"


INPUTS = ("volunteers.csv", "shifts.yaml", "rules.yaml")


def sample_files() -> dict[str, bytes]:
    return {name: (SAMPLE / name).read_bytes() for name in INPUTS}


@functools.cache
def long_files() -> dict[str, bytes]:
    """A generated community of 300 volunteers for WEEK: its search runs to the time limit.

    The sample week is proven optimal before any search, far too soon to be stopped."""
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work) / "community"
        api.generate(folder, 300, week=WEEK)
        return {name: (folder / name).read_bytes() for name in INPUTS}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """One `roster serve` process; `start()` again after `kill()` restarts it on the same data and port."""

    def __init__(self, data: Path, db_url: str | None = None, jobs: int = 1, options: tuple[str, ...] = ()):
        self.data, self.db_url, self.jobs, self.options = data, db_url, jobs, options
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = data.parent / f"{data.name}-server.log"
        self.process: subprocess.Popen | None = None
        self.admin: str | None = None

    def start(self) -> Server:
        command = [sys.executable, "-m", "scheduler", "serve", "--data", str(self.data), "--port", str(self.port),
                   "--jobs", str(self.jobs), *self.options] + (["--db", self.db_url] if self.db_url else [])
        env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1")
        with open(self.log, "a") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text()
            try:
                if httpx.get(self.url + "/healthz", timeout=1).json() == {"ok": True}:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            raise AssertionError("the server did not answer /healthz:\n" + self.log.read_text())
        if self.admin is None:
            self.admin = next(line.strip() for line in self.log.read_text().splitlines() if line.strip().startswith("rst_"))
        return self

    def client(self, token: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token or self.admin}"}
        return httpx.Client(base_url=self.url + API, headers=headers, timeout=60)

    def children(self) -> list[int]:
        found = subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.process.pid)], capture_output=True, text=True)
        return [int(pid) for pid in found.stdout.split()]

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()


def alive(pid: int) -> bool:
    """A process that exists and is not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def events(client: httpx.Client, run_id: int) -> list[tuple[str, dict]]:
    """Follow the run's server-sent events to the end: (event, data) pairs."""
    found, name = [], None
    with client.stream("GET", f"/runs/{run_id}/events", timeout=300) as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        for line in stream.iter_lines():
            if line.startswith("event: "):
                name = line[len("event: "):]
            elif line.startswith("data: "):
                found.append((name, json.loads(line[len("data: "):])))
    return found


def wait_for(client: httpx.Client, run_id: int, statuses: tuple[str, ...], timeout: float = 120) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = client.get(f"/runs/{run_id}").json()
        if run["status"] in statuses:
            return run
        time.sleep(0.1)
    raise AssertionError(f"run {run_id} is still {run['status']}")


def community(client: httpx.Client, cid: str, files: dict[str, bytes]) -> None:
    assert client.post("/communities", json={"id": cid}).status_code == 201
    for name, content in files.items():
        answer = client.put(f"/communities/{cid}/files/{name}", content=content)
        assert answer.status_code == 200, answer.text


def running(client, cid: str) -> int:
    """Post a long run of community `cid` (with `long_files()`) and wait until it reports progress; its id."""
    run_id = client.post(f"/communities/{cid}/weeks/{WEEK}/runs", json={"time_limit": 300}).json()["id"]
    deadline = time.monotonic() + 120
    while client.get(f"/runs/{run_id}").json()["progress"] is None:
        assert time.monotonic() < deadline, "the run never reported progress"
        time.sleep(0.2)
    return run_id
