"""Lawful transfers to partners: legal bases, the transfer decision and the transfer record.

Law Enforcement Directive (EU) 2016/680, Chapter V: personal data may go to an authority of a
third country only on a recorded basis — an adequacy decision (Art. 36, none exists for
Morocco's police data), appropriate safeguards in a legally binding instrument (Art. 37, an
agreement) or a derogation for a specific situation (Art. 38, with its justification). Every
such transfer is documented: date and time, receiving authority, justification, data sent
(Art. 37(3), 38(3)). Between EU members the Directive itself is the basis. Morocco's Law
09-08 (Art. 43-44) puts the same demand on data leaving Morocco: a node outside the EU needs
a recorded basis for every partner abroad.

A record received from a partner is never passed on without the originator's recorded
authorisation (Art. 35(1)(e)): that rule sits in :func:`passerelle.domain.policy.decide_release`
(``consents``); this module adds the legal basis on top of it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from passerelle.domain.agencies import Agency
from passerelle.domain.audit import AuditAction, AuditEvent
from passerelle.domain.policy import ALLOW, Decision
from passerelle.domain.records import Record
from passerelle.errors import ValidationFailed


class BasisKind(StrEnum):
    """The legal ground on which data goes to a partner."""

    EU_DIRECTIVE = "eu_directive"  # both EU members: Directive (EU) 2016/680 itself
    ADEQUACY = "adequacy"  # Art. 36: an adequacy decision of the Commission
    AGREEMENT = "agreement"  # Art. 37(1)(a): a legally binding instrument
    SAFEGUARDS = "safeguards"  # Art. 37(1)(b): the controller's assessment of safeguards
    DEROGATION = "derogation"  # Art. 38: a derogation for a specific situation
    NOT_REQUIRED = "not_required"  # no personal data: only a transfer record, no basis


THIRD_COUNTRY_BASES = frozenset({BasisKind.ADEQUACY, BasisKind.AGREEMENT, BasisKind.SAFEGUARDS,
                                 BasisKind.DEROGATION})


@dataclass(frozen=True, slots=True)
class LegalBasis:
    """The recorded basis for transfers to one partner agency.

    ``reference`` names the instrument (the agreement, the adequacy decision, the safeguards
    assessment); ``justification`` says why (mandatory for a derogation, which must be
    specific); ``expires`` ends a derogation or an agreement's term.
    """

    partner: str
    kind: BasisKind
    reference: str
    justification: str
    recorded_at: dt.datetime
    recorded_by: str
    expires: dt.date | None = None

    def check_for(self, sender: Agency, partner: Agency) -> None:
        """Refuse a basis that does not fit the pair of agencies, naming the field."""
        if partner.id != self.partner:
            raise ValidationFailed(f"the basis is for {self.partner}, not {partner.id}",
                                   field="partner")
        crossing = crosses_border(sender, partner)
        if self.kind is BasisKind.NOT_REQUIRED:
            raise ValidationFailed("not a legal basis: it only labels transfers of data that "
                                   "names nobody", field="kind")
        if self.kind is BasisKind.EU_DIRECTIVE and crossing:
            raise ValidationFailed(
                f"data from {sender.country} to {partner.country} leaves the Directive's "
                "reach: record an adequacy decision, an agreement, safeguards or a derogation",
                field="kind")
        if self.kind in THIRD_COUNTRY_BASES and not crossing:
            raise ValidationFailed(f"{sender.country} and {partner.country} are EU members: "
                                   "the basis is the Directive", field="kind")
        if self.kind in (BasisKind.ADEQUACY, BasisKind.AGREEMENT, BasisKind.SAFEGUARDS) \
                and not self.reference.strip():
            raise ValidationFailed("name the decision, agreement or assessment",
                                   field="reference")
        if self.kind is BasisKind.DEROGATION and len(self.justification.strip()) < 20:
            raise ValidationFailed("a derogation needs its specific justification "
                                   "(at least 20 characters)", field="justification")

    def in_force(self, today: dt.date) -> bool:
        """False once the basis has expired."""
        return self.expires is None or today <= self.expires


def crosses_border(sender: Agency, partner: Agency) -> bool:
    """Whether data going from ``sender`` to ``partner`` leaves the EU's common regime.

    From an EU member to a third country (LED Chapter V), or from a third country's node to
    anyone abroad (its own law, such as Morocco's Law 09-08, Art. 43-44).
    """
    return not (sender.eu_member and partner.eu_member)


def holds_personal_data(record: Record) -> bool:
    """Whether the record is about an identifiable person (a person, their document, an alert
    on them, an individual kept as received)."""
    return record.holds_personal_data


def decide_transfer(record: Record, sender: Agency, partner: Agency,
                    basis: LegalBasis | None, today: dt.date) -> Decision:
    """May personal data in ``record`` go to ``partner`` under the recorded ``basis``?

    Only the transfer law is decided here; releasability, TLP, handling codes and consents
    are :func:`passerelle.domain.policy.decide_release`'s.
    """
    if not holds_personal_data(record):
        return ALLOW
    return decide_personal_transfer(sender, partner, basis, today)


def decide_personal_transfer(sender: Agency, partner: Agency, basis: LegalBasis | None,
                             today: dt.date) -> Decision:
    """May personal data (a record, a hit report, a reply about a hit) go to ``partner``
    under the recorded ``basis``?"""
    if not crosses_border(sender, partner):
        return ALLOW
    if basis is None:
        return Decision(False, f"no legal basis is recorded for transfers of personal data "
                               f"from {sender.country} to {partner.id} ({partner.country})",
                        "no_legal_basis")
    if basis.kind not in THIRD_COUNTRY_BASES:
        return Decision(False, f"the basis recorded for {partner.id} does not cover a transfer "
                               "out of the EU's common regime", "no_legal_basis")
    if not basis.in_force(today):
        return Decision(False, f"the legal basis for {partner.id} expired on {basis.expires}",
                        "no_legal_basis")
    return ALLOW


@dataclass(frozen=True, slots=True)
class TransferRecord:
    """One disclosure of a record to a partner, as the auditor exports it.

    ``digest`` is the SHA-256 of the exact bytes sent; ``summary`` says what they held
    (kind, version, markings) without repeating the personal data in the log.
    """

    id: str
    at: dt.datetime
    sender: str
    recipient: str
    record_id: str
    version: int
    basis: BasisKind
    reference: str
    justification: str
    digest: str
    summary: str
    channel: str


def digest_of(payload: bytes) -> str:
    """The hex SHA-256 of the bytes sent."""
    return hashlib.sha256(payload).hexdigest()


def transfer_of(record: Record, basis: LegalBasis | None, payload: bytes, *, at: dt.datetime,
                sender: str, partner: str, crossing: bool, channel: str) -> TransferRecord:
    """The transfer record of sending ``payload`` (this version of ``record``) to ``partner``
    now, on ``basis`` (``crossing``: whether it leaves the EU's common regime).

    Every sending is a transfer of its own, with its own id, even of a version sent before."""
    if not crossing:
        kind = BasisKind.EU_DIRECTIVE
    elif holds_personal_data(record) and basis is not None:
        kind = basis.kind
    else:
        kind = BasisKind.NOT_REQUIRED
    markings = record.markings
    summary = (f"{record.kind.value} v{record.version}, TLP:{markings.tlp.value}, "
               f"{markings.handling_code.value}")
    return TransferRecord(
        id=f"transfer--{uuid.uuid4()}", at=at, sender=sender, recipient=partner,
        record_id=record.id, version=record.version, basis=kind,
        reference=basis.reference if basis is not None and crossing else "",
        justification=(basis.justification if basis is not None and crossing else "")
        or markings.purpose,  # the purpose the record was collected for
        digest=digest_of(payload), summary=summary, channel=channel)


def disclosure_of(partner: str, channel: str, transfers: Sequence[TransferRecord]) -> AuditEvent:
    """One audit entry for the versions sent to ``partner`` in one answer or one push: each is
    in the transfer register (with its basis, justification and digest), and the entry names
    them all; a single record is also the entry's ``record_id``, so the auditor finds it by
    record."""
    justifications = sorted({t.justification for t in transfers})
    return AuditEvent(
        AuditAction.DISCLOSURE, f"node:{partner}", partner,
        transfers[0].record_id if len(transfers) == 1 else None, "; ".join(justifications),
        {"recipient": partner, "channel": channel,
         "bases": sorted({t.basis.value for t in transfers}),
         "sent": [[t.record_id, t.version, t.id] for t in transfers]})
