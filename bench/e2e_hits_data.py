"""The data of the end-to-end hits benchmark: partners' alerts on fictional people, a traveller
list with known alert subjects planted in it, and how the alerts reach the screening node.

**Alerts.** Fictional person ``key`` of ``PeopleGenerator(seed)`` (``key`` from 0) is the subject
of one alert, raised by ``ISSUERS[key % 3]`` (fr, es, be: a third each): a person record and an
alert record on it, both owned by the issuer, TLP:AMBER, H2, releasable to ``ma`` only, with a
review date a year ahead. Categories cycle through the person-alert categories; every alert is
valid from yesterday for a year. Record ids are drawn from a seeded generator, so that the same
seed gives the same records.

**Travellers.** ``--planted`` of them are alert subjects as ma's officers would record them
(``variant_of``: other romanisations or Arabic script, swapped order, typos, partial or swapped
dates, another nationality's document...): half on fr's alerts (fr is the issuer whose node
runs, and so the one whose hits are timed), a quarter each on es's and be's. The others are
fictional people who are on no list (keys from ``OTHERS_START``), drawn from the same name
pools, so that common names collide as at a real border. Shuffled; ids ``PAX-<n>``.

**Arrival at ma.** es's and be's records go through ``federation.receive.receive`` (the path of
ma's inbox and of its pulls: STIX parsing, ``decide_receipt``, the import, the audit log), as
the STIX objects their nodes would send (``interop.stix.export.record_object``). fr's records
are imported into fr's node first (``ImportService``, the path of ``passerelle import``), which
puts each new alert and its subject in fr's outbox for ma, urgently, with their transfer
records; ``deliver`` then hands those items to ``receive`` on ma and marks them delivered, as
fr's sender does over HTTP. The HTTP hop is left out only to make loading 100,000 alerts fast.
"""

from __future__ import annotations

import datetime as dt
import gc
import random
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from passerelle.api.hit_models import Traveller
from passerelle.domain.dates import PartialDate
from passerelle.domain.markings import HandlingCode, Markings, Tlp
from passerelle.domain.records import (
    Alert,
    AlertCategory,
    Person,
    Record,
    RecordKind,
    SubjectCategory,
    Urgency,
)
from passerelle.federation.receive import Outcome, receive
from passerelle.interop.stix.export import record_object
from passerelle.matching.matcher import Matcher
from passerelle.node import Node
from passerelle.services.caller import Caller
from passerelle.services.imports import ImportStatus
from passerelle.services.watchlist import person_entry
from passerelle.synthetic import PeopleGenerator, SyntheticPerson
from passerelle.synthetic.entries import as_entry

ISSUERS = ("fr", "es", "be")
FINDER = "ma"
TIMED_ISSUER = "fr"
OTHERS_START = 100_000_000
CHUNK = 2000  # objects per receive or import chunk
CATEGORIES = (AlertCategory.DISCREET_CHECK, AlertCategory.INQUIRY_CHECK,
              AlertCategory.SPECIFIC_CHECK, AlertCategory.INFORMATION,
              AlertCategory.REFUSAL_OF_ENTRY, AlertCategory.ARREST)
ACTION = "Report the encounter to the issuing bureau at once; do not let the person notice."
Advance = Callable[[int], None]


@dataclass(frozen=True)
class Watched:
    """One alert and its subject, with the fictional person the subject describes."""

    subject: Record
    alert: Record
    person: SyntheticPerson

    @property
    def issuer(self) -> str:
        """The agency that raised the alert."""
        return self.alert.owner_agency


def _markings(today: dt.date) -> Markings:
    return Markings(handling_code=HandlingCode.H2, tlp=Tlp.AMBER,
                    legal_basis="LED Art. 37 - bilateral agreement (fictional)",
                    review_date=today + dt.timedelta(days=365),
                    releasable_to=frozenset({FINDER}))


def _person(p: SyntheticPerson) -> Person:
    born = PartialDate(p.birth_year, p.birth_month, p.birth_day if p.birth_month else None)
    script = (p.name.original_script,) if p.name.original_script else ()
    return Person(SubjectCategory.SUSPECT, p.name.given, p.name.family, script,
                  tuple(p.aliases), born, p.place_of_birth, tuple(p.nationalities),
                  p.sex if p.sex in ("F", "M", "X") else "")


def make_alerts(count: int, seed: int, now: dt.datetime) -> list[Watched]:
    """``count`` alerts on as many fictional people (see the module docstring)."""
    rng = random.Random(f"e2e-hits:{seed}")
    markings = _markings(now.date())
    created = now - dt.timedelta(hours=2)

    def new_id(kind: RecordKind) -> str:
        return f"{kind.value}--{uuid.UUID(int=rng.getrandbits(128), version=4)}"

    made = []
    for person in PeopleGenerator(seed).people(count):
        issuer = ISSUERS[person.key % len(ISSUERS)]
        subject = Record(new_id(RecordKind.PERSON), issuer, markings, _person(person), 1,
                         created, created, "system", "system")
        details = Alert(CATEGORIES[person.key % len(CATEGORIES)], subject.id, ACTION,
                        now - dt.timedelta(days=1), now + dt.timedelta(days=365),
                        Urgency.URGENT, grounds="fictional case file")
        alert = Record(new_id(RecordKind.ALERT), issuer, markings, details, 1, created,
                       created, "system", "system")
        made.append(Watched(subject, alert, person))
    return made


def records_of(alerts: Sequence[Watched], issuer: str) -> list[Record]:
    """The issuer's records, each subject just before its alert."""
    return [r for w in alerts if w.issuer == issuer for r in (w.subject, w.alert)]


@dataclass(frozen=True)
class Planted:
    """A traveller who is an alert's subject."""

    traveller_id: str
    alert_id: str
    issuer: str
    arabic: bool  # the name is in Arabic script only
    swapped: bool  # day and month of birth swapped


@dataclass(frozen=True)
class TravellerList:
    """The rows as the API takes them, and the planted travellers by id."""

    rows: list[dict[str, Any]]
    planted: dict[str, Planted]


def planted_shares(planted: int) -> dict[str, int]:
    """How many planted travellers are on each issuer's alerts: a quarter each on es and be,
    the rest on fr."""
    quarter = planted // 4
    return {TIMED_ISSUER: planted - 2 * quarter, "es": quarter, "be": quarter}


def _row(person: SyntheticPerson, traveller_id: str) -> dict[str, Any]:
    entry = as_entry(person, traveller_id)
    row = {"id": entry.id, "full_name": entry.full_name, "given_name": entry.given_name,
           "family_name": entry.family_name, "name_original_script": entry.name_original_script,
           "aliases": list(entry.aliases), "date_of_birth": entry.date_of_birth,
           "place_of_birth": entry.place_of_birth, "nationality": list(entry.nationalities),
           "document_number": entry.document_number,
           "document_country": entry.document_country}
    return {key: value for key, value in row.items() if value}


def _swapped(original: SyntheticPerson, variant: SyntheticPerson) -> bool:
    return (original.birth_month is not None and original.birth_day is not None
            and original.birth_month != original.birth_day
            and (variant.birth_month, variant.birth_day)
            == (original.birth_day, original.birth_month))


def make_travellers(alerts: Sequence[Watched], count: int, planted: int, seed: int
                    ) -> TravellerList:
    """``count`` travellers, ``planted`` of them alert subjects (see the module docstring)."""
    rng = random.Random(f"e2e-hits-travellers:{seed}")
    people = PeopleGenerator(seed)
    shares = planted_shares(min(planted, count))
    chosen: list[Watched] = []
    for issuer, share in shares.items():
        theirs = [w for w in alerts if w.issuer == issuer]
        if share > len(theirs):
            raise SystemExit(f"{share} planted travellers on {issuer}'s alerts, but {issuer} "
                             f"has {len(theirs)} alerts: fewer --planted or more --alerts")
        chosen += rng.sample(theirs, share)
    others = people.people(count - len(chosen), OTHERS_START)
    numbers = rng.sample(range(count), count)
    rows: list[dict[str, Any]] = []
    truth: dict[str, Planted] = {}
    for number, watched in zip(numbers[:len(chosen)], chosen, strict=True):
        variant = people.variant_of(watched.person, 1)
        traveller_id = f"PAX-{number:06d}"
        rows.append(_row(variant, traveller_id))
        truth[traveller_id] = Planted(traveller_id, watched.alert.id, watched.issuer,
                                      variant.name.spelling == "ar",
                                      _swapped(watched.person, variant))
    for number, person in zip(numbers[len(chosen):], others, strict=True):
        rows.append(_row(person, f"PAX-{number:06d}"))
    rows.sort(key=lambda row: str(row["id"]))
    return TravellerList(rows, truth)


def matcher_baseline(alerts: Sequence[Watched], rows: Sequence[dict[str, Any]]
                     ) -> tuple[float, float]:
    """The matcher alone, in this process, as the baseline of ``queue_s``: the alerts'
    subjects indexed as ma's watchlist files them (``person_entry``), then each traveller, read
    as the API reads it, queried at the default threshold, the collector frozen; the seconds
    the index took and the seconds per traveller."""
    started = time.perf_counter()
    matcher = Matcher()
    matcher.add_many(person_entry(w.alert.id, w.subject.details) for w in alerts
                     if isinstance(w.subject.details, Person))
    indexed = time.perf_counter()
    entries = [Traveller.model_validate(row).entry() for row in rows]
    gc.collect()
    gc.freeze()  # as screening.py does: the index out of the collector's sight
    try:
        queried = time.perf_counter()
        for entry in entries:
            matcher.query(entry)
        done = time.perf_counter()
    finally:
        gc.unfreeze()
    return indexed - started, (done - queried) / max(len(entries), 1)


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def import_own(node: Node, caller: Caller, records: Sequence[Record], advance: Advance) -> None:
    """Store the issuer's own records on its node, as ``passerelle import`` does."""
    outcomes = node.imports.import_stream(caller, _chunks(records), atomic=True,
                                          progress=advance)
    created = sum(o.status is ImportStatus.CREATED for o in outcomes)
    if created != len(records):
        wrong = next(o for o in outcomes if o.status is not ImportStatus.CREATED)
        raise SystemExit(f"{node.settings.agency_id} stored {created} of {len(records)} "
                         f"records: {wrong}")


def _received(node: Node, partner: str, objects: Sequence[dict[str, Any]]) -> None:
    outcomes = receive(node, partner, objects)
    refused = [o for o in outcomes if o.outcome is not Outcome.STORED]
    if refused:
        raise SystemExit(f"{node.settings.agency_id} did not store {len(refused)} of "
                         f"{len(objects)} objects from {partner}: {refused[0]}")


def receive_records(node: Node, partner: str, records: Sequence[Record],
                    advance: Advance) -> None:
    """``partner``'s records arrive on ``node`` as its node sends them."""
    for chunk in _chunks(records):
        _received(node, partner, [record_object(r) for r in chunk])
        advance(len(chunk))


def deliver(sender: Node, receiver: Node, advance: Advance) -> int:
    """Hand the sender's outbox items for the receiver to ``receive`` and mark them
    delivered, as the sender's ``OutboxSender`` does over HTTP; the number delivered."""
    partner, receiver_id = sender.settings.agency_id, receiver.settings.agency_id
    delivered = 0
    while items := sender.outbox.due(CHUNK, receiver_id):
        _received(receiver, partner, [dict(item.object) for item in items])
        sender.outbox.delivered([item.id for item in items])
        delivered += len(items)
        advance(len(items))
    return delivered


def to_confirm(candidates: Sequence[dict[str, Any]], planted: dict[str, Planted],
                   count: int) -> list[dict[str, Any]]:
    """The candidates to confirm: on the timed issuer's alerts, those of planted travellers
    naming the right alert first, then the others (a reviewer would dismiss them; their hit
    reports travel the same way), ``count`` at most."""
    ours = [c for c in candidates if c["issuer"] == TIMED_ISSUER]
    right = [c for c in ours if _right(c, planted)]
    rest = [c for c in ours if not _right(c, planted)]
    return (right + rest)[:count]


def _right(candidate: dict[str, Any], planted: dict[str, Planted]) -> bool:
    truth = planted.get(str(candidate["query"].get("id")))
    return truth is not None and truth.alert_id == candidate["alert_id"]


def recall(candidates: Sequence[dict[str, Any]], planted: dict[str, Planted]
           ) -> dict[str, float]:
    """Share of planted travellers with a candidate naming their alert: overall, in Arabic
    script, with day and month swapped."""
    found = {str(c["query"].get("id")) for c in candidates if _right(c, planted)}

    def share(group: list[Planted]) -> float:
        return sum(p.traveller_id in found for p in group) / len(group) if group else float("nan")

    every = list(planted.values())
    return {"planted_recall": share(every),
            "planted_recall_arabic": share([p for p in every if p.arabic]),
            "planted_recall_swapped": share([p for p in every if p.swapped]),
            "planted_arabic": float(sum(p.arabic for p in every)),
            "planted_swapped": float(sum(p.swapped for p in every))}

