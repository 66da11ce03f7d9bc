"""Reading MISP events: attributes, objects and references become records as
docs/misp-mapping.md says, and what Passerelle does not model stays in their extras.

Events here are synthetic; the people in them are fictional.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any

import pytest
from stix2validator import ValidationOptions, validate_instance

from passerelle.domain.codec import record_from_dict, record_to_dict
from passerelle.domain.dates import PartialDate
from passerelle.domain.records import (
    Document,
    DocumentType,
    Indicator,
    Person,
    Record,
    Relationship,
    Report,
    StixObject,
    SubjectCategory,
)
from passerelle.interop.misp import MispImport, events_from_records, read_event
from passerelle.interop.stix.patterns import check_pattern

RECEIVED = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
EVENT_UUID = "6a1f0c2e-0000-4000-8000-000000000000"


def uid(number: int) -> str:
    """A fixed uuid for the n-th element of a synthetic event."""
    return f"6a1f0c2e-0000-4000-8000-{number:012d}"


def attribute(misp_type: str, value: Any, number: int = 1, **fields: Any) -> dict[str, Any]:
    """An event attribute as MISP writes it."""
    return {"uuid": uid(number), "type": misp_type, "category": "Network activity",
            "value": value, "to_ids": True, "comment": "", "timestamp": "1767225600",
            "distribution": "5", **fields}


def relation(name: str, misp_type: str, value: Any, number: int, **fields: Any
             ) -> dict[str, Any]:
    """An attribute of an object."""
    return {"object_relation": name, "uuid": uid(number), "type": misp_type,
            "category": "Person", "value": value, "to_ids": False, "timestamp": "1767225600",
            **fields}


def misp_object(name: str, number: int, *attributes: dict[str, Any],
                references: tuple[dict[str, Any], ...] = ()) -> dict[str, Any]:
    """An object as MISP writes it."""
    return {"name": name, "meta-category": "misc", "uuid": uid(number),
            "timestamp": "1767225600", "distribution": "5", "comment": "",
            "Attribute": list(attributes), "ObjectReference": list(references)}


def reference(number: int, source: int, target: int, kind: str = "related-to"
              ) -> dict[str, Any]:
    """An object reference from the object ``source`` to the element ``target``."""
    return {"uuid": uid(number), "object_uuid": uid(source), "referenced_uuid": uid(target),
            "relationship_type": kind, "comment": "", "timestamp": "1767225600"}


def event(*attributes: dict[str, Any], objects: tuple[dict[str, Any], ...] = (),
          tags: tuple[str, ...] = (), **fields: Any) -> dict[str, Any]:
    """A whole event document."""
    body = {"uuid": EVENT_UUID, "info": "Synthetic event", "date": "2026-01-01",
            "timestamp": "1767225600", "analysis": "2", "threat_level_id": "3",
            "published": False, "distribution": "1",
            "Orgc": {"name": "Fictional CERT", "uuid": uid(999)},
            "Tag": [{"name": name} for name in tags], "Attribute": list(attributes),
            "Object": list(objects), **fields}
    return {"Event": body}


def read(document: object) -> MispImport:
    """Read a synthetic document as the ``fr`` agency."""
    return read_event(document, default_owner="fr", received_at=RECEIVED)  # type: ignore[arg-type]


def only(result: MispImport, prefix: str) -> Record:
    """The one record of the result whose identifier starts with ``prefix``."""
    [record] = [r for r in result.records if r.id.startswith(prefix)]
    return record


def kept(record: Record) -> dict[str, Any]:
    """What the record kept of its MISP element."""
    return json.loads(record.extras)["misp"]  # type: ignore[no-any-return]


PERSON = misp_object(
    "person", 10,
    relation("first-name", "first-name", "Amina", 11),
    relation("middle-name", "middle-name", "Zahra", 12),
    relation("last-name", "last-name", "Benali", 13),
    relation("date-of-birth", "date-of-birth", "1990-04-17", 14),
    relation("place-of-birth", "place-of-birth", "Oujda", 15),
    relation("nationality", "nationality", "Moroccan", 16),
    relation("nationality", "nationality", "Spain", 17),
    relation("gender", "gender", "Female", 18),
    relation("alias", "text", "Amina B.", 19),
    relation("phone-number", "phone-number", "+212 600 000 000", 20),
)
PASSPORT = misp_object(
    "passport", 30,
    relation("passport-number", "passport-number", "MA0000001", 31),
    relation("passport-country", "passport-country", "Morocco", 32),
    relation("passport-expiration", "passport-expiration", "2031-05-02", 33),
    relation("passport-issue-date", "date", "2021-05-03", 34),
    references=(reference(35, 30, 10, "belongs-to"),),
)


@pytest.mark.parametrize(("misp_type", "value", "pattern"), [
    ("ip-dst", "198.51.100.7", "[ipv4-addr:value = '198.51.100.7']"),
    ("ip-src", "2001:db8::7", "[ipv6-addr:value = '2001:db8::7']"),
    ("ip-dst|port", "198.51.100.7|8443",
     "[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = "
     "'198.51.100.7' AND network-traffic:dst_port = 8443]"),
    ("domain", "example.org", "[domain-name:value = 'example.org']"),
    ("hostname", "www.example.org", "[domain-name:value = 'www.example.org']"),
    ("domain|ip", "example.org|198.51.100.7",
     "[domain-name:value = 'example.org' AND domain-name:resolves_to_refs[*].value = "
     "'198.51.100.7']"),
    ("url", "https://example.org/a", "[url:value = 'https://example.org/a']"),
    ("email-src", "sender@example.org", "[email-message:from_ref.value = 'sender@example.org']"),
    ("email-subject", "Invoice", "[email-message:subject = 'Invoice']"),
    ("sha256", "4bac27393bdd9777ce02453256c5577cd02275510b2227f473d03f533924f877",
     "[file:hashes.'SHA-256' = "
     "'4bac27393bdd9777ce02453256c5577cd02275510b2227f473d03f533924f877']"),
    ("filename|md5", "a.exe|d41d8cd98f00b204e9800998ecf8427e",
     "[file:name = 'a.exe' AND file:hashes.'MD5' = 'd41d8cd98f00b204e9800998ecf8427e']"),
    ("AS", "AS64500", "[autonomous-system:number = 64500]"),
    ("mutex", "Global\\evil", "[mutex:name = 'Global\\\\evil']"),
    ("mac-address", "00:00:5e:00:53:01", "[mac-addr:value = '00:00:5e:00:53:01']"),
    ("user-agent", "Mozilla/5.0",
     "[network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' = "
     "'Mozilla/5.0']"),
    ("x509-fingerprint-sha1", "e19f753e514f6adec8f81bcdefb9117979e69627",
     "[x509-certificate:hashes.'SHA-1' = 'e19f753e514f6adec8f81bcdefb9117979e69627']"),
    ("stix2-pattern", "[file:size > 1000]", "[file:size > 1000]"),
    ("ssdeep", "24:fictional:hash", "[file:hashes.'SSDEEP' = '24:fictional:hash']"),
])
def test_observable_types_become_indicators_with_the_same_meaning(
        misp_type: str, value: str, pattern: str) -> None:
    result = read(event(attribute(misp_type, value)))
    indicator = only(result, "indicator--")
    assert indicator.id == f"indicator--{uid(1)}"
    assert isinstance(indicator.details, Indicator)
    assert indicator.details.pattern == pattern
    check_pattern(pattern, "pattern")
    [back] = events_from_records(result.records)
    assert (back["Event"]["Attribute"][0]["type"],
            back["Event"]["Attribute"][0]["value"]) == (misp_type, value)


@pytest.mark.parametrize("value", ["O'Brien's \\ file.exe", "C:\\Temp\\'quoted'\\x.dll"])
def test_quotes_and_backslashes_are_escaped_in_patterns(value: str) -> None:
    result = read(event(attribute("filename", value)))
    details = only(result, "indicator--").details
    assert isinstance(details, Indicator)
    check_pattern(details.pattern, "pattern")
    [back] = events_from_records(result.records)
    assert back["Event"]["Attribute"][0]["value"] == value


def test_hash_names_need_no_quotes_for_a_pattern_to_be_written_as_its_type() -> None:
    record = read(event(attribute("md5", "d41d8cd98f00b204e9800998ecf8427e"))).records[0]
    assert isinstance(record.details, Indicator)
    unquoted = dataclasses.replace(record, details=dataclasses.replace(
        record.details, pattern="[file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e']"))
    [back] = events_from_records([unquoted])
    assert back["Event"]["Attribute"][0]["type"] == "md5"


def test_rules_in_a_pattern_language_keep_their_language() -> None:
    rule = 'rule fictional { strings: $a = "x" condition: $a }'
    details = only(read(event(attribute("yara", rule))), "indicator--").details
    assert isinstance(details, Indicator)
    assert (details.pattern, details.pattern_type) == (rule, "yara")


@pytest.mark.parametrize(("misp_type", "value", "extra"), [
    ("text", "A long analysis.", {}),
    ("link", "https://blog.example.org/analysis", {}),
    ("vulnerability", "CVE-2017-11882", {}),
    ("attachment", "notes.txt", {"data": "bm90IGEgcmVhbCBmaWxl"}),
])
def test_other_attributes_are_kept_as_custom_stix_objects(
        misp_type: str, value: str, extra: dict[str, str]) -> None:
    result = read(event(attribute(misp_type, value, 1, category="External analysis", **extra)))
    record = only(result, "x-misp-attribute--")
    assert isinstance(record.details, StixObject)
    content = json.loads(record.details.content)
    assert content["id"] == record.id == f"x-misp-attribute--{uid(1)}"
    assert (content["x_misp_type"], content["x_misp_value"]) == (misp_type, value)
    assert content["x_misp_category"] == "External analysis"
    assert content["created"] == content["modified"] == "2026-01-01T00:00:00.000Z"
    assert content.get("x_misp_data") == extra.get("data")
    assert validate_instance(content, ValidationOptions(version="2.1")).is_valid
    assert kept(record) == {"distribution": "5", "to_ids": True}


def test_timestamps_date_the_records_and_first_seen_starts_validity() -> None:
    result = read(event(attribute("domain", "example.org", first_seen=
                                  "2025-12-24T08:30:00.000000+00:00")))
    indicator = only(result, "indicator--")
    assert indicator.created_at == indicator.modified_at == RECEIVED
    assert isinstance(indicator.details, Indicator)
    assert indicator.details.valid_from == dt.datetime(2025, 12, 24, 8, 30, tzinfo=dt.UTC)
    assert indicator.details.name == "domain: example.org"


def test_the_event_becomes_a_report_of_its_records() -> None:
    result = read(event(attribute("domain", "example.org"),
                        attribute("text", "Context.", 2), publish_timestamp="1767261600"))
    report = result.records[-1]
    assert report.id == f"report--{EVENT_UUID}"
    assert isinstance(report.details, Report)
    assert report.details.title == "Synthetic event"
    assert report.details.published == dt.datetime(2026, 1, 1, 10, tzinfo=dt.UTC)
    assert report.details.references == (f"indicator--{uid(1)}", f"x-misp-attribute--{uid(2)}")
    assert kept(report)["Orgc"] == {"name": "Fictional CERT", "uuid": uid(999)}
    assert {"analysis", "threat_level_id", "distribution", "published"} <= kept(report).keys()


def test_a_person_object_becomes_a_person_record() -> None:
    result = read(event(objects=(PERSON,)))
    person = only(result, "person--")
    assert person.id == f"person--{uid(10)}"
    assert person.details == Person(
        subject_category=SubjectCategory.OTHER, given_names="Amina", family_name="Benali",
        aliases=("Amina B.",), date_of_birth=PartialDate(1990, 4, 17), place_of_birth="Oujda",
        nationalities=("MA", "ES"), sex="F")
    relations = [a["object_relation"] for a in kept(person)["Attribute"]]
    assert "middle-name" in relations
    assert "phone-number" in relations
    assert "Moroccan" in json.dumps(kept(person))  # the nationality as written, for export


@pytest.mark.parametrize(("role", "category"), [
    ("Suspect", SubjectCategory.SUSPECT), ("Victim", SubjectCategory.VICTIM),
    ("Witness", SubjectCategory.WITNESS), ("Accomplice", SubjectCategory.OTHER),
])
def test_the_role_of_a_person_gives_the_data_subject_category(
        role: str, category: SubjectCategory) -> None:
    person = misp_object("person", 10, relation("first-name", "first-name", "Kwame", 11),
                         relation("last-name", "last-name", "Mensah", 12),
                         relation("role", "text", role, 13))
    details = only(read(event(objects=(person,))), "person--").details
    assert isinstance(details, Person)
    assert details.subject_category is category


def test_a_person_known_only_by_aliases_is_recorded_under_them() -> None:
    person = misp_object("person", 10, relation("alias", "text", "Abu Fictional", 11))
    details = only(read(event(objects=(person,))), "person--").details
    assert isinstance(details, Person)
    assert details.names_original_script == ("Abu Fictional",)


def test_a_nationality_that_is_no_country_is_kept_and_noted() -> None:
    person = misp_object("person", 10, relation("last-name", "last-name", "Yılmaz", 11),
                         relation("nationality", "nationality", "Atlantean", 12))
    result = read(event(objects=(person,)))
    details = only(result, "person--").details
    assert isinstance(details, Person)
    assert details.nationalities == ()
    assert result.notes == ["Event[0].Object[0].Attribute[1].value: 'Atlantean' is not a "
                            "country Passerelle knows; kept as written, not recorded as a "
                            "nationality"]


def test_a_passport_linked_to_a_person_is_a_document_they_hold() -> None:
    result = read(event(objects=(PASSPORT, PERSON)))
    document = only(result, "document--")
    assert document.details == Document(DocumentType.PASSPORT, "MA0000001", "MA",
                                        holder=f"person--{uid(10)}",
                                        expiry_date=dt.date(2031, 5, 2))
    link = only(result, "relationship--")
    assert link.details == Relationship("belongs-to", document.id, f"person--{uid(10)}")
    assert result.errors == []


def test_a_passport_and_its_holder_come_back_in_their_order() -> None:
    document = event(attribute("domain", "example.org"), objects=(PASSPORT, PERSON))
    [back] = events_from_records(read(document).records)
    assert [o["name"] for o in back["Event"]["Object"]] == ["passport", "person"]
    assert back["Event"]["Object"][0]["Attribute"] == PASSPORT["Attribute"]
    assert back["Event"]["Object"][1]["Attribute"] == PERSON["Attribute"]
    assert back["Event"]["Object"][0]["ObjectReference"] == PASSPORT["ObjectReference"]


def test_an_attribute_with_nothing_to_keep_comes_back_without_additions() -> None:
    bare = {"uuid": uid(1), "type": "domain", "value": "example.org"}
    result = read(event(bare))
    assert kept(result.records[0]) == {"_absent": ["timestamp", "comment"]}
    [back] = events_from_records(result.records)
    assert back["Event"]["Attribute"] == [bare]


def test_other_objects_are_kept_whole_as_custom_stix_objects() -> None:
    file = misp_object("file", 40, relation("filename", "filename", "fictional.exe", 41),
                       relation("size-in-bytes", "size-in-bytes", "1024", 42))
    file.update({"meta-category": "file", "template_uuid": "688c46fb-5edb-40a3-8273-"
                 "1af7923e2215", "template_version": "25"})
    record = only(read(event(objects=(file,))), "x-misp-object--")
    assert isinstance(record.details, StixObject)
    content = json.loads(record.details.content)
    assert content["x_misp_name"] == "file"
    assert content["x_misp_template_uuid"] == "688c46fb-5edb-40a3-8273-1af7923e2215"
    assert [a["value"] for a in content["x_misp_attributes"]] == ["fictional.exe", "1024"]
    assert validate_instance(content, ValidationOptions(version="2.1")).is_valid
    assert kept(record) == {"distribution": "5"}


def test_a_reference_to_an_attribute_of_an_object_targets_the_object() -> None:
    file = misp_object("file", 40, relation("filename", "filename", "fictional.exe", 41))
    domain = misp_object("domain-ip", 50, relation("domain", "domain", "example.org", 51),
                         references=(reference(52, 50, 41, "Dropped By"),))
    result = read(event(objects=(file, domain)))
    link = only(result, "relationship--")
    assert link.details == Relationship("dropped-by", f"x-misp-object--{uid(50)}",
                                        f"x-misp-object--{uid(40)}")
    assert kept(link) == {"referenced_uuid": uid(41), "relationship_type": "Dropped By"}
    [back] = events_from_records(result.records)
    assert back["Event"]["Object"][1]["ObjectReference"] == [reference(52, 50, 41,
                                                                       "Dropped By")]


def test_sightings_and_galaxies_of_an_attribute_are_kept() -> None:
    sightings = [{"uuid": uid(70), "type": "0", "date_sighting": "1767225600",
                  "source": "fictional sensor"}] * 3
    galaxy = [{"uuid": uid(71), "name": "Threat Actor", "type": "threat-actor",
               "GalaxyCluster": [{"uuid": uid(72), "value": "Fictional Group",
                                  "tag_name": 'misp-galaxy:threat-actor="Fictional Group"'}]}]
    result = read(event(attribute("domain", "example.org", Sighting=sightings,
                                  Galaxy=galaxy)))
    indicator = only(result, "indicator--")
    assert kept(indicator)["Sighting"] == sightings
    assert kept(indicator)["Galaxy"] == galaxy
    assert result.notes == ["Event[0]: 3 sightings kept with their attributes"]


def test_deleted_attributes_are_not_imported() -> None:
    result = read(event(attribute("domain", "example.org"),
                        attribute("domain", "example.net", 2, deleted=True)))
    assert [r.id for r in result.records] == [f"indicator--{uid(1)}", f"report--{EVENT_UUID}"]
    assert result.notes == ["Event[0].Attribute[1]: deleted in MISP, not imported"]


def test_elements_without_a_uuid_get_the_same_name_on_every_import() -> None:
    document = event(attribute("domain", "example.org"))
    del document["Event"]["uuid"]
    del document["Event"]["Attribute"][0]["uuid"]
    first, again = read(document), read(document)
    assert [r.id for r in first.records] == [r.id for r in again.records]
    [back] = events_from_records(first.records)
    assert "uuid" not in back["Event"]["Attribute"][0]


def test_a_malformed_uuid_is_kept_and_given_back() -> None:
    result = read(event(attribute("domain", "example.org", uuid="a")))
    indicator = only(result, "indicator--")
    assert kept(indicator)["uuid"] == "a"
    [back] = events_from_records(result.records)
    assert back["Event"]["Attribute"][0]["uuid"] == "a"


@pytest.mark.parametrize("shape", ["response", "list"])
def test_a_document_may_hold_several_events(shape: str) -> None:
    first = event(attribute("domain", "example.org"))
    second = event(attribute("domain", "example.net", 2), uuid=uid(500))
    document: object = ({"response": [first, second["Event"]]} if shape == "response"
                        else [first, second])
    result = read(json.dumps(document))
    assert [item.where for item in result.items] == [
        "Event[0].Attribute[0]", "Event[0]", "Event[1].Attribute[0]", "Event[1]"]


def test_every_record_read_survives_the_codec() -> None:
    result = read(event(attribute("domain", "example.org"), attribute("text", "x", 2),
                        objects=(PASSPORT, PERSON), tags=("tlp:green", "PAP:AMBER")))
    assert result.errors == []
    for record in result.records:
        assert record_from_dict(record_to_dict(record)) == record
