"""Pulling a partner's feed over TAXII 2.1: what the partner released to this node.

For each partner, the node asks the partner's TAXII server (``<base url>passerelle/
collections/<collection>/objects/``) for the objects added after its checkpoint, every request
signed with the node's key (RFC 9421). Each page is applied, then the checkpoint moves to the
page's ``X-TAXII-Date-Added-Last``:

- a STIX object becomes a record owned by the partner, through the same import path as a
  file (``ImportService``): validated, audited, planned for this node's own partners under the
  onward-transfer rules (H2, TLP, the originator's consents);
- a revoked object (withdrawn or erased at the originator) erases this node's copy, audited
  with the partner as the reason (LED Art. 7(3), 16).

Both are ``federation.receive``'s, which the inbox a partner pushes to uses too.

A pull killed at any point resumes from its checkpoint: a page applied but not checkpointed is
applied again, and an object already stored at that version is left unchanged, so nothing is
lost or doubled.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx
import orjson

from passerelle.api.federation_taxii import ROOT, collection_id
from passerelle.errors import NotFound, PasserelleError
from passerelle.federation.keys import NodeKey
from passerelle.federation.receive import Outcome, partner_caller, receive
from passerelle.federation.signing_auth import SigningAuth
from passerelle.interop.taxii.timestamps import parse_timestamp
from passerelle.node import Node

__all__ = ["PAGE", "TAXII", "ClientFactory", "PullReport", "Puller", "default_client",
           "partner_caller", "pull_all", "pull_each"]

TAXII = "application/taxii+json;version=2.1"
PAGE = 500

ClientFactory = Callable[[str], httpx.Client]
"""Builds the HTTP client for a partner's base URL (tests hand in an in-process one)."""


def default_client(base_url: str) -> httpx.Client:
    """A client for a partner node: no redirects (a redirected request is not re-signed)."""
    return httpx.Client(base_url=base_url, timeout=30.0, follow_redirects=False)


@dataclass
class PullReport:
    """What one pull from one partner did."""

    partner: str
    pages: int = 0
    received: int = 0
    unchanged: int = 0
    erased: int = 0
    rejected: list[str] = field(default_factory=list)
    checkpoint: dt.datetime | None = None


class Puller:
    """Pulls the partners' feeds into ``node``, signing with ``key``."""

    def __init__(self, node: Node, key: NodeKey,
                 clients: ClientFactory = default_client) -> None:
        self._node = node
        self._key = key
        self._clients = clients

    def pull(self, partner: str, *, page_size: int = PAGE,
             progress: Callable[[PullReport], None] | None = None) -> PullReport:
        """Take everything new from one partner's feed; see the module docstring."""
        base = self._node.peers.base_url(partner)
        if base is None:
            raise NotFound(f"no active peer key for {partner}: register it with "
                           "`passerelle peer add`", field="partner")
        report = PullReport(partner)
        path = f"{ROOT}/collections/{collection_id(partner)}/objects/"
        with self._clients(base) as client:
            while True:
                with self._node.transactions() as tx:
                    since = tx.federation.checkpoint(partner)
                params: dict[str, Any] = {"limit": page_size}
                if since is not None:
                    params["added_after"] = since.astimezone(dt.UTC).strftime(
                        "%Y-%m-%dT%H:%M:%S.%fZ")
                response = client.get(path, params=params, headers={"Accept": TAXII},
                                      auth=SigningAuth(self._key, self._node.clock))
                response.raise_for_status()
                envelope = orjson.loads(response.content)
                objects = envelope.get("objects") or []
                self._apply(partner, objects, report)
                moment = parse_timestamp(response.headers.get("X-TAXII-Date-Added-Last"))
                if objects and moment is not None:
                    with self._node.transactions() as tx:
                        tx.federation.set_checkpoint(partner, moment, self._node.clock.now())
                        tx.commit()
                    report.checkpoint = moment
                report.pages += 1
                if progress is not None:
                    progress(report)
                if not envelope.get("more") or not objects:
                    return report

    def _apply(self, partner: str, objects: list[dict[str, Any]], report: PullReport) -> None:
        for received in receive(self._node, partner, objects):
            if received.outcome is Outcome.STORED:
                report.received += 1
            elif received.outcome is Outcome.UNCHANGED:
                report.unchanged += 1
            elif received.outcome is Outcome.ERASED:
                report.erased += 1
            elif received.outcome is Outcome.REJECTED:
                report.rejected.append(f"{received.record_id}: {received.detail}")


def pull_each(node: Node, key: NodeKey, partners: Sequence[str],
              clients: ClientFactory = default_client) -> dict[str, PullReport | PasserelleError]:
    """Pull each of ``partners``; a partner that fails (no active key, down, answering an
    error) does not stop the others: its error is its result."""
    puller = Puller(node, key, clients)
    results: dict[str, PullReport | PasserelleError] = {}
    for agency in partners:
        try:
            results[agency] = puller.pull(agency)
        except PasserelleError as error:
            results[agency] = error
        except httpx.HTTPError as error:  # the partner is down or answered an error
            results[agency] = PasserelleError(f"pull from {agency} failed: "
                                              f"{type(error).__name__}: {error}")
    return results


def pull_all(node: Node, key: NodeKey, clients: ClientFactory = default_client
             ) -> list[PullReport | PasserelleError]:
    """Pull every partner that has an active peer key; a partner that fails does not stop
    the others (its error is in the list)."""
    partners = sorted({peer.agency_id for peer in node.peers.list() if peer.active})
    return list(pull_each(node, key, partners, clients).values())
