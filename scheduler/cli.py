"""The `roster` command: a thin click layer over the library. Errors become messages here, in one place.

Exit codes: 0 done (complete roster), 3 partial roster, 2 bad input (or an output folder that
cannot be written), 4 roster violations, 5 another run is writing to the same folder, 1 internal
error, 130 stopped by a second Ctrl-C before anything was written. A closed stdout (`| head`)
does not change the exit code.
"""

from __future__ import annotations

import atexit
import contextlib
import errno
import functools
import math
import os
import signal
import sys
import time
import traceback
from pathlib import Path

import click

import scheduler.api as api
from scheduler.city import CITY_SIZES, city_language, community_name, outcome_word, summary_text
from scheduler.domain.errors import Finding, InputError, InternalCheckError, RosterError, RosterLockedError
from scheduler.domain.models import Problem, Rules
from scheduler.engines import ENGINES
from scheduler.io import atomic
from scheduler.io.atomic import forget_written, written_so_far
from scheduler.io.changes import changes_text, write_changes_csv
from scheduler.loading.folder import folder_lock as _folder_lock
from scheduler.render.check_text import check_text
from scheduler.render.findings import finding_lines
from scheduler.render.summary import render_summary
from scheduler.render.supply_text import before_solving_text
from scheduler.render.texts import t
from scheduler.render.validate_text import validate_text
from scheduler.service.commands import serve, token
from scheduler.solving.solver import Progress, Stopper
from scheduler.weekly.ledger import ledger_text, write_ledger

EXIT_OK, EXIT_INTERNAL, EXIT_BAD_INPUT, EXIT_PARTIAL, EXIT_VIOLATIONS, EXIT_BUSY = 0, 1, 2, 3, 4, 5


class Seconds(click.FloatRange):
    """A number of seconds: at least `min`, and a real number (`nan` and `inf` are refused, with a fix)."""

    name = "seconds"
    example = "30"

    def convert(self, value, param, ctx):
        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            lang = _language(ctx.params if ctx is not None else {})
            self.fail(t(lang, "cli.not_seconds", value=repr(value), unit=t(lang, f"cli.unit.{self.name}"),
                        example=self.example), param, ctx)
        return number


class Gigabytes(Seconds):
    """A number of gigabytes (of memory), checked as `Seconds` are."""

    name = "gigabytes"
    example = "16"


def _findings_text(findings: list[Finding], title: str, lang: str) -> str:
    return "\n".join([title, *finding_lines(findings, lang)])


def _language(params: dict) -> str:
    """The language of a command's messages: --lang, else the rules file's `language` (of --rules or the
    problem folder), else zh. Asked when something went wrong, too: a rules file that cannot be read
    still gives its `language:` line."""
    if params.get("lang"):
        return params["lang"]
    return api.rules_language(params.get("problem"), params.get("rules"))


def handle_errors(command):
    """Turn the library's errors into messages and exit codes; anything else is an internal error.

    Every message says what is on disk: "Nothing was written" only when this run wrote nothing.
    A reader that goes away (`roster solve … | head -1`) ends the output, not the run: the files
    are written and the exit code is the run's own. Ctrl-C after the files were written lets the
    last lines print (a moment) instead of breaking them off.
    """

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        forget_written()
        _open_standard_streams()
        streams = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = ClosedPipeSafe(sys.stdout), ClosedPipeSafe(sys.stderr)
        previous = {sig: _install(sig, _late_interrupt) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            return command(*args, **kwargs)
        except InputError as exc:
            lang = _language(kwargs)
            title = t(lang, "cli.cannot_use", n=len(exc.findings), written=written_text(lang))
            click.echo(_findings_text(exc.findings, title, lang), err=True)
            if exc.warnings:  # e.g. which sheet of a workbook was read: the problems may come from there
                click.echo(_findings_text(exc.warnings, t(lang, "cli.also_noted", n=len(exc.warnings)), lang), err=True)
            sys.exit(EXIT_BAD_INPUT)
        # The library's other errors say what happened in English sentences of their own: their lines stay English.
        except RosterLockedError as exc:
            click.echo(f"Busy: {exc}", err=True)
            sys.exit(EXIT_BUSY)
        except InternalCheckError as exc:  # the tool's defect, not the inputs': exit code 1
            click.echo(f"Internal error: {exc}", err=True)
            sys.exit(EXIT_INTERNAL)
        except RosterError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(EXIT_BAD_INPUT)
        except OSError as exc:
            if exc.errno not in atomic.WRITE_FAILURES:
                click.echo(internal_error_text(exc, _safe_language(kwargs)), err=True)
                sys.exit(EXIT_INTERNAL)
            place = Path(exc.filename) if exc.filename else Path.cwd()
            click.echo(f"Error: {atomic.cannot_use(place, exc)} {written_text()}", err=True)
            sys.exit(EXIT_BAD_INPUT)
        except KeyboardInterrupt:
            lang = _safe_language(kwargs)
            click.echo(t(lang, "cli.stopped", written=written_text(lang)), err=True)
            _leave(130)
        except (click.exceptions.Exit, click.ClickException):
            raise  # usage errors: click prints them with the command's usage line, exit 2
        except Exception as exc:  # noqa: BLE001 - the last line of defence: say it plainly, no cell contents
            click.echo(internal_error_text(exc, _safe_language(kwargs)), err=True)
            sys.exit(EXIT_INTERNAL)
        finally:
            for stream in (sys.stdout, sys.stderr):
                with contextlib.suppress(OSError, ValueError):
                    stream.flush()
            sys.stdout, sys.stderr = streams
            _after_write.since = time.monotonic()
            for sig, handler in previous.items():
                _install(sig, _after_write if written_so_far() else handler)

    return wrapper


def written_text(lang: str = "en") -> str:
    """`Nothing was written.`, or which files this run did write (they are complete)."""
    written = written_so_far()
    if not written:
        return t(lang, "cli.nothing_written")
    return t(lang, "cli.were_written", paths=t(lang, "join.names").join(str(p) for p in written))


def _safe_language(params: dict) -> str:
    """The messages' language when the tool itself failed: reading the rules again must not fail too."""
    try:
        return _language(params)
    except Exception:  # noqa: BLE001 - an internal error is being reported; English says it as well
        return "en"


def internal_error_text(exc: BaseException, lang: str = "en") -> str:
    """What failed and where in the code: the exception's type and the file, line and function of each frame.

    The exception's own text is left out: an error raised on a cell's value would quote it, and
    a cell can hold someone's name, phone number or health.
    """
    frames = traceback.extract_tb(exc.__traceback__)
    where = [f"  {Path(f.filename).name}:{f.lineno} in {f.name}" for f in frames[-8:]]
    return "\n".join([t(lang, "cli.crashed", kind=type(exc).__name__, written=written_text(lang)),
                      t(lang, "cli.report"), *where])


class ClosedPipeSafe:
    """stdout or stderr whose reader may go away: once it has, what is printed is dropped, without an error.

    The file descriptor is pointed at the null device too, so that the interpreter's last flush
    at exit does not complain either.
    """

    def __init__(self, stream) -> None:
        # None: the stream was closed before the run started (`roster solve … >&-`).
        self._stream = stream
        self.closed_pipe: bool = stream is None or (isinstance(stream, ClosedPipeSafe) and stream.closed_pipe)

    def write(self, text):
        if not self.closed_pipe:
            try:
                return self._stream.write(text)
            except OSError as exc:
                self._drop(exc)
        return len(text)

    def flush(self) -> None:
        if not self.closed_pipe:
            try:
                self._stream.flush()
            except OSError as exc:
                self._drop(exc)

    def _drop(self, exc: OSError) -> None:
        if exc.errno not in (errno.EPIPE, errno.EBADF):  # the reader went away, or the stream was closed
            raise exc
        self.closed_pipe = True
        with contextlib.suppress(OSError, ValueError, AttributeError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self._stream.fileno())
            os.close(devnull)

    def isatty(self) -> bool:
        return not self.closed_pipe and self._stream.isatty()

    def __getattr__(self, name):
        return getattr(self._stream, name)


def _open_standard_streams() -> None:
    """A closed stdout or stderr (`>&-`) is pointed at the null device: otherwise the next file opened would
    get its number, and whatever a library prints to it would land in that file (a roster, the lock)."""
    for fd in (1, 2):
        try:
            os.fstat(fd)
        except OSError:
            devnull = os.open(os.devnull, os.O_WRONLY)
            if devnull != fd:
                os.dup2(devnull, fd)
                os.close(devnull)


def _install(signum: int, handler):
    """Set a signal handler where that is possible (the main thread); returns the one it replaced."""
    try:
        return signal.signal(signum, handler)
    except (ValueError, TypeError):  # not the main thread (an embedding service), or no handler to restore
        return None


def _late_interrupt(signum, frame) -> None:
    """Ctrl-C or SIGTERM outside the search: abort, unless this run already wrote its files (then the
    report finishes, in a moment, and the exit code is the run's)."""
    if not written_so_far():
        raise KeyboardInterrupt


def _after_write(signum, frame) -> None:
    """Ctrl-C while the interpreter winds down after the files were written: ignored for a moment, so
    that the exit code stays the run's (not 130, nor death by SIGINT); later, Ctrl-C as usual."""
    if time.monotonic() - _after_write.since > AFTER_WRITE_SECONDS:  # type: ignore[attr-defined]  # set below
        raise KeyboardInterrupt


_after_write.since = 0.0  # type: ignore[attr-defined]  # when the files were written (time.monotonic)
AFTER_WRITE_SECONDS = 5.0


@atexit.register
def _exit_after_write() -> None:
    """The interpreter's shutdown puts Python's signal handlers back to the system's, under which Ctrl-C
    would kill the process and turn a written roster's exit code into death by SIGINT: ignore
    Ctrl-C and SIGTERM for the last moment instead, once the files are written."""
    if written_so_far():
        for sig in (signal.SIGINT, signal.SIGTERM):
            _install(sig, signal.SIG_IGN)


def _leave(code: int) -> None:
    """Exit at once: an aborted search may still be tearing down its worker threads, and the interpreter's
    own shutdown would then end in a C++ abort (or "Exception ignored") instead of the exit code."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)


def input_options(command):
    """--week and the files one by one, shared by every command that loads a problem."""
    for option in reversed([
        click.option("--week", help="ISO week to plan, e.g. 2026-W49 (default: next week)."),
        click.option("--volunteers", type=click.Path(dir_okay=False), help="Register file instead of the folder's."),
        click.option("--shifts", type=click.Path(dir_okay=False), help="Shifts file instead of the folder's."),
        click.option("--rules", type=click.Path(dir_okay=False), help="Rules file instead of the folder's."),
        click.option("--sheet", expose_value=False, callback=_remember_sheet,
                     help="Sheet of a workbook register to read (default: the planned month's, e.g. 12月, else the "
                          "first)."),
    ]):
        command = option(command)
    return command


def _remember_sheet(ctx: click.Context, param, value: str | None) -> None:
    """--sheet goes to every load of the command without being one more argument of each."""
    ctx.meta["roster.sheet"] = value


def _load(problem_dir: str | None, week, volunteers, shifts, rules) -> Problem:
    sheet = click.get_current_context().meta.get("roster.sheet")
    return api.load(problem_dir, volunteers=volunteers, shifts=shifts, rules=rules, week=week, sheet=sheet)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="volunteer-roster")
def main() -> None:
    """Weekly duty rosters for community volunteer teams.

    PROBLEM is a folder holding volunteers.csv (or .xlsx/.json), shifts.yaml and, optionally,
    rules.yaml. See the README for the formats.
    """


LANG_OPTION = click.option("--lang", type=click.Choice(["zh", "en"]),
                           help="Language of the messages (default: the rules file's language).")


@main.command()
@click.argument("problem", type=click.Path(file_okay=False), required=False)
@input_options
@LANG_OPTION
@handle_errors
def validate(problem, week, volunteers, shifts, rules, lang) -> None:
    """Check the inputs, report every problem at once, and summarise the week."""
    loaded = _load(problem, week, volunteers, shifts, rules)
    report = api.validate(loaded)
    click.echo(validate_text(loaded, report.overview, report.warnings, lang or loaded.rules.language))


class ProgressLine:
    """The live line on stderr: elapsed time, seats still missing, objective and bound, in `lang`
    (set once the rules are read: until then the line is not shown)."""

    def __init__(self, lang: str = "zh") -> None:
        self.live = sys.stderr.isatty()
        self.last = 0.0
        self.lang = lang

    def __call__(self, progress: Progress) -> None:
        text = "  " + t(self.lang, "cli.progress", part=t(self.lang, "cli.progress_part", part=progress.part) + "  " if progress.part else "",
                        elapsed=f"{progress.elapsed:6.1f}", missing=f"{progress.shortfall:3d}",
                        objective=f"{progress.objective:,}", bound=f"{progress.bound:,}")
        if self.live:
            click.echo("\r" + text, nl=False, err=True)
        elif time.monotonic() - self.last >= 1.0:
            click.echo(text, err=True)
            self.last = time.monotonic()

    def close(self) -> None:
        if self.live:
            click.echo("", err=True)


@main.command()
@click.argument("problem", type=click.Path(file_okay=False), is_eager=True)  # read first: its rules give the messages' language
@input_options
@click.option("--out", type=click.Path(file_okay=False), help="Folder for the outputs (default PROBLEM/rosters/WEEK).")
@click.option("--time-limit", type=Seconds(min=0.1),
              help="Seconds for the whole run (default: the rules file's time_limit, else 30).")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed; the same seed gives the same roster.")
@click.option("--workers", type=click.IntRange(min=1), default=8, show_default=True, help="Parallel search workers.")
@click.option("--processes", type=click.IntRange(min=1),
              help="Processes for the warm starts of a big week's parts (default: the cores; same roster whatever).")
@click.option("--fast", is_flag=True, help="Plain parallel search under the wall clock: faster, not reproducible.")
@click.option("--lang", type=click.Choice(["zh", "en"]), help="Language of the duty table and summary (default: rules file).")
@click.option("--quiet", is_flag=True, help="No progress line.")
@click.option("--no-history", is_flag=True, help="Ignore the rosters of earlier weeks.")
@click.option("--fresh", is_flag=True, help="Plan from scratch, ignoring an earlier roster of this week.")
@click.option("--locks", "locks_file", type=click.Path(dir_okay=False),
              help="Promised assignments (default: PROBLEM/locks.csv when present).")
@click.option("--freeze-until", help="Keep every assignment before this date exactly as it was (e.g. 2026-12-02).")
@click.option("--wait", type=Seconds(min=0), default=600, show_default=True,
              help="Seconds to wait while another run writes to the same problem folder.")
@click.option("--max-memory", type=Gigabytes(min=0, min_open=True),
              help="GB this run may use; a larger week is refused before building (default: the memory available).")
@handle_errors
def solve(problem, week, volunteers, shifts, rules, out, time_limit, seed, workers, processes, fast, lang, quiet,
          no_history, fresh, locks_file, freeze_until, wait, max_memory) -> None:
    """Plan one week and write roster.json, assignments.csv, duty_table.csv, roster.xlsx and roster.pdf.

    Earlier weeks' rosters in PROBLEM/rosters/ feed fairness and rotation. When the week was
    planned before, that roster is the baseline: assignments that are still valid are kept
    unless moving them fills an empty seat, and changes.csv lists who gained and lost what.
    """
    chosen_lang = lang or api.rules_language(problem, rules)
    progress = None if quiet else ProgressLine(chosen_lang)
    stopper = Stopper(grace=Interruptible.GRACE_SECONDS)

    def show_supply(found, loaded: Problem) -> None:
        signals.lang = lang or loaded.rules.language
        if progress:
            progress.lang = signals.lang
        if not quiet:
            click.echo(before_solving_text(found, loaded, signals.lang), err=True)

    def say_waiting(seconds: float) -> None:
        click.echo(waiting_text(problem, seconds, chosen_lang), err=True)

    with Interruptible(stopper, chosen_lang) as signals:
        try:
            planned = api.plan_week(problem, week, out=out, volunteers=volunteers, shifts=shifts, rules=rules,
                                    time_limit=time_limit, seed=seed, workers=workers, deterministic=not fast,
                                    processes=processes, lang=lang, history=not no_history, fresh=fresh, locks=locks_file,
                                    freeze_until=freeze_until, wait=wait, stopper=stopper, on_progress=progress,
                                    on_supply=show_supply, on_wait=say_waiting, max_memory=max_memory,
                                    sheet=click.get_current_context().meta.get("roster.sheet"))
        finally:
            if progress:
                progress.close()
    roster, lang = planned.roster, lang or planned.problem.rules.language
    click.echo(render_summary(roster, planned.problem, lang))
    if roster.replan is not None and planned.changes is not None:
        click.echo(replan_text(roster, lang))
    if planned.later_weeks:
        click.echo(later_weeks_text(planned.later_weeks, problem, lang))
    click.echo("\n" + t(lang, "cli.written", paths=", ".join(str(p) for p in planned.written)))
    sys.exit(EXIT_OK if roster.status == "complete" else EXIT_PARTIAL)


class Interruptible:
    """Ctrl-C or SIGTERM once: stop searching and write the best roster so far; twice: abort, write nothing.

    The second signal aborts (exit 130, at once) until the stopper is sealed, just before the files
    are written; after a first signal, sealing leaves a moment (GRACE_SECONDS, the stopper's
    grace) for the second, so that a double Ctrl-C always aborts. Once sealed, signals are
    ignored: the files are being written, or are written, and the run ends by itself in a moment.
    """

    GRACE_SECONDS = 1.0

    def __init__(self, stopper: Stopper, lang: str):
        self.stopper, self.lang = stopper, lang

    def _on_signal(self, signum, frame) -> None:
        if self.stopper.sealed:
            return
        if not self.stopper.requested:
            self.stopper.stop()
            click.echo("\n" + t(self.lang, "cli.stopping"), err=True)
        else:
            # Exit from here rather than raise: an exception raised at an arbitrary point (a finaliser,
            # a solver callback) can be swallowed as "Exception ignored". Nothing is written before the seal.
            click.echo("\n" + t(self.lang, "cli.aborted"), err=True)
            _leave(130)

    def __enter__(self) -> Interruptible:
        self._previous = {sig: _install(sig, self._on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
        return self

    def __exit__(self, *exc) -> None:
        for sig, handler in self._previous.items():
            if handler is not None:
                _install(sig, handler)


def later_weeks_text(weeks: list[str], problem: str, lang: str) -> str:
    """After a re-plan: the later weeks that were planned against what this week said before."""
    commands = t(lang, "cli.commands_join").join(f"roster solve {problem} --week {w}" for w in weeks)
    return "\n" + t(lang, "cli.later_weeks", weeks=t(lang, "cli.later_join").join(weeks), commands=commands)


def folder_lock(problem: Path, wait: float, lang: str = "en"):
    """The library's folder lock (scheduler.loading.folder), saying on stderr when it waits for another run."""
    return _folder_lock(problem, wait, on_wait=lambda seconds: click.echo(waiting_text(problem, seconds, lang), err=True))


def waiting_text(problem: str | Path, seconds: float, lang: str = "en") -> str:
    return t(lang, "cli.waiting", folder=problem, seconds=f"{seconds:g}")


def replan_text(roster, lang: str) -> str:
    """One line on how the re-plan changed the earlier roster of the week."""
    r = roster.replan
    return "\n" + t(lang, "cli.replan", kept=r.kept, dropped=r.dropped, added=r.added, changes=r.dropped + r.added)


@main.command()
@click.argument("problem", type=click.Path(file_okay=False))
@click.argument("roster", type=click.Path(dir_okay=False))
@input_options
@click.option("--locks", "locks_file", type=click.Path(dir_okay=False),
              help="Promised assignments (default: PROBLEM/locks.csv when present).")
@LANG_OPTION
@handle_errors
def check(problem, roster, week, volunteers, shifts, rules, locks_file, lang) -> None:
    """Verify a roster (ours, or hand-edited JSON, CSV or roster.xlsx) against every hard rule.

    Of roster.xlsx the duty grid (值勤表) is checked: the names in its cells, matched to the
    register; assignments its 安排明细 sheet lists otherwise are reported. The folder's history
    and locks.csv are checked too.
    """
    result = api.check_week(problem, roster, week, volunteers=volunteers, shifts=shifts, rules=rules,
                            locks=locks_file)
    click.echo(check_text(result, roster, lang or result.language))
    if not result.ok:
        sys.exit(EXIT_VIOLATIONS)


@main.command()
@click.argument("problem", type=click.Path(file_okay=False))
@input_options
@click.option("--volunteer", "volunteer_id", metavar="ID", help="Why this person has these shifts, or none.")
@click.option("--shift", "shift_id", metavar="SHIFT", help="Who could take this shift (<id>@<date>) and why these people.")
@click.option("--lang", type=click.Choice(["zh", "en"]), help="Language (default: the roster's).")
@handle_errors
def explain(problem, week, volunteers, shifts, rules, volunteer_id, shift_id, lang) -> None:
    """Why a person or a shift got what it got in the week's roster (PROBLEM/rosters/WEEK/roster.json).

    Without --week: the week of --shift's date, else the latest week planned. Without --volunteer
    or --shift: the objective per goal and who carries its points.
    """
    found = api.explain_week(problem, week, volunteer=volunteer_id, shift=shift_id, lang=lang,
                             volunteers=volunteers, shifts=shifts, rules=rules)
    click.echo(found.text())


@main.command()
@click.argument("problem", type=click.Path(file_okay=False), is_eager=True)  # read first: its rules give the messages' language
@input_options
@click.option("--shift", "shift_id", required=True, metavar="SHIFT", help="The shift (<id>@<date>) to fill.")
@click.option("--without", "without", metavar="ID",
              help="The volunteer who cannot come (leave out to fill a seat that is already empty).")
@click.option("--with", "with_", metavar="ID|NAME",
              help="Only this person (a stand-in who came instead): an id, or a name only one volunteer has.")
@click.option("--apply", "rank", type=click.IntRange(min=1), is_flag=False, flag_value=1, metavar="[N]",
              help="Put the N-th replacement (default 1; with --with, that person) on the shift and rewrite the "
                   "roster (the earlier one goes to previous/).")
@click.option("--lang", type=click.Choice(["zh", "en"]), help="Language (default: the roster's).")
@click.option("--wait", type=Seconds(min=0), default=600, show_default=True,
              help="Seconds to wait while another run writes to the same problem folder.")
@handle_errors
def cover(problem, week, volunteers, shifts, rules, shift_id, without, with_, rank, lang, wait) -> None:
    """Who can take a shift: ranked replacements for a drop-out (--without), people for an empty seat, or
    one named person (--with), each keeping every hard rule with the rest of the roster unchanged.

    Exit 4 when the person given with --with would break a hard rule (nothing is written).
    """
    result = api.cover_week(problem, shift_id, week, without=without, with_=with_, apply=rank, lang=lang,
                            wait=wait, volunteers=volunteers, shifts=shifts, rules=rules,
                            on_wait=lambda seconds: click.echo(waiting_text(problem, seconds, lang or _language(
                                {"problem": problem, "rules": rules})), err=True))
    click.echo(result.text(), nl=False)
    if result.written:
        click.echo(t(result.lang, "cover.written", paths=", ".join(str(p) for p in result.written)))
    if result.refused:
        sys.exit(EXIT_VIOLATIONS)


DATE_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d"]


@main.command()
@click.argument("old", type=click.Path(dir_okay=False))
@click.argument("new", type=click.Path(dir_okay=False))
@click.option("--lang", type=click.Choice(["zh", "en"]), help="Language of the list (default: the new roster's).")
@click.option("--csv", "csv_file", type=click.Path(dir_okay=False), help="Also write the changes to this CSV file.")
@handle_errors
def diff(old, new, lang, csv_file) -> None:
    """Who gained and who lost which shift from OLD to NEW (roster.json or assignments.csv files)."""
    before, after = api.read_roster(old), api.read_roster(new)
    lang = lang or after.language
    changes = api.diff(before, after)
    if before.week and after.week and before.week != after.week:
        click.echo(t(lang, "changes.weeks_differ", old=before.week, new=after.week), err=True)
    click.echo(changes_text(changes, lang))
    if csv_file:
        write_changes_csv(csv_file, changes, lang)
        click.echo("\n" + t(lang, "file.written", paths=csv_file))


@main.command()
@click.argument("problem", type=click.Path(file_okay=False))
@click.option("--from", "start", type=click.DateTime(DATE_FORMATS), metavar="DATE",
              help="First date counted, e.g. 2026-11-01 (default: the earliest).")
@click.option("--to", "end", type=click.DateTime(DATE_FORMATS), metavar="DATE",
              help="Last date counted, e.g. 2026-11-30 (default: the latest).")
@click.option("--out", type=click.Path(dir_okay=False), help="Write one row per shift served to this CSV file.")
@click.option("--totals", type=click.Path(dir_okay=False), help="Write the hours per volunteer to this CSV file.")
@click.option("--served-only", is_flag=True, help="Count only shifts marked served (到岗), not unmarked ones.")
@click.option("--rules", type=click.Path(dir_okay=False), help="Rules file instead of the folder's.")
@click.option("--lang", type=click.Choice(["zh", "en"]), help="Language of the table (default: rules file).")
@handle_errors
def hours(problem, start, end, out, totals, served_only, rules, lang) -> None:
    """Service hours (志愿时长) per volunteer from the weekly rosters in PROBLEM/rosters/.

    Absent (缺勤) shifts never count; unmarked ones count as served unless --served-only.
    """
    if out and totals and Path(out).resolve() == Path(totals).resolve():
        raise click.BadParameter(t(_language({"lang": lang, "problem": problem, "rules": rules}), "cli.same_file"),
                                 param_hint="--totals")
    ledger = api.ledger(problem, start and start.date(), end and end.date(), served_only=served_only, rules=rules)
    lang = lang or ledger.rules.language
    written = write_ledger(ledger, out, totals)
    click.echo(ledger_text(ledger, lang, problem))
    if written:
        click.echo("\n" + t(lang, "file.written", paths=", ".join(str(p) for p in written)))
    elif ledger.weeks:
        click.echo("\n" + t(lang, "hours.hint"))


@main.command()
@click.argument("out", type=click.Path())
@click.option("--volunteers", "count", type=click.IntRange(min=1), required=True, help="How many volunteers.")
@click.option("--seed", type=int, default=0, show_default=True, help="The same seed gives the same files.")
@click.option("--week", help="ISO week the blocked dates and one-off activities fall in (default: next week).")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="en", show_default=True, help="Language of the report.")
@handle_errors
def generate(out, count, seed, week, lang) -> None:
    """Write a realistic synthetic problem folder of any size into the new folder OUT."""
    made = api.generate(out, count, seed=seed, week=week)
    click.echo(t(lang, "cli.generated", folder=made.folder, volunteers=made.volunteers,
                 communities=t(lang, "cli.compounds", n=made.communities), definitions=made.definitions,
                 shifts=made.shifts, seats=made.seats, week=made.week.label, offered=made.offered))
    click.echo(t(lang, "cli.next_validate", folder=made.folder, week=made.week.label))


@main.command()
@click.argument("problem", type=click.Path(file_okay=False))
@input_options
@click.option("--changed", is_flag=True, help="Only the people whose shifts the last re-plan changed.")
@click.option("--out", type=click.Path(file_okay=False),
              help="Folder for the notices (default PROBLEM/rosters/WEEK/notices, or notices-changed).")
@click.option("--lang", type=click.Choice(["zh", "en"]), help="Language of the notices (default: the roster's).")
@handle_errors
def notices(problem, week, volunteers, shifts, rules, changed, out, lang) -> None:
    """Write each volunteer's WeChat message, the group announcement and .ics calendar files for a planned week."""
    from scheduler.weekly.notices import notices_folder

    loaded = _load(problem, week, volunteers, shifts, rules)
    found = api.week_notices(problem, loaded, changed=changed, lang=lang)
    folder = Path(out) if out else notices_folder(problem, loaded, changed)
    if changed and not found.people:
        click.echo(t(found.lang, "notice.no_changes"))
        return
    api.write_notices(found, folder)
    key = "notice.summary_changed" if changed else "notice.summary"
    click.echo(t(found.lang, key, n=len(found.people), folder=folder))
    if found.people:
        click.echo("\n" + found.people[0].text)


@main.command("solve-all")
@click.argument("parent", type=click.Path(file_okay=False))
@click.option("--week", help="ISO week to plan, e.g. 2026-W49 (default: next week).")
@click.option("--engine", type=click.Choice(ENGINES), default="local", show_default=True,
              help="local: worker processes here; ray: a Ray cluster (pip install 'volunteer-roster[ray]').")
@click.option("--ray-address", metavar="ADDR", help="Ray cluster to join ('auto': the one started here with ray start).")
@click.option("--parallel", type=click.IntRange(min=1), help="Communities at a time (local; default cores // workers).")
@click.option("--time-limit", type=click.FloatRange(min=0.1), default=30.0, show_default=True,
              help="Seconds for each community.")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed; the same seed gives the same rosters.")
@click.option("--workers", type=click.IntRange(min=1), default=8, show_default=True,
              help="Search workers (CPUs) per community.")
@click.option("--processes", type=click.IntRange(min=1),
              help="Processes per community for a big week's warm starts (Ray; default: the machine's cores).")
@click.option("--lang", type=click.Choice(["zh", "en"]), help="Language of the rosters and the table (default: rules files).")
@click.option("--quiet", is_flag=True, help="No line per finished community.")
@handle_errors
def solve_all(parent, week, engine, ray_address, parallel, time_limit, seed, workers, processes, lang, quiet) -> None:
    """Plan every community folder under PARENT, each as `roster solve FOLDER`; write PARENT/summary-WEEK.csv.

    Exit 0 when every roster is complete, 3 when some are partial, 2 when some community could
    not be planned (its row says why). Ctrl-C: every community being planned writes its best
    roster so far; Ctrl-C again stops at once.
    """
    shown = lang or Rules().language
    stopper = Stopper()

    def on_outcome(outcome, done, total) -> None:
        if not quiet:
            click.echo(t(shown, "city.progress", done=done, total=total, community=community_name(Path(parent), outcome.folder),
                         status=outcome_word(shown, outcome.status), seconds=f"{outcome.seconds:.1f}"), err=True)

    def on_signal(signum, frame) -> None:
        if stopper.requested:
            raise KeyboardInterrupt
        stopper.stop()
        click.echo("\n" + t(shown, "city.stopping"), err=True)

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        city = api.solve_all(parent, week, engine=engine, parallel=parallel, ray_address=ray_address,
                             time_limit=time_limit, seed=seed, workers=workers, processes=processes, lang=lang, stopper=stopper,
                             on_outcome=on_outcome)
    except KeyboardInterrupt:  # the second Ctrl-C: the engine has ended its runs
        click.echo(t(shown, "city.aborted"), err=True)
        sys.stderr.flush()
        os._exit(130)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    click.echo(summary_text(city, city_language(city, lang)))
    sys.exit({"complete": EXIT_OK, "partial": EXIT_PARTIAL}.get(city.exit_status, EXIT_BAD_INPUT))


@main.command("generate-city")
@click.argument("out", type=click.Path())
@click.option("--communities", type=click.IntRange(min=1), required=True, help="How many community folders.")
@click.option("--seed", type=int, default=0, show_default=True, help="The same seed gives the same files.")
@click.option("--week", help="ISO week the blocked dates and one-off activities fall in (default: next week).")
@click.option("--sizes", type=(click.IntRange(min=1), click.IntRange(min=1)), default=CITY_SIZES, show_default=True,
              metavar="FEWEST MOST", help="Volunteers per community, drawn between these.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="en", show_default=True, help="Language of the report.")
@handle_errors
def generate_city(out, communities, seed, week, sizes, lang) -> None:
    """Write COMMUNITIES realistic community folders of varied sizes into the new folder OUT."""
    made = api.generate_city(out, communities, seed=seed, week=week, sizes=sizes)
    click.echo(t(lang, "cli.generated_city", n=len(made), folder=out, volunteers=sum(m.volunteers for m in made),
                 fewest=min(m.volunteers for m in made), most=max(m.volunteers for m in made),
                 seats=sum(m.seats for m in made), week=made[0].week.label))
    click.echo(t(lang, "cli.next_solve_all", folder=out, week=made[0].week.label))



main.add_command(serve)
main.add_command(token)


def run() -> None:
    """`roster` as a process (the console script and `python -m scheduler`): the command, the exit
    handlers, then the exit itself without Python's teardown of every object one by one, which after
    a 20,000-volunteer week's files were written took 1.5 s more."""
    try:
        main()
    except SystemExit as done:
        code = done.code
    else:
        code = 0
    if code is not None and not isinstance(code, int):  # a message handed to sys.exit
        with contextlib.suppress(OSError, ValueError):
            click.echo(code, err=True)
        code = 1
    atexit._run_exitfuncs()  # (they would run at the interpreter's shutdown: the signals' rule above, the fork server)
    _leave(code or 0)
