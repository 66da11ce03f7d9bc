"""Fixtures shared by the STIX tests: the public example data in ../shared, when present."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED_STIX = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "stix"


@pytest.fixture
def shared_stix() -> Path:
    """The folder of public STIX examples; skips when absent (a user's clone has no ../shared)."""
    if not SHARED_STIX.is_dir():
        pytest.skip(f"{SHARED_STIX} is absent: the public STIX examples live outside the "
                    "repository (see ../shared/data/README.md)")
    return SHARED_STIX
