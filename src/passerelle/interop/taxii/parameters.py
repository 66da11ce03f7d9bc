"""Reading TAXII 2.1 URL parameters: filters, ``limit`` and ``next``.

Each endpoint honours the filters TAXII defines for it and ignores any other parameter (as
servers must ignore filters they do not support); a value that is malformed is a 400 naming
the parameter, never a silent "match nothing". Several values are separated by commas and
mean "any of"; a parameter repeated (``match[type]=a&match[type]=b``) means the same as
``match[type]=a,b``. Different filters combine with "and".
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from enum import StrEnum

from passerelle.errors import BadRequest
from passerelle.interop.taxii.model import ObjectFilter, VersionKeyword, VersionMatch
from passerelle.interop.taxii.timestamps import parse_timestamp

_SPEC_VERSION = re.compile(r"^\d+\.\d+$")
QueryParams = Mapping[str, Sequence[str]]


class Endpoint(StrEnum):
    """The endpoints that take filters."""

    OBJECTS = "objects"
    MANIFEST = "manifest"
    OBJECT = "object"
    VERSIONS = "versions"
    DELETE = "delete"


_FILTERS: dict[Endpoint, frozenset[str]] = {
    Endpoint.OBJECTS: frozenset({"added_after", "match[id]", "match[type]", "match[version]",
                                 "match[spec_version]"}),
    Endpoint.MANIFEST: frozenset({"added_after", "match[id]", "match[type]",
                                  "match[version]", "match[spec_version]"}),
    Endpoint.OBJECT: frozenset({"added_after", "match[version]", "match[spec_version]"}),
    Endpoint.VERSIONS: frozenset({"added_after", "match[spec_version]"}),
    Endpoint.DELETE: frozenset({"match[version]", "match[spec_version]"}),
}


def filters_of(endpoint: Endpoint) -> frozenset[str]:
    """The filter parameters ``endpoint`` honours."""
    return _FILTERS[endpoint]


def _single(params: QueryParams, name: str) -> str | None:
    values = params.get(name, ())
    if len(values) > 1:
        raise BadRequest("give this parameter once", field=name)
    return values[0] if values else None


def _tokens(params: QueryParams, name: str) -> list[str] | None:
    values = params.get(name)
    if not values:
        return None
    tokens = [token.strip() for value in values for token in value.split(",")]
    if any(not token for token in tokens):
        raise BadRequest("empty value", field=name)
    return tokens


_KEYWORDS: dict[str, VersionKeyword] = {"first": "first", "last": "last", "all": "all"}


def _version(value: str) -> VersionMatch:
    keyword = _KEYWORDS.get(value)
    if keyword is not None:
        return keyword
    moment = parse_timestamp(value)
    if moment is None:
        raise BadRequest(f"{value!r} is not first, last, all or a timestamp "
                         "(YYYY-MM-DDTHH:MM:SS[.s]Z)", field="match[version]")
    return moment


def _spec_versions(tokens: list[str]) -> frozenset[str]:
    for token in tokens:
        if not _SPEC_VERSION.match(token):
            raise BadRequest(f"{token!r} is not a STIX version such as 2.1",
                             field="match[spec_version]")
    return frozenset(tokens)


def read_filter(params: QueryParams, endpoint: Endpoint) -> ObjectFilter:
    """The filter a request asks of ``endpoint``, with the endpoint's defaults."""
    allowed = _FILTERS[endpoint]
    wanted = {name: params[name] for name in allowed if name in params}
    added_after_text = _single(wanted, "added_after")
    added_after = None
    if added_after_text is not None:
        added_after = parse_timestamp(added_after_text)
        if added_after is None:
            raise BadRequest(f"{added_after_text!r} is not a timestamp "
                             "(YYYY-MM-DDTHH:MM:SS[.s]Z)", field="added_after")
    lists_all = endpoint in (Endpoint.VERSIONS, Endpoint.DELETE)
    versions = _tokens(wanted, "match[version]")
    spec_versions = _tokens(wanted, "match[spec_version]")
    default_spec: frozenset[str] | None = frozenset() if endpoint is Endpoint.DELETE else None
    return ObjectFilter(
        added_after=added_after,
        ids=frozenset(_tokens(wanted, "match[id]") or ()),
        types=frozenset(_tokens(wanted, "match[type]") or ()),
        versions=("all",) if lists_all and not versions else tuple(
            _version(value) for value in versions or ["last"]),
        spec_versions=default_spec if spec_versions is None else _spec_versions(spec_versions))


def read_limit(params: QueryParams, page_size_max: int) -> int:
    """``limit`` capped at the server's page size (TAXII lets a server return fewer)."""
    text = _single(params, "limit")
    if text is None:
        return page_size_max
    if not (text.isascii() and text.isdigit()) or not text.strip("0"):
        raise BadRequest(f"{text[:40]!r} is not a positive integer", field="limit")
    digits = text.lstrip("0")
    return page_size_max if len(digits) > 9 else min(int(digits), page_size_max)


def read_next(params: QueryParams) -> str | None:
    """The ``next`` cursor, when one is given (an empty value is none)."""
    return _single(params, "next") or None
