"""Fixtures of the service tests: the database (SQLite always, PostgreSQL when ROSTER_TEST_POSTGRES_URL is set),
and the servers started for a test, stopped after it."""

from __future__ import annotations

import os
import uuid

import pytest

POSTGRES = os.environ.get("ROSTER_TEST_POSTGRES_URL")


def _postgres_database():
    """A new empty database on the test server, dropped afterwards."""
    import psycopg

    name = f"roster_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(POSTGRES, autocommit=True) as connection:
        # template0: nobody is ever connected to it, so the copy cannot fail on a busy template1
        connection.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
    base, _, _ = POSTGRES.rpartition("/")
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(POSTGRES, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.skipif(
    not POSTGRES, reason="set ROSTER_TEST_POSTGRES_URL to run against PostgreSQL"))])
def db_url(request, tmp_path):
    """None means the embedded default (sqlite:///DATA/roster.db)."""
    if request.param == "sqlite":
        yield None
    else:
        yield from _postgres_database()


@pytest.fixture
def serve(tmp_path, db_url):
    """Start `roster serve` subprocesses (`serve(jobs=2)`); every one is stopped after the test."""
    from .support import Server

    started = []

    def start(jobs: int = 1, data=None) -> Server:
        server = Server(data or tmp_path / "data", db_url, jobs)
        started.append(server)
        return server.start()

    yield start
    for server in started:
        server.stop()
