"""Broken MISP input: the document as a whole raises ``InvalidMisp``; a broken element gets
an error naming the element and its property, and the other elements are still read."""

from __future__ import annotations

from typing import Any

import pytest

from passerelle.errors import InvalidMisp, ValidationFailed
from passerelle.interop.misp import MispImport

from .test_misp_import import (
    EVENT_UUID,
    PERSON,
    attribute,
    event,
    misp_object,
    read,
    reference,
    relation,
    uid,
)


def _outcome(result: MispImport) -> list[tuple[str, str | None]]:
    """Each element and the field its error names (None for a record)."""
    return [(item.where, item.error.field if item.error else None) for item in result.items]


def test_invalid_misp_is_a_validation_error_with_its_own_code() -> None:
    assert issubclass(InvalidMisp, ValidationFailed)
    assert (InvalidMisp.code, InvalidMisp.status) == ("invalid_misp", 422)


@pytest.mark.parametrize("data", [b"{not json", "", b"\xff\xfe"])
def test_a_document_that_is_not_json_is_refused(data: bytes | str) -> None:
    with pytest.raises(InvalidMisp, match="not JSON") as raised:
        read(data)
    assert raised.value.field == "Event"


@pytest.mark.parametrize(("document", "field"), [
    ({"type": "bundle", "objects": []}, "Event"),
    ({"Event": "an event"}, "Event"),
    ({"response": {"Event": {}}}, "response"),
    ({"response": [{"Event": {"info": "fine"}}, {"value": "1"}]}, "response[1].Event"),
    ([42], "[0].Event"),
])
def test_a_document_without_an_event_is_refused(document: Any, field: str) -> None:
    with pytest.raises(InvalidMisp) as raised:
        read(document)
    assert raised.value.field == field


@pytest.mark.parametrize(("broken", "field", "detail"), [
    (attribute("domain", 42, 2), "Event[0].Attribute[1].value", "must be a string, not int"),
    (attribute("domain", ["a", "b"], 2), "Event[0].Attribute[1].value", "not list"),
    ({**attribute("domain", "x", 2), "timestamp": "yesterday"},
     "Event[0].Attribute[1].timestamp", "not a Unix timestamp"),
    ({k: v for k, v in attribute("ghost-type", "x", 2).items() if k != "value"},
     "Event[0].Attribute[1].value", "without a value"),
    ({k: v for k, v in attribute("domain", "x", 2).items() if k != "type"},
     "Event[0].Attribute[1].type", "needs a type"),
    (attribute("ip-dst", "not-an-address", 2), "Event[0].Attribute[1].value",
     "not a valid ip-dst value"),
    (attribute("md5", "abc", 2), "Event[0].Attribute[1].value", "not a valid md5 value"),
    (attribute("domain", "x", 2, first_seen="soon"), "Event[0].Attribute[1].first_seen",
     "ISO 8601"),
    (attribute("domain", "x", 2, comment=7), "Event[0].Attribute[1].comment", "string"),
    (attribute("domain", "x", 2, uuid=12), "Event[0].Attribute[1].uuid", "string"),
    (attribute("domain", "x", 2, Tag=[{"name": "tlp:purple"}]),
     "Event[0].Attribute[1].Tag[0].name", "unknown TLP level 'tlp:purple'"),
    (attribute("domain", "x", 2, Tag=[{"name": "PAP:BLACK"}]),
     "Event[0].Attribute[1].Tag[0].name", "unknown PAP level"),
    (attribute("domain", "x", 2, Tag=[{"name": 'passerelle:handling-code="H9"'}]),
     "Event[0].Attribute[1].Tag[0].name", "not a valid handling-code"),
    (attribute("domain", "x", 2, Tag=[{"name": 'passerelle:colour="red"'}]),
     "Event[0].Attribute[1].Tag[0].name", "not one of Passerelle's marking tags"),
    (attribute("domain", "x", 2, Tag=[{"name": "tlp:green"}, {"name": "tlp:amber"}]),
     "Event[0].Attribute[1].Tag[1].name", "one tlp"),
    (attribute("domain", "x", 2, uuid=uid(1)), "Event[0].Attribute[1].uuid",
     "the uuid of Event[0].Attribute[0] already"),
])
def test_a_broken_attribute_is_an_error_and_the_others_are_read(
        broken: dict[str, Any], field: str, detail: str) -> None:
    result = read(event(attribute("domain", "example.org"), broken,
                        attribute("text", "still read", 3)))
    assert _outcome(result) == [("Event[0].Attribute[0]", None),
                                ("Event[0].Attribute[1]", field),
                                ("Event[0].Attribute[2]", None), ("Event[0]", None)]
    error = result.errors[0]
    assert isinstance(error, InvalidMisp)
    assert detail in error.detail
    assert str(error).startswith(field)


def test_tlp_red_needs_named_recipients() -> None:
    refused = read(event(attribute("domain", "example.org", Tag=[{"name": "tlp:red"}])))
    assert _outcome(refused)[0] == ("Event[0].Attribute[0]", "Event[0].Attribute[0].Tag[0].name")
    assert "passerelle:recipient" in refused.errors[0].detail
    accepted = read(event(attribute("domain", "example.org", Tag=[
        {"name": "tlp:red"}, {"name": 'passerelle:recipient="agency:ma"'}])))
    assert accepted.errors == []
    assert accepted.records[0].markings.recipients == frozenset({"agency:ma"})


def test_an_unknown_tlp_on_the_event_stops_the_whole_event() -> None:
    result = read(event(attribute("domain", "example.org"), tags=("tlp:green", "tlp:ex:chr")))
    assert _outcome(result) == [("Event[0]", "Event[0].Tag[1].name")]
    assert result.notes == ["Event[0]: nothing read, the event as a whole cannot be honoured"]


def test_a_dangling_reference_is_an_error_naming_it() -> None:
    file = misp_object("file", 40, relation("filename", "filename", "fictional.exe", 41),
                       references=(reference(42, 40, 41, "contains"),
                                   reference(43, 40, 404, "drops")))
    result = read(event(objects=(file,)))
    assert _outcome(result) == [
        ("Event[0].Object[0]", None), ("Event[0].Object[0].ObjectReference[0]", None),
        ("Event[0].Object[0].ObjectReference[1]",
         "Event[0].Object[0].ObjectReference[1].referenced_uuid"), ("Event[0]", None)]
    assert "is not the uuid of an attribute or object of this event" in \
        result.errors[0].detail


def test_a_reference_to_an_element_that_could_not_be_read_is_an_error() -> None:
    broken = misp_object("file", 40, relation("filename", "filename", 7, 41))
    other = misp_object("url", 50, relation("url", "url", "https://example.org", 51),
                        references=(reference(52, 50, 40, "related-to"),))
    result = read(event(objects=(broken, other)))
    assert _outcome(result) == [
        ("Event[0].Object[0]", "Event[0].Object[0].Attribute[0].value"),
        ("Event[0].Object[1]", None),
        ("Event[0].Object[1].ObjectReference[0]",
         "Event[0].Object[1].ObjectReference[0].referenced_uuid"), ("Event[0]", None)]


@pytest.mark.parametrize(("broken", "field"), [
    (relation("date-of-birth", "date-of-birth", "the seventies", 14),
     "Event[0].Object[0].Attribute[1].value"),
    (relation("first-name", "first-name", "Léa", 14, timestamp="-1"),
     "Event[0].Object[0].Attribute[1].timestamp"),
    (relation("last-name", "last-name", "Dubois", 14, Tag=[{"name": "tlp:green"}]),
     "Event[0].Object[0].Attribute[1].Tag[0].name"),
])
def test_a_broken_attribute_of_a_person_is_an_error_on_the_person(
        broken: dict[str, Any], field: str) -> None:
    person = misp_object("person", 10, relation("first-name", "first-name", "Léa", 11,
                                                Tag=[{"name": "tlp:amber"}]), broken)
    result = read(event(attribute("domain", "example.org"), objects=(person,)))
    assert _outcome(result) == [("Event[0].Attribute[0]", None), ("Event[0].Object[0]", field),
                                ("Event[0]", None)]


def test_a_person_without_a_name_is_an_error_on_the_object() -> None:
    person = misp_object("person", 10, relation("gender", "gender", "Female", 11))
    result = read(event(objects=(person,)))
    assert _outcome(result)[0] == ("Event[0].Object[0]", "Event[0].Object[0]")
    assert "at least one name" in result.errors[0].detail


def test_a_passport_without_a_number_is_an_error_on_the_object() -> None:
    passport = misp_object("passport", 30, relation("passport-country", "passport-country",
                                                    "Morocco", 32))
    result = read(event(objects=(passport, PERSON)))
    assert _outcome(result)[0] == ("Event[0].Object[0]", "Event[0].Object[0]")
    assert "passport-number" in result.errors[0].detail


def test_a_passport_of_an_unknown_country_is_an_error_naming_the_value() -> None:
    passport = misp_object("passport", 30,
                           relation("passport-number", "passport-number", "X1", 31),
                           relation("passport-country", "passport-country", "Atlantis", 32))
    result = read(event(objects=(passport,)))
    assert _outcome(result)[0] == ("Event[0].Object[0]", "Event[0].Object[0].Attribute[1].value")


@pytest.mark.parametrize(("fields", "field"), [
    ({"date": "01/01/2026"}, "Event[0].date"),
    ({"timestamp": "soon"}, "Event[0].timestamp"),
    ({"info": 12}, "Event[0].info"),
    ({"uuid": 12}, "Event[0].uuid"),
])
def test_a_broken_event_property_is_an_error_on_the_report_only(
        fields: dict[str, Any], field: str) -> None:
    result = read(event(attribute("domain", "example.org"), **fields))
    assert _outcome(result) == [("Event[0].Attribute[0]", None), ("Event[0]", field)]


def test_an_attribute_list_that_is_not_a_list_stops_the_event() -> None:
    result = read({"Event": {"uuid": EVENT_UUID, "info": "x", "Attribute": {"a": 1}}})
    assert _outcome(result) == [("Event[0]", "Event[0].Attribute")]
