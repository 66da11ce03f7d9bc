"""The reference documentation keeps up with the code: every CLI command and option, every
setting, every error code and every API path must be written down in docs/."""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer

from passerelle.cli.main import app
from passerelle.errors import ALL_ERRORS
from passerelle.settings import Settings

DOCS = Path(__file__).resolve().parents[2] / "docs"


def walk(command: Any, path: tuple[str, ...] = ("passerelle",)) -> Iterator[tuple[str, Any]]:
    """Every command of the tree, with its full name, groups included."""
    yield " ".join(path), command
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        yield from walk(sub, (*path, name))


def commands() -> list[tuple[str, Any]]:
    return list(walk(typer.main.get_command(app)))


def sections(markdown: str) -> dict[str, str]:
    """Body of each ``## `passerelle ...``` / ``### ...`` section, keyed by the command."""
    found: dict[str, str] = {}
    parts = re.split(r"^#{2,4} `(passerelle[^`]*)`\s*$", markdown, flags=re.MULTILINE)
    for name, body in zip(parts[1::2], parts[2::2], strict=True):
        found[name.strip()] = body
    return found


def test_every_cli_command_has_a_section_in_cli_md() -> None:
    documented = sections((DOCS / "cli.md").read_text(encoding="utf-8"))
    missing = [name for name, _ in commands() if name not in documented]
    assert not missing, f"commands without a section in docs/cli.md: {missing}"


def test_every_cli_option_is_described_in_its_commands_section() -> None:
    documented = sections((DOCS / "cli.md").read_text(encoding="utf-8"))
    missing = []
    for name, command in commands():
        body = documented.get(name, "")
        for param in command.params:
            for opt in param.opts:
                if opt.startswith("--") and opt != "--help" and f"`{opt}" not in body:
                    missing.append(f"{name} {opt}")
    assert not missing, f"options not described in docs/cli.md: {missing}"


def test_every_setting_env_var_is_in_settings_md() -> None:
    text = (DOCS / "settings.md").read_text(encoding="utf-8")
    missing = [f"PASSERELLE_{name.upper()}" for name in Settings.model_fields
               if f"`PASSERELLE_{name.upper()}`" not in text]
    assert not missing, f"settings missing from docs/settings.md: {missing}"


def test_every_error_code_is_in_errors_md_with_its_status() -> None:
    rows = {m.group(1): int(m.group(2)) for m in re.finditer(
        r"^\|\s*`([a-z_]+)`\s*\|\s*(\d{3})\s*\|", (DOCS / "errors.md").read_text(
            encoding="utf-8"), flags=re.MULTILINE)}
    wrong = [f"{e.code} ({e.status})" for e in ALL_ERRORS if rows.get(e.code) != e.status]
    assert not wrong, f"error codes missing or with the wrong status in docs/errors.md: {wrong}"


def _api_exists() -> bool:
    try:
        module = importlib.import_module("passerelle.api")
    except ImportError:
        return False
    return hasattr(module, "create_app")


def mentions(text: str, path: str) -> bool:
    """True when ``path`` appears as a whole path (``/records`` does not count for
    ``/records/{id}``)."""
    return re.search(r"(?<![\w/{}-])" + re.escape(path) + r"(?![\w/{}-])", text) is not None


def test_mentions_needs_the_whole_path() -> None:
    assert mentions("`GET /records/{record_id}`", "/records/{record_id}")
    assert not mentions("`GET /records/{record_id}`", "/records")


@pytest.mark.skipif(not _api_exists(), reason="passerelle.api.create_app does not exist yet")
def test_every_api_path_is_in_api_md() -> None:
    from passerelle.api import create_app
    from passerelle.clock import SystemClock
    from passerelle.node import Node
    from passerelle.storage import MemoryUnitOfWorkFactory

    settings = Settings(environment="test")
    node = Node.build(settings, MemoryUnitOfWorkFactory(b"k" * 32, SystemClock()))
    paths = create_app(node).openapi()["paths"]
    api_md = DOCS / "api.md"
    assert api_md.exists(), "docs/api.md is missing"
    text = api_md.read_text(encoding="utf-8")
    missing = [path for path in paths if not mentions(text, path)]
    assert not missing, f"API paths missing from docs/api.md: {missing}"
