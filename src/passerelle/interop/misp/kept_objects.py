"""MISP objects Passerelle does not map (file, domain-ip, a partner's own templates...), kept
whole as custom STIX objects ``x-misp-object--<object uuid>``.

The STIX content holds the object as MISP describes it (name, meta-category, template, comment
and its attributes with their tags, uuids and values); the record's extras hold the rest
(distribution, sharing group...). The object's references become relationship records of their
own (see ``references``).
"""

from __future__ import annotations

from typing import Any, Final

import orjson

from passerelle.domain.records import Record, StixObject
from passerelle.errors import InvalidMisp
from passerelle.interop.misp.extras import ABSENT, BOOKKEEPING, clean_attribute, misp_extras
from passerelle.interop.misp.mapped_objects import object_attributes
from passerelle.interop.misp.tags import reconcile
from passerelle.interop.misp.timestamps import stix_time, write_timestamp

KEPT_TYPE: Final = "x-misp-object"
CONTENT: Final = {"name": "x_misp_name", "meta-category": "x_misp_meta_category",
                  "description": "x_misp_description", "template_uuid": "x_misp_template_uuid",
                  "template_version": "x_misp_template_version", "comment": "x_misp_comment",
                  "Attribute": "x_misp_attributes"}
"""Object properties the STIX content holds, and their names there."""


def object_content(obj: dict[str, Any], stix_id: str, when: Any, path: str) -> str:
    """The STIX content of a kept object."""
    attributes = [clean_attribute(a) for a in object_attributes(obj, path)]
    if "comment" in obj and not isinstance(obj["comment"], str):
        raise InvalidMisp("must be a string", field=f"{path}.comment")
    content: dict[str, Any] = {"type": KEPT_TYPE, "spec_version": "2.1", "id": stix_id,
                               "created": stix_time(when), "modified": stix_time(when)}
    content.update({name: obj[key] for key, name in CONTENT.items() if key in obj})
    if "Attribute" in obj:
        content["x_misp_attributes"] = attributes
    return orjson.dumps(content).decode()


def write_kept_object(record: Record, *, uuid: str, inherited: dict[str, Any] | None
                      ) -> dict[str, Any]:
    """The MISP object of a kept ``x-misp-object`` record, its attributes' marking tags
    re-derived from the record's markings."""
    details = record.details
    assert isinstance(details, StixObject)
    content = orjson.loads(details.content)
    kept = misp_extras(record) or {}
    out = {key: value for key, value in kept.items() if key not in BOOKKEEPING}
    out.update({key: content[name] for key, name in CONTENT.items() if name in content})
    for attribute in out.get("Attribute", []):
        tags = reconcile(attribute.get("Tag", []), record.markings, inherited,
                         indicator=False)
        if tags or "Tag" in attribute:
            attribute["Tag"] = tags
    out.update(uuid=uuid, timestamp=write_timestamp(record.modified_at))
    return {key: value for key, value in out.items() if key not in kept.get(ABSENT, ())}
