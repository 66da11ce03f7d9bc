"""One fully filled record of every kind: fictional people, every optional field set.

The cases the mapping must carry without loss: names in Arabic script, a partial date of birth,
H3 with written conditions, TLP:RED with named recipients, a compartment, PAP on an indicator,
a report with no references, a covert alert on the person.
"""

from __future__ import annotations

import datetime as dt

from passerelle.domain.dates import PartialDate
from passerelle.domain.markings import (
    FactOrAssessment,
    HandlingCode,
    InformationAccuracy,
    Markings,
    Pap,
    SourceReliability,
    Tlp,
)
from passerelle.domain.records import (
    Alert,
    AlertCategory,
    Details,
    Document,
    DocumentStatus,
    DocumentType,
    Event,
    EventType,
    Indicator,
    Organisation,
    Person,
    Record,
    Relationship,
    Report,
    SubjectCategory,
    Urgency,
)

CREATED = dt.datetime(2026, 3, 14, 9, 26, 53, 589793, tzinfo=dt.UTC)
MODIFIED = dt.datetime(2026, 4, 1, 12, 0, tzinfo=dt.UTC)

PERSON_ID = "person--3f0d4c2e-8b7a-4f1e-9c6d-2a5b8e7f1d30"
DOCUMENT_ID = "document--5a1c9e7b-2d4f-4a8b-8c3e-6f7d9b1a2c40"
ORGANISATION_ID = "organisation--8e2b4d6f-1a3c-4e5b-9d7f-0b2c4e6a8d50"
EVENT_ID = "event--0c9a8b7d-6e5f-4a3b-8c2d-1e0f9a8b7c60"
REPORT_ID = "report--7d6c5b4a-3e2f-4d1c-8b0a-9f8e7d6c5b70"
EMPTY_REPORT_ID = "report--2b3c4d5e-6f70-4182-9a3b-4c5d6e7f8a90"
INDICATOR_ID = "indicator--1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c80"
RELATIONSHIP_ID = "relationship--9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7ca0"
ALERT_ID = "alert--4c3b2a19-0f8e-4d7c-9b6a-5e4d3c2b1ab0"

RED_H3 = Markings(
    handling_code=HandlingCode.H3,
    handling_conditions="Not to be used before the hearing of 2026-06-01; no onward transfer.",
    tlp=Tlp.RED,
    source_reliability=SourceReliability.B,
    information_accuracy=InformationAccuracy.CORROBORATED,
    fact_or_assessment=FactOrAssessment.ASSESSMENT,
    purpose="prevention of a terrorist offence",
    legal_basis="LED Art. 37(1)(a); FR-MA agreement",
    review_date=dt.date(2027, 3, 14),
    releasable_to=frozenset({"es", "ma"}),
    recipients=frozenset({"agency:ma", "user:amina"}),
    compartment="operation-atlas",
)


def _record(record_id: str, details: Details, markings: Markings = RED_H3) -> Record:
    return Record(id=record_id, owner_agency="fr", markings=markings, details=details,
                  version=4, created_at=CREATED, modified_at=MODIFIED,
                  created_by="user:amina", modified_by="user:pieter")


def full_records() -> list[Record]:
    """A record of each kind with every optional field filled."""
    return [
        _record(PERSON_ID, Person(
            subject_category=SubjectCategory.SUSPECT,
            given_names="Youssef",
            family_name="El Amrani",
            names_original_script=("يوسف العمراني",),
            aliases=("Yusuf Amrani", "Jusuf al-Amrani"),
            date_of_birth=PartialDate(1991, 7),
            place_of_birth="Tanger",
            nationalities=("MA", "FR"),
            sex="M",
        )),
        _record(DOCUMENT_ID, Document(DocumentType.PASSPORT, "AB1234567", "MA",
                                      DocumentStatus.STOLEN, PERSON_ID, dt.date(2031, 5, 2))),
        _record(ORGANISATION_ID, Organisation("Association Al-Nour", ("جمعية النور", "Al Noor"),
                                              "BE", "Front association (fictional).")),
        _record(EVENT_ID, Event(EventType.BORDER_CROSSING,
                                dt.datetime(2026, 2, 1, 6, 30, tzinfo=dt.UTC),
                                dt.datetime(2026, 2, 1, 7, 5, tzinfo=dt.UTC), "Ceuta – Tarajal",
                                "ES", "Crossed on foot with one companion.",
                                (PERSON_ID, DOCUMENT_ID))),
        _record(REPORT_ID, Report("Travel of a suspect", "Assessment of the February trip.",
                                  dt.datetime(2026, 3, 1, tzinfo=dt.UTC),
                                  (PERSON_ID, ORGANISATION_ID, EVENT_ID, RELATIONSHIP_ID))),
        _record(EMPTY_REPORT_ID, Report("Weekly summary", "Nothing to report.",
                                        dt.datetime(2026, 3, 8, tzinfo=dt.UTC))),
        _record(INDICATOR_ID, Indicator(
            "[url:value = 'https://example.org/propaganda/1']",
            dt.datetime(2026, 1, 1, tzinfo=dt.UTC), "Propaganda URL", "Hosts a video.",
            ("malicious-activity",), dt.datetime(2027, 1, 1, tzinfo=dt.UTC),
        ), Markings(tlp=Tlp.AMBER_STRICT, pap=Pap.AMBER, handling_code=HandlingCode.H2)),
        _record(RELATIONSHIP_ID, Relationship("holds", PERSON_ID, DOCUMENT_ID,
                                              "Seen holding it at the border.")),
        _record(ALERT_ID, Alert(
            AlertCategory.DISCREET_CHECK, PERSON_ID,
            "Record the route, the companions and the vehicle; do not alert the person.",
            dt.datetime(2026, 3, 15, tzinfo=dt.UTC), dt.datetime(2027, 3, 15, tzinfo=dt.UTC),
            Urgency.URGENT, grounds="Suspected of facilitating travel to a conflict zone.",
        )),
    ]
