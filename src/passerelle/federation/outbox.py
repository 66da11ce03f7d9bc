"""Pushing the outbox: due items are posted to each partner's inbox until it confirms them.

For each partner with due work (``services.outbox.OutboxService.due``), the sender posts a
TAXII envelope to ``<base url>passerelle/collections/<inbox>/objects/``
(``api.federation_inbox``), signed with the node's key (RFC 9421, ``SigningAuth``), and reads
the status the partner answers with (202, processed at once):

- an item whose object is among the status's successes (same id and version) is delivered;
- anything else is a failed attempt, tried again after its back-off
  (``domain.outbox.retry_delay``: 1 s, 2 s, 4 s... up to 5 minutes): an object the partner
  refused (with its message), a status that does not name it, an answer other than 202, a
  partner that cannot be reached, a partner with no active key (no URL to post to).

Nothing is given up: a partner that is down gets everything when it returns. When a partner
cannot be reached (or answers other than 202), all its waiting items are postponed by the
partner's own back-off (the same schedule, counted in failures in a row), so that a partner
that is down is asked once per back-off, not once per item or per pass, and due work stays a
short index range however long the backlog grows.

Delivery is at least once. The sender marks an item delivered only after the partner
confirmed it; a sender stopped in between posts it again after its restart, and the partner
stores a version it already holds as a success that changes nothing. Two senders on the same
database (a running node and ``passerelle federation sync``) may post the same item twice, for
the same reason harmlessly. One envelope never carries two items of the same object (the
partner's import would refuse the second as a duplicate): the later waits for the next round.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

import httpx
import orjson

from passerelle.api.federation_inbox import inbox_collection_id
from passerelle.api.federation_taxii import ROOT
from passerelle.domain.outbox import OutboxItem
from passerelle.federation.keys import NodeKey
from passerelle.federation.signing_auth import SigningAuth
from passerelle.node import Node

TAXII = "application/taxii+json;version=2.1"
BATCH = 100
DEFAULT_INTERVAL_S = 0.1
PURGE_EVERY_S = 3600.0
TIMEOUT_S = 10.0

log = logging.getLogger("passerelle.federation.outbox")

ClientFactory = Callable[[str], httpx.Client]
"""Builds the HTTP client for a partner's base URL (tests hand in an in-process one)."""


def default_client(base_url: str) -> httpx.Client:
    """A client for a partner's node: no redirects (a redirected request is not re-signed)."""
    return httpx.Client(base_url=base_url, timeout=TIMEOUT_S, follow_redirects=False)


@dataclass
class PushReport:
    """What one pass of the sender did: items delivered and failed attempts, per partner,
    and each partner's last error."""

    delivered: dict[str, int] = field(default_factory=dict)
    failed: dict[str, int] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    def count(self, partner: str, delivered: int, failed: int) -> None:
        """Add one round's outcome."""
        if delivered:
            self.delivered[partner] = self.delivered.get(partner, 0) + delivered
        if failed:
            self.failed[partner] = self.failed.get(partner, 0) + failed


class _Failure(Exception):
    """The whole round failed: nothing the partner said confirms any item."""


class OutboxSender:
    """Posts ``node``'s due outbox items to its partners, signing with ``key``.

    Holds one HTTP client per partner URL (kept alive between passes): ``close`` it, or use it
    as a context manager. ``run_once`` is one pass; ``run_forever`` repeats passes until told
    to stop.
    """

    def __init__(self, node: Node, key: NodeKey, clients: ClientFactory = default_client, *,
                 batch: int = BATCH) -> None:
        self._node = node
        self._auth = SigningAuth(key, node.clock)
        self._clients = clients
        self._batch = batch
        self._open: dict[str, httpx.Client] = {}
        self._failures: dict[str, int] = {}
        self._down_until: dict[str, dt.datetime] = {}
        self._wake = threading.Event()
        self._next_purge = 0.0

    def __enter__(self) -> OutboxSender:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Close the HTTP clients."""
        clients, self._open = self._open, {}
        for client in clients.values():
            client.close()

    def wake(self) -> None:
        """Make a waiting ``run_forever`` start its next pass now."""
        self._wake.set()

    def run_forever(self, stop: threading.Event,
                    interval: float = DEFAULT_INTERVAL_S) -> None:
        """Pass after pass, ``interval`` seconds apart or at once when urgent work is
        enqueued through ``OutboxService.enqueue``, until ``stop`` is set (then within
        ``interval``). A pass that fails (a database error) is logged; the next one comes."""
        unsubscribe = self._node.outbox.on_enqueue(self.wake)
        try:
            while not stop.is_set():
                try:
                    self.run_once()
                except Exception:  # the loop outlives a bad pass; the error is logged
                    log.exception("outbox pass of %s failed", self._node.settings.agency_id)
                self._wake.wait(interval)
                self._wake.clear()
        finally:
            unsubscribe()
            self.close()

    def run_once(self, partner: str | None = None) -> PushReport:
        """Post every item due now (of ``partner`` only, when given), each at most once."""
        self._purge()
        report = PushReport()
        attempted: set[str] = set()
        while True:
            due = self._node.outbox.due(self._batch, partner)
            items = [i for i in due if i.id not in attempted]
            if not items:
                return report
            batches = _by_partner(items)
            for current, batch in batches.items():
                attempted.update(item.id for item in batch)
                if not self._held(current):
                    self._round(current, batch, report)
            if len(due) < self._batch and sum(map(len, batches.values())) == len(items):
                return report  # nothing more was due, nothing was held back: no need to ask

    def _held(self, partner: str) -> bool:
        """Whether ``partner`` is in its back-off (it could not be reached): items enqueued
        meanwhile join the back-off instead of each counting as one more failure, which
        would stretch the back-off of a partner that is merely restarting."""
        until = self._down_until.get(partner)
        if until is None or self._node.clock.now() >= until:
            return False
        self._node.outbox.hold(partner, until)
        return True

    def _purge(self) -> None:
        if time.monotonic() >= self._next_purge:
            self._node.outbox.purge()
            self._next_purge = time.monotonic() + PURGE_EVERY_S

    def _round(self, partner: str, batch: list[OutboxItem], report: PushReport) -> None:
        """Post one envelope to ``partner`` and record what became of each item."""
        try:
            confirmed, refused = self._post(partner, batch)
        except _Failure as failure:
            self._fail(partner, [item.id for item in batch], str(failure), report)
            self._failures[partner] = self._failures.get(partner, 0) + 1
            self._down_until[partner] = self._node.outbox.partner_down(
                partner, self._failures[partner])
            return
        self._failures.pop(partner, None)
        self._down_until.pop(partner, None)
        delivered = {i.id for i in batch if (i.object_id, i.object_version) in confirmed}
        self._node.outbox.delivered(sorted(delivered))
        report.count(partner, len(delivered), 0)
        reasons: dict[str, list[str]] = {}
        for item in batch:
            if item.id not in delivered:
                reason = refused.get((item.object_id, item.object_version),
                                     "not confirmed by the partner's status")
                reasons.setdefault(reason, []).append(item.id)
        for reason, item_ids in reasons.items():
            self._fail(partner, item_ids, reason, report)

    def _fail(self, partner: str, item_ids: Sequence[str], error: str,
              report: PushReport) -> None:
        self._node.outbox.failed(item_ids, error)
        report.count(partner, 0, len(item_ids))
        report.errors[partner] = error
        log.info("outbox: %d item(s) for %s not delivered: %s", len(item_ids), partner, error)

    def _post(self, partner: str, batch: list[OutboxItem]
              ) -> tuple[set[tuple[str, str]], dict[tuple[str, str], str]]:
        """The (id, version) pairs the partner confirmed and the reasons of those it
        refused; ``_Failure`` when there is no usable answer."""
        base = self._node.peers.base_url(partner)
        if base is None:
            raise _Failure(f"no active peer key for {partner}: register it with "
                           "`passerelle peer add`")
        path = f"{ROOT}/collections/{inbox_collection_id(partner)}/objects/"
        body = orjson.dumps({"objects": [dict(item.object) for item in batch]})
        try:
            response = self._client(base).post(
                path, content=body, headers={"Content-Type": TAXII, "Accept": TAXII},
                auth=self._auth)
        except httpx.HTTPError as error:
            raise _Failure(f"{partner} could not be reached: {type(error).__name__}: "
                           f"{error}") from None
        if response.status_code != 202:
            raise _Failure(f"{partner} answered HTTP {response.status_code}: "
                           f"{response.text[:300]}")
        return _read_status(response.content, partner)

    def _client(self, base: str) -> httpx.Client:
        client = self._open.get(base)
        if client is None:
            client = self._open[base] = self._clients(base)
        return client


def _by_partner(items: list[OutboxItem]) -> dict[str, list[OutboxItem]]:
    """The items of each partner, in order, one per object (a later one of the same object
    waits for the next round)."""
    batches: dict[str, list[OutboxItem]] = {}
    seen: set[tuple[str, str]] = set()
    for item in items:
        if (item.partner, item.object_id) not in seen:
            seen.add((item.partner, item.object_id))
            batches.setdefault(item.partner, []).append(item)
    return batches


def _read_status(content: bytes, partner: str
                 ) -> tuple[set[tuple[str, str]], dict[tuple[str, str], str]]:
    try:
        status = orjson.loads(content)
    except orjson.JSONDecodeError:
        raise _Failure(f"{partner} answered 202 without a TAXII status") from None
    if not isinstance(status, Mapping):
        raise _Failure(f"{partner} answered 202 without a TAXII status")
    confirmed = {key for key, _ in _details(status.get("successes"))}
    refused = {key: message or "refused by the partner"
               for key, message in _details(status.get("failures"))}
    return confirmed, refused


def _details(value: Any) -> list[tuple[tuple[str, str], str]]:
    """(id, version) and message of each well-formed status detail."""
    found = []
    for detail in value if isinstance(value, list) else []:
        if isinstance(detail, Mapping) and isinstance(detail.get("id"), str):
            version = detail.get("version")
            found.append(((detail["id"], version if isinstance(version, str) else ""),
                          str(detail.get("message") or "")))
    return found
