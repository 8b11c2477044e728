"""`python -m scheduler` is the same as the `roster` command."""

from scheduler.cli import run

run()
