"""Sample data for development and demonstrations: FICTIONAL people turned into domain records.

Why it exists: a new node is empty, and nobody can judge search, matching, markings or the
policy on an empty node. ``seed`` fills it with data shaped like the real thing (people with
one travel document each, organisations, border crossings, reports, cyber indicators and the
relationships between them) with markings spread over every case the policy distinguishes.

Invariants and limits:
- the people come from ``passerelle.synthetic`` and are fictional; indicators use only the
  documentation address ranges (RFC 5737) and ``.example`` domains; organisation names are
  made up from word lists;
- the same (seed, agency) always yields the same identifiers, so seeding twice changes nothing
  and two nodes seeded alike never share an identifier;
- records go through ``ImportService`` like any import: the policy screens them and every one
  is audited; a rejection is a bug of this module and stops the seeding;
- never in production: ``seed`` refuses a node whose environment is production, because the
  demo accounts have a published password.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import random
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from passerelle.bootstrap import node_caller
from passerelle.domain import markings as mk
from passerelle.domain.dates import PartialDate
from passerelle.domain.markings import Markings
from passerelle.domain.records import (
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
    SubjectCategory,
)
from passerelle.domain.users import Role
from passerelle.errors import Forbidden, PasserelleError
from passerelle.node import Node
from passerelle.services.imports import ImportStatus
from passerelle.synthetic import PeopleGenerator, SyntheticPerson

T = TypeVar("T")
DEMO_PASSWORD = "passerelle-demo"  # noqa: S105 — published on purpose; refused in production
COMPARTMENTS = ("op-mistral", "op-sirocco")
CHUNK = 1000  # people per import call: one progress step, a few thousand records
AGENCIES = ("fr", "es", "be", "ma")
EU_AGENCIES = ("fr", "es", "be")


@dataclass(frozen=True, slots=True)
class DemoUser:
    """An account the demo hands out."""

    username: str
    display_name: str
    role: Role
    compartments: frozenset[str] = frozenset()


DEMO_USERS = (
    DemoUser("amina.analyst", "Amina (demo analyst)", Role.ANALYST, frozenset({COMPARTMENTS[0]})),
    DemoUser("lucas.reviewer", "Lucas (demo reviewer)", Role.REVIEWER),
    DemoUser("ines.releaser", "Inès (demo releaser)", Role.RELEASER),
    DemoUser("pieter.auditor", "Pieter (demo auditor)", Role.AUDITOR),
)


@dataclass
class SeedSummary:
    """What ``seed`` stored: records created per kind, records already there, demo accounts."""

    created: Counter[str] = field(default_factory=Counter)
    unchanged: int = 0
    users_created: list[str] = field(default_factory=list)


def planned_counts(people: int) -> dict[RecordKind, int]:
    """How many records of each kind ``seed`` makes for ``people`` people."""
    plan = _Plan  # the seeder's own rules, so the plan cannot drift from what is made
    return {
        RecordKind.PERSON: people,
        RecordKind.DOCUMENT: people,
        RecordKind.ORGANISATION: plan.organisations(people),
        RecordKind.EVENT: sum(plan.crosses(i) for i in range(people)),
        RecordKind.REPORT: sum(plan.reports(i) for i in range(people)),
        RecordKind.INDICATOR: sum(plan.indicator(i) for i in range(people)),
        RecordKind.RELATIONSHIP: sum(1 + plan.member(i) + plan.crosses(i)
                                     + plan.companion(i, people) for i in range(people)),
    }


class _Plan:
    """Which person index brings which extra record: one rule, used by the seeder and by
    ``planned_counts`` alike."""

    @staticmethod
    def organisations(people: int) -> int:
        return max(1, people // 25)

    @staticmethod
    def member(i: int) -> bool:
        return i % 4 == 1

    @staticmethod
    def crosses(i: int) -> bool:
        return i % 2 == 0

    @staticmethod
    def companion(i: int, people: int) -> bool:
        """One crossing in three is made with a companion: the next person of the same chunk."""
        return i % 6 == 0 and i + 1 < people and (i + 1) % CHUNK != 0

    @staticmethod
    def reports(i: int) -> bool:
        return i % 10 == 0

    @staticmethod
    def indicator(i: int) -> bool:
        return i % 5 == 0


def seed(node: Node, people: int, seed: int, progress: Callable[[int], None]) -> SeedSummary:
    """Store sample data for ``people`` fictional people; ``progress`` receives the number of
    people stored so far after each chunk."""
    if node.settings.environment == "production":
        raise Forbidden("sample data and demo accounts are never loaded into a production node")
    summary = SeedSummary(users_created=ensure_demo_users(node))
    analyst = next(u for u in node.accounts.list_users(None) if u.username == "amina.analyst")
    caller = node_caller(node.settings.agency_id, "sample data for development",
                         frozenset(COMPARTMENTS))
    maker = RecordMaker(node.settings.agency_id, seed, node.clock.now(), analyst.principal)

    def store(records: list[Record]) -> None:
        for outcome in node.imports.import_records(caller, records, atomic=True):
            if outcome.status is ImportStatus.CREATED:
                summary.created[str(outcome.record_id).split("--")[0]] += 1
            elif outcome.status is ImportStatus.UNCHANGED:
                summary.unchanged += 1
            elif outcome.status is ImportStatus.REJECTED:
                raise PasserelleError(f"sample object {outcome.index} ({outcome.record_id}) "
                                      f"was rejected: {outcome.field}: {outcome.detail}")

    organisations = maker.organisations(_Plan.organisations(people))
    store(organisations)
    progress(0)
    generator = PeopleGenerator(seed)
    for start in range(0, people, CHUNK):
        batch = list(generator.people(min(CHUNK, people - start), start))
        store(maker.chunk(start, batch, [o.id for o in organisations], people))
        progress(start + len(batch))
    return summary


def ensure_demo_users(node: Node) -> list[str]:
    """Create the demo accounts that do not exist yet; returns the usernames created."""
    existing = {u.username for u in node.accounts.list_users(None)}
    created = []
    for demo in DEMO_USERS:
        if demo.username not in existing:
            node.accounts.create_user(None, demo.username, frozenset({demo.role}),
                                      DEMO_PASSWORD, demo.display_name, demo.compartments)
            created.append(demo.username)
    return created


def is_empty(node: Node) -> bool:
    """True when the node holds no record (``serve --demo`` seeds only then)."""
    with node.transactions() as tx:
        return tx.records.count() == 0


def _pick(rng: random.Random, weighted: dict[T, int]) -> T:
    return rng.choices(list(weighted), weights=list(weighted.values()))[0]


SUBJECTS = {SubjectCategory.SUSPECT: 35, SubjectCategory.CONTACT: 20,
            SubjectCategory.WITNESS: 15, SubjectCategory.VICTIM: 10,
            SubjectCategory.CONVICTED: 10, SubjectCategory.OTHER: 10}
HANDLING = {mk.HandlingCode.H0: 50, mk.HandlingCode.H1: 25, mk.HandlingCode.H2: 15,
            mk.HandlingCode.H3: 10}
H3_CONDITIONS = (
    "Not to be used for immigration or asylum decisions.",
    "Consult the provider before any contact with the person.",
    "Only for the investigation the request names; destroy after twelve months.",
)
TLP = {mk.Tlp.GREEN: 30, mk.Tlp.AMBER: 42, mk.Tlp.AMBER_STRICT: 23, mk.Tlp.RED: 5}
RELIABILITY = {mk.SourceReliability.A: 15, mk.SourceReliability.B: 40,
               mk.SourceReliability.C: 20, mk.SourceReliability.X: 25}
ACCURACY = {mk.InformationAccuracy.KNOWN_TRUE: 20, mk.InformationAccuracy.KNOWN_TO_SOURCE: 30,
            mk.InformationAccuracy.CORROBORATED: 30, mk.InformationAccuracy.UNCORROBORATED: 20}
DOC_TYPES = {DocumentType.PASSPORT: 60, DocumentType.IDENTITY_CARD: 30,
             DocumentType.RESIDENCE_PERMIT: 10}
DOC_STATUS = {DocumentStatus.VALID: 90, DocumentStatus.LOST: 5, DocumentStatus.STOLEN: 4,
              DocumentStatus.INVALIDATED: 1}
CROSSINGS = (("Le Perthus road crossing", "FR"), ("Paris-Charles de Gaulle airport", "FR"),
             ("Port of Marseille", "FR"), ("Madrid-Barajas airport", "ES"),
             ("Port of Algeciras", "ES"), ("Port of Tarifa", "ES"), ("Brussels airport", "BE"),
             ("Brussels-Midi station", "BE"), ("Port of Tanger Med", "MA"),
             ("Casablanca Mohammed V airport", "MA"), ("Bab Sebta crossing", "MA"))
ORG_WORDS = (("Northern", "Silent", "Crimson", "Eastern", "Free", "Iron", "Grey", "Seventh"),
             ("Lantern", "Cedar", "Harbour", "Falcon", "Compass", "Meridian", "Orchard"),
             ("Network", "Collective", "Brigade", "Circle", "Front", "Association", "Cell"))
INDICATOR_NETS = ("192.0.2.", "198.51.100.", "203.0.113.")


class RecordMaker:
    """Builds the records; deterministic for a given (agency, seed)."""

    def __init__(self, agency_id: str, seed: int, now: dt.datetime, red_reader: str) -> None:
        self.agency = agency_id
        self.rng = random.Random(f"passerelle-seed:{agency_id}:{seed}")
        self.now = now
        self.red_reader = red_reader
        self.partners = [a for a in AGENCIES if a != agency_id]
        eu = [a for a in EU_AGENCIES if a != agency_id]
        self.release_sets: dict[frozenset[str], int] = {frozenset(self.partners): 35,
                                                         frozenset(eu): 25, frozenset(): 15}
        for partner in self.partners:
            self.release_sets[frozenset({partner})] = 25 // len(self.partners)

    def new_id(self, kind: RecordKind) -> str:
        return f"{kind.value}--{uuid.UUID(int=self.rng.getrandbits(128), version=4)}"

    def record(self, details: Details, markings: Markings, kind: RecordKind) -> Record:
        created = self.now - dt.timedelta(seconds=self.rng.randint(3600, 3 * 365 * 86400))
        return Record(self.new_id(kind), self.agency, markings, details, 1, created, created,
                      "system", "system")

    def markings(self, personal: bool, indicator: bool = False) -> Markings:
        rng = self.rng
        code = _pick(rng, HANDLING)
        tlp = _pick(rng, TLP)
        releasable = _pick(rng, self.release_sets)
        recipients: frozenset[str] = frozenset()
        if tlp is mk.Tlp.RED:  # named recipients: the demo analyst and one or two partners
            releasable = frozenset(rng.sample(self.partners, rng.randint(1, 2)))
            recipients = frozenset({self.red_reader, *(f"agency:{a}" for a in releasable)})
        compartment = rng.choice(COMPARTMENTS) if rng.random() < 0.02 else None
        return Markings(
            handling_code=code,
            handling_conditions=rng.choice(H3_CONDITIONS) if code is mk.HandlingCode.H3 else "",
            tlp=tlp, pap=_pick(rng, {mk.Pap.GREEN: 3, mk.Pap.AMBER: 2, mk.Pap.CLEAR: 1})
            if indicator else None,
            source_reliability=_pick(rng, RELIABILITY),
            information_accuracy=_pick(rng, ACCURACY),
            fact_or_assessment=mk.FactOrAssessment.ASSESSMENT if rng.random() < 0.2
            else mk.FactOrAssessment.FACT,
            legal_basis=("LED Art. 37 — appropriate safeguards (sample)" if "ma" in releasable
                         else "LED Art. 8 — national law (sample)"),
            review_date=self._review_date() if personal else None,
            releasable_to=frozenset() if compartment else releasable,
            recipients=recipients, compartment=compartment)

    def _review_date(self) -> dt.date:
        today = self.now.date()
        if self.rng.random() < 0.02:  # a few overdue: the reviewer's queue is never empty
            return today - dt.timedelta(days=self.rng.randint(1, 60))
        return today + dt.timedelta(days=self.rng.randint(30, 3 * 365))

    def organisations(self, count: int) -> list[Record]:
        out = []
        for _ in range(count):
            name = " ".join(self.rng.choice(words) for words in ORG_WORDS)
            details = Organisation(name, (), self.rng.choice(("FR", "ES", "BE", "MA", None)),
                                   "A fictional organisation generated as sample data.")
            out.append(self.record(details, self.markings(False), RecordKind.ORGANISATION))
        return out

    def chunk(self, start: int, people: Sequence[SyntheticPerson],
              organisations: Sequence[str], total: int) -> list[Record]:
        """The records for ``people``, whose first has global index ``start``."""
        records: list[Record] = []
        persons = [self.person(p) for p in people]
        for offset, (person, synthetic) in enumerate(zip(persons, people, strict=True)):
            i = start + offset
            records += [person, *self.document(person, synthetic)]
            if _Plan.member(i):
                records.append(self.link("member-of", person, self.rng.choice(organisations)))
            if _Plan.crosses(i):
                nxt = persons[offset + 1] if _Plan.companion(i, total) else None
                records += self.crossing(person, nxt)
            if _Plan.reports(i):
                records.append(self.report(persons[offset:offset + 3]))
            if _Plan.indicator(i):
                records.append(self.indicator(i))
        return records

    def person(self, p: SyntheticPerson) -> Record:
        born = PartialDate(p.birth_year, p.birth_month, p.birth_day if p.birth_month else None)
        script = (p.name.original_script,) if p.name.original_script else ()
        details = Person(_pick(self.rng, SUBJECTS), p.name.given, p.name.family, script,
                         tuple(p.aliases), born, p.place_of_birth, tuple(p.nationalities),
                         p.sex if p.sex in ("F", "M", "X") else "")
        return self.record(details, self.markings(True), RecordKind.PERSON)

    def document(self, person: Record, p: SyntheticPerson) -> Iterable[Record]:
        expiry = self.now.date() + dt.timedelta(days=self.rng.randint(-700, 3600))
        details = Document(_pick(self.rng, DOC_TYPES), p.document_number, p.document_country,
                           _pick(self.rng, DOC_STATUS), person.id, expiry)
        document = self.record(details, person.markings, RecordKind.DOCUMENT)
        return (document, self.link("holds", person, document.id))

    def link(self, kind: str, source: Record, target: str) -> Record:
        return self.record(Relationship(kind, source.id, target),
                           dataclasses.replace(source.markings, review_date=None),
                           RecordKind.RELATIONSHIP)

    def crossing(self, person: Record, companion: Record | None) -> list[Record]:
        place, country = self.rng.choice(CROSSINGS)
        at = self.now - dt.timedelta(seconds=self.rng.randint(600, 2 * 365 * 86400))
        travellers = [person] + ([companion] if companion else [])
        details = Event(EventType.BORDER_CROSSING, at, None, place, country,
                        f"{self.rng.choice(('Entry', 'Exit'))} recorded at {place}"
                        f"{' with a companion' if companion else ''}.",
                        tuple(t.id for t in travellers))
        markings = dataclasses.replace(person.markings, review_date=None)
        event = self.record(details, markings, RecordKind.EVENT)
        return [event, *(self.link("involves", event, t.id) for t in travellers)]

    def report(self, about: Sequence[Record]) -> Record:
        published = self.now - dt.timedelta(days=self.rng.randint(1, 700))
        text = ("Sample report on fictional people seen travelling together; "
                "generated for demonstration, it describes nobody real.")
        details = Report(f"Travel pattern note {self.rng.randint(1000, 9999)}", text, published,
                         tuple(r.id for r in about))
        return self.record(details, self.markings(False), RecordKind.REPORT)

    def indicator(self, i: int) -> Record:
        rng = self.rng
        if i % 3 == 0:
            pattern = f"[ipv4-addr:value = '{rng.choice(INDICATOR_NETS)}{rng.randint(1, 254)}']"
            name = "Command-and-control address (sample)"
        elif i % 3 == 1:
            pattern = f"[domain-name:value = 'relay-{rng.randint(1, 99999)}.example']"
            name = "Phishing domain (sample)"
        else:
            digest = hashlib.sha256(rng.randbytes(64)).hexdigest()
            pattern = f"[file:hashes.'SHA-256' = '{digest}']"
            name = "Propaganda archive (sample)"
        start = self.now - dt.timedelta(days=rng.randint(1, 400))
        until = start + dt.timedelta(days=180) if rng.random() < 0.5 else None
        details = Indicator(pattern, start, name, "Sample indicator on a documentation "
                            "range or reserved name.", ("malicious-activity",), until)
        return self.record(details, self.markings(False, indicator=True), RecordKind.INDICATOR)
