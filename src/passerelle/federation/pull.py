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

import contextlib
import datetime as dt
import queue
import threading
from collections.abc import Callable, Iterator, Sequence
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
from passerelle.ports import Clock

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
        """Take everything new from one partner's feed; see the module docstring.

        The next page is fetched while this one is applied (one page ahead, in a thread), so
        that the partner's server and this node's store work at the same time; the checkpoint
        moves only once a page is applied.
        """
        base = self._node.peers.base_url(partner)
        if base is None:
            raise NotFound(f"no active peer key for {partner}: register it with "
                           "`passerelle peer add`", field="partner")
        report = PullReport(partner)
        with self._node.transactions() as tx:
            since = tx.federation.checkpoint(partner)
        with self._clients(base) as client, \
                _PageFetcher(client, self._key, self._node.clock, partner, page_size,
                             since) as pages:
            for page in pages:
                self._apply(partner, page.objects, report)
                if page.objects and page.last is not None:
                    with self._node.transactions() as tx:
                        tx.federation.set_checkpoint(partner, page.last, self._node.clock.now())
                        tx.commit()
                    report.checkpoint = page.last
                report.pages += 1
                if progress is not None:
                    progress(report)
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


@dataclass(frozen=True)
class _Page:
    objects: list[dict[str, Any]]
    last: dt.datetime | None


_DONE = object()


class _PageFetcher:
    """The pages of a partner's feed after ``since``, fetched one page ahead in a thread.

    Iterating yields each page in order; an error of the fetching thread (the partner down,
    an error status, a page without ``X-TAXII-Date-Added-Last``) is raised where the next
    page was expected. Leaving the context stops the thread.
    """

    def __init__(self, client: httpx.Client, key: NodeKey, clock: Clock, partner: str,
                 page_size: int, since: dt.datetime | None) -> None:
        self._client, self._auth = client, SigningAuth(key, clock)
        self._path = f"{ROOT}/collections/{collection_id(partner)}/objects/"
        self._partner, self._page_size, self._since = partner, page_size, since
        self._queue: queue.Queue[object] = queue.Queue(maxsize=1)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"pull-{partner}", daemon=True)

    def __enter__(self) -> _PageFetcher:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        while self._thread.is_alive():
            with contextlib.suppress(queue.Empty):  # unblock a thread handing over a page
                self._queue.get_nowait()
            self._thread.join(0.05)

    def __iter__(self) -> Iterator[_Page]:
        while True:
            item = self._queue.get()
            if item is _DONE:
                return
            if isinstance(item, BaseException):
                raise item
            assert isinstance(item, _Page)
            yield item

    def _run(self) -> None:
        try:
            since = self._since
            while not self._stop.is_set():
                page, more = self._fetch(since)
                self._hand_over(page)
                if not more or not page.objects:
                    break
                since = page.last
            self._hand_over(_DONE)
        except BaseException as error:
            self._hand_over(error)

    def _hand_over(self, item: object) -> None:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.05)
                return
            except queue.Full:
                continue

    def _fetch(self, since: dt.datetime | None) -> tuple[_Page, bool]:
        params: dict[str, Any] = {"limit": self._page_size}
        if since is not None:
            params["added_after"] = since.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        response = self._client.get(self._path, params=params, headers={"Accept": TAXII},
                                    auth=self._auth)
        response.raise_for_status()
        envelope = orjson.loads(response.content)
        objects = envelope.get("objects") or []
        last = parse_timestamp(response.headers.get("X-TAXII-Date-Added-Last"))
        if objects and last is None:
            raise PasserelleError(f"{self._partner}'s page of {len(objects)} objects has no "
                                  "X-TAXII-Date-Added-Last: cannot tell where to go on")
        return _Page(objects, last), bool(envelope.get("more"))


def pull_each(node: Node, key: NodeKey, partners: Sequence[str],
              clients: ClientFactory = default_client, *, page_size: int = PAGE
              ) -> dict[str, PullReport | PasserelleError]:
    """Pull each of ``partners`` (``page_size`` objects a request); a partner that fails (no
    active key, down, answering an error) does not stop the others: its error is its
    result."""
    puller = Puller(node, key, clients)
    results: dict[str, PullReport | PasserelleError] = {}
    for agency in partners:
        try:
            results[agency] = puller.pull(agency, page_size=page_size)
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
