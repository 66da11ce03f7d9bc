"""``passerelle import`` / ``passerelle export``: STIX bundles out and back in, all-or-nothing
unless ``--partial``, every rejected object reported with its index, id and field."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from passerelle.domain.codec import record_to_dict
from passerelle.ports import RecordQuery

from .cli_support import Invoke, node_of, run_cli


def all_records(database: Path) -> dict[str, dict[str, Any]]:
    with node_of(database) as node, node.transactions() as tx:
        return {r.id: record_to_dict(r) for r in tx.records.search(RecordQuery(), None, 10**6)}


@pytest.fixture
def exported(cli: Invoke, seeded: Path, tmp_path: Path) -> Path:
    out = tmp_path / "export.json"
    result = cli("export", "--out", str(out), "--justification", "transfer test")
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture
def fresh(tmp_path: Path, initialised_template: Path) -> Path:
    """A second, initialised node that holds no record."""
    database = tmp_path / "fresh.db"
    shutil.copyfile(initialised_template, database)
    return database


def test_an_exported_bundle_imports_into_another_node_unchanged(
        exported: Path, seeded: Path, fresh: Path) -> None:
    result = run_cli(fresh, "import", str(exported))
    assert result.exit_code == 0, result.output
    source, copy = all_records(seeded), all_records(fresh)
    assert copy
    assert set(copy) <= set(source)
    assert all(copy[i] == source[i] for i in copy)
    assert f"{len(copy)} created" in result.output


def test_the_export_leaves_out_what_the_node_may_not_export(exported: Path, seeded: Path,
                                                           fresh: Path) -> None:
    assert run_cli(fresh, "import", str(exported)).exit_code == 0
    with node_of(seeded) as node:
        today = node.clock.now().date()
    imported = all_records(fresh)
    left_out = [r for i, r in all_records(seeded).items() if i not in imported]
    assert left_out
    assert all(r["markings"]["compartment"] or (
        r["markings"]["review_date"] and r["markings"]["review_date"] < today.isoformat())
        for r in left_out)


def test_importing_the_same_bundle_twice_changes_nothing(exported: Path, fresh: Path) -> None:
    assert run_cli(fresh, "import", str(exported)).exit_code == 0
    before = all_records(fresh)
    again = run_cli(fresh, "import", str(exported))
    assert again.exit_code == 0, again.output
    assert f"{len(before)} unchanged" in again.output
    assert all_records(fresh) == before


def _spoil_one_indicator(exported: Path, tmp_path: Path) -> tuple[Path, int, str]:
    bundle = json.loads(exported.read_text(encoding="utf-8"))
    index = next(i for i, o in enumerate(bundle["objects"]) if o["type"] == "indicator")
    bundle["objects"][index]["pattern"] = "no brackets here"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(bundle), encoding="utf-8")
    return bad, index, bundle["objects"][index]["id"]


def test_one_bad_object_stores_nothing_and_is_reported(exported: Path, fresh: Path,
                                                       tmp_path: Path) -> None:
    bad, index, stix_id = _spoil_one_indicator(exported, tmp_path)
    result = run_cli(fresh, "import", str(bad))
    assert result.exit_code == 1
    row = next(line for line in result.output.splitlines() if stix_id in line)
    assert str(index) in row
    assert f"objects[{index}].pattern" in row
    assert "invalid_stix" in row
    assert "nothing was stored" in result.output
    assert all_records(fresh) == {}


def test_partial_import_stores_the_valid_objects_and_still_exits_1(
        exported: Path, fresh: Path, tmp_path: Path) -> None:
    bad, _, stix_id = _spoil_one_indicator(exported, tmp_path)
    result = run_cli(fresh, "import", str(bad), "--partial")
    assert result.exit_code == 1
    stored = all_records(fresh)
    assert stored
    assert stix_id not in stored
    assert "1 rejected" in result.output


def test_a_file_that_is_not_a_bundle_is_refused_as_a_whole(cli: Invoke, initialised: Path,
                                                           tmp_path: Path) -> None:
    wrong = tmp_path / "wrong.json"
    wrong.write_text('{"type": "indicator"}', encoding="utf-8")
    result = cli("import", str(wrong))
    assert result.exit_code == 2
    assert "invalid_stix" in result.output
    assert "expected a bundle" in result.output


def test_exporting_personal_data_needs_a_justification(cli: Invoke, seeded: Path,
                                                        tmp_path: Path) -> None:
    out = tmp_path / "x.json"
    result = cli("export", "--out", str(out))
    assert result.exit_code == 2
    assert "justification_required" in result.output
    assert "--justification" in result.output
    assert not out.exists()


def test_an_export_of_alerts_only_still_needs_a_justification(cli: Invoke, seeded: Path,
                                                              tmp_path: Path) -> None:
    out = tmp_path / "alerts.json"
    result = cli("export", "--out", str(out), "--kind", "alert")
    assert result.exit_code == 2
    assert "justification_required" in result.output
    assert not out.exists()


def test_an_export_of_indicators_only_needs_no_justification_and_is_audited(
        cli: Invoke, seeded: Path, tmp_path: Path) -> None:
    out = tmp_path / "indicators.json"
    result = cli("export", "--out", str(out), "--kind", "indicator")
    assert result.exit_code == 0, result.output
    objects = json.loads(out.read_text(encoding="utf-8"))["objects"]
    exported = {o["id"] for o in objects if o["type"] == "indicator"}
    assert exported
    assert {o["type"] for o in objects} <= {
        "indicator", "identity", "marking-definition", "extension-definition"}
    with node_of(seeded) as node:
        logged = [e for e in node.audit.export(None) if e.action.value == "export"
                  and e.details.get("exported")]
    assert {i for e in logged for i in e.details["exported"]} == exported
    assert {e.actor for e in logged} == {"system"}


def test_export_as_a_user_applies_their_need_to_know(cli: Invoke, seeded: Path,
                                                     tmp_path: Path) -> None:
    out = tmp_path / "amina.json"
    result = cli("export", "--out", str(out), "--justification", "case 42",
                 "--as", "amina.analyst")
    assert result.exit_code == 0, result.output
    with node_of(seeded) as node:
        logged = [e for e in node.audit.export(None) if "exported" in e.details]
        amina = next(u for u in node.accounts.list_users(None) if u.username == "amina.analyst")
    assert {e.actor for e in logged} == {amina.principal}
    assert {e.justification for e in logged} == {"case 42"}
