"""The audit log, for auditors: search, export and verify. Read-only by design.

There is deliberately no route that edits or deletes an entry, and none must be added: the log
is the evidence that the node obeyed the law (LED Art. 25), and its hash chain would expose
any such change anyway. Every search and export is itself logged by the service.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse, Response, StreamingResponse

from passerelle.api.auth import CallerDep, NodeDep
from passerelle.api.limits import StrictJsonRoute
from passerelle.api.models import (
    AuditPage,
    ChainReportOut,
    audit_entry_out,
    chain_report_out,
    problems_for,
)
from passerelle.api.params import PageLimit, Timestamp, plain_text, timestamp
from passerelle.domain.audit import AuditAction, AuditEntry
from passerelle.ports import AuditQuery

router = APIRouter(prefix="/audit", tags=["audit"], route_class=StrictJsonRoute)
LINES_PER_CHUNK = 500
MAX_SEQ = 2**63 - 1  # the largest sequence number either database can hold


class NdjsonResponse(StreamingResponse):
    """Newline-delimited JSON: one object per line, readable while it streams."""

    media_type = "application/x-ndjson"


def audit_query(
        actor: Annotated[str | None, Query(max_length=200,
                                           examples=["user:0b8a4c2e-..."])] = None,
        record_id: Annotated[str | None, Query(max_length=120)] = None,
        action: AuditAction | None = None,
        time_from: Timestamp = None,
        time_to: Timestamp = None,
) -> AuditQuery:
    """The filters common to the search and the export."""
    return AuditQuery(actor=plain_text(actor, "actor"),
                      record_id=plain_text(record_id, "record_id"),
                      action=action.value if action else None,
                      time_from=timestamp(time_from, "time_from"),
                      time_to=timestamp(time_to, "time_to"))


AuditFilters = Annotated[AuditQuery, Depends(audit_query)]


@router.get("", response_model=AuditPage, summary="Search the audit log",
            description="Entries matching every filter, in sequence order. Pass "
                        "`next_cursor` as `after` for the next page. Auditors only; the "
                        "search is itself logged.",
            responses=problems_for(401, 403, 422))
def search_audit(
        filters: AuditFilters, caller: CallerDep, node: NodeDep, limit: PageLimit,
        after: Annotated[int, Query(ge=0, le=MAX_SEQ,
                                    description="Sequence number to continue after")] = 0,
) -> Response:
    """Keyset paging on the sequence number, which never changes once sealed."""
    entries = node.audit.search(caller, filters, after, limit)
    cursor = str(entries[-1].seq) if len(entries) == limit else None
    return JSONResponse({"items": [audit_entry_out(e) for e in entries],
                         "next_cursor": cursor})


def _lines(first: AuditEntry | None, rest: Iterator[AuditEntry]) -> Iterator[bytes]:
    if first is None:
        return
    chunk = [first]
    for entry in rest:
        chunk.append(entry)
        if len(chunk) == LINES_PER_CHUNK:
            yield _encode(chunk)
            chunk = []
    yield _encode(chunk)


def _encode(entries: list[AuditEntry]) -> bytes:
    return "".join(json.dumps(audit_entry_out(e), ensure_ascii=False,
                              separators=(",", ":")) + "\n" for e in entries).encode()


@router.get("/export", response_class=NdjsonResponse, summary="Export the audit log",
            description="Every matching entry as NDJSON, one entry per line, streamed in "
                        "sequence order. Auditors only; the export is itself logged.",
            responses={200: {"description": "One `AuditEntryOut` object per line",
                             "content": {NdjsonResponse.media_type: {"schema": {
                                 "type": "string",
                                 "description": "Lines of JSON, each an AuditEntryOut"}}}},
                       **problems_for(401, 403, 422)})
def export_audit(filters: AuditFilters, caller: CallerDep, node: NodeDep) -> Response:
    """The first entry is read before answering, so that a refusal is a proper 403 problem
    rather than a stream cut short after a 200."""
    entries = node.audit.export(caller, filters)
    first = next(entries, None)
    return NdjsonResponse(_lines(first, entries))


@router.get("/verify", response_model=ChainReportOut, summary="Verify the audit chain",
            description="Walk the whole hash chain. `ok` is false and `broken_seq` names the "
                        "first entry that does not verify if anything was altered, inserted "
                        "or removed. Auditors only.",
            responses=problems_for(401, 403))
def verify_audit(caller: CallerDep, node: NodeDep) -> ChainReportOut:
    """A broken chain is a finding, not a failed request: the answer is 200 with ok false."""
    return chain_report_out(node.audit.verify(caller))
