"""Shared fixtures: the sample folders, copied without any rosters a walkthrough may have written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from scheduler.cli import main

SAMPLES = Path(__file__).resolve().parent.parent / "sample_data"
REPOSITORY = SAMPLES.parent
TUTORIAL = SAMPLES / "tutorial"
YANJI = SAMPLES / "yanji7"


def copy_sample(name: str, destination: Path) -> Path:
    """A copy of `sample_data/<name>` with only its inputs: never the rosters/ a user's run left there."""
    shutil.copytree(SAMPLES / name, destination, ignore=shutil.ignore_patterns("rosters", ".roster.lock"))
    return destination


def run_cli(*args: object):
    """`roster ARGS` in-process; the result has exit_code, output and stderr."""
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def tutorial_copy(tmp_path: Path) -> Path:
    return copy_sample("tutorial", tmp_path / "tutorial")


@pytest.fixture
def yanji_copy(tmp_path: Path) -> Path:
    return copy_sample("yanji7", tmp_path / "yanji7")
