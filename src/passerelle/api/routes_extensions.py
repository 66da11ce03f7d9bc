"""Passerelle's STIX extension-definitions, served by every node.

A partner's tool (OpenCTI, a TAXII client, a validator) that meets one of Passerelle's
extension ids in an object can fetch its definition and JSON Schema here. They are public
documentation of a wire format, the same on every node: no login is needed and nothing about
the node's records is in them.
"""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from passerelle.api.models import problems_for
from passerelle.domain.markings import Tlp
from passerelle.errors import NotFound
from passerelle.interop.stix.extensions import (
    EXTENSION_BY_ID,
    EXTENSIONS,
    extension_definition,
    passerelle_identity,
)
from passerelle.interop.stix.tlp import tlp_marking_definition

router = APIRouter(tags=["stix"])
STIX_MEDIA_TYPE = "application/stix+json;version=2.1"
_BUNDLE_ID = f"bundle--{uuid.uuid5(uuid.NAMESPACE_URL, 'passerelle:extension-definitions')}"


@router.get("/stix/extension-definitions", summary="Passerelle's extension-definitions",
            description="A STIX 2.1 bundle of every extension-definition Passerelle objects "
                        "use, with their publisher's identity and the TLP:CLEAR marking they "
                        "carry. Public: no login needed.",
            response_class=JSONResponse,
            responses={200: {"content": {STIX_MEDIA_TYPE: {"schema": {"type": "object"}}},
                             "description": "A STIX 2.1 bundle"}, **problems_for(400)})
def extension_definitions() -> JSONResponse:
    """Every definition, as one bundle."""
    objects: list[dict[str, Any]] = [tlp_marking_definition(Tlp.CLEAR), passerelle_identity(),
                                     *(extension_definition(e) for e in EXTENSIONS)]
    return JSONResponse({"type": "bundle", "id": _BUNDLE_ID, "objects": objects},
                        media_type=STIX_MEDIA_TYPE)


@router.get("/stix/extension-definitions/{definition_id}",
            summary="One extension-definition",
            description="The extension-definition object named by its STIX id; its `schema` "
                        "property embeds the JSON Schema. 404 for any other id.",
            response_class=JSONResponse,
            responses={200: {"content": {STIX_MEDIA_TYPE: {"schema": {"type": "object"}}},
                             "description": "A STIX 2.1 extension-definition"},
                       **problems_for(404)})
def one_extension_definition(definition_id: str) -> JSONResponse:
    """One definition, by id."""
    extension = EXTENSION_BY_ID.get(definition_id)
    if extension is None:
        raise NotFound(f"{definition_id} is not one of Passerelle's extension-definitions",
                       field="definition_id")
    return JSONResponse(extension_definition(extension), media_type=STIX_MEDIA_TYPE)


@router.get("/stix/extension-definitions/{definition_id}/schema",
            summary="The JSON Schema of one extension",
            description="The JSON Schema (draft 2020-12) the definition embeds, as a document.",
            response_class=JSONResponse,
            responses={200: {"content": {"application/schema+json": {"schema": {
                "type": "object"}}}, "description": "A JSON Schema"}, **problems_for(404)})
def extension_schema(definition_id: str) -> JSONResponse:
    """One definition's schema."""
    extension = EXTENSION_BY_ID.get(definition_id)
    if extension is None:
        raise NotFound(f"{definition_id} is not one of Passerelle's extension-definitions",
                       field="definition_id")
    return JSONResponse(extension.schema(), media_type="application/schema+json")
