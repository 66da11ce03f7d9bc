"""Records an agency holds and shares: people, documents, organisations, events, reports,
cyber indicators, alerts, the typed relationships between them, and the STIX objects of other
types kept as received (``kept_objects``). How records are named is ``record_ids``'s.

A ``Record`` is one version: an edit makes a new ``Record`` with ``version + 1`` and the
previous one stays in the history. The details of each kind are frozen dataclasses; the
envelope (owner, markings, version, timestamps) is the same for every kind.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from enum import Enum

from passerelle.domain.dates import PartialDate
from passerelle.domain.kept_objects import MAX_OBJECT
from passerelle.domain.kept_objects import StixObject as StixObject
from passerelle.domain.markings import Markings
from passerelle.domain.record_ids import RESERVED_TYPES as RESERVED_TYPES
from passerelle.domain.record_ids import RecordKind as RecordKind
from passerelle.domain.record_ids import check_record_id as check_record_id
from passerelle.domain.record_ids import new_record_id as new_record_id
from passerelle.errors import InvalidMarking, ValidationFailed


class SubjectCategory(str, Enum):
    """LED Art. 6: the category of data subject, mandatory on every person record."""

    SUSPECT = "suspect"
    CONVICTED = "convicted"
    VICTIM = "victim"
    WITNESS = "witness"
    CONTACT = "contact"
    OTHER = "other"


class DocumentType(str, Enum):
    """Travel and identity documents."""

    PASSPORT = "passport"
    IDENTITY_CARD = "identity_card"
    RESIDENCE_PERMIT = "residence_permit"
    VISA = "visa"
    TRAVEL_DOCUMENT = "travel_document"
    OTHER = "other"


class DocumentStatus(str, Enum):
    """As in INTERPOL's SLTD: a document may be lost, stolen or invalidated."""

    VALID = "valid"
    LOST = "lost"
    STOLEN = "stolen"
    INVALIDATED = "invalidated"


class EventType(str, Enum):
    """Things that happen at a time and place."""

    BORDER_CROSSING = "border_crossing"
    INCIDENT = "incident"
    TRAVEL = "travel"
    MEETING = "meeting"
    OTHER = "other"


_COUNTRY = re.compile(r"^[A-Z]{2}$")
_PATTERN_TYPE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,49}$")
MAX_TEXT = 100_000


def check_country(code: str, field_name: str) -> None:
    """Countries are ISO 3166-1 alpha-2 codes in upper case."""
    if not _COUNTRY.match(code):
        raise ValidationFailed(f"{code!r} is not an ISO 3166-1 alpha-2 code", field=field_name)


def _text(value: str, field_name: str, *, required: bool = False, limit: int = 1000) -> None:
    if required and not value.strip():
        raise ValidationFailed("must not be empty", field=field_name)
    if len(value) > limit:
        raise ValidationFailed(f"at most {limit} characters", field=field_name)


@dataclass(frozen=True, slots=True)
class Person:
    """A person as an agency records them. Names are kept as written, in every script."""

    subject_category: SubjectCategory
    given_names: str = ""
    family_name: str = ""
    names_original_script: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    date_of_birth: PartialDate | None = None
    place_of_birth: str = ""
    nationalities: tuple[str, ...] = ()
    sex: str = ""

    def __post_init__(self) -> None:
        if not (self.given_names.strip() or self.family_name.strip()
                or self.names_original_script):
            raise ValidationFailed("a person needs at least one name", field="family_name")
        _text(self.given_names, "given_names")
        _text(self.family_name, "family_name")
        for index, code in enumerate(self.nationalities):
            check_country(code, f"nationalities[{index}]")
        if self.sex not in ("", "F", "M", "X"):
            raise ValidationFailed("F, M, X or empty", field="sex")

    def all_names(self) -> tuple[str, ...]:
        """Every name under which the person is recorded, as written."""
        full = " ".join(p for p in (self.given_names, self.family_name) if p.strip())
        names = [full] if full else []
        return (*names, *self.names_original_script, *self.aliases)


@dataclass(frozen=True, slots=True)
class Document:
    """A travel or identity document."""

    document_type: DocumentType
    number: str
    issuing_country: str
    status: DocumentStatus = DocumentStatus.VALID
    holder: str | None = None
    expiry_date: dt.date | None = None

    def __post_init__(self) -> None:
        _text(self.number, "number", required=True, limit=64)
        check_country(self.issuing_country, "issuing_country")
        holder = self.holder
        if holder is not None and check_record_id(holder, "holder") is not RecordKind.PERSON:
            raise ValidationFailed("the holder must be a person record", field="holder")


@dataclass(frozen=True, slots=True)
class Organisation:
    """A group, company or association."""

    name: str
    aliases: tuple[str, ...] = ()
    country: str | None = None
    description: str = ""

    def __post_init__(self) -> None:
        _text(self.name, "name", required=True)
        if self.country is not None:
            check_country(self.country, "country")
        _text(self.description, "description", limit=MAX_TEXT)


@dataclass(frozen=True, slots=True)
class Event:
    """Something that happened at a time and place, such as a border crossing."""

    event_type: EventType
    occurred_at: dt.datetime
    ended_at: dt.datetime | None = None
    place: str = ""
    country: str | None = None
    description: str = ""
    participants: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.occurred_at.tzinfo is None:
            raise ValidationFailed("needs a time zone", field="occurred_at")
        if self.ended_at is not None and self.ended_at < self.occurred_at:
            raise ValidationFailed("ends before it starts", field="ended_at")
        if self.country is not None:
            check_country(self.country, "country")
        for index, ref in enumerate(self.participants):
            check_record_id(ref, f"participants[{index}]")
        _text(self.description, "description", limit=MAX_TEXT)


@dataclass(frozen=True, slots=True)
class Report:
    """A written report with references to other records."""

    title: str
    text: str
    published: dt.datetime
    references: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _text(self.title, "title", required=True)
        _text(self.text, "text", limit=MAX_TEXT)
        for index, ref in enumerate(self.references):
            check_record_id(ref, f"references[{index}]")


@dataclass(frozen=True, slots=True)
class Indicator:
    """A cyber indicator: a STIX pattern, or a pattern in another language STIX names
    (``pattern_type``: sigma, snort, suricata, yara, pcre...), kept as written."""

    pattern: str
    valid_from: dt.datetime
    name: str = ""
    description: str = ""
    indicator_types: tuple[str, ...] = ()
    valid_until: dt.datetime | None = None
    pattern_type: str = "stix"

    def __post_init__(self) -> None:
        _text(self.pattern, "pattern", required=True, limit=100_000)
        if not _PATTERN_TYPE.match(self.pattern_type):
            raise ValidationFailed("a pattern language in lower case (stix, sigma, yara...)",
                                   field="pattern_type")
        if self.pattern_type == "stix" and not (
                self.pattern.startswith("[") and self.pattern.rstrip().endswith("]")):
            raise ValidationFailed("a STIX pattern is written in [brackets]", field="pattern")
        if self.valid_until is not None and self.valid_until <= self.valid_from:
            raise ValidationFailed("must be after valid_from", field="valid_until")


@dataclass(frozen=True, slots=True)
class Relationship:
    """A typed link between two records, e.g. a person ``holds`` a document."""

    relationship_type: str
    source: str
    target: str
    description: str = ""

    def __post_init__(self) -> None:
        if not re.match(r"^[a-z][a-z0-9-]{0,62}$", self.relationship_type):
            raise ValidationFailed("lower-case words joined by dashes", field="relationship_type")
        check_record_id(self.source, "source")
        check_record_id(self.target, "target")


class AlertCategory(str, Enum):
    """What an alert asks of whoever finds its subject (SIS, INTERPOL).

    The three checks are covert (SIS Art. 36): the person must not notice, so a hit on them
    is never revealed to the person or to whoever provided the screened list."""

    DISCREET_CHECK = "discreet_check"
    INQUIRY_CHECK = "inquiry_check"
    SPECIFIC_CHECK = "specific_check"
    ARREST = "arrest"
    REFUSAL_OF_ENTRY = "refusal_of_entry"
    INFORMATION = "information"  # information alert on a foreign terrorist fighter
    DOCUMENT_TO_SEIZE = "document_to_seize"  # lost, stolen or invalidated document
    MISSING_PERSON = "missing_person"


COVERT_CATEGORIES = frozenset({AlertCategory.DISCREET_CHECK, AlertCategory.INQUIRY_CHECK,
                               AlertCategory.SPECIFIC_CHECK})


class Urgency(str, Enum):
    """How fast the issuer expects to hear of a hit."""

    ROUTINE = "routine"
    URGENT = "urgent"
    IMMEDIATE = "immediate"


class AlertStatus(str, Enum):
    """An alert is active until its issuer withdraws it (or its validity ends)."""

    ACTIVE = "active"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True, slots=True)
class Alert:
    """An alert on a person or a document record: what to do when it is found, until when.

    ``subject`` is the record the alert is about: a document for ``document_to_seize``, a
    person otherwise. The subject travels with the alert, under its own markings."""

    category: AlertCategory
    subject: str
    action: str
    valid_from: dt.datetime
    valid_until: dt.datetime
    urgency: Urgency = Urgency.ROUTINE
    status: AlertStatus = AlertStatus.ACTIVE
    grounds: str = ""

    def __post_init__(self) -> None:
        kind = check_record_id(self.subject, "subject")
        wanted = (RecordKind.DOCUMENT if self.category is AlertCategory.DOCUMENT_TO_SEIZE
                  else RecordKind.PERSON)
        if kind is not wanted:
            raise ValidationFailed(f"a {self.category.value} alert is on a {wanted.value} "
                                   "record", field="subject")
        _text(self.action, "action", required=True, limit=2000)
        _text(self.grounds, "grounds", limit=MAX_TEXT)
        for name in ("valid_from", "valid_until"):
            if getattr(self, name).tzinfo is None:
                raise ValidationFailed("needs a time zone", field=name)
        if self.valid_until <= self.valid_from:
            raise ValidationFailed("must be after valid_from", field="valid_until")

    @property
    def covert(self) -> bool:
        """Whether the subject must not notice the check (discreet, inquiry, specific)."""
        return self.category in COVERT_CATEGORIES

    def active_at(self, at: dt.datetime) -> bool:
        """Whether a hit on the alert should be raised at ``at``."""
        return self.status is AlertStatus.ACTIVE and self.valid_from <= at < self.valid_until


Details = (Person | Document | Organisation | Event | Report | Indicator | Relationship
           | Alert | StixObject)

KIND_OF: dict[type[object], RecordKind] = {
    Person: RecordKind.PERSON,
    Document: RecordKind.DOCUMENT,
    Organisation: RecordKind.ORGANISATION,
    Event: RecordKind.EVENT,
    Report: RecordKind.REPORT,
    Indicator: RecordKind.INDICATOR,
    Relationship: RecordKind.RELATIONSHIP,
    Alert: RecordKind.ALERT,
    StixObject: RecordKind.OBJECT,
}


@dataclass(frozen=True, slots=True)
class Record:
    """One version of a record: its details, its owner and its markings."""

    id: str
    owner_agency: str
    markings: Markings
    details: Details
    version: int = 1
    created_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    modified_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    created_by: str = ""
    modified_by: str = ""
    extras: str = ""
    """What the record's source said that Passerelle does not model, as a JSON object text
    keyed by format (``{"stix": {...}, "misp": {...}}``): custom properties, other producers'
    extensions, external references, MISP tags and galaxies. Kept and written back on export
    in the same format, never interpreted; empty when there is nothing to keep."""

    def __post_init__(self) -> None:
        if check_record_id(self.id) is not self.kind:
            raise ValidationFailed(f"the identifier must start with {self.kind.value}--",
                                   field="id")
        if isinstance(self.details, StixObject) and \
                not self.id.startswith(f"{self.details.stix_type}--"):
            raise ValidationFailed(f"a kept {self.details.stix_type} is named "
                                   f"{self.details.stix_type}--<uuid>", field="id")
        if self.extras and not (self.extras.startswith("{") and self.extras.endswith("}")):
            raise ValidationFailed("must be the JSON text of an object", field="extras")
        if len(self.extras) > MAX_OBJECT:
            raise ValidationFailed(f"at most {MAX_OBJECT} characters", field="extras")
        if self.markings.pap is not None and self.kind is not RecordKind.INDICATOR:
            raise InvalidMarking("PAP applies to indicators only", field="markings.pap")
        if self.version < 1:
            raise ValidationFailed("versions start at 1", field="version")

    @property
    def kind(self) -> RecordKind:
        """The kind of the record, from the type of its details."""
        return KIND_OF[type(self.details)]

    @property
    def holds_personal_data(self) -> bool:
        """Records about people (their documents, the alerts on them) are personal data:
        consulting them needs a justification and they fall due for review."""
        if isinstance(self.details, StixObject):
            return self.details.personal
        return self.kind in (RecordKind.PERSON, RecordKind.DOCUMENT, RecordKind.ALERT)

    @property
    def names(self) -> tuple[str, ...]:
        """Every name a person or an organisation is recorded under, as written (none for
        other kinds: an alert is found by its subject's names)."""
        details = self.details
        if isinstance(details, Person):
            return details.all_names()
        if isinstance(details, Organisation):
            return (details.name, *details.aliases)
        return ()

    @property
    def links(self) -> tuple[tuple[str, str], ...]:
        """(role, identifier) of each record this one points to: a document's ``holder``, an
        alert's ``subject``, an event's ``participant``, a report's ``reference``, a
        relationship's ``source`` and ``target``; in the order written."""
        details = self.details
        if isinstance(details, Relationship):
            return (("source", details.source), ("target", details.target))
        if isinstance(details, Report):
            return tuple(("reference", target) for target in details.references)
        if isinstance(details, Event):
            return tuple(("participant", target) for target in details.participants)
        if isinstance(details, Document) and details.holder:
            return (("holder", details.holder),)
        if isinstance(details, Alert):
            return (("subject", details.subject),)
        return ()

    @property
    def references(self) -> tuple[str, ...]:
        """Identifiers of the other records this one points to."""
        return tuple(target for _, target in self.links)
