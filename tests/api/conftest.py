"""Fixtures of the API tests: a node on a fresh, migrated SQLite database in tmp_path, with a
fixed clock, and its API with one user per role (see api_support)."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# pytest imports test modules with importlib (no sys.path change): make the support module of
# this directory importable by its (unique) name.
sys.path.insert(0, str(Path(__file__).parent))

from api_support import (
    Api,
    MovableClock,
    build_node,
    make_api,
    template_database,
)

from passerelle.node import Node


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    return template_database(tmp_path_factory.mktemp("template"))


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


@pytest.fixture
def node(tmp_path: Path, clock: MovableClock, template: tuple[Path, dict[str, str]]) -> Node:
    database = tmp_path / "node.db"
    shutil.copyfile(template[0], database)
    return build_node(database, clock)


@pytest.fixture
def api(node: Node, clock: MovableClock, template: tuple[Path, dict[str, str]]
        ) -> Iterator[Api]:
    yield from make_api(node, clock, template[1])
