"""Fixtures of the browser tests: one local federation (fr, es, be, ma on free loopback ports,
real uvicorn servers pushing and pulling over signed HTTP) and one headless Chromium, shared
by the whole session because starting them costs seconds."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

sys.path.insert(0, str(Path(__file__).parent))

from browser_support import CHROMIUM, Site
from tests.cli.cli_support import four_free_ports

from passerelle.cli.local_federation import Federation, FederationOptions

PEOPLE = 20


@pytest.fixture(scope="session")
def federation(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Federation]:
    base = four_free_ports()
    if base is None:
        pytest.fail("no four consecutive free ports on 127.0.0.1")
    running = Federation(FederationOptions(folder=tmp_path_factory.mktemp("federation"),
                                           base_port=base, people=PEOPLE, seed=7))
    running.bind()
    running.prepare()
    running.start()
    yield running
    running.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"no Chromium at {CHROMIUM}: apt-get install chromium "
                    "(or set PASSERELLE_CHROMIUM)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def fr(federation: Federation, browser: Browser) -> Site:
    return Site(federation, "fr", browser)


@pytest.fixture(scope="session")
def ma(federation: Federation, browser: Browser) -> Site:
    return Site(federation, "ma", browser)
