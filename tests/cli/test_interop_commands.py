"""``passerelle import`` / ``export`` with the partners' files: STIX examples, MISP events and
feeds, CSV persons and documents. Every public example file goes in and comes back out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from stix2validator import ValidationOptions, validate_instance

from passerelle.cli.import_sources import ImportFormat, detect
from passerelle.domain.records import RecordKind
from passerelle.ports import RecordQuery

from .cli_support import Invoke, node_of

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"
TEMPLATES = Path(__file__).resolve().parents[2] / "docs" / "templates"
WHY = ("--justification", "exchange with the partners' tools")


def _shared(folder: str) -> Path:
    if not (SHARED / folder).is_dir():
        pytest.skip(f"{SHARED / folder} is absent (see ../shared/data/README.md)")
    return SHARED / folder


def _kinds(database: Path) -> dict[str, int]:
    counts: dict[str, int] = {}
    with node_of(database) as node, node.transactions() as tx:
        for record in tx.records.search(RecordQuery(), None, 10**6):
            counts[record.kind.value] = counts.get(record.kind.value, 0) + 1
    return counts


@pytest.mark.parametrize("name", ["apt1.json", "poisonivy.json", "infrastructure.json",
                                  "indicators-for-C2-with-COA.json"])
def test_a_stix_example_imports_and_exports_as_valid_stix(
        cli: Invoke, initialised: Path, tmp_path: Path, name: str) -> None:
    source = _shared("stix") / name
    result = cli("import", str(source), *WHY)
    assert result.exit_code == 0, result.output
    assert "created" in result.output
    out = tmp_path / "out.json"
    assert cli("export", "--out", str(out), *WHY).exit_code == 0
    exported = json.loads(out.read_text())
    ids = {o["id"].lower() for o in exported["objects"]}
    assert {o["id"].lower() for o in json.loads(source.read_text())["objects"]} <= ids
    assert validate_instance(exported, ValidationOptions()).is_valid


def test_an_object_with_a_marking_its_file_does_not_define_is_refused_unless_restricted(
        cli: Invoke, initialised: Path) -> None:
    source = _shared("stix") / "interop-objectmarking-test.json"
    refused = cli("import", str(source), *WHY)
    assert refused.exit_code == 1
    assert "object_marking_refs[1]" in refused.output
    assert _kinds(initialised) == {}
    kept = cli("import", str(source), "--unknown-markings", "restrict", *WHY)
    assert kept.exit_code == 0, kept.output
    with node_of(initialised) as node, node.transactions() as tx:
        (record,) = tx.records.search(RecordQuery(), None, 10)
    assert record.markings.handling_code.value == "H2"


@pytest.mark.parametrize("name", ["misp-circl-osint-event.json", "pymisp-existing_event.json",
                                  "pymisp-event_obj_attr_tag.json", "pymisp-proposals.json",
                                  "pymisp-galaxy.json", "pymisp-sighting.json"])
def test_a_misp_file_imports_and_goes_back_out_as_misp(
        cli: Invoke, initialised: Path, tmp_path: Path, name: str) -> None:
    result = cli("import", str(_shared("misp") / name), *WHY)
    assert result.exit_code == 0, result.output
    out = tmp_path / "out.json"
    exported = cli("export", "--format", "misp", "--out", str(out), *WHY)
    assert exported.exit_code == 0, exported.output


def test_misp_proposals_are_ignored_with_a_note(cli: Invoke, initialised: Path) -> None:
    result = cli("import", str(_shared("misp") / "pymisp-proposals.json"), *WHY)
    assert result.exit_code == 0, result.output
    assert "note:" in result.output
    assert "proposal" in result.output


def test_a_misp_feed_is_written_for_a_misp_instance_to_subscribe(
        cli: Invoke, initialised: Path, tmp_path: Path) -> None:
    assert cli("import", str(_shared("misp") / "misp-circl-osint-event.json"),
               *WHY).exit_code == 0
    feed = tmp_path / "feed"
    result = cli("export", "--format", "misp-feed", "--out", str(feed), *WHY)
    assert result.exit_code == 0, result.output
    manifest = json.loads((feed / "manifest.json").read_text())
    assert manifest
    for event_uuid in manifest:
        assert json.loads((feed / f"{event_uuid}.json").read_text())["Event"]["uuid"] \
            == event_uuid
    assert (feed / "hashes.csv").read_text().strip()


@pytest.mark.parametrize(("kind", "template"), [("person", "persons.csv"),
                                                ("document", "documents.csv")])
def test_csv_templates_import_and_export(cli: Invoke, initialised: Path, tmp_path: Path,
                                         kind: str, template: str) -> None:
    if kind == "document":  # the documents' holders are the template's persons
        assert cli("import", str(TEMPLATES / "persons.csv"), "--kind", "person",
                   *WHY).exit_code == 0
    result = cli("import", str(TEMPLATES / template), "--kind", kind, *WHY)
    assert result.exit_code == 0, result.output
    out = tmp_path / f"{kind}.csv"
    exported = cli("export", "--format", "csv", "--kind", kind, "--out", str(out), *WHY)
    assert exported.exit_code == 0, exported.output
    rows = out.read_text(encoding="utf-8").splitlines()
    assert len(rows) - 1 == _kinds(initialised)[kind]


def test_a_bad_csv_row_is_named_and_nothing_is_stored_without_partial(
        cli: Invoke, initialised: Path, tmp_path: Path) -> None:
    lines = (TEMPLATES / "persons.csv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    bad = lines[1].split(",")
    bad[header.index("subject_category")] = "villain"
    path = tmp_path / "persons.csv"
    path.write_text("\n".join([lines[0], ",".join(bad), *lines[2:]]) + "\n", encoding="utf-8")
    refused = cli("import", str(path), "--kind", "person", *WHY)
    assert refused.exit_code == 1
    assert "line 2" in refused.output
    assert "subject_category" in refused.output
    assert "nothing was stored" in refused.output
    assert _kinds(initialised) == {}
    stored = cli("import", str(path), "--kind", "person", "--partial", *WHY)
    assert stored.exit_code == 1
    assert _kinds(initialised) == {"person": len(lines) - 2}


def test_a_csv_in_another_encoding_is_refused_naming_line_and_byte(
        cli: Invoke, initialised: Path, tmp_path: Path) -> None:
    path = tmp_path / "persons.csv"
    text = (TEMPLATES / "persons.csv").read_text(encoding="utf-8") + ",other,Léa,Dupré\n"
    path.write_bytes(text.encode("latin-1", errors="replace"))
    result = cli("import", str(path), "--kind", "person", *WHY)
    assert result.exit_code != 0
    assert "UTF-8" in result.output
    assert "line" in result.output


def test_a_csv_import_needs_a_kind(cli: Invoke, initialised: Path) -> None:
    result = cli("import", str(TEMPLATES / "persons.csv"), *WHY)
    assert result.exit_code != 0
    assert "kind" in result.output


@pytest.mark.parametrize(("text", "field"), [
    ('{"type": "bundle", "id": "bundle--6f1d8c2a-3b4e-4f5a-9c6d-7e8f9a0b1c2d", "objects": [',
     "bundle"),
    ('{"type": "bundle", "id": "bundle--6f1d8c2a-3b4e-4f5a-9c6d-7e8f9a0b1c2d", "objects": 3}',
     "objects"),
    ("", "bundle"),
])
def test_a_broken_stix_file_is_refused_whole_naming_the_field(
        cli: Invoke, initialised: Path, tmp_path: Path, text: str, field: str) -> None:
    path = tmp_path / "broken.json"
    path.write_text(text)
    result = cli("import", str(path), "--format", "stix", *WHY)
    assert result.exit_code != 0
    assert field in result.output
    assert _kinds(initialised) == {}


def test_a_dangling_reference_and_a_wrong_type_are_named_per_object(
        cli: Invoke, initialised: Path, tmp_path: Path) -> None:
    bundle = {"type": "bundle", "id": "bundle--6f1d8c2a-3b4e-4f5a-9c6d-7e8f9a0b1c2d",
              "objects": [
                  {"type": "indicator", "spec_version": "2.1",
                   "id": "indicator--8cf9236f-1b96-493d-98be-0c1c1e8b62d7",
                   "created": "2014-10-31T15:52:13.127Z", "modified": "2014-10-31T15:52:13.127Z",
                   "pattern": "[domain-name:value = 'example.com']", "pattern_type": "stix",
                   "valid_from": 12},
                  {"type": "report", "spec_version": "2.1",
                   "id": "report--84e4d88f-44ea-4bcd-bbf3-b2c1c320bcb3",
                   "created": "2015-05-15T09:12:16.432Z", "modified": "2015-05-15T09:12:16.432Z",
                   "name": "A report", "published": "2015-05-15T09:12:16.432Z",
                   "object_refs": ["identity--f690c992-8e7d-4b9a-9303-3312616c0220"]}]}
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bundle))
    result = cli("import", str(path), *WHY)
    assert result.exit_code == 1
    assert "objects[0].valid_from" in result.output
    assert "objects[1].object_refs[0]" in result.output
    assert _kinds(initialised) == {}


def test_exports_need_a_single_csv_kind(cli: Invoke, initialised: Path,
                                        tmp_path: Path) -> None:
    result = cli("export", "--format", "csv", "--out", str(tmp_path / "x.csv"), *WHY)
    assert result.exit_code != 0
    assert "kind" in result.output
    assert RecordKind.PERSON.value in result.output


def _attributes(document: dict[str, object]) -> list[tuple[str, str, tuple[str, ...]]]:
    """Every attribute of every event (objects' too): type, value and tag names."""
    events = document.get("response", [document])
    assert isinstance(events, list)
    found = []
    for entry in events:
        event = entry.get("Event", entry)
        attributes = list(event.get("Attribute", []))
        for obj in event.get("Object", []):
            attributes += obj.get("Attribute", [])
        found += [(a["type"], a["value"], tuple(sorted(t["name"] for t in a.get("Tag", []))))
                  for a in attributes if not a.get("deleted")]
    return sorted(found)


@pytest.mark.parametrize("name", ["misp-circl-osint-event.json", "pymisp-existing_event.json",
                                  "pymisp-event_obj_attr_tag.json", "pymisp-event_tags.json"])
def test_misp_through_a_node_and_back_keeps_every_attribute_value_type_and_tag(
        cli: Invoke, initialised: Path, tmp_path: Path, name: str) -> None:
    source = _shared("misp") / name
    assert cli("import", str(source), *WHY).exit_code == 0
    out = tmp_path / "out.json"
    assert cli("export", "--format", "misp", "--out", str(out), *WHY).exit_code == 0
    assert _attributes(json.loads(out.read_text())) == _attributes(json.loads(source.read_text()))


def test_the_format_of_every_example_file_is_recognised(tmp_path: Path) -> None:
    for path in _shared("stix").glob("*.json"):
        assert detect(path) is ImportFormat.STIX, path.name
    for path in _shared("misp").glob("pymisp-*.json"):
        assert detect(path) is ImportFormat.MISP, path.name
    assert detect(_shared("misp") / "misp-circl-osint-event.json") is ImportFormat.MISP
    assert detect(TEMPLATES / "persons.csv") is ImportFormat.CSV
    odd = tmp_path / "odd.json"
    odd.write_text('{"type": "indicator"}')
    assert detect(odd) is ImportFormat.STIX  # so that the error speaks STIX
    odd.write_text("not json")
    assert detect(odd) is ImportFormat.STIX


def test_an_export_selects_by_owner_and_time(cli: Invoke, initialised: Path,
                                             tmp_path: Path) -> None:
    assert cli("import", str(_shared("stix") / "apt1.json"), *WHY).exit_code == 0
    out = tmp_path / "out.json"
    none = cli("export", "--out", str(out), "--owner", "ma", *WHY)
    assert none.exit_code == 0, none.output
    assert "0 records" in none.output
    recent = cli("export", "--out", str(out), "--since", "2016-01-01", *WHY)
    assert "0 records" in recent.output  # APT1's objects are from 2015
    ours = cli("export", "--out", str(out), "--owner", "fr", "--until", "2016-01-01", *WHY)
    assert ours.exit_code == 0
    assert len(json.loads(out.read_text())["objects"]) >= 76
