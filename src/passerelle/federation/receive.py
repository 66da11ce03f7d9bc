"""Storing what a partner's node sends, whether this node pulled it or the partner pushed it.

Both ways in (``federation.pull`` reading a partner's feed, the inbox collection a partner
posts to) end here, so that an object means the same whichever way it came:

- a STIX object becomes a record owned by the partner (or by the agency the object names, for
  a record the partner passes on), through the same import path as a file
  (``ImportService``): validated, audited, planned for this node's own partners under the
  onward-transfer rules. A version already held (or an older one) is a success that changes
  nothing, which is what makes a re-sent object harmless;
- a revoked object (``revoked: true``: withdrawn or erased at the originator) erases this
  node's copy, audited with the partner as the reason (LED Art. 7(3), 16). A revocation of
  something not held is a success that changes nothing; one of a record the partner does not
  own is refused (only the owner agency changes its records);
- a record that claims to be owned by this node's own agency is refused: a node's records are
  never sent back to it (``policy.decide_release``), so such an object is forged or misrouted;
- a new version or a revocation of a record another agency owns, which this node first
  collected from the partner (a record the partner passed on), is the owner's correction or
  erasure relayed by that partner (``FederationService.relayed_by``): it is applied for the
  owner, audited as relayed. Only that partner may relay for the owner.

A hit report (a STIX sighting carrying Passerelle's hit extension) or a message about a hit (a
note) goes to the hits inbox (``services.hits``): accepted from the agency it names as finder
or author, on an alert this node issued or a hit it is party to; refused otherwise.

Hits and revocations are applied first, then the other objects in one import (one
transaction). Every object gets an outcome (``Received``), in the order it came.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from passerelle.domain.outbox import version_of
from passerelle.domain.records import RESERVED_TYPES, Record, RecordKind
from passerelle.domain.users import Role, User
from passerelle.errors import Forbidden, InvalidStix, NotFound, PasserelleError
from passerelle.interop.stix.bundles import ImportedObject
from passerelle.interop.stix.extensions import RECORD
from passerelle.interop.stix.hits import is_hit, is_hit_message, read_hit, read_message
from passerelle.interop.stix.identifiers import KINDS_OF_TYPE, split_stix_id
from passerelle.interop.stix.pipeline import read_in_chunks
from passerelle.interop.stix.revocation import is_revocation
from passerelle.node import Node
from passerelle.services.caller import Caller
from passerelle.services.imports import ImportOutcome, ImportStatus


class Outcome(StrEnum):
    """What became of one object received from a partner."""

    STORED = "stored"  # a new record, or a new version of one
    UNCHANGED = "unchanged"  # held already at this version or a later one
    ERASED = "erased"  # a revocation: the local copy is erased
    ABSENT = "absent"  # a revocation of something this node does not hold
    CONTEXT = "context"  # describes other objects (markings, extensions): nothing to store
    REJECTED = "rejected"


SUCCESS_MESSAGES = {
    Outcome.STORED: "stored", Outcome.UNCHANGED: "already held; unchanged",
    Outcome.ERASED: "revoked: the local copy is erased",
    Outcome.ABSENT: "revoked: no local copy to erase",
    Outcome.CONTEXT: "describes other objects; nothing to store",
}


@dataclass(frozen=True, slots=True)
class Received:
    """The outcome for one object: its STIX id and version as sent, and, for a record, its
    id on this node; ``detail`` says why it was rejected."""

    object_id: str
    version: str
    outcome: Outcome
    record_id: str | None = None
    detail: str | None = None

    @property
    def ok(self) -> bool:
        """True unless rejected: the partner need not send it again."""
        return self.outcome is not Outcome.REJECTED

    @property
    def message(self) -> str:
        """A line for a TAXII status."""
        return (self.detail or "") if not self.ok else SUCCESS_MESSAGES[self.outcome]


def partner_caller(partner: str) -> Caller:
    """The partner's node as the author of what it sends (its records are its own)."""
    user = User(f"node-{partner}", f"node.{partner}", partner, frozenset({Role.ANALYST}),
                f"the {partner} node")
    return Caller(user, f"federation: records released by {partner}")


def relay_caller(partner: str, owner: str) -> Caller:
    """The partner's node relaying the changes of ``owner``'s records that it passed on: in
    the audit log, the partner's node is the actor, for the owner's agency."""
    user = User(f"node-{partner}", f"node.{partner}", owner, frozenset({Role.ANALYST}),
                f"the {partner} node, for {owner}")
    return Caller(user, f"federation: a change of {owner}'s record relayed by {partner}")


def receive(node: Node, partner: str, objects: Sequence[Mapping[str, Any]]) -> list[Received]:
    """Apply ``objects`` sent by ``partner``'s node to ``node``; one outcome per object, in
    order (see the module docstring)."""
    outcomes: dict[int, Received] = {}
    caller = partner_caller(partner)
    live: dict[str, list[tuple[int, Mapping[str, Any]]]] = {}
    relayed = _relayed(node, partner, objects)
    for index, obj in enumerate(objects):
        if is_hit(obj) or is_hit_message(obj):
            outcomes[index] = _hit(node, partner, obj)
        elif is_revocation(obj):
            outcomes[index] = _revoke(node, caller, obj)
        else:
            owner = relayed.get(str(obj.get("id", "")), partner)
            live.setdefault(owner, []).append((index, obj))
    for owner, group in live.items():
        outcomes.update(_import(node, caller if owner == partner
                                else relay_caller(partner, owner), group))
    return [outcomes[index] for index in range(len(objects))]


def _hit(node: Node, partner: str, obj: Mapping[str, Any]) -> Received:
    """A hit report on one of this node's alerts, or a message about a hit."""
    object_id, version = str(obj.get("id", "")), version_of(obj)
    try:
        if is_hit(obj):
            report = read_hit(obj)
            new = node.hits.receive_report(partner, report)
            stored_as = report.id
        else:
            message = read_message(obj)
            new = node.hits.receive_message(partner, message)
            stored_as = message.id
    except PasserelleError as error:
        return Received(object_id, version, Outcome.REJECTED, None, str(error))
    return Received(object_id, version, Outcome.STORED if new else Outcome.UNCHANGED,
                    stored_as)


def _named_owner(obj: Mapping[str, Any]) -> str | None:
    extensions = obj.get("extensions")
    envelope = extensions.get(RECORD.id) if isinstance(extensions, Mapping) else None
    owner = envelope.get("owner_agency") if isinstance(envelope, Mapping) else None
    return owner if isinstance(owner, str) else None


def _relayed(node: Node, partner: str, objects: Sequence[Mapping[str, Any]]
             ) -> dict[str, str]:
    """STIX ids of the objects that change a record the partner passed on to this node,
    with the record's owner (only objects naming a third agency as owner are looked up)."""
    third = {str(obj.get("id")): owner for obj in objects
             if (owner := _named_owner(obj)) not in (None, partner, node.settings.agency_id)}
    record_ids = {record_id: object_id for object_id in third
                  for record_id in _record_ids(object_id)}
    if not record_ids:
        return {}
    found = node.federation.relayed_by(partner_caller(partner).actor, sorted(record_ids))
    return {record_ids[rid]: owner for rid, owner in found.items()
            if third[record_ids[rid]] == owner}


def _record_ids(object_id: str) -> list[str]:
    """The record ids a STIX id may stand for (none for a malformed id)."""
    try:
        stix_type, uid = split_stix_id(object_id, "id")
    except InvalidStix:
        return []
    kinds = KINDS_OF_TYPE.get(stix_type, ())
    found = [f"{RecordKind(kind).value}--{uid}" for kind in kinds]
    if (not kinds or stix_type == "identity") and stix_type not in RESERVED_TYPES:
        found.append(f"{stix_type}--{uid}")  # an object kept as received: its own id
    return found


def _revoke(node: Node, caller: Caller, obj: Mapping[str, Any]) -> Received:
    object_id = str(obj.get("id", ""))
    try:
        split_stix_id(object_id, "id")
    except InvalidStix as error:
        return Received(object_id, version_of(obj), Outcome.REJECTED, None, error.detail)
    partner = caller.user.agency_id
    for record_id in _record_ids(object_id):
        try:
            _erase(node, caller, partner, record_id)
        except NotFound:
            continue
        except PasserelleError as error:
            return Received(object_id, version_of(obj), Outcome.REJECTED, record_id,
                            error.detail)
        return Received(object_id, version_of(obj), Outcome.ERASED, record_id)
    return Received(object_id, version_of(obj), Outcome.ABSENT)


def _erase(node: Node, caller: Caller, partner: str, record_id: str) -> None:
    """Erase the local copy for ``partner``, or for the owner it relays for."""
    try:
        node.records.erase(Caller(caller.user, f"withdrawn or erased at {partner}"),
                           record_id)
    except Forbidden:
        owner = node.federation.relayed_by(caller.actor, [record_id]).get(record_id)
        if owner is None:
            raise
        node.records.erase(Caller(relay_caller(partner, owner).user,
                                  f"erased at {owner}, relayed by {partner}"), record_id)


@dataclass(frozen=True, slots=True)
class _Candidate:
    index: int
    object_id: str
    version: str
    record_id: str | None


def _import(node: Node, caller: Caller, live: list[tuple[int, Mapping[str, Any]]]
            ) -> dict[int, Received]:
    bundle = {"type": "bundle", "id": f"bundle--{uuid.uuid4()}",
              "objects": [obj if isinstance(obj, dict) else dict(obj) for _, obj in live]}
    done: dict[int, Received] = {}
    candidates: list[_Candidate] = []
    try:
        chunks = read_in_chunks(bundle, default_owner=caller.user.agency_id)
        outcomes = node.imports.import_stream(
            caller, _screened(chunks, live, node.settings.agency_id, candidates, done),
            atomic=False, receipt=True)
    except InvalidStix as error:  # the bundle we built is always well formed; defensive
        return {i: Received(str(o.get("id", "")), version_of(o), Outcome.REJECTED, None,
                            error.detail) for i, o in live}
    for candidate, outcome in zip(candidates, outcomes, strict=True):
        done[candidate.index] = _received(candidate, outcome)
    return done


def _screened(chunks: Iterator[list[ImportedObject]],
              live: list[tuple[int, Mapping[str, Any]]], own_agency: str,
              candidates: list[_Candidate], done: dict[int, Received]
              ) -> Iterator[list[Record | PasserelleError]]:
    """The import's candidates, noting which object each one is; context objects are
    answered at once."""
    for chunk in chunks:
        found: list[Record | PasserelleError] = []
        for imported in chunk:
            index, obj = live[imported.index]
            object_id, version = str(obj.get("id", "")), version_of(obj)
            if imported.is_context:
                done[index] = Received(object_id, version, Outcome.CONTEXT)
                continue
            record = imported.record
            candidates.append(_Candidate(index, object_id, version,
                                         record.id if record is not None else None))
            if record is not None and record.owner_agency == own_agency:
                found.append(Forbidden(f"a record owned by {own_agency} is never sent back "
                                       "to it by a partner"))
            else:
                found.append(record if record is not None else _error(imported))
        yield found


def _error(imported: ImportedObject) -> PasserelleError:
    assert imported.error is not None  # neither context nor record: an error
    return imported.error


def _received(candidate: _Candidate, outcome: ImportOutcome) -> Received:
    if outcome.status in (ImportStatus.CREATED, ImportStatus.UPDATED):
        result = Outcome.STORED
    elif outcome.status is ImportStatus.UNCHANGED:
        result = Outcome.UNCHANGED
    else:
        return Received(candidate.object_id, candidate.version, Outcome.REJECTED,
                        outcome.record_id or candidate.record_id, outcome.detail)
    return Received(candidate.object_id, candidate.version, result,
                    outcome.record_id or candidate.record_id)
