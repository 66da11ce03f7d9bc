"""docs/federation.md keeps up with peer trust: every rejection reason is in its table."""

from __future__ import annotations

import re
from pathlib import Path

from passerelle.errors import RejectReason

FEDERATION_MD = Path(__file__).resolve().parents[2] / "docs" / "federation.md"


def test_every_signature_rejection_reason_is_in_federation_md() -> None:
    rows = set(re.findall(r"^\|\s*`([a-z_]+)`\s*\|", FEDERATION_MD.read_text(encoding="utf-8"),
                          flags=re.MULTILINE))
    missing = [reason.value for reason in RejectReason if reason.value not in rows]
    assert not missing, f"rejection reasons missing from docs/federation.md: {missing}"
