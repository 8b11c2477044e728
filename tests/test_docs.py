"""The README is part of the interface: every command and option is in it, every `scheduler.X` it names exists."""

from __future__ import annotations

import re

import click
import pytest

import scheduler
from scheduler.cli import main
from tests.conftest import REPOSITORY, copy_sample, run_cli

README = (REPOSITORY / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: str = "roster"):
    for name, command in group.commands.items():
        yield f"{prefix} {name}", command
        if isinstance(command, click.Group):
            yield from _commands(command, f"{prefix} {name}")


COMMANDS = list(_commands(main))


@pytest.mark.parametrize("name", [name for name, _ in COMMANDS])
def test_every_command_is_in_the_readme(name: str) -> None:
    assert f"`{name}" in README or f"{name} " in README, f"{name} is not described in README.md"


@pytest.mark.parametrize("name,option", [(name, opt) for name, command in COMMANDS for param in command.params
                                         if isinstance(param, click.Option) for opt in param.opts
                                         if opt.startswith("--") and opt != "--help"])
def test_every_option_is_in_the_readme(name: str, option: str) -> None:
    assert re.search(re.escape(option) + r"(?![\w-])", README), f"{name} {option} is not described in README.md"


@pytest.mark.parametrize("name", sorted(set(re.findall(r"\bscheduler\.([a-z_][A-Za-z_]*)\b", README))))
def test_every_library_name_in_the_readme_exists(name: str) -> None:
    assert hasattr(scheduler, name) or _is_module(name), f"README names scheduler.{name}, which does not exist"


def _is_module(name: str) -> bool:
    import importlib

    try:
        importlib.import_module(f"scheduler.{name}")
        return True
    except ImportError:
        return False


def test_the_public_surface_is_declared() -> None:
    import scheduler.api as api

    assert sorted(scheduler.__all__) == sorted(set(scheduler.__all__))
    assert set(api.__all__) <= set(scheduler.__all__)
    defined = {name for name, value in vars(api).items() if callable(value) and not name.startswith("_")
               and getattr(value, "__module__", "") == api.__name__}
    assert defined <= set(api.__all__), f"public but not in __all__: {defined - set(api.__all__)}"
    for name in api.__all__:
        # a subpackage or module of the same name must not stand in for the function
        assert getattr(scheduler, name) is getattr(api, name), name


def test_the_readme_library_example_runs_on_the_tutorial(tmp_path, monkeypatch, capsys) -> None:
    """The README's library example, run as written in a folder holding the tutorial with its planned week."""
    readme = (REPOSITORY / "README.md").read_text(encoding="utf-8")
    start = readme.index('```python\nfrom scheduler import api\n\nproblem = api.load("sample_data/tutorial"')
    example = readme[start + len("```python\n"): readme.index("```", start + len("```python\n"))]
    copy_sample("tutorial", tmp_path / "sample_data" / "tutorial")
    assert run_cli("solve", tmp_path / "sample_data" / "tutorial", "--week", "2026-W49", "--quiet").exit_code == 0
    monkeypatch.chdir(tmp_path)
    names: dict = {}
    exec(compile(example, "README.md", "exec"), names)
    assert "2026-W49" in capsys.readouterr().out
    changed, leaving = names["changed"], names["leaving"]  # the cover applied: the leaver is off that shift
    assert (leaving.volunteer, leaving.shift) not in set(changed.pairs())
    assert scheduler.check(names["problem"], changed) == []
