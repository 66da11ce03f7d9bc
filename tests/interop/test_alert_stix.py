"""Alerts in STIX: an ``x-passerelle-alert`` that reads back as the same record, is valid STIX,
and is refused, naming the property, when it breaks a rule of the alert or of STIX."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import json
import re
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from stix2validator import ValidationOptions, validate_instance

from passerelle.domain.records import (
    Alert,
    AlertCategory,
    AlertStatus,
    Record,
    RecordKind,
)
from passerelle.errors import InvalidStix
from passerelle.interop.stix import (
    ALERT,
    RECORD,
    bundle,
    import_bundle,
    record_to_stix,
    stix_to_record,
)
from passerelle.interop.stix.identifiers import ALERT_TYPE, stix_id

from .examples import ALERT_ID, DOCUMENT_ID, PERSON_ID, full_records

OTHER_PRODUCER_ALERT = {
    "type": "x-passerelle-alert", "spec_version": "2.1",
    "id": "x-passerelle-alert--0e6f1d2c-3b4a-4c5d-8e7f-9a0b1c2d3e4f",
    "created": "2026-05-01T08:00:00.000Z", "modified": "2026-05-01T08:00:00.000Z",
    "category": "refusal_of_entry",
    "subject_ref": "identity--6d5c4b3a-2f1e-4d0c-9b8a-7f6e5d4c3b2a",
    "action_to_be_taken": "Refuse entry and inform the issuing authority.",
    "valid_from": "2026-05-01T00:00:00Z", "valid_until": "2028-05-01T00:00:00Z",
    "urgency": "routine", "status": "active",
    "extensions": {ALERT.id: {"extension_type": "new-sdo"}},
}


def _alert_record() -> Record:
    return next(r for r in full_records() if r.id == ALERT_ID)


def _stix() -> dict[str, Any]:
    return copy.deepcopy(record_to_stix(_alert_record())[0])


def _error(obj: object) -> InvalidStix:
    with pytest.raises(InvalidStix) as caught:
        stix_to_record(obj, default_owner="es", path="objects[3]")
    return caught.value


def _refused(**changes: object) -> InvalidStix:
    """The error reading the fully filled alert with top-level ``changes``."""
    return _error({**_stix(), **changes})


def _with(record: Record, **changes: Any) -> Record:
    return dataclasses.replace(record, details=dataclasses.replace(record.details, **changes))


def test_alert_is_an_x_passerelle_alert_sharing_the_record_uuid() -> None:
    obj = _stix()
    assert obj["type"] == ALERT_TYPE == "x-passerelle-alert"
    assert obj["id"] == ALERT_ID.replace("alert--", "x-passerelle-alert--")
    assert obj["extensions"][ALERT.id] == {"extension_type": "new-sdo"}
    assert obj["extensions"][RECORD.id]["kind"] == "alert"


def test_alert_properties_are_written_as_stix_values() -> None:
    obj = _stix()
    assert obj["category"] == "discreet_check"
    assert obj["subject_ref"] == stix_id(PERSON_ID) == PERSON_ID.replace("person", "identity")
    assert obj["extensions"][RECORD.id]["record_refs"] == [PERSON_ID]
    assert obj["action_to_be_taken"].startswith("Record the route")
    assert "action" not in obj  # a reserved STIX property name
    assert (obj["valid_from"], obj["valid_until"]) == ("2026-03-15T00:00:00.000000Z",
                                                       "2027-03-15T00:00:00.000000Z")
    assert (obj["urgency"], obj["status"]) == ("urgent", "active")
    assert obj["grounds"].startswith("Suspected")


def test_fully_filled_alert_round_trips_through_json() -> None:
    record = _alert_record()
    obj = json.loads(json.dumps(record_to_stix(record)))[0]
    assert stix_to_record(obj, default_owner="other-agency") == record


def test_alert_with_validity_in_another_time_zone_reads_back_as_the_same_instants() -> None:
    casablanca = dt.timezone(dt.timedelta(hours=1))
    record = _with(_alert_record(),
                   valid_from=dt.datetime(2026, 3, 15, 9, 30, tzinfo=casablanca),
                   valid_until=dt.datetime(2026, 9, 15, 9, 30, 0, 250, tzinfo=casablanca))
    obj = record_to_stix(record)[0]
    assert obj["valid_from"] == "2026-03-15T08:30:00.000000Z"
    assert stix_to_record(obj, default_owner="x") == record


def test_document_to_seize_points_at_the_document_object() -> None:
    record = _with(_alert_record(), category=AlertCategory.DOCUMENT_TO_SEIZE,
                   subject=DOCUMENT_ID, status=AlertStatus.WITHDRAWN, grounds="")
    obj = record_to_stix(record)[0]
    assert obj["subject_ref"] == DOCUMENT_ID.replace("document--", "x-passerelle-document--")
    assert "grounds" not in obj
    assert stix_to_record(obj, default_owner="x") == record


def test_exported_alert_is_valid_stix_with_no_warning_of_its_own() -> None:
    document = bundle([_alert_record()])
    results = validate_instance(document, ValidationOptions(strict=True))
    alert_messages = [str(m) for m in (*results.errors, *results.warnings)
                      if str(m).startswith(ALERT_TYPE)]
    assert alert_messages == []
    codes = {m.group(1) for m in (re.search(r"\{(\d+)\}", str(e)) for e in results.errors) if m}
    assert codes <= {"103"}  # Passerelle's deterministic UUIDv5 ids, nothing of the alert


def test_exported_alert_satisfies_its_published_schema() -> None:
    validator = Draft202012Validator(ALERT.schema(), format_checker=FormatChecker())
    assert [e.message for e in validator.iter_errors(_stix())] == []


def test_bundle_carries_the_alert_extension_definition() -> None:
    ids = [o["id"] for o in bundle([_alert_record()])["objects"]]
    assert ALERT.id in ids
    assert RECORD.id in ids


def test_alert_and_its_subject_import_back_from_one_bundle() -> None:
    originals = [full_records()[0], _alert_record()]
    results = import_bundle(json.dumps(bundle(originals)).encode(), default_owner="es")
    assert [r.error for r in results if r.error] == []
    assert [r.record for r in results if r.record] == originals


def test_other_producers_alert_reads_its_identity_subject_as_a_person() -> None:
    record = stix_to_record(OTHER_PRODUCER_ALERT, default_owner="ma")
    assert isinstance(record.details, Alert)
    assert record.kind is RecordKind.ALERT
    assert record.owner_agency == "ma"
    assert record.details.subject == "person--6d5c4b3a-2f1e-4d0c-9b8a-7f6e5d4c3b2a"
    assert record.details.category is AlertCategory.REFUSAL_OF_ENTRY


@pytest.mark.parametrize("value", ["wanted", "ARREST", 3, None])
def test_unknown_category_is_refused_naming_it(value: object) -> None:
    assert _refused(category=value).field == "objects[3].category"


@pytest.mark.parametrize("name", ["category", "subject_ref", "action_to_be_taken", "valid_from",
                                  "valid_until", "urgency", "status"])
def test_missing_alert_property_is_refused_not_defaulted(name: str) -> None:
    obj = _stix()
    del obj[name]
    error = _error(obj)
    assert error.field == f"objects[3].{name}"
    assert "Passerelle alert 1.0.0" in error.detail


def test_alert_ending_before_it_starts_is_refused_naming_the_end() -> None:
    error = _refused(valid_until="2026-03-14T00:00:00Z")
    assert error.field == "objects[3].valid_until"
    assert "valid_from" in error.detail


@pytest.mark.parametrize("value", ["2027-03-15", "2027-03-15T00:00:00+01:00", 1_800_000_000])
def test_validity_that_is_not_a_stix_timestamp_is_refused_naming_it(value: object) -> None:
    assert _refused(valid_until=value).field == "objects[3].valid_until"


def test_document_to_seize_on_a_person_is_refused_naming_the_subject() -> None:
    error = _refused(category="document_to_seize")
    assert error.field == "objects[3].subject_ref"
    assert "document" in error.detail


def test_arrest_on_an_indicator_is_refused_naming_the_subject() -> None:
    obj = copy.deepcopy(OTHER_PRODUCER_ALERT)
    obj["subject_ref"] = "indicator--1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c80"
    assert _error(obj).field == "objects[3].subject_ref"


def test_subject_ref_disagreeing_with_record_refs_is_refused() -> None:
    error = _refused(subject_ref="identity--00000000-0000-4000-8000-000000000001")
    assert error.field == f"objects[3].extensions.{RECORD.id}.record_refs[0]"


@pytest.mark.parametrize("value", ["", "   "])
def test_blank_action_is_refused_naming_the_stix_property(value: str) -> None:
    assert _refused(action_to_be_taken=value).field == "objects[3].action_to_be_taken"


@pytest.mark.parametrize("name", ["action", "x_priority", "severity"])
def test_property_the_alert_schema_does_not_define_is_refused(name: str) -> None:
    assert _refused(**{name: "high"}).field == f"objects[3].{name}"


def test_alert_without_its_extension_is_refused() -> None:
    obj = _stix()
    del obj["extensions"][ALERT.id]
    assert _error(obj).field == f"objects[3].extensions.{ALERT.id}"


def test_alert_declared_as_another_kind_is_refused() -> None:
    obj = _stix()
    obj["extensions"][RECORD.id]["kind"] = "indicator"
    assert _error(obj).field == f"objects[3].extensions.{RECORD.id}.kind"
