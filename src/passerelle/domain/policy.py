"""The one place that decides who may see and do what with a record.

Every read path (get, search, list, export, federation) and every write path asks
``decide``; nothing else interprets markings. The rules, in the order they are applied:

1. Roles limit actions (an auditor or administrator does not read records; only analysts edit).
2. A compartment limits a record to its members, and is never released to a partner.
3. TLP:RED limits a record to its named recipients (``user:<id>`` / ``agency:<id>``); the
   author always keeps access.
4. Records of another agency are visible to a local user only if that agency released them to
   the user's agency.
5. Releasability limits which partners may receive a record; a record received from a partner
   is passed on only when TLP allows it beyond the recipient (GREEN, CLEAR) and never when
   handling code H2 forbids passing on.
6. A record whose review is overdue is blocked for consultation until a reviewer reviews it.

``decide`` is pure and total: it never raises, and says why in ``Decision.reason``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum

from passerelle.domain.agencies import Agency
from passerelle.domain.markings import HandlingCode, Tlp
from passerelle.domain.records import Record
from passerelle.domain.users import Role, User


class Action(str, Enum):
    """What someone wants to do with a record."""

    READ = "read"  # get, search, list: consultation
    EXPORT = "export"  # take a copy out of the node (file, STIX bundle)
    CREATE = "create"
    EDIT = "edit"
    ERASE = "erase"
    REVIEW = "review"  # confirm the record is still needed and set the next review date
    RELEASE = "release"  # send to a partner agency (federation)


CONSULTING = frozenset({Action.READ, Action.EXPORT})

ROLES_FOR: dict[Action, frozenset[Role]] = {
    Action.READ: frozenset({Role.ANALYST, Role.REVIEWER, Role.RELEASER}),
    Action.EXPORT: frozenset({Role.ANALYST}),
    Action.CREATE: frozenset({Role.ANALYST}),
    Action.EDIT: frozenset({Role.ANALYST}),
    Action.ERASE: frozenset({Role.ANALYST, Role.REVIEWER}),
    Action.REVIEW: frozenset({Role.REVIEWER}),
    Action.RELEASE: frozenset({Role.RELEASER}),
}

# How far TLP lets a *recipient* pass a record on to another partner.
ONWARD_TLP = frozenset({Tlp.GREEN, Tlp.CLEAR})


@dataclass(frozen=True, slots=True)
class Decision:
    """The answer of the policy, with the reason a person can read."""

    allowed: bool
    reason: str
    code: str = "forbidden"

    def __bool__(self) -> bool:
        return self.allowed


ALLOW = Decision(True, "allowed", "allowed")


def _deny(reason: str, code: str = "forbidden") -> Decision:
    return Decision(False, reason, code)


def _tlp_red_allows(record: Record, principals: frozenset[str]) -> bool:
    return bool(record.markings.recipients & principals)


def visibility(user: User, record: Record) -> Decision:
    """Whether the record is within the user's reach at all, whatever their roles: the
    need-to-know rules (compartment, TLP:RED recipients, releasability to their agency)."""
    markings = record.markings
    if markings.compartment is not None and markings.compartment not in user.compartments:
        return _deny(f"need-to-know: compartment {markings.compartment}")
    own_agency = record.owner_agency == user.agency_id
    if markings.tlp is Tlp.RED and record.created_by != user.id:
        principals = {user.principal} if own_agency else {user.principal,
                                                          f"agency:{user.agency_id}"}
        if not _tlp_red_allows(record, frozenset(principals)):
            return _deny("TLP:RED: named recipients only")
    if not own_agency and user.agency_id not in markings.releasable_to:
        return _deny(f"not released to agency {user.agency_id}")
    return ALLOW


def may_act(user: User, action: Action) -> Decision:
    """Whether the user's account and roles allow ``action`` on some record at all."""
    if not user.active:
        return _deny("the account is disabled")
    if not (user.roles & ROLES_FOR[action]):
        return _deny(f"the {action.value} action needs one of the roles "
                     + ", ".join(sorted(r.value for r in ROLES_FOR[action])), "role")
    return ALLOW


def decide(user: User, record: Record, action: Action, today: dt.date) -> Decision:
    """May this local ``user`` perform ``action`` on ``record``?"""
    allowed = may_act(user, action)
    if not allowed:
        return allowed
    reach = visibility(user, record)
    if not reach.allowed:
        return reach
    if record.owner_agency != user.agency_id and action in (
            Action.EDIT, Action.ERASE, Action.REVIEW):
        return _deny("only the owner agency may change its records")
    if action in CONSULTING and record.markings.review_overdue(today):
        return _deny("the review date has passed: a reviewer must review it first",
                     "review_overdue")
    if action is Action.RELEASE:
        return _deny("use decide_release to release a record to a partner")
    return ALLOW


def decide_release(record: Record, sender: Agency, partner: Agency,
                   consents: frozenset[str] = frozenset()) -> Decision:
    """May the node of ``sender`` send ``record`` to the node of ``partner``?

    ``consents`` lists agencies for which the owner has recorded permission to pass the record
    on (H2, onward transfer).
    """
    markings = record.markings
    if partner.id == sender.id:
        return _deny("a node does not release to itself")
    if markings.compartment is not None:
        return _deny("compartmented records are never released")
    if partner.id not in markings.releasable_to:
        return _deny(f"not releasable to {partner.id}")
    if markings.tlp is Tlp.RED and f"agency:{partner.id}" not in markings.recipients:
        return _deny("TLP:RED: the partner is not a named recipient")
    if record.owner_agency != sender.id:
        if partner.id == record.owner_agency:
            return _deny("a record is not sent back to its owner")
        if markings.handling_code is HandlingCode.H2 and partner.id not in consents:
            return _deny("H2: not passed on without the provider's permission")
        if markings.tlp not in ONWARD_TLP and partner.id not in consents:
            return _deny(f"TLP:{markings.tlp.value} does not allow passing on")
    return ALLOW


def decide_receipt(record: Record, agency_id: str) -> Decision:
    """May the node of ``agency_id`` hold ``record``, which a partner's node sent it? The
    mirror of :func:`decide_release`, checked on arrival: the record must be releasable to
    this agency and, if TLP:RED, name it among its recipients; a compartment never travels.
    (The local need-to-know rules then decide which of this node's users may read it.)"""
    markings = record.markings
    if markings.compartment is not None:
        return _deny("compartmented records are never released")
    if agency_id not in markings.releasable_to:
        return _deny(f"not releasable to {agency_id}")
    if markings.tlp is Tlp.RED and f"agency:{agency_id}" not in markings.recipients:
        return _deny(f"TLP:RED: {agency_id} is not a named recipient")
    return ALLOW


def may_use_role(user: User, role: Role) -> Decision:
    """Actions that are not about one record (audit, administration) need a role."""
    if user.has(role):
        return ALLOW
    return _deny(f"needs the {role.value} role")
