"""The TAXII routes as data: path, method, summary, parameters and error statuses.

Query parameters are read by ``passerelle.interop.taxii.parameters`` rather than declared as
FastAPI parameters (which would validate them before authentication and in FastAPI's error
shape), so they are described to OpenAPI here, from the same per-endpoint filter sets.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from passerelle.interop.taxii.model import TAXII_MEDIA_TYPE
from passerelle.interop.taxii.parameters import Endpoint, filters_of

_PARAMETERS: dict[str, str] = {
    "added_after": "Only versions added after this time (YYYY-MM-DDTHH:MM:SS.ffffffZ).",
    "match[id]": "Only these object ids (comma-separated).",
    "match[type]": "Only these STIX types (comma-separated).",
    "match[version]": "first, last (default), all, or exact versions (comma-separated).",
    "match[spec_version]": "Only these STIX versions, e.g. 2.1 (default: the latest of each "
                           "object; for a delete, any).",
    "limit": "At most this many items (the server may return fewer).",
    "next": "The next cursor of the previous page, with the same filters.",
}
_ERRORS = {400: "Malformed parameter or cursor", 401: "Not authenticated",
           403: "No access to the collection", 404: "Unknown API root, collection, object "
           "or status", 406: "Accept excludes TAXII 2.1 JSON", 413: "Body too large",
           415: "Body not sent as TAXII 2.1 JSON", 422: "Body is not an envelope"}
_TAXII_CONTENT = {TAXII_MEDIA_TYPE: {"schema": {"type": "object"}}}


@dataclass(frozen=True)
class TaxiiRoute:
    """One TAXII endpoint as the router declares it."""

    method: str
    path: str
    endpoint: str
    name: str
    summary: str
    description: str
    errors: tuple[int, ...] = (401, 404, 406)
    filters: Endpoint | None = None
    paged: bool = False
    status: int = 200

    def responses(self) -> dict[int | str, dict[str, Any]]:
        """Success and error responses, all in the TAXII media type."""
        success: dict[str, Any] = {"description": "Success"}
        if self.method != "DELETE":  # a deletion answers with an empty body
            success["content"] = _TAXII_CONTENT
        documented: dict[int | str, dict[str, Any]] = {self.status: success}
        for status in sorted(self.errors):
            documented[status] = {"description": f"{_ERRORS[status]} (TAXII error message)",
                                  "content": _TAXII_CONTENT}
        return documented

    def extra(self) -> dict[str, Any]:
        """The query parameters, for OpenAPI."""
        names = sorted(filters_of(self.filters)) if self.filters else []
        names += ["limit", "next"] if self.paged else []
        return {"parameters": [
            {"name": name, "in": "query", "required": False, "schema": {"type": "string"},
             "description": _PARAMETERS[name]} for name in names]} if names else {}


_ROOT = "/{api_root}"
_COLLECTION = _ROOT + "/collections/{collection_id}"
_OBJECT = _COLLECTION + "/objects/{object_id}"
_READ = (400, 401, 403, 404, 406)

ROUTES: tuple[TaxiiRoute, ...] = (
    TaxiiRoute("GET", "/taxii2/", "discovery", "taxii_discovery", "TAXII server discovery",
               "The server's title and its API roots (absolute URLs).", errors=(401, 406)),
    TaxiiRoute("GET", _ROOT + "/", "api_root", "taxii_api_root", "TAXII API root",
               "Title, TAXII versions and the largest body accepted."),
    TaxiiRoute("GET", _ROOT + "/status/{status_id}/", "status", "taxii_status",
               "Status of an add request", "Counts and outcomes of a POST to objects."),
    TaxiiRoute("GET", _ROOT + "/collections/", "collections", "taxii_collections",
               "Collections of an API root", "With the caller's can_read and can_write."),
    TaxiiRoute("GET", _COLLECTION + "/", "collection", "taxii_collection", "One collection",
               "With the caller's can_read and can_write."),
    TaxiiRoute("GET", _COLLECTION + "/manifest/", "manifest", "taxii_manifest",
               "Manifest of a collection", "id, date_added, version and media type of each "
               "selected version, oldest date_added first.", _READ, Endpoint.MANIFEST, True),
    TaxiiRoute("GET", _COLLECTION + "/objects/", "objects", "taxii_objects",
               "Objects of a collection", "An envelope of the selected versions, oldest "
               "date_added first.", _READ, Endpoint.OBJECTS, True),
    TaxiiRoute("POST", _COLLECTION + "/objects/", "add_objects", "taxii_add_objects",
               "Add objects to a collection", "Post an envelope; the answer is the status "
               "resource of the request.", (400, 401, 403, 404, 406, 413, 415, 422),
               status=202),
    TaxiiRoute("GET", _OBJECT + "/", "get_object", "taxii_object", "One object",
               "An envelope of the selected versions of one object.", _READ,
               Endpoint.OBJECT, True),
    TaxiiRoute("DELETE", _OBJECT + "/", "delete_object", "taxii_delete_object",
               "Delete an object", "Delete the selected versions (all by default); needs "
               "can_read and can_write.", _READ, Endpoint.DELETE),
    TaxiiRoute("GET", _OBJECT + "/versions/", "versions", "taxii_versions",
               "Versions of an object", "The versions of one object, oldest date_added first.",
               _READ, Endpoint.VERSIONS, True),
)
