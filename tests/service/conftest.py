"""Fixtures of the service tests: the database (SQLite always, PostgreSQL when ROSTER_TEST_POSTGRES_URL is set),
an in-process app with its tokens, and the sample community's files."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

SAMPLE = Path(__file__).parent.parent.parent / "sample_data" / "yanji7"
WEEK = "2026-W49"
POSTGRES = os.environ.get("ROSTER_TEST_POSTGRES_URL")


def _postgres_database():
    """A new empty database on the test server, dropped afterwards."""
    import psycopg

    name = f"roster_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(POSTGRES, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
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


def sample_files() -> dict[str, bytes]:
    return {name: (SAMPLE / name).read_bytes() for name in ("volunteers.csv", "shifts.yaml", "rules.yaml")}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
