"""``passerelle partner``: legal bases per partner and the transfer register."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from passerelle.interop.stix.export import record_to_stix

from .cli_support import Invoke, node_of


def test_a_basis_that_does_not_fit_is_refused_naming_the_field(seeded: Path, cli: Invoke) -> None:
    result = cli("partner", "basis", "ma", "--kind", "eu_directive")
    assert result.exit_code == 2
    assert "kind" in result.output
    listed = cli("partner", "list")
    assert listed.exit_code == 0
    assert "ma" in listed.output


def test_recorded_basis_lets_personal_data_reach_morocco_and_the_register_says_so(
        seeded: Path, cli: Invoke) -> None:
    result = cli("partner", "basis", "ma", "--kind", "agreement",
                 "--reference", "Accord de coopération policière (fictional)")
    assert result.exit_code == 0, result.output
    assert "agreement" in cli("partner", "list").output
    with node_of(seeded) as node:
        page = node.federation.partner_page(
            "ma", None, None, 500, lambda r: repr(record_to_stix(r)).encode())
    sent = [e for e in page.entries if e.payload is not None]
    assert sent, "the seeded sample holds records releasable to Morocco"
    # Recording the basis decided the stored records again: persons now go too.
    assert any(e.release.record_id.startswith("person--") for e in sent)
    register = cli("partner", "transfers", "--recipient", "ma", "--justification", "review")
    assert register.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(register.output)))
    assert len(rows) == len(sent)
    assert {row["recipient"] for row in rows} == {"ma"}
    assert {row["basis"] for row in rows} == {"agreement", "not_required"}
