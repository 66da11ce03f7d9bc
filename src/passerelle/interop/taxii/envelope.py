"""The TAXII envelope a client posts, and what identifies each object in it.

``read_envelope`` refuses (422, naming the field) only what cannot be reported object by object
in a status resource: a body that is not an envelope, or an element without a string ``id``.
Everything else about an object (its type, its version, its media type) is the backend's to
judge and to report as a failure in the status, so that one bad object does not sink the rest.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from passerelle.errors import ValidationFailed
from passerelle.interop.taxii.timestamps import parse_timestamp

_STIX_ID = re.compile(
    r"^[a-z0-9][a-z0-9-]*--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
    r"[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
DEFAULT_SPEC_VERSION = "2.1"


def read_envelope(data: Any) -> list[dict[str, Any]]:
    """The objects of a posted envelope; ``ValidationFailed`` names what is malformed."""
    if not isinstance(data, dict):
        raise ValidationFailed("the body must be a TAXII envelope (a JSON object)",
                               field="body")
    objects = data.get("objects")
    if not isinstance(objects, list):
        raise ValidationFailed("the envelope needs an objects list", field="objects")
    for index, obj in enumerate(objects):
        if not isinstance(obj, dict):
            raise ValidationFailed("each object must be a JSON object",
                                   field=f"objects[{index}]")
        if not isinstance(obj.get("id"), str):
            raise ValidationFailed("each object needs a string id",
                                   field=f"objects[{index}].id")
    return objects


def version_of(obj: Mapping[str, Any]) -> tuple[str, dt.datetime] | None:
    """The version of a STIX object as written and as an instant: ``modified``, else
    ``created``; None when it has neither (it is then versioned by its ``date_added``) or
    when the value is not a timestamp (check ``has_version_property`` to tell them apart)."""
    for name in ("modified", "created"):
        if name in obj:
            text = obj[name]
            moment = parse_timestamp(text)
            return None if moment is None else (text, moment)
    return None


def has_version_property(obj: Mapping[str, Any]) -> bool:
    """True when the object carries ``modified`` or ``created``."""
    return "modified" in obj or "created" in obj


def problem_with(obj: Mapping[str, Any]) -> str | None:
    """Why ``obj`` cannot be stored as a STIX object, or None: an id that is not
    ``type--UUID``, a ``type`` that disagrees with it, or a version that is not a timestamp."""
    object_id = obj["id"]
    if not _STIX_ID.match(object_id):
        return "the id is not a STIX identifier (type--UUID)"
    if obj.get("type") != object_id.split("--", 1)[0]:
        return "the type does not match the id"
    if has_version_property(obj) and version_of(obj) is None:
        return "modified (or created) is not a timestamp"
    spec = obj.get("spec_version", DEFAULT_SPEC_VERSION)
    if not isinstance(spec, str):
        return "spec_version is not a string"
    return None


def spec_version_of(obj: Mapping[str, Any]) -> str:
    """The STIX version an object declares; ``2.1`` when it says nothing, as STIX 2.1
    cyber-observables may (a TAXII 2.1 envelope carries STIX 2.1 by default)."""
    spec = obj.get("spec_version", DEFAULT_SPEC_VERSION)
    return spec if isinstance(spec, str) else DEFAULT_SPEC_VERSION
