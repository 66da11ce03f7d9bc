"""MISP tags and Passerelle's markings: TLP on every record, PAP on indicators only, the
NATO admiralty scale kept as it is (DOMAIN.md: other scales are never converted to the 4x4),
Passerelle's own machine tags both ways, and marking tags that follow the record's markings
on export."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest

from passerelle.domain.markings import (
    HandlingCode,
    InformationAccuracy,
    Markings,
    Pap,
    SourceReliability,
    Tlp,
)
from passerelle.errors import InvalidMisp
from passerelle.interop.misp import events_from_records
from passerelle.interop.misp.tags import build_markings, implied, read_tags, reconcile

from .test_misp_import import attribute, event, kept, misp_object, only, read, relation


def _names(element: dict[str, Any]) -> list[str]:
    return [tag["name"] for tag in element.get("Tag", [])]


def _export(records: list[Any]) -> dict[str, Any]:
    [exported] = events_from_records(records)
    return exported["Event"]  # type: ignore[no-any-return]


@pytest.mark.parametrize(("tag", "tlp"), [
    ("tlp:white", Tlp.CLEAR), ("tlp:clear", Tlp.CLEAR), ("TLP:GREEN", Tlp.GREEN),
    ("tlp:amber", Tlp.AMBER), ("tlp:amber+strict", Tlp.AMBER_STRICT),
])
def test_an_event_tlp_tag_marks_every_record_of_the_event(tag: str, tlp: Tlp) -> None:
    person = misp_object("person", 10, relation("last-name", "last-name", "Okafor", 11))
    result = read(event(attribute("domain", "example.org"), attribute("text", "x", 2),
                        objects=(person,), tags=(tag,)))
    assert {record.markings.tlp for record in result.records} == {tlp}
    assert _names(_export(result.records)) == [tag]


def test_an_attribute_tlp_tag_wins_over_the_event_one() -> None:
    result = read(event(attribute("domain", "example.org", Tag=[{"name": "tlp:red"}, {
        "name": 'passerelle:recipient="user:lea"'}]), attribute("domain", "example.net", 2),
        tags=("tlp:green",)))
    assert [r.markings.tlp for r in result.records] == [Tlp.RED, Tlp.GREEN, Tlp.GREEN]


def test_without_tlp_tags_records_get_the_default_and_no_tag_is_added_back() -> None:
    result = read(event(attribute("domain", "example.org")))
    assert result.records[0].markings.tlp is Markings().tlp
    exported = _export(result.records)
    assert _names(exported) == []
    assert "Tag" not in exported["Attribute"][0]


def test_pap_applies_to_the_indicators_of_the_event_only() -> None:
    result = read(event(attribute("domain", "example.org"), attribute("text", "x", 2),
                        tags=("PAP:AMBER", "tlp:green")))
    indicator, text, report = result.records
    assert indicator.markings.pap is Pap.AMBER
    assert text.markings.pap is None
    assert report.markings.pap is None
    assert "PAP:AMBER" in [tag["name"] for tag in kept(report)["Tag"]]
    exported = _export(result.records)
    assert _names(exported) == ["PAP:AMBER", "tlp:green"]
    assert ["Tag" in a for a in exported["Attribute"]] == [False, False]


def test_a_pap_tag_on_a_kept_attribute_is_kept_as_a_plain_tag() -> None:
    result = read(event(attribute("text", "x", Tag=[{"name": "PAP:RED"}])))
    record = result.records[0]
    assert record.markings.pap is None
    assert _names(_export(result.records)["Attribute"][0]) == ["PAP:RED"]


def test_admiralty_tags_are_kept_as_they_are_and_the_4x4_is_not_guessed() -> None:
    tags = ('admiralty-scale:source-reliability="b"',
            'admiralty-scale:information-credibility="2"')
    result = read(event(attribute("domain", "example.org"), tags=tags))
    for record in result.records:
        assert record.markings.grading == "X4"
    assert _names(_export(result.records)) == list(tags)


def test_passerelle_tags_carry_every_marking_both_ways() -> None:
    markings = Markings(
        handling_code=HandlingCode.H3, handling_conditions='Ask "fr" first \\ always.',
        tlp=Tlp.RED, pap=Pap.GREEN, source_reliability=SourceReliability.B,
        information_accuracy=InformationAccuracy.KNOWN_TO_SOURCE,
        legal_basis="LED Art. 37", review_date=dt.date(2027, 1, 31),
        releasable_to=frozenset({"es", "be"}), recipients=frozenset({"agency:es"}),
        compartment="op-fictional")
    [tag_list] = [reconcile([], markings, None, indicator=True)]
    again = build_markings([read_tags(tag_list, "Tag")], indicator=True, where="x")
    assert again == markings


def test_a_marking_changed_in_passerelle_replaces_the_imported_tag() -> None:
    result = read(event(attribute("domain", "example.org", Tag=[
        {"name": "tlp:white", "colour": "#ffffff"}, {"name": "osint:source-type=\"blog\""}])))
    indicator = result.records[0]
    assert _names(_export(result.records)["Attribute"][0])[0] == "tlp:white"
    changed = dataclasses.replace(indicator, markings=dataclasses.replace(
        indicator.markings, tlp=Tlp.GREEN, handling_code=HandlingCode.H2))
    tags = _export([changed, result.records[1]])["Attribute"][0]["Tag"]
    assert tags == [{"name": "tlp:green"}, {"name": "osint:source-type=\"blog\""},
                    {"name": 'passerelle:handling-code="H2"'}]


def test_objects_whose_attributes_disagree_on_tlp_are_refused() -> None:
    person = misp_object("person", 10,
                         relation("first-name", "first-name", "Inés", 11,
                                  Tag=[{"name": "tlp:green"}]),
                         relation("last-name", "last-name", "García", 12,
                                  Tag=[{"name": "tlp:amber"}]))
    result = read(event(objects=(person,)))
    assert result.items[0].error is not None
    assert result.items[0].error.field == "Event[0].Object[0].Attribute[1].Tag[0].name"


def test_an_object_takes_the_tlp_its_attributes_carry() -> None:
    person = misp_object("person", 10,
                         relation("first-name", "first-name", "Inés", 11,
                                  Tag=[{"name": "tlp:amber+strict"}]),
                         relation("last-name", "last-name", "García", 12))
    person_record = only(read(event(objects=(person,), tags=("tlp:green",))), "person--")
    assert person_record.markings.tlp is Tlp.AMBER_STRICT


def test_an_element_writes_only_the_markings_that_differ_from_its_event() -> None:
    event_tags = [{"name": "tlp:green"}, {"name": 'passerelle:handling-code="H1"'}]
    markings = Markings(tlp=Tlp.GREEN, handling_code=HandlingCode.H2)
    tags = reconcile([], markings, implied(event_tags, indicator=False), indicator=False)
    assert tags == [{"name": 'passerelle:handling-code="H2"'}]


def test_a_machine_tag_with_a_malformed_value_is_refused() -> None:
    with pytest.raises(InvalidMisp) as raised:
        read_tags([{"name": "foo"}, {"name": 'passerelle:review-date="tomorrow"'}], "Tag")
    assert raised.value.field == "Tag[1].name"
