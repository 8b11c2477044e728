"""Writing files so that they change together: killed at any instant, a folder holds the complete old
set or the complete new set of a week's files, never a mix, never a truncated file.

The layout (the one Kubernetes uses for files it must swap as a whole):

    rosters/2026-W49/
        roster.json      -> .roster-current/roster.json        one link per file, where readers look
        assignments.csv  -> .roster-current/assignments.csv
        ...
        .roster-current  -> .roster-gen-7                       the one link that says which set is current
        .roster-gen-7/      roster.json assignments.csv ...     the files, never changed once written
        previous/roster-20261201T084500.json

`commit` writes every file of the new set into a new generation folder, syncs it to disk, and
only then replaces the link `.roster-current` by a rename, which the OS performs atomically:
that rename is the one instant the whole set changes. Killed before it, the old generation is
still current (the new folder is removed by the next write); killed after it, the new one is.
Files are created with mode 0666 less the umask, so a colleague's account sees what the umask
grants. Where the folder cannot hold symbolic links (some USB sticks and network shares,
Windows without developer mode), files are replaced one by one instead, the record
(`roster.json`) last, and each file is still complete.
"""

from __future__ import annotations

import collections
import contextlib
import datetime as dt
import errno
import functools
import itertools
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from scheduler.domain.errors import OutputError

CURRENT = ".roster-current"
GENERATION = ".roster-gen-"
TEMPORARY = ".roster-tmp-"
PENDING = ".previous-"  # in a generation: the roster it replaced, until filed under previous/
PREVIOUS = "previous"
LEGACY_TEMPORARY = (".roster.json.", ".assignments.csv.", ".duty_table.csv.", ".roster.xlsx.", ".changes.csv.")

# What this process has committed, so that messages after a write tell the truth (bounded: a
# long-running service never clears it).
_written: collections.deque[Path] = collections.deque(maxlen=100)


def written_so_far() -> list[Path]:
    """Every path this process has committed (the command line says so when stopped after a write)."""
    return list(_written)


def forget_written() -> None:
    _written.clear()


WRITE_FAILURES = (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM)


def _plainly(write):
    """A write failing for want of space or permission becomes an OutputError with the fix, not a traceback."""

    @functools.wraps(write)
    def wrapper(target, *args, **kwargs):
        try:
            return write(target, *args, **kwargs)
        except OSError as exc:
            if exc.errno not in WRITE_FAILURES:
                raise
            if not isinstance(target, Mapping):
                place = Path(target)  # the folder, not the hidden generation inside it
            else:
                place = Path(exc.filename).parent if exc.filename else Path.cwd()
            raise OutputError(cannot_write(place, exc)) from None

    return wrapper


# ---------------------------------------------------------------- the set of a folder


@_plainly
def commit(folder: str | Path, files: Mapping[str, bytes], *, members: Iterable[str] = (), carry: bool = False,
           backup: str | None = None, same: Callable[[bytes, bytes], bool] = bytes.__eq__) -> list[Path]:
    """Make `files` (name -> bytes) the current set of `folder` in one atomic step; returns their paths.

    `members` names every file that belongs to the set: one the new set lacks disappears with the
    old set (a stale changes.csv never sits beside a newer roster). With `carry`, the current
    files not in `files` stay in the set (adding changes.csv to a written roster). With `backup`
    (e.g. "roster.json"), the current file of that name is filed under `previous/` when the new
    one differs from it by `same`, in the same step: a backup exists exactly when the file was replaced.
    """
    folder = Path(folder)
    members = set(members) | set(files)
    _make_folder(folder)
    if not _links_work(folder):
        return _replace_one_by_one(folder, files, backup, same)
    tidy(folder)
    _absorb(folder, members)
    current = _current(folder)
    generation = _new_generation(folder)
    try:
        if carry and current:
            for name in sorted(members - set(files)):
                if (current / name).is_file():
                    _copy(current / name, generation / name)
        for name, data in files.items():
            _write(generation / name, data)
        if backup and current and (current / backup).is_file() and backup in files:
            old = (current / backup).read_bytes()
            if not same(old, files[backup]):
                stamp = dt.datetime.fromtimestamp((current / backup).stat().st_mtime).strftime("%Y%m%dT%H%M%S")
                _write(generation / f"{PENDING}{stamp}{Path(backup).suffix}", old)
        _sync(generation)
        for name in sorted(members | _names(current)):
            _link(folder, name)  # before the switch a new name's link dangles: the file is absent, as in the old set
    except BaseException:
        shutil.rmtree(generation, ignore_errors=True)
        raise
    paths = [folder / name for name in files]
    try:
        _point(folder, CURRENT, generation.name)  # the switch
    finally:
        # Also when a Ctrl-C lands just after the rename: what is on disk decides what was written.
        if (folder / CURRENT).is_symlink() and os.readlink(folder / CURRENT) == generation.name:
            _written.extend(paths)
    _sync(folder)
    with contextlib.suppress(OSError):
        tidy(folder)  # files the backup and removes the old generation; a failure is retried on the next write
    return paths


def tidy(folder: str | Path) -> None:
    """Finish or remove what a killed run left in `folder`: the pending backup of the current set is
    filed under previous/; other generations, temporary files and links to absent files go."""
    folder = Path(folder)
    current = _current(folder)
    for entry in list(folder.iterdir()) if folder.is_dir() else []:
        name = entry.name
        if name.startswith(GENERATION) and (current is None or name != current.name):
            shutil.rmtree(entry, ignore_errors=True)
        elif name == CURRENT and not entry.is_symlink():
            _remove(entry)  # a copy made by a tool that follows links: the plain files beside it are the set
        elif _left_over(entry) or (_is_ours(entry) and not entry.exists()):  # ... or a link to an absent file
            _remove(entry)
    if (folder / PREVIOUS).is_dir():
        for entry in (folder / PREVIOUS).glob(f"{TEMPORARY}*"):
            _remove(entry)
    if current:  # after the old generations are gone: on a nearly full disk the space is there again
        for pending in sorted(current.glob(f"{PENDING}*")):
            file_under_previous(folder, f"roster-{pending.name[len(PENDING):]}", pending.read_bytes(), pending)
            pending.unlink()


def _left_over(entry: Path) -> bool:
    """A temporary file or link of a killed run (this module's, or an earlier version's `.roster.json.*.tmp`)."""
    name = entry.name
    return name.startswith(TEMPORARY) or (name.startswith(LEGACY_TEMPORARY) and name.endswith(".tmp"))


def _absorb(folder: Path, members: set[str]) -> None:
    """Turn plain files of the set (an earlier version's layout, or one an editor saved over its link) into a
    generation, so that the next switch replaces them together with the rest. The contents stay
    the same at every instant: first a generation holding them, then each file by its link."""
    plain = [name for name in sorted(members) if (folder / name).is_file() and not _is_ours(folder / name)]
    if not plain:
        return
    current = _current(folder)
    generation = _new_generation(folder)
    try:
        for name in _names(current) - set(plain):
            assert current is not None  # no names without a current generation
            _copy(current / name, generation / name)
        for name in plain:
            _copy(folder / name, generation / name)
        _sync(generation)
    except BaseException:
        shutil.rmtree(generation, ignore_errors=True)
        raise
    _point(folder, CURRENT, generation.name)
    for name in plain:
        _link(folder, name)
    _sync(folder)
    tidy(folder)


def file_under_previous(folder: str | Path, stem: str, data: bytes, source: Path | None = None) -> Path:
    """`data` as `folder/previous/<stem>` (`-2`, `-3` … before the suffix when taken), complete or not at all.

    `source`, a complete file holding `data`, is linked to the name (no space needed); otherwise
    a temporary copy is. A link fails rather than overwrite another copy; a copy with the same
    bytes already there (filed by a run killed just after) is not filed twice.
    """
    target_dir = Path(folder) / PREVIOUS
    _make_folder(target_dir)
    base, suffix = os.path.splitext(stem)
    for counter in itertools.count(1):
        target = target_dir / (f"{base}{suffix}" if counter == 1 else f"{base}-{counter}{suffix}")
        if target.exists():
            if target.read_bytes() == data:
                return target
            continue
        if source is not None:
            try:
                os.link(source, target)
            except FileExistsError:
                continue
            except OSError:
                source = None  # no hard links here: a copy, below
            else:
                _sync(target_dir)
                return target
        temporary = target_dir / f"{TEMPORARY}{target.name}"
        _remove(temporary)
        _write(temporary, data)
        try:
            os.link(temporary, target)
        except FileExistsError:
            continue
        except OSError:  # no hard links on this disk: a rename, the name was free a moment ago
            os.replace(temporary, target)
        finally:
            _remove(temporary)
        _sync(target_dir)
        return target
    raise AssertionError("unreachable")


# ---------------------------------------------------------------- single files


@_plainly
def replace_files(files: Mapping[Path, bytes]) -> list[Path]:
    """Each file written complete beside its place and renamed over it once all are written.

    For files the tool writes to paths a user names (`--csv`, `--out`, `--totals`): each file is
    always whole, old or new; they are not switched as one set.
    """
    temporary: dict[Path, Path] = {}
    try:
        for path, data in files.items():
            _make_folder(path.parent)
            temporary[path] = _write(path.parent / f"{TEMPORARY}{path.name}.{os.getpid()}", data)
        for path in files:
            check_replaceable(path)
        for path in files:
            os.replace(temporary.pop(path), path)
    finally:
        for leftover in temporary.values():
            _remove(leftover)
    for folder in {path.parent for path in files}:
        _sync(folder)
    _written.extend(files)
    return list(files)


def _replace_one_by_one(folder: Path, files: Mapping[str, bytes], backup: str | None,
                        same: Callable[[bytes, bytes], bool]) -> list[Path]:
    """Without symbolic links: each file replaced by rename, `backup` (the record readers trust) last."""
    order = sorted(files, key=lambda name: name == backup)
    old = folder / backup if backup else None
    if backup is not None and old is not None and old.is_file() and backup in files and not same(old.read_bytes(), files[backup]):
        stamp = dt.datetime.fromtimestamp(old.stat().st_mtime).strftime("%Y%m%dT%H%M%S")
        previous = (f"roster-{stamp}{old.suffix}", old.read_bytes())
    else:
        previous = None
    for path in folder.glob(f"{TEMPORARY}*"):
        _remove(path)
    paths = {folder / name: files[name] for name in order}
    temporary: dict[Path, Path] = {}
    try:
        for path, data in paths.items():
            temporary[path] = _write(folder / f"{TEMPORARY}{path.name}", data)
        for path in paths:
            check_replaceable(path)
        if previous:
            file_under_previous(folder, *previous)
        for path in paths:
            os.replace(temporary.pop(path), path)
    finally:
        for leftover in temporary.values():
            _remove(leftover)
    _sync(folder)
    _written.extend(paths)
    return [folder / name for name in files]


def check_replaceable(path: Path) -> None:
    """Fail before any rename when a target is open in Excel (Windows locks open files against replacing)."""
    if os.name != "nt" or not path.exists():
        return
    with open(path, "r+b"):
        pass


# ---------------------------------------------------------------- checking a folder early


def ensure_writable(folder: str | Path) -> None:
    """Raise OutputError (a message with the fix) when files cannot be written into `folder`.

    Call it before the search, so that a read-only week folder fails in a second, not after the
    whole search. Nothing is left behind: a folder that does not exist yet is not created, its
    nearest existing parent is tried instead.
    """
    folder = Path(folder)
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise OutputError(f"cannot write the roster into {folder}: {existing} is a file, not a folder. "
                          "Fix: give --out a folder, or move that file away")
    places = [existing] + ([folder / PREVIOUS] if folder == existing and (folder / PREVIOUS).is_dir() else [])
    for place in places:
        try:
            with tempfile.TemporaryFile(dir=place, prefix=TEMPORARY):
                pass
        except OSError as exc:
            raise OutputError(cannot_write(place, exc)) from None
    for name in ("roster.json", "assignments.csv", "duty_table.csv", "roster.xlsx", "changes.csv"):
        if folder == existing and (folder / name).is_dir():
            raise OutputError(f"cannot write {folder / name}: it is a folder. Fix: rename or remove that folder")


def cannot_use(place: Path, exc: OSError) -> str:
    """A file or folder this account may not read or write (or a full or read-only disk), and the fix."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EROFS):
        return cannot_write(place.parent if place.suffix else place, exc)
    return (f"cannot open {place}: permission denied for this account. "
            "Fix: ask the folder's owner for access (chmod g+rw, or g+rwx for a folder), "
            "or copy the folder somewhere you own")


def cannot_write(place: Path, exc: OSError) -> str:
    """What a failed write means for a coordinator, and the fix."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return (f"cannot write into {place}: the disk is full. Nothing was changed there. "
                "Fix: free some space (or give --out a folder on another disk) and run again")
    if exc.errno == errno.EROFS:
        return (f"cannot write into {place}: the disk is read-only. Nothing was changed there. "
                "Fix: give --out a folder you can write to")
    return (f"cannot write into {place}: permission denied for this account. Nothing was changed there. "
            "Fix: ask the folder's owner for write access (chmod g+w), or give --out a folder you can write to")


# ---------------------------------------------------------------- small pieces


def _current(folder: Path) -> Path | None:
    link = folder / CURRENT
    return link.resolve() if link.is_symlink() and link.resolve().is_dir() else None


def _names(generation: Path | None) -> set[str]:
    if generation is None:
        return set()
    return {p.name for p in generation.iterdir() if not p.name.startswith(".")}


def _new_generation(folder: Path) -> Path:
    numbers = [int(p.name[len(GENERATION):]) for p in folder.glob(f"{GENERATION}*") if p.name[len(GENERATION):].isdigit()]
    for number in itertools.count(max(numbers, default=0) + 1):
        generation = folder / f"{GENERATION}{number}"
        try:
            generation.mkdir()
            return generation
        except FileExistsError:
            continue
    raise AssertionError("unreachable")


def _is_ours(path: Path) -> bool:
    return path.is_symlink() and os.readlink(path) == f"{CURRENT}/{path.name}"


def _link(folder: Path, name: str) -> None:
    """`folder/name` -> `.roster-current/name`, put in place by rename (a plain file is replaced whole)."""
    if not _is_ours(folder / name):
        _point(folder, name, f"{CURRENT}/{name}")


def _point(folder: Path, name: str, target: str) -> None:
    """Replace `folder/name` by a symbolic link to `target` in one rename."""
    temporary = folder / f"{TEMPORARY}{name}"
    _remove(temporary)
    os.symlink(target, temporary)
    os.replace(temporary, folder / name)


def _links_work(folder: Path) -> bool:
    if (folder / CURRENT).is_symlink():
        return True
    probe = folder / f"{TEMPORARY}probe"
    _remove(probe)
    try:
        os.symlink(CURRENT, probe)
    except (OSError, NotImplementedError):
        return False
    _remove(probe)
    return True


def _write(path: Path, data: bytes) -> Path:
    """A new file holding `data`, synced to disk, mode 0666 less the umask; never half there under its name
    unless its name is temporary (a failure removes it)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        _remove(path)
        raise
    return path


def _copy(source: Path, target: Path) -> None:
    """A copy with the umask's mode (not the source's) and the source's modification time (backups are named by it)."""
    _write(target, source.read_bytes())
    stat = source.stat()
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def _make_folder(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)


def _remove(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink()


def _sync(folder: Path) -> None:
    """Make renames and new entries durable where the platform can sync a directory (not on Windows)."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
