"""Valid records of every kind for the storage tests. The people are fictional."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import json

from passerelle.domain.markings import Markings, Pap
from passerelle.domain.records import (
    KIND_OF,
    Alert,
    AlertCategory,
    Details,
    Document,
    DocumentType,
    Event,
    EventType,
    Indicator,
    Organisation,
    Person,
    Record,
    RecordKind,
    Relationship,
    Report,
    StixObject,
    SubjectCategory,
)

T0 = dt.datetime(2026, 1, 15, 8, 30, tzinfo=dt.UTC)


class Samples:
    """Builds records with ids that sort in creation order (handy for paging assertions)."""

    def __init__(self) -> None:
        self._serial = itertools.count(1)

    def record_id(self, kind: RecordKind) -> str:
        number = next(self._serial)
        return f"{kind.value}--{number:08x}-0000-4000-8000-{number:012x}"

    def record(self, details: Details, owner: str = "fr", **envelope: object) -> Record:
        record = Record(id=self.record_id(KIND_OF[type(details)]), owner_agency=owner,
                        markings=Markings(), details=details, created_at=T0, modified_at=T0,
                        created_by="user:u-analyst", modified_by="user:u-analyst")
        return dataclasses.replace(record, **envelope) if envelope else record

    def person(self, given: str = "Amina", family: str = "Haddad", *,
               original: tuple[str, ...] = (), aliases: tuple[str, ...] = (),
               owner: str = "fr") -> Record:
        return self.record(Person(SubjectCategory.SUSPECT, given, family, original, aliases),
                           owner)

    def organisation(self, name: str, aliases: tuple[str, ...] = ()) -> Record:
        return self.record(Organisation(name, aliases, "FR", "a fictional group"))

    def document(self, number: str, holder: str | None = None) -> Record:
        return self.record(Document(DocumentType.PASSPORT, number, "ES", holder=holder))

    def event(self, occurred_at: dt.datetime) -> Record:
        return self.record(Event(EventType.BORDER_CROSSING, occurred_at, place="Algeciras",
                                 country="ES"))

    def report(self, published: dt.datetime) -> Record:
        return self.record(Report("Weekly summary", "Nothing of note.", published))

    def indicator(self, valid_from: dt.datetime) -> Record:
        record = self.record(Indicator("[ipv4-addr:value = '198.51.100.7']", valid_from,
                                       "C2 server", indicator_types=("malicious-activity",)))
        return dataclasses.replace(record, markings=Markings(pap=Pap.AMBER))

    def relationship(self, source: str, target: str) -> Record:
        return self.record(Relationship("holds", source, target))

    def alert(self, subject: str, category: AlertCategory = AlertCategory.DISCREET_CHECK
              ) -> Record:
        return self.record(Alert(category, subject, "report the encounter discreetly",
                                 T0, T0 + dt.timedelta(days=365), grounds="fictional case"))

    def kept(self, stix_type: str = "threat-actor") -> Record:
        """A STIX object of a type Passerelle does not model, kept as received."""
        record_id = self.record_id(RecordKind.PERSON).replace("person--", f"{stix_type}--")
        content = json.dumps({"type": stix_type, "spec_version": "2.1", "id": record_id,
                              "created": "2026-01-01T00:00:00.000Z",
                              "modified": "2026-01-01T00:00:00.000Z",
                              "name": "Fictional Crew", "x_partner_score": 70},
                             separators=(",", ":"))
        return Record(id=record_id, owner_agency="fr", markings=Markings(),
                      details=StixObject(stix_type, content), created_at=T0, modified_at=T0,
                      created_by="user:u-analyst", modified_by="user:u-analyst",
                      extras='{"misp":{"uuid":"x"}}')

    def one_of_each_kind(self) -> list[Record]:
        person = self.person("Karim", "Benali", original=("كريم بن علي",), aliases=("Abu Samir",))
        document = self.document("X1234567", holder=person.id)
        return [person, document, self.organisation("Red Meridian Collective"),
                self.event(T0 - dt.timedelta(days=3)), self.report(T0 - dt.timedelta(days=2)),
                self.indicator(T0 - dt.timedelta(days=1)),
                self.relationship(person.id, document.id), self.alert(person.id), self.kept()]


def next_version(record: Record, details: Details | None = None, *,
                 version: int | None = None) -> Record:
    """The edit of ``record`` that a service would store: next version, later time."""
    return dataclasses.replace(
        record, details=details or record.details,
        version=record.version + 1 if version is None else version,
        modified_at=record.modified_at + dt.timedelta(hours=1), modified_by="user:u-editor")
