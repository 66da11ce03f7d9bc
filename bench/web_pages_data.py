"""The node the web pages benchmark reads: many fictional people, alerts on some of them,
candidates waiting in the review queue, hits in the inbox, and the users who sign in.

**Records.** ``--people`` fictional people of ``passerelle.synthetic`` turned into records by
``seeding.RecordMaker``, as ``passerelle seed`` makes them (per person a person record, a
travel document and the ``holds`` relationship; for some an organisation membership, a border
crossing, a report, an indicator; markings spread as in the sample data), stored through
``ImportService.import_stream`` (policy, versions, search keys, one sealed audit entry per
record), 1,000 people a chunk. The benchmark analyst is the named recipient of the TLP:RED
records and is in every compartment, so only overdue reviews are hidden from them.

**Alerts.** ``--alerts`` of the node's own alerts, each on a stored person (every
``people // alerts``-th, from the first), H2, TLP:AMBER, categories cycling; a tenth expire
within the dashboard's fortnight, the others in a year.

**Candidates and hits.** A list of ``--travellers`` is screened as an upload is
(``ScreeningService.submit`` then ``run_pending``, the worker's pass): half are alert subjects as
another officer recorded them (``PeopleGenerator.variant_of``), half people on no list. The
reviewer then confirms ``--hits`` candidates: hits on the node's own alerts, which land in its
own inbox (``direction=received``); the other candidates stay pending in the review queue.

**Users.** ``bench.analyst`` (analyst, every compartment), ``bench.reviewer`` and
``bench.auditor``, with a password, as an administrator creates them.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from passerelle.bootstrap import node_caller
from passerelle.domain.hits import CandidateStatus, Sighting
from passerelle.domain.markings import HandlingCode, Markings, Tlp
from passerelle.domain.records import Alert, AlertCategory, Record, RecordKind, Urgency
from passerelle.domain.users import Role, User
from passerelle.node import Node
from passerelle.seeding import COMPARTMENTS, RecordMaker
from passerelle.services.caller import Caller
from passerelle.services.imports import ImportStatus
from passerelle.synthetic import PeopleGenerator, SyntheticPerson
from passerelle.synthetic.entries import as_entry
from passerelle.synthetic.forms import NameForms
from passerelle.synthetic.names_amazigh import AMAZIGH_FEMALE, AMAZIGH_MALE
from passerelle.synthetic.names_arabic import ARABIC_FEMALE, ARABIC_MALE
from passerelle.synthetic.variation import strip_diacritics

PASSWORD = "web-pages-benchmark-password"  # fictional node, deleted at the end
CASE = "BENCH-2026-001"
REASON = "web pages benchmark on synthetic, fictional people"
JUSTIFICATION = f"{CASE}: {REASON}"
"""What the pages pass to the services once the purpose is stated, and so what the API calls
send as ``Passerelle-Justification``: both write the same audit entries."""
USERS = {"analyst": ("bench.analyst", Role.ANALYST, frozenset(COMPARTMENTS)),
         "reviewer": ("bench.reviewer", Role.REVIEWER, frozenset()),
         "auditor": ("bench.auditor", Role.AUDITOR, frozenset())}
CHUNK = 1000  # people per import chunk
OTHERS_START = 50_000_000  # keys of travellers on no list
CATEGORIES = (AlertCategory.DISCREET_CHECK, AlertCategory.ARREST, AlertCategory.INQUIRY_CHECK,
              AlertCategory.REFUSAL_OF_ENTRY, AlertCategory.INFORMATION)
Advance = Callable[[int], None]


@dataclass(frozen=True)
class Loaded:
    """What the node holds, and what the benchmark asks about."""

    people: int
    records: int
    alerts: int
    travellers: int
    candidates: int
    hits: int
    record_id: str  # a person with a document, a crossing and an alert: its page is read
    common_name: str  # the commonest given name in the data
    other_spelling: str  # the same name in another romanisation
    arabic: str  # the same name in Arabic script
    users: dict[str, User]


def create_users(node: Node) -> dict[str, User]:
    """The three users, by role name."""
    return {role_name: node.accounts.create_user(None, username, frozenset({role}), PASSWORD,
                                                 f"Benchmark {role_name}", compartments)
            for role_name, (username, role, compartments) in USERS.items()}


def _store(node: Node, chunks: Iterator[Sequence[Record]], advance: Advance) -> int:
    caller = node_caller(node.settings.agency_id, "web pages benchmark: fictional data",
                         frozenset(COMPARTMENTS))
    outcomes = node.imports.import_stream(caller, chunks, atomic=True, progress=advance)
    wrong = [o for o in outcomes if o.status is not ImportStatus.CREATED]
    if wrong:
        raise SystemExit(f"{len(wrong)} of {len(outcomes)} records not stored: {wrong[0]}")
    return len(outcomes)


def store_people(node: Node, analyst: User, count: int, seed: int, advance: Advance
                 ) -> tuple[int, list[tuple[Record, SyntheticPerson]]]:
    """The people's records (see the module docstring): how many records, and each person
    record with the fictional person it describes."""
    maker = RecordMaker(node.settings.agency_id, seed, node.clock.now(), analyst.principal)
    organisations = maker.organisations(max(1, count // 25))
    persons: list[tuple[Record, SyntheticPerson]] = []
    generator = PeopleGenerator(seed)

    def chunks() -> Iterator[Sequence[Record]]:
        yield organisations
        for start in range(0, count, CHUNK):
            batch = list(generator.people(min(CHUNK, count - start), start))
            records = maker.chunk(start, batch, [o.id for o in organisations], count)
            mine = [r for r in records if r.kind is RecordKind.PERSON]
            persons.extend(zip(mine, batch, strict=True))
            yield records

    return _store(node, chunks(), advance), persons


def store_alerts(node: Node, persons: Sequence[tuple[Record, SyntheticPerson]], count: int
                 ) -> list[tuple[int, Record, SyntheticPerson]]:
    """``count`` alerts of the node's own on stored people; the subjects (person index,
    record, fictional person)."""
    now = node.clock.now()
    step = max(1, len(persons) // max(count, 1))
    subjects = [(i, *persons[i]) for i in range(0, len(persons), step)][:count]
    rng = random.Random(f"web-pages-alerts:{len(persons)}:{count}")
    markings = Markings(handling_code=HandlingCode.H2, tlp=Tlp.AMBER,
                        legal_basis="LED Art. 8 - national law (fictional)",
                        review_date=now.date() + dt.timedelta(days=365))
    alerts = []
    for number, (_, subject, _) in enumerate(subjects):
        until = now + (dt.timedelta(days=3 + number % 10) if number % 10 == 0
                       else dt.timedelta(days=365))
        details = Alert(CATEGORIES[number % len(CATEGORIES)], subject.id,
                        "Report the encounter to the bureau at once.",
                        now - dt.timedelta(days=1), until, Urgency.URGENT,
                        grounds="fictional case file")
        alert_id = f"alert--{uuid.UUID(int=rng.getrandbits(128), version=4)}"
        alerts.append(Record(alert_id, node.settings.agency_id, markings, details, 1, now, now,
                             "system", "system"))
    _store(node, iter([alerts]), lambda _n: None)
    return subjects


def screen_travellers(node: Node, analyst: User,
                      subjects: Sequence[tuple[Record, SyntheticPerson]], count: int,
                      seed: int) -> int:
    """Screen a list of ``count`` travellers, half of them alert subjects; the candidates."""
    generator = PeopleGenerator(seed)
    planted = [generator.variant_of(p, 1) for _, p in subjects[:count // 2]]
    others = list(generator.people(count - len(planted), OTHERS_START))
    entries = [as_entry(person, f"PAX-{n:06d}") for n, person in enumerate(planted + others)]
    caller = Caller(analyst, JUSTIFICATION)
    node.screening.submit(caller, "web pages benchmark list", entries)
    jobs = node.screening.run_pending()
    return sum(job.candidates for job in jobs)


def confirm_hits(node: Node, reviewer: User, count: int) -> int:
    """The reviewer confirms up to ``count`` pending candidates: hits in the node's inbox."""
    caller = Caller(reviewer, JUSTIFICATION)
    items = node.review.queue(caller, CandidateStatus.PENDING, None, count)
    now = node.clock.now()
    for item in items:
        sighting = Sighting(found_at=now - dt.timedelta(minutes=30), place="Port of Marseille",
                            reason_of_check="border check", action_taken="identity checked")
        node.review.confirm(caller, item.candidate.id, "the same person: name, date, document",
                            sighting)
    return len(items)


def names_to_search(persons: Sequence[tuple[Record, SyntheticPerson]]
                    ) -> tuple[str, str, str]:
    """The commonest given name among the people having Arabic-script forms, another
    romanisation of it, and its Arabic script."""
    forms = {spelling: f for f in (*ARABIC_MALE, *ARABIC_FEMALE, *AMAZIGH_MALE,
                                   *AMAZIGH_FEMALE) if f.arabic
             for spelling in f.spellings}
    counts = Counter(p.name.given for _, p in persons if p.name.given in forms)
    if not counts:
        raise SystemExit("no person with an Arabic-script name: more --people")
    common = counts.most_common(1)[0][0]
    found: NameForms = forms[common]
    other = next(s for s in found.spellings
                 if strip_diacritics(s).lower() != strip_diacritics(common).lower())
    return common, other, str(found.arabic)


def record_to_read(node: Node, subjects: Sequence[tuple[int, Record, SyntheticPerson]]
                   ) -> str:
    """An alert subject the analyst may consult (review not overdue) with records pointing at
    it: its document, a border crossing (even person indices, ``seeding._Plan``), the alert."""
    today = node.clock.now().date()
    for index, record, _ in subjects:
        review = record.markings.review_date
        if index % 2 == 0 and (review is None or review >= today):
            return record.id
    raise SystemExit("no alert subject the analyst may consult: more --alerts")


def load(node: Node, people: int, alerts: int, travellers: int, hits: int, seed: int,
         advance: Advance) -> Loaded:
    """Fill ``node`` (see the module docstring)."""
    users = create_users(node)
    records, persons = store_people(node, users["analyst"], people, seed, advance)
    subjects = store_alerts(node, persons, alerts)
    candidates = screen_travellers(node, users["analyst"], [(r, p) for _, r, p in subjects],
                                   travellers, seed)
    confirmed = confirm_hits(node, users["reviewer"], hits)
    common, other, arabic = names_to_search(persons)
    return Loaded(people, records + len(subjects), len(subjects), travellers, candidates,
                  confirmed, record_to_read(node, subjects), common, other, arabic, users)
