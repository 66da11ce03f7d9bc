"""Other producers' bundles (the OASIS examples) import object by object, without a crash."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from passerelle.domain.markings import Tlp
from passerelle.domain.records import Indicator, Organisation, RecordKind, Relationship
from passerelle.errors import InvalidStix
from passerelle.interop.stix import check_object, import_bundle, known_markings, stix_to_record
from passerelle.interop.stix.bundles import ImportedObject
from passerelle.interop.stix.tlp import TLP1_MARKING_IDS

EXAMPLE_BUNDLES = [
    "apt1.json",
    "indicator-for-c2-ip-address.json",
    "indicator-to-campaign-relationship.json",
    "indicators-for-C2-with-COA.json",
    "infrastructure.json",
    "malicious-email-indicator-with-attachment.json",
    "poisonivy.json",
]


def _import(folder: Path, name: str) -> list[ImportedObject]:
    return import_bundle((folder / name).read_bytes(), default_owner="es")


@pytest.mark.parametrize("name", EXAMPLE_BUNDLES)
def test_every_object_of_an_example_bundle_gets_an_outcome(shared_stix: Path,
                                                           name: str) -> None:
    objects = json.loads((shared_stix / name).read_text())["objects"]
    results = _import(shared_stix, name)
    assert [r.index for r in results] == list(range(len(objects)))
    assert all(r.stix_id == o["id"] for r, o in zip(results, objects, strict=True))


@pytest.mark.parametrize("name", EXAMPLE_BUNDLES)
def test_indicators_and_organisations_become_records(shared_stix: Path, name: str) -> None:
    objects = json.loads((shared_stix / name).read_text())["objects"]
    results = _import(shared_stix, name)
    for obj, result in zip(objects, results, strict=True):
        is_organisation = obj["type"] == "identity" and obj.get("identity_class") == "organization"
        if obj["type"] == "indicator" or is_organisation:
            assert result.record is not None, result.error
            expected = obj["id"].replace("identity--", "organisation--")
            assert result.record.id == expected
            assert result.record.owner_agency == "es"


@pytest.mark.parametrize("name", EXAMPLE_BUNDLES)
def test_unmodelled_types_are_kept_as_received(shared_stix: Path, name: str) -> None:
    objects = json.loads((shared_stix / name).read_text())["objects"]
    results = _import(shared_stix, name)
    for obj, result in zip(objects, results, strict=True):
        assert result.error is None, result.error
        if obj["type"] not in {"identity", "indicator", "report", "relationship"}:
            assert result.record is not None
            assert result.record.kind is RecordKind.OBJECT
            assert result.record.id == obj["id"]
            assert json.loads(result.record.details.content) == obj  # type: ignore[union-attr]


def test_apt1_individuals_without_a_subject_category_are_kept_as_personal_data(
        shared_stix: Path) -> None:
    results = _import(shared_stix, "apt1.json")
    kept = [r.record for r in results if r.record and r.record.id.startswith("identity--")]
    assert len(kept) == 4
    assert all(r.kind is RecordKind.OBJECT and r.holds_personal_data for r in kept)


def test_relationship_to_unmodelled_object_refers_to_the_kept_object(shared_stix: Path) -> None:
    results = _import(shared_stix, "indicator-to-campaign-relationship.json")
    relationship = results[2].record
    assert relationship is not None
    assert isinstance(relationship.details, Relationship)
    assert relationship.details.target == results[0].stix_id  # the campaign, by its STIX id


def test_imported_indicator_keeps_pattern_and_validity(shared_stix: Path) -> None:
    (result,) = _import(shared_stix, "indicator-for-c2-ip-address.json")
    assert result.record is not None
    indicator = result.record.details
    assert isinstance(indicator, Indicator)
    assert indicator.pattern == "[ipv4-addr:value = '10.0.0.0']"
    assert indicator.indicator_types == ("malicious-activity",)
    assert result.record.kind is RecordKind.INDICATOR


def test_imported_organisation_keeps_name(shared_stix: Path) -> None:
    results = _import(shared_stix, "poisonivy.json")
    names = [r.record.details.name for r in results
             if r.record and isinstance(r.record.details, Organisation)]
    assert names == ["FireEye, Inc."]


def test_object_with_an_undefined_marking_is_refused(shared_stix: Path) -> None:
    campaign = json.loads((shared_stix / "interop-objectmarking-test.json").read_text())
    with pytest.raises(InvalidStix) as caught:
        check_object(campaign, path="objects[0]", markings=known_markings([]))
    assert caught.value.field == "objects[0].object_marking_refs[1]"
    assert "unknown marking" in caught.value.detail


def _tlp1_indicator(marking: str) -> dict[str, object]:
    return {"type": "indicator", "spec_version": "2.1",
            "id": "indicator--33fe3b22-0201-47cf-85d0-97c02164528d",
            "created": "2014-05-08T09:00:00.000Z", "modified": "2014-05-08T09:00:00.000Z",
            "pattern": "[ipv4-addr:value = '10.0.0.0']", "pattern_type": "stix",
            "valid_from": "2014-05-08T09:00:00.000000Z", "object_marking_refs": [marking]}


@pytest.mark.parametrize(("marking", "tlp"),
                         [(m, t) for m, t in TLP1_MARKING_IDS.items() if t is not Tlp.RED])
def test_tlp1_marking_is_read_as_its_tlp2_successor(marking: str, tlp: Tlp) -> None:
    assert stix_to_record(_tlp1_indicator(marking), default_owner="es").markings.tlp is tlp


def test_tlp1_red_of_another_producer_is_for_the_holding_agency_only() -> None:
    red = next(m for m, t in TLP1_MARKING_IDS.items() if t is Tlp.RED)
    record = stix_to_record(_tlp1_indicator(red), default_owner="es")
    assert record.markings.tlp is Tlp.RED
    assert record.markings.recipients == frozenset({"agency:es"})


def test_relationship_of_another_producer_learns_identity_kinds_from_its_bundle() -> None:
    organisation = {"type": "identity", "spec_version": "2.1",
                    "id": "identity--f690c992-8e7d-4b9a-9303-3312616c0220",
                    "created": "2016-08-08T15:50:10.983Z", "modified": "2016-08-08T15:50:10.983Z",
                    "name": "Fictional Group", "identity_class": "organization"}
    indicator = {"type": "indicator", "spec_version": "2.1",
                 "id": "indicator--8cf9236f-1b96-493d-98be-0c1c1e8b62d7",
                 "created": "2014-10-31T15:52:13.127Z", "modified": "2014-10-31T15:52:13.127Z",
                 "pattern": "[domain-name:value = 'example.com']", "pattern_type": "stix",
                 "valid_from": "2014-10-31T15:52:13.127931Z"}
    relationship = {"type": "relationship", "spec_version": "2.1",
                    "id": "relationship--c3fa00e6-1d31-4137-98f5-32a1ec0d0e92",
                    "created": "2014-10-31T15:52:13.127Z", "modified": "2014-10-31T15:52:13.127Z",
                    "relationship_type": "attributed-to", "source_ref": indicator["id"],
                    "target_ref": organisation["id"]}
    bundle = {"type": "bundle", "id": "bundle--6f1d8c2a-3b4e-4f5a-9c6d-7e8f9a0b1c2d",
              "objects": [organisation, indicator, relationship]}
    results = import_bundle(bundle, default_owner="be")
    assert [r.error for r in results] == [None, None, None]
    link = results[2].record
    assert link is not None
    assert link.references == ("indicator--8cf9236f-1b96-493d-98be-0c1c1e8b62d7",
                               "organisation--f690c992-8e7d-4b9a-9303-3312616c0220")
