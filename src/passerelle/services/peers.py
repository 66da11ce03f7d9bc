"""The peer registry: which partner nodes this node trusts, by the keys they sign with.

Administrators register a partner's public key (``register``) and revoke it (``revoke``); both
are audited. The request verifier asks ``key`` on every signed request: it answers only keys
still trusted, so a revoked key is refused as ``unknown_key`` from the next request on. The
node's client asks ``base_url`` where a partner serves TAXII.

This node's own agency is never a peer: its key is the node key (``federation.keys.NodeKey``),
and registering it would let anyone holding a copy of a request pass as a partner of itself.
A public key is registered once in the whole registry, under one agency, and a revoked key is
never registered again: a partner that must replace a key generates a new one.
"""

from __future__ import annotations

from dataclasses import replace

from passerelle.domain.audit import AuditAction, AuditEvent
from passerelle.domain.peers import Peer, check_key_id
from passerelle.domain.policy import may_use_role
from passerelle.domain.users import Role
from passerelle.errors import Conflict, Forbidden, NotFound, ValidationFailed
from passerelle.federation.keys import PeerKey
from passerelle.ports import Clock, UnitOfWork, UnitOfWorkFactory
from passerelle.services.caller import Caller
from passerelle.services.replay_guard import active_key


class PeerService:
    """The registered keys of the partner nodes of the node of ``agency_id``."""

    def __init__(self, transactions: UnitOfWorkFactory, clock: Clock, agency_id: str) -> None:
        self._transactions = transactions
        self._clock = clock
        self._agency_id = agency_id

    def register(self, caller: Caller, agency_id: str, public_key: str, base_url: str,
                 key_id: str | None = None) -> Peer:
        """Trust ``public_key`` (SubjectPublicKeyInfo PEM or the raw key in base64) as a key of
        ``agency_id``'s node, which serves TAXII at ``base_url``. ``key_id`` defaults to the id
        derived from the key, which is what a Passerelle node signs with.

        Errors name the field: ``agency_id`` (unknown, or this node's own), ``public_key``,
        ``key_id``, ``base_url``; ``Conflict`` when the key id or the key is registered already.
        """
        self._require_admin(caller)
        agency_id = agency_id.strip()
        if agency_id == self._agency_id:
            raise ValidationFailed("this node's own agency signs with the node key; register "
                                   "partners' keys only", field="agency_id")
        key = PeerKey.parse(agency_id, public_key, key_id.strip() if key_id else None)
        check_key_id(key.key_id)
        peer = Peer.of(key, base_url, self._clock.now(), caller.actor)
        with self._transactions() as tx:
            if tx.agencies.get(agency_id) is None:
                raise NotFound(f"no agency {agency_id}; agencies are registered by "
                               "`passerelle init`", field="agency_id")
            self._refuse_known_key(tx, peer)
            tx.peers.add(peer)
            self._log(tx, caller, "register_peer", peer, base_url=peer.base_url,
                      public_key=peer.public_key_b64)
            tx.commit()
        return peer

    def revoke(self, caller: Caller, key_id: str) -> Peer:
        """Stop trusting a key at once; it stays listed as revoked. ``NotFound`` for an unknown
        key id, ``Conflict`` for a key revoked already."""
        self._require_admin(caller)
        with self._transactions() as tx:
            peer = tx.peers.by_key_id(key_id)
            if peer is None:
                raise NotFound(f"no peer key {key_id}", field="key_id")
            if peer.revoked_at is not None:
                raise Conflict(f"the key {key_id} was revoked on {peer.revoked_at.isoformat()}",
                               field="key_id")
            now = self._clock.now()
            tx.peers.revoke(key_id, now)
            self._log(tx, caller, "revoke_peer", peer)
            tx.commit()
        return replace(peer, revoked_at=now)

    def list(self) -> list[Peer]:
        """Every registered key, revoked ones included, by agency and then oldest first."""
        with self._transactions() as tx:
            return tx.peers.list()

    def key(self, key_id: str) -> PeerKey | None:
        """The trusted key named ``key_id``, or None if it is unknown or revoked: the
        ``PeerLookup`` of the request verifier."""
        with self._transactions() as tx:
            return active_key(tx, key_id)

    def base_url(self, agency_id: str) -> str | None:
        """Where ``agency_id``'s node serves TAXII: the URL of its latest active key, or None
        when it has no active key."""
        with self._transactions() as tx:
            active = [p for p in tx.peers.for_agency(agency_id) if p.active]
        return active[-1].base_url if active else None

    @staticmethod
    def _require_admin(caller: Caller) -> None:
        if not may_use_role(caller.user, Role.ADMINISTRATOR):
            raise Forbidden("needs the administrator role")

    @staticmethod
    def _refuse_known_key(tx: UnitOfWork, peer: Peer) -> None:
        if tx.peers.by_key_id(peer.key_id) is not None:
            raise Conflict(f"the key id {peer.key_id} is already registered (a revoked key "
                           "is not registered again)", field="key_id")
        same = [p for p in tx.peers.list() if p.public_key_b64 == peer.public_key_b64]
        if same:
            raise Conflict(f"this public key is already registered as {same[0].key_id} of "
                           f"{same[0].agency_id}", field="public_key")

    @staticmethod
    def _log(tx: UnitOfWork, caller: Caller, operation: str, peer: Peer,
             **details: object) -> None:
        tx.audit.append([AuditEvent(
            AuditAction.ADMINISTRATION, caller.actor, caller.user.agency_id, None,
            caller.justification.strip(),
            {"operation": operation, "agency": peer.agency_id, "key_id": peer.key_id,
             **details})])
