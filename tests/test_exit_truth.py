"""Exit codes and messages after a write tell the truth: closed pipes, Ctrl-C after the write, internal errors."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from scheduler import cli
from scheduler.io import atomic
from scheduler.solving.solver import Stopper

ROOT = Path(__file__).parent.parent
WEEK = "2026-W49"


@pytest.fixture
def tutorial(tmp_path: Path) -> Path:
    folder = tmp_path / "tutorial"
    shutil.copytree(ROOT / "sample_data" / "tutorial", folder, ignore=shutil.ignore_patterns("rosters"))
    return folder


def roster_process(*args: object) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen([sys.executable, "-m", "scheduler", *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env)


def clean(err: bytes) -> None:
    text = err.decode("utf-8")
    for bad in ("Traceback", "Internal error", "Exception ignored", "Nothing was written", "KeyboardInterrupt"):
        assert bad not in text, text


def test_a_reader_that_stops_after_one_line_ends_the_output_not_the_run(tutorial):
    """`roster validate … | head -1` and `roster solve … | true`: no error, the run's own exit code."""
    process = roster_process("validate", tutorial, "--week", WEEK)
    assert process.stdout.readline().startswith(b"The inputs are valid")
    process.stdout.close()  # what head -1 does
    assert process.wait(timeout=120) == 0
    clean(process.stderr.read())

    process = roster_process("solve", tutorial, "--week", WEEK, "--time-limit", "2", "--quiet")
    process.stdout.close()  # what `| true` does: nobody ever reads
    assert process.wait(timeout=120) == 0  # the tutorial week fills completely
    clean(process.stderr.read())
    assert (tutorial / "rosters" / WEEK / "roster.json").is_file()


def written_then(after):
    """A command that writes a file as the library does, then does `after` (a Ctrl-C, a failure …)."""

    @cli.handle_errors
    def command(folder):
        atomic.commit(folder, {"roster.json": b"{}"}, members=("roster.json",))
        after()
        click.echo("Written: roster.json")
        sys.exit(cli.EXIT_PARTIAL)

    return click.command()(click.argument("folder")(command))


def test_ctrl_c_after_the_write_lets_the_run_finish_with_its_own_exit_code(tmp_path):
    result = CliRunner().invoke(written_then(lambda: signal.raise_signal(signal.SIGINT)), [str(tmp_path)])
    assert result.exit_code == cli.EXIT_PARTIAL, result.output
    assert "Written: roster.json" in result.output and "Stopped" not in result.output


def test_ctrl_c_before_any_write_says_nothing_was_written(tmp_path, monkeypatch):
    @cli.handle_errors
    def command():
        signal.raise_signal(signal.SIGINT)

    def leave(code):
        raise SystemExit(code)

    monkeypatch.setattr(cli, "_leave", leave)  # the real one ends the process at once
    result = CliRunner().invoke(click.command()(command), [])
    assert result.exit_code == 130
    assert "已停止。没有写入任何文件。" in result.output  # no rules file: the rules' default language


def test_a_signal_once_the_stopper_is_sealed_changes_nothing_and_says_nothing(capsys):
    stopper = Stopper()
    with cli.Interruptible(stopper, "zh"):
        stopper.seal()
        signal.raise_signal(signal.SIGINT)
        signal.raise_signal(signal.SIGINT)
    assert not stopper.requested
    assert capsys.readouterr().err == ""  # no 正在停止 once the files are being written


def test_an_internal_error_after_the_write_names_the_files_and_no_cell_contents(tmp_path):
    def fail():
        raise ValueError("cannot parse '13912345678 高血压'")

    result = CliRunner().invoke(written_then(fail), [str(tmp_path)])
    assert result.exit_code == cli.EXIT_INTERNAL
    assert "内部错误" in result.output and "ValueError" in result.output
    assert "没有写入任何文件" not in result.output
    assert f"以下文件已经写完整：{tmp_path / 'roster.json'}" in result.output
    assert "test_exit_truth.py:" in result.output  # where: the file and line of each frame
    assert "1391234" not in result.output and "高血压" not in result.output


def test_a_full_disk_is_an_error_with_a_fix_not_a_traceback(tmp_path, monkeypatch):
    import errno

    def full(path, data):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(atomic, "_write", full)

    @cli.handle_errors
    def command():
        atomic.commit(tmp_path, {"roster.json": b"{}"}, members=("roster.json",))

    result = CliRunner().invoke(click.command()(command), [])
    assert result.exit_code == cli.EXIT_BAD_INPUT
    assert "the disk is full" in result.output and "Fix:" in result.output and "Traceback" not in result.output


def test_ctrl_c_while_the_report_prints_keeps_the_exit_code_of_the_written_roster(tutorial):
    """A real process: Ctrl-C as soon as the summary starts (the files are written by then), and again as
    it winds down. Before, this died by SIGINT or said "Nothing was written"."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1")
    process = subprocess.Popen([sys.executable, "-m", "scheduler", "solve", str(tutorial), "--week", WEEK,
                                "--time-limit", "2", "--quiet", "--lang", "en"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    assert process.stdout.readline().startswith(b"Week 2026-W49")
    process.send_signal(signal.SIGINT)
    process.stdout.close()
    assert process.wait(timeout=120) == 0
    clean(process.stderr.read())
    assert (tutorial / "rosters" / WEEK / "roster.json").is_file()


def test_the_process_keeps_the_commands_exit_code_and_runs_the_exit_handlers(tmp_path):
    # `roster` ends with os._exit (no teardown of a big week's objects): the handlers must still run.
    script = tmp_path / "roster_as_a_process.py"
    script.write_text("import atexit, sys\n"
                      "from scheduler.cli import run\n"
                      "atexit.register(lambda: print('handlers ran'))\n"
                      "sys.argv = ['roster', 'validate', sys.argv[1]]\n"
                      "run()\n", encoding="utf-8")
    done = subprocess.run([sys.executable, str(script), str(tmp_path / "no such folder")], capture_output=True,
                          text=True, timeout=120, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert done.returncode == 2
    assert done.stdout.strip() == "handlers ran"
    assert "no such folder" in done.stderr or "没有这个文件夹" in done.stderr
