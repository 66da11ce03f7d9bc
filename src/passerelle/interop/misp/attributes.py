"""MISP attributes and the records they become, both ways.

An attribute whose type says an observable (an address, a domain, a hash...) becomes an
``indicator--<attribute uuid>`` with the equivalent STIX pattern (see ``patterns``); rules in
a pattern language (yara, sigma, snort) become indicators in that language. Any other attribute
(text, links, vulnerabilities, attachments...) is kept as a custom STIX object
``x-misp-attribute--<attribute uuid>`` that holds its type, value, category, comment and data.
What Passerelle does not map (to_ids, distribution, tags that are not markings, galaxies,
sightings...) stays in the record's extras and is written back on export.
"""

from __future__ import annotations

from typing import Any, Final

import orjson

from passerelle.domain.records import Indicator, Record, StixObject
from passerelle.errors import InvalidMisp
from passerelle.interop.misp.extras import (
    ABSENT,
    BOOKKEEPING,
    absent,
    clean_attribute,
    misp_extras,
    without,
)
from passerelle.interop.misp.patterns import attribute_for, pattern_for
from passerelle.interop.misp.scope import (
    EventScope,
    build_record,
    check_seen,
    reported,
    text_of,
)
from passerelle.interop.misp.tags import read_tags, reconcile
from passerelle.interop.misp.timestamps import read_seen, stix_time, write_seen, write_timestamp

KEPT_TYPE: Final = "x-misp-attribute"
CONTENT_KEYS: Final = ("type", "value", "category", "comment", "data")
"""Attribute properties a kept attribute holds in its STIX content (as ``x_misp_<key>``)."""

CATEGORY: Final = {
    **dict.fromkeys(("ip-dst", "ip-src", "ip-dst|port", "ip-src|port", "domain", "hostname",
                     "domain|ip", "url", "uri", "AS", "mac-address", "user-agent", "email-dst",
                     "x509-fingerprint-md5", "x509-fingerprint-sha1", "x509-fingerprint-sha256",
                     "snort"), "Network activity"),
    **dict.fromkeys(("md5", "sha1", "sha256", "sha512", "sha3-256", "sha3-512", "ssdeep",
                     "tlsh", "filename", "filename|md5", "filename|sha1", "filename|sha256",
                     "filename|sha512", "filename|sha3-256", "filename|sha3-512", "email-src",
                     "email-subject"), "Payload delivery"),
    "mutex": "Artifacts dropped",
    "regkey": "Persistence mechanism",
    "regkey|value": "Persistence mechanism",
    "email": "Social network",
    **dict.fromkeys(("stix2-pattern", "yara", "sigma"), "Payload installation"),
}
"""MISP's default category for the types Passerelle writes (describeTypes' sane defaults)."""


def checked_attribute(raw: object, path: str) -> tuple[dict[str, Any], str, str]:
    """The attribute, its type and its value, after checking the properties every attribute
    needs."""
    if not isinstance(raw, dict):
        raise InvalidMisp("an attribute is a JSON object", field=path)
    misp_type = raw.get("type")
    if not isinstance(misp_type, str) or not misp_type.strip():
        raise InvalidMisp("every attribute needs a type", field=f"{path}.type")
    if "value" not in raw:
        raise InvalidMisp(f"a {misp_type} attribute without a value", field=f"{path}.value")
    value = raw["value"]
    if not isinstance(value, str):
        raise InvalidMisp(f"must be a string, not {type(value).__name__}",
                          field=f"{path}.value")
    return raw, misp_type, value


def read_attribute(raw: object, scope: EventScope, path: str) -> Record:
    """One attribute of the event (not of an object) as a record."""
    attribute, misp_type, value = checked_attribute(raw, path)
    uid, raw_uuid = scope.uuid_of(attribute.get("uuid"), path)
    when = scope.time_of(attribute, path)
    first_seen = check_seen(attribute, path)
    comment = text_of(attribute, "comment", path)
    for key in ("category", "data"):
        if key in attribute and not isinstance(attribute[key], str):
            raise InvalidMisp("must be a string", field=f"{path}.{key}")
    own = read_tags(attribute.get("Tag"), f"{path}.Tag")
    scope.count(attribute)
    kept = without(clean_attribute(attribute), {"uuid", "timestamp", *CONTENT_KEYS})
    if raw_uuid is not None:
        kept["uuid"] = raw_uuid
    shaped = pattern_for(misp_type, value, f"{path}.value")
    if shaped is None:
        content = _content(f"{KEPT_TYPE}--{uid}", attribute, when)
        markings = scope.markings(own, indicator=False, where=path)
        return build_record(f"{KEPT_TYPE}--{uid}", StixObject(KEPT_TYPE, content), markings,
                            when=when, scope=scope, kept=kept,
                            absent=absent(attribute, ("uuid", "timestamp")), where=path)
    kept.update({key: attribute[key] for key in ("category", "data") if key in attribute})
    kept.update(_unlike_pattern(misp_type, value, shaped))
    with reported(path, {"pattern": "value", "description": "comment"}):
        details = Indicator(shaped[0], first_seen or when, _name(misp_type, value), comment,
                            pattern_type=shaped[1])
    markings = scope.markings(own, indicator=True, where=path)
    return build_record(f"indicator--{uid}", details, markings, when=when, scope=scope,
                        kept=kept, absent=absent(attribute, ("uuid", "timestamp", "comment")),
                        where=path)


def _unlike_pattern(misp_type: str, value: str, shaped: tuple[str, str]) -> dict[str, str]:
    """The type and value to keep: those the pattern would not give back (``ip-src`` reads
    as ``[ipv4-addr:value = ...]``, which writes back as ``ip-dst``)."""
    written = attribute_for(*shaped)
    return {key: text for key, text, again in zip(("type", "value"), (misp_type, value),
                                                  written, strict=True) if text != again}


def _name(misp_type: str, value: str) -> str:
    name = f"{misp_type}: {value}"
    return name if len(name) <= 300 else name[:299] + "…"


def _content(stix_id: str, attribute: dict[str, Any], when: Any) -> str:
    content: dict[str, Any] = {"type": KEPT_TYPE, "spec_version": "2.1", "id": stix_id,
                               "created": stix_time(when), "modified": stix_time(when)}
    content.update({f"x_misp_{key}": attribute[key] for key in CONTENT_KEYS if key in attribute})
    return orjson.dumps(content).decode()


def write_attribute(record: Record, *, uuid: str, inherited: dict[str, Any] | None
                    ) -> dict[str, Any]:
    """The MISP attribute of an indicator or a kept STIX object.

    ``inherited`` is what the attribute gets from its event's tags (None: write every
    marking as a tag).
    """
    imported = misp_extras(record)
    kept = imported or {}
    details = record.details
    if isinstance(details, Indicator):
        out = {**_defaults(imported), **_indicator(details, imported)}
    elif isinstance(details, StixObject) and details.stix_type == KEPT_TYPE:
        content = orjson.loads(details.content)
        out = {**_defaults(imported), **{key: content[f"x_misp_{key}"]
                                         for key in CONTENT_KEYS if f"x_misp_{key}" in content}}
    elif isinstance(details, StixObject):
        out = {**_defaults(imported), "type": "text", "category": "Other",
               "value": details.content, "comment": f"STIX 2.1 {details.stix_type} kept "
                                                    "by Passerelle", "to_ids": False}
    else:
        raise TypeError(f"a {record.kind.value} record is not written as an attribute")
    out.update(uuid=uuid, timestamp=write_timestamp(record.modified_at))
    if imported is None:
        out.setdefault("category", CATEGORY.get(out["type"], "Other"))
    tags = reconcile(kept.get("Tag", []), record.markings, inherited,
                     indicator=isinstance(details, Indicator))
    if tags or "Tag" in kept:
        out["Tag"] = tags
    return {key: value for key, value in out.items() if key not in kept.get(ABSENT, ())}


def _defaults(imported: dict[str, Any] | None) -> dict[str, Any]:
    """What an attribute holds besides its type, value and times: what it came with, or
    Passerelle's defaults for a record of its own."""
    if imported is None:
        return {"to_ids": False, "distribution": "5", "comment": ""}
    return without(imported, BOOKKEEPING | {"Tag"})


def _indicator(details: Indicator, imported: dict[str, Any] | None) -> dict[str, Any]:
    misp_type, value = attribute_for(details.pattern, details.pattern_type)
    kept = imported or {}
    if "type" in kept or "value" in kept:
        candidate = (kept.get("type", misp_type), kept.get("value", value))
        if _same(candidate, details):
            misp_type, value = candidate
    out: dict[str, Any] = {"type": misp_type, "value": value, "comment": details.description}
    if imported is None:
        out.update(to_ids=True, first_seen=write_seen(details.valid_from))
    elif "first_seen" in kept and read_seen(kept["first_seen"], "") != details.valid_from:
        out["first_seen"] = write_seen(details.valid_from)
    return out


def _same(candidate: tuple[str, str], details: Indicator) -> bool:
    try:
        shaped = pattern_for(*candidate, "value")
    except InvalidMisp:
        return False
    return shaped == (details.pattern, details.pattern_type)
