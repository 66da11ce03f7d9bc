"""STIX 2.1 in and out (bulk import of a bundle, streamed export of a search), and MISP in.

The import is deliberately *not* atomic on this path (as TAXII's add-objects is not): each
object is reported on its own and the valid ones are stored, each one whole, in one transaction;
a rejected object never leaves part of itself behind. File imports from the CLI are atomic.

The export streams: records are read from the service in batches and written out as they
come, so a large export never sits in memory whole. The objects every record refers to
(TLP marking-definitions, extension-definitions, the agencies' identities) are written once.
"""

from __future__ import annotations

from itertools import chain
from typing import Annotated, Any

from fastapi import APIRouter, Body
from fastapi.responses import JSONResponse, Response, StreamingResponse

from passerelle.api.auth import CallerDep, NodeDep
from passerelle.api.limits import StrictJsonRoute
from passerelle.api.models import ImportReport, MispImportReport, StixBundle, problems_for
from passerelle.api.params import RecordFilters
from passerelle.domain.records import Record
from passerelle.errors import PasserelleError
from passerelle.interop.misp import read_event
from passerelle.interop.stix.bundles import ImportedObject, import_bundle
from passerelle.interop.stix.streaming import bundle_pieces
from passerelle.services.imports import ImportOutcome

router = APIRouter(tags=["stix"], route_class=StrictJsonRoute)
STIX_MEDIA_TYPE = "application/stix+json;version=2.1"
EXPORT_BATCH = 500
_BUNDLE_SCHEMA = {"schema": {"$ref": "#/components/schemas/StixBundle"}}


def _result(item: ImportedObject, outcome: ImportOutcome | None) -> dict[str, Any]:
    """One line of the report; context objects (markings, identities) are not records."""
    status: str = outcome.status.value if outcome else "context"
    return {"index": item.index, "id": outcome.record_id if outcome else None,
            "stix_id": item.stix_id, "status": status,
            "code": outcome.code if outcome else None,
            "field": outcome.field if outcome else None,
            "detail": outcome.detail if outcome else None}


@router.post(
    "/imports/stix", response_model=ImportReport, summary="Import a STIX bundle",
    description="Read every object of a STIX 2.1 bundle (`application/stix+json` or "
                "`application/json`) and store those that are valid and allowed. The answer "
                "is 200 whenever the bundle itself could be read, with one result per object "
                "in input order: `created`, `updated`, `unchanged`, `rejected` (with `code`, "
                "`field` and `detail`) or `context` for objects that only describe others "
                "(marking-definitions, identities). Not atomic: valid objects are stored even "
                "if others are rejected. A bundle that is not a STIX 2.1 bundle is a 422.",
    responses=problems_for(400, 401, 403, 413, 415, 422),
    openapi_extra={"requestBody": {"content": {"application/stix+json": _BUNDLE_SCHEMA}}})
def import_stix(body: StixBundle, caller: CallerDep, node: NodeDep) -> Response:
    """Bundle-level problems raise (422); object-level ones are reported per object."""
    document = {"type": body.type, "id": body.id, "objects": body.objects,
                **(body.model_extra or {})}
    imported = import_bundle(document, default_owner=node.settings.agency_id)
    items = [item for item in imported if not item.is_context]
    candidates: list[Record | PasserelleError] = [
        item.record if item.record is not None else _error(item) for item in items]
    outcomes = node.imports.import_records(caller, candidates, atomic=False)
    # The service reports in candidate order; the client counts in bundle order.
    outcome_at = dict(zip((item.index for item in items), outcomes, strict=True))
    results = [_result(item, outcome_at.get(item.index)) for item in imported]
    totals: dict[str, int] = {}
    for result in results:
        totals[result["status"]] = totals.get(result["status"], 0) + 1
    return JSONResponse({"results": results, "totals": totals})


@router.post(
    "/imports/misp", response_model=MispImportReport, summary="Import MISP events",
    description="Read a MISP document (one event as `{\"Event\": ...}` or bare, a list of "
                "them, a search answer `{\"response\": [...]}`, a galaxy or a sighting) and "
                "store what is valid and allowed, as records (docs/misp-mapping.md). The answer "
                "is 200 whenever the document could be read, with one result per element in "
                "document order (`where` names it: `Event[0].Attribute[3]`), totals, and notes "
                "on what is not imported (proposals, correlations). Not atomic, like the STIX "
                "path. A document that is not JSON or holds no event is a 422 (`invalid_misp`).",
    responses=problems_for(400, 401, 403, 413, 415, 422))
def import_misp(body: Annotated[dict[str, Any] | list[Any], Body()], caller: CallerDep,
                node: NodeDep) -> Response:
    """Document-level problems raise (422); element-level ones are reported per element."""
    found = read_event(body, default_owner=node.settings.agency_id,
                       received_at=node.clock.now())
    items = [item for item in found.items if item.record is not None or item.error is not None]
    candidates: list[Record | PasserelleError] = [
        item.record if item.record is not None else item.error  # type: ignore[misc]
        for item in items]
    outcomes = node.imports.import_records(caller, candidates, atomic=False)
    results = [{"where": item.where, "id": outcome.record_id, "status": outcome.status.value,
                "code": outcome.code, "field": outcome.field, "detail": outcome.detail}
               for item, outcome in zip(items, outcomes, strict=True)]
    totals: dict[str, int] = {}
    for result in results:
        totals[str(result["status"])] = totals.get(str(result["status"]), 0) + 1
    return JSONResponse({"results": results, "totals": totals, "notes": found.notes})


def _error(item: ImportedObject) -> PasserelleError:
    assert item.error is not None  # neither context nor a record: import_bundle's contract
    return item.error


class StixResponse(StreamingResponse):
    """A STIX 2.1 bundle, written as it is read."""

    media_type = STIX_MEDIA_TYPE


@router.get(
    "/exports/stix", response_class=StixResponse, summary="Export records as STIX",
    description="A STIX 2.1 bundle of the records matching the filters (as for "
                "`GET /api/v1/records`) that you may export, streamed. Needs the analyst role; "
                "the justification header is required unless `kind` excludes persons, "
                "documents and alerts. Each batch exported is audited.",
    responses={200: {"content": {STIX_MEDIA_TYPE: _BUNDLE_SCHEMA},
                     "description": "A STIX 2.1 bundle"},
               **problems_for(400, 401, 403, 422)})
def export_stix(filters: RecordFilters, caller: CallerDep, node: NodeDep) -> Response:
    """The first record is read before answering so that a refusal (role, justification) is a
    proper problem and not a stream cut short after a 200."""
    records = node.records.export(caller, filters)
    first = next(records, None)
    names = {agency.id: agency.name for agency in node.accounts.agencies()}
    chunks = bundle_pieces(chain([] if first is None else [first], records),
                           agency_names=names, batch=EXPORT_BATCH)
    return StixResponse(piece.encode() for piece in chunks)
