"""The workbook and the PDF rendered in processes of their own (`scheduler.io.apart`): the same files as
rendered in one process, and a child that fails, dies or is interrupted writes nothing."""

from __future__ import annotations

import io
import multiprocessing
import os
import re
import signal
import time
import zipfile

import pytest

from scheduler.domain.errors import OutputError
from scheduler.io import apart, writers
from scheduler.io.writers import APART_FILES, render_outputs, write_outputs
from tests.test_writers import folder_bytes, make_problem, make_roster

pytestmark = pytest.mark.skipif(not apart.available(), reason="processes cannot be forked here")

LATER = make_roster(make_problem(), status="complete", unfilled=[])


def timeless(name: str, data: bytes) -> bytes | dict[str, bytes]:
    """A file without the moment it was made (the PDF's creation date and id, the workbook's created time)."""
    if name.endswith(".pdf"):
        return re.sub(rb"/ID \[[^\]]*\]", b"", re.sub(rb"/CreationDate \(D:[^)]*\)", b"", data))
    if name.endswith(".xlsx"):
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            return {member: re.sub(rb"<dcterms:(created|modified)[^>]*>[^<]*<", b"<", book.read(member))
                    for member in book.namelist()}
    return data


def test_the_files_rendered_apart_are_the_files_rendered_in_one_process():
    problem = make_problem()
    roster = make_roster(problem)
    serial = render_outputs(roster, problem, "zh")
    side_by_side = render_outputs(roster, problem, "zh", apart_from=0)  # this small week forced apart
    assert list(side_by_side) == list(serial)
    for name in serial:
        assert timeless(name, side_by_side[name]) == timeless(name, serial[name]), name


def test_a_week_below_the_threshold_forks_nothing(monkeypatch):
    def no_child(*args, **kwargs):
        raise AssertionError("a child was started")

    monkeypatch.setattr(apart, "_Child", no_child)
    problem = make_problem()
    render_outputs(make_roster(problem), problem, "zh", apart_from=1 + sum(s.need for s in problem.shifts))


def written_then(tmp_path, monkeypatch, renderer) -> dict[str, bytes]:
    """A folder with a roster written, and the PDF's renderer replaced by `renderer` for the next write."""
    problem = make_problem()
    write_outputs(make_roster(problem), problem, tmp_path, "zh", apart_from=0)
    monkeypatch.setattr(writers, "roster_pdf", renderer)
    return folder_bytes(tmp_path)


def test_a_failure_in_a_child_writes_nothing_and_says_what_failed(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("cannot render the PDF")

    before = written_then(tmp_path, monkeypatch, broken)
    with pytest.raises(RuntimeError, match="cannot render the PDF"):
        write_outputs(LATER, make_problem(), tmp_path, "zh", apart_from=0)
    assert folder_bytes(tmp_path) == before
    assert not multiprocessing.active_children()


def test_a_child_that_dies_writes_nothing_and_says_so(tmp_path, monkeypatch):
    def killed(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGKILL)

    before = written_then(tmp_path, monkeypatch, killed)
    with pytest.raises(OutputError, match=r"roster.pdf could not be rendered.*signal 9.*Nothing was written"):
        write_outputs(LATER, make_problem(), tmp_path, "zh", apart_from=0)
    assert folder_bytes(tmp_path) == before


class Interrupted(Exception):
    pass


def test_an_interrupt_while_the_children_render_kills_them_and_writes_nothing(tmp_path, monkeypatch):
    def slow(*args, **kwargs):
        time.sleep(60)
        return b""

    def interrupt(signum, frame):
        raise Interrupted

    before = written_then(tmp_path, monkeypatch, slow)
    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, 0.5)  # as a Ctrl-C would land in a library caller's process
    try:
        with pytest.raises(Interrupted):
            write_outputs(LATER, make_problem(), tmp_path, "zh", apart_from=0)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert folder_bytes(tmp_path) == before
    assert not multiprocessing.active_children()


def test_a_ctrl_c_reaching_a_child_does_not_break_the_write(tmp_path, monkeypatch):
    real = writers.roster_pdf

    def pressed(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGINT)  # the terminal sends Ctrl-C to every process of the run
        return real(*args, **kwargs)

    written_then(tmp_path, monkeypatch, pressed)
    paths = write_outputs(LATER, make_problem(), tmp_path, "zh", apart_from=0)
    assert [p.name for p in paths if p.name in APART_FILES] == ["roster.xlsx", "roster.pdf"]
    assert (tmp_path / "roster.pdf").read_bytes().startswith(b"%PDF")


def _render_in_a_daemon(answer) -> None:
    problem = make_problem()
    answer.put(sorted(render_outputs(make_roster(problem), problem, "zh", apart_from=0)))


def test_a_daemonic_process_renders_a_big_week_in_one_process():
    # The service plans in daemonic worker processes, which multiprocessing allows no children.
    context = multiprocessing.get_context("fork")
    answer = context.Queue()
    worker = context.Process(target=_render_in_a_daemon, args=(answer,), daemon=True)
    worker.start()
    worker.join(120)
    assert worker.exitcode == 0
    assert answer.get(timeout=5) == sorted(writers.OUTPUT_FILES)
