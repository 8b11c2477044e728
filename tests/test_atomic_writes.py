"""The week's files change together: kill -9 at any instant, full disks, shared folders and umasks."""

from __future__ import annotations

import errno
import io
import json
import os
import pickle
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from scheduler.domain.errors import OutputError
from scheduler.domain.models import PlanningWeek, Problem, ShiftDefinition, Volunteer, expand
from scheduler.domain.roster import Assignment, Roster, period_of
from scheduler.io import atomic
from scheduler.io.writers import SET_FILES, render_outputs

ROOT = Path(__file__).parent.parent
WEEK = PlanningWeek.parse("2026-W49")
SET = ("roster.json", "assignments.csv", "duty_table.csv", "roster.xlsx")


def large_week(people: int = 600, posts: int = 120) -> Problem:
    """A big week (840 shifts, 2,520 seats): files large enough that writing them takes a while."""
    definitions = tuple(
        ShiftDefinition(id=f"post-{n}", name=f"岗位{n}", kind="patrol", post=f"gate-{n % 9}",
                        days=frozenset(range(7)), start=(6 * 60 + 30 * (n % 24)) % (24 * 60),
                        end=(8 * 60 + 30 * (n % 24)) % (24 * 60), need=3, max=3)
        for n in range(posts))
    volunteers = tuple(Volunteer(id=f"V{n:04d}", name=f"志愿者{n}", gender="F" if n % 2 else "M", age=60)
                       for n in range(people))
    return Problem(week=WEEK, volunteers=volunteers, definitions=definitions, shifts=expand(definitions, WEEK))


def marked_roster(problem: Problem, mark: str, shift_by: int) -> Roster:
    """Every seat filled, each name carrying `mark`, so that each of the four files says which roster it is."""
    people = problem.volunteers
    assignments = [Assignment.of(shift, people[(i * 3 + k + shift_by) % len(people)])
                   .model_copy(update={"volunteer_name": f"{mark}{(i * 3 + k + shift_by) % len(people)}"})
                   for i, shift in enumerate(problem.shifts) for k in range(shift.need)]
    return Roster(week=WEEK.label, period=period_of(problem), status="complete", generated_at=mark,
                  assignments=assignments)


def marks(folder: Path) -> dict[str, str]:
    """Which roster each visible file of the set belongs to (`甲`/`乙`), read the way a coordinator's tools would."""
    found = {}
    for name in SET:
        path = folder / name
        if name == "roster.xlsx":
            with zipfile.ZipFile(path) as book:  # a truncated workbook fails here
                text = "".join(book.read(n).decode("utf-8") for n in book.namelist() if n.endswith(".xml"))
        else:
            text = path.read_text(encoding="utf-8-sig")
        if name == "roster.json":
            text = json.loads(text)["generated_at"]  # a truncated record fails here
        found[name] = "".join(sorted({m for m in ("甲", "乙") if m in text}))
    changes = folder / "changes.csv"
    found["changes.csv"] = "乙" if changes.is_file() and "乙" in changes.read_text(encoding="utf-8-sig") else ""
    return found


CHILD = r"""
import pickle, sys, types
package = types.ModuleType("scheduler")  # the writer alone, without the package's heavy imports
package.__path__ = [sys.argv[3] + "/scheduler"]
sys.modules["scheduler"] = package
from scheduler.io import atomic
sets = pickle.load(open(sys.argv[2], "rb"))
print("ready", flush=True)
n = 0
while True:
    atomic.commit(sys.argv[1], sets[n % 2], members=sets[2], backup="roster.json")
    n += 1
"""


@pytest.fixture(scope="module")
def payloads(tmp_path_factory) -> Path:
    """The two rosters' files, rendered once: 甲 (the four files) and 乙 (with a changes.csv)."""
    problem = large_week()
    first = render_outputs(marked_roster(problem, "甲", 0), problem, "zh")
    second = render_outputs(marked_roster(problem, "乙", 1), problem, "zh")
    second["changes.csv"] = "\ufeffvolunteer,change\r\n乙,gained\r\n".encode("utf-8")
    path = tmp_path_factory.mktemp("payloads") / "sets.pickle"
    path.write_bytes(pickle.dumps((first, second, SET_FILES)))
    return path


@pytest.mark.parametrize("delay_ms", [0, 2, 5, 8, 12, 17, 23, 30, 40, 50, 80, 150])
def test_a_kill_at_any_instant_leaves_the_old_or_the_new_set(payloads, tmp_path, delay_ms):
    week = tmp_path / "rosters" / WEEK.label
    first, _, members = pickle.loads(payloads.read_bytes())
    atomic.commit(week, first, members=members, backup="roster.json")  # the earlier roster, 甲
    # -S: no site packages to import, the writer needs none; the child starts fast even on a busy machine.
    child = subprocess.Popen([sys.executable, "-S", "-c", CHILD, str(week), str(payloads), str(ROOT)],
                             stdout=subprocess.PIPE)
    assert child.stdout.readline() == b"ready\n"
    time.sleep(delay_ms / 1000)
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    child.stdout.close()

    found = marks(week)
    mark = found["roster.json"]
    assert mark in ("甲", "乙")
    assert found == {**dict.fromkeys(SET, mark), "changes.csv": "乙" if mark == "乙" else ""}, (delay_ms, found)
    for backup in (week / "previous").glob("roster-*.json"):
        assert json.loads(backup.read_text(encoding="utf-8"))["generated_at"] in ("甲", "乙")  # complete copies

    atomic.commit(week, first, members=members, backup="roster.json")  # the next write cleans up
    hidden = sorted(p.name for p in week.iterdir() if p.name.startswith("."))
    assert len(hidden) == 2 and hidden[0] == ".roster-current" and hidden[1].startswith(".roster-gen-"), hidden
    assert not [p for p in week.rglob("*") if p.name.startswith((".roster-tmp-", ".previous-"))]
    assert marks(week)["roster.json"] == "甲"


def test_a_roster_written_by_an_earlier_version_is_taken_over_whole(tmp_path):
    """Plain files (the earlier layout, or one saved over its link by an editor) become the current set first."""
    for name in SET:
        (tmp_path / name).write_text(f"old {name}", encoding="utf-8")
    (tmp_path / "changes.csv").write_text("stale", encoding="utf-8")
    (tmp_path / ".roster.json.abc123.tmp").write_text("left by a killed run", encoding="utf-8")
    atomic.commit(tmp_path, {name: f"new {name}".encode() for name in SET}, members=SET_FILES, backup="roster.json")
    assert {name: (tmp_path / name).read_text(encoding="utf-8") for name in SET} == {n: f"new {n}" for n in SET}
    assert not (tmp_path / "changes.csv").exists()  # it described the old roster
    assert [p.read_text(encoding="utf-8") for p in (tmp_path / "previous").iterdir()] == ["old roster.json"]
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == [".roster-current", ".roster-gen-2"]


def test_a_folder_copied_by_a_tool_that_follows_links_still_works(tmp_path):
    import shutil

    atomic.commit(tmp_path / "a", {"roster.json": b"1"}, members=SET_FILES)
    shutil.copytree(tmp_path / "a", tmp_path / "b")  # links followed: plain files, .roster-current a real folder
    atomic.commit(tmp_path / "b", {"roster.json": b"2"}, members=SET_FILES, backup="roster.json")
    assert (tmp_path / "b" / "roster.json").read_bytes() == b"2"
    assert [p.read_bytes() for p in (tmp_path / "b" / "previous").iterdir()] == [b"1"]


def test_a_full_disk_while_filing_the_backup_leaves_no_truncated_copy(tmp_path, monkeypatch):
    atomic.commit(tmp_path, {"roster.json": b"first"}, members=SET_FILES, backup="roster.json")
    real = atomic._write

    def full(path, data):
        if path.parent.name == "previous" or path.name.startswith(".previous-"):
            with open(path, "wb") as handle:
                handle.write(data[:2])  # what the disk took before it filled up
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return real(path, data)

    monkeypatch.setattr(atomic, "_write", full)
    with pytest.raises(OutputError, match="disk is full"):
        atomic.commit(tmp_path, {"roster.json": b"second"}, members=SET_FILES, backup="roster.json")
    assert (tmp_path / "roster.json").read_bytes() == b"first"
    assert not (tmp_path / "previous").exists() or not list((tmp_path / "previous").iterdir())
    monkeypatch.setattr(atomic, "_write", real)
    atomic.commit(tmp_path, {"roster.json": b"second"}, members=SET_FILES, backup="roster.json")
    assert [p.read_bytes() for p in (tmp_path / "previous").iterdir()] == [b"first"]


def test_a_backup_the_switch_left_pending_is_filed_by_the_next_write(tmp_path, monkeypatch):
    """Killed after the switch, before the backup was filed: the next write files it, once."""
    atomic.commit(tmp_path, {"roster.json": b"first"}, members=SET_FILES, backup="roster.json")
    monkeypatch.setattr(atomic, "tidy", lambda folder: None)  # the run "dies" right after the switch
    atomic.commit(tmp_path, {"roster.json": b"second"}, members=SET_FILES, backup="roster.json")
    assert not (tmp_path / "previous").exists()
    monkeypatch.undo()
    atomic.commit(tmp_path, {"roster.json": b"second"}, members=SET_FILES, backup="roster.json")
    assert [p.read_bytes() for p in (tmp_path / "previous").iterdir()] == [b"first"]


def test_without_symbolic_links_each_file_is_still_replaced_whole(tmp_path, monkeypatch):
    def refused(*args, **kwargs):
        raise OSError(errno.EPERM, "symbolic links are not allowed here")

    monkeypatch.setattr(os, "symlink", refused)
    atomic.commit(tmp_path, {"roster.json": b"1", "assignments.csv": b"a"}, members=SET_FILES, backup="roster.json")
    atomic.commit(tmp_path, {"roster.json": b"2", "assignments.csv": b"b"}, members=SET_FILES, backup="roster.json")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["assignments.csv", "previous", "roster.json"]
    assert (tmp_path / "roster.json").read_bytes() == b"2"
    assert [p.read_bytes() for p in (tmp_path / "previous").iterdir()] == [b"1"]


# ---------------------------------------------------------------- permissions


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_outputs_follow_the_umask(tmp_path, umask, mode):
    old = os.umask(umask)
    try:
        atomic.commit(tmp_path / "week", {"roster.json": b"1"}, members=SET_FILES)
        atomic.commit(tmp_path / "week", {"roster.json": b"2"}, members=SET_FILES, backup="roster.json")
    finally:
        os.umask(old)
    files = [tmp_path / "week" / "roster.json", *(tmp_path / "week" / "previous").iterdir()]
    assert [oct(p.stat().st_mode & 0o777) for p in files] == [oct(mode)] * 2
    assert oct((tmp_path / "week" / ".roster-current").resolve().stat().st_mode & 0o777) == oct(0o777 & ~umask)


def test_an_unwritable_folder_is_found_before_anything_is_done(tmp_path):
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(OutputError, match="is a file, not a folder"):
        atomic.ensure_writable(tmp_path / "file" / "2026-W49")
    atomic.ensure_writable(tmp_path / "new" / "2026-W49")
    assert not (tmp_path / "new").exists()  # checking creates nothing


def as_user(uid: int, gid: int, umask: int):
    """Run `roster ARGS…` as another account: in a forked copy of this process (the interpreter's own
    folder may be closed to that account), which switches user, group and umask first."""

    def run(*args) -> tuple[int, str]:
        from scheduler.cli import main

        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the colleague
            code = 99
            try:
                os.close(read)
                sys.stdout = sys.stderr = io.TextIOWrapper(os.fdopen(write, "wb"), encoding="utf-8")
                os.setgid(gid)
                os.setgroups([gid])
                os.setuid(uid)
                os.umask(umask)
                main.main(args=[str(a) for a in args], prog_name="roster")
                code = 0
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
            except BaseException:  # noqa: BLE001 - reported to the parent as text
                import traceback

                traceback.print_exc()
            finally:
                sys.stdout.flush()
                os._exit(code)
        os.close(write)
        with os.fdopen(read, "rb") as pipe:
            output = pipe.read().decode("utf-8")
        _, status = os.waitpid(pid, 0)
        return os.waitstatus_to_exitcode(status), output

    return run


@pytest.fixture
def open_tmp(tmp_path):
    """A temporary folder other accounts can reach (pytest's own is closed to them).

    The commands run once here first, so that every module they import lazily is imported
    before the fork: the other account cannot read the interpreter's folder.
    """
    import shutil
    import tempfile

    from click.testing import CliRunner

    from scheduler.cli import main

    warm = tmp_path / "warm"
    shutil.copytree(ROOT / "sample_data" / "tutorial", warm, ignore=shutil.ignore_patterns("rosters"))
    for args in (["solve", warm, "--week", "2026-W49", "--quiet", "--time-limit", "1"],
                 ["solve", warm, "--week", "2026-W49", "--quiet", "--time-limit", "1", "--fresh", "--seed", "7"],
                 ["hours", warm], ["solve", warm, "--quiet", "--out", "/proc/none", "--week", "2026-W50"]):
        CliRunner().invoke(main, [str(a) for a in args])
    folder = Path(tempfile.mkdtemp(prefix="roster-shared-"))
    os.chmod(folder, 0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to act as two users")
def test_two_colleagues_share_one_folder_with_umask_002(open_tmp):
    """One coordinator plans a week, a colleague (another account, same group) plans the next and re-plans the
    first; each reads what the other wrote."""
    import shutil

    tmp_path = open_tmp
    shared = tmp_path / "shared"
    shutil.copytree(ROOT / "sample_data" / "tutorial", shared, ignore=shutil.ignore_patterns("rosters"))
    group = 65534
    for path in [tmp_path, shared, *shared.rglob("*")]:
        os.chown(path, 0, group)
        os.chmod(path, 0o2775 if path.is_dir() else 0o664)  # the group's folder: new entries keep its group
    me, colleague = as_user(0, group, 0o002), as_user(65534, group, 0o002)
    code, first = me("solve", shared, "--week", "2026-W49", "--quiet", "--time-limit", "2")
    assert code in (0, 3), first
    week = shared / "rosters" / "2026-W49"
    assert oct((week / "roster.json").stat().st_mode & 0o777) == "0o664"
    code, second = colleague("solve", shared, "--week", "2026-W50", "--quiet", "--time-limit", "2")
    assert code in (0, 3), second  # the lock file, the history: the colleague reads and writes them
    code, hours = colleague("hours", shared)
    assert code == 0, hours
    code, again = colleague("solve", shared, "--week", "2026-W49", "--quiet", "--time-limit", "2", "--fresh",
                            "--seed", "7")
    assert code in (0, 3), again  # a re-plan in the first coordinator's week folder
    code, back = me("hours", shared)
    assert code == 0, back
    assert "Traceback" not in first + second + hours + again + back


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to act as another user")
def test_a_read_only_week_folder_fails_before_the_search_and_a_read_only_register_plans_into_out(open_tmp):
    import shutil

    tmp_path = open_tmp
    folder = tmp_path / "tutorial"
    shutil.copytree(ROOT / "sample_data" / "tutorial", folder, ignore=shutil.ignore_patterns("rosters"))
    nobody = as_user(65534, 65534, 0o022)
    started = time.monotonic()
    code, output = nobody("solve", folder, "--week", "2026-W49", "--quiet", "--time-limit", "30")
    assert code == 2, output
    assert time.monotonic() - started < 20  # not after the 30 s search
    assert "permission denied" in output and "Fix:" in output and "Traceback" not in output
    out = tmp_path / "mine"
    out.mkdir()
    os.chown(out, 65534, 65534)
    code, output = nobody("solve", folder, "--week", "2026-W49", "--quiet", "--time-limit", "2", "--out", out)
    assert code in (0, 3), output
    assert (out / "roster.json").is_file() and (out / ".roster.lock").exists()


@pytest.fixture
def tiny_disk(tmp_path):
    """A real disk of 160 KiB (a tmpfs), where root may mount one; skipped elsewhere."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=160k", "tmpfs", str(mount)], capture_output=True, check=False).returncode != 0:
        pytest.skip("needs root and tmpfs to make a small disk")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], capture_output=True, check=False)


def test_a_really_full_disk_keeps_the_earlier_set_whole_and_leaves_nothing_half(tiny_disk):
    week = tiny_disk / "2026-W49"
    first = {"roster.json": b"1" * 40_000, "assignments.csv": b"a" * 30_000}
    atomic.commit(week, first, members=SET_FILES, backup="roster.json")
    second = {"roster.json": b"2" * 60_000, "assignments.csv": b"b" * 50_000}  # both sets do not fit at once
    with pytest.raises(OutputError, match="the disk is full"):
        atomic.commit(week, second, members=SET_FILES, backup="roster.json")
    assert {name: (week / name).read_bytes() for name in first} == first
    assert sorted(p.name for p in week.iterdir()) == [".roster-current", ".roster-gen-1", "assignments.csv",
                                                      "roster.json"]  # no half generation, no backup
    small = {"roster.json": b"3" * 10_000, "assignments.csv": b"c" * 10_000}
    atomic.commit(week, small, members=SET_FILES, backup="roster.json")
    assert [p.read_bytes() for p in (week / "previous").iterdir()] == [first["roster.json"]]  # whole


def test_solve_on_a_full_disk_says_so_and_keeps_the_earlier_roster(tiny_disk, tmp_path):
    import shutil

    from click.testing import CliRunner

    from scheduler.cli import main

    folder = tmp_path / "tutorial"
    shutil.copytree(ROOT / "sample_data" / "tutorial", folder, ignore=shutil.ignore_patterns("rosters"))
    out = tiny_disk / "week"
    args = ["solve", str(folder), "--week", "2026-W49", "--quiet", "--time-limit", "1", "--out", str(out)]
    assert CliRunner().invoke(main, args).exit_code == 0
    before = (out / "roster.json").read_bytes()
    free = shutil.disk_usage(tiny_disk).free
    (tiny_disk / "filler").write_bytes(b"x" * (free - 8192))  # a disk left with 8 KiB
    result = CliRunner().invoke(main, [*args, "--fresh", "--seed", "5"])
    assert result.exit_code == 2, result.output
    assert "the disk is full" in result.output and "Fix:" in result.output and "Traceback" not in result.output
    assert (out / "roster.json").read_bytes() == before
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == [".roster-current", ".roster-gen-1"]


def test_a_folder_where_roster_json_should_be_is_reported_before_the_search(tmp_path):
    import shutil

    from click.testing import CliRunner

    from scheduler.cli import main

    folder = tmp_path / "tutorial"
    shutil.copytree(ROOT / "sample_data" / "tutorial", folder, ignore=shutil.ignore_patterns("rosters"))
    (folder / "rosters" / "2026-W49" / "roster.json").mkdir(parents=True)
    result = CliRunner().invoke(main, ["solve", str(folder), "--week", "2026-W49", "--quiet", "--time-limit", "30"])
    assert result.exit_code == 2, result.output
    assert "roster.json: it is a folder. Fix: rename or remove that folder" in result.output
    assert "Solver" not in result.output  # no search was run
