"""Hypothesis strategies for records of every kind, every optional field reachable.

Generated people are fictional; names are drawn from many origins and scripts (Arabic script
without vowels, as officers record it) so that the STIX mapping is exercised on what partners
actually exchange.
"""

from __future__ import annotations

import datetime as dt
import json

from hypothesis import strategies as st

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
    AlertStatus,
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
    RecordKind,
    Relationship,
    Report,
    StixObject,
    SubjectCategory,
    Urgency,
)

AGENCIES = ("fr", "es", "be", "ma")
COUNTRIES = ("FR", "ES", "BE", "MA", "DZ", "TN", "NL", "DE", "TR", "SY")
LATIN_GIVEN = ("Youssef", "Yusuf", "Mohammed", "Khalid", "Jalid", "Chakib", "Amina", "Léa",
               "Inés", "Pieter", "Fatima-Zahra", "Ana María", "Oluwaseun", "Nguyễn")
LATIN_FAMILY = ("El Amrani", "al-Amrani", "Abdeslam", "Benali", "García López", "De Smet",
                "Haddad", "Okafor", "Van den Berg", "Öztürk")
ARABIC = ("يوسف العمراني", "محمد", "خالد بن علي", "شكيب", "عبد السلام", "فاطمة الزهراء")
PATTERNS = (
    "[ipv4-addr:value = '198.51.100.3']",
    "[domain-name:value = 'example.com']",
    "[url:value = 'https://example.org/a']",
    "[file:hashes.'SHA-256' = "
    "'4bac27393bdd9777ce02453256c5577cd02275510b2227f473d03f533924f877']",
    "[file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e'] OR "
    "[ipv6-addr:value = '2001:db8::1']",
)
INDICATOR_TYPES = ("malicious-activity", "attribution", "anomalous-activity", "compromised")

# Control characters are refused by the codec on every input path, so records never hold them.
printable = st.characters(blacklist_categories=("Cc", "Cs"))
text = st.text(printable, max_size=40)
non_blank = st.text(printable, min_size=1, max_size=40).filter(lambda s: bool(s.strip()))
utc_offsets = st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=1)),
                               dt.timezone(dt.timedelta(hours=-5, minutes=-30))])
timestamps = st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2090, 1, 1),
                          timezones=utc_offsets)
dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 1, 1))
agencies = st.sampled_from(AGENCIES)
countries = st.sampled_from(COUNTRIES)


KEPT_TYPES = ("threat-actor", "campaign", "intrusion-set", "attack-pattern")
"""STIX types Passerelle keeps as received (records of kind ``object``, named by their STIX id)."""


def _prefix(kind: RecordKind, stix_type: str) -> str:
    return stix_type if kind is RecordKind.OBJECT else kind.value


def record_ids(*kinds: RecordKind) -> st.SearchStrategy[str]:
    """Ids of records of ``kinds`` (any kind when none is given)."""
    choices = kinds or tuple(RecordKind)
    return st.builds(lambda k, t, u: f"{_prefix(k, t)}--{u}", st.sampled_from(choices),
                     st.sampled_from(KEPT_TYPES), st.uuids(version=4))


linkable = record_ids(*(k for k in RecordKind if k is not RecordKind.RELATIONSHIP))
participants = record_ids(*(k for k in RecordKind
                            if k not in (RecordKind.RELATIONSHIP, RecordKind.OBJECT)))


@st.composite
def kept_objects(draw: st.DrawFn, record_id: str, created: dt.datetime,
                 modified: dt.datetime) -> StixObject:
    """A STIX object of a type Passerelle does not model, named ``record_id`` (its TLP marking
    is the record's, not part of what is kept)."""
    stix_type = record_id.partition("--")[0]
    def stamp(value: dt.datetime) -> str:
        return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    obj = {"type": stix_type, "spec_version": "2.1", "id": record_id, "created": stamp(created),
           "modified": stamp(modified), "name": draw(non_blank),
           "labels": draw(st.lists(non_blank, min_size=1, max_size=2))}
    return StixObject(stix_type, json.dumps(obj, ensure_ascii=False, separators=(",", ":")))


@st.composite
def partial_dates(draw: st.DrawFn) -> PartialDate:
    day = draw(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2020, 12, 31)))
    precision = draw(st.sampled_from(("year", "month", "day")))
    if precision == "year":
        return PartialDate(day.year)
    if precision == "month":
        return PartialDate(day.year, day.month)
    return PartialDate(day.year, day.month, day.day)


@st.composite
def markings(draw: st.DrawFn, *, pap: bool = False) -> Markings:
    code = draw(st.sampled_from(HandlingCode))
    tlp = draw(st.sampled_from(Tlp))
    conditions = draw(non_blank if code is HandlingCode.H3 else text)
    recipient = st.builds(lambda p, n: f"{p}:{n}", st.sampled_from(["user", "agency"]),
                          st.from_regex(r"[a-z0-9-]{1,12}", fullmatch=True))
    recipients = draw(st.frozensets(recipient, min_size=1 if tlp is Tlp.RED else 0, max_size=3))
    return Markings(
        handling_code=code,
        handling_conditions=conditions,
        tlp=tlp,
        pap=draw(st.none() | st.sampled_from(Pap)) if pap else None,
        source_reliability=draw(st.sampled_from(SourceReliability)),
        information_accuracy=draw(st.sampled_from(InformationAccuracy)),
        fact_or_assessment=draw(st.sampled_from(FactOrAssessment)),
        purpose=draw(text),
        legal_basis=draw(text),
        review_date=draw(st.none() | dates),
        releasable_to=draw(st.frozensets(agencies, max_size=4)),
        recipients=recipients,
        compartment=draw(st.none() | st.from_regex(r"[a-z0-9][a-z0-9._-]{0,20}", fullmatch=True)),
    )


@st.composite
def people(draw: st.DrawFn) -> Person:
    given = draw(st.sampled_from(LATIN_GIVEN) | text)
    family = draw(st.sampled_from(LATIN_FAMILY) | text)
    original = draw(st.lists(st.sampled_from(ARABIC) | text, max_size=3).map(tuple))
    if not (given.strip() or family.strip() or original):
        original = (draw(st.sampled_from(ARABIC)),)
    return Person(
        subject_category=draw(st.sampled_from(SubjectCategory)),
        given_names=given,
        family_name=family,
        names_original_script=original,
        aliases=draw(st.lists(text, max_size=3).map(tuple)),
        date_of_birth=draw(st.none() | partial_dates()),
        place_of_birth=draw(text),
        nationalities=draw(st.lists(countries, max_size=3).map(tuple)),
        sex=draw(st.sampled_from(("", "F", "M", "X"))),
    )


documents = st.builds(
    Document,
    document_type=st.sampled_from(DocumentType),
    number=st.from_regex(r"[A-Z0-9]{1,64}", fullmatch=True),
    issuing_country=countries,
    status=st.sampled_from(DocumentStatus),
    holder=st.none() | record_ids(RecordKind.PERSON),
    expiry_date=st.none() | dates,
)

organisations = st.builds(
    Organisation,
    name=non_blank,
    aliases=st.lists(text, max_size=3).map(tuple),
    country=st.none() | countries,
    description=text,
)


@st.composite
def events(draw: st.DrawFn) -> Event:
    start = draw(timestamps)
    end = draw(st.none() | st.timedeltas(min_value=dt.timedelta(0),
                                         max_value=dt.timedelta(days=30)).map(start.__add__))
    return Event(
        event_type=draw(st.sampled_from(EventType)),
        occurred_at=start,
        ended_at=end,
        place=draw(text),
        country=draw(st.none() | countries),
        description=draw(text),
        participants=draw(st.lists(participants, max_size=4).map(tuple)),
    )


reports = st.builds(
    Report,
    title=non_blank,
    text=text,
    published=timestamps,
    references=st.lists(record_ids(), max_size=4).map(tuple),
)


@st.composite
def indicators(draw: st.DrawFn) -> Indicator:
    start = draw(timestamps)
    end = draw(st.none() | st.timedeltas(min_value=dt.timedelta(seconds=1),
                                         max_value=dt.timedelta(days=900)).map(start.__add__))
    return Indicator(
        pattern=draw(st.sampled_from(PATTERNS)),
        valid_from=start,
        name=draw(text),
        description=draw(text),
        indicator_types=draw(st.lists(st.sampled_from(INDICATOR_TYPES), max_size=2,
                                      unique=True).map(tuple)),
        valid_until=end,
    )


relationships = st.builds(
    Relationship,
    relationship_type=st.from_regex(r"[a-z][a-z0-9-]{0,62}", fullmatch=True),
    source=linkable,
    target=linkable,
    description=text,
)

@st.composite
def alerts(draw: st.DrawFn) -> Alert:
    category = draw(st.sampled_from(AlertCategory))
    subject = (RecordKind.DOCUMENT if category is AlertCategory.DOCUMENT_TO_SEIZE
               else RecordKind.PERSON)
    start = draw(timestamps)
    return Alert(
        category=category,
        subject=draw(record_ids(subject)),
        action=draw(non_blank),
        valid_from=start,
        valid_until=start + draw(st.timedeltas(min_value=dt.timedelta(microseconds=1),
                                               max_value=dt.timedelta(days=1800))),
        urgency=draw(st.sampled_from(Urgency)),
        status=draw(st.sampled_from(AlertStatus)),
        grounds=draw(text),
    )


DETAILS: dict[RecordKind, st.SearchStrategy[Details]] = {
    RecordKind.PERSON: people(),
    RecordKind.DOCUMENT: documents,
    RecordKind.ORGANISATION: organisations,
    RecordKind.EVENT: events(),
    RecordKind.REPORT: reports,
    RecordKind.INDICATOR: indicators(),
    RecordKind.RELATIONSHIP: relationships,
    RecordKind.ALERT: alerts(),
}


@st.composite
def records(draw: st.DrawFn, kind: RecordKind | None = None) -> Record:
    """One version of a record of ``kind`` (any kind when None)."""
    kind = kind or draw(st.sampled_from(RecordKind))
    created = draw(timestamps)
    modified = created + draw(st.timedeltas(min_value=dt.timedelta(0),
                                            max_value=dt.timedelta(days=400)))
    record_id = draw(record_ids(kind))
    marks = draw(markings(pap=kind is RecordKind.INDICATOR))
    return Record(
        id=record_id,
        owner_agency=draw(agencies),
        markings=marks,
        details=draw(kept_objects(record_id, created, modified)
                     if kind is RecordKind.OBJECT else DETAILS[kind]),
        version=draw(st.integers(min_value=1, max_value=10_000)),
        created_at=created,
        modified_at=modified,
        created_by=draw(st.sampled_from(("", "user:amina", "user:pieter"))),
        modified_by=draw(st.sampled_from(("", "user:lea"))),
    )
