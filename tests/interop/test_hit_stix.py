"""Hit reports travel as STIX sightings and hit messages as notes: valid STIX, read back losslessly,
and bad input refused with the property at fault."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator, FormatChecker
from stix2validator import ValidationOptions, validate_instance

from passerelle.domain.hits import (
    MAX_FIELD,
    Direction,
    HitMessage,
    HitReport,
    MessageKind,
    Sighting,
)
from passerelle.domain.markings import Tlp
from passerelle.errors import InvalidStix
from passerelle.interop.stix.extensions import (
    ALERTS_PUBLISHED,
    PASSERELLE_IDENTITY_ID,
    agency_identity,
    extension_definition,
    passerelle_identity,
    schema_text,
)
from passerelle.interop.stix.hits import (
    HIT,
    HIT_EXTENSIONS,
    HIT_MESSAGE,
    hit_object,
    is_hit,
    is_hit_message,
    message_object,
    read_hit,
    read_message,
)
from passerelle.interop.stix.identifiers import agency_identity_id, derived_uuid
from passerelle.interop.stix.tlp import TLP2_MARKING_IDS, tlp_marking_definition

HIT_ID = "hit--6f1c2a9e-4b7d-4e21-9a3c-0d5e8f7b1a24"
ALERT_ID = "alert--c3d9e1f0-7a2b-4c8d-9e6f-1a2b3c4d5e6f"
CASABLANCA = dt.timezone(dt.timedelta(hours=1))
FOUND_AT = dt.datetime(2026, 11, 14, 7, 42, 5, 123456, tzinfo=CASABLANCA)
REPORTED_AT = dt.datetime(2026, 11, 14, 7, 58, 30, tzinfo=dt.UTC)
ACCEPTED_WARNINGS = {"103"}  # Passerelle's published objects have UUIDv5 ids on purpose


def _sighting(**changes: Any) -> Sighting:
    values: dict[str, Any] = {
        "found_at": FOUND_AT,
        "place": "Tanger Med port, passenger terminal, lane 3",
        "reason_of_check": "ferry passenger list screened 24 h before departure",
        "action_taken": "discreet check: documents read, subject not stopped",
        "route": "Tanger Med - Algeciras",
        "destination": "Bruxelles-Midi",
        "companions": ("an adult woman travelling on the same booking", "a child of about six"),
        "vehicle": "grey estate car, registration not shown",
        "objects_carried": ("one large suitcase", "two mobile telephones"),
        "remarks": "the subject asked twice about onward trains",
    }
    return Sighting(**{**values, **changes})


def _report(sighting: Sighting | None = None) -> HitReport:
    return HitReport(
        id=HIT_ID, alert_id=ALERT_ID, issuer="be", finder="ma",
        sighting=sighting or _sighting(), reported_by="user:ma-duty-officer-2",
        reported_at=REPORTED_AT, direction=Direction.SENT,
        candidate_id="candidate--0aa1b2c3-d4e5-4f60-8a7b-9c0d1e2f3a4b",
    )


MESSAGE_ID = "message--2e7f9a1b-3c4d-4e5f-8a6b-7c8d9e0f1a2b"
ACK_ID = "message--9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"


def _message(kind: MessageKind = MessageKind.REPLY, text: str = "Received; we ask for the "
             "ferry's passenger list.", message_id: str = MESSAGE_ID) -> HitMessage:
    return HitMessage(
        id=message_id, hit_id=HIT_ID, kind=kind,
        agency="be", author="user:be-sirene-desk-4", text=text,
        at=dt.datetime(2026, 11, 14, 9, 3, 0, 5, tzinfo=dt.UTC),
    )


def _as_received(report: HitReport) -> HitReport:
    """What the issuer holds of a report: the sender's own state does not travel."""
    return dataclasses.replace(report, direction=Direction.RECEIVED, candidate_id=None,
                               answered_at=None, messages=())


def _codes(messages: list[Any]) -> set[str]:
    return {m.group(1) for m in (re.search(r"\{(\d+)\}", str(x)) for x in messages) if m}


# --- round trips -------------------------------------------------------------------------------


def test_hit_report_reads_back_as_received_with_every_field() -> None:
    report = _report()
    assert read_hit(hit_object(report)) == _as_received(report)


def test_hit_report_with_only_required_fields_reads_back() -> None:
    bare = Sighting(found_at=FOUND_AT, place="Zaventem airport, gate A41",
                    reason_of_check="passport check on arrival", action_taken="reported only")
    report = _report(bare)
    obj = hit_object(report)
    assert set(obj["extensions"][HIT.id]) == {*HIT.required()}
    assert read_hit(obj) == _as_received(report)


def test_hit_message_reads_back_as_sent() -> None:
    message = _message()
    assert read_message(message_object(message)) == message


def test_acknowledgement_without_text_reads_back() -> None:
    message = _message(MessageKind.ACKNOWLEDGEMENT, "", ACK_ID)
    assert read_message(message_object(message)) == message


_texts = st.text(st.characters(codec="utf-8"), min_size=1, max_size=40).filter(
    str.strip)


@settings(max_examples=60, deadline=None)
@given(
    place=_texts, route=st.text(max_size=40), companions=st.lists(_texts, max_size=3),
    found_at=st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2100, 1, 1),
                          timezones=st.just(dt.UTC)),
)
def test_any_hit_report_reads_back(place: str, route: str, companions: list[str],
                                   found_at: dt.datetime) -> None:
    report = _report(_sighting(place=place, route=route, companions=tuple(companions),
                               found_at=found_at))
    assert read_hit(hit_object(report)) == _as_received(report)


def test_hit_report_is_the_sighting_of_the_alert_by_the_finder() -> None:
    obj = hit_object(_report())
    finder = agency_identity_id("ma")
    assert obj["id"] == "sighting--6f1c2a9e-4b7d-4e21-9a3c-0d5e8f7b1a24"
    assert obj["sighting_of_ref"] == "x-passerelle-alert--c3d9e1f0-7a2b-4c8d-9e6f-1a2b3c4d5e6f"
    assert obj["where_sighted_refs"] == [finder]
    assert obj["created_by_ref"] == finder
    assert obj["first_seen"] == obj["last_seen"] == "2026-11-14T06:42:05.123456Z"
    assert obj["created"] == obj["modified"] == "2026-11-14T07:58:30.000000Z"
    assert obj["count"] == 1
    assert obj["object_marking_refs"] == [TLP2_MARKING_IDS[Tlp.AMBER_STRICT]]


def test_hit_message_is_a_note_on_the_hit_sighting() -> None:
    obj = message_object(_message())
    assert obj["id"] == "note--2e7f9a1b-3c4d-4e5f-8a6b-7c8d9e0f1a2b"
    assert obj["object_refs"] == ["sighting--6f1c2a9e-4b7d-4e21-9a3c-0d5e8f7b1a24"]
    assert obj["authors"] == ["user:be-sirene-desk-4"]
    assert obj["created_by_ref"] == agency_identity_id("be")
    assert obj["extensions"][HIT_MESSAGE.id]["kind"] == "reply"
    assert obj["object_marking_refs"] == [TLP2_MARKING_IDS[Tlp.AMBER_STRICT]]


def test_local_state_of_the_finder_does_not_travel() -> None:
    report = _report()
    text = json.dumps(hit_object(report))
    assert report.candidate_id is not None
    assert report.candidate_id.split("--")[1] not in text
    assert "direction" not in text


# --- validity ----------------------------------------------------------------------------------


def _bundle() -> dict[str, Any]:
    return {"type": "bundle", "id": "bundle--5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a", "objects": [
        tlp_marking_definition(Tlp.AMBER_STRICT), tlp_marking_definition(Tlp.CLEAR),
        passerelle_identity(), *(extension_definition(e) for e in HIT_EXTENSIONS),
        agency_identity("be"), agency_identity("ma"),
        hit_object(_report()), message_object(_message()),
        message_object(_message(MessageKind.ACKNOWLEDGEMENT, "", ACK_ID)),
    ]}


def test_hit_and_messages_are_valid_stix_with_only_expected_warnings() -> None:
    results = validate_instance(_bundle(), ValidationOptions(strict=False))
    assert results.is_valid, [str(e) for e in results.errors]
    assert _codes(results.warnings) <= ACCEPTED_WARNINGS


def test_validator_notices_a_broken_hit() -> None:
    document = _bundle()
    document["objects"][-3]["count"] = -1
    assert not validate_instance(document, ValidationOptions(strict=False)).is_valid


@pytest.mark.parametrize("obj", [hit_object(_report()), hit_object(_report(Sighting(
    found_at=FOUND_AT, place="x", reason_of_check="y", action_taken="z")))])
def test_hit_extension_data_satisfies_the_published_schema(obj: dict[str, Any]) -> None:
    validator = Draft202012Validator(HIT.schema(), format_checker=FormatChecker())
    assert [e.message for e in validator.iter_errors(obj["extensions"][HIT.id])] == []


@pytest.mark.parametrize("kind", list(MessageKind))
def test_message_extension_data_satisfies_the_published_schema(kind: MessageKind) -> None:
    data = message_object(_message(kind))["extensions"][HIT_MESSAGE.id]
    Draft202012Validator(HIT_MESSAGE.schema(), format_checker=FormatChecker()).validate(data)


def test_hit_schema_keeps_the_domain_limits() -> None:
    assert HIT.schema()["properties"]["place"]["maxLength"] == MAX_FIELD


@pytest.mark.parametrize("extension", HIT_EXTENSIONS, ids=lambda e: e.key)
def test_hit_extension_definitions_have_fixed_derived_ids_and_embed_their_schema(
    extension: Any,
) -> None:
    Draft202012Validator.check_schema(extension.schema())
    definition = extension_definition(extension)
    assert definition["created_by_ref"] == PASSERELLE_IDENTITY_ID
    assert definition["extension_types"] == ["property-extension"]
    assert definition["created"] == definition["modified"] == ALERTS_PUBLISHED  # new with alerts
    derived = derived_uuid(f"extension-definition:{extension.key}")
    assert extension.id == f"extension-definition--{derived}"


SCHEMA_DIGESTS = {
    # Wire format golden values: a change is deliberate (bump the extension's version).
    ("passerelle-hit", "1.0.0"):
        "ac0190bf34dca5918e70fa073994b25d6577091bb7e37c4eec50f50c0ab23519",
    ("passerelle-hit-message", "1.0.0"):
        "8d06e9a9508b78d1337e8f631660e1c5af8160b6120bf152271da894435b1def",
}


@pytest.mark.parametrize("extension", HIT_EXTENSIONS, ids=lambda e: e.key)
def test_hit_schema_changes_only_with_a_new_extension_version(extension: Any) -> None:
    digest = hashlib.sha256(schema_text(extension).encode()).hexdigest()
    assert SCHEMA_DIGESTS[(extension.key, extension.version)] == digest


# --- telling hits from other sightings and notes ---------------------------------------------


FOREIGN_SIGHTING = {
    "type": "sighting", "spec_version": "2.1",
    "id": "sighting--8e7d6c5b-4a3f-4e2d-9c1b-0a9f8e7d6c5b",
    "created": "2026-11-14T08:00:00.000Z", "modified": "2026-11-14T08:00:00.000Z",
    "sighting_of_ref": "indicator--1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a1b",
    "object_marking_refs": [TLP2_MARKING_IDS[Tlp.AMBER_STRICT]],
}


def test_sighting_without_the_hit_extension_is_not_a_hit() -> None:
    assert not is_hit(FOREIGN_SIGHTING)
    with pytest.raises(InvalidStix) as caught:
        read_hit(FOREIGN_SIGHTING)
    assert caught.value.field == "extensions"


def test_sighting_with_another_extension_is_not_a_hit() -> None:
    obj = {**FOREIGN_SIGHTING, "extensions": {HIT_MESSAGE.id: {}}}
    assert not is_hit(obj)
    with pytest.raises(InvalidStix) as caught:
        read_hit(obj)
    assert caught.value.field == f"extensions.{HIT.id}"


def test_hits_and_messages_are_told_apart() -> None:
    hit, message = hit_object(_report()), message_object(_message())
    assert is_hit(hit)
    assert not is_hit_message(hit)
    assert is_hit_message(message)
    assert not is_hit(message)


@pytest.mark.parametrize("obj", [None, "sighting", [], {"type": "note"},
                                 {"type": "note", "extensions": "x"}])
def test_anything_else_is_neither_a_hit_nor_a_message(obj: object) -> None:
    assert not is_hit(obj)
    assert not is_hit_message(obj)


# --- bad input is refused, naming the property --------------------------------------------------


def _ext(name: str) -> str:
    return f"extensions.{HIT.id}.{name}"


def _set_ext(name: str, value: object) -> Callable[[dict[str, Any]], None]:
    return lambda obj: obj["extensions"][HIT.id].__setitem__(name, value)


def _del_ext(name: str) -> Callable[[dict[str, Any]], None]:
    return lambda obj: obj["extensions"][HIT.id].pop(name)


def _set(name: str, value: object) -> Callable[[dict[str, Any]], None]:
    return lambda obj: obj.__setitem__(name, value)


OTHER_IDENTITY = agency_identity_id("es")
HIT_DEFECTS: list[tuple[str, Callable[[dict[str, Any]], None], str]] = [
    ("place missing", _del_ext("place"), _ext("place")),
    ("place not a string", _set_ext("place", 42), _ext("place")),
    ("place blank", _set_ext("place", "   "), _ext("place")),
    ("place too long", _set_ext("place", "x" * (MAX_FIELD + 1)), _ext("place")),
    ("reason missing", _del_ext("reason_of_check"), _ext("reason_of_check")),
    ("action missing", _del_ext("action_taken"), _ext("action_taken")),
    ("route not a string", _set_ext("route", ["a"]), _ext("route")),
    ("companions not a list", _set_ext("companions", "a friend"), _ext("companions")),
    ("companion not a string", _set_ext("companions", ["a friend", 7]), _ext("companions[1]")),
    ("too many objects", _set_ext("objects_carried", ["bag"] * 101), _ext("objects_carried")),
    ("unknown property", _set_ext("religion", "any"), _ext("religion")),
    ("issuer missing", _del_ext("issuer_agency"), _ext("issuer_agency")),
    ("finder not an agency id", _set_ext("finder_agency", "MA!"), _ext("finder_agency")),
    ("reported_by empty", _set_ext("reported_by", ""), _ext("reported_by")),
    ("extension type", _set_ext("extension_type", "new-sdo"), _ext("extension_type")),
    ("extension not an object", lambda o: o["extensions"].__setitem__(HIT.id, []),
     f"extensions.{HIT.id}"),
    ("wrong type", _set("type", "note"), "type"),
    ("id of another type", _set("id", "indicator--6f1c2a9e-4b7d-4e21-9a3c-0d5e8f7b1a24"), "id"),
    ("id malformed", _set("id", "sighting--nope"), "id"),
    ("first_seen not a timestamp", _set("first_seen", "yesterday"), "first_seen"),
    ("first_seen missing", lambda o: o.pop("first_seen"), "first_seen"),
    ("last_seen differs", _set("last_seen", "2026-11-15T00:00:00Z"), "last_seen"),
    ("created not in UTC", _set("created", "2026-11-14T08:58:30+01:00"), "created"),
    ("modified after created", _set("modified", "2026-11-15T00:00:00Z"), "modified"),
    ("count", _set("count", 2), "count"),
    ("sighting of an indicator",
     _set("sighting_of_ref", "indicator--c3d9e1f0-7a2b-4c8d-9e6f-1a2b3c4d5e6f"), "sighting_of_ref"),
    ("creator not the finder", _set("created_by_ref", OTHER_IDENTITY), "created_by_ref"),
    ("sighted elsewhere", _set("where_sighted_refs", [OTHER_IDENTITY]), "where_sighted_refs"),
    ("looser marking", _set("object_marking_refs", [TLP2_MARKING_IDS[Tlp.GREEN]]),
     "object_marking_refs"),
    ("no marking", lambda o: o.pop("object_marking_refs"), "object_marking_refs"),
    ("marking not TLP",
     _set("object_marking_refs", ["marking-definition--0b5a7a6c-1f2e-4d3c-9b8a-7f6e5d4c3b2a"]),
     "object_marking_refs[0]"),
    ("granular markings", _set("granular_markings", []), "granular_markings"),
    ("revoked", _set("revoked", True), "revoked"),
]


@pytest.mark.parametrize(("change", "field"), [(c, f) for _, c, f in HIT_DEFECTS],
                         ids=[name for name, _, _ in HIT_DEFECTS])
def test_bad_hit_report_is_refused_naming_the_property(
    change: Callable[[dict[str, Any]], None], field: str,
) -> None:
    assert _refused_at(hit_object(_report()), change, read_hit) == field


def _refused_at(obj: dict[str, Any], change: Callable[[dict[str, Any]], None],
                read: Callable[[object], object]) -> str | None:
    """The field ``read`` names when it refuses ``obj`` once ``change`` has spoilt it."""
    spoilt = copy.deepcopy(obj)
    change(spoilt)
    with pytest.raises(InvalidStix) as caught:
        read(spoilt)
    return caught.value.field


def test_errors_inside_a_bundle_name_the_object_path() -> None:
    obj = hit_object(_report())
    del obj["extensions"][HIT.id]["place"]
    with pytest.raises(InvalidStix) as caught:
        read_hit(obj, path="objects[6]")
    assert caught.value.field == f"objects[6].{_ext('place')}"


@pytest.mark.parametrize("obj", [None, "sighting", ["sighting"]])
def test_hit_that_is_not_an_object_is_refused(obj: object) -> None:
    with pytest.raises(InvalidStix) as caught:
        read_hit(obj, path="objects[1]")
    assert caught.value.field == "objects[1]"


def _msg_ext(name: str) -> str:
    return f"extensions.{HIT_MESSAGE.id}.{name}"


def _set_msg_ext(name: str, value: object) -> Callable[[dict[str, Any]], None]:
    return lambda obj: obj["extensions"][HIT_MESSAGE.id].__setitem__(name, value)


MESSAGE_DEFECTS: list[tuple[str, Callable[[dict[str, Any]], None], str]] = [
    ("unknown kind", _set_msg_ext("kind", "thanks"), _msg_ext("kind")),
    ("kind missing", lambda o: o["extensions"][HIT_MESSAGE.id].pop("kind"), _msg_ext("kind")),
    ("agency not an id", _set_msg_ext("agency", 3), _msg_ext("agency")),
    ("hit id malformed", _set_msg_ext("hit_id", "alert--6f1c2a9e-4b7d-4e21-9a3c-0d5e8f7b1a24"),
     _msg_ext("hit_id")),
    ("unknown property", _set_msg_ext("urgency", "high"), _msg_ext("urgency")),
    ("content not a string", _set("content", 5), "content"),
    ("reply without text", _set("content", "  "), "content"),
    ("on another sighting",
     _set("object_refs", ["sighting--00000000-4b7d-4e21-9a3c-0d5e8f7b1a24"]), "object_refs"),
    ("on more than the hit",
     lambda o: o["object_refs"].append("sighting--00000000-4b7d-4e21-9a3c-0d5e8f7b1a24"),
     "object_refs"),
    ("no author", _set("authors", []), "authors"),
    ("author not a string", _set("authors", [3]), "authors[0]"),
    ("creator not the agency", _set("created_by_ref", OTHER_IDENTITY), "created_by_ref"),
    ("created missing", lambda o: o.pop("created"), "created"),
    ("looser marking", _set("object_marking_refs", [TLP2_MARKING_IDS[Tlp.CLEAR]]),
     "object_marking_refs"),
    ("id of a sighting", _set("id", "sighting--2e7f9a1b-3c4d-4e5f-8a6b-7c8d9e0f1a2b"), "id"),
]


@pytest.mark.parametrize(("change", "field"), [(c, f) for _, c, f in MESSAGE_DEFECTS],
                         ids=[name for name, _, _ in MESSAGE_DEFECTS])
def test_bad_hit_message_is_refused_naming_the_property(
    change: Callable[[dict[str, Any]], None], field: str,
) -> None:
    assert _refused_at(message_object(_message()), change, read_message) == field


def test_note_without_the_message_extension_is_not_a_hit_message() -> None:
    obj = message_object(_message())
    del obj["extensions"]
    assert not is_hit_message(obj)
    with pytest.raises(InvalidStix) as caught:
        read_message(obj)
    assert caught.value.field == "extensions"


def test_report_on_something_other_than_an_alert_cannot_be_written() -> None:
    report = dataclasses.replace(_report(), alert_id="person--c3d9e1f0-7a2b-4c8d-9e6f-1a2b3c4d5e6f")
    with pytest.raises(InvalidStix) as caught:
        hit_object(report)
    assert caught.value.field == "alert_id"


def test_message_with_an_id_of_another_kind_cannot_be_written() -> None:
    message = dataclasses.replace(_message(), id="hit--2e7f9a1b-3c4d-4e5f-8a6b-7c8d9e0f1a2b")
    with pytest.raises(InvalidStix) as caught:
        message_object(message)
    assert caught.value.field == "id"


DOC = Path(__file__).resolve().parents[2] / "docs" / "stix-hits.md"


@pytest.mark.parametrize("extension", HIT_EXTENSIONS, ids=lambda e: e.key)
def test_hit_extension_definitions_are_documented_with_their_ids(extension: Any) -> None:
    text = DOC.read_text(encoding="utf-8")
    assert extension.id in text
    assert f"`{extension.schema_file}`" in text
    assert all(f"`{name}`" in text for name in extension.properties() - {"extension_type"})
