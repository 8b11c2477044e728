"""The `roster` command: a thin click layer over the library. Errors become messages here, in one place.

Exit codes: 0 done (complete roster), 3 partial roster, 2 bad input, 4 roster violations,
1 internal error.
"""

from __future__ import annotations

import functools
import sys
import time
from pathlib import Path

import click

import scheduler.api as api
from scheduler.errors import Finding, InputError, RosterError, RosterFileError
from scheduler.models import Problem
from scheduler.solver import Progress
from scheduler.summary import render_summary
from scheduler.validation import WeekOverview

EXIT_OK, EXIT_INTERNAL, EXIT_BAD_INPUT, EXIT_PARTIAL, EXIT_VIOLATIONS = 0, 1, 2, 3, 4


def _findings_text(findings: list[Finding], title: str) -> str:
    lines = [title]
    for finding in findings:
        lines.append(f"  - {finding}")
    return "\n".join(lines)


def handle_errors(command):
    """Turn the library's errors into messages and exit codes; anything else is an internal error."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except InputError as exc:
            count = len(exc.findings)
            click.echo(_findings_text(exc.findings, f"Cannot use the inputs: {count} problem{'s' if count != 1 else ''} "
                                                    "found. Nothing was written."), err=True)
            sys.exit(EXIT_BAD_INPUT)
        except RosterError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(EXIT_BAD_INPUT)
        except KeyboardInterrupt:
            click.echo("Stopped. Nothing was written.", err=True)
            sys.exit(130)
        except click.exceptions.Exit:
            raise
        except Exception as exc:  # noqa: BLE001 - the last line of defence: say it plainly, keep the trace for a report
            import traceback

            click.echo("Internal error: the roster tool failed unexpectedly. Nothing was written.\n"
                       "Please report this with the lines below:\n" + traceback.format_exc(), err=True)
            sys.exit(EXIT_INTERNAL)

    return wrapper


def input_options(command):
    """--week and the files one by one, shared by every command that loads a problem."""
    for option in reversed([
        click.option("--week", help="ISO week to plan, e.g. 2026-W49 (default: next week)."),
        click.option("--volunteers", type=click.Path(dir_okay=False), help="Register file instead of the folder's."),
        click.option("--shifts", type=click.Path(dir_okay=False), help="Shifts file instead of the folder's."),
        click.option("--rules", type=click.Path(dir_okay=False), help="Rules file instead of the folder's."),
    ]):
        command = option(command)
    return command


def _load(problem_dir: str | None, week, volunteers, shifts, rules) -> Problem:
    return api.load(problem_dir, volunteers=volunteers, shifts=shifts, rules=rules, week=week)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="volunteer-roster")
def main() -> None:
    """Weekly duty rosters for community volunteer teams.

    PROBLEM is a folder holding volunteers.csv (or .xlsx/.json), shifts.yaml and, optionally,
    rules.yaml. See the README for the formats.
    """


@main.command()
@click.argument("problem", type=click.Path(file_okay=False), required=False)
@input_options
@handle_errors
def validate(problem, week, volunteers, shifts, rules) -> None:
    """Check the inputs, report every problem at once, and summarise the week."""
    loaded = _load(problem, week, volunteers, shifts, rules)
    report = api.validate(loaded)
    click.echo(f"The inputs are valid for {loaded.week.label} ({loaded.week.monday} - {loaded.week.sunday}).")
    click.echo(overview_text(report.overview))
    if report.warnings:
        click.echo(_findings_text(report.warnings, f"\nWarnings ({len(report.warnings)}):"))
    else:
        click.echo("\nNo warnings.")


def overview_text(view: WeekOverview) -> str:
    """The validate summary: volunteers, shifts, and seats against what volunteers offer."""
    lines = [
        f"\nVolunteers: {view.volunteers_active} active of {view.volunteers_total}",
        "  per team:  " + ", ".join(f"{team} {n}" for team, n in view.per_team.items()),
        "  ages:      " + ", ".join(f"{band} {n}" for band, n in view.age_bands.items()),
        "  health:    " + ", ".join(f"{level} {n}" for level, n in view.health.items()),
        f"\nShifts this week: {sum(d['shifts'] for d in view.per_day)}",
        "  per kind:  " + ", ".join(f"{kind} {n}" for kind, n in view.shifts_per_kind.items()),
        "\nSeats needed and what volunteers offer, per day:",
        f"  {'date':<16}{'shifts':>7}{'seats':>7}{'people':>8}{'offered':>9}",
    ]
    for day in view.per_day:
        flag = "  <- short" if day["offered"] < day["seats"] else ""
        lines.append(f"  {day['date']} {day['weekday']:<5}{day['shifts']:>7}{day['seats']:>7}{day['people']:>8}"
                     f"{day['offered']:>9}{flag}")
    lines += ["\nPer team (offered: the most shifts the team's members could serve this week):",
              f"  {'team':<16}{'members':>8}{'seats':>7}{'offered':>9}"]
    for team in view.per_team_supply:
        flag = "  <- short" if team["offered"] < team["seats"] else ""
        lines.append(f"  {team['team']:<16}{team['members']:>8}{team['seats']:>7}{team['offered']:>9}{flag}")
    return "\n".join(lines)


class ProgressLine:
    """The live line on stderr: elapsed time, seats still missing, objective and bound."""

    def __init__(self) -> None:
        self.live = sys.stderr.isatty()
        self.last = 0.0

    def __call__(self, progress: Progress) -> None:
        text = (f"  {progress.elapsed:6.1f} s   missing {progress.shortfall:3d}   "
                f"objective {progress.objective:,}   bound {progress.bound:,}")
        if self.live:
            click.echo("\r" + text, nl=False, err=True)
        elif time.monotonic() - self.last >= 1.0:
            click.echo(text, err=True)
            self.last = time.monotonic()

    def close(self) -> None:
        if self.live:
            click.echo("", err=True)


@main.command()
@click.argument("problem", type=click.Path(file_okay=False))
@input_options
@click.option("--out", type=click.Path(file_okay=False), help="Folder for the outputs (default PROBLEM/rosters/WEEK).")
@click.option("--time-limit", type=click.FloatRange(min=0.1), default=30.0, show_default=True, help="Seconds of search.")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed; the same seed gives the same roster.")
@click.option("--workers", type=click.IntRange(min=1), default=8, show_default=True, help="Parallel search workers.")
@click.option("--fast", is_flag=True, help="Plain parallel search under the wall clock: faster, not reproducible.")
@click.option("--lang", type=click.Choice(["zh", "en"]), help="Language of the duty table and summary (default: rules file).")
@click.option("--quiet", is_flag=True, help="No progress line.")
@click.option("--no-history", is_flag=True, help="Ignore the rosters of earlier weeks.")
@click.option("--fresh", is_flag=True, help="Plan from scratch, ignoring an earlier roster of this week.")
@click.option("--locks", "locks_file", type=click.Path(dir_okay=False),
              help="Promised assignments (default: PROBLEM/locks.csv when present).")
@click.option("--freeze-until", help="Keep every assignment before this date exactly as it was (e.g. 2026-12-02).")
@handle_errors
def solve(problem, week, volunteers, shifts, rules, out, time_limit, seed, workers, fast, lang, quiet,
          no_history, fresh, locks_file, freeze_until) -> None:
    """Plan one week and write roster.json, assignments.csv, duty_table.csv and roster.xlsx.

    Earlier weeks' rosters in PROBLEM/rosters/ feed fairness and rotation. When the week was
    planned before, that roster is the baseline: assignments that are still valid are kept
    unless moving them fills an empty seat, and changes.csv lists who gained and lost what.
    """
    loaded = _load(problem, week, volunteers, shifts, rules)
    lang = lang or loaded.rules.language
    out_dir = Path(out) if out else Path(problem) / "rosters" / loaded.week.label
    history = None if no_history else api.load_history(problem, loaded)
    baseline = None if fresh else api.load_baseline(out_dir)
    locks = locks_file or api.find_locks(problem)
    progress = None if quiet else ProgressLine()
    try:
        roster = api.solve(loaded, time_limit=time_limit, seed=seed, workers=workers, deterministic=not fast,
                           language=lang, on_progress=progress, history=history, baseline=baseline, locks=locks,
                           freeze_until=freeze_until)
    finally:
        if progress:
            progress.close()
    written = api.write(roster, loaded, out_dir, lang)
    click.echo(render_summary(roster, loaded, lang))
    if roster.replan is not None and baseline is not None:
        click.echo(replan_text(roster, lang))
    click.echo(("\n写入：" if lang == "zh" else "\nWritten: ") + ", ".join(str(p) for p in written))
    sys.exit(EXIT_OK if roster.status == "complete" else EXIT_PARTIAL)


def replan_text(roster, lang: str) -> str:
    """One line on how the re-plan changed the earlier roster of the week."""
    r = roster.replan
    if lang == "zh":
        return f"\n重新排班：保留 {r.kept} 个安排，撤下 {r.dropped} 个，新增 {r.added} 个（共改动 {r.dropped + r.added} 处）"
    return (f"\nRe-plan: kept {r.kept} assignments, dropped {r.dropped}, added {r.added} "
            f"({r.dropped + r.added} changes)")


@main.command()
@click.argument("problem", type=click.Path(file_okay=False))
@click.argument("roster", type=click.Path(dir_okay=False))
@input_options
@handle_errors
def check(problem, roster, week, volunteers, shifts, rules) -> None:
    """Verify a roster (ours, or hand-edited JSON or CSV) against every hard rule."""
    record = api.read_roster(roster)
    if not (week or record.week):
        raise RosterFileError(f"{roster}: cannot tell which week the roster is for. Fix: pass --week 2026-W49")
    loaded = _load(problem, week or record.week, volunteers, shifts, rules)
    violations = api.check(loaded, record)
    if not violations:
        click.echo(f"{roster}: {len(record.assignments)} assignments, every rule holds.")
        return
    click.echo(f"{roster}: {len(violations)} violation{'s' if len(violations) != 1 else ''}:")
    for violation in violations:
        click.echo(f"  - {violation}")
    sys.exit(EXIT_VIOLATIONS)
