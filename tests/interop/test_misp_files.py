"""The public MISP events in ../shared/data/misp (PyMISP's test files and a real CIRCL OSINT
event): every one imports, comes back as it came, and validates against the MISP format's
JSON schema; a feed of them reads back as the same records.

The files live outside the repository (a user's clone has no ../shared): these tests skip when
the folder is absent.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections import Counter
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from passerelle.domain.codec import record_from_dict, record_to_dict
from passerelle.domain.markings import Tlp
from passerelle.domain.records import Indicator
from passerelle.interop.misp import (
    MispImport,
    events_from_records,
    read_document,
    read_event,
    standalone_documents,
    write_feed,
)

SHARED_MISP = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "misp"
RECEIVED = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)

EXPECTED: dict[str, dict[str, int]] = {
    "misp-circl-osint-event.json": {"indicator": 36, "x-misp-attribute": 2, "report": 1},
    "pymisp-event.json": {"report": 1},
    "pymisp-event_obj_attr_tag.json": {"x-misp-object": 2, "relationship": 1, "report": 1},
    "pymisp-event_tags.json": {"report": 1},
    "pymisp-existing_event.json": {"indicator": 7, "x-misp-attribute": 2, "x-misp-object": 49,
                                   "relationship": 20, "report": 1},
    "pymisp-malware_exist.json": {"x-misp-object": 1, "report": 1},
    "pymisp-misp_custom_obj.json": {"x-misp-object": 1, "report": 1},
    "pymisp-proposals.json": {"indicator": 1, "report": 1},
    "pymisp-shadow.json": {"indicator": 1, "x-misp-object": 1, "report": 1},
}
"""Records per file, by identifier prefix: observables become indicators, links and text are
kept attributes, objects are kept objects, references relationships, each event a report."""
EVENT_FILES = tuple(EXPECTED)
NOT_EVENTS = ("pymisp-galaxy.json", "pymisp-sighting.json")

# Keys that only mean something on the MISP instance that wrote the file: database ids,
# correlations with its other events, proposals, an empty SharingGroup (PHP's empty map).
EVENT_LOCAL = {"id", "org_id", "orgc_id", "attribute_count", "locked", "proposal_email_lock",
               "event_creator_email", "RelatedEvent", "ShadowAttribute"}
ATTRIBUTE_LOCAL = {"id", "event_id", "object_id", "RelatedAttribute", "ShadowAttribute"}
REFERENCE_LOCAL = {"id", "event_id", "object_id", "referenced_id", "Attribute", "Object"}


def shared_folder() -> Path:
    """The folder of public MISP examples; skips when absent."""
    if not SHARED_MISP.is_dir():
        pytest.skip(f"{SHARED_MISP} is absent: the public MISP examples live outside the "
                    "repository (see ../shared/data/README.md)")
    return SHARED_MISP


def schema_validators() -> list[jsonschema.Draft4Validator]:
    """The MISP format 2.4 schemas: the lax one as published, and the strict one extended with
    the properties MISP gained after it was written (objects, references, first/last seen,
    galaxy fields); everything else stays as strict (no unknown property)."""
    folder = shared_folder()
    lax = json.loads((folder / "misp-format-2.4-schema-lax.json").read_text())
    strict = json.loads((folder / "misp-format-2.4-schema.json").read_text())
    return [jsonschema.Draft4Validator(lax), jsonschema.Draft4Validator(current_format(strict))]


def current_format(schema: dict[str, Any]) -> dict[str, Any]:
    """The strict 2.4 schema plus MISP objects (2.4.80) and later attribute and galaxy
    properties, as the MISP core format draft (draft-dulaunoy-misp-core-format) defines them."""
    schema = copy.deepcopy(schema)
    defs = schema["defs"]
    text, flag = {"type": "string"}, {"type": "boolean"}
    defs["attribute"]["properties"].update(
        object_relation=text, first_seen=text, last_seen=text, Sighting={"type": "array"},
        Galaxy={"type": "array", "items": {"$ref": "#/defs/galaxy"}})
    defs["object_reference"] = {
        "type": "object", "additionalProperties": False,
        "required": ["referenced_uuid", "relationship_type"],
        "properties": {**dict.fromkeys(("uuid", "timestamp", "object_uuid", "referenced_uuid",
                                        "referenced_type", "relationship_type", "comment"),
                                       text), "deleted": flag}}
    defs["object"] = {
        "type": "object", "additionalProperties": False, "required": ["name"],
        "properties": {
            **dict.fromkeys(("name", "meta-category", "description", "template_uuid",
                             "template_version", "uuid", "timestamp", "distribution",
                             "sharing_group_id", "comment", "first_seen", "last_seen"), text),
            "deleted": flag,
            "Attribute": {"type": "array", "items": {"$ref": "#/defs/attribute"}},
            "ObjectReference": {"type": "array", "items": {"$ref": "#/defs/object_reference"}},
        }}
    defs["event"]["properties"]["Object"] = {"type": "array",
                                             "items": {"$ref": "#/defs/object"}}
    defs["galaxy"]["properties"]["icon"] = text
    defs["galaxy_cluster"]["properties"].update(default=flag, distribution=text, version=text)
    return schema


def schema_errors(event: dict[str, Any]) -> list[str]:
    """What the MISP schemas find wrong in an exported event."""
    return [f"{list(error.path)}: {error.message}" for validator in schema_validators()
            for error in validator.iter_errors(event)]


def _read(name: str) -> bytes:
    return (shared_folder() / name).read_bytes()


def _import(name: str) -> MispImport:
    return read_event(_read(name), default_owner="fr", received_at=RECEIVED)


def _kinds(result: MispImport) -> dict[str, int]:
    return dict(Counter(record.id.split("--", 1)[0] for record in result.records))


@pytest.mark.parametrize("name", EVENT_FILES)
def test_every_event_file_imports_into_the_records_expected(name: str) -> None:
    result = _import(name)
    assert result.errors == []
    assert _kinds(result) == EXPECTED[name]
    assert {record.owner_agency for record in result.records} == {"fr"}
    assert {record.version for record in result.records} == {1}


@pytest.mark.parametrize("name", EVENT_FILES)
def test_every_record_read_survives_the_codec(name: str) -> None:
    for record in _import(name).records:
        assert record_from_dict(record_to_dict(record)) == record


@pytest.mark.parametrize("name", EVENT_FILES)
def test_each_report_refers_to_every_record_of_its_event(name: str) -> None:
    records = _import(name).records
    report = records[-1]
    assert report.id.startswith("report--")
    assert report.references == tuple(record.id for record in records[:-1])


@pytest.mark.parametrize("name", EVENT_FILES)
def test_an_event_comes_back_exactly_as_it_came(name: str) -> None:
    original = read_document(json.loads(_read(name)))[0]
    [exported] = events_from_records(_import(name).records)
    expected = _without_instance_keys(original)
    expected.setdefault("uuid", exported["Event"]["uuid"])
    assert exported["Event"] == expected


@pytest.mark.parametrize("name", EVENT_FILES)
def test_every_attribute_object_and_reference_keeps_its_fields(name: str) -> None:
    original = read_document(json.loads(_read(name)))[0]
    [exported] = events_from_records(_import(name).records)
    event = exported["Event"]
    for key in ("info", "date", "uuid", "analysis", "threat_level_id", "published"):
        assert event.get(key) == original.get(key, event.get(key) if key == "uuid" else None)
    assert _tag_names(event) == _tag_names(original)
    assert len(event.get("Attribute", [])) == len(original.get("Attribute", []))
    for before, after in zip(original.get("Attribute", []), event.get("Attribute", []),
                             strict=True):
        _same_attribute(before, after)
    for before, after in zip(original.get("Object", []), event.get("Object", []), strict=True):
        assert (after["name"], after.get("uuid")) == (before["name"], before.get("uuid"))
        for inner_before, inner_after in zip(before["Attribute"], after["Attribute"],
                                             strict=True):
            _same_attribute(inner_before, inner_after)
            assert inner_after.get("object_relation") == inner_before.get("object_relation")
        assert [_reference(r) for r in after.get("ObjectReference", [])] == \
            [_reference(r) for r in before.get("ObjectReference", [])]


@pytest.mark.parametrize("name", EVENT_FILES)
def test_the_export_of_every_file_validates_against_the_misp_schema(name: str) -> None:
    for event in events_from_records(_import(name).records):
        json.dumps(event)
        assert schema_errors(event) == []


@pytest.mark.parametrize("name", EVENT_FILES)
def test_a_feed_event_reads_back_as_the_same_records(name: str, tmp_path: Path) -> None:
    first = _import(name)
    summary = write_feed(events_from_records(first.records), tmp_path)
    [uuid] = summary.events
    again = read_event((tmp_path / f"{uuid}.json").read_bytes(), default_owner="fr",
                       received_at=RECEIVED)
    assert again.records == first.records


@pytest.mark.parametrize("name", ["pymisp-proposals.json", "pymisp-shadow.json"])
def test_proposals_are_not_imported_and_a_note_says_so(name: str) -> None:
    result = _import(name)
    assert result.notes == ["Event[0]: 2 proposals ignored (a proposal is a suggestion "
                            "awaiting the event owner's decision, not part of the event)"]
    exported = json.dumps(events_from_records(result.records))
    assert '"ShadowAttribute":' not in exported
    for proposed in ("bar.pdf", "baz.jpg", "blah.exe.jpg", "baz.png.exe"):
        assert f'"{proposed}"' not in exported


def test_correlations_of_the_source_instance_are_noted_not_imported() -> None:
    result = _import("misp-circl-osint-event.json")
    assert result.notes == ["Event[0]: 6 related events and 131 correlations not imported "
                            "(each MISP instance computes its own)"]
    assert "RelatedAttribute" not in json.dumps(events_from_records(result.records))


def test_tlp_white_marks_every_record_clear_and_comes_back_white() -> None:
    result = _import("pymisp-existing_event.json")
    assert {record.markings.tlp for record in result.records} == {Tlp.CLEAR}
    [event] = events_from_records(result.records)
    assert _tag_names(event["Event"])[0] == "tlp:white"


def test_galaxies_are_kept_on_the_report_and_written_back() -> None:
    original = read_document(json.loads(_read("pymisp-existing_event.json")))[0]
    [event] = events_from_records(_import("pymisp-existing_event.json").records)
    assert event["Event"]["Galaxy"] == original["Galaxy"]
    assert len(event["Event"]["Galaxy"]) == 4


@pytest.mark.parametrize(("uuid", "pattern"), [
    ("548847d8-9db0-4df6-8206-15bb950d210b",
     "[file:hashes.'MD5' = '26297dc3cd0b688de3b846983c5385e5']"),
    ("5488486c-a044-4c31-830c-15ba950d210b",
     "[windows-registry-key:key = 'HKLM\\\\System\\\\CurrentControlSet\\\\Control\\\\']"),
])
def test_observables_of_the_real_event_become_indicators(uuid: str, pattern: str) -> None:
    records = {r.id: r for r in _import("misp-circl-osint-event.json").records}
    indicator = records[f"indicator--{uuid}"].details
    assert isinstance(indicator, Indicator)
    assert indicator.pattern == pattern


@pytest.mark.parametrize("name", NOT_EVENTS)
def test_a_galaxy_or_a_sighting_is_kept_whole_and_given_back_as_it_came(name: str) -> None:
    result = _import(name)
    assert result.errors == []
    (record,) = result.records
    assert record.kind.value == "object"
    assert result.notes
    assert standalone_documents(result.records) == [json.loads(_read(name))]
    assert events_from_records(result.records) == []  # not event content


def _without_instance_keys(event: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in event.items() if k not in EVENT_LOCAL}
    for key in ("Org", "Orgc"):
        if key in out:
            out[key] = {k: v for k, v in out[key].items() if k != "id"}
    if "Tag" in out:
        out["Tag"] = _tags(out["Tag"])
    if "Attribute" in out:
        out["Attribute"] = [_attribute(a) for a in out["Attribute"]]
    if "Object" in out:
        out["Object"] = [_object(o) for o in out["Object"]]
    return out


def _object(obj: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in obj.items() if k not in ("id", "event_id")}
    out["Attribute"] = [_attribute(a) for a in out.get("Attribute", [])]
    if "ObjectReference" in out:
        out["ObjectReference"] = [{k: v for k, v in r.items() if k not in REFERENCE_LOCAL}
                                  for r in out["ObjectReference"]]
    return out


def _attribute(attribute: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in attribute.items()
           if k not in ATTRIBUTE_LOCAL and not (k == "SharingGroup" and v == [])}
    if "Tag" in out:
        out["Tag"] = _tags(out["Tag"])
    return out


def _tags(tags: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in tag.items() if k not in ("id", "user_id")} for tag in tags]


def _tag_names(element: dict[str, Any]) -> list[str]:
    return [tag["name"] for tag in element.get("Tag", [])]


def _same_attribute(before: dict[str, Any], after: dict[str, Any]) -> None:
    for key in ("value", "type", "category", "to_ids", "comment", "uuid", "timestamp",
                "distribution", "disable_correlation", "data"):
        assert after.get(key) == before.get(key), key
    assert _tag_names(after) == _tag_names(before)


def _reference(reference: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(reference.get(key) for key in ("uuid", "object_uuid", "referenced_uuid",
                                                "relationship_type", "comment", "timestamp"))
