"""Pulling a collection of any TAXII 2.1 server (a partner's MISP or OpenCTI feed, the OASIS
reference server) into this node.

Unlike a partner node's feed (:mod:`passerelle.federation.pull`), such a server knows nothing
of Passerelle: its objects are attributed to an agency the operator names (``owner``), read
page by page (``limit``, then ``next`` while ``more``), and imported object by object through
the file-import path (``ImportService``, partial mode): what Passerelle models is stored and
audited, what it does not is reported with the reason, and nothing stops the rest. The server
is asked with HTTP Basic credentials or a bearer token, as such servers expect.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import orjson

from passerelle.domain.users import Role, User
from passerelle.errors import BadRequest
from passerelle.interop.stix.pipeline import read_in_chunks
from passerelle.node import Node
from passerelle.services.caller import Caller
from passerelle.services.imports import ImportStatus

TAXII = "application/taxii+json;version=2.1"
MAX_PAGES = 100_000


@dataclass
class SourceReport:
    """What a pull from a TAXII collection did."""

    pages: int = 0
    objects: int = 0
    stored: int = 0
    unchanged: int = 0
    context: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)


def _candidates(chunks: Iterator[list[Any]], report: SourceReport) -> Iterator[list[Any]]:
    for chunk in chunks:
        found: list[Any] = []
        for imported in chunk:
            if imported.is_context:
                report.context += 1
                continue
            found.append(imported.record if imported.record is not None else imported.error)
        yield found


def pull_collection(node: Node, collection_url: str, owner: str, *,
                    auth: httpx.Auth | tuple[str, str] | None = None,
                    page_size: int = 100, justification: str = "",
                    client: httpx.Client | None = None,
                    progress: Callable[[SourceReport], None] | None = None) -> SourceReport:
    """Read every object of the collection at ``collection_url`` (ending in
    ``/collections/<id>/``) and import it as records owned by ``owner``."""
    if not collection_url.endswith("/"):
        collection_url += "/"
    if "/collections/" not in collection_url:
        raise BadRequest("the URL must name a collection: <api root>/collections/<id>/",
                         field="url")
    user = User(f"taxii-{owner}", f"taxii.{owner}", owner, frozenset({Role.ANALYST}),
                f"TAXII source attributed to {owner}")
    caller = Caller(user, justification or f"import from {collection_url}")
    report = SourceReport()
    http = client or httpx.Client(timeout=60.0, follow_redirects=False)
    try:
        params: dict[str, Any] = {"limit": page_size}
        for _ in range(MAX_PAGES):
            response = http.get(collection_url + "objects/", params=params,
                                headers={"Accept": TAXII}, auth=auth)
            if response.status_code != 200:
                raise BadRequest(f"the server answered {response.status_code} to "
                                 f"{response.request.url}", field="url")
            envelope = orjson.loads(response.content)
            objects = envelope.get("objects") or []
            report.pages += 1
            report.objects += len(objects)
            if objects:
                _store(node, caller, owner, objects, report)
            if progress is not None:
                progress(report)
            if not envelope.get("more") or not envelope.get("next"):
                return report
            params = {"limit": page_size, "next": envelope["next"]}
    finally:
        if client is None:
            http.close()
    return report


def _store(node: Node, caller: Caller, owner: str, objects: list[dict[str, Any]],
           report: SourceReport) -> None:
    bundle = orjson.dumps({"type": "bundle", "id": f"bundle--{uuid.uuid4()}",
                           "objects": objects})
    outcomes = node.imports.import_stream(
        caller, _candidates(read_in_chunks(bundle, default_owner=owner), report), atomic=False)
    for outcome in outcomes:
        if outcome.status in (ImportStatus.CREATED, ImportStatus.UPDATED):
            report.stored += 1
        elif outcome.status is ImportStatus.UNCHANGED:
            report.unchanged += 1
        else:
            report.rejected[outcome.code or "rejected"] += 1
            if len(report.examples) < 20:
                report.examples.append(f"{outcome.record_id or outcome.index}: "
                                       f"{outcome.field or ''} {outcome.detail or ''}".strip())
