"""Every command explains itself: ``--help`` renders, and every command, option and argument
carries a help text."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from passerelle.cli.main import app


def walk(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    yield path, command
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        yield from walk(sub, (*path, name))


COMMANDS = list(walk(typer.main.get_command(app)))


def test_the_tree_holds_every_command_of_the_brief() -> None:
    names = {" ".join(path) for path, _ in COMMANDS}
    assert names >= {"init", "seed", "serve", "import", "export", "user add", "user list",
                     "user set-roles", "user disable", "user enable", "user password",
                     "token issue", "token list", "token revoke", "audit verify",
                     "audit export", "screen"}


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS], ids=lambda p: " ".join(p) or "root")
def test_help_renders(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output


@pytest.mark.parametrize(("path", "command"), COMMANDS,
                         ids=[" ".join(p) or "root" for p, _ in COMMANDS])
def test_every_command_and_parameter_has_help(path: tuple[str, ...], command: Any) -> None:
    assert (command.help or "").strip(), f"{path} has no help"
    undocumented = [p.name for p in command.params
                    if p.name != "help" and not (getattr(p, "help", None) or "").strip()]
    assert not undocumented, f"{' '.join(path)}: parameters without help: {undocumented}"
