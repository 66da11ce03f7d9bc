"""A record survives the trip to STIX and back unchanged, whatever it holds."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from passerelle.domain.markings import Tlp
from passerelle.domain.records import Record, RecordKind
from passerelle.interop.stix import (
    PERSON,
    RECORD,
    TLP2_MARKING_IDS,
    bundle,
    import_bundle,
    record_to_stix,
    stix_to_record,
)
from passerelle.interop.stix.identifiers import agency_identity_id

from .examples import EMPTY_REPORT_ID, PERSON_ID, full_records
from .strategies import records


def _through_json(record: Record) -> Record:
    objects = json.loads(json.dumps(record_to_stix(record)))
    return stix_to_record(objects[0], default_owner="other-agency")


@pytest.mark.parametrize("record", full_records(), ids=lambda r: r.id.split("--")[0])
def test_fully_filled_record_of_every_kind_round_trips(record: Record) -> None:
    assert _through_json(record) == record


@pytest.mark.parametrize("kind", list(RecordKind), ids=lambda k: k.value)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_generated_record_round_trips(kind: RecordKind, data: st.DataObject) -> None:
    record = data.draw(records(kind))
    assert _through_json(record) == record


@settings(max_examples=25, deadline=None)
@given(st.lists(records(), min_size=1, max_size=6, unique_by=lambda r: r.id))
def test_bundle_imports_back_to_the_same_records(originals: list[Record]) -> None:
    results = import_bundle(json.dumps(bundle(originals)).encode(), default_owner="other")
    assert [r.error for r in results if r.error] == []
    assert [r.record for r in results if r.record] == originals


def test_record_becomes_exactly_one_stix_object() -> None:
    assert all(len(record_to_stix(record)) == 1 for record in full_records())


def test_person_is_an_individual_identity_sharing_the_record_uuid() -> None:
    person = full_records()[0]
    (obj,) = record_to_stix(person)
    assert obj["id"] == PERSON_ID.replace("person--", "identity--")
    assert obj["identity_class"] == "individual"
    assert obj["name"] == "Youssef El Amrani"
    assert obj["extensions"][PERSON.id]["names_original_script"] == ["يوسف العمراني"]
    assert obj["extensions"][PERSON.id]["date_of_birth"] == "1991-07"


def test_markings_travel_as_tlp2_marking_and_extension_never_as_custom_properties() -> None:
    (obj,) = record_to_stix(full_records()[0])
    assert obj["object_marking_refs"] == [TLP2_MARKING_IDS[Tlp.RED]]
    envelope = obj["extensions"][RECORD.id]
    assert envelope["handling_code"] == "H3"
    assert envelope["recipients"] == ["agency:ma", "user:amina"]
    assert envelope["compartment"] == "operation-atlas"
    assert not [name for name in obj if name.startswith("x_")]


def test_version_travels_as_modified_and_extension_version() -> None:
    record = full_records()[0]
    (obj,) = record_to_stix(record)
    assert obj["modified"] == "2026-04-01T12:00:00.000000Z"
    assert obj["extensions"][RECORD.id]["version"] == 4


def test_created_by_ref_is_the_owner_agency_identity_on_every_node() -> None:
    (obj,) = record_to_stix(full_records()[0])
    assert obj["created_by_ref"] == agency_identity_id("fr")
    assert agency_identity_id("fr") == "identity--b625956e-f5ca-5638-80ea-870551bfb9be"


def test_report_without_references_points_at_its_extension_and_reads_back_empty() -> None:
    report = next(r for r in full_records() if r.id == EMPTY_REPORT_ID)
    (obj,) = record_to_stix(report)
    assert obj["object_refs"] == [RECORD.id]
    assert "record_refs" not in obj["extensions"][RECORD.id]
    assert stix_to_record(obj, default_owner="x").references == ()


def test_bundle_carries_each_referenced_definition_once() -> None:
    result = bundle(full_records())
    ids = [o["id"] for o in result["objects"]]
    assert len(ids) == len(set(ids))
    assert TLP2_MARKING_IDS[Tlp.RED] in ids
    assert TLP2_MARKING_IDS[Tlp.GREEN] not in ids
    assert RECORD.id in ids
    assert PERSON.id in ids
    assert agency_identity_id("fr") in ids


def test_empty_bundle_has_no_objects() -> None:
    assert "objects" not in bundle([])


def test_passerelle_definitions_and_identities_import_as_context_not_records() -> None:
    document = bundle(full_records())
    results = import_bundle(document, default_owner="es")
    context = [r.stix_id for r in results if r.is_context]
    assert len(context) == len(document["objects"]) - len(full_records())
    assert agency_identity_id("fr") in context
