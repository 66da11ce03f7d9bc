"""``passerelle audit verify`` / ``audit export``: the chain is checked end to end and any
altered, removed or truncated entry is named; exports are complete and logged."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

from .cli_support import Invoke, node_of


def entry_count(database: Path) -> int:
    with sqlite3.connect(database) as connection:
        return int(connection.execute("SELECT count(*) FROM audit_log").fetchone()[0])


def tamper(database: Path, statement: str, *parameters: object) -> None:
    """Change the database behind the node's back, as an intruder with file access would."""
    connection = sqlite3.connect(database)
    with connection:
        connection.execute(statement, parameters)
    connection.close()


def test_verify_reports_an_intact_chain(cli: Invoke, seeded: Path) -> None:
    result = cli("audit", "verify")
    assert result.exit_code == 0, result.output
    assert f"chain intact: {entry_count(seeded)} entries" in result.output


def test_verify_names_an_altered_entry(cli: Invoke, seeded: Path) -> None:
    tamper(seeded, "UPDATE audit_log SET justification = 'nothing to see' WHERE seq = 7")
    result = cli("audit", "verify")
    assert result.exit_code == 1
    assert "chain broken at entry 7" in result.output
    assert "content altered" in result.output


def test_verify_names_a_deleted_entry(cli: Invoke, seeded: Path) -> None:
    tamper(seeded, "DELETE FROM audit_log WHERE seq = 12")
    result = cli("audit", "verify")
    assert result.exit_code == 1
    assert "chain broken at entry 12" in result.output
    assert "missing" in result.output


def test_verify_notices_entries_cut_from_the_end(cli: Invoke, seeded: Path) -> None:
    last = entry_count(seeded)
    tamper(seeded, "DELETE FROM audit_log WHERE seq = ?", last)
    result = cli("audit", "verify")
    assert result.exit_code == 1
    assert f"chain broken at entry {last}" in result.output


def test_verify_as_a_user_without_the_auditor_role_is_forbidden(cli: Invoke,
                                                                 seeded: Path) -> None:
    result = cli("audit", "verify", "--as", "amina.analyst")
    assert result.exit_code == 2
    assert "forbidden" in result.output
    assert cli("audit", "verify", "--as", "pieter.auditor").exit_code == 0


def test_export_writes_every_entry_as_ndjson_and_logs_itself(cli: Invoke, seeded: Path,
                                                            tmp_path: Path) -> None:
    before = entry_count(seeded)
    out = tmp_path / "audit.ndjson"
    result = cli("audit", "export", "--out", str(out), "--as", "pieter.auditor",
                 "--justification", "yearly lawfulness check")
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [e["seq"] for e in lines] == list(range(1, before + 2))
    assert lines[-1]["action"] == "export"
    assert lines[-1]["justification"] == "yearly lawfulness check"
    with node_of(seeded) as node:
        sealed = {e.seq: e.hash for e in node.audit.export(None)}
    assert all(sealed[e["seq"]] == e["hash"] for e in lines)


def test_export_as_csv_to_stdout_with_a_filter(cli: Invoke, seeded: Path) -> None:
    result = cli("audit", "export", "--format", "csv", "--action", "administration")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert rows
    assert {r["action"] for r in rows} == {"administration"}
    assert all(json.loads(r["details"])["operation"] for r in rows)


def test_export_by_a_non_auditor_is_forbidden(cli: Invoke, seeded: Path) -> None:
    result = cli("audit", "export", "--as", "lucas.reviewer")
    assert result.exit_code == 2
    assert "needs the auditor role" in result.output
