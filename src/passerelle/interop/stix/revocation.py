"""The revoked version of a record's STIX object: how a partner learns to remove its copy.

A record withdrawn from a partner (its markings no longer allow it, the legal basis lapsed) or
erased at its originator reaches the partner's node as a new version of its STIX object with
``revoked: true`` and no content (LED Art. 7(3) and 16): nothing the partner may no longer hold
travels with it. The same object is served in the partner's TAXII feed and pushed through the
outbox, so that a node that receives it both ways sees one version, not two.

``modified`` is the moment the record was withdrawn or erased for that partner (the feed
entry's ``date_added``), which is later than any version the partner was sent before.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from passerelle.interop.stix.identifiers import format_timestamp, stix_id


def revocation(record_id: str, revoked_at: dt.datetime,
               created: dt.datetime | None = None) -> dict[str, Any]:
    """The revoked version of ``record_id``'s object, revoked at ``revoked_at``.

    ``created`` is the record's creation when still known; an erased record's is not, and
    ``revoked_at`` stands in for it (STIX requires ``created <= modified``).
    """
    stamp = format_timestamp(revoked_at)
    object_id = stix_id(record_id)
    return {"type": object_id.partition("--")[0], "spec_version": "2.1", "id": object_id,
            "created": format_timestamp(created) if created is not None else stamp,
            "modified": stamp, "revoked": True}


def is_revocation(obj: Mapping[str, Any]) -> bool:
    """True for a revoked version (whatever else it carries)."""
    return obj.get("revoked") is True
