"""Bad STIX is refused with InvalidStix naming the property at fault, never half read."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from passerelle.domain.markings import Markings, Tlp
from passerelle.domain.records import Record, RecordKind, Relationship
from passerelle.errors import InvalidStix
from passerelle.interop.stix import (
    DOCUMENT,
    PERSON,
    RECORD,
    check_object,
    import_bundle,
    known_markings,
    read_bundle,
    record_to_stix,
    stix_to_record,
)
from passerelle.interop.stix.identifiers import stix_id
from passerelle.interop.stix.tlp import TLP1_MARKING_IDS

from .examples import (
    DOCUMENT_ID,
    EVENT_ID,
    ORGANISATION_ID,
    PERSON_ID,
    REPORT_ID,
    full_records,
)

UNKNOWN_MARKING = "marking-definition--0b5a7a6c-1f2e-4d3c-9b8a-7f6e5d4c3b2a"


def _stix(record_id: str) -> dict[str, Any]:
    record = next(r for r in full_records() if r.id == record_id)
    return copy.deepcopy(record_to_stix(record)[0])


def _error(obj: object, path: str = "objects[3]",
           kinds: dict[str, RecordKind] | None = None) -> InvalidStix:
    with pytest.raises(InvalidStix) as caught:
        stix_to_record(obj, default_owner="es", path=path, kinds=kinds)
    return caught.value


def _bundle(*objects: dict[str, Any]) -> dict[str, Any]:
    return {"type": "bundle", "id": "bundle--6f1d8c2a-3b4e-4f5a-9c6d-7e8f9a0b1c2d",
            "objects": list(objects)}


def test_person_without_subject_category_is_refused_naming_it() -> None:
    obj = _stix(PERSON_ID)
    del obj["extensions"][PERSON.id]["subject_category"]
    error = _error(obj)
    assert error.field == f"objects[3].extensions.{PERSON.id}.subject_category"
    assert "Art. 6" in error.detail


def test_other_producers_individual_is_kept_as_received_and_is_personal_data() -> None:
    obj = {"type": "identity", "spec_version": "2.1",
           "id": "identity--a9119a87-6576-46af-bfd7-4fbe55926671",
           "created": "2015-05-15T09:12:16.432Z", "modified": "2015-05-15T09:12:16.432Z",
           "name": "Someone", "identity_class": "individual"}
    record = stix_to_record(obj, default_owner="es")
    assert record.kind is RecordKind.OBJECT  # no LED Art. 6 category: not guessed
    assert record.id == obj["id"]
    assert record.holds_personal_data


@pytest.mark.parametrize("value", ["1991-13", "1991-02-30", "91-07-01", "1991/07/01", 1991])
def test_malformed_date_of_birth_is_refused_naming_it(value: object) -> None:
    obj = _stix(PERSON_ID)
    obj["extensions"][PERSON.id]["date_of_birth"] = value
    error = _error(obj)
    assert isinstance(error, InvalidStix)
    assert error.field == f"objects[3].extensions.{PERSON.id}.date_of_birth"


def test_nationality_of_the_wrong_type_is_refused_naming_its_index() -> None:
    obj = _stix(PERSON_ID)
    obj["extensions"][PERSON.id]["nationalities"] = ["MA", "fr"]
    assert _error(obj).field == f"objects[3].extensions.{PERSON.id}.nationalities[1]"


def test_list_given_as_a_string_is_refused() -> None:
    obj = _stix(PERSON_ID)
    obj["extensions"][PERSON.id]["aliases"] = "Yusuf"
    assert _error(obj).field == f"objects[3].extensions.{PERSON.id}.aliases"


def test_id_of_another_type_is_refused() -> None:
    obj = _stix(PERSON_ID)
    obj["id"] = obj["id"].replace("identity--", "indicator--")
    assert _error(obj).field == "objects[3].id"


def test_unmodelled_type_is_kept_not_refused() -> None:
    obj = {"type": "malware", "spec_version": "2.1",
           "id": "malware--fdd60b30-b67c-41e3-b0b9-f01faf20d111",
           "created": "2016-04-06T20:06:37.000Z", "modified": "2016-04-06T20:06:37.000Z",
           "name": "Poison Ivy", "is_family": True}
    record = stix_to_record(obj, default_owner="es")
    assert record.kind is RecordKind.OBJECT
    assert json.loads(record.details.content) == obj  # type: ignore[union-attr]
    assert not record.holds_personal_data


def test_kept_object_without_created_is_refused_naming_it() -> None:
    obj = {"type": "malware", "spec_version": "2.1",
           "id": "malware--fdd60b30-b67c-41e3-b0b9-f01faf20d111", "is_family": True}
    assert _error(obj).field == "objects[3].created"


def test_custom_type_named_like_a_record_kind_is_refused() -> None:
    obj = {"type": "person", "spec_version": "2.1",
           "id": "person--fdd60b30-b67c-41e3-b0b9-f01faf20d111",
           "created": "2016-04-06T20:06:37.000Z", "modified": "2016-04-06T20:06:37.000Z"}
    assert _error(obj).field == "objects[3].type"


def test_extension_claiming_another_kind_is_refused() -> None:
    obj = _stix(PERSON_ID)
    obj["extensions"][RECORD.id]["kind"] = "organisation"
    assert _error(obj).field == f"objects[3].extensions.{RECORD.id}.kind"


def test_unknown_property_in_passerelle_extension_is_refused_not_dropped() -> None:
    obj = _stix(PERSON_ID)
    obj["extensions"][RECORD.id]["onward_transfer"] = "forbidden"
    assert _error(obj).field == f"objects[3].extensions.{RECORD.id}.onward_transfer"


def test_h3_without_conditions_is_refused_naming_them() -> None:
    obj = _stix(PERSON_ID)
    del obj["extensions"][RECORD.id]["handling_conditions"]
    assert _error(obj).field == f"objects[3].extensions.{RECORD.id}.handling_conditions"


def test_tlp_red_without_recipients_is_refused_naming_them() -> None:
    obj = _stix(PERSON_ID)
    del obj["extensions"][RECORD.id]["recipients"]
    assert _error(obj).field == f"objects[3].extensions.{RECORD.id}.recipients"


def test_marking_that_is_not_tlp_is_kept_with_the_record() -> None:
    obj = _stix(PERSON_ID)
    obj["object_marking_refs"].append(UNKNOWN_MARKING)
    record = stix_to_record(obj, default_owner="es")
    assert json.loads(record.extras)["stix"]["object_marking_refs"] == [UNKNOWN_MARKING]


def test_marking_the_bundle_does_not_define_is_refused() -> None:
    obj = _stix(PERSON_ID)
    obj["object_marking_refs"].append(UNKNOWN_MARKING)
    with pytest.raises(InvalidStix) as caught:
        check_object(obj, path="objects[3]", markings=known_markings([]))
    assert caught.value.field == "objects[3].object_marking_refs[1]"


def test_two_tlp_levels_are_ambiguous() -> None:
    obj = _stix(PERSON_ID)
    obj["object_marking_refs"].append(next(iter(TLP1_MARKING_IDS)))  # TLP:WHITE
    assert _error(obj).field == "objects[3].object_marking_refs[1]"


def test_granular_markings_are_refused_rather_than_dropped() -> None:
    obj = _stix(PERSON_ID)
    obj["granular_markings"] = [{"marking_ref": obj["object_marking_refs"][0],
                                 "selectors": ["name"]}]
    assert _error(obj).field == "objects[3].granular_markings"


def test_revoked_object_does_not_become_a_record() -> None:
    obj = _stix(PERSON_ID)
    obj["revoked"] = True
    assert _error(obj).field == "objects[3].revoked"


def test_created_by_ref_of_another_agency_is_refused() -> None:
    obj = _stix(PERSON_ID)
    obj["extensions"][RECORD.id]["owner_agency"] = "es"
    assert _error(obj).field == "objects[3].created_by_ref"


def test_timestamp_outside_utc_is_refused() -> None:
    obj = _stix(EVENT_ID)
    obj["occurred_at"] = "2026-02-01T07:30:00+01:00"
    assert _error(obj).field == "objects[3].occurred_at"


def test_event_ending_before_it_starts_is_refused_naming_the_end() -> None:
    obj = _stix(EVENT_ID)
    obj["ended_at"] = "2026-01-01T00:00:00.000Z"
    assert _error(obj).field == "objects[3].ended_at"


def test_record_refs_disagreeing_with_stix_references_are_refused() -> None:
    obj = _stix(DOCUMENT_ID)
    obj["extensions"][RECORD.id]["record_refs"] = [DOCUMENT_ID]
    assert _error(obj).field == f"objects[3].extensions.{RECORD.id}.record_refs[0]"


def test_report_reference_to_an_unmodelled_object_names_the_kept_object() -> None:
    obj = _stix(REPORT_ID)
    del obj["extensions"][RECORD.id]["record_refs"]
    obj["object_refs"].append("malware--fdd60b30-b67c-41e3-b0b9-f01faf20d111")
    kinds = {stix_id(PERSON_ID): RecordKind.PERSON,
             stix_id(ORGANISATION_ID): RecordKind.ORGANISATION}
    record = stix_to_record(obj, default_owner="es", kinds=kinds)
    assert record.references[-1] == "malware--fdd60b30-b67c-41e3-b0b9-f01faf20d111"


def test_reference_to_an_identity_of_unknown_kind_is_refused() -> None:
    obj = _stix(REPORT_ID)
    del obj["extensions"][RECORD.id]["record_refs"]
    assert _error(obj).field == "objects[3].object_refs[0]"


def test_invalid_pattern_is_refused_naming_it() -> None:
    obj = next(o for r in full_records() for o in record_to_stix(r) if o["type"] == "indicator")
    obj["pattern"] = "[ipv4-addr:value = ]"
    assert _error(obj).field == "objects[3].pattern"


def test_relationship_between_relationships_cannot_be_exported() -> None:
    record = Record(id="relationship--4d6b2c1a-9e8f-4a7b-8c6d-5e4f3a2b1c0d", owner_agency="fr",
                    markings=Markings(tlp=Tlp.GREEN),
                    details=Relationship("explains", "relationship--1b2c3d4e-5f60-4718-9a2b-"
                                         "3c4d5e6f7a8b", PERSON_ID))
    with pytest.raises(InvalidStix) as caught:
        record_to_stix(record)
    assert caught.value.field == "details.source"


def test_unknown_marking_is_reported_for_the_object_that_uses_it() -> None:
    obj = _stix(PERSON_ID)
    obj["object_marking_refs"] = [UNKNOWN_MARKING]
    (result,) = import_bundle(_bundle(obj), default_owner="es")
    assert result.error is not None
    assert result.error.field == "objects[0].object_marking_refs[0]"
    assert "unknown marking" in result.error.detail


def test_marking_defined_in_the_bundle_is_known() -> None:
    statement = {"type": "marking-definition", "spec_version": "2.1", "id": UNKNOWN_MARKING,
                 "created": "2026-01-01T00:00:00.000Z", "definition_type": "statement",
                 "definition": {"statement": "Copyright 2026 (fictional)"}}
    assert UNKNOWN_MARKING in known_markings([statement])


@pytest.mark.parametrize(("change", "field"), [
    (lambda o: o.pop("type"), "objects[0].type"),
    (lambda o: o.pop("id"), "objects[0].id"),
    (lambda o: o.update(spec_version="2.0"), "objects[0].spec_version"),
    (lambda o: o.pop("spec_version"), "objects[0].spec_version"),
])
def test_object_without_type_id_or_stix21_is_reported(change: Any, field: str) -> None:
    obj = _stix(PERSON_ID)
    change(obj)
    (result,) = import_bundle(_bundle(obj), default_owner="es")
    assert result.error is not None
    assert result.error.field == field


def test_one_bad_object_does_not_stop_the_others() -> None:
    good = _stix(PERSON_ID)
    bad = _stix(DOCUMENT_ID)
    bad["status"] = "burnt"
    results = import_bundle(_bundle(bad, good), default_owner="es")
    assert results[0].error is not None
    assert results[0].error.field == "objects[0].status"
    assert results[1].record is not None


@pytest.mark.parametrize(("data", "field"), [
    (b"{not json", "bundle"),
    (b"[]", "bundle"),
    (json.dumps({"type": "report", "id": "report--1"}).encode(), "id"),
    (json.dumps({"type": "report"}).encode(), "type"),
    (json.dumps({"type": "bundle", "id": "bundle--6f1d8c2a-3b4e-4f5a-9c6d-7e8f9a0b1c2d",
                 "spec_version": "2.0", "objects": []}).encode(), "spec_version"),
    (json.dumps(_bundle()).replace("[]", '["x"]').encode(), "objects[0]"),
])
def test_input_that_is_not_a_stix21_bundle_is_refused_as_a_whole(data: bytes,
                                                                   field: str) -> None:
    with pytest.raises(InvalidStix) as caught:
        read_bundle(data)
    assert caught.value.field == field


def test_check_object_accepts_tlp1_markings_as_known() -> None:
    obj = _stix(PERSON_ID)
    obj["object_marking_refs"] = [next(iter(TLP1_MARKING_IDS))]
    check_object(obj, path="objects[0]", markings=known_markings([]))


def test_stripped_handling_code_is_refused_not_read_as_h0() -> None:
    obj = _stix(PERSON_ID)
    del obj["extensions"][RECORD.id]["handling_code"]
    assert _error(obj).field == f"objects[3].extensions.{RECORD.id}.handling_code"


def test_stripped_document_status_is_refused_not_read_as_valid() -> None:
    obj = _stix(DOCUMENT_ID)
    del obj["status"]
    assert _error(obj).field == "objects[3].status"


def test_passerelle_object_type_without_its_extension_is_refused() -> None:
    obj = _stix(DOCUMENT_ID)
    obj["extensions"] = {}
    assert _error(obj).field == f"objects[3].extensions.{DOCUMENT.id}"


def test_unknown_top_level_property_on_a_passerelle_object_type_is_refused() -> None:
    obj = _stix(EVENT_ID)
    obj["vehicle"] = "AB-123-CD"
    assert _error(obj).field == "objects[3].vehicle"
