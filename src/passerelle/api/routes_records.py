"""Records: create, read, change, review, erase, history and search.

Thin on purpose: each route reads the body with ``domain.codec``, calls ``node.records`` with the
caller (whose justification the service demands for personal data), and answers with the
canonical form. The policy, the audit log and the transaction are the service's business.
A record the caller may not see is a 404, exactly like one that does not exist.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse

from passerelle.api.auth import CallerDep, NodeDep
from passerelle.api.limits import StrictJsonRoute
from passerelle.api.models import (
    RecordCreate,
    RecordHistory,
    RecordOut,
    RecordPage,
    RecordUpdate,
    ReviewCreate,
    problems_for,
)
from passerelle.api.params import (
    PageLimit,
    RecordFilters,
    RecordId,
    decode_cursor,
    encode_cursor,
    plain_text,
)
from passerelle.api.record_schemas import Markings
from passerelle.domain.codec import read_details, read_markings, record_to_dict
from passerelle.domain.markings import Markings as DomainMarkings
from passerelle.domain.records import Details, RecordKind, check_record_id
from passerelle.errors import InvalidDate, ValidationFailed

router = APIRouter(tags=["records"], route_class=StrictJsonRoute)

Cursor = Annotated[str | None, Query(max_length=200,
                                     description="`next_cursor` of the previous page")]

PERSONAL = ("Reading a person, document or alert record needs the `Passerelle-Justification` "
            "header (400 `justification_required` otherwise); the read is audited with it.")


def _read_body(kind: RecordKind, markings: Markings, details: dict[str, Any]
               ) -> tuple[DomainMarkings, Details]:
    """Markings and details through the codec, whose errors name dotted fields."""
    return read_markings(markings.model_dump(exclude_unset=True)), read_details(kind, details)


def _json(record_data: dict[str, Any], status: int = 200,
          headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(record_data, status_code=status, headers=headers)


@router.post(
    "/records", status_code=201, response_model=RecordOut, summary="Create a record",
    description="Store a new record owned by this node's agency, at version 1. `details` "
                "follows the schema of `kind`. Personal data gets a review date by default. "
                "The answer's `Location` header is the record's URL.",
    responses=problems_for(400, 401, 403, 413, 415, 422))
def create_record(body: RecordCreate, caller: CallerDep, node: NodeDep,
                  request: Request) -> Response:
    """Create, reading markings and details with the codec so errors name dotted fields."""
    markings, details = _read_body(body.kind, body.markings, body.details)
    record = node.records.create(caller, markings, details)
    location = str(request.url_for("get_record", record_id=record.id))
    return _json(record_to_dict(record), 201, {"Location": location})


@router.get(
    "/records/{record_id}", response_model=RecordOut, summary="Read a record",
    description="The latest version. " + PERSONAL,
    responses=problems_for(400, 401, 403, 404, 422))
def get_record(record_id: RecordId, caller: CallerDep, node: NodeDep) -> Response:
    """One record, if the caller may see it."""
    return _json(record_to_dict(node.records.get(caller, record_id)))


@router.put(
    "/records/{record_id}", response_model=RecordOut, summary="Change a record",
    description="Write a new version with the complete markings and details. `version` is the "
                "version you read: if someone saved another since, the answer is 409 "
                "`version_conflict` and nothing is written. The kind cannot change.",
    responses=problems_for(400, 401, 403, 404, 409, 413, 415, 422))
def update_record(record_id: RecordId, body: RecordUpdate, caller: CallerDep,
                  node: NodeDep) -> Response:
    """Optimistic concurrency: the service compares ``version`` inside its transaction."""
    kind = check_record_id(record_id)
    if body.kind is not None and body.kind is not kind:
        raise ValidationFailed(f"the record is a {kind.value}", field="kind")
    markings, details = _read_body(kind, body.markings, body.details)
    record = node.records.update(caller, record_id, body.version, markings, details)
    return _json(record_to_dict(record))


@router.delete(
    "/records/{record_id}", status_code=204, summary="Erase a record",
    description="Erase every version (LED Art. 16). The justification header is mandatory: "
                "it is kept in the audit log as the reason for the erasure.",
    responses=problems_for(400, 401, 403, 404, 422))
def erase_record(record_id: RecordId, caller: CallerDep, node: NodeDep) -> Response:
    """Erasure cannot be undone; the audit log keeps that it happened and why."""
    node.records.erase(caller, record_id)
    return Response(status_code=204)


@router.get(
    "/records/{record_id}/history", response_model=RecordHistory,
    summary="List a record's versions",
    description="Every version, oldest first. " + PERSONAL,
    responses=problems_for(400, 401, 403, 404, 422))
def record_history(record_id: RecordId, caller: CallerDep, node: NodeDep) -> Response:
    """The history is consulted as one read of the latest version."""
    versions = node.records.history(caller, record_id)
    return _json({"items": [record_to_dict(r) for r in versions]})


@router.post(
    "/records/{record_id}/review", response_model=RecordOut, summary="Review a record",
    description="A reviewer confirms the record is still needed and sets the next review "
                "date (in the future). This unblocks a record whose review was overdue.",
    responses=problems_for(400, 401, 403, 404, 413, 415, 422))
def review_record(record_id: RecordId, body: ReviewCreate, caller: CallerDep,
                  node: NodeDep) -> Response:
    """Reviewing makes a new version with the new review date."""
    try:
        next_review = dt.date.fromisoformat(body.review_date)
    except ValueError:
        raise InvalidDate(f"{body.review_date!r} is not a date YYYY-MM-DD",
                          field="review_date") from None
    return _json(record_to_dict(node.records.review(caller, record_id, next_review)))


@router.get(
    "/records", response_model=RecordPage, summary="Search records",
    description="Records you may see that match every given filter, ordered by id. Pages "
                "are keyset-based: pass `next_cursor` as `cursor` to continue; it is null on "
                "the last page. A page may hold fewer than `limit` items. Unless `kind` "
                "excludes persons, documents and alerts, the justification header is "
                "required.",
    responses=problems_for(400, 401, 403, 422))
def search_records(filters: RecordFilters, caller: CallerDep, node: NodeDep,
                   limit: PageLimit, cursor: Cursor = None) -> Response:
    """Search; the service logs the query and the ids it returned."""
    after = decode_cursor(plain_text(cursor, "cursor"))
    page = node.records.search(caller, filters, after, limit)
    return _json({"items": [record_to_dict(r) for r in page.records],
                  "next_cursor": encode_cursor(page.next_cursor)})
