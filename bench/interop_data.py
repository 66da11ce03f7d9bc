"""The files bench/interop.py imports: STIX 2.1 bundles and MISP events of fictional people
and made-up indicators, written to disk as they are generated (a 1 GB bundle is never held in
memory).

STIX objects of the kinds Passerelle models are built through the domain
(``seeding.RecordMaker`` over ``synthetic.PeopleGenerator``) and written by Passerelle's own
exporter (``interop.stix.record_to_stix``), so they carry its record and person extensions as a
partner's node would send them. Objects Passerelle does not model (malware, threat actors,
campaigns, IPv4 addresses, and the ``indicates`` relationships another producer draws to
them) are written as another producer would: plain STIX 2.1, TLP marking refs only; they become
kept records (kind ``object``) on import. MISP events are written as MISP writes them (core
format 2.4). Addresses are on documentation ranges, domains under ``.example``; hashes are
random. Everything depends only on the seed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import orjson

from passerelle.domain.markings import Tlp
from passerelle.domain.records import Record
from passerelle.interop.stix import EXTENSIONS, is_context, record_to_stix
from passerelle.interop.stix.extensions import (
    agency_identity,
    extension_definition,
    passerelle_identity,
)
from passerelle.interop.stix.tlp import TLP2_MARKING_IDS, tlp_marking_definition
from passerelle.seeding import RecordMaker
from passerelle.synthetic import PeopleGenerator, SyntheticPerson

Mix = Literal["mixed", "big"]
StixObject = dict[str, Any]
Advance = Callable[[int], None]
BATCH = 500  # people generated at a time
KEPT_TYPES = ("malware", "threat-actor", "campaign", "ipv4-addr")
KEPT_TLPS = (Tlp.CLEAR, Tlp.GREEN, Tlp.AMBER)
DOC_NETS = ("192.0.2.", "198.51.100.", "203.0.113.")


@dataclass
class Written:
    """What a generated file holds: objects (or records expected), bytes, and the mix."""

    path: Path
    objects: int = 0
    size: int = 0
    kinds: Counter[str] = field(default_factory=Counter)

    def describe(self) -> str:
        """One line: counts by kind, commonest first."""
        shares = ", ".join(f"{kind} {count:,} ({count / max(self.objects, 1):.0%})"
                           for kind, count in self.kinds.most_common())
        return f"{self.objects:,} objects, {self.size / 1e6:,.1f} MB: {shares}"


def context_objects(owner: str) -> list[StixObject]:
    """What Passerelle's exporter puts in every bundle before the records: the TLP 2.0
    marking-definitions, its identity, its extension-definitions and the owner's identity."""
    return [*(tlp_marking_definition(tlp) for tlp in Tlp), passerelle_identity(),
            *(extension_definition(e) for e in EXTENSIONS), agency_identity(owner)]


class StixSource:
    """An endless stream of STIX objects in one of two mixes, per fictional person ``i``:

    - ``mixed``: the person, a travel document and the ``holds`` relationship, an indicator;
      every 10th person a report on the last three; every 2nd a kept object (malware,
      threat actor, campaign, IPv4 address in turn); every 4th an ``indicates``
      relationship from the person's indicator to the latest malware (another producer's);
    - ``big``: the person and an indicator; every 4th a kept object.
    """

    def __init__(self, owner: str, seed: int, now: dt.datetime, red_reader: str,
                 mix: Mix) -> None:
        self._maker = RecordMaker(owner, seed, now, red_reader)
        self._people = PeopleGenerator(seed)
        self._rng = random.Random(f"interop-bench:{seed}")
        self._now = now
        self._mix = mix
        self._malware: str | None = None
        self._kept_count = 0

    def objects(self) -> Iterator[StixObject]:
        """The objects, in an order a reader can follow (referenced objects first)."""
        start = 0
        while True:
            batch = list(self._people.people(BATCH, start))
            persons: list[Record] = []
            for offset, person in enumerate(batch):
                yield from self._for_person(start + offset, person, persons)
            start += BATCH

    def _for_person(self, i: int, person: SyntheticPerson,
                    persons: list[Record]) -> Iterator[StixObject]:
        maker = self._maker
        record = _open(maker.person(person))
        persons.append(record)
        yield _one(record)
        if self._mix == "mixed":
            for linked in maker.document(record, person):
                yield _one(linked)
        indicator = _one(_open(maker.indicator(i)))
        yield indicator
        if self._mix == "mixed" and i % 10 == 9:
            yield _one(_open(maker.report(persons[-3:])))
        if i % (2 if self._mix == "mixed" else 4) == 0:
            yield self._kept()
        if self._mix == "mixed" and i % 4 == 0 and self._malware is not None:
            yield self._indicates(indicator["id"], self._malware)

    def _uuid(self) -> str:
        return str(uuid.UUID(int=self._rng.getrandbits(128), version=4))

    def _stamp(self) -> str:
        moment = self._now - dt.timedelta(seconds=self._rng.randint(3600, 400 * 86400))
        return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")

    def _common(self, stix_type: str) -> StixObject:
        stamp = self._stamp()
        tlp = self._rng.choice(KEPT_TLPS)
        return {"type": stix_type, "spec_version": "2.1", "id": f"{stix_type}--{self._uuid()}",
                "created": stamp, "modified": stamp,
                "object_marking_refs": [TLP2_MARKING_IDS[tlp]]}

    def _kept(self) -> StixObject:
        n = self._kept_count
        self._kept_count += 1
        stix_type = KEPT_TYPES[n % len(KEPT_TYPES)]
        rng = self._rng
        if stix_type == "ipv4-addr":
            tlp = rng.choice(KEPT_TLPS)
            return {"type": "ipv4-addr", "spec_version": "2.1",
                    "id": f"ipv4-addr--{self._uuid()}",
                    "value": f"{rng.choice(DOC_NETS)}{rng.randint(1, 254)}",
                    "object_marking_refs": [TLP2_MARKING_IDS[tlp]]}
        obj = self._common(stix_type)
        if stix_type == "malware":
            obj.update(name=f"Fictional loader {n}", is_family=True,
                       malware_types=["remote-access-trojan"],
                       description="A made-up malware family (synthetic benchmark data).")
            self._malware = obj["id"]
        elif stix_type == "threat-actor":
            obj.update(name=f"Fictional group {n}", threat_actor_types=["terrorist"],
                       aliases=[f"Group {n} (synthetic)"],
                       description="A made-up group; it names nobody real.")
        else:
            obj.update(name=f"Fictional campaign {n}", first_seen=self._stamp(),
                       description="A made-up campaign (synthetic benchmark data).")
        return obj

    def _indicates(self, indicator: str, malware: str) -> StixObject:
        obj = self._common("relationship")
        obj.update(relationship_type="indicates", source_ref=indicator, target_ref=malware)
        return obj


def _open(record: Record) -> Record:
    """``record`` outside any compartment: ``passerelle import`` acts as the node itself,
    which is in none, and would refuse the 2 % of seeding's records that are in one."""
    if record.markings.compartment is None:
        return record
    return dataclasses.replace(record, markings=dataclasses.replace(
        record.markings, compartment=None))


def _one(record: Record) -> StixObject:
    [obj] = record_to_stix(record)
    return obj


def _kind(obj: StixObject) -> str:
    if is_context(obj):
        return "context"
    extensions = obj.get("extensions", {})
    for data in extensions.values():
        if isinstance(data, dict) and "kind" in data:
            return str(data["kind"])
    return f"kept {obj['type']}" if obj["type"] != "relationship" else "relationship (other)"


def write_stix(path: Path, source: StixSource, owner: str, *, objects: int | None = None,
               size: int | None = None, advance: Advance | None = None) -> Written:
    """Write a bundle of the context objects and then ``source``'s objects to ``path``,
    until it holds ``objects`` objects or ``size`` bytes; ``advance`` gets the objects (or
    bytes) written. One object at a time: memory does not grow with the file."""
    written = Written(path)
    head = orjson.dumps({"type": "bundle", "id": f"bundle--{uuid.uuid4()}"})
    with path.open("wb", buffering=1 << 20) as stream:
        stream.write(head[:-1] + b',"objects":[\n')
        written.size = len(head) + 12
        stream_objects = source.objects()
        context = iter(context_objects(owner))
        first = True
        while (objects is None or written.objects < objects) and \
                (size is None or written.size < size):
            obj = next(context, None) or next(stream_objects)
            data = orjson.dumps(obj) if first else b",\n" + orjson.dumps(obj)
            first = False
            stream.write(data)
            written.size += len(data)
            written.objects += 1
            written.kinds[_kind(obj)] += 1
            if advance is not None:
                advance(1 if size is None else len(data))
        stream.write(b"\n]}\n")
        written.size += 4
    return written


class MispSource:
    """MISP events as MISP writes them (see ``event``)."""

    ATTRIBUTES = 40
    PEOPLE = 5

    def __init__(self, seed: int, now: dt.datetime) -> None:
        self._people = PeopleGenerator(seed + 1)
        self._rng = random.Random(f"interop-bench-misp:{seed}")
        self._now = now
        self._stamp = str(int(now.timestamp()) - 86400)
        self._key = 0
        self._counter = 0

    @classmethod
    def records_per_event(cls) -> int:
        """Records one event gives: its attributes, a person, a passport and the reference
        between them per person, and the event's report."""
        return cls.ATTRIBUTES + 3 * cls.PEOPLE + 1

    def _uuid(self) -> str:
        return str(uuid.UUID(int=self._rng.getrandbits(128), version=4))

    def event(self, n: int) -> StixObject:
        """Event ``n``: ``ATTRIBUTES`` attributes cycling through ip-dst, domain, url, md5,
        sha256, email-src and text; ``PEOPLE`` person objects, each with a passport object
        whose ``belongs-to`` reference names the person; TLP and PAP tags on the event, a
        TLP tag on some attributes."""
        tlp = ("tlp:green", "tlp:amber", "tlp:clear")[n % 3]
        objects: list[StixObject] = []
        for _ in range(self.PEOPLE):
            person = self._people.person(self._key)
            self._key += 1
            objects += self._person_and_passport(person)
        day = (self._now - dt.timedelta(days=1 + n % 300)).date().isoformat()
        body = {"uuid": self._uuid(), "info": f"Fictional activity report {n} (synthetic)",
                "date": day, "timestamp": self._stamp, "analysis": "2",
                "threat_level_id": str(1 + n % 4), "published": False, "distribution": "1",
                "Orgc": {"name": "Fictional CERT", "uuid": "5f0c1c8e-0000-4000-8000-00000000c0de"},
                "Tag": [{"name": tlp}, {"name": "PAP:GREEN"}],
                "Attribute": [self._attribute(i) for i in range(self.ATTRIBUTES)],
                "Object": objects}
        return {"Event": body}

    def _attribute(self, i: int) -> StixObject:
        self._counter += 1
        n, rng = self._counter, self._rng
        kinds: tuple[tuple[str, str, str], ...] = (
            ("ip-dst", "Network activity", f"{rng.choice(DOC_NETS)}{rng.randint(1, 254)}"),
            ("domain", "Network activity", f"relay-{n}.example"),
            ("url", "Network activity", f"https://relay-{n}.example/drop/{rng.randint(1, 999)}"),
            ("md5", "Payload delivery", rng.randbytes(16).hex()),
            ("sha256", "Payload delivery", rng.randbytes(32).hex()),
            ("email-src", "Payload delivery", f"sender-{n}@example.org"),
            ("text", "Other", f"Analyst note {n}: made-up observation (synthetic)."))
        misp_type, category, value = kinds[i % len(kinds)]
        attribute = {"uuid": self._uuid(), "type": misp_type, "category": category,
                     "value": value, "to_ids": misp_type != "text", "comment": "",
                     "timestamp": self._stamp, "distribution": "5"}
        if i % 5 == 0:
            attribute["Tag"] = [{"name": "tlp:green"}]
        return attribute

    def _relation(self, name: str, misp_type: str, value: str) -> StixObject:
        return {"object_relation": name, "uuid": self._uuid(), "type": misp_type,
                "category": "Person", "value": value, "to_ids": False,
                "timestamp": self._stamp}

    def _person_and_passport(self, p: SyntheticPerson) -> list[StixObject]:
        born = "-".join(f"{part:02d}" for part in (p.birth_year, p.birth_month, p.birth_day)
                        if part) if p.birth_month else str(p.birth_year)
        relations = [self._relation("first-name", "first-name", p.name.given),
                     self._relation("last-name", "last-name", p.name.family),
                     self._relation("date-of-birth", "date-of-birth", born),
                     self._relation("role", "text", self._rng.choice(
                         ("Suspect", "Witness", "Victim")))]
        relations += [self._relation("nationality", "nationality", c) for c in p.nationalities]
        relations += [self._relation("alias", "text", a) for a in p.aliases[:2]]
        if p.place_of_birth:
            relations.append(self._relation("place-of-birth", "place-of-birth",
                                            p.place_of_birth))
        if p.sex in ("F", "M"):
            relations.append(self._relation("gender", "gender",
                                            "Female" if p.sex == "F" else "Male"))
        person = self._object("person", relations, [])
        expiry = (self._now + dt.timedelta(days=self._rng.randint(30, 3000))).date()
        passport = self._object("passport", [
            self._relation("passport-number", "passport-number", p.document_number),
            self._relation("passport-country", "passport-country", p.document_country),
            self._relation("passport-expiration", "passport-expiration", expiry.isoformat()),
        ], [{"uuid": self._uuid(), "referenced_uuid": person["uuid"],
             "relationship_type": "belongs-to", "comment": "", "timestamp": self._stamp}])
        passport["ObjectReference"][0]["object_uuid"] = passport["uuid"]
        return [person, passport]

    def _object(self, name: str, attributes: list[StixObject],
                references: list[StixObject]) -> StixObject:
        return {"name": name, "meta-category": "misc", "uuid": self._uuid(),
                "timestamp": self._stamp, "distribution": "5", "comment": "",
                "Attribute": attributes, "ObjectReference": references}


def write_misp(path: Path, source: MispSource, records: int,
               advance: Advance | None = None) -> Written:
    """A MISP search answer (``{"response": [...]}``) of as many events as give about
    ``records`` records, written one event at a time; ``objects`` is the records expected."""
    events = max(1, round(records / source.records_per_event()))
    written = Written(path)
    with path.open("wb", buffering=1 << 20) as stream:
        stream.write(b'{"response":[\n')
        for n in range(events):
            data = (b",\n" if n else b"") + orjson.dumps(source.event(n))
            stream.write(data)
            written.size += len(data)
            if advance is not None:
                advance(1)
        stream.write(b"\n]}\n")
    written.size = path.stat().st_size
    written.objects = events * source.records_per_event()
    written.kinds.update({"event (report)": events,
                          "attribute": events * source.ATTRIBUTES,
                          "person object": events * source.PEOPLE,
                          "passport object": events * source.PEOPLE,
                          "object reference": events * source.PEOPLE})
    return written
