"""The inbox: the collection partner nodes post urgent objects to (TAXII ``add_objects``).

Each node has, next to the records it releases, one collection that partner nodes write to
and never read (``can_read: false``, ``can_write: true``): a partner's outbox
(:mod:`passerelle.federation.outbox`) posts there the revocations, and later the alerts and hit
reports, that cannot wait for this node's next pull. The objects are applied as the partner's,
exactly as pulled ones are (:func:`passerelle.federation.receive.receive`): records owned by the
posting partner, revocations erase this node's copy of that partner's record, and a version
already held is a success that changes nothing, so that a partner may post again whatever it
is not sure arrived.

The request is processed at once: the answer is a complete status resource listing every
object as a success or a failure with its reason. Statuses are kept in memory, the latest
``STATUS_MEMORY`` of them, and shown only to the partner that posted: a partner re-posts rather
than polls (the answer already carries the status), so a status lost with a restart costs
nothing but a lookup that answers 404.
"""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from typing import Any

from passerelle.federation.receive import receive
from passerelle.interop.stix.identifiers import derived_uuid
from passerelle.interop.taxii.model import (
    STIX_MEDIA_TYPE,
    CollectionInfo,
    StatusDetail,
    StatusResource,
)
from passerelle.node import Node

STATUS_MEMORY = 10_000
MEDIA_TYPE = STIX_MEDIA_TYPE.format(spec_version="2.1")


def inbox_collection_id(agency_id: str) -> str:
    """The id of the collection partners post to on ``agency_id``'s node: the same on every
    run and on every node, so that a partner computes it without asking."""
    return derived_uuid(f"taxii-collection:{agency_id}:inbox")


class StatusBook:
    """The latest ``capacity`` statuses of add requests, each with the partner that posted;
    safe to use from several threads."""

    def __init__(self, capacity: int = STATUS_MEMORY) -> None:
        self._capacity = capacity
        self._statuses: OrderedDict[str, tuple[str, StatusResource]] = OrderedDict()
        self._lock = threading.Lock()

    def keep(self, poster: str, status: StatusResource) -> None:
        """Remember ``status`` for ``poster``, forgetting the oldest beyond the capacity."""
        with self._lock:
            self._statuses[status.id] = (poster, status)
            while len(self._statuses) > self._capacity:
                self._statuses.popitem(last=False)

    def find(self, status_id: str, requester: str) -> StatusResource | None:
        """The status, when ``requester`` posted it and it is still remembered."""
        with self._lock:
            found = self._statuses.get(status_id)
        return found[1] if found is not None and found[0] == requester else None


class Inbox:
    """The inbox collection of ``node``."""

    def __init__(self, node: Node, statuses: StatusBook | None = None) -> None:
        self._node = node
        self._agency = node.settings.agency_id
        self.id = inbox_collection_id(self._agency)
        self._statuses = statuses or StatusBook()

    def info(self, partner: str) -> CollectionInfo:
        """The collection as ``partner`` sees it: write-only."""
        return CollectionInfo(id=self.id, title=f"Inbox of {self._agency}",
                              description=f"Urgent objects {partner} pushes to "
                              f"{self._agency} (revocations, alerts, hit reports)",
                              can_read=False, can_write=True, media_types=(MEDIA_TYPE,))

    def add(self, partner: str, objects: Sequence[Mapping[str, Any]]) -> StatusResource:
        """Apply ``objects`` as ``partner``'s; every outcome is in the complete status."""
        requested_at = self._node.clock.now()
        successes: list[StatusDetail] = []
        failures: list[StatusDetail] = []
        for received in receive(self._node, partner, objects):
            detail = StatusDetail(received.object_id, received.version, received.message)
            (successes if received.ok else failures).append(detail)
        status = StatusResource.complete(str(uuid.uuid4()), requested_at, successes, failures)
        self._statuses.keep(partner, status)
        return status

    def status(self, status_id: str, partner: str) -> StatusResource | None:
        """A status of a request ``partner`` posted, while remembered."""
        return self._statuses.find(status_id, partner)
